"""The Textual UI of a live session: one module per widget, ``livestudio.tcss`` for style.

``run_app(session)`` runs it on a started :class:`~livestudio.session.live.LiveSession`
until the musician quits.
"""

from __future__ import annotations

from typing import Any


def run_app(session: Any) -> None:
    """Run the terminal UI on a started live session until the user quits (q)."""
    from livestudio.app.studio import StudioApp

    StudioApp(session).run()


__all__ = ["run_app"]

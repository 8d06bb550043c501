"""Snapshots of the main screen at 80x24 and at a large size (fixed fake status).

Update after an intended change with ``pytest tests/app --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from livestudio.app.studio import StudioApp

from livestudio.testing.fake_session import FakeSession


def make_app() -> StudioApp:
    # the tracks point into this file (code line shown); only its name is displayed
    session = FakeSession(Path(__file__).parent / "fixture_song.py")
    session.mute("chords")
    return StudioApp(session, clock=lambda: "21:04:05", refresh_hz=10)


def test_main_screen_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_main_screen_large(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=(160, 48))


def test_error_shown_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = make_app()

    async def fail(pilot: Pilot) -> None:  # type: ignore[type-arg]
        app.session.fail_reload(  # type: ignore[attr-defined]
            "NameError: name 'sn' is not defined\n    bass = note('c2').s(sn)", 7)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=fail)


def test_help_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["question_mark"])

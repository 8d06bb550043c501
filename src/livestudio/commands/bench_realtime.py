"""`livestudio bench realtime`: placeholder until its issue lands (replace this module)."""

from __future__ import annotations

import click


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def realtime(args: tuple[str, ...]) -> None:
    """Not built yet."""
    raise click.ClickException("livestudio bench realtime is not built yet")

"""`livestudio play`: placeholder until its issue lands (replace this module)."""

from __future__ import annotations

import click


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def play(args: tuple[str, ...]) -> None:
    """Not built yet."""
    raise click.ClickException("livestudio play is not built yet")

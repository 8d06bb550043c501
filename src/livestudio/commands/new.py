"""`livestudio new NAME`: create a session folder from the template, ready to play.

>>> from click.testing import CliRunner            # doctest: +SKIP
>>> CliRunner().invoke(new, ["mysong"]).exit_code  # doctest: +SKIP
0
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import click

TEMPLATE = "session.py.tmpl"
STARTER_NAME = "song.py"
_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]*$")


def create_session(folder: Path, *, force: bool = False) -> Path:
    """Create ``folder`` with a commented starter file; return the starter's path.

    Raises ``click.ClickException`` when the folder exists and is not empty (unless
    ``force``, which still never overwrites an existing starter file).
    """
    name = folder.name
    if not _NAME_OK.match(name):
        raise click.ClickException(
            f"{name!r} is not a good session name: use letters, digits, '-', '_' or '.'")
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"{folder} exists and is not a folder")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise click.ClickException(f"{folder} exists and is not empty (use --force to add the starter file)")
    starter = folder / STARTER_NAME
    if starter.exists():
        raise click.ClickException(f"{starter} already exists; not overwriting it")
    text = resources.files("livestudio.commands").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    starter.write_text(text.format(name=name, folder=str(folder)), encoding="utf-8")
    return starter


@click.command()
@click.argument("name", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Add the starter file to an existing non-empty folder.")
def new(name: Path, force: bool) -> None:
    """Create a session folder NAME with a commented starter file."""
    starter = create_session(name, force=force)
    click.echo(f"created {starter}")
    click.echo(f"play it:  livestudio play {name}")
    click.echo(f"then edit {starter} in your editor and save to hear each change")

"""The ``livestudio`` command line: one click group, one module per subcommand.

Each subcommand lives in ``livestudio.commands.<name>`` and is imported only when
run, so ``livestudio --help`` stays fast and a broken optional part (say, no
PortAudio) cannot stop the others.
"""

from __future__ import annotations

import importlib

import click

# subcommand name -> (module, attribute, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "play": ("livestudio.commands.play", "play", "Play a pattern file or session folder live; reloads on save."),
    "render": ("livestudio.commands.render", "render", "Render pattern files offline to a mastered WAV/FLAC with stems."),
    "devices": ("livestudio.commands.devices", "devices", "List audio devices and MIDI ports."),
    "new": ("livestudio.commands.new", "new", "Create a session folder from a template."),
    "bench": ("livestudio.commands.bench", "bench", "Benchmarks that print numbers: patterns, voices, render, realtime, clock."),
    "conformance": ("livestudio.commands.conformance", "conformance", "Check pattern semantics against reference cases."),
    "engine": ("livestudio.commands.engine", "engine", "Run the engine process (started by `play`; internal)."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr, _ = entry
        module = importlib.import_module(module_name)
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="livestudio")
def main() -> None:
    """livestudio: live-coding music production in the terminal."""


if __name__ == "__main__":
    main()

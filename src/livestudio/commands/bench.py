"""`livestudio bench ...`: benchmarks that print numbers (one module per benchmark)."""

from __future__ import annotations

import importlib

import click

BENCHES: dict[str, tuple[str, str, str]] = {
    "patterns": ("livestudio.commands.bench_patterns", "patterns", "Pattern query throughput (haps/s)."),
    "voices": ("livestudio.commands.bench_voices", "voices", "Synthesis voices per second through the engine."),
    "render": ("livestudio.commands.bench_render", "render", "Offline render of a song: realtime factor."),
    "realtime": ("livestudio.commands.bench_realtime", "realtime", "Live playback on JACK dummy: xruns, late events, load."),
    "clock": ("livestudio.commands.bench_clock", "clock", "MIDI clock out timing on a real JACK MIDI port."),
}


class _LazyBench(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(BENCHES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = BENCHES.get(cmd_name)
        if entry is None:
            return None
        command = getattr(importlib.import_module(entry[0]), entry[1])
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyBench)
def bench() -> None:
    """Benchmarks that print numbers."""

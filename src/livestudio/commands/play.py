"""`livestudio play PATH`: play a pattern file or session folder live, reload on save.

With ``--headless`` it runs without the terminal UI and prints a status line (or, with
``--status-json``, one JSON object per line) at least once a second; ``--duration S``
stops it after S seconds with exit code 0.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

from livestudio.errors import LivestudioError


def _device(value: str | None) -> str | int | None:
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value


def _latency(value: str | None) -> float | str | None:
    if value is None:
        return None
    if value in ("low", "high"):
        return value
    try:
        return float(value)
    except ValueError:
        raise click.BadParameter("--latency takes seconds (e.g. 0.005) or low/high") from None


def _say_if_compiling(backend: str) -> None:
    """Warn on stderr when the audio callback must be compiled first (cold cache)."""
    from livestudio.engine.host.backend import core_available
    from livestudio.engine.host.prime import callback_fresh

    name = ("core" if core_available() else "test") if backend == "auto" else backend
    if not callback_fresh(name):
        click.echo("compiling the audio engine (first run after an install or update; "
                   "this takes a minute or two)...", err=True)


def engine_options(func: Any) -> Any:
    """The audio options shared by ``play`` and ``bench realtime``."""
    options = [
        click.option("--device", default=None, help="Output device: index or name substring (default: system default)."),
        click.option("--blocksize", type=click.IntRange(16, 4096), default=128, show_default=True,
                     help="Frames per audio callback."),
        click.option("--latency", default=None, help="Output latency in seconds, or low/high."),
        click.option("--sample-rate", type=click.IntRange(8000, 384000), default=None,
                     help="Sample rate (default: the device's)."),
        click.option("--output", type=click.Choice(["auto", "device", "file"]), default="auto",
                     show_default=True, help="auto: the device, else a WAV file sink in the session folder."),
        click.option("--python-callback", is_flag=True, help="Use the plain Python audio callback (fallback)."),
        click.option("--backend", type=click.Choice(["auto", "core", "test"]), default="auto",
                     show_default=True, help="Render engine (test: a sine kernel for plumbing tests)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--headless", is_flag=True, help="No terminal UI: print status lines.")
@click.option("--duration", type=click.FloatRange(0, None), default=None, help="Stop after S seconds (headless).")
@click.option("--status-json", is_flag=True, help="Headless: one JSON status object per line.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Record the master output to this WAV file.")
@click.option("--lookahead", type=click.FloatRange(20, 1000), default=100.0, show_default=True,
              help="Scheduler lookahead in ms.")
@click.option("--midi-clock-out", multiple=True, help="Send MIDI clock to this port (repeatable).")
@click.option("--midi-in", multiple=True, help="Read MIDI from this port (repeatable): CC for ccin(), keys for midikeys() tracks, clock for --sync midi.")
@click.option("--sync", "sync_spec", default=None, metavar="internal|midi[:PORT]|link",
              help="Clock source (default: the file's sync(...), else internal).")
@click.option("--midi-offset", "midi_offset_ms", type=click.FloatRange(-500, 500), default=None,
              help="Milliseconds added to every MIDI send time (align gear with the speakers).")
@engine_options
def play(path: Path, headless: bool, duration: float | None, status_json: bool, record: Path | None,
         lookahead: float, midi_clock_out: tuple[str, ...], midi_in: tuple[str, ...],
         sync_spec: str | None, midi_offset_ms: float | None, device: str | None, blocksize: int, latency: str | None, sample_rate: int | None,
         output: str, python_callback: bool, backend: str) -> None:
    """Play PATH (a pattern file or a session folder) live; reloads on every save."""
    from livestudio.session.live import LiveOptions, LiveSession, run_headless

    midi: dict[str, Any] = {}
    if midi_clock_out:
        midi["clock_out"] = list(midi_clock_out)
    if midi_in:
        midi["midi_in"] = list(midi_in)
    if sync_spec is not None:
        if not (sync_spec in ("internal", "link", "midi") or sync_spec.startswith("midi:")):
            raise click.BadParameter(f"{sync_spec!r}: use internal, midi, midi:PORT or link",
                                     param_hint="--sync")
        midi["sync"] = sync_spec
    if midi_offset_ms is not None:
        midi["offset_ms"] = midi_offset_ms
    options = LiveOptions(
        device=_device(device), blocksize=blocksize, latency=_latency(latency),
        sample_rate=sample_rate, lookahead_s=lookahead / 1000.0,
        record=str(record.resolve()) if record else None, output=output,
        python_callback=python_callback, backend=backend, midi=midi or None)
    _say_if_compiling(backend)
    try:
        session = LiveSession(path, options)
        session.start()
    except LivestudioError as exc:
        raise click.ClickException(str(exc)) from exc
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    try:
        if headless:
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
            first = session.status()
            if not status_json:
                click.echo(f"playing {path} -> {first.engine.output}", err=True)
            run_headless(session, duration_s=duration, status_json=status_json, stop=stop,
                         write=lambda line: (sys.stdout.write(line + "\n"), sys.stdout.flush()))
        else:
            from livestudio.app import run_app
            run_app(session)
    finally:
        session.close()

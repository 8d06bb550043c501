"""`livestudio render`: pattern files -> a mastered WAV/FLAC, stems and a MIDI file."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import click
import numpy as np
import soundfile
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from livestudio.session.loudness import integrated_lufs, peak_db, true_peak_dbtp
from livestudio.session.tempo import exact

DEFAULT_BPM = 120.0
LOAD_TIMEOUT_S = 10.0   # running the pattern file (a render is not live: be generous)


def _db(value: float) -> str:
    return "-inf" if not math.isfinite(value) else f"{value:.1f}"


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), required=True,
              help="The master file to write (.wav or .flac).")
@click.option("--cycles", type=float, default=None, help="How many cycles to render (default 16).")
@click.option("--seconds", type=float, default=None, help="How many seconds to render (instead of --cycles).")
@click.option("--bpm", type=float, default=None, help="Tempo (overrides the file's tempo(); 4 beats a cycle).")
@click.option("--stems", "stems_dir", type=click.Path(path_type=Path), default=None,
              help="Also write one file per track into this folder.")
@click.option("--lufs", type=float, default=None, help="Normalize to this integrated loudness (true peak <= -1 dBTP).")
@click.option("--format", "fmt", type=click.Choice(["wav", "flac"]), default=None,
              help="File format (default: from the output's extension, else wav).")
@click.option("--sample-rate", type=int, default=48000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the engine's noise sources.")
@click.option("--tail", "tail_s", type=float, default=0.0, show_default=True,
              help="Seconds to keep rendering after the last cycle (reverb and delay tails).")
@click.option("--midi", "midi_path", type=click.Path(path_type=Path), default=None,
              help="Also write the notes as a standard MIDI file.")
def render(path: Path, output: Path, cycles: float | None, seconds: float | None, bpm: float | None,
           stems_dir: Path | None, lufs: float | None, fmt: str | None, sample_rate: int, seed: int,
           tail_s: float, midi_path: Path | None) -> None:
    """Render PATH (a pattern file or a session folder) offline, faster than real time."""
    from livestudio.session.loader import load_path
    from livestudio.session.mastering import master_to_lufs
    from livestudio.session.midifile import write_midi_file
    from livestudio.session.render import render_tracks

    console = Console(stderr=True)
    if cycles is not None and seconds is not None:
        raise click.UsageError("give --cycles or --seconds, not both")
    # in the validator process first: a file stuck in a C call cannot hang the render
    loaded = load_path(path, timeout_s=LOAD_TIMEOUT_S, isolate=True)
    if not loaded.ok:
        for error in loaded.errors:
            console.print(f"[red]error[/red] {error}")
        raise click.ClickException(f"{path} did not load; nothing rendered")
    if not loaded.tracks:
        raise click.ClickException(f"{path} defines no tracks (top-level names bound to patterns)")
    tempo_bpm = bpm if bpm is not None else (loaded.settings.bpm or DEFAULT_BPM)
    if not math.isfinite(tempo_bpm) or not 10 <= tempo_bpm <= 999:
        raise click.UsageError(f"--bpm must be between 10 and 999, got {tempo_bpm}")
    cps = exact(tempo_bpm) / 240
    if seconds is not None:
        if not seconds > 0:
            raise click.UsageError("--seconds must be positive")
        n_cycles = exact(seconds) * cps
    else:
        n_cycles = exact(cycles if cycles is not None else 16.0)
        if n_cycles <= 0:
            raise click.UsageError("--cycles must be positive")
    fmt = fmt or ("flac" if output.suffix.lower() == ".flac" else "wav")
    tracks = {name: track.pattern for name, track in loaded.tracks.items()}

    with Progress(TextColumn("rendering"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("render", total=1.0)
        result = render_tracks(tracks, cycles=n_cycles, cps=cps, sample_rate=sample_rate,
                               tail_s=tail_s, seed=seed, sample_paths=loaded.settings.sample_paths,
                               stems=stems_dir is not None,
                               progress=lambda done: bar.update(task, completed=done))
    for error in result.errors:
        console.print(f"[yellow]warning[/yellow] {error}")

    audio = result.master
    if lufs is not None:
        mastered = master_to_lufs(result.premaster, sample_rate, target_lufs=lufs)
        audio = mastered.audio
    subtype = "PCM_24"
    output.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(output), audio, sample_rate, format=fmt.upper(), subtype=subtype)
    if stems_dir is not None:
        stems_dir.mkdir(parents=True, exist_ok=True)
        for name, stem in result.stems.items():
            soundfile.write(str(stems_dir / f"{name}.{fmt}"), stem, sample_rate, format=fmt.upper(),
                            subtype="FLOAT" if fmt == "wav" else "PCM_24")
    if midi_path is not None:
        notes = write_midi_file(midi_path, result.events, track_names=list(tracks),
                                tempo_changes=[(Fraction(0), result.cps)])
        console.print(f"MIDI file: {midi_path} ({notes} notes)")

    table = Table(title=f"{output}", show_header=True)
    table.add_column("track")
    table.add_column("peak dBFS", justify="right")
    for name, peak in result.peaks.items():
        table.add_row(name, _db(peak_db(peak)))
    console.print(table)
    loud = integrated_lufs(audio, sample_rate)
    peak = true_peak_dbtp(audio, sample_rate)
    click.echo(f"duration {audio.shape[0] / sample_rate:.2f} s ({float(n_cycles):g} cycles at "
               f"{tempo_bpm:g} bpm), integrated {_db(loud)} LUFS, true peak {_db(peak)} dBTP")
    if not np.any(audio):
        console.print("[yellow]warning[/yellow] the render is silent")

"""`livestudio bench voices`: the standard voice of shared/bench/README.md, section 1.

Voice i of N: band-limited saw at 55 * 2**((i % 48) / 12) Hz -> 2-pole resonant
low-pass (1200 Hz, Q 2) -> linear ADSR (5 ms, 100 ms, 0.7, 200 ms; gate held for the
whole render) -> amplitude 0.05 -> equal-power pan at 2 i / (N - 1) - 1, through the
real engine path (voice pool, buses, master). One thread; compile time is reported
separately (first run compiles, later runs load from Numba's cache).
"""

from __future__ import annotations

import json
import math
import time

import click

from livestudio.engine import Engine, warm_kernels
from livestudio.engine.params import Q_BUTTERWORTH

BLOCK = 64


def standard_voice_controls(i: int, n: int, seconds: float) -> dict[str, float | str]:
    """Control dict of voice ``i`` of ``n`` (gate held for ``seconds`` + 1 s)."""
    pan = 2.0 * i / (n - 1) - 1.0 if n > 1 else 0.0
    q = 2.0
    # resonance r maps to Q = 0.707 * 2**(5 r): invert for Q = 2
    res = math.log2(q / Q_BUTTERWORTH) / 5.0
    return {"s": "saw", "freq": 55.0 * 2.0 ** ((i % 48) / 12.0), "cutoff": 1200.0,
            "resonance": res, "attack": 0.005, "decay": 0.1, "sustain": 0.7,
            "release": 0.2, "gain": 0.05, "pan": (pan + 1.0) / 2.0,
            "duration": seconds + 1.0}


def run_voices(voices: int, seconds: float, *, sample_rate: int = 48000) -> dict[str, float]:
    """Render the standard voice; returns the JSON figures."""
    t0 = time.perf_counter()
    warm_kernels()
    compile_s = time.perf_counter() - t0
    eng = Engine(sample_rate=sample_rate, max_voices=max(voices, 1), max_buses=16)
    for i in range(voices):
        eng.push(0, standard_voice_controls(i, voices, seconds))
    frames = int(round(seconds * sample_rate))
    out = __import__("numpy").zeros((BLOCK, 2), dtype="float32")
    t1 = time.perf_counter()
    done = 0
    while done < frames:
        eng.render_into(out)
        done += BLOCK
    wall = time.perf_counter() - t1
    return {"voices": voices, "seconds": seconds, "wall_s": wall,
            "voice_seconds_per_s": voices * seconds / wall if wall > 0 else 0.0,
            "realtime_factor": seconds / wall if wall > 0 else 0.0,
            "compile_s": compile_s}


@click.command()
@click.option("--voices", "-n", type=click.IntRange(0, 4096), default=256, show_default=True,
              help="Number of voices N.")
@click.option("--seconds", "-t", type=click.FloatRange(0.01, 3600.0), default=10.0,
              show_default=True, help="Seconds of audio to render (T).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def voices(voices: int, seconds: float, as_json: bool) -> None:
    """Voice-seconds per wall second through the engine (standard voice, one thread)."""
    result = run_voices(voices, seconds)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"voices {voices}  seconds {seconds:g}  wall {result['wall_s']:.3f} s")
    click.echo(f"voice-seconds per second: {result['voice_seconds_per_s']:,.0f}")
    click.echo(f"realtime factor: {result['realtime_factor']:,.1f}x")
    click.echo(f"compile (or cache load): {result['compile_s']:.2f} s")

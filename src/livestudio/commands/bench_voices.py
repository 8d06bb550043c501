"""`livestudio bench voices`: the standard voice of shared/bench/README.md, section 1.

Voice i of N: band-limited saw at 55 * 2**((i % 48) / 12) Hz -> 2-pole resonant
low-pass (1200 Hz, Q 2) -> linear ADSR (5 ms, 100 ms, 0.7, 200 ms; gate held for the
whole render) -> amplitude 0.05 -> equal-power pan at 2 i / (N - 1) - 1, through the
real engine path (voice pool, buses, master): the events go through the engine's ring
and every 64-frame block is one ``render_block`` call, as the audio callback makes them
(a compiled loop, no Python between blocks). One thread; compile time is reported
separately (first run compiles, later runs load from Numba's cache). ``cpu_s`` is the
thread's CPU time, the steadier figure on a shared machine.
"""

from __future__ import annotations

import json
import math
import time

import click

import numpy as np

from livestudio.engine import Engine, warm_kernels
from livestudio.engine.kernels.rt import render_blocks
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
    warm = Engine(max_voices=2, max_buses=1, pool_floats=1 << 18)
    render_blocks(warm.arena, warm.layout, warm.pool, np.zeros((BLOCK, 2), np.float32), 1)
    compile_s = time.perf_counter() - t0
    eng = Engine(sample_rate=sample_rate, max_voices=max(voices, 1), max_buses=16)
    for i in range(voices):
        eng.push(0, standard_voice_controls(i, voices, seconds))
    eng.publish(1)  # the onsets at frame 0 go into the ring, as a host would put them
    blocks = int(round(seconds * sample_rate)) // BLOCK
    out = np.zeros((BLOCK, 2), dtype=np.float32)
    t1 = time.perf_counter()
    c1 = time.thread_time()
    render_blocks(eng.arena, eng.layout, eng.pool, out, blocks)
    wall = time.perf_counter() - t1
    cpu = time.thread_time() - c1
    return {"voices": voices, "seconds": seconds, "wall_s": wall,
            "voice_seconds_per_s": voices * seconds / wall if wall > 0 else 0.0,
            "realtime_factor": seconds / wall if wall > 0 else 0.0,
            "compile_s": compile_s,
            # on a shared machine the thread's CPU time is the steadier figure
            "cpu_s": cpu, "voice_seconds_per_cpu_s": voices * seconds / cpu if cpu > 0 else 0.0}


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
    click.echo(f"voice-seconds per CPU second: {result['voice_seconds_per_cpu_s']:,.0f} "
               f"(thread CPU {result['cpu_s']:.3f} s)")
    click.echo(f"compile (or cache load): {result['compile_s']:.2f} s")

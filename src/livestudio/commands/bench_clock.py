"""`livestudio bench clock`: MIDI clock out timing into a real JACK MIDI port.

Sends 0xF8 at 120 BPM (24 PPQN) through livestudio's own sender thread and
:class:`~livestudio.engine.midi.clock_out.ClockOut` (ticks on the engine frame grid,
absolute deadlines), from a child "engine" process, into a JACK MIDI port on a JACK
dummy server the bench starts itself. Each send call is timestamped; its deviation from
the ideal ``t0 + k * period`` gives p50/p99/max, the interval stdev, and the drift over
the run (slope of a line through the deviations, times the run length). Three
conditions: idle, a busy front process (pure Python loop), and a process loading the
engine's core (both pinned to the same CPU).

JACK quantization: python-rtmidi's JACK backend hands each message to the JACK
process callback, which writes it at offset 0 of the next period, so a receiver sees
arrival times on the period grid (2.67 ms at 128 frames / 48 kHz). The send-call
figures measure livestudio's timing; the ``recv_*`` figures show what a JACK receiver
gets (send timing plus up to one period), as seen by a Python receiver in the bench
process (so they include that receiver's own wake-up delays under load). A constant part of that is what the per-port
offset (``port_offsets_ms``) is for.

GIL: the sender thread runs SCHED_FIFO, but any other Python thread of the same process
that is preempted by a same-core load while holding the GIL stalls it (priority
inversion). The engine child therefore has no other thread that wakes during the run;
the live engine process must keep its other threads quiet or give them real-time
priority too.
"""

from __future__ import annotations

import gc
import json
import math
import multiprocessing as mp
import os
import queue
import statistics
import sys
import threading
import time
from typing import Any

import click

BPM = 120.0
PERIOD_S = 60.0 / (BPM * 24)


def _busy() -> None:
    """A pure-Python busy loop (the 'busy front' and the core load)."""
    x = 0
    while True:
        x = (x + 1) % 1_000_003


def _pinned_busy(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    _busy()


def _engine_child(seconds: float, cpu: int | None, realtime: bool, spin_ms: float,
                  result: "mp.Queue[dict[str, Any]]", freeze_gc: bool = True) -> None:
    """The 'engine process': sends clock into the sink port and reports its send times."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    if os.environ.get("LIVESTUDIO_BENCH_MLOCK"):
        import ctypes
        import ctypes.util
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.mlockall(3)  # MCL_CURRENT | MCL_FUTURE
    from livestudio.engine.midi.clock_out import ClockOut
    from livestudio.engine.midi.outport import OutPort
    from livestudio.engine.midi.sender import MidiSender
    from livestudio.engine.midi.timing import SimpleClock

    stamps: list[tuple[int, float, float]] = []
    port = OutPort("bench-sink")
    sender = MidiSender(realtime=realtime, spin_s=spin_ms / 1000.0)
    if freeze_gc:
        gc.collect()
        gc.freeze()   # the imported heap (numba, scipy...) is never traversed again
    sender.start()
    sender.call(lambda: None)   # the thread is up (and real-time) before the clock starts
    clock = SimpleClock(48000, cps=BPM / 240.0, t0=time.monotonic() + 0.2)
    clock_out = ClockOut(clock, port, on_send=lambda k, ideal, sent: stamps.append((k, ideal, sent)))
    sender.call(lambda: (clock_out.start(at_beat=0.0), sender.periodic.append(clock_out)))
    # one long wait: a thread that wakes while the core is loaded can be preempted
    # holding the GIL, and then the sender waits for it (see the module doc)
    threading.Event().wait(clock.t0 + seconds - time.monotonic())
    sender.call(clock_out.stop)
    sender.close()
    frames_ok = all(clock.frame_at_cycle(k / 96) == 1000 * k for k, _, _ in stamps)
    result.put({"t0": clock.t0, "stamps": stamps, "rt": sender.rt_info, "frames_ok": frames_ok})
    port.close()


def _stats(devs: list[float], sends: list[float]) -> dict[str, float]:
    absd = sorted(abs(d) for d in devs)

    def pct(p: float) -> float:
        return absd[min(len(absd) - 1, int(math.ceil(p * len(absd))) - 1)] * 1000

    intervals = [b - a for a, b in zip(sends, sends[1:])]
    k = list(range(len(devs)))
    slope = statistics.linear_regression(k, devs).slope if len(devs) > 2 else 0.0
    return {
        "ticks": len(devs),
        "mean_period_ms": statistics.fmean(intervals) * 1000 if intervals else 0.0,
        "stdev_ms": statistics.pstdev(intervals) * 1000 if intervals else 0.0,
        "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": absd[-1] * 1000,
        "drift_ms": slope * len(devs) * 1000,
    }


def run_condition(name: str, seconds: float, *, realtime: bool = True, spin_ms: float = 0.4) -> dict[str, Any]:
    """One condition: start the load, the engine child and a JACK receiver; return figures."""
    from livestudio.engine.midi.testkit import Gear

    ctx = mp.get_context("spawn")
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
    engine_cpu = cpus[-1] if name == "loaded_core" else None
    loads: list[mp.process.BaseProcess] = []
    if name == "busy_front":
        loads.append(ctx.Process(target=_busy, daemon=True))
    elif name == "loaded_core":
        loads.append(ctx.Process(target=_pinned_busy, args=(cpus[-1],), daemon=True))
    for p in loads:
        p.start()
    sink = Gear("bench-sink")
    result: mp.Queue[dict[str, Any]] = ctx.Queue()
    child = ctx.Process(target=_engine_child, args=(seconds, engine_cpu, realtime, spin_ms, result))
    child.start()
    try:
        deadline = time.monotonic() + seconds + 30
        while True:
            try:
                data = result.get(timeout=0.5)
                break
            except queue.Empty:
                if not child.is_alive() or time.monotonic() > deadline:
                    raise click.ClickException(
                        f"the clock sender process failed in condition {name!r} (exit code {child.exitcode})")
    finally:
        child.join(10)
        for p in loads:
            p.terminate()
            p.join(5)
        time.sleep(0.05)
        sink.close()
    t0 = data["t0"]
    stamps = data["stamps"]
    devs = [sent - (t0 + k * PERIOD_S) for k, _, sent in stamps]
    figures: dict[str, Any] = _stats(devs, [s for _, _, s in stamps])
    arrivals = [t for t, m in sink.got if m == (0xF8,)]
    # each arrival belongs to the nearest tick of the grid (JACK adds 0..1 period < P/2)
    recv = sorted(abs(t - (t0 + round((t - t0) / PERIOD_S) * PERIOD_S)) for t in arrivals)
    if recv:
        figures["recv_p50_ms"] = recv[len(recv) // 2] * 1000
        figures["recv_p99_ms"] = recv[min(len(recv) - 1, int(0.99 * len(recv)))] * 1000
        figures["recv_max_ms"] = recv[-1] * 1000
    figures["received"] = len(arrivals)
    figures["frame_grid_exact"] = data["frames_ok"]
    figures["sender"] = data["rt"]
    return figures


@click.command()
@click.option("--seconds", "-s", type=click.FloatRange(1, 3600), default=20.0, show_default=True,
              help="Length of each condition.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--only", type=click.Choice(["idle", "busy_front", "loaded_core"]), multiple=True,
              help="Run only these conditions.")
@click.option("--no-realtime", is_flag=True, help="Do not ask for SCHED_FIFO for the sender thread.")
@click.option("--spin-ms", type=click.FloatRange(0, 5), default=0.4, show_default=True,
              help="Spin this long before each deadline instead of sleeping.")
def clock(seconds: float, as_json: bool, only: tuple[str, ...], no_realtime: bool, spin_ms: float) -> None:
    """MIDI clock out at 120 BPM into a JACK MIDI port: deviation of each send from its ideal time."""
    from livestudio.testing.jack import JackServer

    names = list(only) or ["idle", "busy_front", "loaded_core"]
    os.environ["LIVESTUDIO_MIDI_API"] = "jack"
    out: dict[str, Any] = {"bpm": BPM, "seconds": seconds, "period": "jack dummy 48000 Hz / 128 frames",
                           "conditions": {}}
    with JackServer(sample_rate=48000, period=128):
        for name in names:
            if not as_json:
                click.echo(f"{name}: {seconds:g} s ...", err=True)
            out["conditions"][name] = run_condition(name, seconds, realtime=not no_realtime, spin_ms=spin_ms)
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"MIDI clock out, {BPM:g} BPM, 24 PPQN, {seconds:g} s per condition, JACK dummy 128/48k")
    click.echo(f"{'condition':<12} {'ticks':>6} {'period ms':>10} {'stdev':>7} {'p50':>7} {'p99':>7} "
               f"{'max':>7} {'drift':>8} | {'recv p50':>8} {'p99':>6} {'max':>6}")
    for name, f in out["conditions"].items():
        click.echo(f"{name:<12} {f['ticks']:>6} {f['mean_period_ms']:>10.4f} {f['stdev_ms']:>7.3f} "
                   f"{f['p50_ms']:>7.3f} {f['p99_ms']:>7.3f} {f['max_ms']:>7.3f} {f['drift_ms']:>+8.4f} | "
                   f"{f.get('recv_p50_ms', 0):>8.3f} {f.get('recv_p99_ms', 0):>6.3f} {f.get('recv_max_ms', 0):>6.3f}")
    first = next(iter(out["conditions"].values()))
    click.echo(f"sender thread: {first['sender']}; tick k on frame 1000*k exactly: {first['frame_grid_exact']}")


if __name__ == "__main__":  # pragma: no cover
    clock(sys.argv[1:])

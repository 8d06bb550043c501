"""`livestudio bench realtime`: live playback under stress, on a JACK dummy server.

Plays a pattern file with 64 simultaneous voices through a private JACK dummy server
at the given block size while the front runs a pure-Python busy thread (like a UI
redraw) and rewrites the pattern file every 250 ms (each save is reloaded and swapped
in). Prints xruns, late events, the callback load per block (p50/p99/max, time in
callback / block duration) and the engine's resident memory at start and end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

# 4 tracks x 16-note chords held for their whole step (legato 1): 64 voices at all times,
# plus drums on top
PATTERN = '''from livestudio import *
tempo(bpm=120)
_chord = "[c2,e2,g2,b2,d3,f3,a3,c4,e4,g4,b4,d5,f5,a5,c6,e6]"
saws = note(_chord).s("saw").cutoff({cutoff}).resonance(0.2).attack(0.005).release(0.05).legato(1).gain(0.05)
squares = note(_chord).add(note(2)).s("square").cutoff(1500).attack(0.005).release(0.05).legato(1).gain(0.04)
tris = note(_chord).add(note(5)).s("triangle").attack(0.005).release(0.05).legato(1).gain(0.05)
sines = note(_chord).add(note(7)).s("sine").attack(0.005).release(0.05).legato(1).gain(0.05)
drums = s("bd*4, [~ cp]*2, hh*8").gain(0.6)
'''


def save_atomically(path: Path, text: str) -> None:
    """Save like an editor that writes a new file and renames it over the old one (the
    watcher never sees a half-written file)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _busy(stop: threading.Event, counter: list[int]) -> None:
    """A pure-Python busy loop (holds the GIL in 5 ms slices, like a UI redraw)."""
    n = 0
    while not stop.is_set():
        total = 0
        for i in range(2000):
            total += i * i
        n += 1
    counter.append(n)


def cpu_steal_s() -> float:
    """CPU time the hypervisor gave to others while this VM wanted to run (all CPUs,
    seconds since boot; 0 on bare metal)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def memory_mb(pid: int | None) -> dict[str, float]:
    """Resident memory of a process: ``rss`` (incl. shared: JACK's shm, libraries),
    ``pss`` (shared pages split among their users) and ``uss`` (private to it)."""
    out = {"rss": float("nan"), "pss": float("nan"), "uss": float("nan")}
    if pid is None:
        return out
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            fields = {line.split(":")[0]: int(line.split()[1]) for line in f if line.split()[-1] == "kB"}
    except (FileNotFoundError, ValueError, IndexError):
        return out
    out["rss"] = fields.get("Rss", 0) / 1024.0
    out["pss"] = fields.get("Pss", 0) / 1024.0
    out["uss"] = (fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / 1024.0
    return out


BASELINE_CLIENT = "jack_simple_client"


def start_baseline_client() -> subprocess.Popen[bytes] | None:
    """Start jackd2's trivial C client (a sine in its process callback) on the default
    server, or None when it is not installed. Its late cycles are what this machine's
    scheduling costs any real-time client: the floor under ours."""
    exe = shutil.which(BASELINE_CLIENT)
    if exe is None:
        return None
    return subprocess.Popen([exe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)


def run_bench(*, seconds: float, blocksize: int, python_callback: bool = False,
              backend: str = "auto", reload_every_s: float = 0.25,
              progress: bool = False, midi: bool = True, busy_thread: bool = True,
              jack_port_max: int = 256, baseline: bool = True) -> dict[str, Any]:
    """Run the benchmark; returns the figures as a dict."""
    from livestudio.engine.host import status as S
    from livestudio.session.live import LiveOptions, LiveSession
    from livestudio.testing.jack import JackServer, XrunCauses, stop_process

    folder = Path(tempfile.mkdtemp(prefix="livestudio-bench-"))
    song = folder / "bench.py"
    song.write_text(PATTERN.format(cutoff=1200))
    loads: list[np.ndarray] = []
    steal = float("nan")
    causes = XrunCauses()
    baseline_proc: subprocess.Popen[bytes] | None = None
    with JackServer(sample_rate=48000, period=blocksize, port_max=jack_port_max) as jack:
        session = LiveSession(song, LiveOptions(output="device", blocksize=blocksize,
                                                python_callback=python_callback, backend=backend,
                                                midi=None if midi else {"enabled": False}))
        session.start()
        stop = threading.Event()
        counter: list[int] = []
        busy = threading.Thread(target=_busy, args=(stop, counter), daemon=True)
        try:
            engine: Any = session.engine
            st = engine.status_array
            time.sleep(1.0)  # let the first cycle settle
            base = engine.status()
            since = int(st[S.LOAD_HIST_W])
            arrivals0 = float(st[S.LATE_ARRIVALS])
            session.min_margin_s = float("inf")
            mem0 = memory_mb(engine.pid)
            if baseline:
                baseline_proc = start_baseline_client()
                time.sleep(0.5)
            causes0 = jack.xrun_causes()
            steal0 = cpu_steal_s()
            if busy_thread:
                busy.start()
            t0 = time.monotonic()
            next_reload = t0
            writes = 0
            voices_max = 0
            next_print = t0 + 10
            while (now := time.monotonic()) - t0 < seconds:
                if reload_every_s > 0 and now >= next_reload:
                    writes += 1
                    save_atomically(song, PATTERN.format(cutoff=1200 + 100 * (writes % 8)))
                    next_reload += reload_every_s
                chunk, since = S.load_history(st, since)
                loads.append(chunk)
                voices_max = max(voices_max, int(st[S.VOICES]))
                if progress and now >= next_print:
                    next_print += 10
                    s = engine.status()
                    mem = memory_mb(engine.pid)
                    click.echo(f"  {now - t0:5.0f} s  xruns {s.xruns - base.xruns}  late {s.late - base.late}"
                               f"  voices {s.voices}  load max {s.load_max * 100:.1f}%"
                               f"  engine rss {mem['rss']:.1f} MB private {mem['uss']:.1f} MB", err=True)
                time.sleep(0.05)
            chunk, since = S.load_history(st, since)
            loads.append(chunk)
            end = engine.status()
            late_arrivals = int(st[S.LATE_ARRIVALS] - arrivals0)
            min_margin_ms = session.min_margin_s * 1000.0
            mem1 = memory_mb(engine.pid)
            kind = engine.info.get("kind", "?")
            output = engine.info.get("output", "?")
            restarts = engine.engine_restarts
            errors = [e.message for e in session.errors]
            reloads = session.reloads
            steal = cpu_steal_s() - steal0
            causes = jack.xrun_causes().since(causes0)
        finally:
            stop.set()
            stop_process(baseline_proc)
            session.close()
    if busy.is_alive():
        busy.join(1)
    all_loads = np.concatenate(loads) if loads else np.zeros(0)
    pct = (lambda q: float(np.percentile(all_loads, q)) * 100.0) if all_loads.size else (lambda q: float("nan"))
    return {
        "seconds": seconds, "blocksize": blocksize, "sample_rate": 48000, "midi_hub": midi, "busy_thread": busy_thread,
        "jack_port_max": jack_port_max,
        "callback": kind, "output": output, "blocks": int(all_loads.size),
        "xruns": end.xruns - base.xruns, "late": end.late - base.late,
        # jackd's own account of each xrun: which client had not finished its cycle, or
        # the dummy driver's timer thread waking after the deadline
        "xrun_causes": causes.as_dict(),
        "cpu_steal_s": round(steal, 2),
        "baseline_client": BASELINE_CLIENT if baseline_proc is not None else None,
        "baseline_late": causes.clients_late.get(BASELINE_CLIENT, 0) if baseline_proc is not None else None,
        "late_arrivals": late_arrivals, "min_send_margin_ms": round(min_margin_ms, 1),
        "load_p50_pct": round(pct(50), 2), "load_p99_pct": round(pct(99), 2),
        "load_max_pct": round(float(all_loads.max()) * 100.0, 2) if all_loads.size else float("nan"),
        # blocks whose callback ran longer than the block lasts (ours missed the deadline);
        # JACK's xrun count also includes late wake-ups of its driver and other clients
        "overruns": int(np.count_nonzero(all_loads >= 1.0)),
        "voices_max": voices_max, "saves": writes, "reloads": reloads,
        "busy_loops": counter[0] if counter else 0, "engine_restarts": restarts,
        "engine_rss_mb_start": round(mem0["rss"], 1), "engine_rss_mb_end": round(mem1["rss"], 1),
        "engine_uss_mb_start": round(mem0["uss"], 1), "engine_uss_mb_end": round(mem1["uss"], 1),
        "engine_pss_mb_end": round(mem1["pss"], 1),
        "engine_rss_growth_mb_per_min": round((mem1["rss"] - mem0["rss"]) / (seconds / 60.0), 3),
        "engine_uss_growth_mb_per_min": round((mem1["uss"] - mem0["uss"]) / (seconds / 60.0), 3),
        "errors": errors[-5:],
        "worst_blocks_s": [round(float(i) * blocksize / 48000.0, 3)
                           for i in np.argsort(all_loads)[-5:][::-1]] if all_loads.size else [],
    }


@click.command()
@click.option("--seconds", type=click.FloatRange(1, None), default=30.0, show_default=True)
@click.option("--blocksize", type=click.IntRange(16, 4096), default=128, show_default=True)
@click.option("--python-callback", is_flag=True, help="Bench the plain Python callback fallback.")
@click.option("--backend", type=click.Choice(["auto", "core", "test"]), default="auto", show_default=True)
@click.option("--no-midi", is_flag=True, help="Run the engine without its MIDI hub.")
@click.option("--busy/--no-busy", default=True, show_default=True,
              help="Run the pure-Python busy thread in the front.")
@click.option("--jack-port-max", type=click.IntRange(16, 4096), default=256, show_default=True,
              help="jackd --port-max of the bench's JACK server (its shared memory is mapped "
                   "into the engine: jackd's default 2048 adds ~63 MB to the engine's RSS).")
@click.option("--reload-every", type=click.FloatRange(0, None), default=0.25, show_default=True,
              help="Seconds between saves of the pattern file (0: no saves).")
@click.option("--baseline/--no-baseline", default=True, show_default=True,
              help=f"Run jackd2's trivial client ({BASELINE_CLIENT}) beside the engine: its late "
                   "cycles are the machine's floor.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def realtime(seconds: float, blocksize: int, python_callback: bool, backend: str, no_midi: bool,
             busy: bool, jack_port_max: int, reload_every: float, baseline: bool, as_json: bool) -> None:
    """Play 64 voices on JACK dummy beside a busy thread and 4 reloads a second.

    jackd's log says which client each xrun was late in; jackd2's trivial client
    (``jack_simple_client``) runs beside the engine as the machine's baseline."""
    os.environ.setdefault("JACK_NO_START_SERVER", "1")
    result = run_bench(seconds=seconds, blocksize=blocksize, python_callback=python_callback,
                       backend=backend, progress=not as_json, midi=not no_midi, busy_thread=busy,
                       jack_port_max=jack_port_max, baseline=baseline, reload_every_s=reload_every)
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"bench realtime: {result['seconds']:g} s at {blocksize} frames / 48 kHz, "
               f"{result['callback']} callback, {result['output']}")
    click.echo(f"  events that reached the engine after their block began: {result['late_arrivals']}; "
               f"least lead time at send: {result['min_send_margin_ms']:.1f} ms")
    click.echo(f"  xruns {result['xruns']}   late events {result['late']}   "
               f"voices max {result['voices_max']}   saves {result['saves']} -> reloads {result['reloads']}")
    causes = result["xrun_causes"]
    clients = ", ".join(f"{name} {n}" for name, n in causes["clients_late"].items()) or "none"
    click.echo(f"  xrun causes (jackd's log): clients not finished in time: {clients}; "
               f"driver timer woke late: {causes['driver_late']}; "
               f"CPU time stolen by the hypervisor: {result['cpu_steal_s']:.2f} s")
    click.echo(f"  callback load  p50 {result['load_p50_pct']:.1f}%   p99 {result['load_p99_pct']:.1f}%   "
               f"max {result['load_max_pct']:.1f}%   over {result['blocks']} blocks, "
               f"{result['overruns']} longer than their block")
    click.echo(f"  engine RSS {result['engine_rss_mb_start']:.1f} -> {result['engine_rss_mb_end']:.1f} MB "
               f"({result['engine_rss_growth_mb_per_min']:+.3f} MB/min; includes JACK's shared memory "
               f"and shared libraries), private {result['engine_uss_mb_start']:.1f} -> "
               f"{result['engine_uss_mb_end']:.1f} MB ({result['engine_uss_growth_mb_per_min']:+.3f} MB/min), "
               f"PSS {result['engine_pss_mb_end']:.1f} MB   restarts {result['engine_restarts']}")
    for err in result["errors"]:
        click.echo(f"  ! {err}")

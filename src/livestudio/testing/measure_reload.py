"""Measure edit-to-sound of a live session: save -> new version scheduled (+ the quantization wait).

``python -m livestudio.testing.measure_reload FILE [--saves N] [--engine fake|real]``

Each save rewrites FILE with a changed track (so it really swaps) and waits until the
session reports a new ``last_edit_to_schedule_ms`` (LiveSession: wall time from the
file's mtime to the moment the new patterns were handed to the scheduler). It prints
p50/p95/max of that, of the load itself, and of the quantization wait (from the save to
the boundary the swap plays at), as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any


def measure(path: Path, *, saves: int = 20, engine: str = "fake", interval_s: float = 0.3) -> dict[str, Any]:
    """Run a LiveSession on ``path`` and time ``saves`` saves (the file is restored after)."""
    from livestudio.session.live import LiveOptions, LiveSession
    from livestudio.testing.fake_engine import FakeEngine

    original = path.read_text(encoding="utf-8")
    options = LiveOptions(engine=FakeEngine() if engine == "fake" else None,
                          output="auto" if engine == "real" else "auto")
    session = LiveSession(path, options)
    session.start()
    to_schedule: list[float] = []
    loads: list[float] = []
    waits: list[float] = []
    isolated = 0
    try:
        time.sleep(1.5)  # engine up, validator warm
        for i in range(saves):
            before = session.reloads
            cycle_at_save = session.status().cycle
            cps = session.status().cps
            path.write_text(original + f'\n_measure_{i} = {i}\nmeasure_track = s("bd*{1 + i % 4}")\n',
                            encoding="utf-8")
            deadline = time.monotonic() + 5
            while session.reloads == before and time.monotonic() < deadline:
                time.sleep(0.002)
            status = session.status()
            if session.reloads == before or not status.last_reload_ok:
                raise RuntimeError(f"save {i} did not reload cleanly: {[e.message for e in status.errors]}")
            to_schedule.append(float(status.last_edit_to_schedule_ms or 0.0))
            loads.append(status.last_reload_ms)
            isolated += bool(getattr(session.last_result, "isolated", False))
            if status.swap_cycle is not None:
                waits.append(max(status.swap_cycle - cycle_at_save, 0.0) / cps * 1000.0)
            time.sleep(interval_s)
    finally:
        session.close()
        path.write_text(original, encoding="utf-8")

    def stats(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {"p50": round(statistics.median(ordered), 1),
                "p95": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
                "max": round(ordered[-1], 1)}

    return {"saves": saves, "engine": engine, "isolated_loads": isolated,
            "save_to_scheduled_ms": stats(to_schedule), "load_ms": stats(loads),
            "quantization_wait_ms": stats(waits) if waits else None}


def main(argv: list[str] | None = None) -> int:
    """Command line entry: print the measurement as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--engine", choices=["fake", "real"], default="fake")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.path, saves=args.saves, engine=args.engine)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`livestudio bench patterns`: pattern query throughput in haps per second.

Queries each pattern of ``shared/bench/patterns.json`` one cycle at a time for its
``cycles`` cycles (after a short warm-up) and prints haps/s per pattern
(``--json``: ``{"patterns": {name: {"haps": n, "seconds": s, "haps_per_s": r}}}``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import click

# The same seven patterns as shared/bench/patterns.json, used when that file is absent.
DEFAULT_PATTERNS: dict[str, Any] = {
    "cycles": 512,
    "patterns": [
        {"name": "drums", "py": 'mini("bd*4, [~ sn]*2, hh*8, [~ oh]*4")'},
        {"name": "poly", "py": 'mini("{a b c d e}%8, [c3 e3 g3]*2, <d4 f4 a4>(3,8)")'},
        {"name": "euclid", "py": 'mini("bd(<3 5>,8,<0 2>), hh(7,16), [~ cp](3,8)")'},
        {"name": "transforms", "py": 'fastcat("a", "b", "c", "d").every(3, lambda p: p.fast(2))'
                                     '.off(0.25, lambda p: p.rev()).ply(2)'},
        {"name": "random", "py": 'mini("hh*16?, [bd|sn|cp]*8").degrade_by(0.3)'},
        {"name": "signals", "py": "sine.segment(16).range(200, 2000)"},
        {"name": "controls", "py": 's("bd*2 [sn cp] hh*4").n("<0 1 2>").gain("1 .8")'
                                   '.pan(sine.slow(4))'},
    ],
}


def default_file() -> Path | None:
    """``$LIVESTUDIO_SHARED/bench/patterns.json`` or ``../shared`` next to the checkout."""
    env = os.environ.get("LIVESTUDIO_SHARED")
    candidates = []
    if env:
        candidates.append(Path(env) / "bench" / "patterns.json")
    repo = Path(__file__).resolve().parents[3]
    candidates.append(repo.parent / "shared" / "bench" / "patterns.json")
    for c in candidates:
        if c.exists():
            return c
    return None


def measure(py: str, cycles: int, *, warmup: int = 16) -> dict[str, float]:
    """Haps, seconds and haps/s for querying ``eval(py)`` one cycle at a time."""
    from quicktions import Fraction

    from livestudio.conformance import eval_namespace
    from livestudio.patterns.timespan import TimeSpan

    pat = eval(py, eval_namespace())  # noqa: S307 - benchmark definitions
    for c in range(warmup):
        pat.query(TimeSpan(Fraction(c), Fraction(c + 1)))
    spans = [TimeSpan(Fraction(c), Fraction(c + 1)) for c in range(cycles)]
    query = pat.query
    count = 0
    t0 = time.perf_counter()
    for span in spans:
        count += len(query(span))
    seconds = time.perf_counter() - t0
    return {"haps": count, "seconds": seconds, "haps_per_s": count / seconds if seconds else 0.0}


def run_bench(definition: dict[str, Any], *, repeat: int = 1) -> dict[str, dict[str, float]]:
    """Measure every pattern of a definition (best of ``repeat`` runs)."""
    cycles = int(definition.get("cycles", 512))
    results: dict[str, dict[str, float]] = {}
    for item in definition["patterns"]:
        best: dict[str, float] | None = None
        for _ in range(max(1, repeat)):
            r = measure(item["py"], cycles)
            if best is None or r["seconds"] < best["seconds"]:
                best = r
        assert best is not None
        results[item["name"]] = best
    return results


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Pattern definitions (default: shared/bench/patterns.json).")
@click.option("--cycles", type=int, default=None, help="Override the number of cycles.")
@click.option("--repeat", type=int, default=3, show_default=True, help="Best of this many runs.")
def patterns(as_json: bool, file_: str | None, cycles: int | None, repeat: int) -> None:
    """Query throughput (haps/s) of the benchmark patterns, one cycle at a time."""
    path = Path(file_) if file_ else default_file()
    definition = json.loads(path.read_text()) if path else DEFAULT_PATTERNS
    if cycles is not None:
        definition = {**definition, "cycles": cycles}
    results = run_bench(definition, repeat=repeat)
    if as_json:
        click.echo(json.dumps({"patterns": results}, indent=2))
        return
    click.echo(f"{'pattern':<12}{'haps':>8}{'seconds':>10}{'haps/s':>12}")
    for name, r in results.items():
        click.echo(f"{name:<12}{int(r['haps']):>8}{r['seconds']:>10.3f}{r['haps_per_s']:>12,.0f}")

"""Pattern conformance: run reference cases (Strudel outputs) against this library.

The comparison rule is the one in ``shared/conformance/README.md``: same number of
haps, compared as multisets after sorting; ``whole``/``part`` equal as exact fractions
(``whole`` ``None`` exactly where expected); numbers equal within a relative tolerance
of 1e-9 (absolute floor 1e-12), ints and floats alike; strings/booleans/null identical;
lists element by element; dicts with the same keys, key by key.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from quicktions import Fraction

from livestudio.patterns.time import parse_time

REL_TOL = 1e-9
ABS_TOL = 1e-12


@dataclass
class CaseResult:
    """The outcome of one case."""

    id: str
    passed: bool
    message: str = ""
    expected: list[dict[str, Any]] = field(default_factory=list)
    actual: list[dict[str, Any]] = field(default_factory=list)


def _frac(s: str) -> Fraction:
    return parse_time(s)


def _fmt(t: Fraction) -> str:
    return str(t.numerator) if t.denominator == 1 else f"{t.numerator}/{t.denominator}"


def js_number_text(x: float | int) -> str:
    """Approximately how JavaScript's ``JSON.stringify`` prints a number."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if x != x or x in (math.inf, -math.inf):
        return "null"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    return repr(x)


def js_json(value: Any) -> str:
    """A JSON text of ``value`` close to JavaScript's (used only for sorting)."""
    if value is None or value is True or value is False:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return js_number_text(value)
    if isinstance(value, Fraction):
        return js_number_text(float(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{js_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


def to_plain(value: Any) -> Any:
    """A JSON-like copy of a hap value (Fractions become floats, tuples lists)."""
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        return None  # JSON.stringify writes NaN and Infinity as null
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def hap_record(hap: Any) -> dict[str, Any]:
    """A hap as a case-format dict (exact fraction strings)."""
    whole = None if hap.whole is None else [_fmt(hap.whole.begin), _fmt(hap.whole.end)]
    return {"whole": whole, "part": [_fmt(hap.part.begin), _fmt(hap.part.end)],
            "value": to_plain(hap.value)}


def _sort_key(rec: dict[str, Any]) -> tuple[Any, ...]:
    pb, pe = _frac(rec["part"][0]), _frac(rec["part"][1])
    wb = _frac(rec["whole"][0]) if rec["whole"] is not None else pb
    return (pb, pe, wb, js_json(rec["value"]))


def sort_records(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort by part begin, part end, whole begin (or part begin), value JSON."""
    return sorted(records, key=_sort_key)


def values_equal(expected: Any, actual: Any) -> bool:
    """The README's value rule."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float, Fraction)):
        a = float(actual)
        e = float(expected)
        if e == a:
            return True
        if math.isnan(e) or math.isnan(a):
            return False
        return abs(e - a) <= max(REL_TOL * max(abs(e), abs(a)), ABS_TOL)
    if isinstance(expected, str) or expected is None:
        return expected == actual and type(expected) is type(actual)
    if isinstance(expected, list):
        return (isinstance(actual, (list, tuple)) and len(expected) == len(actual)
                and all(values_equal(e, a) for e, a in zip(expected, actual)))
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        akeys = {str(k): v for k, v in actual.items()}
        return (set(expected) == set(akeys)
                and all(values_equal(expected[k], akeys[k]) for k in expected))
    return expected == actual


def records_equal(e: dict[str, Any], a: dict[str, Any]) -> bool:
    """Whole, part and value match."""
    if (e["whole"] is None) != (a["whole"] is None):
        return False
    if e["whole"] is not None and [_frac(x) for x in e["whole"]] != [_frac(x) for x in a["whole"]]:
        return False
    if [_frac(x) for x in e["part"]] != [_frac(x) for x in a["part"]]:
        return False
    return values_equal(e["value"], a["value"])


def compare(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> str:
    """Empty string when they match, else a description of the first difference."""
    if len(expected) != len(actual):
        prefix = f"expected {len(expected)} haps, got {len(actual)}"
    else:
        prefix = ""
    # multiset match: greedy over sorted lists, robust to value-order ties
    remaining = list(actual)
    unmatched_expected = []
    for e in sort_records(expected):
        for i, a in enumerate(remaining):
            if records_equal(e, a):
                del remaining[i]
                break
        else:
            unmatched_expected.append(e)
    if not prefix and not unmatched_expected and not remaining:
        return ""
    parts = [prefix] if prefix else []
    if unmatched_expected:
        parts.append(f"first missing hap: {json.dumps(unmatched_expected[0])}")
    if remaining:
        parts.append(f"first unexpected hap: {json.dumps(sort_records(remaining)[0], default=str)}")
    return "; ".join(parts)


def eval_namespace() -> dict[str, Any]:
    """The public ``livestudio`` namespace that case expressions are evaluated in."""
    import livestudio

    return dict(vars(livestudio))


def run_case(case: dict[str, Any], namespace: dict[str, Any] | None = None) -> CaseResult:
    """Evaluate one case's ``py`` expression, query its span and compare."""
    ns = eval_namespace() if namespace is None else namespace
    cid = case.get("id", "?")
    expected = case["haps"]
    try:
        pat = eval(case["py"], dict(ns))  # noqa: S307 - reference expressions, by design
        begin, end = case["span"]
        haps = pat.query_arc(_frac(begin), _frac(end))
        actual = [hap_record(h) for h in haps]
    except Exception as exc:  # report any failure of the library as a failed case
        return CaseResult(cid, False, f"raised {type(exc).__name__}: {exc}", expected, [])
    msg = compare(expected, actual)
    return CaseResult(cid, not msg, msg, expected, actual)


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """The cases of a conformance file."""
    data = json.loads(Path(path).read_text())
    return list(data["cases"])


def run_file(path: str | Path, *, only: str | None = None) -> list[CaseResult]:
    """Run every case of a file (or only ids starting with ``only``)."""
    ns = eval_namespace()
    return [run_case(c, ns) for c in load_cases(path)
            if only is None or c["id"].startswith(only)]

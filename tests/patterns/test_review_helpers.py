"""Helpers for the review tests: an exact hap comparison (the conformance README rule)
and an independent implementation of Strudel's legacy time-hashed RNG.

Expected haps are written by hand as tuples:

- ``(b, e, value)``: whole == part == [b, e)
- ``(wb, we, pb, pe, value)``: a fragment
- ``(None, pb, pe, value)``: a continuous hap (no whole)

Times are strings such as ``"1/3"`` or ints.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction as F
from typing import Any

# ---------------------------------------------------------------- legacy RNG (own code)
_SPAN = 536870912  # 2 ** 29


def _int32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x


def _xorshift(x: int) -> int:
    a = _int32(_int32(x << 13) ^ x)
    b = _int32((a >> 17) ^ a)
    return _int32(_int32(b << 5) ^ b)


def _seed(t: float) -> int:
    x = t / 300
    return _xorshift(math.trunc((x - math.trunc(x)) * _SPAN))


def _seed_to_float(x: int) -> float:
    return math.fmod(x, _SPAN) / _SPAN


def rnd(t: Any) -> float:
    """Strudel's ``rand`` at time ``t`` (a float, or a fraction converted to float)."""
    return abs(_seed_to_float(_seed(float(t))))


def rnds(t: Any, n: int) -> list[float]:
    """``timeToRands(t, n)``: n successive (signed) values from one seed."""
    s = _seed(float(t))
    out = []
    for _ in range(n):
        out.append(_seed_to_float(s))
        s = _xorshift(s)
    return out


# ---------------------------------------------------------------- comparison
def _t(x: Any) -> F:
    return F(x) if not isinstance(x, str) else F(x)


def expected_record(item: tuple) -> tuple:
    if item[0] is None:
        _, pb, pe, v = item
        return (None, (_t(pb), _t(pe)), v)
    if len(item) == 3:
        b, e, v = item
        return ((_t(b), _t(e)), (_t(b), _t(e)), v)
    wb, we, pb, pe, v = item
    return ((_t(wb), _t(we)), (_t(pb), _t(pe)), v)


def actual_record(hap: Any) -> tuple:
    w = hap.whole
    p = hap.part
    whole = None if w is None else (F(w.begin.numerator, w.begin.denominator),
                                    F(w.end.numerator, w.end.denominator))
    part = (F(p.begin.numerator, p.begin.denominator), F(p.end.numerator, p.end.denominator))
    return (whole, part, _plain(hap.value))


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "numerator") and not isinstance(v, (int, float, bool)):
        return float(v)
    return v


def values_equal(e: Any, a: Any) -> bool:
    if isinstance(e, bool) or isinstance(a, bool):
        return type(e) is type(a) and e == a
    if isinstance(e, (int, float)) and isinstance(a, (int, float)):
        if math.isnan(e) or math.isnan(a):
            return math.isnan(e) and math.isnan(a)
        return abs(e - a) <= max(1e-12, 1e-9 * max(abs(e), abs(a)))
    if isinstance(e, dict) and isinstance(a, dict):
        return e.keys() == a.keys() and all(values_equal(e[k], a[k]) for k in e)
    if isinstance(e, (list, tuple)) and isinstance(a, (list, tuple)):
        return len(e) == len(a) and all(values_equal(x, y) for x, y in zip(e, a))
    return type(e) is type(a) and e == a


def _key(rec: tuple) -> tuple:
    whole, part, v = rec
    return (part[0], part[1], (whole or part)[0], json.dumps(v, sort_keys=True, default=str))


def fmt(recs: list[tuple]) -> str:
    def s(span: Any) -> str:
        return "None" if span is None else f"[{span[0]}, {span[1]})"
    return "\n".join(f"  whole={s(w)} part={s(p)} value={v!r}" for w, p, v in recs)


def multiset_diff(expected: list[tuple], actual: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Records of ``expected`` with no match in ``actual``, and those of ``actual`` left over."""
    remaining = list(actual)
    missing = []
    for e in expected:
        for i, a in enumerate(remaining):
            if a[0] == e[0] and a[1] == e[1] and values_equal(e[2], a[2]):
                del remaining[i]
                break
        else:
            missing.append(e)
    return missing, remaining


def check(pat: Any, begin: Any, end: Any, expected: list[tuple]) -> None:
    """Query ``pat`` over [begin, end) and compare with ``expected`` as multisets."""
    actual = sorted((actual_record(h) for h in pat.query_arc(F(begin), F(end))), key=_key)
    exp = sorted((expected_record(x) for x in expected), key=_key)
    missing, remaining = multiset_diff(exp, actual)
    if missing or remaining:
        raise AssertionError(
            f"haps differ over [{begin}, {end})\nexpected ({len(exp)}):\n{fmt(exp)}\n"
            f"actual ({len(actual)}):\n{fmt(actual)}\nmissing:\n{fmt(missing)}\n"
            f"unexpected:\n{fmt(remaining)}")


def seq_haps(values: list[Any], cycle: int = 0, begin: F = F(0), end: F = F(1)) -> list[tuple]:
    """Whole-and-part haps for ``values`` evenly spread over [cycle+begin, cycle+end)."""
    n = len(values)
    step = (end - begin) / n
    out = []
    for i, v in enumerate(values):
        if v is None:
            continue
        b = cycle + begin + i * step
        out.append((b, b + step, v))
    return out


# ---------------------------------------------------------------- self-checks
def _public_cases() -> dict[str, dict]:
    from livestudio.testing.paths import shared_dir

    path = shared_dir() / "conformance" / "strudel-cases.json"
    return {c["id"]: c for c in json.loads(path.read_text())["cases"]}


def test_own_rng_matches_public_cases() -> None:
    """The RNG above reproduces Strudel's rand/irand/perlin values in the public cases."""
    cases = _public_cases()
    for cid, f in [
        ("random/rand-01", rnd),
        ("random/rand-03", rnd),
        ("random/irand-01", lambda t: math.trunc(rnd(t) * 8)),
        ("random/perlin-01", lambda t: rnd(math.floor(t)) + (
            6 * (t - math.floor(t)) ** 5 - 15 * (t - math.floor(t)) ** 4
            + 10 * (t - math.floor(t)) ** 3) * (rnd(math.floor(t) + 1) - rnd(math.floor(t)))),
    ]:
        for h in cases[cid]["haps"]:
            t = float(F(h["whole"][0]))
            assert values_equal(h["value"], f(t)), (cid, h)


def test_check_helper_detects_differences() -> None:
    from livestudio.patterns import fastcat

    check(fastcat("a", "b"), 0, 1, [("0", "1/2", "a"), ("1/2", "1", "b")])
    try:
        check(fastcat("a", "b"), 0, 1, [("0", "1/2", "a"), ("1/2", "1", "c")])
    except AssertionError:
        pass
    else:  # pragma: no cover
        raise AssertionError("check() accepted a wrong value")

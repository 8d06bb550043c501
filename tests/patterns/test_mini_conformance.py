"""Mini-notation against Strudel 1.2.6, checked by the conformance README's rule.

Runs every ``mini/`` case of ../shared/conformance/strudel-cases.json plus the
``random/`` cases that use ``?`` or ``|``, and the 250 cases of
``data/mini_strudel_extra.json``: random mini strings (every operator, nested,
with the README's spans) evaluated by the real @strudel/mini 1.2.6 under Node 20.
Comparison: exact times, numbers within 1e-9 relative.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import pytest
from livestudio.patterns.time import parse_time as Fraction  # quicktions.Fraction(str) is unsafe

from livestudio.patterns.mini import mini

CASES_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "strudel-cases.json"
EXTRA_FILE = Path(__file__).resolve().parent / "data" / "mini_strudel_extra.json"


def _load() -> list[dict[str, Any]]:
    if not CASES_FILE.exists():
        return []
    cases = json.loads(CASES_FILE.read_text())["cases"]
    return [c for c in cases if c["id"].startswith("mini/")
            or (c["id"].startswith("random/") and ("?" in c["py"] or "|" in c["py"]))]


@functools.lru_cache(maxsize=1)
def _namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {"mini": mini}
    try:
        import livestudio

        namespace.update({k: getattr(livestudio, k) for k in dir(livestudio)
                          if not k.startswith("_")})
    except ImportError:  # pragma: no cover
        pass
    namespace["mini"] = mini
    return namespace


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b or a == b and type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, list) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    return False


def _span(x: Any) -> tuple[Fraction, Fraction] | None:
    return None if x is None else (Fraction(x[0]), Fraction(x[1]))


def _key(whole: Any, part: Any, value: Any) -> tuple[Any, ...]:
    return (part[0], part[1], whole[0] if whole else part[0], json.dumps(value))


def check_case(case: dict[str, Any], namespace: dict[str, Any]) -> str | None:
    """None when the case passes, else a description of the first difference."""
    pat = eval(case["py"], namespace)  # noqa: S307 - trusted test data
    haps = pat.query_arc(Fraction(case["span"][0]), Fraction(case["span"][1]))
    actual = sorted(((None if h.whole is None else (h.whole.begin, h.whole.end),
                      (h.part.begin, h.part.end), h.value) for h in haps),
                    key=lambda t: _key(*t))
    expected = sorted(((_span(h["whole"]), _span(h["part"]), h["value"])
                       for h in case["haps"]), key=lambda t: _key(*t))
    if len(actual) != len(expected):
        return f"{len(actual)} haps, expected {len(expected)}: {actual[:6]} vs {expected[:6]}"
    unmatched = list(actual)
    for exp in expected:
        for i, act in enumerate(unmatched):
            if act[0] == exp[0] and act[1] == exp[1] and _same_value(exp[2], act[2]):
                del unmatched[i]
                break
        else:
            return f"missing {exp}; got {unmatched[:4]}"
    return None


CASES = _load()
EXTRA = json.loads(EXTRA_FILE.read_text())["cases"]


@pytest.mark.skipif(not CASES, reason="shared conformance cases not found")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_strudel_case(case: dict[str, Any]) -> None:
    problem = check_case(case, _namespace())
    assert problem is None, f"{case['py']} over {case['span']}: {problem}"


@pytest.mark.parametrize("case", EXTRA, ids=[c["id"] for c in EXTRA])
def test_extra_strudel_case(case: dict[str, Any]) -> None:
    problem = check_case(case, _namespace())
    assert problem is None, f"{case['py']} over {case['span']}: {problem}"

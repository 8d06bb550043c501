"""Time, TimeSpan and Hap basics."""

from __future__ import annotations

import pytest
from quicktions import Fraction

from livestudio.errors import PatternError
from livestudio.patterns.hap import Hap, combine_contexts
from livestudio.patterns.time import cycle_pos, next_sam, sam, to_time
from livestudio.patterns.timespan import TimeSpan

F = Fraction


@pytest.mark.parametrize("x, expected", [
    (0.25, F(1, 4)), (0.125, F(1, 8)), (1.5, F(3, 2)), (0.1, F(1, 10)), (0.3, F(3, 10)),
    (0.3333333333333333, F(1, 3)), (0.16666666666666666, F(1, 6)), (-0.25, F(-1, 4)),
    (2, F(2)), (0.0003 * 3, F(9, 10000)), (12.75, F(51, 4)), ("3/4", F(3, 4)), (F(2, 3), F(2, 3)),
])
def test_to_time_matches_fraction_js(x: object, expected: Fraction) -> None:
    assert to_time(x) == expected


@pytest.mark.parametrize("bad", ["abc", None, [1], float("nan")])
def test_to_time_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(PatternError):
        to_time(bad)


def test_sam_and_cycle_pos() -> None:
    assert sam(F(7, 3)) == 2 and next_sam(F(7, 3)) == 3 and cycle_pos(F(7, 3)) == F(1, 3)
    assert sam(F(-1, 3)) == -1 and cycle_pos(F(-1, 3)) == F(2, 3)


def test_span_cycles() -> None:
    assert TimeSpan(F(1, 2), F(5, 2)).span_cycles() == [
        TimeSpan(F(1, 2), F(1)), TimeSpan(F(1), F(2)), TimeSpan(F(2), F(5, 2))]
    assert TimeSpan(F(0), F(1)).span_cycles() == [TimeSpan(F(0), F(1))]
    assert TimeSpan(F(1), F(1)).span_cycles() == [TimeSpan(F(1), F(1))]
    assert TimeSpan(F(-1, 2), F(1, 2)).span_cycles() == [
        TimeSpan(F(-1, 2), F(0)), TimeSpan(F(0), F(1, 2))]


def test_intersection_rules() -> None:
    a = TimeSpan(F(0), F(1))
    assert a.intersection(TimeSpan(F(1, 2), F(2))) == TimeSpan(F(1, 2), F(1))
    assert a.intersection(TimeSpan(F(1), F(2))) is None
    assert a.intersection(TimeSpan(F(1), F(1))) is None  # zero width at the end
    assert a.intersection(TimeSpan(F(0), F(0))) == TimeSpan(F(0), F(0))
    with pytest.raises(ValueError):
        a.intersection_e(TimeSpan(F(2), F(3)))


def test_hap_onset_and_context() -> None:
    h = Hap(TimeSpan(F(0), F(1)), TimeSpan(F(0), F(1, 2)), "a")
    assert h.has_onset()
    assert not Hap(TimeSpan(F(0), F(1)), TimeSpan(F(1, 2), F(1)), "a").has_onset()
    assert not Hap(None, TimeSpan(F(0), F(1)), 1).has_onset()
    merged = combine_contexts({"locations": [(0, 1)], "x": 1}, {"locations": [(2, 3)]})
    assert merged == {"locations": [(0, 1), (2, 3)], "x": 1}


def test_parsing_times_from_text_leaves_the_interpreter_intact() -> None:
    """quicktions.Fraction("7") corrupts CPython's one-byte bytes cache; we never call it."""
    from livestudio.conformance import _frac
    from livestudio.patterns.time import parse_time, to_time

    for text in ["0", "1", "7", "-1", "1/3", "10", "0.5"]:
        parse_time(text)
        to_time(text)
        _frac(text)
    assert [bytes([i])[0] for i in range(256)] == list(range(256))

"""Mini-notation patterns: values, timing, source locations, caching and limits."""

from __future__ import annotations

import pytest
from quicktions import Fraction

from livestudio.errors import LivestudioError, MiniNotationError
from livestudio.patterns.mini import mini


def events(source: str, begin: float = 0, end: float = 1) -> list[tuple[str, str, object]]:
    """(whole begin, whole end, value) of the onsets in [begin, end)."""
    haps = mini(source).query_arc(begin, end)
    haps.sort(key=lambda h: (h.part.begin, str(h.value)))
    return [(str(h.whole.begin), str(h.whole.end), h.value) for h in haps if h.has_onset()]


def values(source: str, begin: float = 0, end: float = 1) -> list[object]:
    return [v for _, _, v in events(source, begin, end)]


def test_sequence_timing() -> None:
    assert events("a [b c]") == [("0", "1/2", "a"), ("1/2", "3/4", "b"), ("3/4", "1", "c")]


def test_numbers_and_strings() -> None:
    assert values("1e3 .5 5. -2.5 c#3 t true") == [1000, 0.5, 5, -2.5, "c#3", "t", "true"]


def test_every_leaf_carries_its_location() -> None:
    source = "bd*2 [~ sn:3] <hh oh>"
    haps = mini(source).query_arc(0, 2)
    for hap in haps:
        locations = hap.context["locations"]
        assert locations, hap
        texts = {source[b:e] for b, e in locations}
        value = hap.value[0] if isinstance(hap.value, list) else hap.value
        assert value in texts
    sn = next(h for h in haps if isinstance(h.value, list))
    assert sorted(sn.context["locations"]) == [(8, 10), (11, 12)]


def test_patterned_tail_and_range() -> None:
    assert values("bd:<1 2>", 0, 2) == [["bd", 1], ["bd", 2]]
    assert values("0 .. <2 4>", 0, 2) == [0, 1, 2, 0, 1, 2, 3, 4]
    assert values("[0 1] .. 2") == [0, 1, 2, 1, 2]
    assert values("a .. 3") == []  # not numbers: nothing, as in Strudel


def test_range_with_fractional_ends() -> None:
    assert values("0.5 .. 3") == [0.5, 1.5, 2.5]
    assert values("2 .. 2") == [2]


def test_zero_weight_counts_as_one() -> None:
    assert events("a@0 b") == events("a b")


def test_weighted_alternation_and_polymeter() -> None:
    assert values("<a@3 b>", 0, 8) == ["a", "b", "a", "b"]
    assert values("{a b c, d e}") == ["a", "d", "b", "e", "c", "d"]
    assert values("{a b c}%<2 4>", 0, 2) == ["a", "b", "b", "c", "a", "b"]


def test_euclid_arguments_ignore_their_own_operators() -> None:
    # as in Strudel, `*2` written on a euclid argument is dropped
    assert events("a(<3 5>*2,8)", 0, 2) == events("a(<3 5>,8)", 0, 2)


def test_degrade_and_choice_are_deterministic() -> None:
    assert mini("a*16?").query_arc(0, 4) == mini("a*16?").query_arc(0, 4)
    assert 0 < len(values("a*16?", 0, 4)) < 64
    chosen = values("[a|b|c]*8", 0, 4)
    assert set(chosen) <= {"a", "b", "c"} and len(chosen) == 32


def test_several_strings_play_in_sequence() -> None:
    assert values("a b", 0, 1) == ["a", "b"]
    assert [v for _, _, v in events("a", 0, 1)] == ["a"]
    assert [h.value for h in mini("a", "b c").query_arc(0, 1)] == ["a", "b", "c"]


def test_steps_counts() -> None:
    assert mini("a b c")._steps == 3
    assert mini("a@3 b")._steps == 4
    assert mini("[a b c]")._steps == 1


@pytest.mark.parametrize("source, count", [
    ("a [^b c]", 4), ("[^b c]!3", 6), ("[a b c] [d [e f]]", 2), ("^[a b c] [d [e f]]", 2),
    ("[a b c] [d [^e f]]", 8), ("[^a b c] [^d [e f]]", 12), ("[^a b c] [d [^e f]]", 24),
    ("[^a b c d e]", 5), ("[^a b c d e]*2", 5), ("<^a b, c>", 2),
])
def test_caret_marks_step_sources(source: str, count: int) -> None:
    assert mini(source)._steps == count
    assert values(source.replace("^", "")) == values(source)


def test_empty_string_is_silence() -> None:
    assert mini("").query_arc(0, 4) == []
    assert mini("~ -").query_arc(0, 4) == []


def test_patterns_are_cached() -> None:
    assert mini("bd*2 [~ sn]") is mini("bd*2 [~ sn]")


@pytest.mark.parametrize("source, match", [
    ("a*1e9", "out of range"),
    ("a*5000 b*5001", "too dense"),
    ("[a*1000]*1000", "too dense"),
    ("a!100000", "too dense"),
    ("a(3,1e9)", "euclid"),
    ("0 .. 1e9", "range too long"),
    ("a 0 .. 990 .. 3", "too dense"),
    ("{a b}%1e9", "out of range"),
    ("a*0.000001", "out of range"),
    ("a@1e-9 b", "out of range"),
    ("{a@-1 b@1, c}", "add up to zero"),
])
def test_pathological_strings_are_refused(source: str, match: str) -> None:
    with pytest.raises(MiniNotationError, match=match) as info:
        mini(source)
    assert 0 <= info.value.column <= len(source)


def test_bad_factors_are_reported_with_their_column() -> None:
    with pytest.raises(MiniNotationError) as info:
        mini("a b*c")  # a factor that is not a number
    assert info.value.column == 4
    with pytest.raises(MiniNotationError) as info:
        mini("{a b}%x")
    assert info.value.column == 6
    pat = mini("a*<2 x>")  # patterned: found when the cycle is queried
    assert len(pat.query_arc(0, 1)) == 2
    with pytest.raises(LivestudioError):
        pat.query_arc(1, 2)


def test_fractional_times_are_exact() -> None:
    (hap,) = [h for h in mini("a@0.1 b").query_arc(0, 1) if h.value == "a"]
    assert hap.whole.end == Fraction(1, 11)

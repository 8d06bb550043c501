"""Constructors, primitives and the register/patternify machinery."""

from __future__ import annotations

import pytest
from quicktions import Fraction

from livestudio.errors import PatternError
from livestudio.patterns import (
    Pattern, cat, fastcat, polymeter, polymeter_steps, pure, register, reify, silence,
    slowcat, stack, timecat,
)
from livestudio.patterns.randomness import choose_by_cycle_seeded, seeded_rand
from livestudio.patterns.signals import rand

F = Fraction


def spans(pat: Pattern, b: object = 0, e: object = 1) -> list[tuple[str, str, object]]:
    haps = sorted(pat.query_arc(b, e), key=lambda h: (h.part.begin, str(h.value)))
    return [(str(h.whole.begin), str(h.whole.end), h.value) for h in haps]


def test_pure_silence_stack() -> None:
    assert spans(pure("a"), 0, 2) == [("0", "1", "a"), ("1", "2", "a")]
    assert silence.query_arc(0, 10) == []
    assert sorted(h.value for h in stack(pure(1), pure(2)).first_cycle()) == [1, 2]


def test_pure_fragments_keep_their_whole() -> None:
    (h,) = pure("a").query_arc(F(1, 3), F(2, 3))
    assert (h.whole.begin, h.whole.end, h.part.begin, h.part.end) == (0, 1, F(1, 3), F(2, 3))


def test_slowcat_plays_each_cycle_of_each_pattern() -> None:
    pat = slowcat(fastcat(pure("a"), pure("b")), slowcat(pure("c"), pure("d")))
    values = [h.value for h in sorted(pat.query_arc(0, 4), key=lambda h: h.part.begin)]
    assert values == ["a", "b", "c", "a", "b", "d"]
    assert cat is not None


def test_fastcat_and_timecat() -> None:
    assert spans(fastcat(pure("a"), pure("b"), pure("c"))) == [
        ("0", "1/3", "a"), ("1/3", "2/3", "b"), ("2/3", "1", "c")]
    assert spans(timecat((3, pure("a")), (1, pure("b")))) == [("0", "3/4", "a"), ("3/4", "1", "b")]
    assert fastcat(pure(1), pure(2))._steps == 2


def test_fastcat_negative_and_offset_queries() -> None:
    pat = fastcat(pure("a"), slowcat(pure("b"), pure("c")))
    assert spans(pat, -1, 0) == [("-1", "-1/2", "a"), ("-1/2", "0", "c")]
    (h,) = pat.query_arc(F(1, 4), F(1, 4))
    assert h.value == "a" and h.part.begin == h.part.end == F(1, 4)


def test_polymeter_steps_and_lcm() -> None:
    abc = [pure("a"), pure("b"), pure("c")]
    assert [v for _, _, v in spans(polymeter_steps(2, abc), 0, 2)] == ["a", "b", "c", "a"]
    assert [v for _, _, v in spans(polymeter_steps(None, abc, [pure("d"), pure("e")]))] == \
        ["a", "d", "b", "e", "c", "d"]
    assert len(polymeter(fastcat(*abc), fastcat(pure("d"), pure("e"))).first_cycle()) == 12
    patterned = polymeter_steps(slowcat(pure(2), pure(4)), abc)
    assert len(patterned.query_arc(0, 1)) == 2 and len(patterned.query_arc(1, 2)) == 4


def test_patterned_arguments_join_per_value() -> None:
    pat = fastcat(*[pure(x) for x in "abcd"]).fast(slowcat(pure(1), pure(2)))
    assert len(pat.query_arc(0, 1)) == 4 and len(pat.query_arc(1, 2)) == 8


def test_pure_argument_is_applied_directly() -> None:
    # a pure factor does not split events at cycle boundaries (Strudel register)
    pat = fastcat(pure("a"), pure("b")).slow(pure(3))
    assert spans(pat, 0, 3) == [("0", "3/2", "a"), ("3/2", "3", "b")]


def test_with_location_keeps_purity() -> None:
    pat = pure(2).with_location(3, 4)
    assert pat._pure == 2
    assert pat.first_cycle()[0].context["locations"] == [(3, 4)]
    inner = fastcat(pure("a"), pure("b")).with_location(0, 1).fast(pat)
    assert inner.first_cycle()[0].context["locations"] == [(0, 1)]


def test_register_makes_method_free_function_and_plain_form() -> None:
    def _twice(n: object, pat: Pattern) -> Pattern:
        """Repeat n times."""
        return pat._fast(n)

    free = register("test_twice_demo", _twice)
    assert len(pure(1).test_twice_demo(3).first_cycle()) == 3
    assert len(free(3, pure(1)).first_cycle()) == 3
    assert len(free(3)(pure(1)).first_cycle()) == 3
    assert len(pure(1)._test_twice_demo(2).first_cycle()) == 2
    with pytest.raises(PatternError):
        pure(1).test_twice_demo()


def test_reify() -> None:
    p = pure(1)
    assert reify(p) is p
    assert reify(5).first_cycle()[0].value == 5
    assert [h.value for h in reify(["a", "b"]).first_cycle()] == ["a", "b"]


def test_seeded_helpers_for_mini() -> None:
    assert seeded_rand(0).query_arc(0, 1)[0].value == rand.query_arc(0, 1)[0].value
    shifted = seeded_rand(2).query_arc(F(1, 2), 1)[0].value
    assert shifted == rand.query_arc(F(1, 2) + F(6, 10000), 1)[0].value
    kept = pure("a").fast(8).degrade_by_with(seeded_rand(0), 0.5)
    assert [h.whole.begin for h in kept.first_cycle()] == \
        [h.whole.begin for h in pure("a").fast(8).degrade_by(0.5).first_cycle()]
    choice = choose_by_cycle_seeded(0, [pure("a"), pure("b"), pure("c")])
    for c in range(4):
        (h,) = choice.query_arc(c, c + 1)
        assert h.value in "abc"

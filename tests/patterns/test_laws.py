"""Property tests (hypothesis) for the laws of the pattern algebra."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quicktions import Fraction

from livestudio.patterns import Pattern, cat, fastcat, pure, slowcat, stack, timecat

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

small_fractions = st.builds(Fraction, st.integers(1, 8), st.integers(1, 6))
times = st.builds(Fraction, st.integers(-12, 24), st.integers(1, 6))


def _leaf() -> st.SearchStrategy[Pattern]:
    return st.sampled_from("abcde").map(pure)


def _extend(children: st.SearchStrategy[Pattern]) -> st.SearchStrategy[Pattern]:
    lists = st.lists(children, min_size=1, max_size=3)
    return st.one_of(
        lists.map(lambda ps: fastcat(*ps)),
        lists.map(lambda ps: slowcat(*ps)),
        lists.map(lambda ps: stack(*ps)),
        st.lists(st.tuples(st.integers(1, 3), children), min_size=1, max_size=3)
        .map(lambda pairs: timecat(*pairs)),
        st.tuples(children, small_fractions).map(lambda t: t[0].fast(t[1])),
        st.tuples(children, small_fractions).map(lambda t: t[0].slow(t[1])),
        st.tuples(children, times).map(lambda t: t[0].early(t[1])),
        children.map(lambda p: p.rev()),
        st.tuples(children, st.integers(1, 5), st.integers(2, 8), st.integers(-3, 3))
        .map(lambda t: t[0].euclid_rot(t[1], t[2], t[3])),
        st.tuples(children, st.integers(1, 3)).map(lambda t: t[0].ply(t[1])),
        st.tuples(children, st.integers(1, 3)).map(lambda t: t[0].every(t[1], lambda p: p.fast(2))),
        children.map(lambda p: p.degrade_by(0.5)),
        children.map(lambda p: p.palindrome()),
        st.tuples(children, st.integers(1, 4)).map(lambda t: t[0].iter(t[1])),
        st.tuples(children, children).map(lambda t: t[0].fast(slowcat(pure(1), pure(2))).stack(t[1])),
        st.tuples(children, st.integers(1, 8)).map(lambda t: t[0].segment(t[1])),
        st.tuples(children, children).map(lambda t: t[0].struct(t[1].fmap(lambda v: v != "a"))),
        st.tuples(children, children).map(lambda t: t[0].mask(t[1].fmap(lambda v: v != "b"))),
        children.map(lambda p: p.fmap(str.upper)),
        children.map(lambda p: p.keep.mix(fastcat(pure(1), pure(2)))),
        st.tuples(children, st.integers(1, 3), st.integers(1, 3))
        .map(lambda t: t[0].linger(Fraction(1, t[1] + 1)).chunk(t[2], lambda p: p.rev())),
        st.tuples(children, small_fractions).map(lambda t: t[0].off(t[1], lambda p: p.ply(2))),
    )


patterns = st.recursive(_leaf(), _extend, max_leaves=6)


def key(h: Any) -> tuple[Any, ...]:
    whole = None if h.whole is None else (h.whole.begin, h.whole.end)
    return (h.part.begin, h.part.end, whole, str(h.value))


def haps(pat: Pattern, b: Fraction, e: Fraction) -> list[tuple[Any, ...]]:
    return sorted(key(h) for h in pat.query_arc(b, e))


def onsets(pat: Pattern, b: Fraction, e: Fraction) -> list[tuple[Any, ...]]:
    return sorted((h.whole.begin, h.whole.end, str(h.value))
                  for h in pat.query_arc(b, e) if h.has_onset())


@SETTINGS
@given(patterns, times, st.integers(1, 12), st.integers(1, 12))
def test_splitting_a_query_never_changes_onsets(pat: Pattern, b: Fraction, d1: int, d2: int) -> None:
    m = b + Fraction(d1, 4)
    e = m + Fraction(d2, 3)
    assert onsets(pat, b, e) == sorted(onsets(pat, b, m) + onsets(pat, m, e))


@SETTINGS
@given(patterns, small_fractions, small_fractions)
def test_fast_composes(pat: Pattern, a: Fraction, b: Fraction) -> None:
    assert haps(pat.fast(a).fast(b), Fraction(0), Fraction(3)) == \
        haps(pat.fast(a * b), Fraction(0), Fraction(3))


@SETTINGS
@given(patterns, st.integers(-3, 3))
def test_rev_is_an_involution(pat: Pattern, c: int) -> None:
    # rev works cycle by cycle, so compare cycle-by-cycle queries (same fragments)
    for cyc in (c, c + 1):
        b, e = Fraction(cyc), Fraction(cyc + 1)
        assert haps(pat.rev().rev(), b, e) == haps(pat, b, e)


@SETTINGS
@given(patterns, times)
def test_early_then_late_is_identity(pat: Pattern, x: Fraction) -> None:
    b, e = Fraction(-1, 3), Fraction(7, 3)
    assert haps(pat.early(x).late(x), b, e) == haps(pat, b, e)


@SETTINGS
@given(patterns)
def test_stack_and_cat_of_one_pattern_is_the_pattern(pat: Pattern) -> None:
    b, e = Fraction(-1, 2), Fraction(5, 2)
    expected = haps(pat, b, e)
    assert haps(stack(pat), b, e) == expected
    assert haps(cat(pat), b, e) == expected
    assert haps(slowcat(pat), b, e) == expected
    assert haps(fastcat(pat), b, e) == expected

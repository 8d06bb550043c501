"""Review tests: haps derived by hand from Strudel 1.2.x definitions (see
docs/.review-findings.md for the divergences these found).

Each expectation was worked out from the Strudel definition quoted in the test's
docstring, not by running this library. Random values come from the independent RNG
in test_review_helpers.py (cross-checked against the public conformance cases).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_review_helpers import check, rnd, rnds, seq_haps

from livestudio.patterns import (  # noqa: E402
    choose,
    cosine,
    fastcat,
    irand,
    isaw,
    n,
    perlin,
    pure,
    rand,
    run,
    s,
    saw,
    scan,
    sine,
    square,
    stack,
    tri,
    wchoose,
)
from livestudio.patterns.mini import mini


def Fr(a: int, b: int = 1):
    from fractions import Fraction

    return Fraction(a, b)


# =========================================================================== signals
def test_cosine_segment() -> None:
    """cosine = sine._early(1/4); sampled at each whole's begin."""
    sine_at = lambda t: (math.sin(math.pi * 2 * t) + 1) / 2  # noqa: E731
    check(cosine.segment(4), 0, 1,
          [(Fr(k, 4), Fr(k + 1, 4), sine_at(k / 4 + 0.25)) for k in range(4)])


def test_isaw_segment_second_cycle() -> None:
    """isaw = 1 - (t % 1)."""
    check(isaw.segment(4), 1, 2,
          [(1, "5/4", 1), ("5/4", "3/2", 0.75), ("3/2", "7/4", 0.5), ("7/4", 2, 0.25)])


def test_saw_negative_time_uses_js_remainder() -> None:
    """saw = t % 1 with JavaScript's remainder: saw(-1/2) = -0.5, saw(-1) = -0."""
    check(saw.segment(2), -1, 0, [(-1, "-1/2", 0), ("-1/2", 0, -0.5)])


def test_square_continuous_offset_span() -> None:
    """A continuous query gives one hap, value at the span's begin: floor((3/4*2) % 2)."""
    check(square, "3/4", "5/4", [(None, "3/4", "5/4", 1)])


def test_saw_continuous_query_is_not_split_at_cycles() -> None:
    check(saw, "1/2", "3/2", [(None, "1/2", "3/2", 0.5)])


def test_tri_continuous_offset_span() -> None:
    """tri = fastcat(saw, isaw): [1/4,1/2) samples saw at 1/2, [1/2,3/4) isaw at 0."""
    check(tri, "1/4", "3/4", [(None, "1/4", "1/2", 0.5), (None, "1/2", "3/4", 1)])


def test_rand_continuous_offset() -> None:
    check(rand, "1/2", 1, [(None, "1/2", 1, rnd(0.5))])


def test_irand_continuous_splits_at_cycle_boundary() -> None:
    """irand(n) = reify(n).fmap(_irand).innerJoin(): the pure(8) outer splits per cycle."""
    check(irand(8), "1/2", "3/2", [(None, "1/2", 1, math.trunc(rnd(0.5) * 8)),
                                   (None, 1, "3/2", math.trunc(rnd(1) * 8))])


def test_perlin_segment_second_cycle() -> None:
    """perlin: rand(floor t) + smootherstep(frac t) * (rand(floor t + 1) - rand(floor t))."""
    a, b = rnd(1), rnd(2)
    check(perlin.segment(2), 1, 2, [(1, "3/2", a), ("3/2", 2, a + 0.5 * (b - a))])


def test_irand_patterned_offset_span() -> None:
    """irand("<4 16>").segment(2) over [1/4, 7/4): fragments keep whole-begin samples."""
    check(irand("<4 16>").segment(2), "1/4", "7/4", [
        (0, "1/2", "1/4", "1/2", math.trunc(rnd(0) * 4)),
        ("1/2", 1, math.trunc(rnd(0.5) * 4)),
        (1, "3/2", math.trunc(rnd(1) * 16)),
        ("3/2", 2, "3/2", "7/4", math.trunc(rnd(1.5) * 16)),
    ])


def test_sine_as_argument_of_range() -> None:
    """saw.range("<0 10>", 20).segment(2): range = mul(max-min).add(min), per cycle."""
    check(saw.range("<0 10>", 20).segment(2), 0, 2,
          [(0, "1/2", 0), ("1/2", 1, 10), (1, "3/2", 10), ("3/2", 2, 15)])


def test_rangex() -> None:
    """rangex(min, max) = _range(log min, log max).fmap(exp)."""
    l1, l2 = math.log(20), math.log(2000)
    check(mini("0 0.5 1").rangex(20, 2000), 0, 1,
          [(Fr(k, 3), Fr(k + 1, 3), math.exp(x * (l2 - l1) + l1))
           for k, x in enumerate([0, 0.5, 1])])


def test_range_patterned_max() -> None:
    """range(0, "1 2") splits each event at the argument's structure (innerJoin)."""
    check(mini("0.5").range(0, "1 2"), 0, 1,
          [(0, 1, 0, "1/2", 0.5), (0, 1, "1/2", 1, 1)])


# =========================================================================== run / scan
def test_run_patterned() -> None:
    check(run("<2 4>"), 0, 2, seq_haps([0, 1]) + seq_haps([0, 1, 2, 3], cycle=1))


def test_run_offset_span_later_cycles() -> None:
    """run(5) = saw.range(0, 5).round().segment(5); round, not floor: in cycle 1,
    saw(6/5) * 5 is 0.9999999999999998 in floating point."""
    exp = [("1/5", "2/5", "1/3", "2/5", 1)]
    exp += [(Fr(k, 5), Fr(k + 1, 5), k) for k in range(2, 5)]
    exp += [(1 + Fr(k, 5), 1 + Fr(k + 1, 5), k) for k in range(5)]
    exp += [(2, "11/5", 0), ("11/5", "12/5", "11/5", "7/3", 1)]
    check(run(5), "1/3", "7/3", exp)


def test_scan() -> None:
    """scan(n) = slowcat(run(1), ..., run(n))."""
    check(scan(3), 0, 3, [(0, 1, 0)] + seq_haps([0, 1], cycle=1) + seq_haps([0, 1, 2], cycle=2))


# =========================================================================== choose
def test_choose_segment() -> None:
    """choose(...xs) = chooseWith(rand, xs): xs[clamp(floor(rand * len))]."""
    xs = ["a", "b", "c"]
    check(choose(*xs).segment(4), 0, 1,
          [(Fr(k, 4), Fr(k + 1, 4), xs[min(max(math.floor(rnd(k / 4) * 3), 0), 2)])
           for k in range(4)])


def test_choose_as_control_argument() -> None:
    vals = [0, 2, 4]
    exp = []
    for k in range(4):
        t = 1 + k / 4
        exp.append((1 + Fr(k, 4), 1 + Fr(k + 1, 4),
                    {"s": "bd", "n": vals[min(max(math.floor(rnd(t) * 3), 0), 2)]}))
    check(s("bd*4").n(choose(*vals)), 1, 2, exp)


def test_wchoose_segment() -> None:
    """wchoose: first cumulative weight > rand * total."""
    def pick(r: float) -> str:
        find = r * 4
        return "a" if 1 > find else "b"

    check(wchoose(["a", 1], ["b", 3]).segment(4), 0, 1,
          [(Fr(k, 4), Fr(k + 1, 4), pick(rnd(k / 4))) for k in range(4)])


# =========================================================================== segment
def test_segment_patterned_cuts_events() -> None:
    """segment = struct(pure(true)._fast(rate)); the source's events become fragments."""
    check(mini("a b").segment("<1 3>"), 0, 2, [
        (0, 1, 0, "1/2", "a"), (0, 1, "1/2", 1, "b"),
        (1, "4/3", "a"),
        ("4/3", "5/3", "4/3", "3/2", "a"), ("4/3", "5/3", "3/2", "5/3", "b"),
        ("5/3", 2, "b"),
    ])


# =========================================================================== chunk
def test_chunk_repeats_source_cycles() -> None:
    """_chunk: pat.repeatCycles(n).when(_iter(n, seq(true, false...), back=true), f)."""
    check(mini("<0 10> 1").chunk(2, lambda p: p.add(100)), 0, 4,
          seq_haps([100, 1]) + seq_haps([0, 101], 1) + seq_haps([110, 1], 2)
          + seq_haps([10, 101], 3))


def test_chunk_three_offset_span() -> None:
    check(mini("0 1 2").chunk(3, lambda p: p.add(10)), "1/3", "7/3",
          [("1/3", "2/3", 1), ("2/3", 1, 2)] + seq_haps([0, 11, 2], 1) + [(2, "7/3", 0)])


def test_chunk_patterned_n() -> None:
    """n = "<4 2>": cycle c uses chunk(n) at cycle c (part c mod n)."""
    check(mini("0 1 2 3").chunk("<4 2>", lambda p: p.add(10)), 0, 4,
          seq_haps([10, 1, 2, 3]) + seq_haps([0, 1, 12, 13], 1)
          + seq_haps([0, 1, 12, 3], 2) + seq_haps([0, 1, 12, 13], 3))


def test_chunk_with_fast() -> None:
    """chunk(2, fast(2)) on "a b": cycle 0 plays [a b a b] in its first half."""
    check(mini("a b").chunk(2, lambda p: p.fast(2)), 0, 2, [
        (0, "1/4", "a"), ("1/4", "1/2", "b"), ("1/2", 1, "b"),
        (1, "3/2", "a"), ("3/2", "7/4", "a"), ("7/4", 2, "b"),
    ])


# =========================================================================== linger
def test_linger_plays_consecutive_cycles() -> None:
    """linger(t) = _zoom(0, t)._slow(t): cycle 0 of "<a b> c".linger(.5) is a b."""
    check(mini("<a b> c").linger(0.5), 0, 2,
          seq_haps(["a", "b"]) + seq_haps(["a", "b"], 1))


def test_linger_patterned() -> None:
    check(mini("0 1 2 3").linger("<0.5 0.25>"), 0, 2,
          seq_haps([0, 1, 0, 1]) + seq_haps([0, 0, 0, 0], 1))


def test_linger_third() -> None:
    check(mini("a b c d e f").linger(0.3333333333333333), 0, 1,
          seq_haps(["a", "b", "a", "b", "a", "b"]))


# =========================================================================== inside/outside
def test_inside_patterned() -> None:
    """inside(n, f) = f(pat._slow(n))._fast(n)."""
    check(mini("0 1 2 3").inside("<2 4>", lambda p: p.rev()), 0, 4,
          seq_haps([1, 0, 3, 2]) + seq_haps([0, 1, 2, 3], 1)
          + seq_haps([1, 0, 3, 2], 2) + seq_haps([0, 1, 2, 3], 3))


def test_outside() -> None:
    """outside(n, f) = f(pat._fast(n))._slow(n)."""
    check(mini("<0 1 2 3>").outside(2, lambda p: p.rev()), 0, 4,
          [(0, 1, 1), (1, 2, 0), (2, 3, 3), (3, 4, 2)])


# =========================================================================== swing
def test_swing_by_fragments() -> None:
    """swingBy(x, n) = inside(n, late(seq(0, x/2))): delayed events are cut by the
    seq's half-cycle structure (innerJoin keeps inner wholes)."""
    check(mini("a b c d").swing_by(0.5, 2), 0, 1, [
        (0, "1/4", "a"),
        ("1/8", "3/8", "1/4", "3/8", "a"),
        ("3/8", "5/8", "3/8", "1/2", "b"),
        ("1/2", "3/4", "c"),
        ("5/8", "7/8", "3/4", "7/8", "c"),
        ("7/8", "9/8", "7/8", 1, "d"),
    ])


def test_swing_by_patterned_n() -> None:
    """swing_by(0.5, "<1 2>") on a*4: cycle 0 (n=1) delays the second half by exactly
    one step (no change); cycle 1 (n=2) swings like the "a b c d" case."""
    check(mini("a*4").swing_by(0.5, "<1 2>"), 0, 2, seq_haps(["a"] * 4) + [
        (1, "5/4", "a"),
        ("9/8", "11/8", "5/4", "11/8", "a"),
        ("11/8", "13/8", "11/8", "3/2", "a"),
        ("3/2", "7/4", "a"),
        ("13/8", "15/8", "7/4", "15/8", "a"),
        ("15/8", "17/8", "15/8", 2, "a"),
    ])


# =========================================================================== hurry / jux / layer
def test_hurry_multiplies_existing_speed() -> None:
    """hurry(r) = _fast(r).mul(pure({speed: r}))."""
    check(s("bd sn").speed(2).hurry(2), 0, 1,
          seq_haps([{"s": "bd", "speed": 4}, {"s": "sn", "speed": 4}] * 2))


def test_hurry_on_bare_values() -> None:
    """A bare value is wrapped as {value: v} by the control-arithmetic composition."""
    check(mini("a b").hurry(2), 0, 1,
          seq_haps([{"value": "a", "speed": 2}, {"value": "b", "speed": 2}] * 2))


def test_jux_keeps_existing_pan() -> None:
    """juxBy(1): left pan = pan - 0.5, right = func(pan + 0.5)."""
    check(s("bd sn").pan(0.25).jux(lambda p: p.fast(2)), 0, 1,
          seq_haps([{"s": "bd", "pan": -0.25}, {"s": "sn", "pan": -0.25}])
          + seq_haps([{"s": "bd", "pan": 0.75}, {"s": "sn", "pan": 0.75}] * 2))


def test_layer() -> None:
    check(mini("0 1").layer(lambda p: p.add(10), lambda p: p.fast(2)), 0, 1,
          seq_haps([10, 11]) + seq_haps([0, 1, 0, 1]))


# =========================================================================== brak
def test_brak_negative_span() -> None:
    """brak = when(slowcat(false, true), x => fastcat(x, silence)._late(0.25));
    cycle -1 is odd, so it is transformed."""
    check(mini("a b").brak(), -1, 1, [
        ("-3/4", "-1/2", "a"), ("-1/2", "-1/4", "b"),
        (0, "1/2", "a"), ("1/2", 1, "b"),
    ])


def test_brak_offset_span() -> None:
    check(mini("a b").brak(), "1/3", "7/3", [
        ("0", "1/2", "1/3", "1/2", "a"), ("1/2", 1, "b"),
        ("5/4", "3/2", "a"), ("3/2", "7/4", "b"),
        (2, "5/2", 2, "7/3", "a"),
    ])


# =========================================================================== every & co
def test_every_negative_cycles() -> None:
    """firstOf uses slowcatPrime: pats[floor(begin) % n] with JavaScript's remainder,
    so negative odd cycles give undefined -> no haps, and cycle -2 (-0) is cycle 0."""
    check(mini("a b").every(2, lambda p: p.rev()), -2, 1,
          seq_haps(["b", "a"], -2) + seq_haps(["b", "a"], 0))


def test_first_of_patterned() -> None:
    exp = []
    for c in range(6):
        nn = 2 if c % 2 == 0 else 3
        exp += seq_haps(["b", "a"] if c % nn == 0 else ["a", "b"], c)
    check(mini("a b").first_of("<2 3>", lambda p: p.rev()), 0, 6, exp)


def test_last_of_patterned() -> None:
    exp = []
    for c in range(6):
        nn = 2 if c % 2 == 0 else 3
        exp += seq_haps(["b", "a"] if c % nn == nn - 1 else ["a", "b"], c)
    check(mini("a b").last_of("<2 3>", lambda p: p.rev()), 0, 6, exp)


def test_when_patterned_binary() -> None:
    """when(on, f) = on ? f(pat) : pat, patterned with innerJoin."""
    check(mini("a b c d").when("1 0", lambda p: p.fast(2)), 0, 1,
          seq_haps(["a", "b", "c", "d"], 0, Fr(0), Fr(1, 2)) + seq_haps(["c", "d"], 0, Fr(1, 2), Fr(1)))


def test_when_alternating() -> None:
    check(mini("0 1").when("<0 1>", lambda p: p.add(10)), 0, 2,
          seq_haps([0, 1]) + seq_haps([10, 11], 1))


# =========================================================================== random functions
def _sometimes_expected(x: float, times: list, v_left, v_right) -> list:
    out = []
    for b, e in times:
        r = rnd(b)
        if r > x:
            out.append((b, e, v_left))
        if 1 - r > 1 - x:
            out.append((b, e, v_right))
    return out


def _quarters(c0: int, c1: int) -> list:
    return [(c + Fr(k, 4), c + Fr(k + 1, 4)) for c in range(c0, c1) for k in range(4)]


def test_sometimes() -> None:
    """sometimesBy(x, f) = stack(pat._degradeBy(x), f(pat._undegradeBy(1 - x)))."""
    check(mini("0*4").sometimes(lambda p: p.add(10)), 0, 2,
          _sometimes_expected(0.5, _quarters(0, 2), 0, 10))


def test_often_rarely_almost() -> None:
    for name, x in [("often", 0.75), ("rarely", 0.25), ("almost_never", 0.1),
                    ("almost_always", 0.9)]:
        pat = getattr(mini("0*4"), name)(lambda p: p.add(10))
        check(pat, 0, 2, _sometimes_expected(x, _quarters(0, 2), 0, 10))


def test_always_never() -> None:
    check(mini("0 1").always(lambda p: p.add(10)), 0, 1, seq_haps([10, 11]))
    check(mini("0 1").never(lambda p: p.add(10)), 0, 1, seq_haps([0, 1]))


def test_sometimes_by_patterned_with_fast() -> None:
    """The function gets the undegraded pattern: decisions at the original onsets."""
    exp = []
    for c, x in [(0, 0.2), (1, 0.7)]:
        for k in range(2):
            b = c + Fr(k, 2)
            if rnd(b) > x:
                exp.append((b, b + Fr(1, 2), "a"))
    # right side: f = fast(2) applied to the undegraded pattern; in cycle c it plays
    # cycles 2c and 2c+1 of the undegraded pattern squeezed.
    for c, x in [(0, 0.2), (1, 0.7)]:
        for src in (2 * c, 2 * c + 1):
            for k in range(2):
                b = src + Fr(k, 2)
                if 1 - rnd(b) > 1 - x:
                    exp.append((b / 2, (b + Fr(1, 2)) / 2, "a"))
    check(mini("a*2").sometimes_by("<0.2 0.7>", lambda p: p.fast(2)), 0, 2, exp)


def test_some_cycles() -> None:
    """someCyclesBy: rand._segment(1) (sampled at each cycle start) decides per cycle."""
    exp = []
    for c in range(4):
        r = rnd(c)
        for b, e in [(c, c + Fr(1, 2)), (c + Fr(1, 2), c + 1)]:
            if r > 0.5:
                exp.append((b, e, 0))
            if 1 - r > 0.5:
                exp.append((b, e, 10))
    check(mini("0*2").some_cycles(lambda p: p.add(10)), 0, 4, exp)


def test_some_cycles_by_patterned() -> None:
    exp = []
    for c in range(4):
        x = 0.2 if c % 2 == 0 else 0.8
        r = rnd(c)
        if r > x:
            exp.append((c, c + 1, "a"))
        if (1 - r) > 1 - x:
            exp.append((c, c + 1, "A"))
    check(mini("a").some_cycles_by("<0.2 0.8>", lambda p: p.fmap(str.upper)), 0, 4, exp)


def test_degrade_by_fragments_use_whole_begin() -> None:
    exp = []
    for b, e, pb, pe in [(0, Fr(1, 2), Fr(1, 4), Fr(1, 2)), (Fr(1, 2), 1, Fr(1, 2), 1),
                         (1, Fr(3, 2), 1, Fr(5, 4))]:
        if rnd(b) > 0.5:
            exp.append((b, e, pb, pe, "a"))
    check(mini("a*2").degrade_by(0.5), "1/4", "5/4", exp)


def test_degrade_by_patterned_offset() -> None:
    exp = []
    for c in range(4):
        x = 0.2 if c % 2 == 0 else 0.8
        for k in range(4):
            b = c + Fr(k, 4)
            if rnd(b) > x:
                exp.append((b, b + Fr(1, 4), "a"))
    check(mini("a*4").degrade_by("<.2 .8>"), 0, 4, exp)


# =========================================================================== shuffle / scramble
def test_scramble() -> None:
    """scramble(n) = _rearrangeWith(_irand(n)._segment(n), n, pat)."""
    letters = ["a", "b", "c", "d"]
    exp = []
    for c in range(2):
        for k in range(4):
            i = math.trunc(rnd(c + k / 4) * 4)
            exp.append((c + Fr(k, 4), c + Fr(k + 1, 4), letters[i]))
    check(mini("a b c d").scramble(4), 0, 2, exp)


def test_shuffle() -> None:
    """shuffle(n) = _rearrangeWith(randrun(n), n, pat); randrun sorts the indices by
    timeToRands(floor(t) + 0.5, n) (signed values), ascending."""
    letters = "abcdefgh"
    exp = []
    for c in range(2):
        rs = rnds(c + 0.5, 4)
        order = sorted(range(4), key=lambda i: rs[i])
        for k in range(4):
            i = order[k]
            b = c + Fr(k, 4)
            exp.append((b, b + Fr(1, 8), letters[2 * i]))
            exp.append((b + Fr(1, 8), b + Fr(1, 4), letters[2 * i + 1]))
    check(mini("a b c d e f g h").shuffle(4), 0, 2, exp)


def test_scramble_alternation_keeps_cycle() -> None:
    """Slot k of cycle c plays slice i of cycle c (repeatCycles + fast)."""
    exp = []
    for c in range(2):
        for k in range(2):
            i = math.trunc(rnd(c + k / 2) * 2)
            v = ["a", "b"][c % 2] if i == 0 else "c"
            exp.append((c + Fr(k, 2), c + Fr(k + 1, 2), v))
    check(mini("<a b> c").scramble(2), 0, 2, exp)


# =========================================================================== arp
def test_arp_index_wraps_and_patterned() -> None:
    check(n("[0,4,7]").arp("<[0 3] [4 5]>"), 0, 2,
          seq_haps([{"n": 0}, {"n": 0}]) + seq_haps([{"n": 4}, {"n": 7}], 1))


def test_arp_inner_wholes_cross_chords() -> None:
    """arpWith: collect().fmap(...).innerJoin(): the indices' wholes are kept even where
    they extend past the chord's span."""
    check(n("[0,4,7] [2,5,9]").arp("0 1 2"), 0, 1, [
        (0, "1/3", 0, "1/3", {"n": 0}),
        ("1/3", "2/3", "1/3", "1/2", {"n": 4}),
        ("1/3", "2/3", "1/2", "2/3", {"n": 5}),
        ("2/3", 1, {"n": 9}),
    ])


# =========================================================================== patterned args
def test_ply_patterned() -> None:
    check(mini("a b").ply("<1 2 3>"), 0, 3,
          seq_haps(["a", "b"]) + seq_haps(["a", "a", "b", "b"], 1)
          + seq_haps(["a"] * 3 + ["b"] * 3, 2))


def test_late_patterned() -> None:
    check(mini("a b").late("<0 .25>"), 0, 2, seq_haps(["a", "b"]) + [
        ("3/4", "5/4", 1, "5/4", "b"), ("5/4", "7/4", "a"), ("7/4", "9/4", "7/4", 2, "b")])


def test_slow_patterned() -> None:
    check(mini("a b c d").slow("<2 1>"), 0, 2,
          seq_haps(["a", "b"]) + seq_haps(["a", "b", "c", "d"], 1))


def test_fast_patterned_offset_span() -> None:
    """fast("<1 2>") over [1/3, 7/3) on "a b"."""
    check(mini("a b").fast("<1 2>"), "1/3", "7/3", [
        (0, "1/2", "1/3", "1/2", "a"), ("1/2", 1, "b"),
        (1, "5/4", "a"), ("5/4", "3/2", "b"), ("3/2", "7/4", "a"), ("7/4", 2, "b"),
        (2, "5/2", 2, "7/3", "a"),
    ])


def test_euclid_patterned_negative_span() -> None:
    """euclid("<3 5>", 8) over [-1, 1): cycle -1 uses 5 (the < > index is mod 2)."""
    five = [k for k, b in enumerate([1, 0, 1, 1, 0, 1, 1, 0]) if b]  # bjorklund(5, 8)
    three = [0, 3, 6]
    check(mini("a").euclid("<3 5>", 8), -1, 1,
          [(-1 + Fr(k, 8), -1 + Fr(k + 1, 8), "a") for k in five]
          + [(Fr(k, 8), Fr(k + 1, 8), "a") for k in three])


def test_iter_patterned_offset() -> None:
    """iter("<2 4>") on "a b c d" over [1, 3): cycle 1 = iter(4) at cycle 1 (early 1/4),
    cycle 2 = iter(2) at cycle 2 (early 0)."""
    check(mini("a b c d").iter("<2 4>"), 1, 3,
          seq_haps(["b", "c", "d", "a"], 1) + seq_haps(["a", "b", "c", "d"], 2))


def test_off_patterned_controls() -> None:
    check(n("0 4").off("<0 0.25>", lambda p: p.add(n(12))), 0, 2,
          seq_haps([{"n": 0}, {"n": 4}]) + seq_haps([{"n": 12}, {"n": 16}])
          + seq_haps([{"n": 0}, {"n": 4}], 1)
          + [("3/4", "5/4", 1, "5/4", {"n": 16}), ("5/4", "7/4", {"n": 12}),
             ("7/4", "9/4", "7/4", 2, {"n": 16})])


def test_mask_then_stack_pure() -> None:
    check(stack(pure("x"), fastcat("a", "b")).mask("1 0"), 0, 1,
          [(0, 1, 0, "1/2", "x"), (0, "1/2", "a")])


# =========================================================================== negative factors
def test_negative_fast_is_silent() -> None:
    """Strudel 1.2.x fast: `if (factor === 0) return silence; factor = Fraction(factor);
    return pat.withQueryTime(t => t.mul(factor)).withHapTime(t => t.div(factor))` --
    no special case for a negative factor: the query span becomes backwards
    ([0,1) -> [0,-1)), TimeSpan.spanCycles of a backwards span is empty
    (`while (end.gt(begin))`), so every discrete pattern returns no haps."""
    check(fastcat("a", "b").fast(-1), 0, 2, [])
    check(pure("a").slow(-2), 0, 2, [])
    # patterned: cycle 1 (factor -1) is silent, cycle 0 plays normally
    check(fastcat("a", "b").fast("<1 -1>"), 0, 2, seq_haps(["a", "b"]))


# =========================================================================== signals at negative times
def test_tri_negative_time() -> None:
    """tri = fastcat(saw, isaw) with saw = t % 1 (JavaScript remainder keeps the sign):
    [-1,-3/4) samples saw(-1) = -0, [-3/4,-1/2) saw(-1/2) = -0.5,
    [-1/2,-1/4) isaw(-1) = 1, [-1/4,0) isaw(-1/2) = 1.5."""
    check(tri.segment(4), -1, 0, [(-1, "-3/4", 0), ("-3/4", "-1/2", -0.5),
                                  ("-1/2", "-1/4", 1), ("-1/4", 0, 1.5)])


def test_perlin_negative_time() -> None:
    a, b = rnd(-1), rnd(0)
    check(perlin.segment(2), -1, 0, [(-1, "-1/2", a), ("-1/2", 0, a + 0.5 * (b - a))])


def test_square_and_cosine_negative_time() -> None:
    # square = floor((t * 2) % 2): -2 % 2 = -0, -1.5 % 2 = -1.5, -1 % 2 = -1, -0.5 % 2 = -0.5
    check(square.segment(4), -1, 0, [(-1, "-3/4", 0), ("-3/4", "-1/2", -2),
                                     ("-1/2", "-1/4", -1), ("-1/4", 0, -1)])
    sine_at = lambda t: (math.sin(math.pi * 2 * t) + 1) / 2  # noqa: E731
    check(cosine.segment(2), -1, 0, [(-1, "-1/2", sine_at(-0.75)), ("-1/2", 0, sine_at(-0.25))])


def test_euclid_rot_rotation_beyond_length_is_clamped() -> None:
    """_euclidRot: rotate(b, -rotation) = b.slice(n).concat(b.slice(0, n)); JavaScript's
    slice clamps, so |rotation| >= steps leaves the rhythm unrotated."""
    three = [(Fr(k, 8), Fr(k + 1, 8), "a") for k in (0, 3, 6)]
    check(mini("a").euclid_rot(3, 8, 10), 0, 1, three)
    check(mini("a").euclid_rot(3, 8, -9), 0, 1, three)
    # rotation 2 (right by 2): x..x..x. -> x.x..x..
    check(mini("a").euclid_rot(3, 8, "<0 2>"), 1, 2,
          [(1 + Fr(k, 8), 1 + Fr(k + 1, 8), "a") for k in (0, 2, 5)])


def test_iter_zero_is_silence() -> None:
    """_iter(times): slowcat(...listRange(0, times - 1).map(...)); listRange(0, -1) is
    Array.from({length: 0}) = [], and slowcat() of nothing queries pats[NaN] ->
    undefined -> [] (no exception). Patterned: "<0 2>" is silent in cycle 0 only."""
    check(mini("a b").iter(0), 0, 1, [])
    check(mini("a b c d").iter("<0 2>"), 0, 2, seq_haps(["c", "d", "a", "b"], 1))



def test_rev_of_a_signal_samples_the_reflected_begin() -> None:
    """rev queries [c + (c+1 - end), c + (c+1 - begin)), so a signal is sampled at the
    reflected span's begin: segment k of rev(sine) gets sine((3 - k) / 4)."""
    sine_at = lambda t: (math.sin(math.pi * 2 * t) + 1) / 2  # noqa: E731
    check(sine.rev().segment(4), 0, 1,
          [(Fr(k, 4), Fr(k + 1, 4), sine_at((3 - k) / 4)) for k in range(4)])
    check(saw.rev().segment(2), 1, 2, [(1, "3/2", 0.5), ("3/2", 2, 0)])

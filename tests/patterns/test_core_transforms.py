"""Transformations, signals, randomness and controls (beyond the conformance file)."""

from __future__ import annotations

import pytest
from quicktions import Fraction

from livestudio.errors import PatternError
from livestudio.patterns import (
    Pattern, cc, choose, fastcat, irand, midi, n, note, perlin, pure, rand, run, s, saw,
    scan, sine, square, stack, tri, wchoose,
)
from livestudio.patterns.randomness import time_to_rand
from livestudio.patterns.transforms import euclid_pattern, note_to_midi

F = Fraction


def seq(*xs: object) -> Pattern:
    return fastcat(*[pure(x) for x in xs])


def values(pat: Pattern, b: object = 0, e: object = 1) -> list[object]:
    return [h.value for h in sorted(pat.query_arc(b, e), key=lambda h: (h.part.begin, str(h.value)))]


def onsets(pat: Pattern, b: object = 0, e: object = 1) -> list[Fraction]:
    return sorted(h.whole.begin for h in pat.query_arc(b, e) if h.has_onset())


def test_euclid_patterns() -> None:
    assert euclid_pattern(3, 8) == [1, 0, 0, 1, 0, 0, 1, 0]
    assert euclid_pattern(5, 8) == [1, 0, 1, 1, 0, 1, 1, 0]
    assert euclid_pattern(-3, 8) == [0, 1, 1, 0, 1, 1, 0, 1]
    assert euclid_pattern(3, 8, -1) == [0, 0, 1, 0, 0, 1, 0, 1]
    assert onsets(pure("a").euclid(3, 8)) == [0, F(3, 8), F(3, 4)]
    assert len(pure("a").euclid_rot(3, 8, 2).first_cycle()) == 3


def test_every_first_of_last_of_when() -> None:
    pat = seq(0, 1)
    assert values(pat.every(2, lambda p: p.add(10)), 0, 2) == [10, 11, 0, 1]
    assert values(pat.last_of(2, lambda p: p.add(10)), 0, 2) == [0, 1, 10, 11]
    assert values(pat.when(seq(1, 0), lambda p: p.add(10))) == [10, 1]
    with pytest.raises(PatternError):
        pat.every(0, lambda p: p).first_cycle()


def test_sometimes_family_and_degrade() -> None:
    base = pure(1).fast(16)
    kept = base.degrade_by(0.5).query_arc(0, 4)
    kept_ = [h for h in base.query_arc(0, 4) if time_to_rand(float(h.whole.begin)) > 0.5]
    assert len(kept) == len(kept_)
    both = base.sometimes_by(0.5, lambda p: p.add(10)).query_arc(0, 4)
    assert len(both) == 64
    assert values(base.always(lambda p: p.add(1))) == [2] * 16
    assert values(base.never(lambda p: p.add(1))) == [1] * 16
    for f in ("sometimes", "often", "rarely", "almost_always", "almost_never", "some_cycles"):
        assert len(getattr(base, f)(lambda p: p.add(1)).query_arc(0, 2)) == 32


def test_signals() -> None:
    assert values(sine.segment(4)) == pytest.approx([0.5, 1.0, 0.5, 0.0])
    assert values(saw.segment(4)) == [0, 0.25, 0.5, 0.75]
    assert values(square.segment(4)) == [0, 0, 1, 1]
    assert len(tri.query_arc(0, 1)) == 2
    (h,) = sine.query_arc(F(1, 3), F(7, 3))
    assert h.whole is None
    assert rand.query_arc(0, 1)[0].value == 0
    assert all(0 <= v < 8 for v in values(irand(8).segment(8)))
    assert all(0 <= v < 1 for v in values(perlin.segment(8), 0, 4))
    assert values(choose("a", "b").segment(4), 0, 1)[0] in ("a", "b")
    assert values(wchoose(("a", 1), ("b", 0)).segment(4)) == ["a"] * 4


def test_run_scan_range() -> None:
    assert values(run(4)) == [0, 1, 2, 3]
    assert values(scan(3), 2, 3) == [0, 1, 2]
    assert values(seq(0, 0.5, 1).range(10, 20)) == [10, 15, 20]
    assert values(seq(0, 1).rangex(20, 2000)) == pytest.approx([20, 2000])


def test_structure_transforms() -> None:
    abcd = seq("a", "b", "c", "d")
    assert values(abcd.rev()) == ["d", "c", "b", "a"]
    assert values(abcd.iter(4), 1, 2) == ["b", "c", "d", "a"]
    assert values(abcd.palindrome(), 1, 2) == ["d", "c", "b", "a"]
    assert values(abcd.linger(0.25)) == ["a"] * 4
    assert values(seq("a", "b").ply(2)) == ["a", "a", "b", "b"]
    assert values(abcd.chunk(4, lambda p: p.fmap(str.upper)), 1, 2) == ["a", "B", "c", "d"]
    assert values(pure("a").struct(seq(1, 0, 1, 1))) == ["a", "a", "a"]
    assert values(abcd.mask(seq(1, 0))) == ["a", "b"]
    assert values(seq("a", "b").brak(), 1, 2) == ["a", "b"]
    assert onsets(seq("a", "b").brak(), 1, 2) == [F(5, 4), F(3, 2)]
    assert len(abcd.off(0.25, lambda p: p).query_arc(0, 1)) == 8
    assert len(abcd.superimpose(lambda p: p.fast(2)).query_arc(0, 1)) == 12
    assert len(abcd.layer(lambda p: p, lambda p: p.rev()).query_arc(0, 1)) == 8
    assert onsets(pure("a").fast(4).swing_by(F(1, 3), 2)) == [0, F(1, 4) + F(1, 12), F(1, 2), F(3, 4) + F(1, 12)]
    assert values(abcd.inside(2, lambda p: p.rev())) == ["b", "a", "d", "c"]
    assert values(abcd.early(0.25)) == ["b", "c", "d", "a"]
    assert values(abcd.late(0.25)) == ["d", "a", "b", "c"]


def test_shuffle_and_scramble_keep_slices() -> None:
    abcd = seq("a", "b", "c", "d")
    for c in range(4):
        assert sorted(values(abcd.shuffle(4), c, c + 1)) == ["a", "b", "c", "d"]
        assert all(v in "abcd" for v in values(abcd.scramble(4), c, c + 1))


def test_arithmetic_and_control_arithmetic() -> None:
    assert values(seq(0, 1).add(seq(10, 20))) == [10, 21]
    assert values(seq(4, 6).sub(1).mul(2).div(2)) == [3, 5]
    assert values(pure("c4").add(1)) == [61]
    assert note_to_midi("c4") == 60 and note_to_midi("f#2") == 42
    assert values(s("bd").n(1).add(n(10))) == [{"s": "bd", "n": 11}]
    assert values(n(1).add(7)) == [{"n": 1}]  # bare number on controls: unchanged
    assert values(s("bd").hurry(2)) == [{"s": "bd", "speed": 2}] * 2
    assert values(seq(1, 2).add.out(pure(10))) == [11, 12]  # two fragments of one whole
    assert {(h.whole.begin, h.whole.end) for h in seq(1, 2).add.out(pure(10)).first_cycle()} == {(0, 1)}
    juxed = s("bd sn").jux(lambda p: p.rev()).first_cycle()
    assert sorted((h.part.begin, h.value["pan"], h.value["s"]) for h in juxed) == [
        (0, 0, "bd"), (0, 1, "sn"), (F(1, 2), 0, "sn"), (F(1, 2), 1, "bd")]


def test_controls() -> None:
    assert values(s("bd:3:0.5")) == [{"s": "bd", "n": 3, "gain": 0.5}]
    assert values(note("c3").s("piano").lpf(300).resonance(0.2)) == [
        {"note": "c3", "s": "piano", "cutoff": 300, "resonance": 0.2}]
    assert values(n(0).cc(74, 64).cc(1, 10)) == [{"n": 0, "cc": {74: 64, 1: 10}}]
    assert values(cc(7, 100)) == [{"cc": {7: 100}}]
    assert values(note(60).midi(port="MicroFreak", channel=1)) == [
        {"note": 60, "target": "midi", "midiport": "MicroFreak", "midichan": 1}]
    assert values(midi(note(60), channel=2)) == [{"note": 60, "target": "midi", "midichan": 2}]
    assert values(note(60).target("engine")) == [{"note": 60, "target": "engine"}]
    assert values(s("bd").gain(sine)) == [{"s": "bd", "gain": 0.5}]
    for name in ("freq", "velocity", "amp", "hpf", "hpq", "bpf", "bandq", "attack", "decay",
                 "sustain", "release", "legato", "speed", "begin", "end", "loop", "room",
                 "size", "delay", "delaytime", "delayfeedback", "shape", "crush", "coarse",
                 "orbit", "channel", "midichan", "vowel", "unit", "cut", "detune", "voices",
                 "pw", "fmi", "fmh", "chord"):
        assert len(getattr(pure({}), name)(1).first_cycle()) == 1


def test_stack_of_signal_and_discrete() -> None:
    assert len(stack(sine, pure(1)).query_arc(0, 2)) == 3

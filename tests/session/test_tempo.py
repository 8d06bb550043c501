"""The tempo map converts cycles and frames exactly, across tempo changes."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from livestudio.errors import SessionError
from livestudio.session.tempo import TempoMap


def test_onset_frame_is_round_of_cycle_over_cps() -> None:
    tm = TempoMap(sample_rate=48000, cps=Fraction(128, 240))
    for k in range(64):
        c = Fraction(k, 16)
        assert tm.frame_at(c) == round(c / Fraction(128, 240) * 48000)


def test_tempo_change_takes_effect_at_exact_cycle_and_keeps_past() -> None:
    tm = TempoMap(sample_rate=48000, cps=Fraction(1, 2))
    before = [tm.frame_at(Fraction(k, 4)) for k in range(9)]
    tm.set_cps(1, at_cycle=Fraction(2))
    assert [tm.frame_at(Fraction(k, 4)) for k in range(9)] == before
    assert tm.frame_at(Fraction(3)) == 192000 + 48000
    assert tm.cps_at(Fraction(1)) == Fraction(1, 2)
    assert tm.cps_at(Fraction(2)) == 1


@given(st.fractions(min_value=0, max_value=1000), st.sampled_from([Fraction(1, 2), Fraction(8, 15), Fraction(7, 10)]))
def test_cycle_frame_round_trip(cycle: Fraction, cps: Fraction) -> None:
    tm = TempoMap(sample_rate=44100, cps=cps)
    tm.set_cps(Fraction(9, 10), at_cycle=Fraction(500))
    assert tm.cycle_at(tm.frame_exact(cycle)) == cycle


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), 1000])
def test_bad_tempo_is_a_clear_error(bad: float) -> None:
    with pytest.raises(SessionError):
        TempoMap(sample_rate=48000, cps=bad)

"""Control encoding: names, defaults and clamping of every value on the way in."""

from __future__ import annotations

import math

import numpy as np
import pytest

from livestudio.engine import layout as L
from livestudio.engine import params as P
from livestudio.errors import EngineError, UnknownInstrumentError


def _encode(controls: dict[str, object], frame: int = 0) -> np.ndarray:
    def resolve(name: str, n: int) -> int:
        raise UnknownInstrumentError(name)

    return P.encode(frame, controls, sample_rate=48000, max_buses=16, max_delay_s=2.0,
                    resolve_sample=resolve)


def test_instrument_names_and_aliases() -> None:
    assert _encode({"s": "sawtooth"})[L.R_INST] == P.I_SAW
    assert _encode({"s": "tri"})[L.R_INST] == P.I_TRI
    assert _encode({"s": "pulse", "pw": 0.2})[L.R_PW] == pytest.approx(0.2)
    row = _encode({"s": "saw", "lpf": 800, "hpf": 100, "bpf": 1000, "orbit": 3})
    assert (row[L.R_CUTOFF], row[L.R_HCUTOFF], row[L.R_BANDF], row[L.R_BUS]) == (800, 100, 1000, 3)


def test_pitch_from_note_names_numbers_and_freq() -> None:
    assert _encode({"note": "a4"})[L.R_FREQ] == pytest.approx(440.0)
    assert _encode({"note": 57})[L.R_FREQ] == pytest.approx(220.0)
    assert _encode({"note": "eb2"})[L.R_FREQ] == pytest.approx(440 * 2 ** ((39 - 69) / 12))
    assert _encode({"freq": 123.0, "note": 60})[L.R_FREQ] == pytest.approx(123.0)
    assert _encode({})[L.R_FREQ] == pytest.approx(440 * 2 ** ((36 - 69) / 12))
    with pytest.raises(EngineError):
        _encode({"note": "h7"})


@pytest.mark.parametrize("controls, slot, expected", [
    ({"gain": float("nan")}, L.R_LEVEL, 1.0),
    ({"gain": -3.0}, L.R_LEVEL, 0.0),
    ({"gain": 1e12}, L.R_LEVEL, 8.0),
    ({"cutoff": -500.0}, L.R_CUTOFF, 20.0),
    ({"cutoff": 1e9}, L.R_CUTOFF, 0.45 * 48000),
    ({"cutoff": float("inf")}, L.R_CUTOFF, 0.45 * 48000),
    ({"resonance": 1e9}, L.R_RES, P.Q_BUTTERWORTH * 32.0),
    ({"resonance": float("nan")}, L.R_RES, P.Q_BUTTERWORTH),
    ({"pan": 7}, L.R_PAN, 1.0),
    ({"shape": 5}, L.R_SHAPE, 0.99),
    ({"delayfeedback": 3}, L.R_DELAYFB, 0.95),
    ({"delaytime": 1e6}, L.R_DELAYTIME, 1.99),
    ({"orbit": 99}, L.R_BUS, 15.0),
    ({"attack": -1}, L.R_ATT, 0.0),
    ({"sustain": 4}, L.R_SUS, 1.0),
    ({"duration": float("nan")}, L.R_DUR, 0.25),
    ({"speed": 0.0}, L.R_RATE, 1.0 / 64.0),
    ({"gain": "loud"}, L.R_LEVEL, 1.0),
])
def test_clamping(controls: dict[str, object], slot: int, expected: float) -> None:
    row = _encode({"s": "saw", **controls})
    assert row[slot] == pytest.approx(expected)
    assert np.isfinite(row).all()


def test_unknown_controls_are_ignored_and_rows_are_finite() -> None:
    row = _encode({"s": "sine", "legato": 0.5, "whatever": "x", "channel": 3})
    assert row.shape == (L.ROW,) and np.isfinite(row).all()
    assert row[L.R_KIND] == L.K_NOTE


def test_unknown_instrument_raises_through_resolver() -> None:
    with pytest.raises(UnknownInstrumentError):
        _encode({"s": "nosuchthing"})


def test_resonance_maps_to_q() -> None:
    assert _encode({"resonance": 0})[L.R_RES] == pytest.approx(1 / math.sqrt(2))
    assert _encode({"resonance": 0.2})[L.R_RES] == pytest.approx(P.Q_BUTTERWORTH * 2.0)


def test_midinote_sets_the_pitch_and_note_wins() -> None:
    from livestudio.engine import layout as L
    from livestudio.engine.params import encode

    def freq(**c: object) -> float:
        row = encode(0, {"s": "saw", **c}, sample_rate=48000, max_buses=4, max_delay_s=2.0,
                     resolve_sample=lambda name, n: 0)
        return float(row[L.R_FREQ])

    assert freq(midinote=69) == pytest.approx(440.0)
    assert freq(midinote=69, note=57) == pytest.approx(220.0)


def test_djf_is_a_low_pass_below_the_middle_and_a_high_pass_above() -> None:
    from livestudio.engine import layout as L
    from livestudio.engine.params import encode

    def row(**c: object) -> tuple[float, float]:
        r = encode(0, {"s": "saw", **c}, sample_rate=48000, max_buses=4, max_delay_s=2.0,
                   resolve_sample=lambda name, n: 0)
        return float(r[L.R_CUTOFF]), float(r[L.R_HCUTOFF])

    assert row(djf=0.5) == (0.0, 0.0) and row(djf=0.51) == (0.0, 0.0)      # off in the middle
    assert row(djf=0.0)[0] == pytest.approx(20.0)
    low_a, low_b = row(djf=0.2)[0], row(djf=0.4)[0]
    assert 20.0 < low_a < low_b < 21600.0                                   # opens as it rises
    assert row(djf=0.2, cutoff=100.0)[0] == pytest.approx(min(100.0, low_a))
    assert row(djf=1.0)[1] == pytest.approx(21600.0) and 20.0 < row(djf=0.7)[1] < row(djf=0.9)[1]
    assert row(djf=float("nan")) == (0.0, 0.0)                              # NaN: off

"""Buses: per-orbit levels, mute, delay time (seconds and cycles), reverb, the limiter."""

from __future__ import annotations

from typing import Callable

import numpy as np

from livestudio.engine import Engine
from livestudio.engine import layout as L
from livestudio.engine.measure import true_peak

SR = 48000


def test_levels_per_orbit(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.push(0, {"s": "saw", "note": 45, "orbit": 2, "pan": 0.0, "duration": 1.0})
    eng.render(2048)
    lv = eng.levels()
    assert lv.shape == (4, 4)
    assert lv[2, 0] > 0.1 and lv[2, 2] > 0.05 and lv[2, 1] < 1e-9
    assert np.all(lv[[0, 1, 3]] == 0.0)


def test_mute_silences_a_bus(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.mute(1)
    eng.push(0, {"s": "saw", "orbit": 1, "duration": 1.0})
    y = eng.render(4096)
    assert np.all(y == 0.0)
    eng.mute(1, False)
    y = eng.render(4096)
    assert np.abs(y).max() > 0.1


def _echo_gap(eng: Engine) -> int:
    eng.push(0, {"s": "white", "duration": 0.002, "release": 0.001, "delay": 1.0,
                 "delayfeedback": 0.0, **getattr(eng, "_test_delay")})
    y = np.abs(eng.render(SR)[:, 0])
    hits = np.nonzero(y > 0.05)[0]
    return int(hits[hits > hits[0] + 500][0] - hits[0])


def test_delay_time_in_seconds_and_in_cycles(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(limiter=False)
    eng._test_delay = {"delaytime": 0.125}  # type: ignore[attr-defined]
    assert abs(_echo_gap(eng) - 6000) <= 2
    eng = make_engine(limiter=False)
    eng.set_cps(1.0)
    eng._test_delay = {"delaytime": 0.25, "delaysync": 1}  # type: ignore[attr-defined]
    assert abs(_echo_gap(eng) - 12000) <= 2
    eng = make_engine(limiter=False)
    eng.set_cps(2.0)
    eng._test_delay = {"delaytime": 0.25, "delaysync": 1}  # type: ignore[attr-defined]
    assert abs(_echo_gap(eng) - 6000) <= 2


def test_reverb_adds_a_tail(make_engine: Callable[..., Engine]) -> None:
    dry = make_engine()
    dry.push(0, {"s": "sd"})
    wet = make_engine()
    wet.push(0, {"s": "sd", "room": 0.8, "size": 0.7})
    a = dry.render(SR)
    b = wet.render(SR)
    late = slice(int(0.6 * SR), int(0.9 * SR))
    assert np.abs(a[late]).max() < 1e-6
    assert np.abs(b[late]).max() > 1e-3


def test_limiter_holds_true_peak_below_ceiling(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(max_voices=32)
    for k in range(24):
        eng.push(k * 7, {"s": "saw", "note": 36 + 5 * (k % 7), "gain": 2.0, "duration": 0.5,
                         "pan": (k % 5) / 4})
    for k in range(8):
        eng.push(4000 + k * 3000, {"s": "bd", "gain": 4.0})
    y = eng.render(SR)
    ceiling = 10 ** (-1.0 / 20)
    assert eng.status()["limiter_gain"] < 1.0 or np.abs(y).max() > 0.5
    assert true_peak(y) <= ceiling * 1.005
    assert np.abs(y).max() > 0.8  # limited, not crushed


def test_nan_voice_is_silenced_and_counted(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.push(0, {"s": "saw", "duration": 1.0})
    eng.push(0, {"s": "sine", "duration": 1.0})
    eng.render(256)
    ly = eng.layout
    mv = int(ly[L.LY_MV])
    eng.pool[int(ly[L.LY_HOT]) + L.H_IC1 * mv + 0] = np.nan  # poison voice 0's filter
    y = eng.render(1024)
    assert np.isfinite(y).all()
    st = eng.status()
    assert st["nan_voices"] == 1.0 and st["active_voices"] == 1.0
    y = eng.render(1024)
    assert np.isfinite(y).all() and np.abs(y).max() > 0.01


def test_mute_and_unmute_of_a_sounding_bus_fade_without_a_click(make_engine: Callable[..., Engine]) -> None:
    from livestudio.engine.measure import max_step

    def run(mute_at: int | None) -> np.ndarray:
        eng = make_engine()
        eng.push(0, {"s": "sine", "freq": 1000.0, "orbit": 1, "duration": 2.0, "gain": 0.8})
        if mute_at is not None:
            eng.mute(1, frame=mute_at)
            eng.mute(1, False, frame=mute_at + SR // 4)
        buses = np.zeros((eng.max_buses, SR, 2), dtype=np.float32)
        eng.render_into(np.zeros((SR, 2), dtype=np.float32), buses=buses)
        return buses[1, :, 0].astype(np.float64)    # the bus itself: no master latency

    at = SR // 4 + 17
    open_, muted = run(None), run(at)
    np.testing.assert_array_equal(muted[:at], open_[:at])                      # untouched before
    assert np.all(muted[at + int(0.006 * SR):at + SR // 4] == 0.0)             # silent after 5 ms
    back = at + SR // 4
    np.testing.assert_array_equal(muted[back + 300:], open_[back + 300:])      # open again
    own = max_step(open_[SR // 8:SR // 4])
    assert max_step(muted[at - 100:at + 400]) <= own * 1.01                    # no click going ...
    assert max_step(muted[back - 100:back + 400]) <= own * 1.01                # ... or coming back

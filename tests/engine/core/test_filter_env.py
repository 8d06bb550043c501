"""The low-pass filter envelope (lpenv, lpattack/lpdecay/lpsustain/lprelease)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from livestudio.engine import Engine

SR = 48000
SAW = {"s": "saw", "freq": 110.0, "cutoff": 200.0, "attack": 0.0, "sustain": 1.0, "gain": 0.5,
       "duration": 0.8, "release": 0.05}


def _bus(eng: Engine, frames: int, block: int = 4096) -> np.ndarray:
    out = np.zeros((frames, 2), dtype=np.float32)
    buses = np.zeros((eng.max_buses, frames, 2), dtype=np.float32)
    for pos in range(0, frames, block):
        end = min(frames, pos + block)
        eng.render_into(out[pos:end], buses=buses[:, pos:end])
    return buses[0, :, 0].astype(np.float64)


def _high_share(x: np.ndarray, above_hz: float = 800.0) -> float:
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1.0 / SR)
    return float(spec[freqs > above_hz].sum() / spec.sum())


def play(make_engine: Callable[..., Engine], frames: int = SR, block: int = 4096, **ctl: Any) -> np.ndarray:
    eng = make_engine()
    eng.push(0, {**SAW, **ctl})
    return _bus(eng, frames, block)


def test_the_cutoff_opens_then_decays_to_the_sustain(make_engine: Callable[..., Engine]) -> None:
    y = play(make_engine, lpenv=4, lpdecay=0.1, lpsustain=0.0)
    plain = play(make_engine)
    early, late = y[240:240 + 2048], y[int(0.5 * SR):int(0.5 * SR) + 2048]
    assert _high_share(early) > 20 * _high_share(late)          # bright at the onset ...
    np.testing.assert_allclose(late, plain[int(0.5 * SR):int(0.5 * SR) + 2048], atol=1e-4)  # ... back to 200 Hz


def test_sustain_level_sits_at_its_octave(make_engine: Callable[..., Engine]) -> None:
    # sustain 0.5 of a 2-octave envelope: 200 Hz * 2 = 400 Hz, as a plain 400 Hz cutoff
    y = play(make_engine, lpenv=2, lpattack=0.0, lpdecay=0.05, lpsustain=0.5)
    ref = play(make_engine, cutoff=400.0)
    seg = slice(int(0.3 * SR), int(0.3 * SR) + 4096)
    np.testing.assert_allclose(y[seg], ref[seg], atol=1e-4)


def test_negative_depth_sweeps_down_and_release_follows_the_gate(make_engine: Callable[..., Engine]) -> None:
    down = play(make_engine, cutoff=3200.0, lpenv=-4, lpattack=0.0, lpdecay=0.2, lpsustain=1.0)
    bright = play(make_engine, cutoff=3200.0)
    seg = slice(int(0.4 * SR), int(0.4 * SR) + 2048)
    assert _high_share(down[seg]) < 0.2 * _high_share(bright[seg])   # held at 200 Hz
    # the release (lprelease 0.3 s, longer than the amp release) opens it again: the
    # last few ms before silence are brighter than the sustained part
    tail = down[int(0.8 * SR) + 480:int(0.8 * SR) + 480 + 1024]
    assert np.abs(tail).max() > 0 and _high_share(tail) > _high_share(down[seg])


def test_block_size_does_not_change_a_sample(make_engine: Callable[..., Engine]) -> None:
    a = play(make_engine, SR // 2, block=64, lpenv=3, lpdecay=0.08)
    b = play(make_engine, SR // 2, block=1000, lpenv=3, lpdecay=0.08)
    np.testing.assert_array_equal(a, b)


def test_without_a_cutoff_the_envelope_does_nothing(make_engine: Callable[..., Engine]) -> None:
    no_cut = {k: v for k, v in SAW.items() if k != "cutoff"}
    eng1, eng2 = make_engine(), make_engine()
    eng1.push(0, {**no_cut, "lpenv": 4})
    eng2.push(0, no_cut)
    np.testing.assert_array_equal(_bus(eng1, 8192), _bus(eng2, 8192))

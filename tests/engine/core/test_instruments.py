"""Every instrument renders finite sound, ends, and drums sound like drums (roughly)."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from livestudio.engine import Engine
from livestudio.engine.params import DRUM_LENGTH, DRUMS, INSTRUMENTS

SR = 48000


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_instrument_renders_and_ends(make_engine: Callable[..., Engine], name: str) -> None:
    eng = make_engine()
    eng.push(0, {"s": name, "note": 48, "duration": 0.2})
    y = eng.render(SR + SR // 4)
    assert np.isfinite(y).all()
    assert np.abs(y).max() > 0.05
    assert eng.status()["active_voices"] == 0.0


def _spectral_centroid(x: np.ndarray) -> float:
    spec = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2  # energy-weighted
    f = np.fft.rfftfreq(len(x), 1.0 / SR)
    return float((spec * f).sum() / spec.sum())


def test_drums_have_their_character(make_engine: Callable[..., Engine]) -> None:
    hits = {}
    for name in ("bd", "sd", "hh", "oh", "cp", "rim", "lt", "ht"):
        eng = make_engine()
        eng.push(0, {"s": name})
        hits[name] = eng.render(SR)[:, 0]
    c = {k: _spectral_centroid(v[: SR // 4]) for k, v in hits.items()}
    assert c["bd"] < 300 < c["sd"]
    assert c["hh"] > 5000 and c["oh"] > 5000
    assert c["lt"] < c["ht"]
    # the kick sweeps down: early pitch above late pitch (zero crossings per ms)
    bd = hits["bd"]
    early = np.sum(np.diff(np.sign(bd[100:1300])) != 0) / 1200
    late = np.sum(np.diff(np.sign(bd[6000:12000])) != 0) / 6000
    assert early > 1.5 * late
    # the open hat rings longer than the closed one
    def length(x: np.ndarray) -> int:
        return int(np.nonzero(np.abs(x) > 0.01 * np.abs(x).max())[0][-1])
    assert length(hits["oh"]) > 3 * length(hits["hh"])
    # the clap has several bursts: the envelope rises more than once in its first 40 ms
    env = np.array([np.abs(hits["cp"][i:i + 96]).max() for i in range(0, 1920, 96)])
    assert np.sum(np.diff(env) > 0.02) >= 2
    for k in DRUMS:
        assert DRUM_LENGTH[k] <= 1.0


def test_supersaw_fm_and_pulse_options(make_engine: Callable[..., Engine]) -> None:
    outs = []
    for ctl in ({"s": "supersaw", "unison": 1}, {"s": "supersaw", "unison": 7, "detune": 0.5},
                {"s": "fm", "fmi": 0}, {"s": "fm", "fmi": 8, "fmh": 2.0},
                {"s": "pulse", "pw": 0.1}, {"s": "pulse", "pw": 0.5}):
        eng = make_engine()
        eng.push(0, {"note": 45, "duration": 0.3, **ctl})
        outs.append(eng.render(SR // 4)[:, 0])
    for a, b in zip(outs[::2], outs[1::2]):
        assert not np.allclose(a, b)
    # fm with index 0 is a plain sine: its energy sits at the fundamental
    spec = np.abs(np.fft.rfft(outs[2][2400:12000]))
    f = np.fft.rfftfreq(9600, 1.0 / SR)
    assert abs(f[np.argmax(spec)] - 110.0) < 10.0


def test_inserts_change_the_sound(make_engine: Callable[..., Engine]) -> None:
    base = make_engine()
    base.push(0, {"s": "saw", "note": 45, "duration": 0.3})
    ref = base.render(SR // 4)
    for ctl in ({"shape": 0.8}, {"crush": 3}, {"coarse": 8}, {"hcutoff": 2000},
                {"bandf": 1000, "bandq": 4}, {"cutoff": 300, "resonance": 0.8}):
        eng = make_engine()
        eng.push(0, {"s": "saw", "note": 45, "duration": 0.3, **ctl})
        y = eng.render(SR // 4)
        assert np.isfinite(y).all() and not np.allclose(y, ref), ctl

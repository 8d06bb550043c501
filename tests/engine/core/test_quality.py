"""Sound quality: band-limiting, filter cutoff, envelope times, clicks, exact silence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from livestudio.engine import Engine
from livestudio.engine.kernels.master import DC_POLE
from livestudio.engine.measure import max_step, nonharmonic_rejection_db

SR = 48000


def small_engine(**kw: object) -> Engine:
    opts: dict[str, object] = {"max_voices": 16, "max_buses": 4, "pool_floats": 1 << 20}
    opts.update(kw)
    return Engine(**opts)  # type: ignore[arg-type]


def _steady(name: str, freq: float, **extra: object) -> np.ndarray:
    eng = small_engine()
    eng.push(0, {"s": name, "freq": freq, "duration": 3.0, "attack": 0.0, "sustain": 1.0,
                 "gain": 0.5, **extra})
    y = eng.render(int(1.6 * SR))[:, 0]
    return y[int(0.5 * SR):int(1.5 * SR)]  # 1 s of steady tone


@pytest.mark.parametrize("name", ["saw", "square"])
def test_band_limited_oscillators_reject_aliases_50db(name: str) -> None:
    x = _steady(name, 1760.0)
    assert nonharmonic_rejection_db(x, 1760.0) >= 50.0


def test_naive_measure_sanity() -> None:
    """The measure itself: a naive saw scores far below 50 dB."""
    t = np.arange(SR) / SR
    naive = 2.0 * ((1760.0 * t) % 1.0) - 1.0
    assert nonharmonic_rejection_db(naive, 1760.0) < 20.0


def _impulse_wav(path: Path, seconds: float = 0.5) -> Path:
    data = np.zeros(int(seconds * SR), dtype=np.float32)
    data[0] = 1.0
    path.mkdir(parents=True, exist_ok=True)
    soundfile.write(path / "imp.wav", data, SR, subtype="FLOAT")
    return path.parent


@pytest.mark.parametrize("cutoff", [100.0, 1000.0, 10000.0])
def test_lowpass_minus_3db_at_cutoff(tmp_path: Path, cutoff: float) -> None:
    root = _impulse_wav(tmp_path / "imp")
    eng = small_engine(sample_paths=[root])
    eng.push(0, {"s": "imp", "cutoff": cutoff, "gain": 0.5})
    y = eng.render(SR // 2)[:, 0].astype(np.float64)
    h = np.abs(np.fft.rfft(y, 1 << 19))
    f = np.fft.rfftfreq(1 << 19, 1.0 / SR)
    z = np.exp(-2j * np.pi * f / SR)
    dc_blocker = np.abs((1 - z) / (1 - DC_POLE * z))  # the master's own high-pass
    ref = 0.5 * np.cos(np.pi / 4)  # gain times the centre pan gain
    dc_blocker[0] = 1.0  # (DC itself: the blocker has a zero there)
    db = 20.0 * np.log10(h / dc_blocker / ref + 1e-30)
    above = np.nonzero((db < -3.0103) & (f > 10.0))[0][0]
    f3 = f[above]
    assert abs(f3 - cutoff) <= 0.05 * cutoff, f3


def _env_of_sine(**ctl: object) -> np.ndarray:
    """The envelope of a 1 kHz sine voice, read where |sin| > 0.5 (NaN elsewhere)."""
    eng = small_engine(limiter=False)
    freq = 1000.0
    eng.push(0, {"s": "sine", "freq": freq, "gain": 1.0, "pan": 0.5, **ctl})
    y = eng.render(SR)[:, 0].astype(np.float64)
    y = y[eng.latency:]
    n = np.arange(len(y))
    s = np.sin(2.0 * np.pi * freq * (n + 0.5) / SR) * np.cos(np.pi / 4.0)  # starts half a frame in
    env = np.full(len(y), np.nan)
    ok = np.abs(s) > 0.5
    env[ok] = y[ok] / s[ok]
    return env


def test_envelope_stage_times_within_1ms() -> None:
    a, d, s, r, dur = 0.05, 0.1, 0.5, 0.2, 0.4
    env = _env_of_sine(attack=a, decay=d, sustain=s, release=r, duration=dur)
    ms = SR / 1000.0
    idx = np.arange(len(env))
    valid = ~np.isnan(env)
    eps = 1e-4
    peak_at = idx[valid & (env >= 1.0 - eps)][0]
    decay_end = idx[valid & (idx > peak_at) & (env <= s + eps)][0]
    rel_start = idx[valid & (env >= s - eps)][-1]
    rel_end = idx[valid & (idx > rel_start) & (env >= eps)][-1]
    assert abs(peak_at - a * SR) <= ms
    assert abs(decay_end - (a + d) * SR) <= ms
    assert abs(rel_start - dur * SR) <= ms
    assert abs(rel_end - (dur + r) * SR) <= ms


def test_note_end_has_no_click() -> None:
    eng = small_engine()
    eng.push(0, {"s": "sine", "freq": 220.0, "duration": 0.1, "release": 0.005,
                 "sustain": 1.0, "attack": 0.0})
    y = eng.render(SR // 3)[:, 0]
    steady = max_step(y[1000:4000])
    assert max_step(y[4000:]) <= 1.05 * steady
    assert np.all(y[int(0.25 * SR):] == 0.0)


def test_stolen_voice_fades_without_click() -> None:
    eng = small_engine(max_voices=2)
    for i, f in enumerate((220.0, 277.0)):
        eng.push(0, {"s": "sine", "freq": f, "duration": 2.0, "sustain": 1.0,
                     "attack": 0.0, "gain": 0.4})
    # the third note steals the oldest voice mid-cycle
    eng.push(7013, {"s": "sine", "freq": 330.0, "duration": 2.0, "sustain": 1.0,
                    "attack": 0.0, "gain": 0.4})
    y = eng.render(SR // 2)[:, 0]
    assert eng.status()["stolen_voices"] == 1.0
    before = max_step(y[3000:7000])
    # steps bounded by the sum of the three sines' own steepest slopes
    bound = 0.4 * np.cos(np.pi / 4) * 2 * np.pi * (220 + 277 + 330) / SR
    assert before <= bound
    assert max_step(y[7000:12000]) <= 1.1 * bound


def test_hard_cut_would_click() -> None:
    """The click measure catches a cut: a 0-length fade on a sine is a big step."""
    t = np.arange(4800)
    y = np.sin(2 * np.pi * 220 * t / SR)
    y[2000:] = 0.0
    assert max_step(y) > 3 * max_step(np.sin(2 * np.pi * 220 * t / SR))


def test_tails_end_in_exact_digital_silence() -> None:
    eng = small_engine()
    eng.push(0, {"s": "saw", "note": 48, "duration": 0.2, "room": 0.6, "size": 0.5,
                 "delay": 0.5, "delaytime": 0.1, "delayfeedback": 0.5, "cutoff": 2000})
    eng.push(0, {"s": "bd", "orbit": 1, "room": 0.3})
    y = eng.render(8 * SR)
    assert np.abs(y[: SR // 2]).max() > 0.05
    assert np.abs(y[SR:2 * SR]).max() > 1e-4  # the tails ring on after the notes
    tail = y[6 * SR:]
    assert np.all(tail == 0.0)
    assert eng.status()["active_voices"] == 0.0

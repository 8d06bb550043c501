"""Sample playback from folders: n wraps, speed (also negative), begin/end, loop, note."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest
import soundfile
from scipy.signal import lfilter

from livestudio.engine import Engine
from livestudio.engine.kernels.master import DC_POLE
from livestudio.errors import UnknownInstrumentError

SR = 48000


def dc_block(x: np.ndarray) -> np.ndarray:
    """What the master's DC blocker does to a reference signal."""
    return lfilter([1.0, -1.0], [1.0, -DC_POLE], np.asarray(x, dtype=np.float64))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """``ramp/`` (two files: a 1000-frame ramp and a 500-frame constant) and ``st/``."""
    (tmp_path / "ramp").mkdir()
    ramp = np.linspace(0.0, 0.999, 1000, dtype=np.float32)
    soundfile.write(tmp_path / "ramp" / "a_ramp.wav", ramp, SR, subtype="FLOAT")
    soundfile.write(tmp_path / "ramp" / "b_flat.wav", np.full(500, 0.25, np.float32), SR,
                    subtype="FLOAT")
    (tmp_path / "st").mkdir()
    stereo = np.zeros((800, 2), np.float32)
    stereo[:, 0] = 0.5
    soundfile.write(tmp_path / "st" / "x.flac", stereo, SR)
    return tmp_path


def _play(eng: Engine, frames: int, **ctl: object) -> np.ndarray:
    eng.push(0, {"gain": 1.0, "pan": 0.0, **ctl})  # pan 0: all left, gain 1
    y = eng.render(frames + eng.latency)[eng.latency:, 0].astype(np.float64)
    return y


def test_plays_file_n_wraps_and_ends(make_engine: Callable[..., Engine], root: Path) -> None:
    eng = make_engine(sample_paths=[root], limiter=False)
    y = _play(eng, 2000, s="ramp", n=0)
    np.testing.assert_allclose(y[:900], dc_block(np.linspace(0, 0.999, 1000))[:900], atol=1e-5)
    assert eng.status()["active_voices"] == 0.0
    eng2 = make_engine(sample_paths=[root], limiter=False)
    y2 = _play(eng2, 600, s="ramp", n=3)  # 3 % 2 == 1: the flat file
    assert abs(y2[100] - dc_block(np.full(200, 0.25))[100]) < 1e-5
    eng3 = make_engine(sample_paths=[root], limiter=False)
    y3 = _play(eng3, 600, s="ramp:1")
    np.testing.assert_array_equal(y2, y3)


def test_speed_negative_begin_end_and_note(make_engine: Callable[..., Engine],
                                           root: Path) -> None:
    ramp = np.linspace(0.0, 0.999, 1000)
    back = _play(make_engine(sample_paths=[root], limiter=False), 1200, s="ramp", speed=-1)
    np.testing.assert_allclose(back[:900], dc_block(ramp[::-1])[:900], atol=1e-5)
    fast = _play(make_engine(sample_paths=[root], limiter=False), 1200, s="ramp", speed=2)
    np.testing.assert_allclose(fast[:400], dc_block(ramp[::2])[:400], atol=1e-5)
    assert np.abs(fast[520:]).max() < 0.2 * np.abs(fast[:500]).max()
    octave = _play(make_engine(sample_paths=[root], limiter=False), 1200, s="ramp", note=48)
    np.testing.assert_allclose(octave[:400], fast[:400], atol=1e-6)
    part = _play(make_engine(sample_paths=[root], limiter=False), 1200, s="ramp", begin=0.5,
                 end=0.6)
    np.testing.assert_allclose(part[:75], dc_block(ramp[500:575]), atol=1e-5)
    assert np.abs(part[110:]).max() < 0.1 * np.abs(part[:100]).max()


def test_loop_repeats_for_the_duration(make_engine: Callable[..., Engine], root: Path) -> None:
    y = _play(make_engine(sample_paths=[root], limiter=False), 4000, s="ramp", loop=1,
              duration=2500 / SR)
    ramp = np.linspace(0.0, 0.999, 1000)
    np.testing.assert_allclose(y[:2400], dc_block(np.tile(ramp, 3))[:2400], atol=1e-5)
    # after the gate and release only the DC blocker's smooth tail is left
    assert np.abs(np.diff(y[2700:])).max() < 1e-3


def test_stereo_file_is_mixed_to_mono(make_engine: Callable[..., Engine], root: Path) -> None:
    y = _play(make_engine(sample_paths=[root], limiter=False), 600, s="st")
    assert abs(y[100] - dc_block(np.full(200, 0.25))[100]) < 1e-4


def test_env_var_roots(make_engine: Callable[..., Engine], root: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVESTUDIO_SAMPLES", str(root))
    eng = make_engine(limiter=False)
    assert eng.push(0, {"s": "ramp"})


def test_unknown_instrument_raises_once_then_drops(make_engine: Callable[..., Engine],
                                                   root: Path) -> None:
    eng = make_engine(sample_paths=[root])
    with pytest.raises(UnknownInstrumentError, match="nosuch"):
        eng.push(0, {"s": "nosuch"})
    assert eng.push(10, {"s": "nosuch"}) is False
    assert eng.push(20, {"s": "nosuch"}) is False
    with pytest.raises(UnknownInstrumentError):
        eng.push(0, {"s": "other"})
    assert eng.unknown_reported == {"nosuch", "other"}
    assert eng.status()["unknown_dropped"] == 2.0
    eng.render(256)  # nothing queued for them


def test_nan_samples_in_a_file_are_zeroed(make_engine: Callable[..., Engine],
                                          tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    data = np.full(400, np.nan, dtype=np.float32)
    soundfile.write(tmp_path / "bad" / "nan.wav", data, SR, subtype="FLOAT")
    eng = make_engine(sample_paths=[tmp_path])
    eng.push(0, {"s": "bad"})
    y = eng.render(1000)
    assert np.isfinite(y).all()


def test_a_drum_kit_folder_wins_over_the_synth_drum_and_banks_prefix(
        make_engine: Callable[..., Engine], tmp_path: Path) -> None:
    for folder in ("hh", "RolandTR909_bd"):
        (tmp_path / folder).mkdir()
        soundfile.write(tmp_path / folder / "a.wav", np.full(400, 0.25, np.float32), SR, subtype="FLOAT")
    kit = make_engine(sample_paths=[tmp_path], limiter=False)
    y = _play(kit, 1000, s="hh")
    assert abs(y[100] - dc_block(np.full(200, 0.25))[100]) < 1e-5   # the file, not the synth hat
    synth = make_engine(sample_paths=[tmp_path], limiter=False)
    y_sd = _play(synth, 1000, s="sd")                                 # no sd folder: the synth drum
    assert np.max(np.abs(y_sd)) > 0.05 and np.std(np.diff(y_sd[:400])) > 1e-3
    banked = make_engine(sample_paths=[tmp_path], limiter=False)
    y_bank = _play(banked, 1000, s="bd", bank="RolandTR909")
    np.testing.assert_array_equal(y_bank, y)                          # same file content
    missing = make_engine(sample_paths=[tmp_path], limiter=False)
    with pytest.raises(UnknownInstrumentError, match="LinnDrum_bd"):
        missing.push(0, {"s": "bd", "bank": "LinnDrum"})

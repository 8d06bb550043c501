"""Held notes (keys played live): open gates, release at an exact frame, no clicks.

Everything offline on the engine core (``Engine.press`` / ``Engine.release`` put the
same rows into the same ring the live engine process writes).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from livestudio.engine import Engine
from livestudio.engine import layout as L
from livestudio.engine.measure import max_step
from livestudio.errors import EngineError

SR = 48000
PAD = {"s": "sine", "freq": 220.0, "attack": 0.0, "sustain": 1.0, "gain": 0.5}


def _bus(eng: Engine, frames: int, bus: int = 0) -> np.ndarray:
    """Render ``frames`` and return bus ``bus``'s left channel (before the master: no latency)."""
    buses = np.zeros((eng.max_buses, frames, 2), dtype=np.float32)
    eng.render_into(np.zeros((frames, 2), dtype=np.float32), buses=buses)
    return buses[bus, :, 0].copy()


def test_a_held_note_sustains_past_any_normal_gate(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.press(0, {**PAD, "duration": 0.01}, key=60)       # duration is ignored for a key
    eng.push(0, {**PAD, "freq": 330.0, "orbit": 1})          # a plain note: default gate 0.25 s
    y = _bus(eng, 4 * SR)
    assert eng.status()["active_voices"] == 1.0
    steady = np.abs(y[SR // 2:SR]).max()
    assert steady > 0.3
    assert np.abs(y[-SR // 2:]).max() == pytest.approx(steady, rel=1e-3)


def test_release_at_a_frame_is_a_note_of_exactly_that_length(make_engine: Callable[..., Engine]) -> None:
    """Released at frame F (mid-block), a held voice is bit for bit a note whose gate is F."""
    f = 30011
    held = make_engine()
    held.press(0, {**PAD, "release": 0.2, "cutoff": 3000}, key=7)
    held.release(7, frame=f)
    plain = make_engine()
    plain.push(0, {**PAD, "release": 0.2, "cutoff": 3000, "duration": f / SR})
    y_held = _bus(held, f + SR // 2)
    y_plain = _bus(plain, f + SR // 2)
    assert np.abs(y_held).max() > 0.3
    np.testing.assert_array_equal(y_held, y_plain)


def test_release_decays_over_the_release_time_without_a_click(make_engine: Callable[..., Engine]) -> None:
    f, rel = 24007, 0.1
    eng = make_engine()
    eng.press(0, {**PAD, "release": rel}, key=1)
    eng.release(1, frame=f)
    y = _bus(eng, f + SR)
    steady = np.abs(y[f - 4800:f]).max()
    windows = [np.abs(y[f + k * 960:f + (k + 1) * 960]).max() for k in range(5)]
    assert steady > 0.3 and 0.75 * steady < windows[0] < steady          # the release starts at f
    assert all(b < a for a, b in zip(windows, windows[1:]))               # falling all the way
    end = f + int(rel * SR)
    assert np.all(y[end + 1:] == 0.0)                                    # over after its release
    assert eng.status()["active_voices"] == 0.0
    # no step larger than the sine's own steepest slope (the click bound)
    bound = 1.01 * max_step(y[f - 4800:f])
    assert max_step(y[f - 4800:]) <= bound


def test_release_mid_attack_starts_from_the_level_reached(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.press(0, {**PAD, "attack": 0.5, "release": 0.005}, key=3)
    eng.release(3, frame=2400)                 # 10 % into a 0.5 s attack
    y = _bus(eng, SR // 4)
    assert 0.02 < np.abs(y[:2400]).max() < 0.1 * 0.5 * np.cos(np.pi / 4) + 1e-6
    assert max_step(y) <= max_step(y[:2400]) * 1.05
    assert np.all(y[2400 + 240 + 1:] == 0.0)


def test_retriggered_key_then_one_release_ends_both_voices(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.press(0, PAD, key=60)
    eng.press(4800, PAD, key=60)                # the same key again without a release
    eng.press(4800, {**PAD, "freq": 330.0}, key=64)
    eng.render(9600)
    assert eng.status()["active_voices"] == 3.0
    eng.release(60)
    eng.render(4800)
    assert eng.status()["active_voices"] == 1.0   # key 64 still held
    eng.release(64)
    eng.render(4800)
    assert eng.status()["active_voices"] == 0.0


def test_releasing_a_key_that_is_not_held_is_harmless(make_engine: Callable[..., Engine]) -> None:
    def run(stray: bool) -> np.ndarray:
        eng = make_engine()
        eng.press(0, PAD, key=60)
        eng.push(100, {**PAD, "freq": 440.0, "duration": 0.2, "orbit": 1})
        eng.press(200, {**PAD, "freq": 550.0, "orbit": 2}, key=61)
        if stray:
            eng.release(99, frame=5000)            # never pressed
            eng.release(60, bus=1, frame=5000)     # pressed, but on another bus
            eng.release(61, bus=0, frame=5000)
            eng.release(-1, bus=3, frame=5000)     # every key of an idle bus
        return eng.render(SR)

    reference = run(False)
    assert np.abs(reference).max() > 0.1
    np.testing.assert_array_equal(run(True), reference)


def test_drums_and_one_shot_samples_ignore_the_key_release(make_engine: Callable[..., Engine]) -> None:
    held = make_engine()
    held.press(0, {"s": "bd"}, key=36)
    held.release(36, frame=480)
    plain = make_engine()
    plain.push(0, {"s": "bd"})
    np.testing.assert_array_equal(held.render(SR), plain.render(SR))


def test_panic_steal_kill_and_flush_leave_no_held_voice(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(max_voices=4)
    for k in range(6):                        # more keys than voices: the oldest are stolen
        eng.press(k * 100, {**PAD, "freq": 200.0 + 50 * k}, key=k + 1)
    eng.render(4800)
    st = eng.status()
    assert st["stolen_voices"] == 2.0 and st["active_voices"] == 4.0
    eng.release(1)                            # a stolen key: harmless
    eng.panic()
    eng.render(4800)
    assert eng.status()["active_voices"] == 0.0
    eng.press(eng.frame, PAD, key=9)
    eng.render(480)
    eng.kill()
    eng.render(480)
    assert eng.status()["active_voices"] == 0.0
    eng.press(eng.frame + 1000, PAD, key=10)  # queued, then flushed before it starts
    eng.render(480)
    eng.flush()
    assert not np.any(_bus(eng, 4800))
    assert eng.status()["active_voices"] == 0.0


def test_a_key_played_late_sounds_at_the_block_start_and_is_not_counted_late(
        make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    eng.render(1024)
    eng.press(10, PAD, key=1)                 # stamped in the past
    y = _bus(eng, 4800)
    assert np.nonzero(y)[0][0] == 0
    assert eng.status()["late_events"] == 0.0
    eng.push(10, {**PAD, "duration": 0.01})   # a pattern note that late still counts
    eng.render(128)
    assert eng.status()["late_events"] == 1.0


def test_a_key_never_released_ends_at_the_gate_cap() -> None:
    eng = Engine(sample_rate=8000, max_voices=2, max_buses=1, pool_floats=1 << 20)
    eng.press(0, {**PAD, "release": 0.01}, key=1)
    eng.render(L.MAX_AGE - 4000)
    assert eng.status()["active_voices"] == 1.0
    y = _bus(eng, 8000)
    assert eng.status()["active_voices"] == 0.0
    assert np.abs(y[:4000]).max() > 0.3 and np.all(y[4000 + 80:] == 0.0)


@pytest.mark.parametrize("key", [0, -5, 1 << 41])
def test_bad_key_ids_are_refused(make_engine: Callable[..., Engine], key: int) -> None:
    eng = make_engine()
    with pytest.raises(EngineError):
        eng.press(0, PAD, key=key)
    if key != -1:
        with pytest.raises(EngineError):
            eng.release(key)


def test_a_removed_track_releases_its_notes_and_lets_one_shots_play_out(
        make_engine: Callable[..., Engine]) -> None:
    def render(end_at: int | None) -> tuple[np.ndarray, np.ndarray]:
        eng = make_engine()
        eng.push(0, {**PAD, "duration": 2.0, "release": 0.1, "orbit": 1})   # a long pad note
        eng.push(0, {"s": "bd", "orbit": 2, "gain": 0.8})                     # a drum on another bus
        eng.push(0, {"s": "bd", "orbit": 1, "gain": 0.8})                     # and one on the pad's
        if end_at is not None:
            eng.end_notes(1, frame=end_at)
            eng.end_notes(2, frame=end_at)
        buses = np.zeros((eng.max_buses, SR, 2), dtype=np.float32)
        eng.render_into(np.zeros((SR, 2), dtype=np.float32), buses=buses)
        return buses[1, :, 0].copy(), buses[2, :, 0].copy()

    end = SR // 4
    kept1, kept2 = render(None)
    cut1, cut2 = render(end)
    np.testing.assert_array_equal(cut2, kept2)               # the drum plays its own length
    np.testing.assert_array_equal(cut1[:end], kept1[:end])   # nothing changes before the frame
    drum_only = kept2                                        # bus 1 = pad + the same drum
    pad_after = cut1[end:] - drum_only[end:]
    assert np.abs(pad_after[:480]).max() > 0.2               # releasing, not cut ...
    assert np.abs(pad_after[int(0.12 * SR):]).max() < 1e-6   # ... over its 0.1 s release
    assert max_step(pad_after[:2400]) <= max_step(kept1[end - 2400:end] - drum_only[end - 2400:end]) * 1.5

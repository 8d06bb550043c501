"""Events: sample-accurate onsets at any block size, determinism, panic, stealing."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest
import soundfile

from livestudio.engine import Engine

SR = 48000
ONSETS = [0, 1, 63, 64, 127, 1000, 1001, 4095, 7777]


def _render_blocks(eng: Engine, frames: int, block: int) -> np.ndarray:
    out = np.zeros((frames, 2), dtype=np.float32)
    pos = 0
    while pos < frames:
        n = min(block, frames - pos)
        eng.render_into(out[pos:pos + n])
        pos += n
    return out


@pytest.fixture
def click_root(tmp_path: Path) -> Path:
    """A sample folder ``click`` with one file: a single full-scale sample then zeros."""
    folder = tmp_path / "click"
    folder.mkdir()
    data = np.zeros(64, dtype=np.float32)
    data[0] = 1.0
    soundfile.write(folder / "click.wav", data, SR, subtype="FLOAT")
    return tmp_path


@pytest.mark.parametrize("block", [1, 64, 128, 1000])
def test_onsets_are_exact_at_any_block_size(make_engine: Callable[..., Engine],
                                            click_root: Path, block: int) -> None:
    eng = make_engine(sample_paths=[click_root], limiter=False)
    for f in ONSETS:
        eng.push(f, {"s": "click", "gain": 0.5})
    frames = 8192 if block > 1 else 8000
    y = _render_blocks(eng, frames, block)[:, 0]
    lat = eng.latency
    # the DC blocker's slow tail follows each click; the clicks themselves stand out
    hits = np.nonzero(np.abs(y) > 0.1)[0] - lat
    assert list(hits) == [f for f in ONSETS if f + lat < frames]


def test_block_size_does_not_change_a_single_sample(make_engine: Callable[..., Engine]) -> None:
    def song(eng: Engine) -> None:
        for k in range(24):
            eng.push(k * 997, {"s": ["saw", "supersaw", "bd", "hh", "fm", "sd", "square"][k % 7],
                               "note": 40 + k, "duration": 0.05, "cutoff": 3000,
                               "room": 0.2, "delay": 0.3, "orbit": k % 3})

    outs = []
    for block in (1, 64, 1000):
        eng = make_engine()
        song(eng)
        outs.append(_render_blocks(eng, 30000, block))
    assert np.abs(outs[0]).max() > 0.01
    np.testing.assert_array_equal(outs[0], outs[1])
    np.testing.assert_array_equal(outs[0], outs[2])


def test_block_size_does_not_change_a_sample_with_many_voices_ending_anywhere(
        make_engine: Callable[..., Engine]) -> None:
    """More than one group of pass-2 lanes sounds, and voices end at every kind of
    frame: the bus sums must not depend on which block freed a voice."""
    def song(eng: Engine) -> None:
        for k in range(160):
            eng.push(k * 67, {"s": ["saw", "sine", "tri", "hh", "supersaw"][k % 5],
                              "note": 36 + (k * 7) % 40, "duration": 0.01 + 0.011 * (k % 17),
                              "release": 0.002 * (k % 5), "cutoff": 500 + 40 * k,
                              "room": 0.1 * (k % 2), "delay": 0.2 * (k % 3 == 0),
                              "orbit": k % 3, "gain": 0.1})

    outs = []
    for block in (1, 7, 64, 1000):
        eng = make_engine(max_voices=128)
        song(eng)
        outs.append(_render_blocks(eng, 16000, block))
    assert np.abs(outs[0]).max() > 0.01
    for other in outs[1:]:
        np.testing.assert_array_equal(outs[0], other)


def test_same_events_give_bit_identical_output(make_engine: Callable[..., Engine]) -> None:
    def run() -> bytes:
        eng = make_engine()
        for k, name in enumerate(["white", "pink", "cp", "supersaw", "oh", "rim", "lt"]):
            eng.push(k * 1500, {"s": name, "note": 50, "duration": 0.1, "room": 0.3})
        return eng.render(24000).tobytes()

    assert run() == run()


def test_late_events_play_at_block_start_and_are_counted(
        make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(limiter=False)
    eng.render(1000)
    eng.push(10, {"s": "white", "duration": 0.01})
    y = eng.render(500)
    assert eng.status()["late_events"] == 1.0
    assert np.nonzero(y[:, 0])[0][0] == eng.latency


def test_panic_fades_everything_quickly(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine()
    for k in range(8):
        eng.push(0, {"s": "saw", "note": 40 + k, "duration": 10.0})
    eng.render(4800)
    eng.panic()
    y = eng.render(4800)
    assert eng.status()["active_voices"] == 0.0
    # 5 ms fade + latency; after it only the DC blocker's smooth little tail
    assert np.abs(y[1000:]).max() < 0.01
    assert np.abs(np.diff(y[1000:, 0])).max() < 1e-4


def test_pool_full_steals_oldest(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(max_voices=4)
    for k in range(10):
        eng.push(k * 100, {"s": "sine", "note": 60 + k, "duration": 1.0})
    eng.render(2400)
    st = eng.status()
    assert st["stolen_voices"] == 6.0
    assert st["active_voices"] == 4.0


def test_many_events_in_one_render_call(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(pending_capacity=64, ring_capacity=32)
    for k in range(2000):
        eng.push(k * 24, {"s": "hh", "gain": 0.1})
    eng.render(2000 * 24)
    assert eng.status()["dropped_events"] == 0.0
    assert eng.status()["stolen_voices"] > 0


def test_push_row_and_ring_write(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(limiter=False)
    row = eng.encode(100, {"s": "white", "duration": 0.01})
    assert eng.ring_write(row)
    y = eng.render(300)
    assert np.nonzero(y[:, 0])[0][0] == 100 + eng.latency


def _queued_engine() -> tuple[Engine, list[int]]:
    """Notes on buses 0 and 1 written straight into the ring ahead of time, as the live host does."""
    eng = Engine(max_voices=16, max_buses=4, pool_floats=1 << 20)
    frames = [2000, 6000, 10000]
    for f in frames:
        for bus in (0, 1):
            assert eng.ring_write(eng.encode(f, {"s": "sine", "note": 60 + 7 * bus, "duration": 0.01,
                                                 "orbit": bus}))
    return eng, frames


def test_flush_drops_queued_notes_so_nothing_starts_after_a_stop() -> None:
    eng, _ = _queued_engine()
    eng.render(1000)              # the rows are drained into the pending table
    eng.flush()                   # a stop: drop every queued note
    after = eng.render(12000)
    assert not np.any(after)
    # notes sent after the flush play
    eng.push(eng.frame + 100, {"s": "sine", "note": 60, "duration": 0.01})
    assert np.any(eng.render(2000))


def test_flush_of_one_bus_keeps_the_others() -> None:
    eng, frames = _queued_engine()
    reference, _ = _queued_engine()
    eng.render(1000)
    reference.render(1000)
    eng.flush(bus=0)
    buses = np.zeros((4, 12000, 2), dtype=np.float32)
    eng.render_into(np.zeros((12000, 2), dtype=np.float32), buses=buses)
    ref_buses = np.zeros((4, 12000, 2), dtype=np.float32)
    reference.render_into(np.zeros((12000, 2), dtype=np.float32), buses=ref_buses)
    assert not np.any(buses[0]) and np.any(ref_buses[0])
    assert np.array_equal(buses[1], ref_buses[1]) and np.any(buses[1])

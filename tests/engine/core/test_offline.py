"""Offline helpers: per-bus stems beside the master, the master bus over a premaster, seed."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from livestudio.engine import Engine
from livestudio.engine import layout as L
from livestudio.engine.core import MasterBus, master_offline
from livestudio.engine.measure import true_peak
from livestudio.errors import EngineError


def _song(eng: Engine) -> None:
    for k in range(12):
        eng.push(k * 700, {"s": ["saw", "bd", "white"][k % 3], "note": 45 + k,
                           "duration": 0.05, "orbit": k % 3, "room": 0.2 * (k % 2)})


def test_stems_sum_to_the_master_input(make_engine: Callable[..., Engine]) -> None:
    eng = make_engine(limiter=False)
    _song(eng)
    frames = 12000
    out = np.zeros((frames + eng.latency, 2), np.float32)
    stems = np.zeros((4, frames + eng.latency, 2), np.float32)
    eng.render_into(out, buses=stems)
    assert np.abs(stems[0]).max() > 0.01 and np.abs(stems[1]).max() > 0.01
    assert np.all(stems[3] == 0.0)
    # the master is the DC-blocked sum, delayed by the latency
    ref = master_offline(stems.sum(axis=0), 48000, ceiling_db=200.0)
    np.testing.assert_allclose(out[eng.latency:], ref[:frames], atol=1e-5)
    plain = make_engine(limiter=False)
    _song(plain)
    np.testing.assert_array_equal(plain.render(frames + plain.latency), out)


def test_master_offline_limits_and_keeps_alignment() -> None:
    x = np.zeros((48000, 2), np.float32)
    x[1000] = 0.5
    y = master_offline(x, 48000, gain_db=0.0)
    assert np.argmax(np.abs(y[:, 0])) == 1000
    loud = np.sin(2 * np.pi * 997 * np.arange(48000) / 48000).astype(np.float32)[:, None]
    z = master_offline(np.repeat(loud, 2, axis=1), 48000, gain_db=12.0, ceiling_db=-1.0)
    assert true_peak(z[2000:]) <= 10 ** (-1.0 / 20) * 1.001
    assert np.abs(z[2000:]).max() > 0.85


def test_seed_changes_noise_only_when_asked(make_engine: Callable[..., Engine]) -> None:
    def run(seed: int) -> np.ndarray:
        eng = make_engine(seed=seed)
        eng.push(0, {"s": "white", "duration": 0.05})
        return eng.render(4096)

    np.testing.assert_array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


def test_master_bus_in_pieces_is_the_master_in_one_go() -> None:
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((20000, 2)) * 0.6).astype(np.float32)  # limits often
    whole = MasterBus(48000).process(x)
    bus = MasterBus(48000)
    cuts = [0, 1, 77, 128, 1000, 4096, 4097, 20000]
    pieces = [bus.process(x[a:b]) for a, b in zip(cuts, cuts[1:])]
    np.testing.assert_array_equal(np.concatenate(pieces), whole)
    aligned = master_offline(x, 48000)
    np.testing.assert_array_equal(aligned[:-bus.latency], whole[bus.latency:])


def test_a_long_chunk_renders_the_same_song_block_size_free() -> None:
    outs = []
    for chunk, block in ((L.long_chunk(48000), 97), (L.long_chunk(48000), 4096), (0, 4096)):
        eng = Engine(sample_rate=48000, max_voices=32, max_buses=4, master=False, chunk=chunk)
        _song(eng)
        for k in range(4):
            eng.push(300 + k * 2100, {"s": "supersaw", "note": 50 + k, "duration": 0.1,
                                      "cutoff": 900, "lpenv": 2, "orbit": 3, "room": 0.5})
        out = np.zeros((12000, 2), np.float32)
        for a in range(0, out.shape[0], block):
            eng.render_into(out[a:a + block])
        outs.append(out)
    np.testing.assert_array_equal(outs[0], outs[1])
    assert np.abs(outs[0] - outs[2]).max() < 1e-6 and np.abs(outs[2]).max() > 0.01
    for bad in (100, 256):
        with pytest.raises(EngineError):
            Engine(sample_rate=48000, chunk=bad)

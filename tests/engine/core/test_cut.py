"""Cut groups: a new note of a group stops the group's sounding notes on its track."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from livestudio.engine import Engine

SR = 48000


def _buses(eng: Engine, frames: int) -> np.ndarray:
    buses = np.zeros((eng.max_buses, frames, 2), dtype=np.float32)
    eng.render_into(np.zeros((frames, 2), dtype=np.float32), buses=buses)
    return buses[:, :, 0].astype(np.float64)


def run(make_engine: Callable[..., Engine], *events: tuple[int, dict[str, Any]]) -> np.ndarray:
    eng = make_engine()
    for frame, controls in events:
        eng.push(frame, controls)
    return _buses(eng, SR // 2)


def test_closed_hat_chokes_the_open_hat(make_engine: Callable[..., Engine]) -> None:
    at = SR // 10
    oh = (0, {"s": "oh", "cut": 1, "gain": 0.8})
    hh = (at, {"s": "hh", "cut": 1, "gain": 0.0001})                # nearly silent: shows the choke
    choked = run(make_engine, oh, hh)[0]
    ringing = run(make_engine, oh, (at, {"s": "hh", "gain": 0.0001}))[0]
    np.testing.assert_array_equal(choked[:at], ringing[:at])
    after = slice(at + int(0.006 * SR), at + int(0.2 * SR))
    assert np.abs(ringing[after]).max() > 0.05                       # the open hat rings on ...
    assert np.abs(choked[after]).max() < 1e-3                        # ... unless cut


def test_other_groups_and_other_tracks_are_not_cut(make_engine: Callable[..., Engine]) -> None:
    at = SR // 10
    oh = (0, {"s": "oh", "cut": 1, "gain": 0.8})
    plain = run(make_engine, oh)[0]
    other_group = run(make_engine, oh, (at, {"s": "hh", "cut": 2, "gain": 0.0}))[0]
    other_track = run(make_engine, oh, (at, {"s": "hh", "cut": 1, "gain": 0.0, "orbit": 1}))[0]
    np.testing.assert_array_equal(other_group, plain)
    np.testing.assert_array_equal(other_track, plain)

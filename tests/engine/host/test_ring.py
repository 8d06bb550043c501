"""The SPSC ring: wraps, refuses when full, and the nopython side agrees."""

from __future__ import annotations

import numpy as np

from livestudio.engine.host import ring


def test_push_pop_wraps_around() -> None:
    buf = ring.new_ring(capacity=4, width=2)
    for start in range(0, 40, 3):
        rows = np.arange(start, start + 3, dtype=np.float64).repeat(2).reshape(3, 2)
        assert ring.push(buf, 2, rows) == 3
        assert np.array_equal(ring.pop(buf, 2, 10), rows)
    assert ring.pending(buf) == 0


def test_push_stops_when_full() -> None:
    buf = ring.new_ring(capacity=4, width=1)
    assert ring.push(buf, 1, np.ones((6, 1))) == 4
    assert ring.push(buf, 1, np.ones((1, 1))) == 0
    assert ring.pop(buf, 1, 2).shape == (2, 1)
    assert ring.push(buf, 1, np.full((3, 1), 7.0)) == 2


def test_nopython_producer_and_python_consumer() -> None:
    buf = ring.new_ring(capacity=8, width=2)
    block = np.arange(20, dtype=np.float64).reshape(10, 2)
    assert ring.nb_push_frames(buf, 2, block, 5) == 5
    assert ring.nb_push_frames(buf, 2, block[5:], 5) == 3   # only 3 free
    out = ring.pop(buf, 2, 100)
    assert np.array_equal(out, block[:8])
    assert ring.nb_peek_count(buf) == 0

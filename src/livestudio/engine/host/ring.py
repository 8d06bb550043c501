"""A single-producer/single-consumer ring of fixed-width float64 rows.

The ring is one flat float64 array (private or in shared memory):
``[write_count, read_count, pad..., rows...]``. The producer only writes rows and
then ``write_count``; the consumer only reads rows and then ``read_count``; counts
grow forever (float64 counts are exact up to 2**53). No locks: one producer thread
(or callback) and one consumer, possibly in different processes.

Both sides exist as plain Python/NumPy (for threads that hold the GIL) and as
``@njit`` functions (for the audio callback).

>>> buf = new_ring(capacity=4, width=2)
>>> push(buf, 2, np.array([[1., 2.], [3., 4.]]))
2
>>> pop(buf, 2, 8)
array([[1., 2.],
       [3., 4.]])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

W = 0          # write count
R = 1          # read count
HEADER = 8     # slots before the rows (keeps rows cache-line apart from the counters)


def ring_size(capacity: int, width: int) -> int:
    """Float64 slots a ring of ``capacity`` rows of ``width`` needs."""
    return HEADER + capacity * width


def new_ring(capacity: int, width: int) -> np.ndarray:
    """A private zeroed ring array."""
    return np.zeros(ring_size(capacity, width), dtype=np.float64)


def capacity_of(buf: np.ndarray, width: int) -> int:
    """How many rows the ring holds."""
    return (buf.shape[0] - HEADER) // width


def push(buf: np.ndarray, width: int, rows: np.ndarray) -> int:
    """Append as many ``rows`` as fit (producer side); returns how many were written."""
    cap = capacity_of(buf, width)
    w = int(buf[W])
    free = cap - (w - int(buf[R]))
    n = min(free, rows.shape[0])
    if n <= 0:
        return 0
    data = buf[HEADER:HEADER + cap * width].reshape(cap, width)
    start = w % cap
    first = min(n, cap - start)
    data[start:start + first] = rows[:first]
    if n > first:
        data[:n - first] = rows[first:n]
    buf[W] = w + n
    return n


def pop(buf: np.ndarray, width: int, max_rows: int) -> np.ndarray:
    """Take up to ``max_rows`` rows (consumer side) as a new array."""
    cap = capacity_of(buf, width)
    r = int(buf[R])
    n = min(int(buf[W]) - r, max_rows)
    if n <= 0:
        return np.zeros((0, width))
    data = buf[HEADER:HEADER + cap * width].reshape(cap, width)
    idx = (np.arange(r, r + n) % cap)
    out = data[idx].copy()
    buf[R] = r + n
    return out


def pending(buf: np.ndarray) -> int:
    """Rows written and not yet read."""
    return int(buf[W]) - int(buf[R])


@njit(nogil=True, cache=True)
def nb_push_frames(buf: np.ndarray, width: int, block: np.ndarray, frames: int) -> int:
    """Append ``frames`` rows of a 2-D block (producer, nopython); returns rows written."""
    cap = (buf.shape[0] - HEADER) // width
    w = np.int64(buf[W])
    free = cap - (w - np.int64(buf[R]))
    n = frames if frames < free else free
    for i in range(n):
        base = HEADER + ((w + i) % cap) * width
        for c in range(width):
            buf[base + c] = block[i, c]
    buf[W] = w + n
    return n


@njit(nogil=True, cache=True)
def nb_peek_count(buf: np.ndarray) -> int:
    """Rows pending (consumer, nopython)."""
    return np.int64(buf[W]) - np.int64(buf[R])


@njit(nogil=True, cache=True)
def nb_row_base(buf: np.ndarray, width: int, k: int) -> int:
    """Slot index of the k-th pending row (consumer, nopython)."""
    cap = (buf.shape[0] - HEADER) // width
    return HEADER + ((np.int64(buf[R]) + k) % cap) * width


@njit(nogil=True, cache=True)
def nb_consume(buf: np.ndarray, n: int) -> None:
    """Mark ``n`` rows read (consumer, nopython)."""
    buf[R] = np.int64(buf[R]) + n


@dataclass
class MidiEvent:
    """An event for the MIDI hub (controls carry ``midiport``): plain, picklable data."""

    track: str
    frame: int
    duration_s: float
    controls: dict[str, Any]

"""The engine status block: float64 slots in shared memory, written by the engine.

The audio callback writes the fast-moving slots (frame, load, xruns, levels) once per
block; the engine's Python side writes the rest (tempo anchor, sync). The front reads
whenever it likes: each slot is one aligned float64, so reads never tear.
"""

from __future__ import annotations

import numpy as np

MAX_TRACKS = 64
LOAD_HISTORY = 8192  # per-block loads, a ring the benchmark reads (~21 s at 128/48k)

# scalar slots
FRAME = 0            # engine frame at the end of the last rendered block
MONO_NS = 1          # CLOCK_MONOTONIC ns at the start of the last callback
BLOCKS = 2           # callbacks so far
LOAD = 3             # smoothed load (time in callback / block duration)
LOAD_MAX = 4         # max load over the last ~1 s
XRUNS = 5            # output underflows reported by PortAudio
LATE = 6             # events that arrived after their frame
VOICES = 7           # active voices
PLAYING = 8          # 1 when the transport runs
RUNNING = 9          # 1 once the first block was rendered
START_FRAME = 10     # requested frame at START_MONO_NS (resume after a restart)
START_MONO_NS = 11   # 0: start at START_FRAME on the first callback
SAMPLE_RATE = 12
BLOCKSIZE = 13
ANCHOR_FRAME = 14    # latest tempo anchor (engine side)
ANCHOR_CYCLE = 15
ANCHOR_CPS = 16
REC_ON = 17          # 1 while the callback copies the master into the record ring
REC_DROPPED = 18     # frames the record writer could not keep up with
LOAD_WIN_MAX = 19    # max in the current window (callback-private)
LOAD_WIN_N = 20      # blocks in the current window (callback-private)
LOAD_PREV_MAX = 21   # max of the previous window (callback-private)
LOAD_HIST_W = 22     # write count into the load history
HEARTBEAT_NS = 23    # engine Python side alive (monotonic ns)
SYNC_OK = 24
LINK_PEERS = 25
NAN_VOICES = 26
PEAK_MASTER = 27
LATENCY_S = 28       # output latency reported by the stream
CALLBACK_KIND = 29   # 1 cfunc, 2 python, 3 file sink
PID = 30
MAX_BLOCK = 31       # the largest block the callback may be given (scratch size)
REC_FIRST = 32       # engine frame of the first recorded sample (-1: not yet)
LATE_ARRIVALS = 33   # events that reached the engine process after their block began
N_SCALARS = 40

LEVELS = N_SCALARS                      # MAX_TRACKS decaying peaks
LOAD_HIST = LEVELS + MAX_TRACKS         # LOAD_HISTORY per-block loads
SIZE = LOAD_HIST + LOAD_HISTORY

CALLBACK_KINDS = {1: "cfunc", 2: "python", 3: "file"}


def new_status_array() -> np.ndarray:
    """A zeroed private status array (tests and in-process use)."""
    return np.zeros(SIZE, dtype=np.float64)


def load_history(status: np.ndarray, since: int) -> tuple[np.ndarray, int]:
    """Per-block loads written since write count ``since``; returns (loads, new count).

    Loads older than the ring holds are lost (the count still moves on).
    """
    written = int(status[LOAD_HIST_W])
    n = min(written - since, LOAD_HISTORY)
    if n <= 0:
        return np.zeros(0), written
    idx = (np.arange(written - n, written) % LOAD_HISTORY) + LOAD_HIST
    return status[idx].copy(), written

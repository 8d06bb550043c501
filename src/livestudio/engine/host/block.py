"""The work of one audio block, shared by the cfunc callback, the Python fallback
callback and the file sink: place the start frame, render, clamp, record, measure.

Everything the block touches is reached through one int64 *header* array of
addresses and sizes (see ``H_*``), so a compiled callback needs a single ``userdata``
pointer. No allocation, no locks, no GIL.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import carray, njit, types

from livestudio.engine.host import ring
from livestudio.engine.host import status as S
from livestudio.engine.host.nbutil import as_voidptr, monotonic_ns

# header slots
(H_ARENA, H_ARENA_N, H_LAYOUT, H_LAYOUT_N, H_STATUS, H_STATUS_N, H_SCRATCH, H_MAX_BLOCK,
 H_REC, H_REC_N, H_FRAME_SLOT, H_VOICES_SLOT, H_LATE_SLOT, H_LEVELS_SLOT, H_SR,
 H_CHANNELS, H_LEVELS_N, H_LEVELS_STRIDE, H_POOL, H_POOL_N, H_SCRATCH32) = range(21)
HEADER_SIZE = 24
REC_WIDTH = 2
INLINED = ("block.py", "nbutil.py", "ring.py", "status.py")   # what a callback module compiles in
OUTPUT_UNDERFLOW = 4
LEVEL_DECAY_S = 0.3

CALLBACK_SIG = types.int32(types.voidptr, types.voidptr, types.uint64, types.voidptr,
                           types.uint64, types.voidptr)


@njit(nogil=True, cache=True)
def views(hdr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The arena, layout, status and scratch arrays the header points at."""
    arena = carray(as_voidptr(hdr[H_ARENA]), (hdr[H_ARENA_N],), np.float64)
    layout = carray(as_voidptr(hdr[H_LAYOUT]), (hdr[H_LAYOUT_N],), np.int64)
    st = carray(as_voidptr(hdr[H_STATUS]), (hdr[H_STATUS_N],), np.float64)
    scratch = carray(as_voidptr(hdr[H_SCRATCH]), (hdr[H_MAX_BLOCK], 2), np.float64)
    return arena, layout, st, scratch


@njit(nogil=True, cache=True)
def pool_views(hdr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The float32 sample pool and float32 ``(max_block, 2)`` scratch (core engine)."""
    pool = carray(as_voidptr(hdr[H_POOL]), (hdr[H_POOL_N],), np.float32)
    scratch32 = carray(as_voidptr(hdr[H_SCRATCH32]), (hdr[H_MAX_BLOCK], 2), np.float32)
    return pool, scratch32


@njit(nogil=True, cache=True)
def begin(hdr: np.ndarray, arena: np.ndarray, st: np.ndarray, t0: int) -> None:
    """On the very first block, place the engine frame (resume where time has got to)."""
    if st[S.RUNNING] == 0.0:
        start = st[S.START_FRAME]
        if st[S.START_MONO_NS] > 0.0:
            start += math.floor((t0 - st[S.START_MONO_NS]) * float(hdr[H_SR]) / 1e9 + 0.5)
        arena[hdr[H_FRAME_SLOT]] = start
        st[S.RUNNING] = 1.0


@njit(nogil=True, cache=True)
def emit(hdr: np.ndarray, arena: np.ndarray, st: np.ndarray, scratch: np.ndarray,
         out: np.ndarray, pos: int, n: int) -> float:
    """Clamp a rendered chunk into ``out[pos:pos+n]``, record it; returns its peak."""
    channels = hdr[H_CHANNELS]
    peak = 0.0
    for i in range(n):
        for c in range(2):
            v = scratch[i, c]
            if not (v == v) or v > 1e30 or v < -1e30:
                v = 0.0
            elif v > 1.0:
                v = 1.0
            elif v < -1.0:
                v = -1.0
            scratch[i, c] = v
            a = abs(v)
            if a > peak:
                peak = a
        if channels == 1:
            out[pos + i, 0] = 0.5 * (scratch[i, 0] + scratch[i, 1])
        else:
            out[pos + i, 0] = scratch[i, 0]
            out[pos + i, 1] = scratch[i, 1]
            for c in range(2, channels):
                out[pos + i, c] = 0.0
    if st[S.REC_ON] != 0.0 and hdr[H_REC_N] > 0:
        if st[S.REC_FIRST] < 0.0:
            st[S.REC_FIRST] = arena[hdr[H_FRAME_SLOT]] - n
        rec = carray(as_voidptr(hdr[H_REC]), (hdr[H_REC_N],), np.float64)
        written = ring.nb_push_frames(rec, REC_WIDTH, scratch, n)
        st[S.REC_DROPPED] += n - written
    return peak


@njit(nogil=True, cache=True)
def end(hdr: np.ndarray, arena: np.ndarray, st: np.ndarray, frames: int, flags: int,
        t0: int, peak: float) -> None:
    """Publish the block's status: frame, time, xruns, voices, levels, load."""
    sr = float(hdr[H_SR])
    decay = math.exp(-frames / (sr * LEVEL_DECAY_S))
    st[S.PEAK_MASTER] = max(peak, st[S.PEAK_MASTER] * decay)
    st[S.FRAME] = arena[hdr[H_FRAME_SLOT]]
    st[S.MONO_NS] = float(t0)
    st[S.BLOCKS] += 1.0
    if flags & OUTPUT_UNDERFLOW:
        st[S.XRUNS] += 1.0
    if hdr[H_VOICES_SLOT] >= 0:
        st[S.VOICES] = arena[hdr[H_VOICES_SLOT]]
    if hdr[H_LATE_SLOT] >= 0:
        st[S.LATE] = arena[hdr[H_LATE_SLOT]]
    lv = hdr[H_LEVELS_SLOT]
    if lv >= 0:
        stride = hdr[H_LEVELS_STRIDE]
        for t in range(min(hdr[H_LEVELS_N], S.MAX_TRACKS)):
            o = lv + t * stride
            v = arena[o]
            arena[o] = 0.0
            if stride > 1:
                v = max(v, arena[o + 1])
                arena[o + 1] = 0.0
            old = st[S.LEVELS + t] * decay
            st[S.LEVELS + t] = v if v > old else old
    # load: time in callback / block duration; smoothed, windowed max, history
    load = (monotonic_ns() - t0) * sr / (1e9 * frames)
    st[S.LOAD] = 0.95 * st[S.LOAD] + 0.05 * load
    if load > st[S.LOAD_WIN_MAX]:
        st[S.LOAD_WIN_MAX] = load
    st[S.LOAD_WIN_N] += frames
    if st[S.LOAD_WIN_N] >= sr:
        st[S.LOAD_PREV_MAX] = st[S.LOAD_WIN_MAX]
        st[S.LOAD_WIN_MAX] = 0.0
        st[S.LOAD_WIN_N] = 0.0
    st[S.LOAD_MAX] = max(st[S.LOAD_WIN_MAX], st[S.LOAD_PREV_MAX])
    hw = np.int64(st[S.LOAD_HIST_W])
    st[S.LOAD_HIST + hw % S.LOAD_HISTORY] = load
    st[S.LOAD_HIST_W] = hw + 1


def load_callbacks(backend: str) -> tuple[Any, Any]:
    """``(host_block, cfunc)`` compiled around the ``backend``'s render (cached).

    ``host_block(header, out, frames, flags)`` does one block into ``out`` (a
    ``(frames, channels)`` float32 array); the cfunc is the PortAudio callback with
    the header's address as ``userdata``. Each backend has its own small module so
    that Numba's cache never mixes renders up.
    """
    import importlib
    module = importlib.import_module(f"livestudio.engine.host.callback_{backend}")
    return module.host_block, module.callback

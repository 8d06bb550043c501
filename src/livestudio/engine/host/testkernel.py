"""A tiny stand-in render kernel with the engine core's calling convention.

``render_block(arena, layout, out, frames)`` renders sine voices into ``out`` (a
``(frames, 2)`` float64 block) and drains due event rows from an in-arena ring. It
exists so the host plumbing (stream, process, IPC, supervision) can be tested without
the real DSP; live play uses :mod:`livestudio.engine` core.

Rows: ``[frame, track, freq_hz, gain, duration_s, command]`` (command 0 note,
1 panic, 2 release a track).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from livestudio.engine.host import ring

ROW = 6
N_VOICES = 128
RING_ROWS = 4096
RING_SIZE = ring.HEADER + RING_ROWS * ROW
MAX_TRACKS = 64

# layout slots (offsets into the arena)
L_FRAME, L_VOICES, L_LATE, L_RING, L_VOICE, L_LEVELS, L_SR, L_SIZE = range(8)
V_FIELDS = 6  # active, track, phase, inc, gain, remaining


def make_layout(sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """A zeroed arena and its int64 layout for ``sample_rate``."""
    layout = np.zeros(L_SIZE + 1, dtype=np.int64)
    pos = 8
    layout[L_FRAME], layout[L_VOICES], layout[L_LATE], layout[L_SR] = 0, 1, 2, 3
    layout[L_RING] = pos
    pos += ring.ring_size(RING_ROWS, ROW)
    layout[L_VOICE] = pos
    pos += N_VOICES * V_FIELDS
    layout[L_LEVELS] = pos
    pos += MAX_TRACKS
    layout[L_SIZE] = pos
    arena = np.zeros(pos, dtype=np.float64)
    arena[layout[L_SR]] = sample_rate
    return arena, layout


def ring_view(arena: np.ndarray, layout: np.ndarray) -> np.ndarray:
    """The event ring inside the arena."""
    start = int(layout[L_RING])
    return arena[start:start + ring.ring_size(RING_ROWS, ROW)]


def encode(frame: int, track: int, controls: dict[str, object], duration_s: float) -> np.ndarray:
    """An event row: ``note`` (MIDI number, default 60 / ``n``) and ``gain``."""
    note = controls.get("note", controls.get("n", 60))
    try:
        midi = float(note)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        midi = 60.0
    gain = controls.get("gain", 0.3)
    try:
        g = min(max(float(gain), 0.0), 2.0) * 0.3  # type: ignore[arg-type]
    except (TypeError, ValueError):
        g = 0.3
    freq = 440.0 * 2.0 ** ((midi - 69.0) / 12.0)
    return np.array([frame, track, freq, g, max(duration_s, 0.001), 0.0])


@njit(nogil=True, cache=True)
def _start_voice(arena: np.ndarray, layout: np.ndarray, base: int, offset: int) -> None:
    vb = layout[L_VOICE]
    sr = arena[layout[L_SR]]
    for v in range(N_VOICES):
        o = vb + v * V_FIELDS
        if arena[o] == 0.0:
            arena[o] = 1.0
            arena[o + 1] = arena[base + 1]
            arena[o + 2] = -offset * 2.0 * math.pi * arena[base + 2] / sr
            arena[o + 3] = 2.0 * math.pi * arena[base + 2] / sr
            arena[o + 4] = arena[base + 3]
            arena[o + 5] = arena[base + 4] * sr + offset
            return


@njit(nogil=True, cache=True)
def render_block(arena: np.ndarray, layout: np.ndarray, out: np.ndarray, frames: int) -> None:
    """Drain due rows, render every voice into ``out[:frames]`` and advance the frame."""
    frame0 = np.int64(arena[layout[L_FRAME]])
    rb = layout[L_RING]
    rbuf = arena[rb:rb + RING_SIZE]
    n = ring.nb_peek_count(rbuf)
    used = 0
    for k in range(n):
        base = rb + ring.nb_row_base(rbuf, ROW, k)
        f = np.int64(arena[base])
        if f >= frame0 + frames:
            break
        cmd = arena[base + 5]
        if cmd == 1.0 or cmd == 2.0:
            vb = layout[L_VOICE]
            for v in range(N_VOICES):
                o = vb + v * V_FIELDS
                if cmd == 1.0 or arena[o + 1] == arena[base + 1]:
                    arena[o] = 0.0
        else:
            off = f - frame0
            if off < 0:
                arena[layout[L_LATE]] += 1.0
                off = 0
            _start_voice(arena, layout, base, off)
        used += 1
    ring.nb_consume(rbuf, used)
    for i in range(frames):
        out[i, 0] = 0.0
        out[i, 1] = 0.0
    vb = layout[L_VOICE]
    lv = layout[L_LEVELS]
    active = 0
    for v in range(N_VOICES):
        o = vb + v * V_FIELDS
        if arena[o] == 0.0:
            continue
        active += 1
        ph = arena[o + 2]
        inc = arena[o + 3]
        g = arena[o + 4]
        rem = arena[o + 5]
        peak = 0.0
        for i in range(frames):
            if ph >= 0.0 and rem > 0.0:
                s = g * math.sin(ph)
                out[i, 0] += s
                out[i, 1] += s
                a = abs(s)
                if a > peak:
                    peak = a
            ph += inc
            rem -= 1.0
        arena[o + 2] = ph
        arena[o + 5] = rem
        t = np.int64(arena[o + 1])
        if 0 <= t < MAX_TRACKS and peak > arena[lv + t]:
            arena[lv + t] = peak
        if rem <= 0.0:
            arena[o] = 0.0
    arena[layout[L_VOICES]] = active
    arena[layout[L_FRAME]] = frame0 + frames

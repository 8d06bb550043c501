"""``render_block``: the whole block render, callable from a ``@cfunc`` audio callback.

    render_block(arena: float64[::1], layout: int64[::1], pool: float32[::1],
                 out: float32[:, ::1] (frames x 2), frames: int64) -> None

It takes every event row the producer has published in the ring (write counter
``G_RING_W``) into the pending table, then renders in chunks aligned to the absolute
frame grid (multiples of ``LY_CH``), splitting a chunk at every due event so that each
onset lands on its exact frame whatever the block size. Status outputs (levels,
voices, counters) are rewritten at the end of every block.
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.effects import clear_bus_rows, process_buses
from livestudio.engine.kernels.jit import kernel
from livestudio.engine.kernels.keys import release_keys
from livestudio.engine.kernels.master import master_block
from livestudio.engine.kernels.voices import free_voice, render_voices, start_voice, steal


@kernel
def drain_ring(a: np.ndarray, ly: np.ndarray) -> None:
    """Move published ring rows into the pending table (stamping arrival order)."""
    gl = ly[L.LY_GLOBALS]
    cap = int(ly[L.LY_RING_CAP])
    pcap = int(ly[L.LY_PEND_CAP])
    ring = ly[L.LY_RING]
    pend = ly[L.LY_PEND]
    st = ly[L.LY_STATUS]
    w = int(a[gl + L.G_RING_W])
    r = int(a[gl + L.G_RING_R])
    n = int(a[gl + L.G_PEND_N])
    while r < w:
        src = ring + (r % cap) * L.ROW
        if int(a[src + L.R_KIND]) == L.K_FLUSH:
            n = flush_pending(a, ly, n, int(a[src + L.R_BUS]))
        elif n < pcap:
            dst = pend + n * L.ROW
            for k in range(L.ROW):
                a[dst + k] = a[src + k]
            a[dst + L.R_SEQ] = a[gl + L.G_SEQ]
            a[gl + L.G_SEQ] += 1.0
            n += 1
        else:
            a[st + L.ST_DROPPED] += 1.0
        r += 1
    a[gl + L.G_RING_R] = float(r)
    a[gl + L.G_PEND_N] = float(n)


@kernel
def flush_pending(a: np.ndarray, ly: np.ndarray, n: int, bus: int) -> int:
    """Drop queued note rows of ``bus`` (all buses when negative); returns the new count.

    Applied when the flush row is drained, so exactly the notes sent before it go:
    a stop or a panic does not let the lookahead's worth of queued notes start after it.
    """
    pend = ly[L.LY_PEND]
    keep = 0
    for i in range(n):
        row = pend + i * L.ROW
        if int(a[row + L.R_KIND]) == L.K_NOTE and (bus < 0 or int(a[row + L.R_BUS]) == bus):
            continue
        if keep != i:
            for k in range(L.ROW):
                a[pend + keep * L.ROW + k] = a[row + k]
        keep += 1
    return keep


@kernel
def collect_due(a: np.ndarray, ly: np.ndarray, before: int) -> int:
    """Indices of pending rows with frame < ``before`` into the sort scratch, ordered."""
    gl = ly[L.LY_GLOBALS]
    pend = ly[L.LY_PEND]
    srt = ly[L.LY_SORT]
    n = int(a[gl + L.G_PEND_N])
    count = 0
    for i in range(n):
        if a[pend + i * L.ROW + L.R_FRAME] < before:
            # insertion sort by (frame, seq)
            f = a[pend + i * L.ROW + L.R_FRAME]
            s = a[pend + i * L.ROW + L.R_SEQ]
            j = count
            while j > 0:
                k = int(a[srt + j - 1])
                fk = a[pend + k * L.ROW + L.R_FRAME]
                sk = a[pend + k * L.ROW + L.R_SEQ]
                if fk < f or (fk == f and sk < s):
                    break
                a[srt + j] = a[srt + j - 1]
                j -= 1
            a[srt + j] = i
            count += 1
    return count


@kernel
def remove_due(a: np.ndarray, ly: np.ndarray, before: int) -> None:
    """Drop pending rows with frame < ``before`` (already applied), keeping the rest."""
    gl = ly[L.LY_GLOBALS]
    pend = ly[L.LY_PEND]
    n = int(a[gl + L.G_PEND_N])
    keep = 0
    for i in range(n):
        if a[pend + i * L.ROW + L.R_FRAME] < before:
            continue
        if keep != i:
            for k in range(L.ROW):
                a[pend + keep * L.ROW + k] = a[pend + i * L.ROW + k]
        keep += 1
    a[gl + L.G_PEND_N] = float(keep)


@kernel
def kill_all(a: np.ndarray, ly: np.ndarray, p: np.ndarray) -> None:
    """Silence every voice at once and clear every bus tail and the master state."""
    mv = ly[L.LY_MV]
    for v in range(mv):
        free_voice(a, ly, p, v)
    nb = ly[L.LY_NB]
    dlen = ly[L.LY_DLEN]
    revlen = ly[L.LY_REVLEN]
    for b in range(nb):
        bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
        if a[bs + L.B_DIDLE] < dlen:
            for k in range(2 * dlen):
                a[ly[L.LY_DELAY] + b * 2 * dlen + k] = 0.0
            a[bs + L.B_DIDLE] = float(dlen)
        if a[bs + L.B_RIDLE] < revlen:
            for k in range(revlen):
                a[ly[L.LY_REVERB] + b * revlen + k] = 0.0
            for k in range(16):
                a[bs + L.B_RFILT + k] = 0.0
            a[bs + L.B_RIDLE] = float(revlen)
    clear_bus_rows(a, ly, 0, ly[L.LY_CH])


@kernel
def apply_event(a: np.ndarray, ly: np.ndarray, p: np.ndarray, r: int, now: int) -> None:
    """Apply the pending row at arena offset ``r`` at frame ``now``."""
    kind = int(a[r + L.R_KIND])
    if kind == L.K_NOTE:
        start_voice(a, ly, p, r, now)
    elif kind == L.K_CPS:
        a[ly[L.LY_GLOBALS] + L.G_CPS] = max(a[r + L.R_VALUE], 1e-3)
    elif kind == L.K_PANIC:
        mv = ly[L.LY_MV]
        vb = ly[L.LY_VOICES]
        for v in range(mv):
            if a[vb + L.V_ACTIVE * mv + v] != 0.0:
                steal(a, ly, p, v, now)
    elif kind == L.K_MUTE:
        b = int(a[r + L.R_BUS])
        if b >= 0 and b < ly[L.LY_NB]:
            bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
            muted = 1.0 if a[r + L.R_VALUE] > 0.0 else 0.0
            a[bs + L.B_MUTE_PREV] = a[bs + L.B_MUTED]
            a[bs + L.B_MUTE_AT] = float(now)
            a[bs + L.B_MUTED] = muted
            if a[bs + L.B_NVOICES] == 0.0 and a[bs + L.B_DIDLE] >= ly[L.LY_DLEN] \
                    and a[bs + L.B_RIDLE] >= ly[L.LY_REVLEN]:
                a[bs + L.B_MUTING] = muted   # a silent bus: nothing to fade
    elif kind == L.K_KILL:
        kill_all(a, ly, p)
    elif kind == L.K_RELEASE:
        release_keys(a, ly, p, int(a[r + L.R_BUS]), a[r + L.R_KEY], now, a[r + L.R_VALUE] > 0.0)


@kernel
def render_chunk(a: np.ndarray, ly: np.ndarray, p: np.ndarray, out: np.ndarray,
                 out_pos: int, f: int, n: int, stems: np.ndarray, want_stems: bool) -> None:
    """Render frames ``f .. f + n`` (inside one grid chunk) into ``out[out_pos ..]``."""
    ch = ly[L.LY_CH]
    tb = f % ch
    base = f - tb
    pend = ly[L.LY_PEND]
    srt = ly[L.LY_SORT]
    st = ly[L.LY_STATUS]
    due = collect_due(a, ly, f + n)
    s = f
    for j in range(due):
        r = pend + int(a[srt + j]) * L.ROW
        ef = int(a[r + L.R_FRAME])
        if ef < f:
            if a[r + L.R_KEY] == 0.0:  # keys played live sound as soon as they can: not late
                a[st + L.ST_LATE] += 1.0
            ef = f
        if ef > s:
            render_voices(a, ly, p, s, s - base, ef - base)
            s = ef
        apply_event(a, ly, p, r, ef)
    if due > 0:
        remove_due(a, ly, f + n)
    if s < f + n:
        render_voices(a, ly, p, s, s - base, f + n - base)
    process_buses(a, ly, tb, tb + n, stems, out_pos, want_stems, f)
    master_block(a, ly, tb, tb + n, out, out_pos)


@kernel
def render_block(a: np.ndarray, ly: np.ndarray, p: np.ndarray, out: np.ndarray,
                 frames: int) -> None:
    """Render ``frames`` frames into ``out[:frames]`` and advance the frame counter."""
    # a runtime False (not a literal), so both entry points share one compiled render
    render_frames(a, ly, p, out, frames, out.reshape((1, out.shape[0], 2)), frames < 0)


@kernel
def render_block_stems(a: np.ndarray, ly: np.ndarray, p: np.ndarray, out: np.ndarray,
                       stems: np.ndarray, frames: int) -> None:
    """``render_block`` that also writes each bus's output to ``stems[bus]`` (offline)."""
    render_frames(a, ly, p, out, frames, stems, frames >= 0)


@kernel
def render_frames(a: np.ndarray, ly: np.ndarray, p: np.ndarray, out: np.ndarray,
                  frames: int, stems: np.ndarray, want_stems: bool) -> None:
    """The block render behind ``render_block`` and ``render_block_stems``."""
    gl = ly[L.LY_GLOBALS]
    st = ly[L.LY_STATUS]
    nb = ly[L.LY_NB]
    ch = ly[L.LY_CH]
    drain_ring(a, ly)
    for k in range(L.ST_PEAK_L, L.ST_RMS_R + 1):
        a[st + k] = 0.0
    a[st + L.ST_LIMIT_GAIN] = 1.0
    for k in range(4 * nb):
        a[st + L.ST_FIELDS + k] = 0.0
    frame0 = int(a[gl + L.G_FRAME])
    pos = 0
    while pos < frames:
        f = frame0 + pos
        n = min(ch - f % ch, frames - pos)
        render_chunk(a, ly, p, out, pos, f, n, stems, want_stems)
        pos += n
    a[gl + L.G_FRAME] = float(frame0 + frames)
    # finish levels: sums of squares -> RMS
    inv = 1.0 / max(frames, 1)
    a[st + L.ST_RMS_L] = math.sqrt(a[st + L.ST_RMS_L] * inv)
    a[st + L.ST_RMS_R] = math.sqrt(a[st + L.ST_RMS_R] * inv)
    for b in range(nb):
        lv = st + L.ST_FIELDS + 4 * b
        a[lv + 2] = math.sqrt(a[lv + 2] * inv)
        a[lv + 3] = math.sqrt(a[lv + 3] * inv)
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    active = 0
    for v in range(mv):
        if a[vb + L.V_ACTIVE * mv + v] != 0.0:
            active += 1
    a[st + L.ST_ACTIVE] = active
    a[st + L.ST_BLOCKS] += 1.0

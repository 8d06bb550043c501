"""Bus effects: a feedback delay and a Freeverb-style reverb per orbit, bus levels.

Each bus has six input rows per chunk: dry L/R, delay send L/R, reverb send L/R.
Effects that have had silent input and output for longer than their memory are
skipped entirely; their state is then exactly zero (feedback paths flush values
below 1e-8, about -160 dBFS, to zero), so tails end in exact digital silence.
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.jit import kernel

TAIL_FLUSH = 1e-8
REV_FIXED_GAIN = 0.015
REV_WET = 3.0
REV_DAMP = 0.2


@kernel
def tail_flush(x: float) -> float:
    """``x``, or 0.0 below the tail threshold."""
    return x if abs(x) >= TAIL_FLUSH else 0.0


@kernel
def bus_delay(a: np.ndarray, ly: np.ndarray, b: int, base: int, t0: int, t1: int) -> None:
    """Stereo feedback delay: reads send rows 2/3, adds its output to rows 0/1."""
    ch = ly[L.LY_CH]
    dlen = int(ly[L.LY_DLEN])
    dl = ly[L.LY_DELAY] + b * 2 * dlen
    bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
    gl = ly[L.LY_GLOBALS]
    sr = float(ly[L.LY_SR])
    seconds = a[bs + L.B_DTIME]
    if a[bs + L.B_DSYNC] > 0.0:
        seconds = seconds / max(a[gl + L.G_CPS], 1e-3)
    d = int(min(max(math.floor(seconds * sr + 0.5), 1.0), dlen - 1.0))
    fb = a[bs + L.B_DFB]
    pos = int(a[bs + L.B_DPOS])
    idle = a[bs + L.B_DIDLE]
    for t in range(t0, t1):
        in_l = a[base + 2 * ch + t]
        in_r = a[base + 3 * ch + t]
        rd = pos - d
        if rd < 0:
            rd += dlen
        y_l = a[dl + rd]
        y_r = a[dl + dlen + rd]
        a[dl + pos] = tail_flush(in_l + fb * y_l)
        a[dl + dlen + pos] = tail_flush(in_r + fb * y_r)
        a[base + t] += y_l
        a[base + ch + t] += y_r
        if in_l == 0.0 and in_r == 0.0 and y_l == 0.0 and y_r == 0.0:
            idle += 1.0
        else:
            idle = 0.0
        pos += 1
        if pos >= dlen:
            pos = 0
    a[bs + L.B_DPOS] = pos
    a[bs + L.B_DIDLE] = idle


@kernel
def comb4(a: np.ndarray, ly: np.ndarray, bs: int, taps: int, i: int, start: int, xin: int,
          act: int, yo: int, t0: int, t1: int, feedback: float) -> None:
    """Reverb combs ``i .. i + 3`` (buffers from ``start``) over rows ``t0 .. t1``;
    their outputs add to ``a[yo + t]`` in comb order."""
    ch = ly[L.LY_CH]
    sc = ly[L.LY_SCRATCH]
    n0 = int(a[taps + i])
    n1 = int(a[taps + i + 1])
    n2 = int(a[taps + i + 2])
    n3 = int(a[taps + i + 3])
    s0 = start
    s1 = s0 + n0
    s2 = s1 + n1
    s3 = s2 + n2
    p0 = int(a[bs + L.B_RPOS + i])
    p1 = int(a[bs + L.B_RPOS + i + 1])
    p2 = int(a[bs + L.B_RPOS + i + 2])
    p3 = int(a[bs + L.B_RPOS + i + 3])
    f0 = a[bs + L.B_RFILT + i]
    f1 = a[bs + L.B_RFILT + i + 1]
    f2 = a[bs + L.B_RFILT + i + 2]
    f3 = a[bs + L.B_RFILT + i + 3]
    for t in range(t0, t1):
        x = a[xin + t]
        y0 = a[s0 + p0]
        y1 = a[s1 + p1]
        y2 = a[s2 + p2]
        y3 = a[s3 + p3]
        f0 = tail_flush(y0 * (1.0 - REV_DAMP) + f0 * REV_DAMP)
        f1 = tail_flush(y1 * (1.0 - REV_DAMP) + f1 * REV_DAMP)
        f2 = tail_flush(y2 * (1.0 - REV_DAMP) + f2 * REV_DAMP)
        f3 = tail_flush(y3 * (1.0 - REV_DAMP) + f3 * REV_DAMP)
        a[s0 + p0] = tail_flush(x + f0 * feedback)
        a[s1 + p1] = tail_flush(x + f1 * feedback)
        a[s2 + p2] = tail_flush(x + f2 * feedback)
        a[s3 + p3] = tail_flush(x + f3 * feedback)
        a[act + t] += abs(y0) + abs(y1) + abs(y2) + abs(y3)
        a[sc + t] = y0
        a[sc + ch + t] = y1
        a[sc + 2 * ch + t] = y2
        a[sc + 3 * ch + t] = y3
        p0 = p0 + 1 if p0 + 1 < n0 else 0
        p1 = p1 + 1 if p1 + 1 < n1 else 0
        p2 = p2 + 1 if p2 + 1 < n2 else 0
        p3 = p3 + 1 if p3 + 1 < n3 else 0
    a[bs + L.B_RPOS + i] = p0
    a[bs + L.B_RPOS + i + 1] = p1
    a[bs + L.B_RPOS + i + 2] = p2
    a[bs + L.B_RPOS + i + 3] = p3
    a[bs + L.B_RFILT + i] = f0
    a[bs + L.B_RFILT + i + 1] = f1
    a[bs + L.B_RFILT + i + 2] = f2
    a[bs + L.B_RFILT + i + 3] = f3
    # one loop per comb: the sum keeps comb order (fast math cannot reassociate it)
    for k in range(4):
        for t in range(t0, t1):
            a[yo + t] += a[sc + k * ch + t]


@kernel
def bus_reverb(a: np.ndarray, ly: np.ndarray, b: int, base: int, t0: int, t1: int) -> None:
    """Freeverb: 8 damped combs and 4 allpasses per channel (right spread by 23).

    Runs one filter at a time over the whole range (each filter is longer than a
    chunk, so no filter reads what it wrote in the same range): the same operations
    in the same order per sample as a sample-by-sample loop, without reloading every
    filter's position and state per sample. Scratch rows: row 5 holds the input, rows
    4/2 the left/right outputs, row 3 the activity (the delay has used rows 2/3).
    """
    ch = ly[L.LY_CH]
    revlen = int(ly[L.LY_REVLEN])
    rv = ly[L.LY_REVERB] + b * revlen
    taps = ly[L.LY_REVTAPS]
    bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
    feedback = 0.7 + 0.28 * a[bs + L.B_SIZE]
    idle = a[bs + L.B_RIDLE]
    nc = L.REV_COMBS
    na = L.REV_ALLPASS
    xin = base + 5 * ch
    yl = base + 4 * ch
    yr = base + 2 * ch
    act = base + 3 * ch
    for t in range(t0, t1):
        x = (a[base + 4 * ch + t] + a[base + 5 * ch + t]) * REV_FIXED_GAIN
        a[xin + t] = x
        a[act + t] = abs(x)
        a[yl + t] = 0.0
        a[yr + t] = 0.0
    start = rv
    for i in range(0, 2 * nc, 4):
        # four combs at a time: four independent feedback chains per sample
        yo = yl if i < nc else yr
        comb4(a, ly, bs, taps, i, start, xin, act, yo, t0, t1, feedback)
        for k in range(4):
            start += int(a[taps + i + k])
    # allpasses: left stage i and right stage i together (two independent chains)
    rstart = start
    for i in range(na):
        rstart += int(a[taps + 2 * nc + i])
    for i in range(na):
        jl = 2 * nc + i
        jr = jl + na
        nl = int(a[taps + jl])
        nr = int(a[taps + jr])
        pl = int(a[bs + L.B_RPOS + jl])
        pr = int(a[bs + L.B_RPOS + jr])
        for t in range(t0, t1):
            bl = a[start + pl]
            br = a[rstart + pr]
            ol = a[yl + t]
            orr = a[yr + t]
            a[act + t] += abs(bl) + abs(br)
            a[start + pl] = tail_flush(ol + bl * 0.5)
            a[rstart + pr] = tail_flush(orr + br * 0.5)
            a[yl + t] = bl - ol
            a[yr + t] = br - orr
            pl = pl + 1 if pl + 1 < nl else 0
            pr = pr + 1 if pr + 1 < nr else 0
        a[bs + L.B_RPOS + jl] = pl
        a[bs + L.B_RPOS + jr] = pr
        start += nl
        rstart += nr
    for t in range(t0, t1):
        a[base + t] += REV_WET * a[yl + t]
        a[base + ch + t] += REV_WET * a[yr + t]
        if a[act + t] == 0.0:
            idle += 1.0
        else:
            idle = 0.0
    a[bs + L.B_RIDLE] = idle


@kernel
def process_buses(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, stems: np.ndarray,
                  stem_pos: int, want_stems: bool) -> None:
    """Effects, mute and levels of every bus; sums bus outputs into the master rows.

    With ``want_stems`` each bus's output also goes to ``stems[bus, stem_pos + ...]``
    (float32 buses x frames x 2, any strides; idle buses get zeros; extra buses are
    left alone).

    Only the rows a bus can have written are checked and cleared: dry L/R always, the
    delay sends (rows 2/3) while its delay runs, the reverb sends (rows 4/5, and rows
    2/3 as its scratch) while its reverb runs; the others are zero already.
    """
    nb = ly[L.LY_NB]
    ch = ly[L.LY_CH]
    busbuf = ly[L.LY_BUSBUF]
    mbuf = ly[L.LY_MBUF]
    st = ly[L.LY_STATUS]
    dlen = float(ly[L.LY_DLEN])
    revlen = float(ly[L.LY_REVLEN])
    for t in range(t0, t1):
        a[mbuf + t] = 0.0
        a[mbuf + ch + t] = 0.0
    for b in range(nb):
        bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
        base = busbuf + b * 6 * ch
        delay_on = a[bs + L.B_NDELAY] > 0.0 or a[bs + L.B_DIDLE] < dlen
        reverb_on = a[bs + L.B_NROOM] > 0.0 or a[bs + L.B_RIDLE] < revlen
        if a[bs + L.B_TOUCHED] == 0.0 and not delay_on and not reverb_on:
            # nothing in, no tails: its rows are zero already (and so is its stem)
            if want_stems and b < stems.shape[0]:
                for t in range(t0, t1):
                    stems[b, stem_pos + (t - t0), 0] = np.float32(0.0)
                    stems[b, stem_pos + (t - t0), 1] = np.float32(0.0)
            continue
        rows = 6 if reverb_on else (4 if delay_on else 2)
        bad = 0
        for k in range(rows):
            if k >= 2 and k < 4 and not delay_on:
                continue  # no delay sends: rows 2/3 are zero
            bad += zero_nonfinite(a, base + k * ch, t0, t1)
        a[st + L.ST_BAD_SAMPLES] += bad
        if delay_on:
            bus_delay(a, ly, b, base, t0, t1)
        if reverb_on:
            bus_reverb(a, ly, b, base, t0, t1)
        if a[bs + L.B_MUTED] > 0.0:
            for t in range(t0, t1):
                a[base + t] = 0.0
                a[base + ch + t] = 0.0
        if want_stems and b < stems.shape[0]:
            for t in range(t0, t1):
                stems[b, stem_pos + (t - t0), 0] = np.float32(a[base + t])
                stems[b, stem_pos + (t - t0), 1] = np.float32(a[base + ch + t])
        bus_to_master(a, base, mbuf, ch, st + L.ST_FIELDS + 4 * b, t0, t1)
        # leave the rows zero for the next chunk (so only used buses need work)
        for k in range(rows):
            for t in range(t0, t1):
                a[base + k * ch + t] = 0.0
        a[bs + L.B_TOUCHED] = 0.0


@kernel
def zero_nonfinite(a: np.ndarray, off: int, t0: int, t1: int) -> int:
    """Replace non-finite values of ``a[off + t0 .. off + t1]`` by 0; returns how many."""
    bad = 0
    for t in range(t0, t1):
        if not math.isfinite(a[off + t]):
            bad += 1
    if bad > 0:
        for t in range(t0, t1):
            if not math.isfinite(a[off + t]):
                a[off + t] = 0.0
    return bad


@kernel
def bus_to_master(a: np.ndarray, base: int, mbuf: int, ch: int, lv: int, t0: int,
                  t1: int) -> None:
    """Add a bus's output rows 0/1 to the master rows; its peak and sum of squares
    (levels at ``a[lv .. lv + 4]``)."""
    peak_l = a[lv]
    peak_r = a[lv + 1]
    sq_l = 0.0
    sq_r = 0.0
    for t in range(t0, t1):
        y_l = a[base + t]
        y_r = a[base + ch + t]
        a[mbuf + t] += y_l
        a[mbuf + ch + t] += y_r
        peak_l = max(peak_l, abs(y_l))
        peak_r = max(peak_r, abs(y_r))
        sq_l += y_l * y_l
        sq_r += y_r * y_r
    a[lv] = peak_l
    a[lv + 1] = peak_r
    a[lv + 2] += sq_l
    a[lv + 3] += sq_r


@kernel
def clear_bus_rows(a: np.ndarray, ly: np.ndarray, t0: int, t1: int) -> None:
    """Zero the six input rows of every bus for chunk rows ``t0 .. t1`` (after a kill)."""
    nb = ly[L.LY_NB]
    ch = ly[L.LY_CH]
    busbuf = ly[L.LY_BUSBUF]
    for r in range(nb * 6):
        for t in range(t0, t1):
            a[busbuf + r * ch + t] = 0.0

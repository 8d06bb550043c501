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
          yo: int, t0: int, t1: int, feedback: float) -> float:
    """Reverb combs ``i .. i + 3`` (buffers from ``start``) over rows ``t0 .. t1``;
    their outputs add to ``a[yo + t]`` in comb order. Returns the largest output
    magnitude (0.0: they read nothing but zeros).

    Runs in stretches where no comb's position wraps, so every buffer access is a
    plain offset; per sample the same operations in the same order wherever the
    stretches (or the blocks) split the rows.
    """
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
    keep = 1.0 - REV_DAMP
    loud = 0.0
    t = t0
    while t < t1:
        run = min(t1 - t, n0 - p0, n1 - p1, n2 - p2, n3 - p3)
        # views from row t on (non-negative indices: no wraparound arithmetic)
        xs = a[xin + t: xin + t + run]
        ys = a[yo + t: yo + t + run]
        c0 = a[s0 + p0: s0 + p0 + run]
        c1 = a[s1 + p1: s1 + p1 + run]
        c2 = a[s2 + p2: s2 + p2 + run]
        c3 = a[s3 + p3: s3 + p3 + run]
        for j in range(run):
            x = xs[j]
            y0 = c0[j]
            y1 = c1[j]
            y2 = c2[j]
            y3 = c3[j]
            f0 = y0 * keep + f0 * REV_DAMP
            f1 = y1 * keep + f1 * REV_DAMP
            f2 = y2 * keep + f2 * REV_DAMP
            f3 = y3 * keep + f3 * REV_DAMP
            c0[j] = tail_flush(x + f0 * feedback)
            c1[j] = tail_flush(x + f1 * feedback)
            c2[j] = tail_flush(x + f2 * feedback)
            c3[j] = tail_flush(x + f3 * feedback)
            ys[j] = ys[j] + y0 + y1 + y2 + y3
            loud = max(loud, max(max(abs(y0), abs(y1)), max(abs(y2), abs(y3))))
        p0 = (p0 + run) % n0
        p1 = (p1 + run) % n1
        p2 = (p2 + run) % n2
        p3 = (p3 + run) % n3
        t += run
    a[bs + L.B_RPOS + i] = p0
    a[bs + L.B_RPOS + i + 1] = p1
    a[bs + L.B_RPOS + i + 2] = p2
    a[bs + L.B_RPOS + i + 3] = p3
    # the damping states only feed the (flushed) writes: flushing them at the end of
    # every grid chunk (the same frames whatever the blocks) is enough (a state falls by
    # 0.2 per silent frame, so it never nears the subnormal range within a chunk) and
    # leaves them exactly zero in silence
    if t1 == ly[L.LY_CH]:
        f0 = tail_flush(f0)
        f1 = tail_flush(f1)
        f2 = tail_flush(f2)
        f3 = tail_flush(f3)
    a[bs + L.B_RFILT + i] = f0
    a[bs + L.B_RFILT + i + 1] = f1
    a[bs + L.B_RFILT + i + 2] = f2
    a[bs + L.B_RFILT + i + 3] = f3
    return loud


@kernel(reassoc=True)  # only the activity/level sums re-associate
def allpass2(a: np.ndarray, bs: int, jl: int, jr: int, sl: int, sr: int, nl: int, nr: int,
             yl: int, yr: int, t0: int, t1: int) -> float:
    """Allpass stage ``jl`` (left, buffer at ``sl``) and ``jr`` (right, at ``sr``) over
    rows ``t0 .. t1`` of ``a[yl + t]`` / ``a[yr + t]`` in place; returns the sum of the
    magnitudes it read (0.0: nothing but zeros).

    Each buffer is longer than a chunk, so a stretch without wrap has no dependency
    from one row to the next (it vectorizes); every row gets the same operations.
    """
    pl = int(a[bs + L.B_RPOS + jl])
    pr = int(a[bs + L.B_RPOS + jr])
    loud = 0.0
    t = t0
    while t < t1:
        run = min(t1 - t, nl - pl, nr - pr)
        cl = a[sl + pl: sl + pl + run]
        cr = a[sr + pr: sr + pr + run]
        xl = a[yl + t: yl + t + run]
        xr = a[yr + t: yr + t + run]
        for j in range(run):
            bl = cl[j]
            br = cr[j]
            ol = xl[j]
            orr = xr[j]
            loud += abs(bl) + abs(br)
            cl[j] = tail_flush(ol + bl * 0.5)
            cr[j] = tail_flush(orr + br * 0.5)
            xl[j] = bl - ol
            xr[j] = br - orr
        pl = (pl + run) % nl
        pr = (pr + run) % nr
        t += run
    a[bs + L.B_RPOS + jl] = pl
    a[bs + L.B_RPOS + jr] = pr
    return loud


@kernel(reassoc=True)  # only the activity sum re-associates
def reverb_input(send_l: np.ndarray, xin: np.ndarray, out_l: np.ndarray,
                 out_r: np.ndarray) -> float:
    """The reverb's mono input ``(send_l + send_r) * REV_FIXED_GAIN`` written over the
    right send row ``xin``; the output rows cleared. Returns the input's sum of
    magnitudes (0.0: silent)."""
    n = xin.size
    loud = 0.0
    for j in range(n):
        x = (send_l[j] + xin[j]) * REV_FIXED_GAIN
        xin[j] = x
        loud += abs(x)
        out_l[j] = 0.0
        out_r[j] = 0.0
    return loud


@kernel
def bus_reverb(a: np.ndarray, ly: np.ndarray, b: int, base: int, t0: int, t1: int) -> None:
    """Freeverb: 8 damped combs and 4 allpasses per channel (right spread by 23).

    Runs one filter group at a time over the whole range (each filter is longer than
    a chunk, so no filter reads what it wrote in the same range): the same operations
    in the same order per sample as a sample-by-sample loop, without reloading every
    filter's position and state per sample. Scratch rows: row 5 holds the input, rows
    4/2 the left/right outputs (the delay has used rows 2/3). The reverb counts as
    idle for the rows of a range in which its input and everything its filters read
    were exactly zero.
    """
    ch = ly[L.LY_CH]
    revlen = int(ly[L.LY_REVLEN])
    rv = ly[L.LY_REVERB] + b * revlen
    taps = ly[L.LY_REVTAPS]
    bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
    feedback = 0.7 + 0.28 * a[bs + L.B_SIZE]
    nc = L.REV_COMBS
    na = L.REV_ALLPASS
    xin = base + 5 * ch
    yl = base + 4 * ch
    yr = base + 2 * ch
    loud = reverb_input(a[base + 4 * ch + t0: base + 4 * ch + t1],
                        a[xin + t0: xin + t1], a[yl + t0: yl + t1], a[yr + t0: yr + t1])
    start = rv
    for i in range(0, 2 * nc, 4):
        # four combs at a time: four independent feedback chains per sample
        yo = yl if i < nc else yr
        loud += comb4(a, ly, bs, taps, i, start, xin, yo, t0, t1, feedback)
        for k in range(4):
            start += int(a[taps + i + k])
    # allpasses: left stage i and right stage i together
    rstart = start
    for i in range(na):
        rstart += int(a[taps + 2 * nc + i])
    for i in range(na):
        jl = 2 * nc + i
        jr = jl + na
        nl = int(a[taps + jl])
        nr = int(a[taps + jr])
        loud += allpass2(a, bs, jl, jr, start, rstart, nl, nr, yl, yr, t0, t1)
        start += nl
        rstart += nr
    wet_l = a[yl + t0: yl + t1]
    wet_r = a[yr + t0: yr + t1]
    dry_l = a[base + t0: base + t1]
    dry_r = a[base + ch + t0: base + ch + t1]
    for j in range(t1 - t0):
        dry_l[j] += REV_WET * wet_l[j]
        dry_r[j] += REV_WET * wet_r[j]
    a[bs + L.B_RIDLE] = a[bs + L.B_RIDLE] + (t1 - t0) if loud == 0.0 else 0.0


@kernel
def process_buses(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, stems: np.ndarray,
                  stem_pos: int, want_stems: bool, f0: int) -> None:
    """Effects, mute and levels of every bus (rows ``t0 ..`` are frames ``f0 ..``); sums
    bus outputs into the master rows.

    With ``want_stems`` each bus's output also goes to ``stems[bus, stem_pos + ...]``
    (float32 buses x frames x 2, any strides; idle buses get zeros; extra buses are
    left alone).

    Only the rows a bus can have written are checked and cleared: dry L/R always, the
    delay sends (rows 2/3) while its delay runs, the reverb sends (rows 4/5, and rows
    2/3 as its scratch) while its reverb runs; the others are zero already. Rows are
    reached through views (plain non-negative indices: the loops vectorize without
    gathers or scatters).
    """
    nb = ly[L.LY_NB]
    ch = ly[L.LY_CH]
    busbuf = ly[L.LY_BUSBUF]
    mbuf = ly[L.LY_MBUF]
    st = ly[L.LY_STATUS]
    dlen = float(ly[L.LY_DLEN])
    revlen = float(ly[L.LY_REVLEN])
    n = t1 - t0
    master_l = a[mbuf + t0: mbuf + t1]
    master_r = a[mbuf + ch + t0: mbuf + ch + t1]
    master_l[:] = 0.0
    master_r[:] = 0.0
    for b in range(nb):
        bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
        base = busbuf + b * 6 * ch
        delay_on = a[bs + L.B_NDELAY] > 0.0 or a[bs + L.B_DIDLE] < dlen
        reverb_on = a[bs + L.B_NROOM] > 0.0 or a[bs + L.B_RIDLE] < revlen
        if a[bs + L.B_TOUCHED] == 0.0 and not delay_on and not reverb_on:
            # nothing in, no tails: its rows are zero already (and so is its stem)
            if want_stems and b < stems.shape[0]:
                for j in range(n):
                    stems[b, stem_pos + j, 0] = np.float32(0.0)
                    stems[b, stem_pos + j, 1] = np.float32(0.0)
            continue
        rows = 6 if reverb_on else (4 if delay_on else 2)
        bad = 0
        for k in range(rows):
            if k >= 2 and k < 4 and not delay_on:
                continue  # no delay sends: rows 2/3 are zero
            bad += zero_nonfinite(a[base + k * ch + t0: base + k * ch + t1])
        a[st + L.ST_BAD_SAMPLES] += bad
        if delay_on:
            bus_delay(a, ly, b, base, t0, t1)
        if reverb_on:
            bus_reverb(a, ly, b, base, t0, t1)
        out_l = a[base + t0: base + t1]
        out_r = a[base + ch + t0: base + ch + t1]
        if a[bs + L.B_MUTED] > 0.0 or a[bs + L.B_MUTING] > 0.0:
            mute_ramp(a, ly, bs, out_l, out_r, f0)
        if want_stems and b < stems.shape[0]:
            for j in range(n):
                stems[b, stem_pos + j, 0] = np.float32(out_l[j])
                stems[b, stem_pos + j, 1] = np.float32(out_r[j])
        bus_to_master(out_l, out_r, master_l, master_r, a[st + L.ST_FIELDS + 4 * b:])
        # leave the rows zero for the next chunk (so only used buses need work)
        for k in range(rows):
            a[base + k * ch + t0: base + k * ch + t1] = 0.0
        a[bs + L.B_TOUCHED] = 0.0


MUTE_FADE_S = 0.005


@kernel
def mute_ramp(a: np.ndarray, ly: np.ndarray, bs: int, out_l: np.ndarray,
              out_r: np.ndarray, f0: int) -> None:
    """Mute and unmute without a click: from the frame the mute took effect (``out_l[0]``
    is frame ``f0``), the bus fades to silence (or back) over ``MUTE_FADE_S``; fully
    muted is exact zeros, fully open is untouched."""
    step = 1.0 / max(1.0, MUTE_FADE_S * float(ly[L.LY_SR]))
    m = a[bs + L.B_MUTING]
    at = a[bs + L.B_MUTE_AT]
    muted = a[bs + L.B_MUTED]
    prev = a[bs + L.B_MUTE_PREV]
    for j in range(out_l.size):
        target = muted if float(f0 + j) >= at else prev
        if m < target:
            m = min(target, m + step)
        elif m > target:
            m = max(target, m - step)
        if m >= 1.0:
            out_l[j] = 0.0
            out_r[j] = 0.0
        elif m > 0.0:
            g = 1.0 - m
            out_l[j] *= g
            out_r[j] *= g
    a[bs + L.B_MUTING] = m


@kernel(reassoc=True)  # only the sum used as a test re-associates
def zero_nonfinite(x: np.ndarray) -> int:
    """Replace non-finite values of ``x`` by 0; returns how many.

    One vectorized pass first: ``sum(x * 0)`` is NaN exactly when some value is not
    finite, in any order of summation.
    """
    probe = 0.0
    for j in range(x.size):
        probe += x[j] * 0.0
    if probe == 0.0:
        return 0
    bad = 0
    for j in range(x.size):
        if not math.isfinite(x[j]):
            x[j] = 0.0
            bad += 1
    return bad


@kernel(reassoc=True)  # only the level sums re-associate
def bus_to_master(out_l: np.ndarray, out_r: np.ndarray, master_l: np.ndarray,
                  master_r: np.ndarray, lv: np.ndarray) -> None:
    """Add a bus's output rows to the master rows; its peak and sum of squares into
    the levels ``lv[0 .. 4]``."""
    peak_l = lv[0]
    peak_r = lv[1]
    sq_l = 0.0
    sq_r = 0.0
    for j in range(out_l.size):
        y_l = out_l[j]
        y_r = out_r[j]
        master_l[j] += y_l
        master_r[j] += y_r
        peak_l = max(peak_l, abs(y_l))
        peak_r = max(peak_r, abs(y_r))
        sq_l += y_l * y_l
        sq_r += y_r * y_r
    lv[0] = peak_l
    lv[1] = peak_r
    lv[2] += sq_l
    lv[3] += sq_r


@kernel
def clear_bus_rows(a: np.ndarray, ly: np.ndarray, t0: int, t1: int) -> None:
    """Zero the six input rows of every bus for chunk rows ``t0 .. t1`` (after a kill)."""
    nb = ly[L.LY_NB]
    ch = ly[L.LY_CH]
    busbuf = ly[L.LY_BUSBUF]
    for r in range(nb * 6):
        for t in range(t0, t1):
            a[busbuf + r * ch + t] = 0.0

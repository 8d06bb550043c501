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
def bus_reverb(a: np.ndarray, ly: np.ndarray, b: int, base: int, t0: int, t1: int) -> None:
    """Freeverb: 8 damped combs and 4 allpasses per channel (right spread by 23)."""
    ch = ly[L.LY_CH]
    revlen = int(ly[L.LY_REVLEN])
    rv = ly[L.LY_REVERB] + b * revlen
    taps = ly[L.LY_REVTAPS]
    bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
    feedback = 0.7 + 0.28 * a[bs + L.B_SIZE]
    idle = a[bs + L.B_RIDLE]
    nc = L.REV_COMBS
    na = L.REV_ALLPASS
    for t in range(t0, t1):
        x = (a[base + 4 * ch + t] + a[base + 5 * ch + t]) * REV_FIXED_GAIN
        activity = abs(x)
        start = rv
        out_l = 0.0
        out_r = 0.0
        for i in range(2 * nc):
            n = int(a[taps + i])
            pos = int(a[bs + L.B_RPOS + i])
            y = a[start + pos]
            filt = y * (1.0 - REV_DAMP) + a[bs + L.B_RFILT + i] * REV_DAMP
            filt = tail_flush(filt)
            a[bs + L.B_RFILT + i] = filt
            a[start + pos] = tail_flush(x + filt * feedback)
            activity += abs(y)
            pos += 1
            if pos >= n:
                pos = 0
            a[bs + L.B_RPOS + i] = pos
            start += n
            if i < nc:
                out_l += y
            else:
                out_r += y
        for i in range(2 * na):
            j = 2 * nc + i
            n = int(a[taps + j])
            pos = int(a[bs + L.B_RPOS + j])
            buf = a[start + pos]
            activity += abs(buf)
            if i < na:
                a[start + pos] = tail_flush(out_l + buf * 0.5)
                out_l = buf - out_l
            else:
                a[start + pos] = tail_flush(out_r + buf * 0.5)
                out_r = buf - out_r
            pos += 1
            if pos >= n:
                pos = 0
            a[bs + L.B_RPOS + j] = pos
            start += n
        a[base + t] += REV_WET * out_l
        a[base + ch + t] += REV_WET * out_r
        if activity == 0.0:
            idle += 1.0
        else:
            idle = 0.0
    a[bs + L.B_RIDLE] = idle


@kernel
def process_buses(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, stems: np.ndarray,
                  stem_pos: int, want_stems: bool) -> None:
    """Effects, mute and levels of every bus; sums bus outputs into the master rows.

    With ``want_stems`` each bus's output also goes to ``stems[bus, stem_pos + ...]``
    (float32 buses x frames x 2, zeroed by the caller; extra buses are ignored).
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
            continue  # nothing in, no tails: its rows are zero already
        for k in range(6):
            for t in range(t0, t1):
                x = a[base + k * ch + t]
                if not math.isfinite(x):
                    a[base + k * ch + t] = 0.0
                    a[st + L.ST_BAD_SAMPLES] += 1.0
        if delay_on:
            bus_delay(a, ly, b, base, t0, t1)
        if reverb_on:
            bus_reverb(a, ly, b, base, t0, t1)
        lv = st + L.ST_FIELDS + 4 * b
        if a[bs + L.B_MUTED] > 0.0:
            for t in range(t0, t1):
                a[base + t] = 0.0
                a[base + ch + t] = 0.0
        if want_stems and b < stems.shape[0]:
            for t in range(t0, t1):
                stems[b, stem_pos + (t - t0), 0] = np.float32(a[base + t])
                stems[b, stem_pos + (t - t0), 1] = np.float32(a[base + ch + t])
        for t in range(t0, t1):
            y_l = a[base + t]
            y_r = a[base + ch + t]
            a[mbuf + t] += y_l
            a[mbuf + ch + t] += y_r
            a[lv] = max(a[lv], abs(y_l))
            a[lv + 1] = max(a[lv + 1], abs(y_r))
            a[lv + 2] += y_l * y_l
            a[lv + 3] += y_r * y_r
        # leave the rows zero for the next chunk (so only used buses need work)
        for k in range(6):
            for t in range(t0, t1):
                a[base + k * ch + t] = 0.0
        a[bs + L.B_TOUCHED] = 0.0


@kernel
def clear_bus_rows(a: np.ndarray, ly: np.ndarray, t0: int, t1: int) -> None:
    """Zero the six input rows of every bus for chunk rows ``t0 .. t1`` (after a kill)."""
    nb = ly[L.LY_NB]
    ch = ly[L.LY_CH]
    busbuf = ly[L.LY_BUSBUF]
    for r in range(nb * 6):
        for t in range(t0, t1):
            a[busbuf + r * ch + t] = 0.0

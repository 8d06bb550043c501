"""Master bus: DC blocker, then a lookahead true-peak limiter.

True peak: a 4x polyphase interpolator (16 taps per phase) estimates the signal
between samples; the peak around sample ``c`` is the largest magnitude of the samples
and interpolated points on both intervals touching it. The required gain
``min(1, ceiling / peak)`` goes through a sliding minimum over ``W`` frames, a release
smoother that can only lower it, and a ``W``-frame moving average; the signal is delayed
by ``W - 1 + TP_TAPS / 2`` frames so the smoothed gain is never above the gain the
sample needs (proof in the docstring of ``limiter_latency``).
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.jit import kernel

DC_POLE = 0.9995
DC_POLE_SILENT = 0.998   # after SILENT_RUN exactly-silent input frames: end the tail fast
SILENT_RUN = 256
DC_FLUSH = 5e-8  # below the 24-bit LSB: ends the blocker's tail in exact zeros
RELEASE_S = 0.08


@kernel
def master_block(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, out: np.ndarray,
                 out_pos: int) -> None:
    """Process master rows ``t0 .. t1`` into ``out[out_pos ..]`` (float32 stereo).

    Three stages over the range: the DC blocker (per frame), the true-peak estimate of
    every frame at once (``true_peaks``, vectorized across frames), then the limiter
    gain and the delayed output (per frame).
    """
    ms = ly[L.LY_MASTER]
    if a[ms + L.M_BYPASS] > 0.0:
        master_bypass(a, ly, t0, t1, out, out_pos)
        return
    n = t1 - t0
    taps = L.TP_TAPS
    scr = ly[L.LY_SCRATCH]
    span = taps - 1 + n            # the history, then this range's samples
    dc_block(a, ly, t0, t1, scr, span)
    peaks = scr + 2 * span
    true_peaks(a, ly, scr, span, peaks, n)
    limit(a, ly, scr, span, peaks, n, out, out_pos)


@kernel
def dc_block(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, lin: int, span: int) -> None:
    """DC blocker over master rows ``t0 .. t1``; ``a[lin + c * span ..]`` gets channel
    ``c``: the last ``TP_TAPS - 1`` outputs before the range, then the range's outputs
    (which also become the history for the next range)."""
    ch = ly[L.LY_CH]
    mbuf = ly[L.LY_MBUF]
    ms = ly[L.LY_MASTER]
    taps = L.TP_TAPS
    w = int(ly[L.LY_LA])
    hist = ly[L.LY_LIMBUF] + 2 * (w + taps) + 2 * w   # [2][2 * taps], first taps - 1 used
    zeros = a[ms + L.M_ZEROS]
    x1l = a[ms + L.M_DC_X1]
    x1r = a[ms + L.M_DC_X1 + 1]
    y1l = a[ms + L.M_DC_Y1]
    y1r = a[ms + L.M_DC_Y1 + 1]
    for k in range(taps - 1):
        a[lin + k] = a[hist + k]
        a[lin + span + k] = a[hist + 2 * taps + k]
    for t in range(t0, t1):
        xl = a[mbuf + t]
        xr = a[mbuf + ch + t]
        if xl == 0.0 and xr == 0.0:
            zeros += 1.0
        else:
            zeros = 0.0
        pole = DC_POLE_SILENT if zeros >= SILENT_RUN else DC_POLE
        yl = xl - x1l + pole * y1l
        yr = xr - x1r + pole * y1r
        if abs(yl) < DC_FLUSH:
            yl = 0.0
        if abs(yr) < DC_FLUSH:
            yr = 0.0
        x1l = xl
        x1r = xr
        y1l = yl
        y1r = yr
        a[lin + taps - 1 + (t - t0)] = yl
        a[lin + span + taps - 1 + (t - t0)] = yr
    for k in range(taps - 1):
        a[hist + k] = a[lin + span - (taps - 1) + k]
        a[hist + 2 * taps + k] = a[lin + 2 * span - (taps - 1) + k]
    a[ms + L.M_ZEROS] = zeros
    a[ms + L.M_DC_X1] = x1l
    a[ms + L.M_DC_X1 + 1] = x1r
    a[ms + L.M_DC_Y1] = y1l
    a[ms + L.M_DC_Y1 + 1] = y1r


@kernel
def true_peaks(a: np.ndarray, ly: np.ndarray, lin: int, span: int, peaks: int,
               n: int) -> None:
    """``a[peaks + i]``: the true-peak estimate of frame ``i`` of the range, both
    channels: the largest magnitude of the two samples around the window's centre and
    of the three 4x-interpolated points between them (16-tap polyphase FIR).

    Frame by frame the same sums in the same tap order, computed for all frames at
    once (the loops over frames vectorize), so a range's split does not change them.
    """
    taps = L.TP_TAPS
    fir = ly[L.LY_TPFIR]           # [4][taps], rows 1..3 used
    pk = a[peaks: peaks + n]
    for i in range(n):
        pk[i] = 0.0
    for c in range(2):
        x = a[lin + c * span: lin + (c + 1) * span]
        centre = taps // 2 - 1
        for i in range(n):
            pk[i] = max(pk[i], max(abs(x[i + centre]), abs(x[i + centre + 1])))
        for ph in range(1, 4):
            fir_peaks(x, a[fir + ph * taps: fir + (ph + 1) * taps], pk)


@kernel
def fir_peaks(x: np.ndarray, h: np.ndarray, pk: np.ndarray) -> None:
    """``pk[i] = max(pk[i], |sum(h[m] * x[i + m])|)`` for the 16 taps ``h``, summed in
    tap order. The taps sit in locals and each frame's sum in a register, so the loop
    over frames vectorizes with one load per tap (the arena views may overlap for all
    the compiler knows, so it would otherwise reload them)."""
    h0 = h[0]
    h1 = h[1]
    h2 = h[2]
    h3 = h[3]
    h4 = h[4]
    h5 = h[5]
    h6 = h[6]
    h7 = h[7]
    h8 = h[8]
    h9 = h[9]
    h10 = h[10]
    h11 = h[11]
    h12 = h[12]
    h13 = h[13]
    h14 = h[14]
    h15 = h[15]
    for i in range(pk.size):
        acc = h0 * x[i]
        acc = acc + h1 * x[i + 1]
        acc = acc + h2 * x[i + 2]
        acc = acc + h3 * x[i + 3]
        acc = acc + h4 * x[i + 4]
        acc = acc + h5 * x[i + 5]
        acc = acc + h6 * x[i + 6]
        acc = acc + h7 * x[i + 7]
        acc = acc + h8 * x[i + 8]
        acc = acc + h9 * x[i + 9]
        acc = acc + h10 * x[i + 10]
        acc = acc + h11 * x[i + 11]
        acc = acc + h12 * x[i + 12]
        acc = acc + h13 * x[i + 13]
        acc = acc + h14 * x[i + 14]
        acc = acc + h15 * x[i + 15]
        pk[i] = max(pk[i], abs(acc))


@kernel
def limit(a: np.ndarray, ly: np.ndarray, lin: int, span: int, peaks: int, n: int,
          out: np.ndarray, out_pos: int) -> None:
    """Limiter gain for each frame's true peak; the delayed signal times the gain, clipped,
    to ``out[out_pos ..]``; master levels into the status."""
    ms = ly[L.LY_MASTER]
    st = ly[L.LY_STATUS]
    w = int(ly[L.LY_LA])
    taps = L.TP_TAPS
    ld = w + taps
    lim = ly[L.LY_LIMBUF]
    sig = lim                      # [2][ld]
    greq = lim + 2 * ld            # [w]
    relb = greq + w                # [w]
    delay = w - 1 + taps // 2
    ceil = a[ms + L.M_CEIL]
    sr = float(ly[L.LY_SR])
    rc = 1.0 - math.exp(-1.0 / (RELEASE_S * sr))
    inv_w = 1.0 / w
    i = int(a[ms + L.M_POS])
    rel = a[ms + L.M_REL]
    prev = a[ms + L.M_TPPREV]
    gmin = a[ms + L.M_GMIN]
    gsum = a[ms + L.M_GSUM]
    spos = i % ld
    gpos = i % w
    low = a[st + L.ST_LIMIT_GAIN]
    peak_l = a[st + L.ST_PEAK_L]
    peak_r = a[st + L.ST_PEAK_R]
    sq_l = 0.0
    sq_r = 0.0
    for t in range(n):
        a[sig + spos] = a[lin + taps - 1 + t]
        a[sig + ld + spos] = a[lin + span + taps - 1 + t]
        cur = a[peaks + t]
        pk = max(cur, prev)
        prev = cur
        need = 1.0 if pk <= ceil else ceil / pk
        # sliding minimum: rescan only when the leaving value was the minimum
        leaving = a[greq + gpos]
        a[greq + gpos] = need
        if need <= gmin:
            gmin = need
        elif leaving == gmin and gmin < 1.0:
            gmin = need
            for k in range(w):
                gmin = min(gmin, a[greq + k])
        rel = min(gmin, rel + (1.0 - rel) * rc)
        # moving average: running sum, recomputed exactly once per window
        gsum += rel - a[relb + gpos]
        a[relb + gpos] = rel
        if gpos == w - 1:
            gsum = 0.0
            for k in range(w):
                gsum += a[relb + k]
        gain = min(gsum * inv_w, 1.0)
        low = min(low, gain)
        rd = spos - delay
        if rd < 0:
            rd += ld
        yl = min(max(a[sig + rd] * gain, -1.0), 1.0)
        yr = min(max(a[sig + ld + rd] * gain, -1.0), 1.0)
        out[out_pos + t, 0] = np.float32(yl)
        out[out_pos + t, 1] = np.float32(yr)
        peak_l = max(peak_l, abs(yl))
        peak_r = max(peak_r, abs(yr))
        sq_l += yl * yl
        sq_r += yr * yr
        i += 1
        spos += 1
        if spos == ld:
            spos = 0
        gpos += 1
        if gpos == w:
            gpos = 0
    a[st + L.ST_LIMIT_GAIN] = low
    a[st + L.ST_PEAK_L] = peak_l
    a[st + L.ST_PEAK_R] = peak_r
    a[st + L.ST_RMS_L] += sq_l
    a[st + L.ST_RMS_R] += sq_r
    a[ms + L.M_POS] = i
    a[ms + L.M_GMIN] = gmin
    a[ms + L.M_GSUM] = gsum
    a[ms + L.M_REL] = rel
    a[ms + L.M_TPPREV] = prev


@kernel(reassoc=True)  # only the level sums re-associate
def master_bypass(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, out: np.ndarray,
                  out_pos: int) -> None:
    """No master bus: master rows ``t0 .. t1`` straight to ``out`` as float32 (levels too).

    For offline renders that run the master once over the sum of several engines.
    """
    ch = ly[L.LY_CH]
    mbuf = ly[L.LY_MBUF]
    st = ly[L.LY_STATUS]
    n = t1 - t0
    dst = out[out_pos: out_pos + n]
    for c in range(2):
        x = a[mbuf + c * ch + t0: mbuf + c * ch + t1]
        peak = a[st + L.ST_PEAK_L + c]
        sq = 0.0
        for j in range(n):
            y = np.float32(x[j])
            dst[j, c] = y
            peak = max(peak, abs(float(y)))
            sq += float(y) * float(y)
        a[st + L.ST_PEAK_L + c] = peak
        a[st + L.ST_RMS_L + c] += sq


def limiter_latency(lookahead: int) -> int:
    """Frames the master delays the signal: ``W - 1 + TP_TAPS / 2``.

    With ``m[q] = min(g[q-W+1..q])``, ``r[q] <= m[q]`` and ``a[i] = mean(r[i-W+1..i])``,
    every ``m[q]`` in the average covers ``g[i-W+1]``, so ``a[i] <= g[i-W+1]``; ``g[i]``
    belongs to sample ``i - TP_TAPS/2``, so the output at step ``i`` is that delayed sample.
    """
    return lookahead - 1 + L.TP_TAPS // 2


def true_peak_fir(taps: int = L.TP_TAPS) -> np.ndarray:
    """4x interpolation weights [4][taps]: row ``k`` estimates ``x(c + k/4)`` (c = taps/2-1)."""
    fir = np.zeros((4, taps))
    m = np.arange(taps)
    for k in range(4):
        d = m - (taps // 2 - 1) - k / 4.0
        win = np.kaiser(taps + 1, 8.0)
        # Kaiser window evaluated at the fractional position (linear interpolation)
        pos = np.clip(d + taps / 2.0, 0.0, taps)
        w = np.interp(pos, np.arange(taps + 1), win)
        h = np.sinc(d) * w
        fir[k] = h / h.sum()
    return fir


@kernel
def master_offline_kernel(a: np.ndarray, ly: np.ndarray, inp: np.ndarray, gain: float,
                          out: np.ndarray) -> None:
    """Run ``inp * gain`` (frames x 2, float32) through the master bus into ``out``."""
    ch = ly[L.LY_CH]
    mbuf = ly[L.LY_MBUF]
    frames = inp.shape[0]
    pos = 0
    while pos < frames:
        n = min(ch, frames - pos)
        for t in range(n):
            a[mbuf + t] = inp[pos + t, 0] * gain
            a[mbuf + ch + t] = inp[pos + t, 1] * gain
        master_block(a, ly, 0, n, out, pos)
        pos += n

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
    """Process master rows ``t0 .. t1`` into ``out[out_pos ..]`` (float32 stereo)."""
    ch = ly[L.LY_CH]
    mbuf = ly[L.LY_MBUF]
    ms = ly[L.LY_MASTER]
    st = ly[L.LY_STATUS]
    if a[ms + L.M_BYPASS] > 0.0:
        master_bypass(a, ly, t0, t1, out, out_pos)
        return
    w = int(ly[L.LY_LA])
    taps = L.TP_TAPS
    ld = w + taps
    lim = ly[L.LY_LIMBUF]
    sig = lim                      # [2][ld]
    greq = lim + 2 * ld            # [w]
    relb = greq + w                # [w]
    hist = relb + w                # [2][2 * taps]
    fir = ly[L.LY_TPFIR]           # [4][taps], rows 1..3 used
    delay = w - 1 + taps // 2
    ceil = a[ms + L.M_CEIL]
    sr = float(ly[L.LY_SR])
    rc = 1.0 - math.exp(-1.0 / (RELEASE_S * sr))
    inv_w = 1.0 / w
    i = int(a[ms + L.M_POS])
    rel = a[ms + L.M_REL]
    prev = a[ms + L.M_TPPREV]
    zeros = a[ms + L.M_ZEROS]
    gmin = a[ms + L.M_GMIN]
    gsum = a[ms + L.M_GSUM]
    hpos = i % taps
    spos = i % ld
    gpos = i % w
    for t in range(t0, t1):
        cur = 0.0
        if a[mbuf + t] == 0.0 and a[mbuf + ch + t] == 0.0:
            zeros += 1.0
        else:
            zeros = 0.0
        pole = DC_POLE_SILENT if zeros >= SILENT_RUN else DC_POLE
        for c in range(2):
            # DC blocker
            x = a[mbuf + c * ch + t]
            y = x - a[ms + L.M_DC_X1 + c] + pole * a[ms + L.M_DC_Y1 + c]
            if abs(y) < DC_FLUSH:
                y = 0.0
            a[ms + L.M_DC_X1 + c] = x
            a[ms + L.M_DC_Y1 + c] = y
            a[sig + c * ld + spos] = y
            # mirrored history: hist[hpos + 1 .. hpos + taps] is oldest..newest
            hp = hist + c * 2 * taps
            a[hp + hpos] = y
            a[hp + hpos + taps] = y
            win = hp + hpos + 1
            peak = max(abs(a[win + taps // 2 - 1]), abs(a[win + taps // 2]))
            for ph in range(1, 4):
                acc = 0.0
                for m in range(taps):
                    acc += a[fir + ph * taps + m] * a[win + m]
                peak = max(peak, abs(acc))
            cur = max(cur, peak)
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
        a[st + L.ST_LIMIT_GAIN] = min(a[st + L.ST_LIMIT_GAIN], gain)
        rd = spos - delay
        if rd < 0:
            rd += ld
        o = out_pos + (t - t0)
        for c in range(2):
            y = a[sig + c * ld + rd] * gain
            y = min(max(y, -1.0), 1.0)
            out[o, c] = np.float32(y)
            a[st + L.ST_PEAK_L + c] = max(a[st + L.ST_PEAK_L + c], abs(y))
            a[st + L.ST_RMS_L + c] += y * y
        i += 1
        hpos += 1
        if hpos == taps:
            hpos = 0
        spos += 1
        if spos == ld:
            spos = 0
        gpos += 1
        if gpos == w:
            gpos = 0
    a[ms + L.M_POS] = i
    a[ms + L.M_ZEROS] = zeros
    a[ms + L.M_GMIN] = gmin
    a[ms + L.M_GSUM] = gsum
    a[ms + L.M_REL] = rel
    a[ms + L.M_TPPREV] = prev


@kernel
def master_bypass(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, out: np.ndarray,
                  out_pos: int) -> None:
    """No master bus: master rows ``t0 .. t1`` straight to ``out`` as float32 (levels too).

    For offline renders that run the master once over the sum of several engines.
    """
    ch = ly[L.LY_CH]
    mbuf = ly[L.LY_MBUF]
    st = ly[L.LY_STATUS]
    for c in range(2):
        peak = a[st + L.ST_PEAK_L + c]
        sq = 0.0
        for t in range(t0, t1):
            y = np.float32(a[mbuf + c * ch + t])
            out[out_pos + (t - t0), c] = y
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

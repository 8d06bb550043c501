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
DC_FLUSH = 1e-12
RELEASE_S = 0.08


@kernel
def master_block(a: np.ndarray, ly: np.ndarray, t0: int, t1: int, out: np.ndarray,
                 out_pos: int) -> None:
    """Process master rows ``t0 .. t1`` into ``out[out_pos ..]`` (float32 stereo)."""
    ch = ly[L.LY_CH]
    mbuf = ly[L.LY_MBUF]
    ms = ly[L.LY_MASTER]
    st = ly[L.LY_STATUS]
    w = int(ly[L.LY_LA])
    taps = L.TP_TAPS
    ld = w + taps
    lim = ly[L.LY_LIMBUF]
    sig = lim                      # [2][ld]
    greq = lim + 2 * ld            # [w]
    relb = greq + w                # [w]
    hist = relb + w                # [2][taps]
    fir = ly[L.LY_TPFIR]           # [4][taps], rows 1..3 used
    delay = w - 1 + taps // 2
    ceil = a[ms + L.M_CEIL]
    sr = float(ly[L.LY_SR])
    rc = 1.0 - math.exp(-1.0 / (RELEASE_S * sr))
    inv_w = 1.0 / w
    i = int(a[ms + L.M_POS])
    rel = a[ms + L.M_REL]
    prev = a[ms + L.M_TPPREV]
    for t in range(t0, t1):
        # DC blocker
        cur = 0.0
        for c in range(2):
            x = a[mbuf + c * ch + t]
            y = x - a[ms + L.M_DC_X1 + c] + DC_POLE * a[ms + L.M_DC_Y1 + c]
            if abs(y) < DC_FLUSH:
                y = 0.0
            a[ms + L.M_DC_X1 + c] = x
            a[ms + L.M_DC_Y1 + c] = y
            a[sig + c * ld + i % ld] = y
            hp = hist + c * taps
            a[hp + i % taps] = y
            # interval between samples i - taps/2 and i - taps/2 + 1
            m0 = abs(a[hp + (i + 1 + taps // 2 - 1) % taps])
            m1 = abs(a[hp + (i + 1 + taps // 2) % taps])
            peak = max(m0, m1)
            for ph in range(1, 4):
                acc = 0.0
                for m in range(taps):
                    acc += a[fir + ph * taps + m] * a[hp + (i + 1 + m) % taps]
                peak = max(peak, abs(acc))
            cur = max(cur, peak)
        pk = max(cur, prev)
        prev = cur
        need = 1.0 if pk <= ceil else ceil / pk
        a[greq + i % w] = need
        lowest = need
        for k in range(w):
            lowest = min(lowest, a[greq + k])
        rel = min(lowest, rel + (1.0 - rel) * rc)
        a[relb + i % w] = rel
        total = 0.0
        for k in range(w):
            total += a[relb + k]
        gain = min(total * inv_w, 1.0)
        a[st + L.ST_LIMIT_GAIN] = min(a[st + L.ST_LIMIT_GAIN], gain)
        rd = (i - delay) % ld
        o = out_pos + (t - t0)
        for c in range(2):
            y = a[sig + c * ld + rd] * gain
            y = min(max(y, -1.0), 1.0)
            out[o, c] = np.float32(y)
            a[st + L.ST_PEAK_L + c] = max(a[st + L.ST_PEAK_L + c], abs(y))
            a[st + L.ST_RMS_L + c] += y * y
        i += 1
    a[ms + L.M_POS] = i
    a[ms + L.M_REL] = rel
    a[ms + L.M_TPPREV] = prev


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

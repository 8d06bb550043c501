"""State-variable filters (Simper's trapezoidal SVF) and the per-voice insert effects.

The SVF's -3 dB point of the low-pass at Q = 1/sqrt(2) sits exactly at the cutoff
(bilinear prewarping with ``tan``); states are flushed to zero below 1e-20 at every
block so decaying filters never reach the subnormal range.
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.jit import kernel

FLUSH = 1e-20


@kernel
def svf_coefs(fc: float, q: float, sr: float) -> tuple[float, float, float, float]:
    """(a1, a2, a3, k) of a TPT state-variable filter at cutoff ``fc`` and quality ``q``."""
    fc = min(max(fc, 1.0), 0.49 * sr)
    g = math.tan(math.pi * fc / sr)
    k = 1.0 / q
    a1 = 1.0 / (1.0 + g * (g + k))
    a2 = g * a1
    a3 = g * a2
    return a1, a2, a3, k


@kernel
def svf_tick(x: float, ic1: float, ic2: float, a1: float, a2: float,
             a3: float) -> tuple[float, float, float, float]:
    """One SVF step: returns (band, low, ic1, ic2); high = x - k * band - low."""
    v3 = x - ic2
    v1 = a1 * ic1 + a2 * v3
    v2 = ic2 + a2 * ic1 + a3 * v3
    return v1, v2, 2.0 * v1 - ic1, 2.0 * v2 - ic2


@kernel
def flush(x: float) -> float:
    """``x``, or 0.0 when its magnitude is below 1e-20 (keeps state out of subnormals)."""
    return x if abs(x) >= FLUSH else 0.0


@kernel
def voice_inserts(a: np.ndarray, vb: int, mv: int, v: int, off: int, stride: int,
                  t0: int, t1: int, age0: int) -> None:
    """Coarse, crush, shape, high-pass and band-pass on one voice's source column."""
    coarse = int(a[vb + L.V_COARSE * mv + v])
    if coarse > 1:
        hold = a[vb + L.V_COARSE_HOLD * mv + v]
        for t in range(t0, t1):
            n = age0 + (t - t0)
            if n % coarse == 0:
                hold = a[off + t * stride]
            a[off + t * stride] = hold
        a[vb + L.V_COARSE_HOLD * mv + v] = hold
    bits = a[vb + L.V_CRUSH * mv + v]
    if bits >= 1.0:
        steps = 2.0 ** (bits - 1.0)
        inv = 1.0 / steps
        for t in range(t0, t1):
            a[off + t * stride] = np.floor(a[off + t * stride] * steps + 0.5) * inv
    shape = a[vb + L.V_SHAPE * mv + v]
    if shape > 0.0:
        k = 2.0 * shape / (1.0 - shape)
        for t in range(t0, t1):
            x = a[off + t * stride]
            a[off + t * stride] = (1.0 + k) * x / (1.0 + k * abs(x))
    if a[vb + L.V_HP * mv + v] > 0.0:
        ic1 = a[vb + L.V_HP_IC1 * mv + v]
        ic2 = a[vb + L.V_HP_IC2 * mv + v]
        a1 = a[vb + L.V_HP_A1 * mv + v]
        a2 = a[vb + L.V_HP_A2 * mv + v]
        a3 = a[vb + L.V_HP_A3 * mv + v]
        k = a[vb + L.V_HP_K * mv + v]
        for t in range(t0, t1):
            x = a[off + t * stride]
            v1, v2, ic1, ic2 = svf_tick(x, ic1, ic2, a1, a2, a3)
            a[off + t * stride] = x - k * v1 - v2
        a[vb + L.V_HP_IC1 * mv + v] = flush(ic1)
        a[vb + L.V_HP_IC2 * mv + v] = flush(ic2)
    if a[vb + L.V_BP * mv + v] > 0.0:
        ic1 = a[vb + L.V_BP_IC1 * mv + v]
        ic2 = a[vb + L.V_BP_IC2 * mv + v]
        a1 = a[vb + L.V_BP_A1 * mv + v]
        a2 = a[vb + L.V_BP_A2 * mv + v]
        a3 = a[vb + L.V_BP_A3 * mv + v]
        k = a[vb + L.V_BP_K * mv + v]
        for t in range(t0, t1):
            v1, v2, ic1, ic2 = svf_tick(a[off + t * stride], ic1, ic2, a1, a2, a3)
            a[off + t * stride] = k * v1
        a[vb + L.V_BP_IC1 * mv + v] = flush(ic1)
        a[vb + L.V_BP_IC2 * mv + v] = flush(ic2)

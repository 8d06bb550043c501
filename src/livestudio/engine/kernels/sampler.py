"""Sample playback from the pool: rate (signed), begin/end, loop; channels mixed to mono."""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.jit import kernel


@kernel
def play_sample(a: np.ndarray, ly: np.ndarray, p: np.ndarray, vb: int, mv: int, v: int,
                off: int, stride: int, t0: int, t1: int, age0: int) -> None:
    """Read the voice's sample at ``begin + rate * age`` (linear interpolation)."""
    row = int(a[vb + L.V_SMP * mv + v])
    st = ly[L.LY_SMPTAB] + row * L.SMP_FIELDS
    poff = int(a[st + L.SMP_OFF])
    frames = int(a[st + L.SMP_FRAMES])
    chans = int(a[st + L.SMP_CHANNELS])
    rate = a[vb + L.V_RATE * mv + v]
    begin = a[vb + L.V_BEGIN * mv + v]
    endf = a[vb + L.V_ENDF * mv + v]
    loop = a[vb + L.V_LOOP * mv + v] > 0.0
    length = endf - begin
    start = begin if rate > 0.0 else endf - 1.0
    last = endf - 1.0
    inv = 1.0 / chans
    for t in range(t0, t1):
        pos = start + rate * (age0 + (t - t0))
        if loop and length > 1.0:
            rel = pos - begin
            rel -= np.floor(rel / length) * length
            pos = begin + rel
        if pos < begin or pos > last or frames <= 0:
            a[off + t * stride] = 0.0
            continue
        i = int(math.floor(pos))
        fr = pos - i
        i1 = min(i + 1, frames - 1)
        acc = 0.0
        for c in range(chans):
            y0 = p[poff + i * chans + c]
            acc += y0 + fr * (p[poff + i1 * chans + c] - y0)
        a[off + t * stride] = acc * inv

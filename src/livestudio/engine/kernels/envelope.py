"""Linear ADSR envelopes computed in closed form from the voice's age (frames).

A closed form makes the envelope independent of how the frames are split into
blocks: the same age always gives the same value, bit for bit.
"""

from __future__ import annotations

import numpy as np

from livestudio.engine.kernels.jit import kernel


@kernel
def adsr_level(n: int, att: float, dec: float, sus: float, gate: float, rel: float) -> float:
    """Envelope value at age ``n`` (frames); stage lengths in frames, ``sus`` a level."""
    if n < gate:
        return _pre_gate(n, att, dec, sus)
    start = _pre_gate(int(gate) - 1, att, dec, sus) if gate > 0 else 0.0
    m = n - gate + 1.0
    if m >= rel:
        return 0.0
    return start * (1.0 - m / rel)


@kernel
def _pre_gate(n: int, att: float, dec: float, sus: float) -> float:
    if n < 0:
        return 0.0
    if n < att:
        return (n + 1.0) / att
    k = n - att + 1.0
    if k <= dec:
        return 1.0 - (1.0 - sus) * (k / dec)
    return sus


@kernel
def fill_adsr(a: np.ndarray, off: int, stride: int, t0: int, t1: int, age0: int,
              att: float, dec: float, sus: float, gate: float, rel: float) -> None:
    """Write the envelope for ages ``age0 ..`` to ``a[off + t * stride]``, t in [t0, t1).

    Stages are filled segment by segment with the same expressions as ``adsr_level``.
    """
    t = t0
    n = age0
    # attack
    while t < t1 and n < att and n < gate:
        a[off + t * stride] = (n + 1.0) / att
        t += 1
        n += 1
    # decay
    while t < t1 and n < att + dec and n < gate:
        a[off + t * stride] = 1.0 - (1.0 - sus) * ((n - att + 1.0) / dec)
        t += 1
        n += 1
    # sustain
    while t < t1 and n < gate:
        a[off + t * stride] = sus
        t += 1
        n += 1
    if t < t1:
        start = _pre_gate(int(gate) - 1, att, dec, sus) if gate > 0 else 0.0
        while t < t1:
            m = n - gate + 1.0
            a[off + t * stride] = start * (1.0 - m / rel) if m < rel else 0.0
            t += 1
            n += 1

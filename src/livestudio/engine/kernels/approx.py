"""Cheap, exact-enough elementary functions for per-sample synthesis math.

Inline polynomials and rationals instead of library calls (which cost tens of cycles
each and keep loops from vectorizing); both are far below audibility:

- ``sin2pi(ph)``: ``sin(2 pi ph)`` to within 1e-11 (reflection to a quarter period,
  then the odd Taylor series to degree 15);
- ``tanh_fast(x)``: ``tanh(x)`` to within 4e-8 for ``|x| <= 4`` (a [9/8] continued-fraction
  rational), the library ``tanh`` beyond.
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine.kernels.jit import kernel

TWO_PI = 2.0 * math.pi
TANH_RATIONAL_MAX = 4.0


@kernel(inline=True)
def sin2pi(ph: float) -> float:
    """``sin(2 pi ph)`` for any finite ``ph`` (error below 1e-11)."""
    x = ph - np.floor(ph + 0.5)          # [-0.5, 0.5]
    # reflect into [-0.25, 0.25] (sin(pi - t) = sin t), without branches
    x = max(min(x, 0.5 - x), -0.5 - x)
    t = TWO_PI * x
    t2 = t * t
    p = -1.0 / 1307674368000.0
    p = p * t2 + 1.0 / 6227020800.0
    p = p * t2 - 1.0 / 39916800.0
    p = p * t2 + 1.0 / 362880.0
    p = p * t2 - 1.0 / 5040.0
    p = p * t2 + 1.0 / 120.0
    p = p * t2 - 1.0 / 6.0
    p = p * t2 + 1.0
    return t * p


@kernel(inline=True)
def tanh_fast(x: float) -> float:
    """``tanh(x)`` (error below 4e-8 for ``|x| <= 4``; exact library call beyond)."""
    if abs(x) > TANH_RATIONAL_MAX:
        return math.tanh(x)
    x2 = x * x
    num = x * (34459425.0 + x2 * (4729725.0 + x2 * (135135.0 + x2 * (990.0 + x2))))
    den = 34459425.0 + x2 * (16216200.0 + x2 * (945945.0 + x2 * (13860.0 + 45.0 * x2)))
    return num / den

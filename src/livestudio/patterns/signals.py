"""Continuous patterns (signals): ``sine``, ``cosine``, ``saw``, ``isaw``, ``tri``,
``square``, ``time``, and the random signals ``rand``, ``irand(n)``, ``perlin``.

A signal's value is taken at the **begin** of the span it is queried with (as Strudel
1.2.6 does); its haps have no whole. Use ``.segment(n)`` (or ``.struct``, or give it as
an argument, ``.gain(saw)``) to sample it at event onsets.

>>> [round(h.value, 3) for h in sine.segment(4).first_cycle()]
[0.5, 1.0, 0.5, 0.0]
"""

from __future__ import annotations

import math
from typing import Any, Callable

from quicktions import Fraction

from livestudio.patterns.hap import Hap
from livestudio.patterns.pattern import Pattern, fastcat, reify, signal_pattern
from livestudio.patterns.randomness import time_to_rand
from livestudio.patterns.timespan import TimeSpan


def signal(func: Callable[[Fraction], Any]) -> Pattern:
    """A continuous pattern whose value is ``func(t)`` at the begin ``t`` of each query."""
    return signal_pattern(func)


def _js_mod1(t: Fraction) -> float:
    return math.fmod(float(t), 1.0)


saw = signal(_js_mod1)
"""Sawtooth 0 → 1 every cycle."""
isaw = signal(lambda t: 1 - _js_mod1(t))
"""Inverse sawtooth 1 → 0 every cycle."""
sine2 = signal(lambda t: math.sin(math.pi * 2 * float(t)))
"""Sine between -1 and 1."""
sine = sine2.fmap(lambda x: (x + 1) / 2)
"""Sine between 0 and 1: (sin(2πt) + 1) / 2."""
cosine = sine._early(Fraction(1, 4))
"""Cosine between 0 and 1 (sine a quarter cycle earlier)."""
cosine2 = sine2._early(Fraction(1, 4))
square = signal(lambda t: math.floor(math.fmod(float(t) * 2, 2)))
"""Square wave: 0 for the first half of each cycle, 1 for the second."""
tri = fastcat(saw, isaw)
"""Triangle 0 → 1 → 0 every cycle (``fastcat(saw, isaw)``)."""
saw2 = saw.fmap(lambda x: x * 2 - 1)
isaw2 = isaw.fmap(lambda x: x * 2 - 1)
square2 = square.fmap(lambda x: x * 2 - 1)
tri2 = fastcat(isaw2, saw2)
time = signal(lambda t: t)
"""The cycle time itself (a Fraction)."""

rand = signal(lambda t: time_to_rand(float(t)))
"""Strudel's legacy time-hashed random signal in ``[0, 1)``; ``rand(0) == 0``."""
rand2 = rand.fmap(lambda x: x * 2 - 1)


def _irand(n: Any) -> Pattern:
    return rand.fmap(lambda x: math.trunc(x * n))


def irand(n: Any) -> Pattern:
    """Random integers ``0 .. n-1`` (``n`` patternable): ``trunc(rand * n)``.

    >>> [h.value for h in irand(8).segment(4).first_cycle()]
    [0, 2, 2, 1]
    """
    # always joined cycle by cycle (no shortcut for a plain n), as in Strudel: a
    # query crossing a cycle boundary samples rand again at the boundary
    return reify(n).fmap(_irand).inner_join()


def _brand_by(p: Any) -> Pattern:
    return rand.fmap(lambda x: x < p)


def brand_by(p: Any) -> Pattern:
    """Random booleans, true with probability ``p``."""
    return reify(p).fmap(_brand_by).inner_join()


brand = _brand_by(0.5)
"""Random booleans, true half the time."""


def _smootherstep(x: float) -> float:
    return 6.0 * x ** 5 - 15.0 * x ** 4 + 10.0 * x ** 3


def perlin_with(pat: Pattern) -> Pattern:
    """Perlin noise driven by a pattern of (float) times."""

    def f(t: Any) -> float:
        t = float(t)
        a = math.floor(t)
        ra = time_to_rand(float(a))
        rb = time_to_rand(float(a + 1))
        return ra + _smootherstep(t - a) * (rb - ra)

    return pat.fmap(f)


perlin = perlin_with(time)
"""Smooth noise in ``[0, 1)``: rand at floor(t) and floor(t)+1 interpolated."""


def _run_rands(t: Fraction, n: int) -> list[int]:
    from livestudio.patterns.randomness import time_to_rands

    rands = time_to_rands(float(Fraction(t.numerator // t.denominator) + Fraction(1, 2)), n)
    order = sorted(range(n), key=lambda i: rands[i])
    return order


def randrun(n: Any) -> Pattern:
    """A random permutation of ``0 .. n-1`` each cycle."""
    k = int(n)
    if k <= 0:
        from livestudio.patterns.pattern import silence

        return silence

    def f(t: Fraction) -> int:
        nums = _run_rands(t, k)
        pos = t - (t.numerator // t.denominator)
        i = (pos * k).__floor__() % k
        return nums[i]

    return signal(f)._segment(k)


__all__ = [
    "signal", "saw", "isaw", "sine", "sine2", "cosine", "cosine2", "square", "tri", "saw2",
    "isaw2", "square2", "tri2", "rand", "rand2", "irand", "brand", "brand_by",
    "perlin", "perlin_with", "randrun",
]

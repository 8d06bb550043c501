"""Rational pattern time: ``Time`` (an exact fraction) and float conversion.

Pattern time is measured in cycles as exact fractions (``quicktions.Fraction``, a fast
drop-in for :class:`fractions.Fraction`). ``to_time`` turns numbers into times the way
Strudel does (fraction.js 5.3.4's float conversion), so ``0.1`` becomes ``1/10`` and
``0.3333333333333333`` becomes ``1/3``.

>>> to_time(0.25), to_time(1.5), to_time(0.3333333333333333)
(Fraction(1, 4), Fraction(3, 2), Fraction(1, 3))
"""

from __future__ import annotations

import fractions
import math
from functools import lru_cache
from numbers import Rational
from typing import Any

from quicktions import Fraction

from livestudio.errors import PatternError

Time = Fraction
"""The time type: exact rational cycles."""

ZERO = Fraction(0)
ONE = Fraction(1)

_N_MAX = 10_000_000  # fraction.js's bound on the Farey search denominator


@lru_cache(maxsize=4096)
def _float_to_fraction(x: float) -> Fraction:
    """fraction.js 5.3.4: best rational approximation by a Farey (mediant) search.

    Runs of moves to the same side are taken in one jump (found by bisection), so
    tiny or huge inputs cost O(log) steps; the result is the step-by-step one.
    """
    sign = -1 if x < 0 else 1
    x = -x if x < 0 else x
    if x % 1 == 0:
        return Fraction(int(x) * sign)
    z = 1
    if x >= 1:
        z = 10 ** math.floor(1 + math.log(x) / math.log(10))
        x /= z
    a, b, c, d = 0, 1, 1, 1
    n, den = 0, 1
    big = _N_MAX
    while b <= big and d <= big:
        m = (a + c) / (b + d)
        if x == m:
            if b + d <= big:
                n, den = a + c, b + d
            elif d > b:
                n, den = c, d
            else:
                n, den = a, b
            break
        if x > m:
            # right moves i = 0, 1, ...: allowed while b + i*d <= N and
            # x > (a + (i+1)c) / (b + (i+1)d); the mediants grow with i, so bisect
            lo, hi = 0, (big - b) // d  # move 0 is known to happen
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if x > (a + (mid + 1) * c) / (b + (mid + 1) * d):
                    lo = mid
                else:
                    hi = mid - 1
            k = lo + 1
            a += k * c
            b += k * d
        else:
            lo, hi = 0, (big - d) // b
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if not x > (c + (mid + 1) * a) / (d + (mid + 1) * b) and \
                        x != (c + (mid + 1) * a) / (d + (mid + 1) * b):
                    lo = mid
                else:
                    hi = mid - 1
            k = lo + 1
            c += k * a
            d += k * b
        if b > big:
            n, den = c, d
        else:
            n, den = a, b
    return Fraction(sign * n * z, den)


def parse_time(text: str) -> Fraction:
    """An exact time from a string such as ``"3/4"``, ``"-2"`` or ``"0.25"``.

    Parsed by the standard library, never by ``quicktions.Fraction(str)``: quicktions
    1.16-1.24 on CPython 3.11 writes into the interpreter's shared one-byte ``bytes``
    objects when it parses a one-character string (after ``Fraction("7")``,
    ``bytes([7])`` reads ``b"7"``), which corrupts unrelated code such as file readers.

    >>> parse_time("3/4"), parse_time("7"), bytes([7])
    (Fraction(3, 4), Fraction(7, 1), b'\\x07')
    """
    value = fractions.Fraction(text)
    return Fraction(value.numerator, value.denominator)


def to_time(x: Any) -> Fraction:
    """Turn an int, float, Fraction or numeric string into an exact ``Time``.

    Floats are converted like fraction.js 5.3.4 (what Strudel uses), not exactly.

    >>> to_time(0.1)
    Fraction(1, 10)
    >>> to_time("3/4")
    Fraction(3, 4)
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            raise PatternError(f"cannot use {x!r} as a time")
        return _float_to_fraction(x)
    if isinstance(x, Rational):
        return Fraction(x.numerator, x.denominator)
    if isinstance(x, str):
        try:
            return parse_time(x)
        except (ValueError, ZeroDivisionError):
            try:
                return to_time(float(x))
            except ValueError:
                raise PatternError(f"cannot use {x!r} as a time (expected a number)") from None
    raise PatternError(f"cannot use {x!r} ({type(x).__name__}) as a time (expected a number)")


def sam(t: Fraction) -> Fraction:
    """The start of the cycle that ``t`` falls in (its floor).

    >>> sam(Fraction(7, 3))
    Fraction(2, 1)
    """
    return Fraction(t.numerator // t.denominator)


def next_sam(t: Fraction) -> Fraction:
    """The start of the next cycle after the one ``t`` falls in."""
    return Fraction(t.numerator // t.denominator + 1)


def cycle_pos(t: Fraction) -> Fraction:
    """Position of ``t`` within its cycle, in ``[0, 1)``."""
    return t - (t.numerator // t.denominator)

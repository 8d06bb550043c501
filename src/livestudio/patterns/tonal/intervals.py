"""Tonal-style intervals: ``"3M"``, ``"5P"``, ``"-3m"``, ``"M3"``; semitone conversion.

>>> interval_semitones("3M"), interval_semitones("-3m"), interval_semitones("10M")
(4, -3, 16)
>>> interval_from_semitones(6), interval_from_semitones(-5), interval_from_semitones(14)
('5d', '-4P', '9M')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from livestudio.errors import TonalError

__all__ = ["Interval", "parse_interval", "interval_semitones", "interval_from_semitones"]

_BASE_SEMITONES = (0, 2, 4, 5, 7, 9, 11)
_PERFECTABLE = (True, False, False, True, True, False, False)  # 1 2 3 4 5 6 7
_NUM_FIRST = re.compile(r"^([-+]?\d+)(d{1,4}|m|M|P|A{1,4})$")
_QUALITY_FIRST = re.compile(r"^(AA|A|P|M|m|d|dd)([-+]?\d+)$")
# Semitones -> interval name, as tonal's Interval.fromSemitones.
_FROM_SEMI_NUM = (1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7)
_FROM_SEMI_Q = ("P", "m", "M", "m", "M", "P", "d", "P", "m", "M", "m", "M")


@dataclass(frozen=True, slots=True)
class Interval:
    """A parsed interval: diatonic ``steps`` (0 = unison) and ``semitones``, both signed."""

    name: str
    steps: int
    semitones: int


def _alteration(quality: str, perfectable: bool) -> int:
    if quality == "P":
        return 0 if perfectable else 99
    if quality == "M":
        return 99 if perfectable else 0
    if quality == "m":
        return 99 if perfectable else -1
    if quality[0] == "A":
        return len(quality)
    return -len(quality) if perfectable else -len(quality) - 1  # d, dd, ...


@lru_cache(maxsize=1024)
def parse_interval(name: str) -> Interval:
    """Parse a tonal interval name; raise :class:`TonalError` when it is not one."""
    text = str(name).strip()
    m = _NUM_FIRST.match(text)
    if m:
        num, quality = int(m.group(1)), m.group(2)
    else:
        m = _QUALITY_FIRST.match(text)
        if not m:
            raise TonalError(f"not an interval: {name!r} (expected e.g. '3M', '5P', '-3m')")
        quality, num = m.group(1), int(m.group(2))
    if num == 0:
        raise TonalError(f"not an interval: {name!r} (interval numbers start at 1)")
    direction = -1 if num < 0 else 1
    step = (abs(num) - 1) % 7
    octaves = (abs(num) - 1) // 7
    alt = _alteration(quality, _PERFECTABLE[step])
    if alt == 99:
        raise TonalError(f"not an interval: {name!r} (quality {quality!r} does not fit a {abs(num)})")
    semis = _BASE_SEMITONES[step] + alt + 12 * octaves
    return Interval(text, direction * (abs(num) - 1), direction * semis)


def interval_semitones(name: str) -> int:
    """Semitones of a tonal interval name (negative when descending)."""
    return parse_interval(name).semitones


def interval_from_semitones(semitones: int) -> str:
    """The interval tonal names for a semitone count: 0->1P, 1->2m, 6->5d, 12->8P, -1->-2m."""
    if isinstance(semitones, float):
        if not semitones.is_integer():
            raise TonalError(f"cannot turn {semitones} semitones into an interval (not a whole number)")
        semitones = int(semitones)
    direction = -1 if semitones < 0 else 1
    n = abs(semitones)
    c, octaves = n % 12, n // 12
    return f"{direction * (_FROM_SEMI_NUM[c] + 7 * octaves)}{_FROM_SEMI_Q[c]}"

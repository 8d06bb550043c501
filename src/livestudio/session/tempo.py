"""The tempo map: exact cycle <-> sample-frame conversion with tempo changes.

Pattern time is rational cycles; engine time is an integer frame counter. A tempo map
is a list of anchors ``(cycle0, frame0, cps)``; a tempo change adds an anchor at an
exact cycle and never moves the past.

>>> tm = TempoMap(sample_rate=48000, cps=Fraction(1, 2))
>>> tm.frame_at(Fraction(1))
96000
>>> tm.set_cps(1, at_cycle=Fraction(2)); tm.frame_at(Fraction(3))
240000
>>> tm.cycle_at(240000)
Fraction(3, 1)
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction

from livestudio.errors import SessionError


def exact(value: float | int | Fraction) -> Fraction:
    """A float tempo or time as an exact fraction (floats via their shortest repr)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if not math.isfinite(value):
        raise SessionError(f"not a finite number: {value!r}")
    return Fraction(repr(float(value)))


@dataclass(frozen=True)
class Anchor:
    """From ``cycle`` on (at ``frame``), time runs at ``cps`` cycles per second."""

    cycle: Fraction
    frame: Fraction
    cps: Fraction


class TempoMap:
    """Piecewise-constant tempo: maps cycles to frames and back, exactly."""

    def __init__(self, *, sample_rate: int, cps: float | Fraction = Fraction(1, 2),
                 frame0: int = 0, cycle0: Fraction = Fraction(0)) -> None:
        self.sample_rate = int(sample_rate)
        self.anchors: list[Anchor] = [Anchor(Fraction(cycle0), Fraction(frame0), self._check(cps))]

    @staticmethod
    def _check(cps: float | Fraction) -> Fraction:
        value = exact(cps)
        if not Fraction(1, 100) <= value <= 100:
            raise SessionError(f"cycles per second must be within 0.01..100, got {float(value):g}")
        return value

    @property
    def cps(self) -> Fraction:
        """The tempo of the latest anchor."""
        return self.anchors[-1].cps

    def cps_at(self, cycle: Fraction) -> Fraction:
        """The tempo in force at ``cycle``."""
        return self._anchor_for_cycle(cycle).cps

    def set_cps(self, cps: float | Fraction, *, at_cycle: Fraction) -> None:
        """Change tempo from ``at_cycle`` on; anchors after it are dropped."""
        at_cycle = Fraction(at_cycle)
        value = self._check(cps)
        frame = self.frame_exact(at_cycle)
        self.anchors = [a for a in self.anchors if a.cycle < at_cycle]
        if not self.anchors:
            self.anchors = [Anchor(at_cycle, frame, value)]
        else:
            self.anchors.append(Anchor(at_cycle, frame, value))

    def _anchor_for_cycle(self, cycle: Fraction) -> Anchor:
        if len(self.anchors) == 1:  # one tempo (every offline render): nothing to search
            return self.anchors[0]
        keys = [a.cycle for a in self.anchors]
        index = max(bisect.bisect_right(keys, cycle) - 1, 0)
        return self.anchors[index]

    def frame_exact(self, cycle: Fraction) -> Fraction:
        """The exact (rational) frame position of ``cycle``."""
        a = self._anchor_for_cycle(cycle)
        return a.frame + (cycle - a.cycle) * self.sample_rate / a.cps

    def frame_at(self, cycle: Fraction) -> int:
        """The frame an onset at ``cycle`` plays at (rounded half up)."""
        x = self.frame_exact(cycle)
        # floor(x + 1/2) in integers
        return (2 * x.numerator + x.denominator) // (2 * x.denominator)

    def cycle_at(self, frame: int | float | Fraction) -> Fraction:
        """The cycle position at a frame."""
        frame = exact(frame)
        keys = [a.frame for a in self.anchors]
        index = max(bisect.bisect_right(keys, frame) - 1, 0)
        a = self.anchors[index]
        return a.cycle + (frame - a.frame) * a.cps / self.sample_rate

    def seconds_between(self, begin: Fraction, end: Fraction) -> float:
        """Wall seconds from cycle ``begin`` to cycle ``end`` under this map."""
        if len(self.anchors) == 1:  # one tempo: the same exact value, fewer steps
            return float((end - begin) / self.anchors[0].cps)
        return float((self.frame_exact(end) - self.frame_exact(begin)) / self.sample_rate)

"""``TimeSpan``: a half-open interval of rational cycle time."""

from __future__ import annotations

from typing import Callable

from quicktions import Fraction

from livestudio.patterns.time import Time


class TimeSpan:
    """A span ``[begin, end)`` of cycles (exact fractions).

    >>> TimeSpan(Fraction(1, 2), Fraction(5, 2)).span_cycles()
    [TimeSpan(1/2, 1), TimeSpan(1, 2), TimeSpan(2, 5/2)]
    """

    __slots__ = ("begin", "end")

    def __init__(self, begin: Time, end: Time) -> None:
        self.begin = begin
        self.end = end

    def __repr__(self) -> str:
        return f"TimeSpan({self.begin}, {self.end})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, TimeSpan) and self.begin == other.begin
                and self.end == other.end)

    def __hash__(self) -> int:
        return hash((self.begin, self.end))

    @property
    def duration(self) -> Time:
        """``end - begin``."""
        return self.end - self.begin

    def span_cycles(self) -> list[TimeSpan]:
        """Split at cycle boundaries (a zero-width span stays as it is)."""
        begin = self.begin
        end = self.end
        if begin == end:
            return [self]
        b_sam = begin.numerator // begin.denominator
        e_sam = end.numerator // end.denominator
        if b_sam == e_sam or (e_sam == b_sam + 1 and end.denominator == 1):
            return [self]
        spans = []
        while end > begin:
            bs = begin.numerator // begin.denominator
            if bs == e_sam:
                spans.append(TimeSpan(begin, end))
                break
            nxt = Fraction(bs + 1)
            spans.append(TimeSpan(begin, nxt))
            begin = nxt
        return spans

    def with_time(self, func: Callable[[Time], Time]) -> TimeSpan:
        """Apply ``func`` to both ends."""
        return TimeSpan(func(self.begin), func(self.end))

    def with_end(self, func: Callable[[Time], Time]) -> TimeSpan:
        """Apply ``func`` to the end only."""
        return TimeSpan(self.begin, func(self.end))

    def with_cycle(self, func: Callable[[Time], Time]) -> TimeSpan:
        """Apply ``func`` to both ends relative to the cycle ``begin`` falls in."""
        s = Fraction(self.begin.numerator // self.begin.denominator)
        return TimeSpan(s + func(self.begin - s), s + func(self.end - s))

    def cycle_arc(self) -> TimeSpan:
        """This span shifted so that its begin falls in cycle 0."""
        s = self.begin.numerator // self.begin.denominator
        return TimeSpan(self.begin - s, self.end - s)

    def whole_cycle(self) -> TimeSpan:
        """The whole cycle that ``begin`` falls in."""
        s = self.begin.numerator // self.begin.denominator
        return TimeSpan(Fraction(s), Fraction(s + 1))

    def intersection(self, other: TimeSpan) -> TimeSpan | None:
        """The overlap of two spans, or ``None``.

        A zero-width overlap at the end of a non-zero-width span is no overlap.
        """
        b = self.begin if self.begin > other.begin else other.begin
        e = self.end if self.end < other.end else other.end
        if b > e:
            return None
        if b == e:
            if b == self.end and self.begin < self.end:
                return None
            if b == other.end and other.begin < other.end:
                return None
        return TimeSpan(b, e)

    def intersection_e(self, other: TimeSpan) -> TimeSpan:
        """Like :meth:`intersection` but raises ``ValueError`` when there is none."""
        result = self.intersection(other)
        if result is None:
            raise ValueError(f"{self} and {other} do not intersect")
        return result

    def midpoint(self) -> Time:
        """The time halfway between begin and end."""
        return self.begin + (self.end - self.begin) / 2

    def equals(self, other: TimeSpan) -> bool:
        """Same begin and end."""
        return self.begin == other.begin and self.end == other.end

"""Static guards against pathological mini-notation (``a*1e9``, ``0 .. 1e12``, ...).

Strudel would try to produce such patterns and freeze; here they are refused with a
:class:`~livestudio.errors.MiniNotationError` pointing at the culprit. The check walks
the syntax tree once, estimating an upper bound of events per cycle from the numbers
written in the string (every value a pattern can take is written in it).
"""

from __future__ import annotations

import math

from livestudio.errors import MiniNotationError
from livestudio.patterns.mini.ast import (
    Atom,
    weight_of,
    Element,
    Euclid,
    Group,
    Node,
    Range,
    Replicate,
    Stretch,
    Tail,
)
from livestudio.patterns.mini.values import js_number

MAX_EVENTS_PER_CYCLE = 10_000
"""Refuse patterns estimated to produce more events than this in one cycle."""

MAX_RANGE = 10_000
"""Longest ``a .. b`` range (in numbers)."""

MIN_TIME = 1e-4
"""Smallest non-zero magnitude accepted for a number used as a time (factor, weight)."""

MAX_TIME = 1e6
"""Largest magnitude accepted for a number used as a time (factor, weight)."""


def check(node: Node, source: str) -> None:
    """Raise :class:`MiniNotationError` when ``node`` is too heavy to query."""
    _Checker(source).estimate(node)


def range_length(start: object, stop: object) -> int:
    """How many numbers ``start .. stop`` gives (Strudel's ``arrayRange``); 0 if not numbers."""
    if not _is_number(start) or not _is_number(stop):
        return 0
    d = abs(stop - start)  # type: ignore[operator]
    if math.isnan(d):
        return 0
    if math.isinf(d):
        return MAX_RANGE + 1
    return math.floor(d + 1)


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str, pos: int) -> MiniNotationError:
        return MiniNotationError(message, source=self.source, column=pos)

    def numbers(self, node: Node | Element) -> list[tuple[float, int]]:
        """Every number written inside ``node``, with its offset."""
        out: list[tuple[float, int]] = []
        stack: list[object] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, Atom):
                value = js_number(item.text)
                if value is not None:
                    out.append((float(value), item.begin))
            elif isinstance(item, Group):
                stack.extend(item.children)
                if item.steps is not None:
                    stack.append(item.steps)
            elif isinstance(item, Element):
                stack.append(item.body)
                for op in item.ops:
                    if isinstance(op, (Stretch,)):
                        stack.append(op.amount)
                    elif isinstance(op, (Tail, Range)):
                        stack.append(op.element)
                    elif isinstance(op, Euclid):
                        stack.extend(x for x in (op.pulse, op.steps, op.rotation) if x)
        return out

    def time_numbers(self, node: Node | Element) -> list[float]:
        """Numbers of ``node`` used as times: refuse the absurd ones."""
        values = []
        for value, pos in self.numbers(node):
            self.check_time(value, pos)
            values.append(abs(value))
        return values

    def check_time(self, value: float, pos: int) -> None:
        magnitude = abs(value)
        if math.isnan(magnitude) or magnitude > MAX_TIME or 0 < magnitude < MIN_TIME:
            raise self.fail(f"number {value:g} is out of range for a time "
                            f"(use 0 or {MIN_TIME:g} to {MAX_TIME:g})", pos)

    def bounded(self, value: float, pos: int) -> float:
        if value > MAX_EVENTS_PER_CYCLE:
            raise self.fail("pattern too dense: more than "
                            f"{MAX_EVENTS_PER_CYCLE} events per cycle", pos)
        return value

    def estimate(self, node: Node) -> float:
        """Rough upper bound of events per cycle of ``node``."""
        if isinstance(node, Atom):
            return 1.0
        if node.kind == "seq":
            total = 0.0
            for el in node.children:
                assert isinstance(el, Element)
                if el.weight != 0 and not math.isnan(el.weight):
                    self.check_time(el.weight, el.begin)
                total += self.element(el)
            return self.bounded(total, node.begin)
        if node.kind != "polymeter":
            return self.bounded(sum(self.estimate(c) for c in node.children), node.begin)
        pieces = 1.0
        if node.steps is not None:
            steps = max(self.time_numbers(node.steps), default=1.0)
            pieces = self.estimate(node.steps)
        else:
            steps = abs(weight_of(node.children[0]))  # type: ignore[arg-type]
        total = 0.0
        for child in node.children:
            weight = abs(weight_of(child))  # type: ignore[arg-type]
            factor = steps / weight if weight else 1.0
            total += self.estimate(child) * max(1.0, math.ceil(factor)) + pieces
        return self.bounded(total, node.begin)

    def element(self, el: Element) -> float:
        """Events per cycle of a step after its operators.

        Speeding up multiplies; cutting by another pattern (patterned arguments, ``:``,
        euclid slots) adds at most one fragment per piece.
        """
        events = self.estimate(el.body)
        values = [v for v, _ in self.numbers(el.body)]  # numbers the step's value can take
        for op in el.ops:
            if isinstance(op, Stretch):
                factors = [v for v in self.time_numbers(op.amount) if v > 0]
                if op.kind == "fast":
                    factor = max(factors, default=1.0)
                else:
                    factor = 1.0 / min(factors, default=1.0)
                events = events * max(1.0, math.ceil(factor)) + self.estimate(op.amount)
            elif isinstance(op, Replicate):
                self.check_time(op.amount, el.begin)
                events *= max(1.0, math.ceil(abs(op.amount)))
            elif isinstance(op, Euclid):
                steps = max((abs(v) for v, _ in self.numbers(op.steps)), default=1.0)
                if steps > MAX_EVENTS_PER_CYCLE:
                    raise self.fail("too many euclid steps", op.steps.begin)
                pieces = self.estimate(op.pulse.body) + self.estimate(op.steps.body)
                if op.rotation is not None:
                    pieces += self.estimate(op.rotation.body)
                events += pieces * (math.ceil(steps) + 1)
            elif isinstance(op, Tail):
                values += [v for v, _ in self.numbers(op.element)]
                events += self.estimate(op.element)
            elif isinstance(op, Range):
                values += [v for v, _ in self.numbers(op.element)]
                length = range_length(min(values, default=0.0), max(values, default=0.0))
                if length > MAX_RANGE:
                    raise self.fail(f"range too long (more than {MAX_RANGE} numbers)",
                                    el.begin)
                events = events * max(1, length) + self.estimate(op.element)
            self.bounded(events, el.begin)
        return events

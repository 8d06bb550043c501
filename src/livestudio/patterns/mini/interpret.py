"""Mini-notation syntax tree -> :class:`Pattern`, built from public combinators only.

Semantics follow Strudel 1.2.6's ``mini.mjs`` (see ``../shared/conformance/README.md``):

- a sequence is ``timecat`` of its steps weighted by ``@``/``_``/``!`` (``fastcat`` when
  all weights are 1); ``[...]`` is a sub-sequence; ``,`` stacks; ``.`` groups (``fastcat``
  of the groups); ``|`` chooses one group per cycle with a seeded ``rand``;
- ``<...>`` slows each layer by its total weight (so ``<a@3 b>`` holds ``a`` 3 cycles);
- ``{...}`` speeds each layer to the first layer's step count, or to ``%steps``;
- a step's operators apply left to right: ``*``/``/`` (patterned factors), ``!``
  (repeat cycles), ``(k,n,r)`` euclid (patterned), ``?`` (seeded degrade), ``:`` (list
  value), `` .. `` (range); operators written on euclid arguments are ignored, as in
  Strudel.

Every atom becomes ``pure(value).with_location(begin, end)``: its haps carry
``context["locations"]`` with the atom's character offsets in the mini string.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from quicktions import Fraction

from livestudio.errors import LivestudioError, MiniNotationError
from livestudio.patterns.mini.ast import (
    Atom,
    Degrade,
    Element,
    Euclid,
    Group,
    Node,
    Range,
    Replicate,
    Stretch,
    Tail,
    element_weight,
)
from livestudio.patterns.mini.limits import MAX_RANGE, range_length
from livestudio.patterns.mini.values import atom_value
from livestudio.patterns.pattern import (
    NO_VALUE,
    Pattern,
    fastcat,
    pure,
    silence,
    stack,
    timecat,
)
from livestudio.patterns.randomness import choose_by_cycle_seeded, seeded_rand
from livestudio.patterns.time import to_time


def interpret(node: Node | None, source: str) -> Pattern:
    """The pattern that the syntax tree ``node`` of ``source`` describes (``None``: silence)."""
    if node is None:
        return silence
    return _Builder(source).node(node)


def _append(a: Any) -> Callable[[Any], list[Any]]:
    """``a:b``: the value ``[a, b]``, or ``[*a, b]`` when ``a`` is already a list."""
    if isinstance(a, list):
        return lambda b: [*a, b]
    return lambda b: [a, b]


def _op_position(op: Any, el: Element) -> int:
    """Where to point the caret for an error raised by ``op``."""
    if isinstance(op, Stretch):
        return op.amount.begin
    if isinstance(op, Euclid):
        return op.pulse.begin
    if isinstance(op, (Tail, Range)):
        return op.element.begin
    return el.begin


def _lcm(values: list[Fraction | None]) -> Fraction | None:
    """Least common multiple of step counts (``None`` entries skipped), as Strudel's ``lcm``."""
    result: Fraction | None = None
    for value in values:
        if value is None:
            continue
        value = Fraction(value)
        if result is None:
            result = value
        elif value == 0 or result == 0:
            result = Fraction(0)
        else:
            result = Fraction(math.lcm(result.numerator, value.numerator),
                              math.gcd(result.denominator, value.denominator))
    return result


def _exact_weight(element: Element) -> Fraction:
    return to_time(element_weight(element))


class _Builder:
    """Builds patterns for one mini string (used for error positions)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, message: str, pos: int) -> MiniNotationError:
        return MiniNotationError(message, source=self.source, column=pos)

    # -- nodes -------------------------------------------------------------------------

    def node(self, node: Node) -> Pattern:
        """The pattern of ``node``."""
        return self.built(node)[0]

    def built(self, node: Node) -> tuple[Pattern, bool]:
        """The pattern of ``node`` and whether it counts as a steps source (``^``)."""
        if isinstance(node, Atom):
            return self.atom(node), False
        return self.group(node)

    def atom(self, atom: Atom) -> Pattern:
        if atom.is_rest:
            return silence
        return pure(atom_value(atom.text)).with_location(atom.begin, atom.end)

    def group(self, group: Group) -> tuple[Pattern, bool]:
        kind = group.kind
        if kind == "seq":
            return self.sequence(group)
        built = [self.built(child) for child in group.children]
        layers = [pat for pat, _ in built]
        sources = [pat._steps for pat, marked in built if marked]
        if kind == "stack":
            pat = stack(*layers)
        elif kind == "feet":
            pat = fastcat(*layers)
        elif kind == "choose":
            assert group.seed is not None
            pat = choose_by_cycle_seeded(group.seed, layers)
        else:
            weights = [self.layer_weight(child) for child in group.children]
            if kind == "alternate":
                pat = stack(*[layer._slow(w) for layer, w in zip(layers, weights)])
            else:
                pat = self.polymeter(group, layers, weights)
        if sources and kind in ("stack", "alternate", "choose"):
            steps = _lcm(sources)
            if steps is not None:
                pat = pat.steps(steps)
        return pat, bool(sources)

    def polymeter(self, group: Group, layers: list[Pattern], weights: list[Fraction]) -> Pattern:
        """``{...}``: every layer sped up to ``steps`` steps per cycle.

        Strudel applies the speed as a patterned ``fast`` (an inner join over the steps
        pattern, even for a plain number), so events are cut at cycle boundaries:
        ``split_queries`` gives the same haps for a fixed step count.
        """
        if group.steps is None:
            steps = weights[0]
            return stack(*[layer._fast(steps / w).split_queries()
                           for layer, w in zip(layers, weights)])
        steps_pat = self.node(group.steps)
        if steps_pat._pure is not NO_VALUE:
            try:
                steps = to_time(steps_pat._pure)
            except LivestudioError as exc:
                raise self.error(str(exc), group.steps.begin) from None
            return stack(*[layer._fast(steps / w).split_queries()
                           for layer, w in zip(layers, weights)])
        return stack(*[steps_pat.fmap(lambda x, layer=layer, w=w: layer._fast(to_time(x) / w))
                       .inner_join() for layer, w in zip(layers, weights)])

    def layer_weight(self, child: Node) -> Fraction:
        assert isinstance(child, Group)
        total = sum((_exact_weight(el) for el in child.children), Fraction(0))  # type: ignore[arg-type]
        if total == 0:
            raise self.error("the weights of this sequence add up to zero", child.begin)
        return total

    def sequence(self, group: Group) -> tuple[Pattern, bool]:
        """Steps side by side, weighted; ``_steps`` is the total weight (times the lcm of
        the steps of ``^``-marked parts, as in Strudel)."""
        elements: list[Element] = list(group.children)  # type: ignore[arg-type]
        built = [self.element(el) for el in elements]
        pats = [pat for pat, _ in built]
        weights = [_exact_weight(el) for el in elements]
        total = sum(weights, Fraction(0))
        if total == 0:
            raise self.error("the weights of this sequence add up to zero", group.begin)
        sources = [pat._steps for pat, marked in built if marked]
        steps = total
        if sources:
            factor = _lcm(sources)
            if factor is not None:
                steps = total * factor
        if len(pats) == 1:
            pat = pats[0]
        elif all(w == 1 for w in weights):
            pat = fastcat(*pats)
        else:
            pat = timecat(*zip(weights, pats))
        if pat._steps != steps:
            pat = pat.steps(steps)
        return pat, group.marked or bool(sources)

    # -- steps and their operators -----------------------------------------------------

    def element(self, el: Element) -> tuple[Pattern, bool]:
        """One step with its operators applied left to right."""
        body = el.body
        ops = el.ops
        marked = False
        if isinstance(body, Atom) and ops and isinstance(ops[0], (Tail, Range)):
            pat, ops = self.literal_prefix(body, ops)
        else:
            pat, marked = self.built(body)
        for op in ops:
            steps = pat._steps
            try:
                pat = self.apply(pat, op, el)
            except MiniNotationError:
                raise
            except LivestudioError as exc:
                raise self.error(str(exc), _op_position(op, el)) from None
            if marked and isinstance(op, (Stretch, Replicate)) and pat._steps != steps:
                pat = pat.steps(steps)  # Strudel's fast/slow/replicate keep the step count
        return pat, marked

    def apply(self, pat: Pattern, op: Any, el: Element) -> Pattern:
        """``pat`` with one step operator applied."""
        if isinstance(op, Stretch):
            amount = self.node(op.amount)
            pat = pat.fast(amount) if op.kind == "fast" else pat.slow(amount)
        elif isinstance(op, Replicate):
            n = to_time(op.amount)
            pat = pat._repeat_cycles(n)._fast(n)
        elif isinstance(op, Euclid):
            pulse = self.node(op.pulse.body)
            steps = self.node(op.steps.body)
            if op.rotation is None:
                pat = pat.euclid(pulse, steps)
            else:
                pat = pat.euclid_rot(pulse, steps, self.node(op.rotation.body))
        elif isinstance(op, Degrade):
            amount = 0.5 if op.amount is None else op.amount
            pat = pat.degrade_by_with(seeded_rand(op.seed), amount)
        elif isinstance(op, Tail):
            pat = pat.fmap(_append).app_left(self.node(op.element))
        elif isinstance(op, Range):
            pat = self.range(pat, self.node(op.element), el.begin)
        return pat

    def literal_prefix(self, body: Atom, ops: tuple[Any, ...]) -> tuple[Pattern, tuple[Any, ...]]:
        """Fold ``bd:3:0.5`` and ``0 .. 3`` between literal atoms into plain patterns.

        Same haps as the general path (``app_left``/``squeeze_bind`` with pure
        patterns), without its per-query cost.
        """
        if body.is_rest:
            return silence, ()
        value: Any = atom_value(body.text)
        locations = [(body.begin, body.end)]
        i = 0
        while i < len(ops) and isinstance(ops[i], Tail) and isinstance(ops[i].element, Atom):
            friend = ops[i].element
            if friend.is_rest:
                return silence, ()
            value = _append(value)(atom_value(friend.text))
            locations.append((friend.begin, friend.end))
            i += 1
        if i == 0 and isinstance(ops[0], Range) and isinstance(ops[0].element, Atom):
            friend = ops[0].element
            if friend.is_rest:
                return silence, ()
            numbers = self.range_values(value, atom_value(friend.text), body.begin)
            pat = fastcat(*[pure(v) for v in numbers])
            locations.append((friend.begin, friend.end))
            i = 1
        else:
            pat = pure(value)
        for begin, end in locations:
            pat = pat.with_location(begin, end)
        return pat, ops[i:]

    def range_values(self, start: Any, stop: Any, pos: int) -> list[Any]:
        """Strudel's ``arrayRange(start, stop)``: whole steps from start towards stop."""
        length = range_length(start, stop)
        if length > MAX_RANGE:
            raise self.error(f"range too long (more than {MAX_RANGE} numbers)", pos)
        if length == 0:
            return []
        if start < stop:
            values = [start + i for i in range(length)]
        else:
            values = [start - i for i in range(length)]
        return [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]

    def range(self, pat: Pattern, friend: Pattern, pos: int) -> Pattern:
        """``a .. b`` with patterned ends: each ``a`` squeezes in the numbers up to ``b``."""

        def numbers(a: Any) -> Pattern:
            return friend.bind(
                lambda b: fastcat(*[pure(v) for v in self.range_values(a, b, pos)]))

        return pat.squeeze_bind(numbers)


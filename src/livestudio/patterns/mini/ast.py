"""The mini-notation syntax tree: immutable nodes with source offsets.

Offsets are 0-based character positions in the mini-notation string, ``end``
exclusive, so ``source[node.begin:node.end]`` is the node's text (for an
``Atom``, exactly its characters, without surrounding whitespace).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

GroupKind = Literal["seq", "stack", "choose", "feet", "polymeter", "alternate"]


@dataclass(frozen=True, slots=True)
class Atom:
    """A step such as ``bd``, ``3``, ``c#4``, ``~`` or ``-``."""

    text: str
    begin: int
    end: int

    @property
    def is_rest(self) -> bool:
        """``~`` and ``-`` are rests."""
        return self.text == "~" or self.text == "-"


@dataclass(frozen=True, slots=True)
class Group:
    """A bracketed or separated group of sequences.

    ``kind`` is one of:

    - ``"seq"``: steps side by side in one cycle; ``children`` are :class:`Element`.
    - ``"stack"`` (``,``), ``"choose"`` (``|``), ``"feet"`` (``.``): ``children`` are
      ``"seq"`` groups.
    - ``"polymeter"`` (``{ }``, with ``steps`` from ``%``) and ``"alternate"``
      (``< >``): ``children`` are ``"seq"`` groups, one per ``,``-separated layer.

    ``seed`` numbers the random choice of ``|`` (and is also counted for ``.``, as
    Strudel does). ``marked`` records a leading ``^`` (Strudel's steps marker).
    """

    kind: GroupKind
    children: tuple[Node, ...]
    begin: int
    end: int
    seed: int | None = None
    steps: Node | None = None
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Stretch:
    """``*factor`` (``kind="fast"``) or ``/factor`` (``kind="slow"``)."""

    kind: Literal["fast", "slow"]
    amount: Node


@dataclass(frozen=True, slots=True)
class Replicate:
    """``!n`` or bare ``!``: repeat the step's cycle ``amount`` times in its place."""

    amount: float


@dataclass(frozen=True, slots=True)
class Euclid:
    """``(pulse,steps)`` or ``(pulse,steps,rotation)``; arguments are patterns."""

    pulse: Element
    steps: Element
    rotation: Element | None


@dataclass(frozen=True, slots=True)
class Degrade:
    """``?`` or ``?amount``; ``seed`` orders it among the random constructs."""

    amount: float | None
    seed: int


@dataclass(frozen=True, slots=True)
class Tail:
    """``:value``: append a value to the step's value, making a list."""

    element: Node


@dataclass(frozen=True, slots=True)
class Range:
    """`` .. end``: the numbers from the step's value to ``end``."""

    element: Node


Op = Union[Stretch, Replicate, Euclid, Degrade, Tail, Range]


@dataclass(frozen=True, slots=True)
class Element:
    """One step of a sequence: a slice with its operators and weight (``@``, ``_``, ``!``)."""

    body: Node
    ops: tuple[Op, ...]
    weight: float
    begin: int
    end: int


Node = Union[Atom, Group]


def element_weight(element: Element) -> float:
    """The weight a step takes in its sequence: ``@``/``_``/``!`` weight, where 0 counts as 1."""
    weight = element.weight
    return weight if weight and weight == weight else 1.0  # 0 and NaN count as 1, as in JS


def weight_of(group: Group) -> float:
    """Total weight (steps per cycle) of a ``"seq"`` group: the sum of its steps' weights."""
    return sum(element_weight(el) for el in group.children)  # type: ignore[arg-type]

"""Arpeggio modes (Tidal's ``arp`` names) as pure list reorderings.

Modes: ``up``, ``down``, ``updown``, ``downup``, ``up&down``, ``down&up``, ``converge``,
``diverge``, ``disconverge``, ``pinkyup``, ``pinkyupdown``, ``thumbup``, ``thumbupdown``.

>>> arp_order("updown", [1, 2, 3]), arp_order("converge", [1, 2, 3, 4])
([1, 2, 3, 2], [1, 4, 2, 3])
>>> arp_order("pinkyup", [1, 2, 3]), arp_order("thumbup", [1, 2, 3])
([1, 3, 2, 3], [1, 2, 1, 3])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from livestudio.errors import TonalError

__all__ = ["ARP_MODES", "arp_order"]

T = TypeVar("T")


def _converge(xs: list[T]) -> list[T]:
    out: list[T] = []
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        out.append(xs[lo])
        lo += 1
        if lo <= hi:
            out.append(xs[hi])
            hi -= 1
    return out


def _pinkyup(xs: list[T]) -> list[T]:
    return [y for x in xs[:-1] for y in (x, xs[-1])]


def _thumbup(xs: list[T]) -> list[T]:
    return [y for x in xs[1:] for y in (xs[0], x)]


def _there_and_back(f: Callable[[list[T]], list[T]]) -> Callable[[list[T]], list[T]]:
    def both(xs: list[T]) -> list[T]:
        ys = f(xs)
        return ys[:-1] + ys[::-1][:-1]
    return both


_MODES: dict[str, Callable[[list], list]] = {
    "up": lambda xs: list(xs),
    "down": lambda xs: xs[::-1],
    "updown": lambda xs: xs[:-1] + xs[::-1][:-1],
    "downup": lambda xs: xs[::-1][:-1] + xs[:-1],
    "up&down": lambda xs: xs + xs[::-1],
    "down&up": lambda xs: xs[::-1] + xs,
    "converge": _converge,
    "diverge": lambda xs: _converge(xs)[::-1],
    "disconverge": lambda xs: _converge(xs) + _converge(xs)[::-1][1:],
    "pinkyup": _pinkyup,
    "pinkyupdown": _there_and_back(_pinkyup),
    "thumbup": _thumbup,
    "thumbupdown": _there_and_back(_thumbup),
}

#: The arp mode names :func:`arp_order` and ``Pattern.arp`` understand.
ARP_MODES: tuple[str, ...] = tuple(_MODES)


def arp_order(mode: str, items: Sequence[T]) -> list[T]:
    """Reorder the notes of one chord (lowest first) by an arp mode name."""
    try:
        f = _MODES[mode]
    except KeyError:
        raise TonalError(f"unknown arp mode {mode!r}; modes: {', '.join(ARP_MODES)}") from None
    xs = list(items)
    return f(xs) if xs else []

"""``Hap``: one event of a pattern (Tidal's *happening*)."""

from __future__ import annotations

from typing import Any, Callable

from livestudio.patterns.timespan import TimeSpan

Context = dict[str, Any]

_EMPTY: Context = {}


def combine_contexts(a: Context, b: Context) -> Context:
    """Merge two contexts; ``b`` wins on keys, ``locations`` are concatenated (a then b)."""
    if not a:
        return b
    if not b:
        return a
    result = {**a, **b}
    la = a.get("locations")
    lb = b.get("locations")
    if la or lb:
        result["locations"] = list(la or ()) + list(lb or ())
    return result


class Hap:
    """An event: a ``value`` active over ``part``, a fragment of its ``whole``.

    ``whole`` is ``None`` for continuous (signal) values. ``context`` holds metadata such
    as ``locations``: the ``(begin, end)`` character offsets of mini-notation leaves.
    Contexts are treated as immutable and may be shared between haps.
    """

    __slots__ = ("whole", "part", "value", "context")

    def __init__(self, whole: TimeSpan | None, part: TimeSpan, value: Any,
                 context: Context | None = None) -> None:
        self.whole = whole
        self.part = part
        self.value = value
        self.context = _EMPTY if context is None else context

    def __repr__(self) -> str:
        w = "~" if self.whole is None else f"{self.whole.begin}-{self.whole.end}"
        return f"Hap({w} | {self.part.begin}-{self.part.end}: {self.value!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Hap) and self.whole == other.whole
                and self.part == other.part and self.value == other.value)

    __hash__ = None  # type: ignore[assignment]

    def whole_or_part(self) -> TimeSpan:
        """The whole, or the part for a continuous hap."""
        return self.part if self.whole is None else self.whole

    def has_onset(self) -> bool:
        """True when this fragment contains the start of its whole."""
        return self.whole is not None and self.whole.begin == self.part.begin

    def with_span(self, func: Callable[[TimeSpan], TimeSpan]) -> Hap:
        """Apply ``func`` to part and whole."""
        whole = None if self.whole is None else func(self.whole)
        return Hap(whole, func(self.part), self.value, self.context)

    def with_value(self, func: Callable[[Any], Any]) -> Hap:
        """Apply ``func`` to the value."""
        return Hap(self.whole, self.part, func(self.value), self.context)

    def set_context(self, context: Context) -> Hap:
        """A copy with another context."""
        return Hap(self.whole, self.part, self.value, context)

    def combine_context(self, other: Hap) -> Context:
        """This hap's context merged with ``other``'s (other wins on keys)."""
        return combine_contexts(self.context, other.context)

    def span_equals(self, other: Hap) -> bool:
        """Same whole (or both continuous)."""
        if self.whole is None or other.whole is None:
            return self.whole is None and other.whole is None
        return self.whole == other.whole

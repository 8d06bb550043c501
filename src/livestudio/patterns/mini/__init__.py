"""Strudel's mini-notation: ``mini("bd*2 [~ sn] <hh oh>")`` is a :class:`Pattern`.

Three steps, each in its own module: :mod:`.parser` turns the string into a syntax tree
(:mod:`.ast`) with source offsets, :mod:`.limits` refuses strings that would produce
absurd numbers of events, and :mod:`.interpret` builds the pattern from public
combinators. Parsing and building are cached on the string (both are pure).

Supported: sequences, ``~``/``-`` rests, ``[ ]``, ``< >`` (nested, weighted), ``{ }`` and
``{ }%n``, ``*`` and ``/`` (patterned), ``!`` and bare ``!``, ``@`` and ``_``, ``?`` and
``?0.3``, ``|``, ``,``, ``(k,n)``/``(k,n,r)`` euclid (patterned, negative k/r), ``:``
lists, `` .. `` ranges, numbers as JavaScript's ``Number()`` reads them, ``.`` groups,
and Strudel's ``^`` steps marker (it only changes ``_steps``).

Every hap from a leaf carries ``context["locations"]``: ``(begin, end)`` character
offsets of the atoms that made it, counted in the mini string itself (0-based, end
exclusive; add the string's own position in the file to highlight it there). Strings
that would produce absurd numbers of events (``a*1e9``, ``0 .. 1e9``, 33 nested
brackets) raise :class:`MiniNotationError` instead of freezing the session.

>>> [(str(h.whole.begin), h.value) for h in mini("bd:3 <sn cp>").query_arc(0, 1)]
[('0', ['bd', 3]), ('1/2', 'sn')]
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from livestudio.errors import MiniNotationError
from livestudio.patterns.mini.parser import parse

if TYPE_CHECKING:
    from livestudio.patterns.pattern import Pattern

__all__ = ["mini", "parse", "MiniNotationError"]


def mini(*sources: str) -> Pattern:
    """The pattern written in mini-notation; several strings play one after another.

    Raises :class:`MiniNotationError` (message with a caret under the column) for
    invalid notation. An empty string is silence.

    >>> [h.value for h in mini("a [b c]").query_arc(0, 1)]
    ['a', 'b', 'c']
    """
    for source in sources:
        if not isinstance(source, str):
            raise MiniNotationError(
                f"mini-notation must be a string, not {type(source).__name__}")
    if len(sources) == 1:
        return _mini(sources[0])
    from livestudio.patterns.pattern import fastcat

    return fastcat(*[_mini(s) for s in sources])


@lru_cache(maxsize=2048)
def _mini(source: str) -> Pattern:
    from livestudio.patterns.mini.interpret import interpret
    from livestudio.patterns.mini.limits import check

    node = parse(source)
    if node is not None:
        check(node, source)
    return interpret(node, source)

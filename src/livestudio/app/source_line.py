"""The selected track's code line, with the mini-notation that sounds right now lit up."""

from __future__ import annotations

import functools
import io
import tokenize
from collections.abc import Iterable

from rich.text import Text
from textual.reactive import var
from textual.widget import Widget

from livestudio.app.event_tap import Step


@functools.lru_cache(maxsize=64)
def string_spans(code: str) -> list[tuple[int, str]]:
    """The string literals of one line: (column where the content starts, content).

    >>> string_spans('drums = s("bd sd").gain("1 .8")')
    [(11, 'bd sd'), (25, '1 .8')]
    """
    spans: list[tuple[int, str]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return spans
    for tok in tokens:
        if tok.type != tokenize.STRING:
            continue
        raw = tok.string
        prefix = len(raw) - len(raw.lstrip("rRbBuUfF"))
        quote = 3 if raw[prefix:prefix + 3] in ('"""', "'''") else 1
        content = raw[prefix + quote:len(raw) - quote]
        spans.append((tok.start[1] + prefix + quote, content))
    return spans


def _belongs(piece: str, values: Iterable[str]) -> bool:
    """Whether a mini-notation leaf is one of the event's values (``bd:3`` counts as ``bd``)."""
    if not piece or piece != piece.strip() or any(c in piece for c in "[]<>{}(),|*/!?@~ "):
        return False  # a leaf is one word; anything else is a span of another string
    candidates = {piece, piece.split(":")[0]}
    for value in values:
        if value in candidates:
            return True
        try:
            if float(value) == float(piece):
                return True
        except ValueError:
            continue
    return False


def lit_columns(code: str, steps: Iterable[Step], position: float) -> set[int]:
    """Columns of ``code`` to light: the leaves of the steps sounding at ``position``."""
    spans = string_spans(code)
    lit: set[int] = set()
    for step in steps:
        if not step.begin <= position < step.end:
            continue
        for begin, end in step.locations:
            for start, content in spans:
                if end <= len(content) and _belongs(content[begin:end], step.values):
                    lit.update(range(start + begin, start + end))
    return lit


class SourceLine(Widget):
    """One line: ``name  code``, with the sounding characters highlighted."""

    code: var[str] = var("")
    track: var[str] = var("")
    lit: var[frozenset[int]] = var(frozenset())

    def watch_code(self) -> None:
        self.refresh()

    def watch_track(self) -> None:
        self.refresh()

    def watch_lit(self) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(" ")
        if not self.code:
            return text
        line = self.code.rstrip()
        indent = len(line) - len(line.lstrip())
        line = line.lstrip()
        for col, char in enumerate(line, start=indent):
            text.append(char, style="bold black on yellow" if col in self.lit else "italic")
        text.truncate(max(self.size.width, 1), overflow="ellipsis")
        return text

"""Mini-notation parser: a string becomes a syntax tree (:mod:`.ast`) with source offsets.

This is a hand-written PEG (parsing expression grammar) parser. PEG means ordered
choice and greedy repetition: the first alternative that matches wins, and nothing is
re-parsed another way. Strudel's own parser (krill) is a PEG, and several of its
observable behaviours depend on that, so the same grammar is followed rule by rule:

    mini            = ws stack_or_choose ws END
    stack_or_choose = sequence (stack_tail / choose_tail / dot_tail)?
    polymeter_stack = sequence stack_tail?
    stack_tail      = (ws "," ws sequence)+
    choose_tail     = (ws "|" ws sequence)+          -- takes a seed when complete
    dot_tail        = (ws "." ws sequence)+          -- takes a seed when complete
    sequence        = "^"? slice_with_ops+
    slice_with_ops  = slice slice_op*                -- its "?" take seeds when complete
    slice           = step
                    / ws "[" ws stack_or_choose ws "]" ws
                    / ws "{" ws polymeter_stack ws "}" ("%" slice)? ws
                    / ws "<" ws polymeter_stack ws ">" ws
    step            = ws step_char+ ws               -- but not "." or "_" alone
    step_char       = letter / [0-9~] / "-" / "#" / "." / "^" / "_"
    slice_op        = ws ("@" / "_") number?         -- weight
                    / "(" ws slice_with_ops ws "," ws slice_with_ops ws ","? ws
                          slice_with_ops? ws ")"     -- euclid
                    / "/" slice / "*" slice           -- slow, fast
                    / ws "!" number?                  -- replicate
                    / "?" number?                     -- degrade
                    / ":" slice / ".." slice          -- list tail, range
    number          = "-"? ("0" / [1-9][0-9]*) ("." [0-9]+)? ([eE] [+-]? [0-9]+)?
    ws              = [ \\n\\r\\t\\u00A0]*

Consequences worth knowing: ``0 .. 3`` is a range but ``0..3`` is one word; ``a@03``
is ``a@0 3``; ``a?0.3`` degrades by 0.3 but ``a? 0.3`` is ``a?`` then ``0.3``.

A lark grammar cannot express this: lark has no ordered choice, and its lexer would
split ``a@03`` or ``0 ..3`` differently from Strudel.

>>> parse("bd*2 [~ sn]").children[0].body
Atom(text='bd', begin=0, end=2)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from livestudio.errors import MiniNotationError
from livestudio.patterns.mini.ast import (
    Atom,
    Degrade,
    Element,
    Euclid,
    Group,
    Node,
    Op,
    Range,
    Replicate,
    Stretch,
    Tail,
)

MAX_DEPTH = 32
"""Deepest bracket nesting (``[ { < (``) accepted."""

MAX_LENGTH = 20_000
"""Longest mini-notation string accepted, in characters."""

_WS = frozenset(" \n\r\t\u00a0")
_ASCII_STEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~-#.^_")
_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})
_CLOSERS = frozenset({"']'", "'}'", "'>'", "')'"})
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _is_step_char(c: str) -> bool:
    if c in _ASCII_STEP:
        return True
    return c > "\x7f" and unicodedata.category(c) in _LETTER_CATEGORIES


def _describe(source: str, pos: int) -> str:
    if pos >= len(source):
        return "end of the pattern"
    return repr(source[pos])


class _Parser:
    """One parse of one string; ``seed`` counts random constructs as Strudel does."""

    def __init__(self, source: str) -> None:
        self.s = source
        self.n = len(source)
        self.seed = 0
        self.depth = 0
        self.fail_pos = -1
        self.expected: set[str] = set()

    # -- helpers ---------------------------------------------------------------------

    def fail(self, pos: int, what: str) -> None:
        """Remember the furthest position where something was expected."""
        if pos > self.fail_pos:
            self.fail_pos = pos
            self.expected = {what}
        elif pos == self.fail_pos:
            self.expected.add(what)

    def error(self, message: str, pos: int) -> MiniNotationError:
        return MiniNotationError(message, source=self.s, column=min(pos, self.n))

    def ws(self, p: int) -> int:
        s, n = self.s, self.n
        while p < n and s[p] in _WS:
            p += 1
        return p

    def char(self, p: int) -> str:
        return self.s[p] if p < self.n else ""

    def enter(self, p: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"brackets nested too deeply (more than {MAX_DEPTH} levels)", p)

    def number(self, p: int) -> tuple[float | None, int]:
        m = _NUMBER.match(self.s, p)
        if m is None:
            return None, p
        return float(m.group()), m.end()

    # -- grammar ---------------------------------------------------------------------

    def parse(self) -> Node | None:
        p = self.ws(0)
        if p == self.n:
            return None
        result = self.stack_or_choose(p)
        if result is not None:
            node, p = result
            p = self.ws(p)
            if p == self.n:
                return node
            self.fail(p, "end of the pattern")
        pos = max(self.fail_pos, 0)
        message = f"unexpected {_describe(self.s, pos)}"
        closers = sorted(self.expected & _CLOSERS)
        if closers:
            message += f" (expected {' or '.join(closers)})"
        elif "a step" in self.expected:
            message += " (expected a step such as bd, 3, ~ or [...])"
        elif self.expected == {"','"}:
            message += " (expected ',')"
        raise self.error(message, pos)

    def stack_or_choose(self, p: int) -> tuple[Node, int] | None:
        result = self.sequence(p)
        if result is None:
            return None
        head, p = result
        for sep, kind in ((",", "stack"), ("|", "choose"), (".", "feet")):
            tail, q = self.tail(p, sep)
            if tail:
                seed = None
                if kind != "stack":
                    seed = self.seed
                    self.seed += 1
                return Group(kind, (head, *tail), head.begin, tail[-1].end, seed=seed), q
        return head, p

    def polymeter_stack(self, p: int, kind: str) -> tuple[Group, int] | None:
        result = self.sequence(p)
        if result is None:
            return None
        head, p = result
        tail, p = self.tail(p, ",")
        children = (head, *tail)
        return Group(kind, children, head.begin, children[-1].end), p  # type: ignore[arg-type]

    def tail(self, p: int, sep: str) -> tuple[list[Group], int]:
        items: list[Group] = []
        while True:
            q = self.ws(p)
            if self.char(q) != sep:
                self.fail(q, repr(sep))
                break
            result = self.sequence(self.ws(q + 1))
            if result is None:
                break
            item, p = result
            items.append(item)
        return items, p

    def sequence(self, p: int) -> tuple[Group, int] | None:
        marked = self.char(p) == "^"
        result = self.slice_with_ops(p + 1 if marked else p)
        if result is None:
            return None
        first, p = result
        items = [first]
        while True:
            result = self.slice_with_ops(p)
            if result is None:
                break
            item, p = result
            items.append(item)
        return Group("seq", tuple(items), first.begin, items[-1].end, marked=marked), p

    def slice(self, p: int) -> tuple[Node, int] | None:
        result = self.step(p)
        if result is not None:
            return result
        q = self.ws(p)
        c = self.char(q)
        if c == "[":
            return self.bracket(q, "]", None)
        if c == "{":
            return self.bracket(q, "}", "polymeter")
        if c == "<":
            return self.bracket(q, ">", "alternate")
        self.fail(q, '"[", "{" or "<"')
        return None

    def step(self, p: int) -> tuple[Atom, int] | None:
        s, n = self.s, self.n
        p = self.ws(p)
        q = p
        while q < n and _is_step_char(s[q]):
            q += 1
        text = s[p:q]
        if q == p or text == "." or text == "_":
            self.fail(p, "a step")
            return None
        return Atom(text, p, q), self.ws(q)

    def bracket(self, p: int, close: str, kind: str | None) -> tuple[Node, int] | None:
        """``[...]`` (``kind=None``), ``{...}%steps`` or ``<...>``; ``p`` is at the opener."""
        self.enter(p)
        try:
            inner = self.ws(p + 1)
            if kind is None:
                result: tuple[Node, int] | None = self.stack_or_choose(inner)
            else:
                result = self.polymeter_stack(inner, kind)
            if result is None:
                return None
            node, q = result
            q = self.ws(q)
            if self.char(q) != close:
                if kind == "alternate" and self.char(q) == "|":
                    raise self.error("'|' cannot be used directly inside '< >'; "
                                     "wrap the choice in brackets, as in <[a | b] c>", q)
                self.fail(q, repr(close))
                return None
            q += 1
            end = q
            steps: Node | None = None
            if kind == "polymeter" and self.char(q) == "%":
                stepped = self.slice(q + 1)
                if stepped is not None:
                    steps, q = stepped
                    end = q
            assert isinstance(node, Group)
            node = replace(node, begin=p, end=end, steps=steps)
            return node, self.ws(q)
        finally:
            self.depth -= 1

    def slice_with_ops(self, p: int) -> tuple[Element, int] | None:
        result = self.slice(p)
        if result is None:
            return None
        body, p = result
        ops: list[Op | float | None] = []  # a float/None stands for a "?" awaiting its seed
        weight = 1.0
        reps = 1.0
        while True:
            op = self.slice_op(p)
            if op is None:
                break
            kind, arg, p = op
            if kind == "weight":
                weight = weight + (2.0 if arg is None else arg) - 1.0
            elif kind == "replicate":
                reps = reps + (2.0 if arg is None else arg) - 1.0
                ops = [o for o in ops if not isinstance(o, Replicate)]
                ops.append(Replicate(reps))
                weight = reps
            elif kind == "degrade":
                ops.append(Degrade(arg, -1))
            else:
                ops.append(arg)
        final: list[Op] = []
        for o in ops:
            if isinstance(o, Degrade):
                o = Degrade(o.amount, self.seed)
                self.seed += 1
            final.append(o)  # type: ignore[arg-type]
        return Element(body, tuple(final), weight, body.begin, p), p

    def slice_op(self, p: int) -> tuple[str, object, int] | None:
        q = self.ws(p)
        c = self.char(q)
        if c == "@" or c == "_":
            amount, q = self.number(q + 1)
            return "weight", amount, q
        c = self.char(p)
        if c == "(":
            return self.euclid(p)
        if c == "/" or c == "*":
            result = self.slice(p + 1)
            if result is not None:
                return "op", Stretch("slow" if c == "/" else "fast", result[0]), result[1]
        if self.char(q) == "!":
            amount, q = self.number(q + 1)
            return "replicate", amount, q
        if c == "?":
            amount, q = self.number(p + 1)
            return "degrade", amount, q
        if c == ":":
            result = self.slice(p + 1)
            if result is not None:
                return "op", Tail(result[0]), result[1]
        if c == "." and self.char(p + 1) == ".":
            result = self.slice(p + 2)
            if result is not None:
                return "op", Range(result[0]), result[1]
        return None

    def euclid(self, p: int) -> tuple[str, object, int] | None:
        self.enter(p)
        try:
            result = self.slice_with_ops(self.ws(p + 1))
            if result is None:
                return None
            pulse, q = result
            q = self.ws(self.ws(q))
            if self.char(q) != ",":
                self.fail(q, "','")
                return None
            result = self.slice_with_ops(self.ws(self.ws(q + 1)))
            if result is None:
                return None
            steps, q = result
            q = self.ws(q)
            r = self.ws(q)
            if self.char(r) == ",":
                q = self.ws(r + 1)
            q = self.ws(q)
            rotation: Element | None = None
            result = self.slice_with_ops(q)
            if result is not None:
                rotation, q = result
            q = self.ws(q)
            if self.char(q) != ")":
                self.fail(q, "')'")
                return None
            return "op", Euclid(pulse, steps, rotation), q + 1
        finally:
            self.depth -= 1


@lru_cache(maxsize=1024)
def parse(source: str) -> Node | None:
    """Parse mini-notation into its syntax tree; ``None`` for an empty string.

    Raises :class:`~livestudio.errors.MiniNotationError` (with a caret under the
    offending column) when the string is not valid mini-notation.

    >>> parse("<a b>").children[0].body.kind
    'alternate'
    """
    if not isinstance(source, str):
        raise MiniNotationError(f"mini-notation must be a string, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise MiniNotationError(f"mini-notation longer than {MAX_LENGTH} characters")
    return _Parser(source).parse()

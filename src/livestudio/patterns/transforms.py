"""Transformations built from the primitives in :mod:`livestudio.patterns.pattern`.

Time and structure (``segment``, ``struct``, ``mask``, ``linger``, ``ply``, ``iter``,
``palindrome``, ``chunk``, ``inside``/``outside``, ``swing_by``, ``hurry``, ``brak``,
``zoom``, ``compress``, ``euclid``...), conditionals (``every``/``first_of``/
``last_of``, ``when``), layering (``off``, ``jux``) and arithmetic (``add``, ``sub``,
``mul``, ``div``... with ``.out``/``.mix``/``.squeeze`` variants, and key-by-key
arithmetic on control dicts). Each registered function is also a ``Pattern`` method
whose arguments may be patterns or mini-notation strings.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Callable

from quicktions import Fraction

from livestudio.errors import PatternError
from livestudio.patterns.hap import Hap
from livestudio.patterns.pattern import (
    NO_VALUE,
    Pattern,
    fastcat,
    pure,
    register,
    reify,
    sequence,
    silence,
    slowcat,
    stack,
    timecat,
)
from livestudio.patterns.time import to_time
from livestudio.patterns.timespan import TimeSpan

Func = Callable[[Pattern], Pattern]

# ---------------------------------------------------------------------- values


def js_truthy(x: Any) -> bool:
    """JavaScript truthiness: ``0``, ``NaN``, ``""``, ``None``, ``False`` are false.

    Note that ``"f"`` and ``"false"`` are truthy, as in Strudel.
    """
    if x is None or x is False:
        return False
    if isinstance(x, (int, float)):
        return x == x and x != 0
    if isinstance(x, str):
        return x != ""
    return True


_NOTE_RE = re.compile(r"^([a-gA-G])([#bsf]*)(-?\d*)$")
_CHROMA = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


def note_to_midi(name: str) -> int | None:
    """MIDI number of a note name (``c4`` = 60, default octave 3), else ``None``.

    >>> note_to_midi("c4"), note_to_midi("eb3"), note_to_midi("a")
    (60, 51, 57)
    """
    m = _NOTE_RE.match(name)
    if not m:
        return None
    letter, acc, octave = m.groups()
    shift = sum(1 if c in "#s" else -1 for c in acc)
    octv = int(octave) if octave else 3
    return (octv + 1) * 12 + _CHROMA[letter.lower()] + shift


def parse_numeral(x: Any) -> Any:
    """A number from a number, a numeric string or a note name (Strudel ``parseNumeral``)."""
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)):
        return x
    if isinstance(x, Fraction):
        return float(x)
    if isinstance(x, str):
        s = x.strip()
        if s == "":
            return 0
        try:
            v = float(s)
            return int(v) if v.is_integer() and "." not in s and "e" not in s.lower() else v
        except ValueError:
            pass
        midi = note_to_midi(s)
        if midi is not None:
            return midi
    raise PatternError(f"cannot use {x!r} as a number")


def _numeral_op(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def wrapped(a: Any, b: Any) -> Any:
        ta = type(a)
        tb = type(b)
        if (ta is int or ta is float) and (tb is int or tb is float):
            return op(a, b)
        if isinstance(a, str) and isinstance(b, str) and op is _add:
            try:
                return op(parse_numeral(a), parse_numeral(b))
            except PatternError:
                return a + b
        return op(parse_numeral(a), parse_numeral(b))

    return wrapped


def _add(a: Any, b: Any) -> Any:
    return a + b


def _div(a: Any, b: Any) -> Any:
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _mod(a: Any, b: Any) -> Any:
    if b == 0:
        return math.nan
    return ((a % b) + b) % b


def _pow(a: Any, b: Any) -> Any:
    try:
        if type(a) is int and type(b) is int and b >= 0:
            return a ** b
        return math.pow(a, b)
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        return math.nan


def _int32(x: Any) -> int:
    x = int(x) & 0xFFFFFFFF
    return x - 0x100000000 if x & 0x80000000 else x


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "set": lambda a, b: b,
    "keep": lambda a, b: a,
    "keepif": lambda a, b: a if js_truthy(b) else None,
    "add": _numeral_op(_add),
    "sub": _numeral_op(lambda a, b: a - b),
    "mul": _numeral_op(lambda a, b: a * b),
    "div": _numeral_op(_div),
    "mod": _numeral_op(_mod),
    "pow": _numeral_op(_pow),
    "band": _numeral_op(lambda a, b: _int32(a) & _int32(b)),
    "bor": _numeral_op(lambda a, b: _int32(a) | _int32(b)),
    "bxor": _numeral_op(lambda a, b: _int32(a) ^ _int32(b)),
    "blshift": _numeral_op(lambda a, b: _int32(_int32(a) << (_int32(b) & 31))),
    "brshift": _numeral_op(lambda a, b: _int32(a) >> (_int32(b) & 31)),
    "lt": lambda a, b: a < b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "gte": lambda a, b: a >= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "and_": lambda a, b: b if js_truthy(a) else a,
    "or_": lambda a, b: a if js_truthy(a) else b,
}


def union_with(a: dict[str, Any], b: dict[str, Any], func: Callable[[Any, Any], Any]) -> dict[str, Any]:
    """Union of two control dicts; ``func`` combines keys present in both.

    A ``b`` of only ``{"value": x}`` (a bare number against a control pattern) leaves
    ``a`` unchanged, as in Strudel.
    """
    if len(b) == 1 and "value" in b and b["value"] is not None:
        return a
    result = {**a, **b}
    for k in b:
        if k in a:
            result[k] = func(a[k], b[k])
    return result


def compose_values(a: Any, b: Any, func: Callable[[Any, Any], Any]) -> Any:
    """Combine two values; control dicts combine key by key (Strudel ``_composeOp``)."""
    if type(a) is dict and type(b) is dict:
        return union_with(a, b, func)
    if isinstance(a, dict) or isinstance(b, dict):
        if not isinstance(a, dict):
            a = {"value": a}
        if not isinstance(b, dict):
            b = {"value": b}
        return union_with(a, b, func)
    return func(a, b)


def _op_pattern(pat: Pattern, how: str, other: Any, name: str) -> Pattern:
    op = _OPS[name]
    if isinstance(other, (list, tuple)):
        other_pat = sequence(*other)
    else:
        other_pat = reify(other)
    if name == "keepif":
        def make(a: Any) -> Callable[[Any], Any]:
            return lambda b: a if js_truthy(b) else None
    else:
        def make(a: Any) -> Callable[[Any], Any]:
            return lambda b: compose_values(a, b, op)
    if how == "in" and other_pat._const is not None:
        # one layer instead of fmap + app_left (same haps)
        if name == "keepif":
            result = pat._app_left_pure(other_pat, lambda a, b: a if js_truthy(b) else None)
        else:
            result = pat._app_left_pure(other_pat, lambda a, b: compose_values(a, b, op))
    elif how == "in":
        result = pat.fmap(make).app_left(other_pat)
    elif how == "out" and pat._const is not None:
        # one layer instead of fmap + app_right (same haps); values made at query time
        if name == "keepif":
            result = pat._app_right_const(other_pat, lambda a, b: a if js_truthy(b) else None)
        else:
            result = pat._app_right_const(other_pat, lambda a, b: compose_values(a, b, op))
    elif how == "out":
        result = pat.fmap(make).app_right(other_pat)
    elif how == "mix":
        result = pat.fmap(make).app_both(other_pat)
    elif how == "squeeze":
        result = pat.fmap(lambda a: other_pat.fmap(make(a))).squeeze_join()
    elif how == "squeezeout":
        result = other_pat.fmap(lambda b: pat.fmap(lambda a: make(a)(b))).squeeze_join()
    elif how == "trig":
        result = other_pat.fmap(lambda b: pat.fmap(lambda a: make(a)(b))).trig_join()
    elif how == "trigzero":
        result = other_pat.fmap(lambda b: pat.fmap(lambda a: make(a)(b))).trigzero_join()
    else:  # pragma: no cover - internal
        raise PatternError(f"unknown operator variant {how!r}")
    if name == "keepif":
        result = result.remove_undefineds()
    return result


class _BoundOp:
    """``pat.add(x)`` (structure from ``pat``), plus ``.out``, ``.mix``, ``.squeeze``..."""

    __slots__ = ("pat", "name")

    def __init__(self, pat: Pattern, name: str) -> None:
        self.pat = pat
        self.name = name

    def __call__(self, *other: Any) -> Pattern:
        return _op_pattern(self.pat, "in", other[0] if len(other) == 1 else list(other), self.name)

    def in_(self, *other: Any) -> Pattern:
        """Structure from the left (the pattern the method is called on)."""
        return self(*other)

    def out(self, *other: Any) -> Pattern:
        """Structure from the right (the argument)."""
        return _op_pattern(self.pat, "out", other[0] if len(other) == 1 else list(other), self.name)

    def mix(self, *other: Any) -> Pattern:
        """Structure from both sides."""
        return _op_pattern(self.pat, "mix", other[0] if len(other) == 1 else list(other), self.name)

    def squeeze(self, *other: Any) -> Pattern:
        """Squeeze a cycle of the argument into each event."""
        return _op_pattern(self.pat, "squeeze", other[0] if len(other) == 1 else list(other), self.name)

    def squeeze_out(self, *other: Any) -> Pattern:
        """Squeeze a cycle of the pattern into each event of the argument."""
        return _op_pattern(self.pat, "squeezeout", other[0] if len(other) == 1 else list(other), self.name)

    def trig(self, *other: Any) -> Pattern:
        """Restart the pattern's cycle at each onset of the argument."""
        return _op_pattern(self.pat, "trig", other[0] if len(other) == 1 else list(other), self.name)

    def trigzero(self, *other: Any) -> Pattern:
        """Restart the pattern from cycle 0 at each onset of the argument."""
        return _op_pattern(self.pat, "trigzero", other[0] if len(other) == 1 else list(other), self.name)


class _OpDescriptor:
    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc

    def __get__(self, obj: Pattern | None, owner: type) -> Any:
        if obj is None:
            return self
        return _BoundOp(obj, self.name)


_OP_DOCS = {
    "set": "Set values (control dicts are merged, the argument wins).",
    "keep": "Keep the values, take structure per variant.",
    "keepif": "Keep values where the argument is truthy.",
    "add": "Add (numbers, note names as MIDI numbers, control dicts key by key).\n\n"
           ">>> [h.value for h in reify([0, 1]).add(10).first_cycle()]\n[10, 11]",
    "sub": "Subtract.", "mul": "Multiply.", "div": "Divide.", "mod": "Modulo (floored).",
    "pow": "Power.", "band": "Bitwise and.", "bor": "Bitwise or.", "bxor": "Bitwise xor.",
    "blshift": "Bit shift left.", "brshift": "Bit shift right.",
    "lt": "Less than.", "gt": "Greater than.", "lte": "At most.", "gte": "At least.",
    "eq": "Equal.", "ne": "Not equal.", "and_": "Logical and.", "or_": "Logical or.",
}

for _name in _OPS:
    setattr(Pattern, _name, _OpDescriptor(_name, _OP_DOCS.get(_name, "")))


def _make_free_op(name: str) -> Callable[..., Pattern]:
    def free(other: Any, pat: Any) -> Pattern:
        return _op_pattern(reify(pat), "in", other, name)

    free.__name__ = name
    free.__doc__ = f"Free form of ``pat.{name}(x)``: ``{name}(x, pat)``."
    return free


add = _make_free_op("add")
sub = _make_free_op("sub")
mul = _make_free_op("mul")
div = _make_free_op("div")
mod = _make_free_op("mod")
pow_ = _make_free_op("pow")
set_ = _make_free_op("set")
keep = _make_free_op("keep")
keepif = _make_free_op("keepif")


def _struct(self: Pattern, *args: Any) -> Pattern:
    """Take structure from a boolean pattern: keep steps where it is truthy.

    >>> [str(h.whole.begin) for h in pure("a").struct("1 0 1 1").first_cycle()]
    ['0', '1/2', '3/4']
    """
    return self.keepif.out(*args)


def _mask(self: Pattern, *args: Any) -> Pattern:
    """Silence the pattern where the boolean pattern is falsy (``0`` or ``~``)."""
    return self.keepif(*args)


def _struct_all(self: Pattern, *args: Any) -> Pattern:
    """Take structure from the argument, keeping all values."""
    return self.keep.out(*args)


def _reset(self: Pattern, *args: Any) -> Pattern:
    """Restart the current cycle at each onset of the argument."""
    return self.keepif.trig(*args)


def _restart(self: Pattern, *args: Any) -> Pattern:
    """Restart from cycle 0 at each onset of the argument."""
    return self.keepif.trigzero(*args)


Pattern.struct = _struct  # type: ignore[attr-defined]
Pattern.mask = _mask  # type: ignore[attr-defined]
Pattern.struct_all = _struct_all  # type: ignore[attr-defined]
Pattern.reset = _reset  # type: ignore[attr-defined]
Pattern.restart = _restart  # type: ignore[attr-defined]


def struct(binary: Any, pat: Any) -> Pattern:
    """Free form of :meth:`Pattern.struct`."""
    return reify(pat).struct(binary)


def mask(binary: Any, pat: Any) -> Pattern:
    """Free form of :meth:`Pattern.mask`."""
    return reify(pat).mask(binary)


# ---------------------------------------------------------------------- numeric


def _as_number(pat: Pattern) -> Pattern:
    return pat.fmap(parse_numeral)


round_ = register("round", lambda pat: _as_number(pat).fmap(lambda v: math.floor(v + 0.5)),
                  doc="Round numbers to the nearest integer (halves up, JavaScript ``Math.round``).")
"""Round to the nearest integer (halves up, like JavaScript's ``Math.round``)."""
floor = register("floor", lambda pat: _as_number(pat).fmap(math.floor),
                 doc="Round numbers down.")
ceil = register("ceil", lambda pat: _as_number(pat).fmap(math.ceil),
                doc="Round numbers up.")
to_bipolar = register("to_bipolar", lambda pat: pat.fmap(lambda x: x * 2 - 1),
                      doc="Scale 0..1 to -1..1.")
from_bipolar = register("from_bipolar", lambda pat: pat.fmap(lambda x: (x + 1) / 2),
                        doc="Scale -1..1 to 0..1.")


def _range(lo: Any, hi: Any, pat: Pattern) -> Pattern:
    """Scale values from 0..1 to ``lo``..``hi``.

    >>> [h.value for h in reify([0, 0.5, 1]).range(10, 20).first_cycle()]
    [10, 15.0, 20]
    """
    return pat.mul(hi - lo).add(lo)


range_ = register("range", _range)


def _js_exp(v: Any) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        try:
            return math.exp(v)
        except OverflowError:
            return math.inf
    return math.nan  # JavaScript's Math.exp of a non-number


def _js_log(x: Any) -> float:
    x = parse_numeral(x)
    if x == 0:
        return -math.inf
    if x < 0 or x != x:
        return math.nan
    return math.log(x)


def _rangex(lo: Any, hi: Any, pat: Pattern) -> Pattern:
    """Scale 0..1 exponentially to ``lo``..``hi`` (both positive; else NaN, as Strudel)."""
    return pat._range(_js_log(lo), _js_log(hi)).fmap(_js_exp)


rangex = register("rangex", _rangex)
range2 = register("range2", lambda lo, hi, pat: pat.from_bipolar()._range(lo, hi),
                  doc="Scale values from -1..1 to ``lo``..``hi``.")


def _ratio(pat: Pattern) -> Pattern:
    """Divide ``:`` lists: ``"5:4"`` (``[5, 4]``) becomes ``1.25``."""
    def f(v: Any) -> Any:
        if isinstance(v, list) and v:
            acc = v[0]
            for n in v[1:]:
                acc = acc / n
            return acc
        return v

    return pat.fmap(f)


ratio = register("ratio", _ratio)

# ---------------------------------------------------------------------- time/structure


def _segment(rate: Any, pat: Pattern) -> Pattern:
    """Sample the pattern ``rate`` times per cycle (turns signals discrete).

    >>> len(pure("a").segment(4).first_cycle())
    4
    """
    return pat.struct(pure(True)._fast(rate))


segment = register("segment", _segment)


def _compress_fn(b: Any, e: Any, pat: Pattern) -> Pattern:
    """Squeeze each cycle into ``[b, e]``, leaving gaps."""
    return pat._compress(b, e)


compress = register("compress", _compress_fn)
fast_gap = register("fast_gap", lambda factor, pat: pat._fast_gap(factor),
                    doc="Speed up by ``factor`` but play each cycle only once, leaving a gap.")
focus = register("focus", lambda b, e, pat: pat._focus(b, e),
                 doc="Like ``compress(b, e)`` without gaps: cycle 0 plays from ``b`` to ``e``.")
zoom = register("zoom", lambda s, e, pat: pat._zoom(s, e),
                doc="Play only the part ``[s, e]`` of each cycle, stretched to the whole cycle.")


def _linger(t: Any, pat: Pattern) -> Pattern:
    """Repeat the first ``t`` of each cycle (negative: the last ``-t``) to fill it.

    >>> [h.value for h in fastcat("a", "b", "c", "d").linger(0.25).first_cycle()]
    ['a', 'a', 'a', 'a']
    """
    t = to_time(t)
    if t == 0:
        return silence
    if t < 0:
        return pat._zoom(t + 1, 1)._slow(t)
    return pat._zoom(0, t)._slow(t)


linger = register("linger", _linger)


def _ply(factor: Any, pat: Pattern) -> Pattern:
    """Repeat each event ``factor`` times within its span."""
    factor = to_time(factor)
    return pat.fmap(lambda x: pure(x)._fast(factor)).squeeze_join()


ply = register("ply", _ply)


def _hurry(r: Any, pat: Pattern) -> Pattern:
    """``fast(r)`` and multiply ``speed`` by ``r`` (set to ``r`` when absent)."""
    return pat._fast(r).mul(pure({"speed": r}))


hurry = register("hurry", _hurry)


def _inside(factor: Any, func: Func, pat: Pattern) -> Pattern:
    """Apply ``func`` inside a cycle: ``func(pat.slow(factor)).fast(factor)``."""
    return func(pat._slow(factor))._fast(factor)


inside = register("inside", _inside)


def _outside(factor: Any, func: Func, pat: Pattern) -> Pattern:
    """Apply ``func`` outside a cycle: ``func(pat.fast(factor)).slow(factor)``."""
    return func(pat._fast(factor))._slow(factor)


outside = register("outside", _outside)


def _slowcat_prime(pats: list[Pattern]) -> Pattern:
    """One pattern per cycle, without skipping cycles (cycle c plays pats[c % n])."""
    n = len(pats)
    queries = [p.query for p in pats]

    def q(span: TimeSpan) -> list[Hap]:
        cyc = span.begin.numerator // span.begin.denominator
        i = int(math.fmod(cyc, n))  # JavaScript remainder: negative cycles give nothing
        if i < 0:
            return []
        return queries[i](span)

    return Pattern(q).split_queries()


def _check_count(n: Any, name: str) -> int:
    try:
        k = int(n)
    except (TypeError, ValueError):
        raise PatternError(f"{name}: expected a whole number of cycles, got {n!r}") from None
    if k < 1:
        raise PatternError(f"{name}: the cycle count must be at least 1, got {n!r}")
    return k


def _first_of(n: Any, func: Func, pat: Pattern) -> Pattern:
    """Apply ``func`` on cycles c where c mod n == 0 (cycle 0 included)."""
    k = _check_count(n, "first_of")
    return _slowcat_prime([func(pat)] + [pat] * (k - 1))


def _last_of(n: Any, func: Func, pat: Pattern) -> Pattern:
    """Apply ``func`` on cycles c where c mod n == n - 1."""
    k = _check_count(n, "last_of")
    return _slowcat_prime([pat] * (k - 1) + [func(pat)])


first_of = register("first_of", _first_of)
every = register("every", _first_of)
last_of = register("last_of", _last_of)


def _when(on: Any, func: Func, pat: Pattern) -> Pattern:
    """Apply ``func`` where the boolean pattern ``on`` is truthy."""
    return func(pat) if js_truthy(on) else pat


when = register("when", _when)


def _off(time: Any, func: Func, pat: Pattern) -> Pattern:
    """Stack the pattern with ``func`` applied to a copy shifted ``time`` later."""
    return stack(pat, func(pat._late(time)))


off = register("off", _off)


def _brak(pat: Pattern) -> Pattern:
    """Squash every other cycle into half a cycle, shifted by a quarter (breakbeat)."""
    return pat.when(slowcat(False, True), lambda x: fastcat(x, silence)._late(Fraction(1, 4)))


brak = register("brak", _brak)


def _palindrome(pat: Pattern) -> Pattern:
    """Alternate forwards and backwards cycles (reversed on odd cycles)."""
    return pat._last_of(2, lambda p: p.rev())


palindrome = register("palindrome", _palindrome)


def _iter_pat(times: Any, pat: Pattern, back: bool) -> Pattern:
    t = to_time(times)
    k = t.__floor__()  # Strudel: listRange(0, times - 1) has floor(times) items
    if k < 1:
        return silence  # slowcat of no patterns
    return slowcat(*[(pat._late(Fraction(i) / t) if back else pat._early(Fraction(i) / t))
                     for i in range(k)])


def _iter(times: Any, pat: Pattern) -> Pattern:
    """Start each cycle one ``1/times`` later in the pattern than the previous one."""
    return _iter_pat(times, pat, False)


iter_ = register("iter", _iter)
iter_back = register("iter_back", lambda times, pat: _iter_pat(times, pat, True),
                     doc="Like :func:`iter`, going backwards through the slices.")


def _repeat_cycles(n: Any, pat: Pattern) -> Pattern:
    """Repeat each cycle ``n`` times."""
    n = to_time(n)
    query = pat.query

    def q(span: TimeSpan) -> list[Hap]:
        cycle = span.begin.numerator // span.begin.denominator
        source = (Fraction(cycle) / n).__floor__()
        delta = cycle - source
        out = []
        for h in query(TimeSpan(span.begin - delta, span.end - delta)):
            w = h.whole
            p = h.part
            out.append(Hap(None if w is None else TimeSpan(w.begin + delta, w.end + delta),
                           TimeSpan(p.begin + delta, p.end + delta), h.value, h.context))
        return out

    return Pattern(q).split_queries()


repeat_cycles = register("repeat_cycles", _repeat_cycles)


def _ribbon(offset: Any, cycles: Any, pat: Pattern) -> Pattern:
    """Loop ``cycles`` cycles of the pattern, starting ``offset`` cycles in.

    Same as ``pat.early(offset).restart(pure(1).slow(cycles))``.
    """
    return pat._early(offset).restart(pure(1)._slow(cycles))


ribbon = register("ribbon", _ribbon)
rib = register("rib", _ribbon)


def _chunk_impl(n: Any, func: Func, pat: Pattern, back: bool, fast: bool) -> Pattern:
    k = _check_count(n, "chunk")
    binary = [True] + [False] * (k - 1)
    binary_pat = _iter_pat(k, sequence(*binary), not back)
    if not fast:
        pat = pat._repeat_cycles(k)
    return pat.when(binary_pat, func)


def _chunk(n: Any, func: Func, pat: Pattern) -> Pattern:
    """Divide the cycle into ``n`` parts; apply ``func`` to one part per cycle, in turn."""
    return _chunk_impl(n, func, pat, False, False)


chunk = register("chunk", _chunk)
chunk_back = register("chunk_back", lambda n, func, pat: _chunk_impl(n, func, pat, True, False),
                      doc="Like :func:`chunk`, going backwards through the parts.")
fast_chunk = register("fast_chunk", lambda n, func, pat: _chunk_impl(n, func, pat, False, True),
                      doc="Like :func:`chunk`, without repeating each source cycle ``n`` times.")


def _swing_by(x: Any, n: Any, pat: Pattern) -> Pattern:
    """Delay every second of ``n`` slices per cycle by ``x/2`` of a slice.

    Same as ``inside(n, late(fastcat(0, x/2)))``.
    """
    return pat._inside(n, lambda p: p.late(fastcat(0, x / 2)))


swing_by = register("swing_by", _swing_by)
swing = register("swing", lambda n, pat: pat._swing_by(1 / 3, n),
                 doc="``swing_by(1/3, n)``.")


def _jux_by(by: Any, func: Func, pat: Pattern) -> Pattern:
    """Stack a left-panned original with a right-panned copy transformed by ``func``."""
    by = by / 2

    def left(v: Any) -> Any:
        d = v if isinstance(v, dict) else {}
        return {**d, "pan": d.get("pan", 0.5) - by}

    def right(v: Any) -> Any:
        d = v if isinstance(v, dict) else {}
        return {**d, "pan": d.get("pan", 0.5) + by}

    return stack(pat.fmap(left), func(pat.fmap(right)))


jux_by = register("jux_by", _jux_by)
jux = register("jux", lambda func, pat: _jux_by(1, func, pat),
               doc="Stack the pattern panned left with ``func`` of it panned right.")


def _invert(pat: Pattern) -> Pattern:
    """Swap true and false in a boolean pattern (JavaScript truthiness)."""
    return pat.fmap(lambda x: not js_truthy(x))


invert = register("invert", _invert)
inv = register("inv", _invert)


def _press_by(r: Any, pat: Pattern) -> Pattern:
    """Shift each event by ``r`` of its own span (syncopation)."""
    return pat.fmap(lambda x: pure(x)._compress(r, 1)).squeeze_join()


press_by = register("press_by", _press_by)
press = register("press", lambda pat: pat._press_by(0.5),
                 doc="Shift each event halfway into its own span (``press_by(0.5)``).")


def _call_indexed(func: Callable[..., Pattern], pat: Pattern, i: int) -> Pattern:
    """Call ``func(pat, i)``, or ``func(pat)`` when it takes one argument."""
    try:
        import inspect

        params = inspect.signature(func).parameters.values()
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        takes_index = len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)
    except (TypeError, ValueError):
        takes_index = False
    return func(pat, i) if takes_index else func(pat)


def _echo_with(times: Any, time: Any, func: Callable[..., Pattern], pat: Pattern) -> Pattern:
    """Stack ``times`` copies, copy ``i`` shifted ``i * time`` later with ``func`` applied.

    ``func`` gets the shifted copy (and the index ``i`` when it takes two arguments).
    """
    k = to_time(times).__floor__()  # Strudel: listRange(0, times - 1)
    if k < 1:
        return silence
    t = to_time(time)
    return stack(*[_call_indexed(func, pat._late(t * i), i) for i in range(k)])


echo_with = register("echo_with", _echo_with)
stut_with = register("stut_with", _echo_with)


def _echo(times: Any, time: Any, feedback: Any, pat: Pattern) -> Pattern:
    """Stack ``times`` copies ``time`` apart, copy ``i`` with ``gain`` set to ``feedback**i``."""
    return _echo_with(times, time, lambda p, i: p.gain(feedback ** i), pat)


def _stut(times: Any, feedback: Any, time: Any, pat: Pattern) -> Pattern:
    """Like :func:`echo` with the last two arguments swapped (deprecated in Strudel)."""
    return _echo(times, time, feedback, pat)


stut = register("stut", _stut)
echo = register("echo", _echo)


def _euclid_bools(pulses: Any, steps: Any) -> list[int]:
    """Bjorklund's algorithm (Strudel's ``bjork``); negative pulses invert."""
    try:
        k = int(pulses)
        n = int(steps)
    except (TypeError, ValueError):
        raise PatternError(f"euclid: expected whole numbers, got ({pulses!r}, {steps!r})") from None
    inverted = k < 0
    k = abs(k)
    if n <= 0:
        return []
    k = min(k, n)
    offs = n - k
    ons_l: list[list[int]] = [[1] for _ in range(k)]
    offs_l: list[list[int]] = [[0] for _ in range(offs)]
    a, b = k, offs
    xs, ys = ons_l, offs_l
    while min(a, b) > 1:
        if a > b:
            # left: pair the first b of xs with ys; the rest of xs remain
            head, tail = xs[:b], xs[b:]
            xs, ys = [h + y for h, y in zip(head, ys)], tail
            a, b = b, a - b
        else:
            head, tail = ys[:a], ys[a:]
            xs, ys = [x + h for x, h in zip(xs, head)], tail
            a, b = a, b - a
    result = [v for group in xs for v in group] + [v for group in ys for v in group]
    if inverted:
        result = [1 - v for v in result]
    return result


def _js_rotate(arr: list[int], n: int) -> list[int]:
    """``arr.slice(n).concat(arr.slice(0, n))`` with JavaScript slice semantics."""
    length = len(arr)

    def norm(i: int) -> int:
        if i < 0:
            return max(length + i, 0)
        return min(i, length)

    i = norm(n)
    return arr[i:] + arr[:i]


def euclid_pattern(pulses: Any, steps: Any, rotation: Any = 0) -> list[int]:
    """The euclidean rhythm as a list of 1/0, rotated ``rotation`` steps to the right.

    >>> euclid_pattern(3, 8)
    [1, 0, 0, 1, 0, 0, 1, 0]
    >>> euclid_pattern(3, 8, 2)
    [1, 0, 1, 0, 0, 1, 0, 0]
    """
    b = _euclid_bools(pulses, steps)
    r = int(rotation)
    if r:
        b = _js_rotate(b, -r)
    return b


@lru_cache(maxsize=1024)
def _euclid_struct(pulses: int, steps: int, rotation: int) -> Pattern | None:
    """The boolean step pattern of a euclidean rhythm (cached: patterns are immutable)."""
    bits = euclid_pattern(pulses, steps, rotation)
    if not bits:
        return None
    return sequence(*[pure(b) for b in bits])


def _euclid_ints(pulses: Any, steps: Any, rotation: Any = 0) -> tuple[int, int, int]:
    try:
        return int(pulses), int(steps), int(rotation)
    except (TypeError, ValueError):
        raise PatternError(f"euclid: expected whole numbers, got "
                           f"({pulses!r}, {steps!r}, {rotation!r})") from None


def _euclid(pulses: Any, steps: Any, pat: Pattern) -> Pattern:
    """Euclidean rhythm: ``pulses`` onsets spread over ``steps`` steps.

    >>> [str(h.whole.begin) for h in pure("a").euclid(3, 8).first_cycle()]
    ['0', '3/8', '3/4']
    """
    struct_pat = _euclid_struct(*_euclid_ints(pulses, steps))
    return silence if struct_pat is None else pat.struct(struct_pat)


def _euclid_rot(pulses: Any, steps: Any, rotation: Any, pat: Pattern) -> Pattern:
    """Like :func:`euclid`, rotated ``rotation`` steps."""
    struct_pat = _euclid_struct(*_euclid_ints(pulses, steps, rotation))
    return silence if struct_pat is None else pat.struct(struct_pat)


euclid = register("euclid", _euclid)
euclid_rot = register("euclid_rot", _euclid_rot)
euclid_off = register("euclid_off", _euclid_rot)


def _euclid_legato_impl(pulses: Any, steps: Any, rotation: Any, pat: Pattern) -> Pattern:
    """Euclidean rhythm, rotated, each onset held until the next."""
    if int(pulses) < 1:
        return silence
    bits = euclid_pattern(pulses, steps, rotation)
    text = "".join(str(b) for b in bits)
    gapless = [(len(s) + 1, True) for s in text.split("1")[1:]]
    if not gapless:
        return silence
    return pat.struct(timecat(*[(w, pure(v)) for w, v in gapless]))


def _euclid_legato(pulses: Any, steps: Any, pat: Pattern) -> Pattern:
    """Euclidean rhythm where each onset is held until the next."""
    return _euclid_legato_impl(pulses, steps, 0, pat)


euclid_legato = register("euclid_legato", _euclid_legato)
euclid_legato_rot = register("euclid_legato_rot", _euclid_legato_impl)

# ---------------------------------------------------------------------- samples


def _chop(n: Any, pat: Pattern) -> Pattern:
    """Cut each event into ``n`` parts playing successive ``begin``/``end`` slices."""
    k = _check_count(n, "chop")
    slices = [{"begin": i / k, "end": (i + 1) / k} for i in range(k)]

    def merge(a: Any, b: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(a, dict):
            raise PatternError("chop works on control patterns (such as s(...)), "
                               f"not on {type(a).__name__} values")
        if a.get("begin") is not None and a.get("end") is not None:
            d = a["end"] - a["begin"]
            b = {"begin": a["begin"] + b["begin"] * d, "end": a["begin"] + b["end"] * d}
        return {**a, **b}

    return pat.squeeze_bind(lambda o: fastcat(*[pure(merge(o, sl)) for sl in slices]))


chop = register("chop", _chop)


def _striate(n: Any, pat: Pattern) -> Pattern:
    """Play ``n`` interlaced ``begin``/``end`` slices of each sample, one per repeat."""
    k = _check_count(n, "striate")
    slices = [pure({"begin": i / k, "end": (i + 1) / k}) for i in range(k)]
    return pat.set(slowcat(*slices))._fast(k)


striate = register("striate", _striate)

# ---------------------------------------------------------------------- arp


def _collect(pat: Pattern) -> Pattern:
    """Group haps with the same whole and part into one hap whose value is the list."""

    def f(haps: list[Hap]) -> list[Hap]:
        groups: list[list[Hap]] = []
        for h in haps:
            for g in groups:
                o = g[0]
                if h.part == o.part and (h.whole == o.whole):
                    g.append(h)
                    break
            else:
                groups.append([h])
        return [Hap(g[0].whole, g[0].part, g, {}) for g in groups]

    return pat.with_haps(f)


def arp_with(func: Callable[[list[Hap]], Any], pat: Pattern) -> Pattern:
    """Select from the notes of each chord (haps with the same span) with ``func``."""
    collected = _collect(reify(pat))
    return (collected.fmap(lambda v: reify(func(v))).inner_join()
            .with_hap(lambda h: Hap(h.whole, h.part, h.value.value,
                                    {**h.value.context, **h.context})))


def _arp_with_method(self: Pattern, func: Callable[[list[Hap]], Any]) -> Pattern:
    """Select from the notes of each chord with ``func(haps)``."""
    return arp_with(func, self)


def _arp_method(self: Pattern, indices: Any) -> Pattern:
    """Play the notes of each chord (haps with the same span) by index, e.g. ``"0 2 1"``.

    >>> [h.value for h in stack(0, 4, 7).arp([0, 2]).first_cycle()]
    [0, 7]
    """
    ipat = reify(indices)

    def pick(haps: list[Hap]) -> Pattern:
        n = len(haps)
        return ipat.fmap(lambda i: haps[int(parse_numeral(i)) % n])

    return arp_with(pick, self)


Pattern.arp_with = _arp_with_method  # type: ignore[attr-defined]
Pattern.arp = _arp_method  # type: ignore[attr-defined]


def arp(indices: Any, pat: Any) -> Pattern:
    """Free form of :meth:`Pattern.arp`."""
    return reify(pat).arp(indices)


# ---------------------------------------------------------------------- sequences


def run(n: Any) -> Pattern:
    """The numbers ``0 .. n-1`` in one cycle (``n`` patternable).

    Same as ``saw.range(0, n).round().segment(n)``.

    >>> [h.value for h in run(4).first_cycle()]
    [0, 1, 2, 3]
    """
    from livestudio.patterns.signals import saw

    return saw.range(0, n).round().segment(n)


def scan(n: Any) -> Pattern:
    """``run(1)``, ``run(2)``, ... ``run(n)``, one per cycle."""
    k = int(n)
    if k < 1:
        raise PatternError(f"scan: expected at least 1, got {n!r}")
    return slowcat(*[run(i) for i in range(1, k + 1)])


__all__ = [
    "js_truthy", "note_to_midi", "parse_numeral", "compose_values", "union_with",
    "add", "sub", "mul", "div", "mod", "pow_", "set_", "keep", "keepif", "struct", "mask",
    "round_", "floor", "ceil", "to_bipolar", "from_bipolar", "range_", "rangex", "range2",
    "ratio", "segment", "compress", "fast_gap", "focus", "zoom", "linger", "ply", "hurry",
    "inside", "outside", "first_of", "every", "last_of", "when", "off", "brak", "palindrome",
    "iter_", "iter_back", "repeat_cycles", "ribbon", "rib", "chunk", "chunk_back", "fast_chunk", "swing_by",
    "swing", "jux_by", "jux", "invert", "inv", "press_by", "press", "echo_with", "stut_with",
    "echo", "stut", "euclid", "euclid_rot", "euclid_off", "euclid_legato", "euclid_legato_rot",
    "euclid_pattern", "arp", "arp_with", "run", "scan", "chop", "striate",
]

"""``Pattern``: Tidal's model of a pattern as a function from a time span to haps.

A pattern is its ``query``: given a :class:`TimeSpan`, it returns the list of
:class:`Hap` events active in it. A handful of primitives (query/hap time mapping,
``split_queries``, ``fmap``, the applicative ``app_left/app_right/app_both`` and the
monadic ``inner/outer/squeeze_join``) build everything else. ``register`` adds a method
whose arguments may themselves be patterns (a ``str`` argument is mini-notation).

API used by the mini-notation interpreter (``livestudio.patterns.mini``)::

    Pattern, pure(value), silence, reify(x), sequence(*xs)
    stack(*pats)                       # play together
    fastcat(*pats) / seq(*pats)        # all squeezed into one cycle; sets _steps
    slowcat(*pats) / cat(*pats)        # one cycle each (nested alternation correct)
    timecat(*(weight, pat))            # weighted steps (Fraction weights); sets _steps
    polymeter_steps(steps, *seqs)      # {..}%steps; seqs: list of patterns, or
                                       #   (count, pattern); steps: int|Pattern|None
    polymeter(*pats)                   # fits all to lcm of their _steps
    pat.fast(x) / pat.slow(x)          # x patternable
    pat.euclid(k, n) / pat.euclid_rot(k, n, r) / pat.euclid_legato(k, n)
    pat.with_location(begin, end)      # appends (begin, end) to context["locations"]
    pat.with_context(func)
    pat.steps(n) / pat._steps          # step count ("tactus") used by polymeter
    # randomness.py:
    seeded_rand(seed) -> Pattern       # rand.early(Fraction(3*seed, 10000))
    pat.degrade_by_with(rand_pat, amount)  # keep haps where rand > amount
    choose_by_cycle_seeded(seed, pats) # `|`: one alternative per cycle

``pure(x)`` marks its result as pure (``pat._pure``); ``with_location`` and
``with_context`` keep that mark, so a mini-notation atom stays pure and a method given
it (``fast("2")``) applies it directly instead of joining cycle by cycle, as Strudel
does.

Speed: fractions dominate the cost, so a few shapes are recognised and given one-layer
queries that return exactly the haps the layered definition would: pure-structured
patterns (``pat._const``: pure, pure with a context, their ``fast``, ``fastcat`` of
them), signals (``pat._signal``: value as a function of the query begin, kept through
``fmap``/``fast``/``early``), fused ``fmap`` chains, and ``app_left``/``app_right``
against those. ``tests/patterns/test_laws.py`` and the conformance cases check them.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable, Sequence

from quicktions import Fraction

from livestudio.errors import PatternError
from livestudio.patterns.hap import _EMPTY as _EMPTY_CONTEXT
from livestudio.patterns.hap import Hap, combine_contexts
from livestudio.patterns.time import Time, to_time
from livestudio.patterns.timespan import TimeSpan

Query = Callable[[TimeSpan], list[Hap]]


class _NoValue:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<no value>"

    def __bool__(self) -> bool:
        return False


NO_VALUE: Any = _NoValue()


def _sam(t: Fraction) -> Fraction:
    return Fraction(t.numerator // t.denominator)


class Pattern:
    """A pattern: ``query(span) -> list[Hap]``.

    >>> [h.value for h in fastcat(pure("a"), pure("b")).query_arc(0, 1)]
    ['a', 'b']
    """

    __slots__ = ("query", "_pure", "_const", "_steps", "_fmap_src", "_signal", "__weakref__")

    def __init__(self, query: Query, *, steps: Time | None = None) -> None:
        self.query = query
        self._pure: Any = NO_VALUE
        # for patterns with pure's structure (pure, pure.fmap(...), with_context...):
        # (value, context) shared by all their haps (enables fast paths)
        self._const: tuple[Any, dict[str, Any]] | None = None
        self._steps: Time | None = steps
        # for patterns made by fmap: (source query, function), so fmaps fuse
        self._fmap_src: tuple[Query, Callable[[Any], Any]] | None = None
        # for signals: the value as a function of the query's begin (enables fast paths)
        self._signal: Callable[[Fraction], Any] | None = None

    def __repr__(self) -> str:
        if self._pure is not NO_VALUE:
            return f"pure({self._pure!r})"
        try:
            haps = self.query(TimeSpan(Fraction(0), Fraction(1)))
        except Exception as exc:  # a repr must not raise; show what went wrong
            return f"Pattern(<error: {type(exc).__name__}: {exc}>)"
        haps = sorted(haps, key=lambda h: (h.part.begin, h.part.end))
        shown = ", ".join(f"{h.value!r}@{h.part.begin}" for h in haps[:8])
        more = f", ... {len(haps) - 8} more" if len(haps) > 8 else ""
        return f"Pattern(cycle 0: {shown}{more})"

    # ------------------------------------------------------------------ querying
    def query_arc(self, begin: Any, end: Any) -> list[Hap]:
        """All haps active in ``[begin, end)``.

        >>> len(pure(1).query_arc(0, 4))
        4
        """
        return self.query(TimeSpan(to_time(begin), to_time(end)))

    def first_cycle(self) -> list[Hap]:
        """The haps of cycle 0."""
        return self.query_arc(0, 1)

    def onsets(self, begin: Any, end: Any) -> list[Hap]:
        """Haps that start inside ``[begin, end)`` (onsets only), sorted by time."""
        haps = [h for h in self.query_arc(begin, end) if h.has_onset()]
        haps.sort(key=lambda h: (h.part.begin, h.part.end))
        return haps

    # ------------------------------------------------------------------ primitives
    def split_queries(self) -> Pattern:
        """Split each query at cycle boundaries."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            spans = span.span_cycles()
            if len(spans) == 1:
                return query(spans[0])
            out: list[Hap] = []
            for sub in spans:
                out.extend(query(sub))
            return out

        return Pattern(q, steps=self._steps)

    def with_query_span(self, func: Callable[[TimeSpan], TimeSpan]) -> Pattern:
        """Apply ``func`` to the query span before querying."""
        query = self.query
        return Pattern(lambda span: query(func(span)), steps=self._steps)

    def with_query_span_maybe(self, func: Callable[[TimeSpan], TimeSpan | None]) -> Pattern:
        """Like :meth:`with_query_span`; ``func`` may return ``None`` (no haps)."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            new = func(span)
            return [] if new is None else query(new)

        return Pattern(q, steps=self._steps)

    def with_query_time(self, func: Callable[[Time], Time]) -> Pattern:
        """Apply ``func`` to both ends of the query span."""
        query = self.query
        return Pattern(lambda span: query(TimeSpan(func(span.begin), func(span.end))),
                       steps=self._steps)

    def with_hap_span(self, func: Callable[[TimeSpan], TimeSpan]) -> Pattern:
        """Apply ``func`` to the part and whole of each hap."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            return [Hap(None if h.whole is None else func(h.whole), func(h.part), h.value,
                        h.context) for h in query(span)]

        return Pattern(q, steps=self._steps)

    def with_hap_time(self, func: Callable[[Time], Time]) -> Pattern:
        """Apply ``func`` to both ends of part and whole of each hap."""
        return self.with_hap_span(lambda s: TimeSpan(func(s.begin), func(s.end)))

    def with_haps(self, func: Callable[[list[Hap]], list[Hap]]) -> Pattern:
        """Apply ``func`` to the list of haps of every query."""
        query = self.query
        return Pattern(lambda span: func(query(span)), steps=self._steps)

    def with_hap(self, func: Callable[[Hap], Hap]) -> Pattern:
        """Apply ``func`` to every hap."""
        query = self.query
        return Pattern(lambda span: [func(h) for h in query(span)], steps=self._steps)

    def fmap(self, func: Callable[[Any], Any]) -> Pattern:
        """Apply ``func`` to every value.

        >>> [h.value for h in pure(1).fmap(lambda v: v + 1).first_cycle()]
        [2]
        """
        src = self._fmap_src
        if src is not None:
            # fuse fmap(f).fmap(g) into one layer: fmap(g . f)
            query, inner = src

            def composed(v: Any) -> Any:
                return func(inner(v))

            f = composed
        else:
            query = self.query
            f = func

        def q(span: TimeSpan) -> list[Hap]:
            return [Hap(h.whole, h.part, f(h.value), h.context) for h in query(span)]

        sig = self._signal
        if sig is not None:
            return signal_pattern(lambda t: func(sig(t)))
        result = Pattern(q, steps=self._steps)
        result._fmap_src = (query, f)
        return result

    with_value = fmap

    def filter_haps(self, pred: Callable[[Hap], bool]) -> Pattern:
        """Keep only haps for which ``pred`` is true."""
        query = self.query
        return Pattern(lambda span: [h for h in query(span) if pred(h)], steps=self._steps)

    def filter_values(self, pred: Callable[[Any], bool]) -> Pattern:
        """Keep only haps whose value passes ``pred``."""
        query = self.query
        return Pattern(lambda span: [h for h in query(span) if pred(h.value)],
                       steps=self._steps)

    def remove_undefineds(self) -> Pattern:
        """Drop haps whose value is ``None``."""
        return self.filter_values(lambda v: v is not None)

    def onsets_only(self) -> Pattern:
        """Keep only fragments that contain their onset."""
        return self.filter_haps(lambda h: h.has_onset())

    def discrete_only(self) -> Pattern:
        """Drop continuous haps (those without a whole)."""
        return self.filter_haps(lambda h: h.whole is not None)

    # ------------------------------------------------------------------ context
    def with_context(self, func: Callable[[dict[str, Any]], dict[str, Any]]) -> Pattern:
        """Apply ``func`` to every hap's context (keeps purity and steps)."""
        if self._const is not None:
            # every hap of a pure pattern shares one context: transform it once
            value, ctx = self._const
            result = _make_const(value, func(ctx), self._steps)
            result._pure = self._pure
            return result
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            return [Hap(h.whole, h.part, h.value, func(h.context)) for h in query(span)]

        result = Pattern(q, steps=self._steps)
        result._pure = self._pure
        return result

    def set_context(self, context: dict[str, Any]) -> Pattern:
        """Set every hap's context."""
        return self.with_context(lambda _: context)

    def strip_context(self) -> Pattern:
        """Empty every hap's context."""
        return self.with_context(lambda _: {})

    def with_location(self, begin: int, end: int) -> Pattern:
        """Append ``(begin, end)`` (source offsets) to ``context["locations"]``."""
        loc = (begin, end)

        def add(ctx: dict[str, Any]) -> dict[str, Any]:
            return {**ctx, "locations": [*ctx.get("locations", ()), loc]}

        return self.with_context(add)

    def steps(self, n: Any) -> Pattern:
        """A copy with step count (Strudel's tactus) ``n``, used by ``polymeter``."""
        result = Pattern(self.query, steps=None if n is None else to_time(n))
        result._pure = self._pure
        result._const = self._const
        return result

    # ------------------------------------------------------------------ applicative
    def app_whole(self, whole_func: Callable[[TimeSpan | None, TimeSpan | None],
                                             TimeSpan | None], pat_val: Pattern) -> Pattern:
        """Apply a pattern of functions to ``pat_val``; ``whole_func`` picks wholes."""
        fquery = self.query
        vquery = pat_val.query

        def q(span: TimeSpan) -> list[Hap]:
            hfs = fquery(span)
            hvs = vquery(span)
            out = []
            for hf in hfs:
                for hv in hvs:
                    s = hf.part.intersection(hv.part)
                    if s is None:
                        continue
                    out.append(Hap(whole_func(hf.whole, hv.whole), s, hf.value(hv.value),
                                   combine_contexts(hv.context, hf.context)))
            return out

        return Pattern(q)

    def app_both(self, pat_val: Pattern) -> Pattern:
        """Structure from both sides (wholes intersect)."""

        def wf(a: TimeSpan | None, b: TimeSpan | None) -> TimeSpan | None:
            if a is None or b is None:
                return None
            return a.intersection_e(b)

        return self.app_whole(wf, pat_val)

    def app_left(self, pat_val: Pattern) -> Pattern:
        """Structure from this pattern (of functions)."""
        fquery = self.query
        vquery = pat_val.query
        if pat_val._const is not None:
            return self._app_left_pure(pat_val, lambda f, v: f(v))
        if pat_val._signal is not None:
            return self._app_left_signal(pat_val._signal, lambda f, v: f(v))

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for hf in fquery(span):
                whole = hf.whole
                fpart = hf.part
                for hv in vquery(fpart if whole is None else whole):
                    part = fpart.intersection(hv.part)
                    if part is not None:
                        out.append(Hap(whole, part, hf.value(hv.value),
                                       combine_contexts(hv.context, hf.context)))
            return out

        return Pattern(q, steps=self._steps)

    def _app_left_pure(self, pat_val: Pattern, combine: Callable[[Any, Any], Any]) -> Pattern:
        """``app_left`` against a pure ``pat_val``; values are ``combine(left, pure_value)``.

        The pure pattern is only queried when a hap's whole crosses a cycle boundary
        (or in edge cases); otherwise the result is the same hap with a new value.
        """
        fquery = self.query
        vquery = pat_val.query
        pure_value, pure_ctx = pat_val._const  # type: ignore[misc]

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for hf in fquery(span):
                fpart = hf.part
                w = fpart if hf.whole is None else hf.whole
                b = w.begin
                e = w.end
                bs = b.numerator // b.denominator
                if (fpart.begin != fpart.end and b <= fpart.begin and fpart.end <= e
                        and (e.numerator // e.denominator == bs or e == bs + 1)):
                    out.append(Hap(hf.whole, fpart, combine(hf.value, pure_value),
                                   combine_contexts(pure_ctx, hf.context)))
                    continue
                for hv in vquery(w):
                    part = fpart.intersection(hv.part)
                    if part is not None:
                        out.append(Hap(hf.whole, part, combine(hf.value, hv.value),
                                       combine_contexts(hv.context, hf.context)))
            return out

        return Pattern(q, steps=self._steps)

    def _app_left_signal(self, sig: Callable[[Fraction], Any],
                         combine: Callable[[Any, Any], Any]) -> Pattern:
        """``app_left`` against a signal: sample it at the begin of each whole (or part)."""
        fquery = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for hf in fquery(span):
                fpart = hf.part
                w = fpart if hf.whole is None else hf.whole
                part = fpart.intersection(w)
                if part is not None:
                    out.append(Hap(hf.whole, part, combine(hf.value, sig(w.begin)), hf.context))
            return out

        return Pattern(q, steps=self._steps)

    def _app_right_const(self, pat_val: Pattern, combine: Callable[[Any, Any], Any]) -> Pattern:
        """``app_right`` for a pattern with pure's structure (``self._const``).

        Values are ``combine(const_value, value)``, computed at query time. Over a span
        ``w`` within one cycle a pure pattern has the one hap ``(cycle, w)``, so it is
        not queried then.
        """
        fquery = self.query
        vquery = pat_val.query
        fvalue, fctx = self._const  # type: ignore[misc]

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for hv in vquery(span):
                vpart = hv.part
                whole = hv.whole
                w = vpart if whole is None else whole
                b = w.begin
                e = w.end
                bs = b.numerator // b.denominator
                if e.numerator // e.denominator == bs or e == bs + 1:
                    part = w.intersection(vpart)
                    if part is not None:
                        out.append(Hap(whole, part, combine(fvalue, hv.value),
                                       combine_contexts(hv.context, fctx)))
                    continue
                for hf in fquery(w):
                    part = hf.part.intersection(vpart)
                    if part is not None:
                        out.append(Hap(whole, part, combine(hf.value, hv.value),
                                       combine_contexts(hv.context, hf.context)))
            return out

        return Pattern(q, steps=pat_val._steps)

    def app_right(self, pat_val: Pattern) -> Pattern:
        """Structure from ``pat_val`` (the pattern of values)."""
        fquery = self.query
        vquery = pat_val.query
        if self._const is not None:
            return self._app_right_const(pat_val, lambda f, v: f(v))
        sig = self._signal
        if sig is not None:
            def qs(span: TimeSpan) -> list[Hap]:
                # this pattern is a signal: its one hap over w has part w
                out = []
                for hv in vquery(span):
                    vpart = hv.part
                    w = vpart if hv.whole is None else hv.whole
                    part = w.intersection(vpart)
                    if part is not None:
                        out.append(Hap(hv.whole, part, sig(w.begin)(hv.value), hv.context))
                return out

            return Pattern(qs, steps=pat_val._steps)

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for hv in vquery(span):
                whole = hv.whole
                vpart = hv.part
                for hf in fquery(vpart if whole is None else whole):
                    part = hf.part.intersection(vpart)
                    if part is not None:
                        out.append(Hap(whole, part, hf.value(hv.value),
                                       combine_contexts(hv.context, hf.context)))
            return out

        return Pattern(q, steps=pat_val._steps)

    # ------------------------------------------------------------------ monadic
    def bind_whole(self, choose_whole: Callable[[TimeSpan | None, TimeSpan | None],
                                                TimeSpan | None],
                   func: Callable[[Any], Pattern]) -> Pattern:
        """Monadic bind; ``choose_whole(outer_whole, inner_whole)`` picks the whole."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for a in query(span):
                inner = func(a.value)
                actx = a.context
                for b in inner.query(a.part):
                    out.append(Hap(choose_whole(a.whole, b.whole), b.part, b.value,
                                   combine_contexts(actx, b.context)))
            return out

        return Pattern(q)

    def bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """Bind where wholes are the intersection of outer and inner wholes."""

        def wf(a: TimeSpan | None, b: TimeSpan | None) -> TimeSpan | None:
            if a is None or b is None:
                return None
            return a.intersection_e(b)

        return self.bind_whole(wf, func)

    def join(self) -> Pattern:
        """Flatten a pattern of patterns; wholes intersect."""
        return self.bind(lambda x: x)

    def outer_bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """Bind keeping the outer structure (wholes from the outer pattern)."""
        return self.bind_whole(lambda a, b: a, func)

    def outer_join(self) -> Pattern:
        """Flatten a pattern of patterns; wholes from the outer pattern."""
        return self.outer_bind(lambda x: x)

    def inner_bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """Bind keeping the inner structure (wholes from the inner patterns)."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for a in query(span):
                actx = a.context
                for b in func(a.value).query(a.part):
                    out.append(Hap(b.whole, b.part, b.value, combine_contexts(actx, b.context)))
            return out

        return Pattern(q)

    def inner_join(self) -> Pattern:
        """Flatten a pattern of patterns; wholes from the inner patterns."""
        return self.inner_bind(lambda x: x)

    def squeeze_join(self) -> Pattern:
        """Flatten by squeezing a whole cycle of each inner pattern into its outer hap."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for outer in query(span):
                owhole = outer.whole
                if owhole is None:
                    continue
                inner = outer.value._focus_span(owhole)
                opart = outer.part
                octx = outer.context
                for ih in inner.query(opart):
                    whole = None
                    if ih.whole is not None:
                        whole = ih.whole.intersection(owhole)
                        if whole is None:
                            continue
                    part = ih.part.intersection(opart)
                    if part is None:
                        continue
                    out.append(Hap(whole, part, ih.value, combine_contexts(ih.context, octx)))
            return out

        return Pattern(q)

    def squeeze_bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """``fmap(func).squeeze_join()``."""
        return self.fmap(func).squeeze_join()

    def trig_join(self, cycle_zero: bool = False) -> Pattern:
        """Flatten, restarting each inner pattern at its outer hap's onset."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for outer in query(span):
                if outer.whole is None:
                    continue
                wb = outer.whole.begin
                shift = wb if cycle_zero else wb - (wb.numerator // wb.denominator)
                for ih in outer.value._late(shift).query(span):
                    whole = None if ih.whole is None else ih.whole.intersection(outer.whole)
                    part = ih.part.intersection(outer.part)
                    if part is None:
                        continue
                    out.append(Hap(whole, part, ih.value,
                                   combine_contexts(outer.context, ih.context)))
            return out

        return Pattern(q)

    def trigzero_join(self) -> Pattern:
        """Like :meth:`trig_join` but restarts inner patterns from cycle zero."""
        return self.trig_join(True)

    # ------------------------------------------------------------------ core time ops
    def _fast(self, factor: Any) -> Pattern:
        """Speed up by a plain (unpatterned) factor."""
        factor = to_time(factor)
        if factor == 0:
            return silence
        # a negative factor is not special-cased (as in Strudel): the query span runs
        # backwards, so discrete patterns give no haps
        if factor == 1:
            return self
        if self._const is not None:
            return Pattern(_step_query([self._const], factor), steps=self._steps)
        sig = self._signal
        if sig is not None:
            return signal_pattern(lambda t: sig(t * factor))
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for h in query(TimeSpan(span.begin * factor, span.end * factor)):
                w = h.whole
                p = h.part
                out.append(Hap(None if w is None else TimeSpan(w.begin / factor, w.end / factor),
                               TimeSpan(p.begin / factor, p.end / factor), h.value, h.context))
            return out

        return Pattern(q, steps=self._steps)

    def _slow(self, factor: Any) -> Pattern:
        """Slow down by a plain factor."""
        factor = to_time(factor)
        if factor == 0:
            return silence
        return self._fast(1 / factor)

    def _early(self, offset: Any) -> Pattern:
        """Shift earlier by a plain number of cycles."""
        offset = to_time(offset)
        if offset == 0:
            return self
        sig = self._signal
        if sig is not None:
            return signal_pattern(lambda t: sig(t + offset))
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for h in query(TimeSpan(span.begin + offset, span.end + offset)):
                w = h.whole
                p = h.part
                out.append(Hap(None if w is None else TimeSpan(w.begin - offset, w.end - offset),
                               TimeSpan(p.begin - offset, p.end - offset), h.value, h.context))
            return out

        return Pattern(q, steps=self._steps)

    def _late(self, offset: Any) -> Pattern:
        """Shift later by a plain number of cycles."""
        return self._early(-to_time(offset))

    def _fast_gap(self, factor: Any) -> Pattern:
        """Speed up but only play once per cycle, leaving a gap."""
        factor = to_time(factor)
        if factor <= 0:
            return silence
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            cycle = _sam(span.begin)
            bpos = min((span.begin - cycle) * factor, 1)
            epos = min((span.end - cycle) * factor, 1)
            if bpos >= 1:
                return []
            out = []
            for h in query(TimeSpan(cycle + bpos, cycle + epos)):
                begin = h.part.begin
                end = h.part.end
                hc = _sam(begin)
                new_part = TimeSpan(hc + min((begin - hc) / factor, 1),
                                    hc + min((end - hc) / factor, 1))
                whole = None
                if h.whole is not None:
                    whole = TimeSpan(new_part.begin - (begin - h.whole.begin) / factor,
                                     new_part.end + (h.whole.end - end) / factor)
                out.append(Hap(whole, new_part, h.value, h.context))
            return out

        return Pattern(q).split_queries()

    def _compress(self, b: Any, e: Any) -> Pattern:
        """Squeeze each cycle into ``[b, e]`` of the cycle (0 <= b <= e <= 1)."""
        b = to_time(b)
        e = to_time(e)
        if b > e or b > 1 or e > 1 or b < 0 or e < 0:
            return silence
        if b == e:
            return silence
        return self._fast_gap(1 / (e - b))._late(b)

    def _focus(self, b: Any, e: Any) -> Pattern:
        """Like compress, without gaps: cycle 0 plays from ``b`` to ``e``."""
        b = to_time(b)
        e = to_time(e)
        d = e - b
        if d <= 0:
            return silence
        # == self._early(sam(b))._fast(1 / d)._late(b), as one time map
        a = 1 / d
        return self._affine(a, _sam(b) - b * a)

    def _affine(self, a: Fraction, c: Fraction) -> Pattern:
        """Query time ``t`` maps to ``t * a + c`` (``a > 0``); haps map back."""
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for h in query(TimeSpan(span.begin * a + c, span.end * a + c)):
                w = h.whole
                p = h.part
                out.append(Hap(
                    None if w is None else TimeSpan((w.begin - c) / a, (w.end - c) / a),
                    TimeSpan((p.begin - c) / a, (p.end - c) / a), h.value, h.context))
            return out

        return Pattern(q, steps=self._steps)

    def _focus_span(self, span: TimeSpan) -> Pattern:
        return self._focus(span.begin, span.end)

    def _zoom(self, s: Any, e: Any) -> Pattern:
        """Play only ``[s, e]`` of each cycle, stretched to a cycle."""
        s = to_time(s)
        e = to_time(e)
        d = e - s
        if d <= 0:
            return silence
        return (self.with_query_span(lambda span: span.with_cycle(lambda t: t * d + s))
                .with_hap_span(lambda span: span.with_cycle(lambda t: (t - s) / d))
                .split_queries())

    def rev(self) -> Pattern:
        """Reverse every cycle.

        >>> sorted((h.part.begin, h.value) for h in fastcat("a", "b").rev().first_cycle())
        [(Fraction(0, 1), 'b'), (Fraction(1, 2), 'a')]
        """
        query = self.query

        def q(span: TimeSpan) -> list[Hap]:
            cycle = _sam(span.begin)
            nxt = cycle + 1

            def reflect(s: TimeSpan) -> TimeSpan:
                return TimeSpan(cycle + (nxt - s.end), cycle + (nxt - s.begin))

            return [Hap(None if h.whole is None else reflect(h.whole), reflect(h.part),
                        h.value, h.context) for h in query(reflect(span))]

        return Pattern(q, steps=self._steps).split_queries()

    # ------------------------------------------------------------------ composition
    def stack(self, *others: Any) -> Pattern:
        """Play this pattern and ``others`` together."""
        return stack(self, *others)

    def seq(self, *others: Any) -> Pattern:
        """This pattern then ``others``, all in one cycle."""
        return fastcat(self, *others)

    def cat(self, *others: Any) -> Pattern:
        """This pattern then ``others``, one cycle each."""
        return slowcat(self, *others)

    def layer(self, *funcs: Callable[[Pattern], Pattern]) -> Pattern:
        """Stack the results of applying each function (without the original)."""
        return stack(*[f(self) for f in funcs])

    def superimpose(self, *funcs: Callable[[Pattern], Pattern]) -> Pattern:
        """Stack the original with the results of each function."""
        return stack(self, *[f(self) for f in funcs])

    def pipe(self, func: Callable[[Pattern], Pattern]) -> Pattern:
        """``func(self)``."""
        return func(self)

    def __add__(self, other: Any) -> Pattern:
        return self.add(other)  # type: ignore[attr-defined]

    def __radd__(self, other: Any) -> Pattern:
        return reify(other).add(self)  # type: ignore[attr-defined]

    def __sub__(self, other: Any) -> Pattern:
        return self.sub(other)  # type: ignore[attr-defined]

    def __rsub__(self, other: Any) -> Pattern:
        return reify(other).sub(self)  # type: ignore[attr-defined]

    def __mul__(self, other: Any) -> Pattern:
        return self.mul(other)  # type: ignore[attr-defined]

    def __rmul__(self, other: Any) -> Pattern:
        return reify(other).mul(self)  # type: ignore[attr-defined]

    def __truediv__(self, other: Any) -> Pattern:
        return self.div(other)  # type: ignore[attr-defined]

    def __rtruediv__(self, other: Any) -> Pattern:
        return reify(other).div(self)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- constructors
def _silence_query(span: TimeSpan) -> list[Hap]:
    return []


silence = Pattern(_silence_query, steps=Fraction(1))
"""The empty pattern."""


def _step_query(items: list[tuple[Any, dict[str, Any]]], rate: Fraction) -> Query:
    """Query of ``rate`` steps per cycle, step k holding ``items[k % len(items)]``.

    The same haps as ``fastcat`` of pure values (or ``pure(v).fast(rate)``), without the
    layers in between.
    """
    n = len(items)
    one = rate == 1

    def q(span: TimeSpan) -> list[Hap]:
        begin = span.begin
        end = span.end
        if one:
            b, e = begin, end
        else:
            b = begin * rate
            e = end * rate
        k = b.numerator // b.denominator
        if b == e:
            v, c = items[k % n]
            if one:
                return [Hap(TimeSpan(Fraction(k), Fraction(k + 1)), span, v, c)]
            return [Hap(TimeSpan(k / rate, (k + 1) / rate), span, v, c)]
        out = []
        while k < e:
            if one:
                w0 = Fraction(k)
                w1 = Fraction(k + 1)
            else:
                w0 = k / rate
                w1 = (k + 1) / rate
            pb = begin if b > k else w0
            pe = end if e < k + 1 else w1
            v, c = items[k % n]
            out.append(Hap(TimeSpan(w0, w1), TimeSpan(pb, pe), v, c))
            k += 1
        return out

    return q


def _make_const(value: Any, context: dict[str, Any], steps: Time | None = Fraction(1)) -> Pattern:
    """A pattern with pure's structure whose haps all carry ``value`` and ``context``."""
    pat = Pattern(_step_query([(value, context)], Fraction(1)), steps=steps)
    pat._const = (value, context)
    return pat


def pure(value: Any) -> Pattern:
    """A pattern repeating ``value`` once per cycle.

    >>> [(str(h.whole.begin), h.value) for h in pure("a").query_arc(0, 2)]
    [('0', 'a'), ('1', 'a')]
    """
    pat = _make_const(value, _EMPTY_CONTEXT)
    pat._pure = value  # Strudel's `__pure`: methods given it apply it directly
    return pat


def signal_pattern(func: Callable[[Fraction], Any]) -> Pattern:
    """A continuous pattern whose value is ``func(begin)`` for a query ``[begin, end)``."""

    def q(span: TimeSpan) -> list[Hap]:
        return [Hap(None, span, func(span.begin))]

    pat = Pattern(q)
    pat._signal = func
    return pat


def steady(value: Any) -> Pattern:
    """A continuous pattern with a constant value (``whole`` is ``None``)."""
    return Pattern(lambda span: [Hap(None, span, value)])


def is_pattern(x: Any) -> bool:
    """True for a :class:`Pattern`."""
    return isinstance(x, Pattern)


def reify(x: Any) -> Pattern:
    """A pattern from anything: patterns stay, strings are mini-notation, else ``pure``.

    >>> [h.value for h in reify(3).first_cycle()]
    [3]
    """
    if isinstance(x, Pattern):
        return x
    if isinstance(x, str):
        from livestudio.patterns.mini import mini  # lazy: mini imports this module

        return mini(x)
    if isinstance(x, (list, tuple)):
        return fastcat(*x)
    return pure(x)


def _reify_arg(x: Any) -> Pattern:
    """Reify a method argument; lists become ``pure`` lists (Strudel ``reify``)."""
    if isinstance(x, Pattern):
        return x
    if isinstance(x, str):
        from livestudio.patterns.mini import mini

        return mini(x)
    return pure(x)


def stack(*pats: Any) -> Pattern:
    """Play patterns at the same time.

    >>> sorted(h.value for h in stack("a", "b").first_cycle())
    ['a', 'b']
    """
    ps = [reify(p) for p in pats]
    if not ps:
        return silence
    if len(ps) == 1:
        return ps[0]
    queries = [p.query for p in ps]

    def q(span: TimeSpan) -> list[Hap]:
        out: list[Hap] = []
        for query in queries:
            out.extend(query(span))
        return out

    return Pattern(q, steps=_lcm_steps(ps))


def slowcat(*pats: Any) -> Pattern:
    """Concatenate patterns, one cycle each (Strudel ``cat``/``slowcat``).

    >>> [h.value for h in slowcat("a", "b").query_arc(0, 3)]
    ['a', 'b', 'a']
    """
    ps = [reify(p) for p in pats]
    if not ps:
        return silence
    if len(ps) == 1:
        return ps[0]
    n = len(ps)
    queries = [p.query for p in ps]

    def q(span: TimeSpan) -> list[Hap]:
        begin = span.begin
        cyc = begin.numerator // begin.denominator
        query = queries[cyc % n]
        offset = cyc - (begin / n).__floor__()
        if offset == 0:
            return query(span)
        haps = query(TimeSpan(begin - offset, span.end - offset))
        out = []
        for h in haps:
            w = h.whole
            p = h.part
            out.append(Hap(None if w is None else TimeSpan(w.begin + offset, w.end + offset),
                           TimeSpan(p.begin + offset, p.end + offset), h.value, h.context))
        return out

    result = Pattern(q).split_queries()
    result._steps = _lcm_steps(ps)
    return result


def _lcm_steps(ps: Sequence[Pattern]) -> Time | None:
    """Strudel's step count of a stack/cat: the lcm of the known step counts."""
    steps = [p._steps for p in ps if p._steps is not None]
    if not steps:
        return None
    total = steps[0]
    for c in steps[1:]:
        total = _frac_lcm(total, c)
    return total


def cat(*pats: Any) -> Pattern:
    """Alias of :func:`slowcat`: one cycle per argument."""
    return slowcat(*pats)


def fastcat(*pats: Any) -> Pattern:
    """Concatenate patterns squeezed into one cycle (Strudel ``seq``/``fastcat``).

    >>> [(str(h.whole.begin), h.value) for h in fastcat("a", "b").first_cycle()]
    [('0', 'a'), ('1/2', 'b')]
    """
    if not pats:
        return silence
    if len(pats) == 1:
        return reify(pats[0])
    ps = [reify(p) for p in pats]
    n = len(ps)
    nf = Fraction(n)
    if all(p._const is not None for p in ps):
        return Pattern(_step_query([p._const for p in ps], nf), steps=nf)  # type: ignore[misc]
    queries = [p.query for p in ps]

    def q(span: TimeSpan) -> list[Hap]:
        # same as slowcat(*ps)._fast(n), without the intermediate layers
        b = span.begin * nf
        e = span.end * nf
        k = b.numerator // b.denominator
        out: list[Hap] = []
        while True:
            kf = Fraction(k)
            pb = b if b > kf else kf
            nxt = kf + 1
            pe = e if e < nxt else nxt
            if pb > pe or (pb == pe and b != e):
                break
            offset = k - k // n
            haps = queries[k % n](TimeSpan(pb - offset, pe - offset))
            for h in haps:
                w = h.whole
                p = h.part
                out.append(Hap(
                    None if w is None else TimeSpan((w.begin + offset) / nf, (w.end + offset) / nf),
                    TimeSpan((p.begin + offset) / nf, (p.end + offset) / nf), h.value, h.context))
            if pe >= e:
                break
            k += 1
        return out

    return Pattern(q, steps=nf)


def sequence(*pats: Any) -> Pattern:
    """Alias of :func:`fastcat`."""
    return fastcat(*pats)


seq = sequence


def timecat(*pairs: tuple[Any, Any]) -> Pattern:
    """Concatenate ``(weight, pattern)`` pairs into one cycle, proportional to weight.

    >>> [(str(h.whole.begin), h.value) for h in timecat((3, "a"), (1, "b")).first_cycle()]
    [('0', 'a'), ('3/4', 'b')]
    """
    items = [(to_time(w), p) for w, p in pairs]
    items = [(w, p) for w, p in items if w != 0]
    if not items:
        return silence
    if len(items) == 1:
        return reify(items[0][1]).steps(items[0][0])
    total = sum((w for w, _ in items), Fraction(0))
    begin = Fraction(0)
    pats = []
    for w, p in items:
        end = begin + w
        pats.append(reify(p)._compress(begin / total, end / total))
        begin = end
    return stack(*pats).steps(total)


time_cat = timecat
stepcat = timecat


def _seq_count(x: Any) -> tuple[Pattern, Fraction]:
    if isinstance(x, tuple) and len(x) == 2 and not isinstance(x[0], Pattern):
        return reify(x[1]), to_time(x[0])
    if isinstance(x, list):
        if not x:
            return silence, Fraction(0)
        if len(x) == 1:
            return _seq_count(x[0])
        return fastcat(*[_seq_count(a)[0] for a in x]), Fraction(len(x))
    p = reify(x)
    return p, (p._steps if p._steps is not None else Fraction(1))


def polymeter_steps(steps: Any, *seqs: Any) -> Pattern:
    """Align sequences to ``steps`` steps per cycle (mini-notation ``{...}%steps``).

    Each sequence is a list of patterns (its length is its step count), a
    ``(count, pattern)`` pair, or a pattern (its ``_steps``). ``steps`` may be a number,
    a pattern of numbers, or ``None``/0 for the first sequence's count.

    >>> [h.value for h in polymeter_steps(2, ["a", "b", "c"]).query_arc(0, 1)]
    ['a', 'b']
    """
    counted = [_seq_count(s) for s in seqs]
    counted = [(p, c) for p, c in counted if c != 0]
    if not counted:
        return silence

    def build(n: Any) -> Pattern:
        if n is None or n == 0:
            n = counted[0][1]
        n = to_time(n)
        return stack(*[p if c == n else p._fast(n / c) for p, c in counted])

    if isinstance(steps, Pattern):
        if steps._pure is not NO_VALUE:
            return build(steps._pure)
        return steps.fmap(build).inner_join()
    if isinstance(steps, str):
        return polymeter_steps(reify(steps), *seqs)
    return build(steps)


def polymeter(*pats: Any) -> Pattern:
    """Fit every pattern to the lcm of their step counts per cycle.

    >>> len(polymeter(fastcat("a", "b", "c"), fastcat("d", "e")).first_cycle())
    12
    """
    ps = [reify(p) for p in pats]
    if not ps:
        return silence
    counts = [p._steps if p._steps is not None else Fraction(1) for p in ps]
    if any(c.denominator != 1 for c in counts):
        lcm_num = counts[0]
        for c in counts[1:]:
            lcm_num = _frac_lcm(lcm_num, c)
        total = lcm_num
    else:
        total = Fraction(math.lcm(*[int(c) for c in counts]))
    # .steps() makes a new pattern: never mutate an argument (stack of one is the arg)
    return stack(*[p if c == total else p._fast(total / c) for p, c in zip(ps, counts)]).steps(total)


def _frac_lcm(a: Fraction, b: Fraction) -> Fraction:
    if a == 0 or b == 0:
        return Fraction(0)
    num = math.lcm(a.numerator, b.numerator)
    den = math.gcd(a.denominator, b.denominator)
    return Fraction(num, den)


# ---------------------------------------------------------------------- register
def _arity(fn: Callable[..., Any]) -> int:
    params = inspect.signature(fn).parameters.values()
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               and p.default is p.empty)


def patternify(fn: Callable[..., Pattern], args: Sequence[Any], pat: Pattern,
               join: str = "inner") -> Pattern:
    """Call ``fn(*values, pat)`` for every combination of the argument patterns' values.

    Arguments are reified (a ``str`` is mini-notation). When every argument is pure the
    function is applied once, directly; otherwise the argument patterns are combined
    with ``app_left`` (structure from the first) and the results joined (``inner_join``
    by default), exactly like Strudel's ``register``.
    """
    rargs = [_reify_arg(a) for a in args]
    if all(a._pure is not NO_VALUE for a in rargs):
        return fn(*[a._pure for a in rargs], pat)
    n = len(rargs)
    if n == 1:
        outer = rargs[0].fmap(lambda v: fn(v, pat))
    else:
        def curry_from(first: Any) -> Any:
            def build(vals: tuple[Any, ...]) -> Any:
                if len(vals) == n:
                    return fn(*vals, pat)
                return lambda v: build(vals + (v,))
            return build((first,))

        acc = rargs[0].fmap(curry_from)
        for p in rargs[1:]:
            acc = acc.app_left(p)
        outer = acc
    if join == "inner":
        return outer.inner_join()
    if join == "outer":
        return outer.outer_join()
    if join == "squeeze":
        return outer.squeeze_join()
    return outer.join()


def register(name: str | Sequence[str], fn: Callable[..., Pattern], *,
             patternified: bool = True, join: str = "inner",
             doc: str | None = None) -> Callable[..., Any]:
    """Add ``fn`` as a ``Pattern`` method (and return the matching free function).

    ``fn(arg1, ..., argN, pat)`` takes plain values and the pattern last. The method
    ``pat.name(arg1, ..., argN)`` accepts patterns (or mini-notation strings) for every
    argument: see :func:`patternify`. Given one argument too many... it raises
    ``PatternError``. The method ``pat._name(...)`` calls ``fn`` with plain values.
    The free function takes the pattern last (``name(a1, ..., pat)``); called with
    only the arguments it returns a function of the pattern.

    >>> add_one = register("add_one_demo", lambda pat: pat.fmap(lambda v: v + 1))
    >>> [h.value for h in pure(1).add_one_demo().first_cycle()]
    [2]
    """
    if not isinstance(name, str):
        fns = [register(n, fn, patternified=patternified, join=join, doc=doc) for n in name]
        return fns[0]
    if doc is not None:
        fn.__doc__ = doc
    arity = _arity(fn)
    nargs = arity - 1

    def method(self: Pattern, *args: Any) -> Pattern:
        if nargs == 1 and len(args) > 1:
            args = (sequence(*args),)
        if len(args) != nargs:
            raise PatternError(f".{name}() expects {nargs} argument"
                               f"{'' if nargs == 1 else 's'} but got {len(args)}")
        if nargs == 0 or not patternified:
            return fn(*args, self)
        return patternify(fn, args, self, join)

    method.__name__ = name
    method.__doc__ = fn.__doc__
    method.__module__ = fn.__module__  # docs (and their doctests) belong to fn's module
    setattr(Pattern, name, method)

    def plain(self: Pattern, *args: Any) -> Pattern:
        return fn(*args, self)

    plain.__name__ = "_" + name
    if nargs > 0 and not hasattr(Pattern, "_" + name):
        setattr(Pattern, "_" + name, plain)

    def free(*args: Any) -> Any:
        if len(args) == nargs:
            return lambda pat: method(reify(pat), *args)
        if len(args) != arity:
            raise PatternError(f"{name}() expects {nargs} argument"
                               f"{'' if nargs == 1 else 's'} and a pattern, "
                               f"got {len(args)} arguments")
        return method(reify(args[-1]), *args[:-1])

    free.__name__ = name
    free.__doc__ = fn.__doc__
    free.__qualname__ = name
    free.__module__ = fn.__module__
    return free


# methods patterned over their arguments: fast, slow, early, late
def _fast_fn(factor: Any, pat: Pattern) -> Pattern:
    """Speed up by ``factor`` (patternable; "*" in mini-notation).

    >>> len(pure("a").fast(2).first_cycle())
    2
    """
    return pat._fast(factor)


def _slow_fn(factor: Any, pat: Pattern) -> Pattern:
    """Slow down by ``factor`` (patternable; "/" in mini-notation)."""
    return pat._slow(factor)


def _early_fn(offset: Any, pat: Pattern) -> Pattern:
    """Shift the pattern earlier by ``offset`` cycles (patternable)."""
    return pat._early(offset)


def _late_fn(offset: Any, pat: Pattern) -> Pattern:
    """Shift the pattern later by ``offset`` cycles (patternable)."""
    return pat._late(offset)


fast = register("fast", _fast_fn)
density = register("density", _fast_fn)
slow = register("slow", _slow_fn)
sparsity = register("sparsity", _slow_fn)
early = register("early", _early_fn)
late = register("late", _late_fn)


def rev(pat: Any) -> Pattern:
    """Reverse every cycle of ``pat``."""
    return reify(pat).rev()


# the rest of the algebra registers itself on Pattern when imported
from livestudio.patterns import transforms as _transforms  # noqa: E402,F401
from livestudio.patterns import randomness as _randomness  # noqa: E402,F401
from livestudio.patterns import signals as _signals  # noqa: E402,F401
from livestudio.patterns import controls as _controls  # noqa: E402,F401

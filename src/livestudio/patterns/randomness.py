"""Strudel's legacy time-hashed random numbers, and what is built on them.

``time_to_rand(t)`` hashes a float time into ``[0, 1)`` with a 32-bit xorshift, exactly
like Strudel 1.2.6, so ``degrade_by``, ``sometimes_by``, ``?`` and ``|`` make the
same choices here as there. Mini-notation uses :func:`seeded_rand`,
:meth:`Pattern.degrade_by_with` and :func:`choose_by_cycle_seeded`.

>>> time_to_rand(0.0), round(time_to_rand(0.5), 6)
(0.0, 0.260481)
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from quicktions import Fraction

from livestudio.errors import PatternError
from livestudio.patterns.hap import Hap
from livestudio.patterns.pattern import (
    NO_VALUE,
    Pattern,
    pure,
    register,
    reify,
    silence,
    stack,
)
from livestudio.patterns.timespan import TimeSpan

_SPAN = 536870912  # 2**29


def _i32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - 0x100000000 if x & 0x80000000 else x


def xorwise(x: int) -> int:
    """One step of Strudel's 32-bit (JavaScript int32) xorshift."""
    a = ((x << 13) ^ x) & 0xFFFFFFFF
    sa = (a >> 17) | 0xFFFF8000 if a & 0x80000000 else a >> 17  # arithmetic >> on int32
    b = sa ^ a
    c = ((b << 5) ^ b) & 0xFFFFFFFF
    return c - 0x100000000 if c & 0x80000000 else c


def time_to_int_seed(t: float) -> int:
    """Stretch 300 cycles over ``[0, 2**29)`` and apply the xorshift."""
    x = t / 300
    frac = x - math.trunc(x)
    return xorwise(math.trunc(frac * _SPAN))


def int_seed_to_rand(x: int) -> float:
    """An int seed to a number in ``(-1, 1)`` (JavaScript remainder)."""
    return math.fmod(x, _SPAN) / _SPAN


def time_to_rand(t: float) -> float:
    """The random number in ``[0, 1)`` for float time ``t``."""
    return abs(int_seed_to_rand(time_to_int_seed(t)))


def time_to_rands(t: float, n: int) -> list[float]:
    """``n`` successive random numbers seeded from time ``t``."""
    seed = time_to_int_seed(t)
    result = []
    for _ in range(n):
        result.append(int_seed_to_rand(seed))
        seed = xorwise(seed)
    return result


def _rand() -> Pattern:
    from livestudio.patterns.signals import rand

    return rand


def seeded_rand(seed: int) -> Pattern:
    """``rand`` shifted earlier by ``3*seed/10000`` cycles (mini-notation's seed ``k``)."""
    return _rand()._early(Fraction(3 * int(seed), 10000))


def _degrade_by_with(with_pat: Pattern, x: Any, pat: Pattern) -> Pattern:
    """Keep haps where ``with_pat`` (sampled at each whole's begin) is greater than ``x``."""
    sig = with_pat._signal
    if sig is not None:
        # same haps as the general form below, in one layer
        query = pat.query

        def q(span: TimeSpan) -> list[Hap]:
            out = []
            for h in query(span):
                fpart = h.part
                w = fpart if h.whole is None else h.whole
                if sig(w.begin) > x:
                    part = fpart.intersection(w)
                    if part is not None:
                        out.append(Hap(h.whole, part, h.value, h.context))
            return out

        return Pattern(q, steps=pat._steps)
    return pat.fmap(lambda a: lambda _: a).app_left(with_pat.filter_values(lambda v: v > x))


def _degrade_by_with_method(self: Pattern, with_pat: Any, amount: Any) -> Pattern:
    """Keep haps where the random pattern ``with_pat`` is greater than ``amount``.

    ``amount`` may be a pattern.
    """
    rp = reify(with_pat)
    ap = reify(amount)
    if ap._pure is not NO_VALUE:
        return _degrade_by_with(rp, ap._pure, self)
    return ap.fmap(lambda x: _degrade_by_with(rp, x, self)).inner_join()


Pattern.degrade_by_with = _degrade_by_with_method  # type: ignore[attr-defined]
Pattern._degrade_by_with = lambda self, with_pat, x: _degrade_by_with(with_pat, x, self)  # type: ignore[attr-defined]


def _degrade_by(x: Any, pat: Pattern) -> Pattern:
    """Randomly drop events: keep those where ``rand`` at the onset is > ``x``."""
    return _degrade_by_with(_rand(), x, pat)


degrade_by = register("degrade_by", _degrade_by)


def _undegrade_by(x: Any, pat: Pattern) -> Pattern:
    """The complement of :func:`degrade_by`: keep where ``1 - rand`` is > ``x``."""
    return _degrade_by_with(_rand().fmap(lambda r: 1 - r), x, pat)


undegrade_by = register("undegrade_by", _undegrade_by)
degrade = register("degrade", lambda pat: pat._degrade_by(0.5),
                   doc="Randomly drop half of the events (``degrade_by(0.5)``).")
undegrade = register("undegrade", lambda pat: pat._undegrade_by(0.5),
                     doc="Keep exactly the events :func:`degrade` drops.")


def _sometimes_by(x: Any, func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """Apply ``func`` to a random ``x`` share of events (decided per event)."""
    return pure(x).fmap(
        lambda v: stack(pat._degrade_by(v), func(pat._undegrade_by(1 - v)))).inner_join()


sometimes_by = register("sometimes_by", _sometimes_by)
sometimes = register("sometimes", lambda func, pat: pat._sometimes_by(0.5, func),
                     doc="Apply ``func`` to about half of the events (``sometimes_by(0.5, func)``).")
often = register("often", lambda func, pat: pat._sometimes_by(0.75, func),
                 doc="Apply ``func`` to about 75% of the events.")
rarely = register("rarely", lambda func, pat: pat._sometimes_by(0.25, func),
                  doc="Apply ``func`` to about 25% of the events.")
almost_never = register("almost_never", lambda func, pat: pat._sometimes_by(0.1, func),
                        doc="Apply ``func`` to about 10% of the events.")
almost_always = register("almost_always", lambda func, pat: pat._sometimes_by(0.9, func),
                         doc="Apply ``func`` to about 90% of the events.")
never = register("never", lambda func, pat: pat,
                 doc="Never apply ``func`` (the pattern unchanged).")
always = register("always", lambda func, pat: func(pat),
                  doc="Always apply ``func``.")


def _some_cycles_by(x: Any, func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """Apply ``func`` to whole cycles, each with probability ``x``."""

    def build(v: Any) -> Pattern:
        r = _rand()
        return stack(
            _degrade_by_with(r._segment(1), v, pat),
            func(_degrade_by_with(r.fmap(lambda q: 1 - q)._segment(1), 1 - v, pat)),
        )

    return pure(x).fmap(build).inner_join()


some_cycles_by = register("some_cycles_by", _some_cycles_by)
some_cycles = register("some_cycles", lambda func, pat: pat._some_cycles_by(0.5, func),
                       doc="Apply ``func`` to about half of the cycles (``some_cycles_by(0.5, func)``).")


def _choose_with_values(pat: Pattern, xs: Sequence[Any]) -> Pattern:
    ps = [reify(x) for x in xs]
    n = len(ps)

    def pick(i: Any) -> Pattern:
        key = min(max(math.floor(i), 0), n - 1)
        return ps[key]

    return pat._range(0, n).fmap(pick)


def choose_with(pat: Any, xs: Sequence[Any]) -> Pattern:
    """Choose from ``xs`` with a pattern of numbers in 0..1 (structure from ``pat``)."""
    if not xs:
        return silence
    return _choose_with_values(reify(pat), xs).outer_join()


def choose_in_with(pat: Any, xs: Sequence[Any]) -> Pattern:
    """As :func:`choose_with`, but the structure comes from the chosen patterns."""
    if not xs:
        return silence
    return _choose_with_values(reify(pat), xs).inner_join()


def choose(*xs: Any) -> Pattern:
    """A continuous random choice among ``xs`` (use with ``segment`` or as an argument)."""
    return choose_with(_rand(), xs)


def _choose_method(self: Pattern, *xs: Any) -> Pattern:
    """Choose from ``xs`` using this pattern (values in 0..1)."""
    return choose_with(self, xs)


Pattern.choose = _choose_method  # type: ignore[attr-defined]


def choose_cycles(*xs: Any) -> Pattern:
    """One of ``xs`` at random each cycle (Strudel ``chooseCycles``/``randcat``)."""
    return choose_in_with(_rand()._segment(1), xs)


randcat = choose_cycles


def choose_by_cycle_seeded(seed: int, pats: Sequence[Any]) -> Pattern:
    """Mini-notation ``a | b | c`` with seed ``k``: one alternative per cycle."""
    return choose_in_with(seeded_rand(seed)._segment(1), list(pats))


def _wchoose_values(pat: Pattern, pairs: Sequence[tuple[Any, float]]) -> Pattern:
    values = [reify(v) for v, _ in pairs]
    weights = []
    acc = 0.0
    for _, w in pairs:
        acc += w
        weights.append(acc)
    total = acc
    if total <= 0:
        raise PatternError("wchoose: the weights must add up to more than 0")

    def match(r: float) -> Pattern:
        find = r * total
        for i, w in enumerate(weights):
            if w > find:
                return values[i]
        return values[-1]

    return pat.fmap(match)


def wchoose_with(pat: Any, *pairs: tuple[Any, float]) -> Pattern:
    """Weighted choice of ``(value, weight)`` pairs by a 0..1 pattern."""
    return _wchoose_values(reify(pat), pairs).outer_join()


def wchoose(*pairs: tuple[Any, float]) -> Pattern:
    """A continuous weighted random choice among ``(value, weight)`` pairs."""
    return wchoose_with(_rand(), *pairs)


def wchoose_cycles(*pairs: tuple[Any, float]) -> Pattern:
    """One ``(value, weight)`` choice per cycle, weighted."""
    return _wchoose_values(_rand()._segment(1), pairs).inner_join()


wrandcat = wchoose_cycles


def _rearrange_with(ipat: Pattern, n: int, pat: Pattern) -> Pattern:
    pats = [pat._zoom(Fraction(i, n), Fraction(i + 1, n)) for i in range(n)]
    return ipat.fmap(lambda i: pats[int(i)]._repeat_cycles(n)._fast(n)).inner_join()


def _shuffle(n: Any, pat: Pattern) -> Pattern:
    """Play the ``n`` slices of each cycle in a random order (each exactly once)."""
    from livestudio.patterns.signals import randrun

    k = int(n)
    if k <= 0:
        return silence
    return _rearrange_with(randrun(k), k, pat)


def _scramble(n: Any, pat: Pattern) -> Pattern:
    """Play ``n`` randomly chosen slices of each cycle (repeats possible)."""
    from livestudio.patterns.signals import _irand

    k = int(n)
    if k <= 0:
        return silence
    return _rearrange_with(_irand(k)._segment(k), k, pat)


shuffle = register("shuffle", _shuffle)
scramble = register("scramble", _scramble)

__all__ = [
    "time_to_rand", "time_to_rands", "xorwise", "seeded_rand", "degrade_by", "undegrade_by",
    "degrade", "undegrade", "sometimes_by", "sometimes", "often", "rarely", "almost_never",
    "almost_always", "never", "always", "some_cycles_by", "some_cycles", "choose",
    "choose_with", "choose_in_with", "choose_cycles", "randcat", "choose_by_cycle_seeded",
    "wchoose", "wchoose_with", "wchoose_cycles", "wrandcat", "shuffle", "scramble",
]

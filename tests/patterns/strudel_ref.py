"""A small, independent re-statement of Strudel 1.2.x pattern semantics, used only by
the review tests as an oracle for random compositions.

Written from Strudel's definitions (pattern.mjs / signal.mjs), not from livestudio's
code: exact ``fractions.Fraction`` times, JavaScript remainder where Strudel uses
``%``, ``register``-style patterned arguments (all-pure arguments apply directly,
otherwise ``left.fmap(f).appLeft(...).innerJoin()``).
"""

from __future__ import annotations

import math
from fractions import Fraction as F
from typing import Any, Callable

_SPAN = 536870912


# ------------------------------------------------------------------ time
def sam(t: F) -> F:
    return F(math.floor(t))


class Span:
    __slots__ = ("b", "e")

    def __init__(self, b: Any, e: Any) -> None:
        self.b = F(b)
        self.e = F(e)

    def cycles(self) -> list["Span"]:
        if self.b == self.e:
            return [Span(self.b, self.e)]
        out = []
        b = self.b
        esam = sam(self.e)
        while self.e > b:
            if sam(b) == esam:
                out.append(Span(b, self.e))
                break
            nb = sam(b) + 1
            out.append(Span(b, nb))
            b = nb
        return out

    def with_time(self, f: Callable[[F], F]) -> "Span":
        return Span(f(self.b), f(self.e))

    def with_cycle(self, f: Callable[[F], F]) -> "Span":
        s = sam(self.b)
        return Span(s + f(self.b - s), s + f(self.e - s))

    def isect(self, o: "Span") -> "Span | None":
        b = max(self.b, o.b)
        e = min(self.e, o.e)
        if b > e:
            return None
        if b == e:
            if b == self.e and self.b < self.e:
                return None
            if b == o.e and o.b < o.e:
                return None
        return Span(b, e)

    def key(self) -> tuple:
        return (self.b, self.e)


class Hap:
    __slots__ = ("whole", "part", "value")

    def __init__(self, whole: Span | None, part: Span, value: Any) -> None:
        self.whole = whole
        self.part = part
        self.value = value

    def wop(self) -> Span:
        return self.whole if self.whole is not None else self.part


# ------------------------------------------------------------------ pattern
class P:
    def __init__(self, query: Callable[[Span], list[Hap]]) -> None:
        self.query = query
        self.pure_value: Any = _NOPE

    def q(self, b: Any, e: Any) -> list[Hap]:
        return self.query(Span(b, e))

    def split(self) -> "P":
        return P(lambda s: [h for c in s.cycles() for h in self.query(c)])

    def wqs(self, f: Callable[[Span], Span]) -> "P":
        return P(lambda s: self.query(f(s)))

    def wqt(self, f: Callable[[F], F]) -> "P":
        return self.wqs(lambda s: s.with_time(f))

    def whs(self, f: Callable[[Span], Span]) -> "P":
        return P(lambda s: [Hap(None if h.whole is None else f(h.whole), f(h.part), h.value)
                            for h in self.query(s)])

    def wht(self, f: Callable[[F], F]) -> "P":
        return self.whs(lambda s: s.with_time(f))

    def fmap(self, f: Callable[[Any], Any]) -> "P":
        return P(lambda s: [Hap(h.whole, h.part, f(h.value)) for h in self.query(s)])

    def filter_values(self, f: Callable[[Any], bool]) -> "P":
        return P(lambda s: [h for h in self.query(s) if f(h.value)])

    def app_left(self, other: "P") -> "P":
        def q(s: Span) -> list[Hap]:
            out = []
            for hf in self.query(s):
                for hv in other.query(hf.wop()):
                    p = hf.part.isect(hv.part)
                    if p is not None:
                        out.append(Hap(hf.whole, p, hf.value(hv.value)))
            return out
        return P(q)

    def app_right(self, other: "P") -> "P":
        def q(s: Span) -> list[Hap]:
            out = []
            for hv in other.query(s):
                for hf in self.query(hv.wop()):
                    p = hf.part.isect(hv.part)
                    if p is not None:
                        out.append(Hap(hv.whole, p, hf.value(hv.value)))
            return out
        return P(q)

    def bind_whole(self, choose: Callable, f: Callable[[Any], "P"]) -> "P":
        def q(s: Span) -> list[Hap]:
            out = []
            for a in self.query(s):
                for b in f(a.value).query(a.part):
                    out.append(Hap(choose(a.whole, b.whole), b.part, b.value))
            return out
        return P(q)

    def inner_join(self) -> "P":
        return self.bind_whole(lambda a, b: b, lambda x: x)

    def outer_join(self) -> "P":
        return self.bind_whole(lambda a, b: a, lambda x: x)

    def squeeze_join(self) -> "P":
        def q(s: Span) -> list[Hap]:
            out = []
            for o in self.query(s):
                if o.whole is None:
                    continue
                inner = focus(o.value, o.whole.b, o.whole.e)
                for i in inner.query(o.part):
                    whole = None
                    if i.whole is not None:
                        whole = i.whole.isect(o.whole)
                        if whole is None:
                            continue
                    p = i.part.isect(o.part)
                    if p is None:
                        continue
                    out.append(Hap(whole, p, i.value))
            return out
        return P(q)


class _Nope:
    pass


_NOPE = _Nope()


def pure(v: Any) -> P:
    p = P(lambda s: [Hap(Span(sam(c.b), sam(c.b) + 1), c, v) for c in s.cycles()])
    p.pure_value = v
    return p


silence = P(lambda s: [])


def reify(x: Any) -> P:
    return x if isinstance(x, P) else pure(x)


def stack(*ps: Any) -> P:
    ps = [reify(p) for p in ps]
    return P(lambda s: [h for p in ps for h in p.query(s)])


def slowcat(*ps: Any) -> P:
    ps = [reify(p) for p in ps]
    if len(ps) == 1:
        return ps[0]

    def q(s: Span) -> list[Hap]:
        n = len(ps)
        cyc = int(sam(s.b))
        p = ps[cyc % n]
        off = F(math.floor(s.b)) - F(math.floor(s.b / n))
        return [Hap(None if h.whole is None else h.whole.with_time(lambda t: t + off),
                    h.part.with_time(lambda t: t + off), h.value)
                for h in p.query(s.with_time(lambda t: t - off))]
    return P(q).split()


def fastcat(*ps: Any) -> P:
    r = slowcat(*ps)
    if len(ps) > 1:
        r = fast_(r, len(ps))
    return r


def slowcat_prime(ps: list[P]) -> P:
    def q(s: Span) -> list[Hap]:
        i = int(math.fmod(math.floor(s.b), len(ps)))
        if i < 0:
            return []
        return ps[i].query(s)
    return P(q).split()


# ------------------------------------------------------------------ register
def patterned(fn: Callable[..., P], args: list[Any], pat: P) -> P:
    rargs = [reify(a) for a in args]
    if all(a.pure_value is not _NOPE for a in rargs):
        return fn(*[a.pure_value for a in rargs], pat)
    n = len(rargs)

    def curry(vals: tuple) -> Any:
        if len(vals) == n:
            return fn(*vals, pat)
        return lambda v: curry(vals + (v,))

    acc = rargs[0].fmap(lambda v: curry((v,)))
    for a in rargs[1:]:
        acc = acc.app_left(a)
    return acc.inner_join()


def to_f(x: Any) -> F:
    if isinstance(x, float):
        return F(x).limit_denominator(10_000_000)
    return F(x)


# ------------------------------------------------------------------ time functions
def fast_(pat: P, f: Any) -> P:
    if f == 0:
        return silence
    f = to_f(f)
    return pat.wqt(lambda t: t * f).wht(lambda t: t / f)


def slow_(pat: P, f: Any) -> P:
    if f == 0:
        return silence
    return fast_(pat, 1 / to_f(f))


def early_(pat: P, o: Any) -> P:
    o = to_f(o)
    return pat.wqt(lambda t: t + o).wht(lambda t: t - o)


def late_(pat: P, o: Any) -> P:
    return early_(pat, -to_f(o))


def fast(pat: P, x: Any) -> P:
    return patterned(lambda f, p: fast_(p, f), [x], pat)


def slow(pat: P, x: Any) -> P:
    return patterned(lambda f, p: slow_(p, f), [x], pat)


def early(pat: P, x: Any) -> P:
    return patterned(lambda o, p: early_(p, o), [x], pat)


def late(pat: P, x: Any) -> P:
    return patterned(lambda o, p: late_(p, o), [x], pat)


def rev(pat: P) -> P:
    def q(s: Span) -> list[Hap]:
        c = sam(s.b)
        nc = c + 1

        def refl(x: Span) -> Span:
            return Span(c + (nc - x.e), c + (nc - x.b))
        return [Hap(None if h.whole is None else refl(h.whole), refl(h.part), h.value)
                for h in pat.query(refl(s))]
    return P(q).split()


def focus(pat: P, b: F, e: F) -> P:
    return late_(fast_(early_(pat, sam(b)), 1 / (e - b)), b)


def zoom(pat: P, s: Any, e: Any) -> P:
    s, e = to_f(s), to_f(e)
    if s >= e:
        return silence
    d = e - s
    return pat.wqs(lambda sp: sp.with_cycle(lambda t: t * d + s)) \
        .whs(lambda sp: sp.with_cycle(lambda t: (t - s) / d)).split()


def repeat_cycles(pat: P, n: Any) -> P:
    n = to_f(n)

    def q(s: Span) -> list[Hap]:
        cyc = sam(s.b)
        src = sam(cyc / n)
        d = cyc - src
        return [Hap(None if h.whole is None else h.whole.with_time(lambda t: t + d),
                    h.part.with_time(lambda t: t + d), h.value)
                for h in pat.query(s.with_time(lambda t: t - d))]
    return P(q).split()


# ------------------------------------------------------------------ values
def js_truthy(x: Any) -> bool:
    if x is None or x is False:
        return False
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x == x and x != 0
    if isinstance(x, str):
        return x != ""
    return True


def compose(a: Any, b: Any, f: Callable[[Any, Any], Any]) -> Any:
    if isinstance(a, dict) or isinstance(b, dict):
        if not isinstance(a, dict):
            a = {"value": a}
        if not isinstance(b, dict):
            b = {"value": b}
        if "value" in b and len(b) == 1:
            return a
        out = {**a, **b}
        for k in a:
            if k in b:
                out[k] = f(a[k], b[k])
        return out
    return f(a, b)


def op_in(pat: P, other: Any, f: Callable[[Any, Any], Any]) -> P:
    return pat.fmap(lambda a: lambda b: compose(a, b, f)).app_left(reify(other))


def add(pat: P, x: Any) -> P:
    return op_in(pat, x, lambda a, b: a + b)


def mul(pat: P, x: Any) -> P:
    return op_in(pat, x, lambda a, b: a * b)


def sub(pat: P, x: Any) -> P:
    return op_in(pat, x, lambda a, b: a - b)


def struct(pat: P, bools: Any) -> P:
    return pat.fmap(lambda a: lambda b: a if js_truthy(b) else None) \
        .app_right(reify(bools)).filter_values(lambda v: v is not None)


def mask(pat: P, bools: Any) -> P:
    return pat.fmap(lambda a: lambda b: a if js_truthy(b) else None) \
        .app_left(reify(bools)).filter_values(lambda v: v is not None)


# ------------------------------------------------------------------ transformations
def segment(pat: P, x: Any) -> P:
    return patterned(lambda r, p: struct(p, fast_(pure(True), r)), [x], pat)


def ply(pat: P, x: Any) -> P:
    return patterned(lambda f, p: p.fmap(lambda v: fast_(pure(v), f)).squeeze_join(), [x], pat)


def linger(pat: P, x: Any) -> P:
    def f(t: Any, p: P) -> P:
        if t == 0:
            return silence
        assert t > 0
        return slow_(zoom(p, 0, t), t)
    return patterned(f, [x], pat)


def inside(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    return patterned(lambda k, f, p: fast_(f(slow_(p, k)), k), [x, fn], pat)


def outside(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    return patterned(lambda k, f, p: slow_(f(fast_(p, k)), k), [x, fn], pat)


def first_of(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    return patterned(lambda k, f, p: slowcat_prime([f(p)] + [p] * (int(k) - 1)), [x, fn], pat)


def last_of(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    return patterned(lambda k, f, p: slowcat_prime([p] * (int(k) - 1) + [f(p)]), [x, fn], pat)


def when(pat: P, on: Any, fn: Callable[[P], P]) -> P:
    return patterned(lambda o, f, p: f(p) if js_truthy(o) else p, [on, fn], pat)


def off(pat: P, t: Any, fn: Callable[[P], P]) -> P:
    return patterned(lambda tt, f, p: stack(p, f(late(p, tt))), [t, fn], pat)


def brak(pat: P) -> P:
    return when(pat, slowcat(False, True), lambda x: late_(fastcat(x, silence), F(1, 4)))


def _iter(pat: P, k: Any, back: bool) -> P:
    k = to_f(k)
    return slowcat(*[late(pat, F(i) / k) if back else early(pat, F(i) / k)
                     for i in range(int(k))])


def iter_(pat: P, x: Any) -> P:
    return patterned(lambda k, p: _iter(p, k, False), [x], pat)


def palindrome(pat: P) -> P:
    return last_of(pat, 2, rev)


def chunk(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    def f(k: Any, func: Callable[[P], P], p: P) -> P:
        k = int(k)
        binary = _iter(fastcat(*([True] + [False] * (k - 1))), k, True)
        return when(repeat_cycles(p, k), binary, func)
    return patterned(f, [x, fn], pat)


def swing_by(pat: P, x: Any, nn: Any) -> P:
    return patterned(lambda sw, k, p: inside(p, k, lambda q: late(q, fastcat(0, sw / 2))),
                     [x, nn], pat)


def hurry(pat: P, x: Any) -> P:
    return patterned(lambda r, p: mul(fast_(p, r), pure({"speed": r})), [x], pat)


def jux(pat: P, fn: Callable[[P], P]) -> P:
    def left(v: dict) -> dict:
        return {**v, "pan": v.get("pan", 0.5) - 0.5}

    def right(v: dict) -> dict:
        return {**v, "pan": v.get("pan", 0.5) + 0.5}
    return stack(pat.fmap(left), fn(pat.fmap(right)))


def layer(pat: P, *fns: Callable[[P], P]) -> P:
    return stack(*[f(pat) for f in fns])


def superimpose(pat: P, *fns: Callable[[P], P]) -> P:
    return stack(pat, *[f(pat) for f in fns])


def bjorklund(k: int, n: int) -> list[bool]:
    i, j = k, n - k
    x = [[True]] * i
    y = [[False]] * j
    while min(i, j) > 1:
        if i > j:
            x, y = [a + b for a, b in zip(x[:j], y)], x[j:]
            i, j = j, i - j
        else:
            x, y = [a + b for a, b in zip(x, y[:i])], y[i:]
            i, j = i, j - i
    return [v for g in x for v in g] + [v for g in y for v in g]


def euclid_rot(pat: P, k: Any, nn: Any, r: Any) -> P:
    def f(kk: Any, n_: Any, rr: Any, p: P) -> P:
        b = bjorklund(int(kk), int(n_))
        rr = int(rr)
        if rr:
            m = -rr % len(b)
            b = b[m:] + b[:m]
        return struct(p, fastcat(*b))
    return patterned(f, [k, nn, r], pat)


def euclid(pat: P, k: Any, nn: Any) -> P:
    return euclid_rot(pat, k, nn, 0)


# ------------------------------------------------------------------ signals & randomness
def signal(f: Callable[[F], Any]) -> P:
    return P(lambda s: [Hap(None, s, f(s.b))])


def _i32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x


def _xs(x: int) -> int:
    a = _i32(_i32(x << 13) ^ x)
    b = _i32((a >> 17) ^ a)
    return _i32(_i32(b << 5) ^ b)


def _seed(t: float) -> int:
    x = t / 300
    return _xs(math.trunc((x - math.trunc(x)) * _SPAN))


def time_to_rand(t: Any) -> float:
    return abs(math.fmod(_seed(float(t)), _SPAN) / _SPAN)


def time_to_rands(t: Any, n: int) -> list[float]:
    s = _seed(float(t))
    out = []
    for _ in range(n):
        out.append(math.fmod(s, _SPAN) / _SPAN)
        s = _xs(s)
    return out


saw = signal(lambda t: math.fmod(float(t), 1))
sine = signal(lambda t: (math.sin(math.pi * 2 * float(t)) + 1) / 2)
rand = signal(time_to_rand)


def irand(n: Any) -> P:
    return reify(n).fmap(lambda k: rand.fmap(lambda r: math.trunc(r * k))).inner_join()


def range_(pat: P, lo: Any, hi: Any) -> P:
    return patterned(lambda a, b, p: add(mul(p, b - a), a), [lo, hi], pat)


def round_(pat: P) -> P:
    return pat.fmap(lambda v: math.floor(v + 0.5))


def run(n: Any) -> P:
    return segment(round_(range_(saw, 0, n)), n)


def degrade_by_with(pat: P, with_pat: P, x: Any) -> P:
    return pat.fmap(lambda a: lambda _: a).app_left(with_pat.filter_values(lambda v: v > x))


def degrade_by(pat: P, x: Any) -> P:
    return patterned(lambda xx, p: degrade_by_with(p, rand, xx), [x], pat)


def undegrade_by_(pat: P, x: Any) -> P:
    return degrade_by_with(pat, rand.fmap(lambda r: 1 - r), x)


def sometimes_by(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    def f(xx: Any, func: Callable[[P], P], p: P) -> P:
        return reify(xx).fmap(lambda v: stack(degrade_by_with(p, rand, v),
                                              func(undegrade_by_(p, 1 - v)))).inner_join()
    return patterned(f, [x, fn], pat)


def some_cycles_by(pat: P, x: Any, fn: Callable[[P], P]) -> P:
    def f(xx: Any, func: Callable[[P], P], p: P) -> P:
        seg1 = segment(rand, 1)
        seg1i = segment(rand.fmap(lambda r: 1 - r), 1)
        return reify(xx).fmap(lambda v: stack(degrade_by_with(p, seg1, v),
                                              func(degrade_by_with(p, seg1i, 1 - v)))).inner_join()
    return patterned(f, [x, fn], pat)


def randrun(n: int) -> P:
    def f(t: F) -> int:
        rs = time_to_rands(sam(t) + F(1, 2), n)
        nums = [i for _, i in sorted(zip(rs, range(n)), key=lambda p: p[0])]
        return nums[math.floor((t - sam(t)) * n) % n]
    return segment(signal(f), n)


def _rearrange(ipat: P, n: int, pat: P) -> P:
    pats = [zoom(pat, F(i, n), F(i + 1, n)) for i in range(n)]
    return ipat.fmap(lambda i: fast_(repeat_cycles(pats[i], n), n)).inner_join()


def shuffle(pat: P, x: Any) -> P:
    return patterned(lambda k, p: _rearrange(randrun(int(k)), int(k), p), [x], pat)


def scramble(pat: P, x: Any) -> P:
    return patterned(lambda k, p: _rearrange(
        segment(rand.fmap(lambda r: math.trunc(r * int(k))), int(k)), int(k), p), [x], pat)

"""Pass 2 voice by voice, for rows where only a few lanes sound (``voices.FEW_LANES``).

Each sounding voice runs its rows with its state in registers: the envelope (closed
form in the age, vectorized), then its table read or pass-1 source, then its low-pass,
times the envelope; then it adds its rows to its own bus's outputs (float64, slot
order). The low-pass is a chain of dependent steps per frame, so one voice alone
waits on it: sounding voices go in groups of up to ``GROUP`` (in slot order, the same
rows) whose low-passes run interleaved, each voice with exactly the operations it
would have alone. The method depends on the row's lane count only, so a row is always
rendered the same way.
"""

from __future__ import annotations

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.jit import kernel

GROUP = 4  # voices whose low-passes run interleaved (scratch: 2 rows each)


@kernel
def pass2_voices(a: np.ndarray, ly: np.ndarray, p: np.ndarray, tt0: int, t0: int, t1: int,
                 hi: int) -> None:
    """Pass 2 of the sounding voices below slot ``hi`` on rows ``t0 .. t1`` (row ``t0``
    is ``tt0`` frames into the sub-range), in groups of up to ``GROUP`` voices that
    sound on the same rows."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    hot = ly[L.LY_HOT]
    count = 0
    v0 = v1 = v2 = v3 = 0
    end = t0  # the rows the group's voices sound on end here
    for v in range(hi):
        if a[vb + L.V_ACTIVE * mv + v] == 0.0:
            continue
        age = int(p[hot + L.H_N0 * mv + v]) + tt0
        tl = t0 + min(t1 - t0, max(int(a[vb + L.V_END * mv + v]) - age, 0))
        if tl <= t0:
            continue  # ended: it would add exact zeros
        if count > 0 and tl != end:
            group_rows(a, ly, p, tt0, t0, end, count, v0, v1, v2, v3)
            count = 0
        end = tl
        if count == 0:
            v0 = v
        elif count == 1:
            v1 = v
        elif count == 2:
            v2 = v
        else:
            v3 = v
        count += 1
        if count == GROUP:
            group_rows(a, ly, p, tt0, t0, end, count, v0, v1, v2, v3)
            count = 0
    if count > 0:
        group_rows(a, ly, p, tt0, t0, end, count, v0, v1, v2, v3)


@kernel
def group_rows(a: np.ndarray, ly: np.ndarray, p: np.ndarray, tt0: int, t0: int, t1: int,
               count: int, v0: int, v1: int, v2: int, v3: int) -> None:
    """Voices ``v0 ..`` (``count`` of them, slot order) on rows ``t0 .. t1``: each one's
    input rows, the low-passes of those that filter interleaved, then the bus sums.
    Voice ``k`` works in scratch rows ``2k`` (signal) and ``2k + 1`` (envelope)."""
    mv = ly[L.LY_MV]
    ch = ly[L.LY_CH]
    hot = ly[L.LY_HOT]
    scr = ly[L.LY_SCRATCH]
    n = t1 - t0
    nf = 0  # voices that still need their low-pass, as scratch slots
    f0 = f1 = f2 = f3 = 0
    for k in range(count):
        v = v0 if k == 0 else (v1 if k == 1 else (v2 if k == 2 else v3))
        if voice_input(a, ly, p, v, tt0, t0, t1, scr + 2 * k * ch):
            if nf == 0:
                f0 = k
            elif nf == 1:
                f1 = k
            elif nf == 2:
                f2 = k
            else:
                f3 = k
            nf += 1
    if nf == 1:
        lowpass_rows(p, hot + (v0 if f0 == 0 else (v1 if f0 == 1 else (v2 if f0 == 2 else v3))),
                     mv, n, a[scr + (2 * f0 + 1) * ch + t0: scr + (2 * f0 + 1) * ch + t1],
                     a[scr + 2 * f0 * ch + t0: scr + 2 * f0 * ch + t1])
    elif nf > 1:
        # a group of 2 or 3 repeats its last voice: the same operations on the same
        # values, written twice (every lane loads before it stores)
        if nf < 3:
            f2 = f1
        if nf < 4:
            f3 = f2
        h0 = hot + slot_voice(f0, v0, v1, v2, v3)
        h1 = hot + slot_voice(f1, v0, v1, v2, v3)
        h2 = hot + slot_voice(f2, v0, v1, v2, v3)
        h3 = hot + slot_voice(f3, v0, v1, v2, v3)
        lowpass_rows4(p, h0, h1, h2, h3, mv,
                      a[scr + 2 * f0 * ch + t0: scr + 2 * f0 * ch + t1],
                      a[scr + 2 * f1 * ch + t0: scr + 2 * f1 * ch + t1],
                      a[scr + 2 * f2 * ch + t0: scr + 2 * f2 * ch + t1],
                      a[scr + 2 * f3 * ch + t0: scr + 2 * f3 * ch + t1],
                      a[scr + (2 * f0 + 1) * ch + t0: scr + (2 * f0 + 1) * ch + t1],
                      a[scr + (2 * f1 + 1) * ch + t0: scr + (2 * f1 + 1) * ch + t1],
                      a[scr + (2 * f2 + 1) * ch + t0: scr + (2 * f2 + 1) * ch + t1],
                      a[scr + (2 * f3 + 1) * ch + t0: scr + (2 * f3 + 1) * ch + t1])
    for k in range(count):
        v = slot_voice(k, v0, v1, v2, v3)
        add_to_bus(a, ly, v, a[scr + 2 * k * ch + t0: scr + 2 * k * ch + t1], t0, t1)


@kernel
def slot_voice(k: int, v0: int, v1: int, v2: int, v3: int) -> int:
    """The voice in group slot ``k``."""
    return v0 if k == 0 else (v1 if k == 1 else (v2 if k == 2 else v3))


@kernel
def add_to_bus(a: np.ndarray, ly: np.ndarray, v: int, x: np.ndarray, t0: int, t1: int) -> None:
    """Voice ``v``'s output rows ``x`` (rows ``t0 .. t1``) times its gains into its bus's
    six inputs (only the outputs it sends to)."""
    mv = ly[L.LY_MV]
    ch = ly[L.LY_CH]
    vb = ly[L.LY_VOICES]
    b = int(a[vb + L.V_BUS * mv + v])
    a[ly[L.LY_BUSST] + b * L.BUS_FIELDS + L.B_TOUCHED] = 1.0
    g = ly[L.LY_GAINS] + b * 6 * mv + v
    out = ly[L.LY_BUSBUF] + b * 6 * ch
    for k in range(0, 6, 2):
        gl = a[g + k * mv]
        gr = a[g + (k + 1) * mv]
        if gl != 0.0 or gr != 0.0:
            add_scaled(x, gl, gr, a[out + k * ch + t0: out + k * ch + t1],
                       a[out + (k + 1) * ch + t0: out + (k + 1) * ch + t1])


@kernel
def add_scaled(x: np.ndarray, gl: float, gr: float, out_l: np.ndarray, out_r: np.ndarray) -> None:
    """``out_l += x * gl`` and ``out_r += x * gr``."""
    for j in range(x.size):
        out_l[j] += x[j] * gl
        out_r[j] += x[j] * gr


@kernel
def voice_input(a: np.ndarray, ly: np.ndarray, p: np.ndarray, v: int, tt0: int, t0: int,
                t1: int, dst: int) -> bool:
    """Voice ``v``'s envelope into ``a[dst + ch + t]`` and its signal into ``a[dst + t]``
    (rows ``t0 .. t1``). Returns True when the signal still needs the low-pass (and the
    envelope); otherwise ``a[dst + t]`` is the voice's output already: pass-1 sources
    skip the (silent) table read, and without low-pass also the filter."""
    mv = ly[L.LY_MV]
    ch = ly[L.LY_CH]
    src = ly[L.LY_SRC]
    h = ly[L.LY_HOT] + v
    one = np.float32(1.0)
    zero = np.float32(0.0)
    n = t1 - t0
    env = a[dst + ch + t0: dst + ch + t1]
    envelope_rows(p, h, mv, tt0, n, env)
    out = a[dst + t0: dst + t1]
    m0 = p[h + L.H_M0 * mv]
    m2 = p[h + L.H_M2 * mv]
    plain = m2 == zero and m0 == one  # no low-pass
    if p[h + L.H_TAB * mv] != np.float32(ly[L.LY_TAB_ZERO]):
        table_rows(p, h, mv, ly[L.LY_TAB_N], n, out)
        if plain:
            for j in range(n):
                out[j] = float(np.float32(out[j]) * np.float32(env[j]))
            return False
        return True
    if plain:
        # a pass-1 source without low-pass (drums, samples, noise...): source times
        # envelope; a non-finite source poisons the filter state, which voices_finish
        # checks, as the low-pass would have
        bad = zero
        for j in range(n):
            xv = np.float32(a[src + (t0 + j) * mv + v])
            out[j] = float(xv * np.float32(env[j]))
            bad += xv * zero
        if bad != zero:
            p[h + L.H_IC1 * mv] = bad
        return False
    col = src + t0 * mv + v
    for j in range(n):
        out[j] = float(np.float32(a[col + j * mv]))
    return True


@kernel
def envelope_rows(p: np.ndarray, h: int, mv: int, tt0: int, n: int, env: np.ndarray) -> None:
    """``env[j]``: the ADSR of the lane at ``p[h + field * mv]`` for the row ``tt0 + j``
    frames into the sub-range (float32 steps, as pass 2)."""
    one = np.float32(1.0)
    zero = np.float32(0.0)
    eu = p[h + L.H_U * mv]
    eam1 = p[h + L.H_AM1 * mv]
    eidc = p[h + L.H_IDC * mv]
    esd = p[h + L.H_SD * mv]
    es = p[h + L.H_S * mv]
    eg = p[h + L.H_G * mv]
    egm1 = p[h + L.H_GM1 * mv]
    elg = p[h + L.H_LG * mv]
    elgir = p[h + L.H_LGIR * mv]
    n0 = p[h + L.H_N0 * mv]
    for j in range(n):
        age = n0 + np.float32(tt0 + j)
        up = min((age + one) * eu, one)
        dn = max(one - esd * ((age - eam1) * eidc), es)
        rl = max(elg - elgir * (age - egm1), zero)
        env[j] = float(min(up, dn) if age < eg else rl)


@kernel
def table_rows(p: np.ndarray, h: int, mv: int, nt: int, n: int, out: np.ndarray) -> None:
    """A wavetable lane's phase and table read (linear interpolation) into ``out``; its
    pass-1 source is silent."""
    fn = np.float32(nt)
    one = np.float32(1.0)
    q = p[h + L.H_PH * mv]
    inc = p[h + L.H_INC * mv]
    tab = p[h + L.H_TAB * mv]
    for j in range(n):
        xi = q * fn
        base = np.floor(xi)
        k = np.uint64(tab + base)
        fr = xi - base
        q += inc
        if q >= one:
            q -= one
        y0 = p[k]
        out[j] = float(y0 + fr * (p[k + np.uint64(1)] - y0))
    p[h + L.H_PH * mv] = q


@kernel
def lowpass_rows(p: np.ndarray, h: int, mv: int, n: int, env: np.ndarray,
                 out: np.ndarray) -> None:
    """``out[j]`` (float32 values) through the lane's low-pass mix, times ``env``."""
    two = np.float32(2.0)
    s1 = p[h + L.H_IC1 * mv]
    s2 = p[h + L.H_IC2 * mv]
    c1 = p[h + L.H_C1 * mv]
    c2 = p[h + L.H_C2 * mv]
    c3 = p[h + L.H_C3 * mv]
    m0 = p[h + L.H_M0 * mv]
    m2 = p[h + L.H_M2 * mv]
    for j in range(n):
        xv = np.float32(out[j])
        v3 = xv - s2
        v1 = c1 * s1 + c2 * v3
        v2 = s2 + c2 * s1 + c3 * v3
        s1 = two * v1 - s1
        s2 = two * v2 - s2
        out[j] = float((m0 * xv + m2 * v2) * np.float32(env[j]))
    p[h + L.H_IC1 * mv] = s1
    p[h + L.H_IC2 * mv] = s2


@kernel
def lowpass_rows4(p: np.ndarray, h0: int, h1: int, h2: int, h3: int, mv: int,
                  o0: np.ndarray, o1: np.ndarray, o2: np.ndarray, o3: np.ndarray,
                  e0: np.ndarray, e1: np.ndarray, e2: np.ndarray, e3: np.ndarray) -> None:
    """``lowpass_rows`` of four lanes at once (four independent chains per row), each
    with exactly its own operations. Lanes may repeat (the same lane, rows and values):
    every row is loaded before any is stored."""
    two = np.float32(2.0)
    a1 = p[h0 + L.H_IC1 * mv]
    a2 = p[h0 + L.H_IC2 * mv]
    b1 = p[h1 + L.H_IC1 * mv]
    b2 = p[h1 + L.H_IC2 * mv]
    c1 = p[h2 + L.H_IC1 * mv]
    c2 = p[h2 + L.H_IC2 * mv]
    d1 = p[h3 + L.H_IC1 * mv]
    d2 = p[h3 + L.H_IC2 * mv]
    ka1, ka2, ka3, ma0, ma2 = lane_coefs(p, h0, mv)
    kb1, kb2, kb3, mb0, mb2 = lane_coefs(p, h1, mv)
    kc1, kc2, kc3, mc0, mc2 = lane_coefs(p, h2, mv)
    kd1, kd2, kd3, md0, md2 = lane_coefs(p, h3, mv)
    for j in range(o0.size):
        xa = np.float32(o0[j])
        xb = np.float32(o1[j])
        xc = np.float32(o2[j])
        xd = np.float32(o3[j])
        ea = np.float32(e0[j])
        eb = np.float32(e1[j])
        ec = np.float32(e2[j])
        ed = np.float32(e3[j])
        va3 = xa - a2
        va1 = ka1 * a1 + ka2 * va3
        va2 = a2 + ka2 * a1 + ka3 * va3
        a1 = two * va1 - a1
        a2 = two * va2 - a2
        vb3 = xb - b2
        vb1 = kb1 * b1 + kb2 * vb3
        vb2 = b2 + kb2 * b1 + kb3 * vb3
        b1 = two * vb1 - b1
        b2 = two * vb2 - b2
        vc3 = xc - c2
        vc1 = kc1 * c1 + kc2 * vc3
        vc2 = c2 + kc2 * c1 + kc3 * vc3
        c1 = two * vc1 - c1
        c2 = two * vc2 - c2
        vd3 = xd - d2
        vd1 = kd1 * d1 + kd2 * vd3
        vd2 = d2 + kd2 * d1 + kd3 * vd3
        d1 = two * vd1 - d1
        d2 = two * vd2 - d2
        o0[j] = float((ma0 * xa + ma2 * va2) * ea)
        o1[j] = float((mb0 * xb + mb2 * vb2) * eb)
        o2[j] = float((mc0 * xc + mc2 * vc2) * ec)
        o3[j] = float((md0 * xd + md2 * vd2) * ed)
    p[h0 + L.H_IC1 * mv] = a1
    p[h0 + L.H_IC2 * mv] = a2
    p[h1 + L.H_IC1 * mv] = b1
    p[h1 + L.H_IC2 * mv] = b2
    p[h2 + L.H_IC1 * mv] = c1
    p[h2 + L.H_IC2 * mv] = c2
    p[h3 + L.H_IC1 * mv] = d1
    p[h3 + L.H_IC2 * mv] = d2


@kernel
def lane_coefs(p: np.ndarray, h: int, mv: int
               ) -> tuple[np.float32, np.float32, np.float32, np.float32, np.float32]:
    """The lane's low-pass coefficients and mix: (c1, c2, c3, m0, m2)."""
    return (p[h + L.H_C1 * mv], p[h + L.H_C2 * mv], p[h + L.H_C3 * mv],
            p[h + L.H_M0 * mv], p[h + L.H_M2 * mv])

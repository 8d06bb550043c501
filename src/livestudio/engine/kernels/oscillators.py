"""Oscillators: band-limited wavetables (sine, triangle, saw, pulse, supersaw), FM, noise.

Phases are closed-form in the voice's age (``phase0 + inc * age``, wrapped), so a
note renders bit-identically whatever the block boundaries are.
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.envelope import adsr_level, gate_level, inverse
from livestudio.engine.kernels.jit import kernel


@kernel
def table_level(a: np.ndarray, ly: np.ndarray, freq: float) -> int:
    """First mip level whose highest harmonic stays below Nyquist at ``freq``."""
    nyq = 0.5 * ly[L.LY_SR]
    h = ly[L.LY_TAB_HARM]
    levels = ly[L.LY_TAB_LEVELS]
    for level in range(levels):
        if a[h + level] * freq <= nyq:
            return level
    return levels - 1


@kernel
def table_offset(a: np.ndarray, ly: np.ndarray, kind: int, freq: float) -> int:
    """Pool offset of the table of waveform ``kind`` (``LY_TAB_SAW``/``TRI``) for ``freq``."""
    return ly[kind] + table_level(a, ly, freq) * (ly[L.LY_TAB_N] + 1)


@kernel
def osc_table(p: np.ndarray, tab: int, nt: int, ph0: float, inc: float, a: np.ndarray,
              off: int, stride: int, t0: int, t1: int, age0: int) -> None:
    """Wavetable read (linear interpolation) into ``a[off + t * stride]``."""
    fn = float(nt)
    for t in range(t0, t1):
        ph = ph0 + inc * (age0 + (t - t0))
        ph -= np.floor(ph)
        x = ph * fn
        i = min(int(x), nt - 1)
        fr = x - i
        y0 = p[tab + i]
        a[off + t * stride] = y0 + fr * (p[tab + i + 1] - y0)


@kernel
def osc_pulse(p: np.ndarray, tab: int, nt: int, ph0: float, inc: float, pw: float,
              a: np.ndarray, off: int, stride: int, t0: int, t1: int, age0: int) -> None:
    """Pulse of width ``pw`` as the difference of two band-limited saws."""
    fn = float(nt)
    for t in range(t0, t1):
        ph = ph0 + inc * (age0 + (t - t0))
        ph -= np.floor(ph)
        x = ph * fn
        i = min(int(x), nt - 1)
        fr = x - i
        y0 = p[tab + i]
        s1 = y0 + fr * (p[tab + i + 1] - y0)
        ph2 = ph + pw
        ph2 -= np.floor(ph2)
        x2 = ph2 * fn
        i2 = min(int(x2), nt - 1)
        fr2 = x2 - i2
        z0 = p[tab + i2]
        s2 = z0 + fr2 * (p[tab + i2 + 1] - z0)
        a[off + t * stride] = s1 - s2


@kernel
def osc_supersaw(a: np.ndarray, p: np.ndarray, nt: int, aux: int, mv: int, count: int,
                 off: int, stride: int, t0: int, t1: int, age0: int, scr: int) -> None:
    """Sum of ``count`` detuned saws; phase, increment and table of saw j in aux slots.

    Phases are 32-bit fixed point, closed form in the age (``phase0 + inc * age``
    modulo 2**32, exact in integers whatever the block boundaries): the table index is
    the top bits, the interpolation fraction the rest. Saw by saw, each adds into
    scratch row 0 (per sample the same sum in the same order); then one copy to the
    destination. ``nt`` is a power of two.
    """
    n = t1 - t0
    acc = a[scr: scr + n]
    acc[:] = 0.0
    scale = 1.0 / math.sqrt(count)
    bits = 0
    while (1 << bits) < nt:
        bits += 1
    shift = np.uint64(32 - bits)
    mask = np.uint64((1 << (32 - bits)) - 1)
    wrap = np.uint64(0xFFFFFFFF)
    fscale = 1.0 / float(1 << (32 - bits))
    for j in range(count):
        p0 = np.uint64(a[aux + j * mv] * 4294967296.0)
        inc = np.uint64(a[aux + (9 + j) * mv] * 4294967296.0 + 0.5)
        q = (p0 + inc * np.uint64(age0)) & wrap
        tab = np.int64(a[aux + (18 + j) * mv])
        saw_add(p[tab: tab + nt + 1], q, inc, shift, mask, fscale, scale, acc)
    for t in range(n):
        a[off + (t0 + t) * stride] = acc[t]


@kernel
def saw_add(ys: np.ndarray, q: np.uint64, inc: np.uint64, shift: np.uint64, mask: np.uint64,
            fscale: float, scale: float, acc: np.ndarray) -> None:
    """``acc[t] += scale * table(phase)`` for the fixed-point phases ``q + inc * t``
    (modulo 2**32; linear interpolation in the table ``ys``)."""
    wrap = np.uint64(0xFFFFFFFF)
    for t in range(acc.size):
        ph = (q + inc * np.uint64(t)) & wrap
        i = np.int64(ph >> shift)
        fr = float(ph & mask) * fscale
        y0 = ys[i]
        acc[t] += scale * (y0 + fr * (ys[i + 1] - y0))


@kernel
def sine_lookup(p: np.ndarray, tab: int, nt: int, ph: float) -> float:
    """Sine of ``2 pi ph`` from the sine table."""
    ph -= np.floor(ph)
    x = ph * nt
    i = min(int(x), nt - 1)
    fr = x - i
    y0 = p[tab + i]
    return y0 + fr * (p[tab + i + 1] - y0)


@kernel
def osc_fm(p: np.ndarray, tab: int, nt: int, ph0: float, inc: float, ratio: float,
           index: float, fa: float, fd: float, fs: float, gate: float, fr: float,
           a: np.ndarray, off: int, stride: int, t0: int, t1: int, age0: int) -> None:
    """Two-operator phase modulation; the index follows its own ADSR."""
    inv2pi = 1.0 / (2.0 * math.pi)
    ia = inverse(fa)
    idc = inverse(fd)
    ir = inverse(fr)
    lg = gate_level(ia, fa, idc, fs, gate)
    for t in range(t0, t1):
        n = age0 + (t - t0)
        mod = sine_lookup(p, tab, nt, inc * ratio * n)
        env = adsr_level(float(n), ia, fa, idc, fs, gate, lg, ir)
        a[off + t * stride] = sine_lookup(p, tab, nt, ph0 + inc * n + index * env * mod * inv2pi)


@kernel
def lcg_next(state: int) -> int:
    """32-bit linear congruential step (exact in int64, stored exactly in float64)."""
    return (state * 1664525 + 1013904223) & 0xFFFFFFFF


@kernel
def osc_white(a: np.ndarray, rng_slot: int, off: int, stride: int, t0: int, t1: int) -> None:
    """Uniform white noise in [-1, 1)."""
    s = int(a[rng_slot])
    for t in range(t0, t1):
        s = lcg_next(s)
        a[off + t * stride] = s * (2.0 / 4294967296.0) - 1.0
    a[rng_slot] = float(s)


@kernel
def osc_pink(a: np.ndarray, rng_slot: int, aux: int, mv: int, off: int, stride: int,
             t0: int, t1: int) -> None:
    """Pink noise: white noise through Paul Kellet's refined -3 dB/octave filter."""
    s = int(a[rng_slot])
    b0 = a[aux]
    b1 = a[aux + mv]
    b2 = a[aux + 2 * mv]
    b3 = a[aux + 3 * mv]
    b4 = a[aux + 4 * mv]
    b5 = a[aux + 5 * mv]
    b6 = a[aux + 6 * mv]
    for t in range(t0, t1):
        s = lcg_next(s)
        w = s * (2.0 / 4294967296.0) - 1.0
        b0 = 0.99886 * b0 + w * 0.0555179
        b1 = 0.99332 * b1 + w * 0.0750759
        b2 = 0.96900 * b2 + w * 0.1538520
        b3 = 0.86650 * b3 + w * 0.3104856
        b4 = 0.55000 * b4 + w * 0.5329522
        b5 = -0.7616 * b5 - w * 0.0168980
        a[off + t * stride] = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362) * 0.11
        b6 = w * 0.115926
    a[rng_slot] = float(s)
    a[aux] = b0
    a[aux + mv] = b1
    a[aux + 2 * mv] = b2
    a[aux + 3 * mv] = b3
    a[aux + 4 * mv] = b4
    a[aux + 5 * mv] = b5
    a[aux + 6 * mv] = b6

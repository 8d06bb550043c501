"""Synthesized drum-machine voices (808/909 flavoured).

- ``bd``: sine with a fast downward pitch sweep (230 -> 50 Hz), saturated, plus a
  noise click; ``lt``/``mt``/``ht``: the same idea at tom pitches with a shorter sweep.
- ``sd``: two tuned sines (185/330 Hz) plus band-passed noise (4.5 kHz) with its own decay.
- ``hh``/``oh``: six square oscillators at the 808's metallic ratios through a
  band-pass (10 kHz) and a high-pass (7 kHz); ``oh`` decays ten times slower.
- ``cp``: band-passed noise (1.2 kHz) with four 9 ms-spaced bursts and a tail.
- ``rim``: two high sines (1.7 kHz / 460 Hz) with a very short decay and a click.

State lives in the voice's aux slots; ``rate`` (speed and note) scales every pitch.
Exponential decays are per-frame multipliers, so rendering is block-size invariant.
Sines and saturation use ``approx`` (errors below 1e-7, no library calls per sample).
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine.kernels.approx import sin2pi, tanh_fast
from livestudio.engine.kernels.filters import svf_coefs, svf_tick
from livestudio.engine.kernels.jit import kernel
from livestudio.engine.kernels.oscillators import lcg_next

NOISE_SCALE = 2.0 / 4294967296.0


@kernel
def _decay(tau: float, sr: float) -> float:
    return math.exp(-1.0 / (tau * sr))


@kernel
def drum_kick(a: np.ndarray, aux: int, mv: int, rng: int, sr: float, rate: float,
              f_lo: float, f_hi: float, tau_pitch: float, tau_amp: float, drive: float,
              noise_amt: float, off: int, stride: int, t0: int, t1: int) -> None:
    """Pitch-swept sine body (kick and toms) with a noise click."""
    ph = a[aux]
    pe = a[aux + mv]
    ae = a[aux + 2 * mv]
    ce = a[aux + 3 * mv]
    kp = _decay(tau_pitch, sr)
    ka = _decay(tau_amp, sr)
    kc = _decay(0.0015, sr)
    s = int(a[rng])
    norm = 1.0 / math.tanh(drive)
    for t in range(t0, t1):
        f = rate * (f_lo + (f_hi - f_lo) * pe)
        body = sin2pi(ph)
        s = lcg_next(s)
        noise = s * NOISE_SCALE - 1.0
        a[off + t * stride] = 0.85 * norm * tanh_fast(drive * body * ae) + noise_amt * noise * ce
        ph += f / sr
        ph -= np.floor(ph)
        pe *= kp
        ae *= ka
        ce *= kc
    a[aux] = ph
    a[aux + mv] = pe
    a[aux + 2 * mv] = ae
    a[aux + 3 * mv] = ce
    a[rng] = float(s)


@kernel
def drum_snare(a: np.ndarray, aux: int, mv: int, rng: int, sr: float, rate: float,
               off: int, stride: int, t0: int, t1: int) -> None:
    """Two tuned sines plus band-passed noise."""
    p1 = a[aux]
    p2 = a[aux + mv]
    te = a[aux + 2 * mv]
    ne = a[aux + 3 * mv]
    ic1 = a[aux + 4 * mv]
    ic2 = a[aux + 5 * mv]
    kt = _decay(0.05, sr)
    kn = _decay(0.09, sr)
    a1, a2, a3, k = svf_coefs(4500.0 * rate, 0.6, sr)
    s = int(a[rng])
    for t in range(t0, t1):
        s = lcg_next(s)
        noise = s * NOISE_SCALE - 1.0
        v1, v2, ic1, ic2 = svf_tick(noise, ic1, ic2, a1, a2, a3)
        band = k * v1
        tone = 0.6 * sin2pi(p1) + 0.4 * sin2pi(p2)
        a[off + t * stride] = tanh_fast(1.3 * (0.8 * tone * te + 0.9 * band * ne))
        p1 += 185.0 * rate / sr
        p1 -= np.floor(p1)
        p2 += 330.0 * rate / sr
        p2 -= np.floor(p2)
        te *= kt
        ne *= kn
    a[aux] = p1
    a[aux + mv] = p2
    a[aux + 2 * mv] = te
    a[aux + 3 * mv] = ne
    a[aux + 4 * mv] = ic1
    a[aux + 5 * mv] = ic2
    a[rng] = float(s)


@kernel
def drum_hat(a: np.ndarray, aux: int, mv: int, rng: int, sr: float, rate: float,
             tau: float, off: int, stride: int, t0: int, t1: int) -> None:
    """Six metallic square oscillators, band-passed and high-passed."""
    b1, b2, b3, bk = svf_coefs(10000.0, 1.2, sr)
    h1, h2, h3, hk = svf_coefs(7000.0, 0.707, sr)
    ke = _decay(tau, sr)
    env = a[aux + 6 * mv]
    bic1 = a[aux + 7 * mv]
    bic2 = a[aux + 8 * mv]
    hic1 = a[aux + 9 * mv]
    hic2 = a[aux + 10 * mv]
    s = int(a[rng])
    q0 = a[aux]
    q1 = a[aux + mv]
    q2 = a[aux + 2 * mv]
    q3 = a[aux + 3 * mv]
    q4 = a[aux + 4 * mv]
    q5 = a[aux + 5 * mv]
    d0 = 205.3 * rate / sr
    d1 = 304.4 * rate / sr
    d2 = 369.6 * rate / sr
    d3 = 522.7 * rate / sr
    d4 = 540.0 * rate / sr
    d5 = 800.0 * rate / sr
    for t in range(t0, t1):
        metal = 0.0
        metal += 1.0 if q0 < 0.5 else -1.0
        metal += 1.0 if q1 < 0.5 else -1.0
        metal += 1.0 if q2 < 0.5 else -1.0
        metal += 1.0 if q3 < 0.5 else -1.0
        metal += 1.0 if q4 < 0.5 else -1.0
        metal += 1.0 if q5 < 0.5 else -1.0
        q0 += d0
        q0 = q0 - np.floor(q0)
        q1 += d1
        q1 = q1 - np.floor(q1)
        q2 += d2
        q2 = q2 - np.floor(q2)
        q3 += d3
        q3 = q3 - np.floor(q3)
        q4 += d4
        q4 = q4 - np.floor(q4)
        q5 += d5
        q5 = q5 - np.floor(q5)
        s = lcg_next(s)
        x = metal * (1.0 / 6.0) + 0.15 * (s * NOISE_SCALE - 1.0)
        v1, v2, bic1, bic2 = svf_tick(x, bic1, bic2, b1, b2, b3)
        band = bk * v1
        u1, u2, hic1, hic2 = svf_tick(band, hic1, hic2, h1, h2, h3)
        a[off + t * stride] = 2.2 * env * (band - hk * u1 - u2)
        env *= ke
    a[aux] = q0
    a[aux + mv] = q1
    a[aux + 2 * mv] = q2
    a[aux + 3 * mv] = q3
    a[aux + 4 * mv] = q4
    a[aux + 5 * mv] = q5
    a[aux + 6 * mv] = env
    a[aux + 7 * mv] = bic1
    a[aux + 8 * mv] = bic2
    a[aux + 9 * mv] = hic1
    a[aux + 10 * mv] = hic2
    a[rng] = float(s)


@kernel
def drum_clap(a: np.ndarray, aux: int, mv: int, rng: int, sr: float, rate: float,
              off: int, stride: int, t0: int, t1: int, age0: int) -> None:
    """Band-passed noise with four quick bursts and a tail.

    The latest burst that has started sets the level (it is the loudest): it starts
    at its exact value on its first frame and falls by a per-frame multiplier after;
    the tail likewise from its start.
    """
    c1, c2, c3, ck = svf_coefs(1200.0 * rate, 2.0, sr)
    ic1 = a[aux]
    ic2 = a[aux + mv]
    burst_env = a[aux + 2 * mv]
    tail_env = a[aux + 3 * mv]
    s = int(a[rng])
    spacing = 0.009 * sr
    tail_start = 3.0 * spacing
    tau_burst = 0.0045 * sr
    tau_tail = 0.11 * sr
    k_burst = math.exp(-1.0 / tau_burst)
    k_tail = math.exp(-1.0 / tau_tail)
    for t in range(t0, t1):
        n = float(age0 + (t - t0))
        burst_env *= k_burst
        for burst in range(3, -1, -1):
            start = burst * spacing
            if n >= start:
                if n - 1.0 < start:  # this burst's first frame
                    burst_env = math.exp(-(n - start) / tau_burst)
                break
        env = burst_env
        if n >= tail_start:
            if n - 1.0 < tail_start:
                tail_env = 0.7 * math.exp(-(n - tail_start) / tau_tail)
            else:
                tail_env *= k_tail
            env = max(env, tail_env)
        s = lcg_next(s)
        v1, v2, ic1, ic2 = svf_tick(s * NOISE_SCALE - 1.0, ic1, ic2, c1, c2, c3)
        a[off + t * stride] = tanh_fast(2.5 * ck * v1 * env)
    a[aux] = ic1
    a[aux + mv] = ic2
    a[aux + 2 * mv] = burst_env
    a[aux + 3 * mv] = tail_env
    a[rng] = float(s)


@kernel
def drum_rim(a: np.ndarray, aux: int, mv: int, rng: int, sr: float, rate: float,
             off: int, stride: int, t0: int, t1: int) -> None:
    """Two high sines with a very short decay and a click."""
    p1 = a[aux]
    p2 = a[aux + mv]
    env = a[aux + 2 * mv]
    ce = a[aux + 3 * mv]
    ke = _decay(0.012, sr)
    kc = _decay(0.0015, sr)
    s = int(a[rng])
    for t in range(t0, t1):
        s = lcg_next(s)
        tone = 0.55 * sin2pi(p1) + 0.45 * sin2pi(p2)
        a[off + t * stride] = tanh_fast(1.5 * (tone * env + 0.4 * (s * NOISE_SCALE - 1.0) * ce))
        p1 += 1700.0 * rate / sr
        p1 -= np.floor(p1)
        p2 += 460.0 * rate / sr
        p2 -= np.floor(p2)
        env *= ke
        ce *= kc
    a[aux] = p1
    a[aux + mv] = p2
    a[aux + 2 * mv] = env
    a[aux + 3 * mv] = ce
    a[rng] = float(s)

"""The low-pass filter envelope (``lpenv``, ``lpattack`` .. ``lprelease``), at control rate.

Every ``FENV_STEP`` (32) frames of the absolute frame grid, a voice's low-pass cutoff is
set from its own ADSR ``e`` at that grid frame (the same closed-form stages as the amplitude envelope, so
the release starts where the gate closes, also for keys and stolen voices):
``cutoff * 2 ** (depth * e)``, in octaves. Holding the coefficients for a chunk is the
usual control-rate trade: sweeps step every 0.67 ms at 48 kHz, too finely to hear as
zipper on the typical acid/pluck envelopes, and the steps sit on the absolute frame
grid, so the result does not depend on the audio block size.
"""

from __future__ import annotations

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine.kernels.envelope import adsr_level, gate_level, inverse
from livestudio.engine.kernels.filters import svf_coefs
from livestudio.engine.kernels.jit import kernel


@kernel
def filter_env_level(a: np.ndarray, vb: int, mv: int, v: int, n: float) -> float:
    """Voice ``v``'s filter envelope (0..1) at age ``n`` frames."""
    att = a[vb + L.V_FA * mv + v]
    dec = a[vb + L.V_FD * mv + v]
    sus = a[vb + L.V_FS * mv + v]
    gate = a[vb + L.V_GATE * mv + v]
    ia = inverse(att)
    idc = inverse(dec)
    lg = gate_level(ia, att, idc, sus, gate)
    return adsr_level(n, ia, att, idc, sus, gate, lg, inverse(a[vb + L.V_FR * mv + v]))


FENV_STEP = 32   # frames between cutoff updates (a divisor of the chunk length)


@kernel
def any_filter_env(a: np.ndarray, ly: np.ndarray, hi: int) -> bool:
    """Whether any sounding voice below ``hi`` has a filter envelope."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    for v in range(hi):
        if a[vb + L.V_FENV * mv + v] != 0.0 and a[vb + L.V_ACTIVE * mv + v] != 0.0:
            return True
    return False


@kernel
def filter_envelopes(a: np.ndarray, ly: np.ndarray, p: np.ndarray, fs: int, hi: int) -> None:
    """Set the low-pass coefficients of every voice with a filter envelope for the grid
    step that starts at frame ``fs`` (a voice that starts inside it: its first frame)."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    hot = ly[L.LY_HOT]
    sr = float(ly[L.LY_SR])
    for v in range(hi):
        depth = a[vb + L.V_FENV * mv + v]
        if depth == 0.0 or a[vb + L.V_ACTIVE * mv + v] == 0.0:
            continue
        n = float(max(fs - int(a[vb + L.V_ONSET * mv + v]), 0))
        e = filter_env_level(a, vb, mv, v, n)
        a1, a2, a3, _ = svf_coefs(a[vb + L.V_FCUT * mv + v] * 2.0 ** (depth * e),
                                  a[vb + L.V_FQ * mv + v], sr)
        a[vb + L.V_A1 * mv + v] = a1
        a[vb + L.V_A2 * mv + v] = a2
        a[vb + L.V_A3 * mv + v] = a3
        p[hot + L.H_C1 * mv + v] = a1
        p[hot + L.H_C2 * mv + v] = a2
        p[hot + L.H_C3 * mv + v] = a3

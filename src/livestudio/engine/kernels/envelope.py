"""Linear ADSR envelopes in closed form of the voice's age ``n`` (frames).

    attack   min((n + 1) / A, 1)                      (A = 0: 1 at once)
    decay    max(1 - (1 - S) (n - A + 1) / D, S)      (D = 0: S at once)
    before the gate closes: min(attack, decay)
    release  max(L (1 - (n - G + 1) / R), 0)          L = level at age G - 1

A closed form is branch-free (the render vectorizes it across voices) and makes the
envelope independent of how frames are split into blocks.
"""

from __future__ import annotations

from livestudio.engine.kernels.jit import kernel

BIG = 1e30


@kernel
def inverse(frames: float) -> float:
    """1 / frames, or a huge number for a zero-length stage."""
    return 1.0 / frames if frames > 0.0 else BIG


@kernel
def adsr_level(n: float, ia: float, att: float, idc: float, sus: float, gate: float,
               lg: float, ir: float) -> float:
    """Envelope value at age ``n`` (see the module docstring for the formula)."""
    up = min((n + 1.0) * ia, 1.0)
    dn = max(1.0 - (1.0 - sus) * (n - att + 1.0) * idc, sus)
    rl = max(lg * (1.0 - (n - gate + 1.0) * ir), 0.0)
    return min(up, dn) if n < gate else rl


@kernel
def gate_level(ia: float, att: float, idc: float, sus: float, gate: float) -> float:
    """The level the release starts from: the envelope at age ``gate - 1``."""
    if gate < 1.0:
        return 0.0
    n = gate - 1.0
    return min(min((n + 1.0) * ia, 1.0), max(1.0 - (1.0 - sus) * (n - att + 1.0) * idc, sus))

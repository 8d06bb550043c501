"""Loudness mastering: gain into the engine's true-peak limiter until the target LUFS.

Integrated loudness rises monotonically with the gain in front of a limiter, so a few
secant steps find the gain that lands within 0.1 LU of the target; the limiter (the
same kernel as the live master bus) keeps the true peak at or below the ceiling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from livestudio.engine.core import master_offline
from livestudio.errors import SessionError
from livestudio.session.loudness import integrated_lufs, true_peak_dbtp

TOLERANCE_LU = 0.1
MAX_STEPS = 12


@dataclass
class Mastered:
    """The mastered audio with the gain used and what it measures."""

    audio: np.ndarray
    gain_db: float
    lufs: float
    true_peak_dbtp: float


def master_to_lufs(premaster: np.ndarray, sample_rate: int, *, target_lufs: float,
                   ceiling_dbtp: float = -1.0) -> Mastered:
    """Master ``premaster`` (float32 (frames, 2)) to ``target_lufs`` with a true-peak ceiling."""
    if not math.isfinite(target_lufs) or not -70.0 <= target_lufs <= 0.0:
        raise SessionError(f"--lufs must be between -70 and 0, got {target_lufs}")
    source = integrated_lufs(premaster, sample_rate)
    if not math.isfinite(source):
        raise SessionError("the render is silent: there is no loudness to normalize")
    ceiling = ceiling_dbtp
    gain = target_lufs - source
    best: Mastered | None = None
    tried: list[tuple[float, float]] = []
    for _ in range(MAX_STEPS):
        audio = master_offline(premaster, sample_rate, gain_db=gain, ceiling_db=ceiling)
        lufs = integrated_lufs(audio, sample_rate)
        peak = true_peak_dbtp(audio, sample_rate)
        if peak > ceiling_dbtp:  # the limiter's own detector is approximate: tighten
            ceiling -= peak - ceiling_dbtp + 0.02
            continue
        current = Mastered(audio, gain, lufs, peak)
        if best is None or abs(lufs - target_lufs) < abs(best.lufs - target_lufs):
            best = current
        if abs(lufs - target_lufs) <= TOLERANCE_LU:
            return current
        tried.append((gain, lufs))
        if len(tried) >= 2 and tried[-1][1] != tried[-2][1]:
            (g0, l0), (g1, l1) = tried[-2], tried[-1]
            slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 1.0
            slope = min(max(slope, 0.05), 1.0)
            gain = g1 + (target_lufs - l1) / slope
        else:
            gain += target_lufs - lufs
        gain = min(gain, 60.0)
    if best is None:
        raise SessionError("could not keep the true peak under the ceiling")
    return best

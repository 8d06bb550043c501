"""Loudness and true-peak measurement (ITU-R BS.1770 via pyloudnorm).

>>> import numpy as np
>>> sr = 48000; t = np.arange(sr * 3) / sr
>>> tone = 0.5 * np.sin(2 * np.pi * 997 * t)
>>> round(true_peak_dbtp(np.stack([tone, tone], axis=1), sr), 1)
-6.0
"""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

TRUE_PEAK_OVERSAMPLING = 4


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS of a (frames, channels) signal; -inf for silence."""
    data = np.asarray(audio, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    min_frames = int(0.4 * sample_rate) + 1
    if data.shape[0] < min_frames:  # BS.1770 gates over 400 ms blocks
        data = np.concatenate([data, np.zeros((min_frames - data.shape[0], data.shape[1]))])
    meter = pyloudnorm.Meter(sample_rate)
    with np.errstate(divide="ignore"):
        value = float(meter.integrated_loudness(data))
    return value if math.isfinite(value) else -math.inf


def true_peak(audio: np.ndarray) -> float:
    """The true peak (linear) of a signal: the max of its 4x oversampled absolute value."""
    data = np.asarray(audio, dtype=np.float64)
    if data.size == 0:
        return 0.0
    if data.ndim == 1:
        data = data[:, None]
    up = resample_poly(data, TRUE_PEAK_OVERSAMPLING, 1, axis=0)
    return float(max(np.max(np.abs(up)), np.max(np.abs(data))))


def true_peak_dbtp(audio: np.ndarray, sample_rate: int | None = None) -> float:
    """The true peak in dBTP (-inf for silence)."""
    peak = true_peak(audio)
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def sample_peak_db(audio: np.ndarray) -> float:
    """The sample peak in dBFS (-inf for silence)."""
    return peak_db(float(np.max(np.abs(audio))) if np.size(audio) else 0.0)


def peak_db(peak: float) -> float:
    """A linear peak in dBFS (-inf for 0).

    >>> peak_db(1.0), peak_db(0.0)
    (0.0, -inf)
    """
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf

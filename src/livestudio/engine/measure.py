"""Measurements used by the engine's tests and benchmarks (NumPy only, no engine state)."""

from __future__ import annotations

import numpy as np


def nonharmonic_rejection_db(x: np.ndarray, f0: float, sample_rate: int = 48000) -> float:
    """Harmonic energy over non-harmonic energy in dB (issue 3's band-limiting measure).

    Blackman window over the whole signal (use 1 s); FFT bins within 12 Hz of a multiple
    of ``f0`` are harmonic; every bin above 20 Hz counts.
    """
    x = np.asarray(x, dtype=np.float64)
    spec = np.abs(np.fft.rfft(x * np.blackman(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1.0 / sample_rate)
    keep = freqs > 20.0
    order = np.round(freqs / f0)
    harmonic = keep & (np.abs(freqs - order * f0) <= 12.0) & (order >= 1)
    return float(10.0 * np.log10(spec[harmonic].sum() / spec[keep & ~harmonic].sum()))


def max_step(x: np.ndarray) -> float:
    """Largest sample-to-sample difference (the click measure)."""
    return float(np.max(np.abs(np.diff(np.asarray(x, dtype=np.float64)))))


def true_peak(x: np.ndarray, oversample: int = 4) -> float:
    """Largest magnitude of ``x`` (frames or frames x channels) upsampled ``oversample`` x."""
    from scipy.signal import resample_poly

    y = resample_poly(np.asarray(x, dtype=np.float64), oversample, 1, axis=0)
    return float(max(np.abs(y).max(), np.abs(x).max()))

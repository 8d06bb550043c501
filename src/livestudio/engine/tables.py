"""Band-limited wavetables (mipmapped in quarter octaves), written into the pool.

Level ``L`` of a waveform holds harmonics ``1..H_L`` with ``H_L = floor(H0 * 2**(-L/4))``;
a note of frequency ``f`` reads the first level whose ``H_L * f`` stays below Nyquist,
so no partial can alias. Linear interpolation in a 2048-point table leaves images
about 90 dB down at 1760 Hz.
"""

from __future__ import annotations

import functools

import numpy as np

from livestudio.engine.layout import (
    LY_TAB_HARM, LY_TAB_LEVELS, LY_TAB_N, LY_TAB_SAW, LY_TAB_SINE, LY_TAB_TRI)


def harmonic_counts(table_n: int, levels: int) -> np.ndarray:
    """Harmonics per level: quarter-octave steps down from ``table_n // 2``."""
    h0 = table_n // 2
    counts = np.floor(h0 * 2.0 ** (-np.arange(levels) / 4.0)).astype(np.int64)
    return np.maximum(counts, 1)


def _additive(table_n: int, amps: np.ndarray, phase_shift: np.ndarray) -> np.ndarray:
    """One period of a sum of sines, ``N + 1`` points (guard point wraps)."""
    spectrum = np.zeros(table_n // 2 + 1, dtype=np.complex128)
    k = np.arange(1, len(amps) + 1)
    # x(t) = sum a_k sin(2 pi k t + s_k): irfft bin k carries -i a_k e^{i s_k} N / 2
    spectrum[k] = -1j * amps * np.exp(1j * phase_shift) * table_n / 2.0
    period = np.fft.irfft(spectrum, n=table_n)
    return np.concatenate([period, period[:1]])


def saw_table(table_n: int, harmonics: int) -> np.ndarray:
    """Rising saw from -1 to 1 (0 at phase 0), band-limited to ``harmonics``."""
    k = np.arange(1, harmonics + 1, dtype=np.float64)
    return _additive(table_n, -2.0 / (np.pi * k), np.zeros(harmonics))


def triangle_table(table_n: int, harmonics: int) -> np.ndarray:
    """Triangle, peak 1 at phase 1/4, band-limited (odd harmonics, 1/k^2)."""
    k = np.arange(1, harmonics + 1, dtype=np.float64)
    amps = np.where(k % 2 == 1, 8.0 / np.pi ** 2 / k ** 2, 0.0)
    signs = np.where(((k - 1) // 2) % 2 == 0, 0.0, np.pi)
    return _additive(table_n, amps, signs)


@functools.lru_cache(maxsize=4)
def table_block(table_n: int, levels: int) -> np.ndarray:
    """Every saw level, every triangle level, then the sine, ``N + 1`` points each, as
    float32 (computed once per size and shared: read-only)."""
    counts = harmonic_counts(table_n, levels)
    rows = [saw_table(table_n, int(h)) for h in counts]
    rows += [triangle_table(table_n, int(h)) for h in counts]
    rows.append(np.sin(2.0 * np.pi * np.arange(table_n + 1) / table_n))
    block = np.concatenate(rows).astype(np.float32)
    block.flags.writeable = False
    return block


def fill_tables(pool: np.ndarray, layout: np.ndarray, arena: np.ndarray) -> None:
    """Write saw, triangle and sine tables into ``pool`` and the level table into arena."""
    n = int(layout[LY_TAB_N])
    levels = int(layout[LY_TAB_LEVELS])
    arena[layout[LY_TAB_HARM]:layout[LY_TAB_HARM] + levels] = harmonic_counts(n, levels)
    block = table_block(n, levels)
    per_kind = levels * (n + 1)
    for index, kind in enumerate((LY_TAB_SAW, LY_TAB_TRI)):
        base = int(layout[kind])
        pool[base:base + per_kind] = block[index * per_kind:(index + 1) * per_kind]
    base = int(layout[LY_TAB_SINE])
    pool[base:base + n + 1] = block[2 * per_kind:]

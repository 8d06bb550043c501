"""Tap tempo: the BPM of the last few taps.

>>> tap = TapTempo()
>>> [tap.tap(t) for t in (0.0, 0.5, 1.0, 1.5)]
[None, 120.0, 120.0, 120.0]
"""

from __future__ import annotations

from collections import deque


class TapTempo:
    """Averages the intervals of recent taps; a pause longer than ``reset_s`` restarts."""

    def __init__(self, *, keep: int = 6, reset_s: float = 2.0,
                 min_bpm: float = 20.0, max_bpm: float = 400.0) -> None:
        self.taps: deque[float] = deque(maxlen=keep)
        self.reset_s = reset_s
        self.min_bpm = min_bpm
        self.max_bpm = max_bpm

    def tap(self, now: float) -> float | None:
        """Register a tap at ``now`` (seconds); the BPM once there are two taps, else None."""
        if self.taps and now - self.taps[-1] > self.reset_s:
            self.taps.clear()
        self.taps.append(now)
        if len(self.taps) < 2:
            return None
        span = self.taps[-1] - self.taps[0]
        if span <= 0:
            return None
        bpm = 60.0 * (len(self.taps) - 1) / span
        return round(min(max(bpm, self.min_bpm), self.max_bpm), 1)

"""The engine's frame clock: sample frames <-> monotonic time, and the tempo anchor.

The audio callback stamps every block with its end frame and the monotonic time it
started (status slots ``FRAME``/``MONO_NS``). :class:`FrameClock` turns those stamps
into a smooth mapping (callback start times jitter by a fraction of a block; the
mapping follows their earliest edge and slowly tracks drift), adds the output latency
for "when is this frame heard", and keeps the tempo anchors (frame0, cycle0, cps)
so cycles and frames convert in the engine process too (MIDI clock, Link).

Thread-safe: MIDI threads read it while the IPC thread moves the anchor.
"""

from __future__ import annotations

import bisect
import threading
import time

import numpy as np

from livestudio.engine.host import status as S


class FrameClock:
    """Frame/time/cycle conversions for the engine process, fed by the status block."""

    def __init__(self, status: np.ndarray, *, sample_rate: int, latency_s: float = 0.0,
                 blocksize: int = 128) -> None:
        self.status = status
        self.sample_rate = int(sample_rate)
        self.latency_s = float(latency_s)
        self.blocksize = int(blocksize)
        self.playing = True
        self._lock = threading.Lock()
        self._anchors: list[tuple[float, float, float]] = [(0.0, 0.0, 0.5)]  # frame, cycle, cps
        self._base_ns: float | None = None   # monotonic ns of frame 0 (render timeline)
        self._last_block = -1.0

    # --- frame <-> time ------------------------------------------------------
    def _update(self) -> float | None:
        blocks = float(self.status[S.BLOCKS])
        if blocks == 0.0 or self.status[S.RUNNING] == 0.0:
            return self._base_ns
        if blocks != self._last_block:
            self._last_block = blocks
            frame_end = float(self.status[S.FRAME])
            start_frame = frame_end - self.blocksize
            offset = float(self.status[S.MONO_NS]) - start_frame * 1e9 / self.sample_rate
            base = self._base_ns
            block_ns = self.blocksize * 1e9 / self.sample_rate
            if base is None or abs(offset - base) > 4 * block_ns + 5e6:
                base = offset                      # first stamp, or a jump (restart)
            elif offset < base:
                base = offset                      # an earlier edge: follow it at once
            else:
                base += (offset - base) * 0.002    # slow drift tracking
            self._base_ns = base
        return self._base_ns

    def frame_now(self) -> int:
        """The frame being rendered at this instant (extrapolated from the last block)."""
        with self._lock:
            base = self._update()
        if base is None:
            return int(self.status[S.FRAME])
        return int((time.monotonic_ns() - base) * self.sample_rate / 1e9)

    def frame_to_monotonic(self, frame: float) -> float:
        """``time.monotonic()`` seconds at which ``frame`` is heard (with output latency)."""
        with self._lock:
            base = self._update()
        if base is None:
            base = time.monotonic_ns() - float(self.status[S.FRAME]) * 1e9 / self.sample_rate
        return (base + frame * 1e9 / self.sample_rate) / 1e9 + self.latency_s

    def monotonic_to_frame(self, t: float) -> int:
        """The frame heard at ``time.monotonic()`` seconds ``t``."""
        with self._lock:
            base = self._update()
        if base is None:
            base = time.monotonic_ns() - float(self.status[S.FRAME]) * 1e9 / self.sample_rate
        return int(((t - self.latency_s) * 1e9 - base) * self.sample_rate / 1e9)

    # --- tempo ------------------------------------------------------------------
    def set_tempo(self, cps: float, *, at_frame: float, at_cycle: float | None = None) -> None:
        """Tempo ``cps`` from ``at_frame`` on (at ``at_cycle``, or where the map puts it)."""
        with self._lock:
            cycle = self._cycle_at(at_frame) if at_cycle is None else float(at_cycle)
            self._anchors = [a for a in self._anchors if a[0] < at_frame]
            self._anchors.append((float(at_frame), cycle, float(cps)))
            self.status[S.ANCHOR_FRAME] = at_frame
            self.status[S.ANCHOR_CYCLE] = cycle
            self.status[S.ANCHOR_CPS] = cps

    def reset_anchor(self, frame: float, cycle: float, cps: float) -> None:
        """Replace every anchor with ``(frame, cycle, cps)`` (a jump: start, restart)."""
        with self._lock:
            self._anchors = [(float(frame), float(cycle), float(cps))]
            self.status[S.ANCHOR_FRAME] = frame
            self.status[S.ANCHOR_CYCLE] = cycle
            self.status[S.ANCHOR_CPS] = cps

    def anchor(self) -> tuple[float, float, float]:
        """The latest anchor ``(frame0, cycle0, cps)``."""
        with self._lock:
            return self._anchors[-1]

    def _anchor_at(self, frame: float) -> tuple[float, float, float]:
        keys = [a[0] for a in self._anchors]
        return self._anchors[max(bisect.bisect_right(keys, frame) - 1, 0)]

    def _cycle_at(self, frame: float) -> float:
        f0, c0, cps = self._anchor_at(frame)
        return c0 + (frame - f0) * cps / self.sample_rate

    def cycle_at(self, frame: float) -> float:
        """The cycle position at ``frame``."""
        with self._lock:
            return self._cycle_at(frame)

    def cps_at_frame(self, frame: float) -> float:
        """The tempo in force at ``frame``."""
        with self._lock:
            return self._anchor_at(frame)[2]

    def frame_at_cycle(self, cycle: float) -> float:
        """The frame at which ``cycle`` falls."""
        with self._lock:
            index = 0
            for i, a in enumerate(self._anchors):
                if a[1] <= cycle:
                    index = i
            f0, c0, cps = self._anchors[index]
            return f0 + (cycle - c0) * self.sample_rate / cps

"""Absolute-deadline sleeping and the clocks MIDI timing is derived from.

Every timed MIDI send (notes, clock ticks) sleeps to an absolute ``time.monotonic()``
deadline computed from an exact frame position, never to "now + period": nothing
accumulates, so nothing drifts. The last fraction of a millisecond is spun (with the GIL
released at every turn) because ``time.sleep`` overshoots by the kernel's timer slack.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time
from typing import Protocol

#: How long before a deadline the sender stops sleeping and spins (seconds).
SPIN_S = 0.0004


class EngineClock(Protocol):
    """What MIDI timing needs of the engine's clock (``livestudio.engine.host.clock.FrameClock``).

    Frames are the audio sample counter; cycles are pattern time (4 beats a cycle).
    """

    sample_rate: int

    def frame_to_monotonic(self, frame: float) -> float:
        """``time.monotonic()`` seconds at which ``frame`` is heard."""
        ...

    def monotonic_to_frame(self, t: float) -> int:
        """The frame heard at monotonic time ``t``."""
        ...

    def frame_at_cycle(self, cycle: float) -> float:
        """The frame at which cycle position ``cycle`` falls."""
        ...

    def cycle_at(self, frame: float) -> float:
        """The cycle position at ``frame``."""
        ...


class SimpleClock:
    """An :class:`EngineClock` on ``time.monotonic()`` with tempo anchors (bench, tests).

    Frame 0 is heard at ``t0``; tempo anchors ``(frame, cycle, cps)`` work like the
    engine's (``set_tempo`` from a frame on, never moving the past).

    >>> c = SimpleClock(48000, cps=0.5, t0=10.0)
    >>> c.frame_to_monotonic(48000), c.frame_at_cycle(1 / 96), c.cycle_at(96000)
    (11.0, 1000.0, 1.0)
    >>> c.set_tempo(1.0, at_frame=96000); c.cycle_at(144000)
    2.0
    """

    def __init__(self, sample_rate: int = 48000, *, cps: float = 0.5, t0: float | None = None,
                 cycle0: float = 0.0) -> None:
        self.sample_rate = int(sample_rate)
        self.t0 = time.monotonic() if t0 is None else float(t0)
        self.anchors: list[tuple[float, float, float]] = [(0.0, float(cycle0), float(cps))]
        self.playing = True

    def frame_to_monotonic(self, frame: float) -> float:
        return self.t0 + float(frame) / self.sample_rate

    def monotonic_to_frame(self, t: float) -> int:
        return int((t - self.t0) * self.sample_rate)

    def frame_now(self) -> int:
        """The frame at this instant."""
        return self.monotonic_to_frame(time.monotonic())

    def _anchor_at(self, frame: float) -> tuple[float, float, float]:
        anchors = self.anchors
        for a in reversed(anchors):
            if a[0] <= frame:
                return a
        return anchors[0]

    def cycle_at(self, frame: float) -> float:
        f0, c0, cps = self._anchor_at(frame)
        return c0 + (float(frame) - f0) * cps / self.sample_rate

    def cps_at_frame(self, frame: float) -> float:
        return self._anchor_at(frame)[2]

    def frame_at_cycle(self, cycle: float) -> float:
        anchors = self.anchors
        chosen = anchors[0]
        for a in anchors:
            if a[1] <= cycle:
                chosen = a
        f0, c0, cps = chosen
        return f0 + (float(cycle) - c0) * self.sample_rate / cps

    def set_tempo(self, cps: float, *, at_frame: float) -> None:
        """Tempo ``cps`` from ``at_frame`` on (anchors older than a minute are dropped)."""
        cycle = self.cycle_at(at_frame)
        kept = [a for a in self.anchors if a[0] < at_frame and a[0] > at_frame - 60 * self.sample_rate]
        self.anchors = (kept or [self._anchor_at(at_frame)])[-1000:] + [(float(at_frame), cycle, float(cps))]

    def reset_anchor(self, frame: float, cycle: float, cps: float) -> None:
        """One anchor: ``cycle`` falls on ``frame``, tempo ``cps`` (a jump)."""
        self.anchors = [(float(frame), float(cycle), float(cps))]

    @property
    def cps(self) -> float:
        """The latest tempo."""
        return self.anchors[-1][2]


def sleep_until(deadline: float, *, spin_s: float = SPIN_S,
                wake: threading.Event | None = None) -> bool:
    """Sleep until monotonic ``deadline``; return False if ``wake`` was set before it.

    Coarse waiting happens on ``wake`` (so a new earlier event can interrupt), the last
    ``spin_s`` seconds are spun with ``time.sleep(0)`` (which releases the GIL).
    """
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return True
        if remaining > spin_s:
            coarse = remaining - spin_s
            if wake is not None:
                if wake.wait(min(coarse, 0.05)):
                    return False
            else:
                time.sleep(coarse)
        else:
            time.sleep(0)


_PR_SET_TIMERSLACK = 29


def make_thread_realtime(priority: int = 70) -> str:
    """Give the calling thread SCHED_FIFO ``priority`` and 1 ns timer slack.

    Returns a short description of what was granted (for status and the bench); a
    refused request is reported in that text, never raised, because the music must
    play on a machine without real-time permissions.
    """
    granted: list[str] = []
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        if libc.prctl(_PR_SET_TIMERSLACK, 1, 0, 0, 0) == 0:
            granted.append("timerslack=1ns")
    if hasattr(os, "sched_setscheduler"):
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
            granted.append(f"SCHED_FIFO:{priority}")
        except (PermissionError, OSError) as exc:
            granted.append(f"no SCHED_FIFO ({exc.strerror or exc})")
    return ", ".join(granted) or "no real-time scheduling available"

"""Ableton Link through LinkPython-extern (``import link``).

Why LinkPython-extern and not aalink: the engine maps audio frames to beats at
arbitrary times (the start of every block, every MIDI tick), which needs Link's
``SessionState.beatAtTime(t, quantum)`` / ``timeAtBeat`` for any ``t``.
LinkPython-extern wraps that API one to one (plus ``requestBeatAtTime``,
``setIsPlaying``, start/stop sync, peer and tempo callbacks) with manylinux wheels;
aalink offers only the current ``beat``/``phase`` and an asyncio ``sync()`` awaitable
and needs a running event loop, which the engine process does not have.

Link's clock is ``CLOCK_MONOTONIC_RAW`` in microseconds on Linux; :class:`LinkClockMap`
converts from ``time.monotonic()`` by bracketed sampling, refreshed every second (the
two clocks differ by NTP slewing, a few ppm).
"""

from __future__ import annotations

import threading
import time

from livestudio.engine.sync.source import source_status
from livestudio.errors import EngineError

try:
    import link as _link
except ImportError:  # reported when a Link source is asked for
    _link = None


class LinkClockMap:
    """``time.monotonic()`` seconds <-> Link micros."""

    def __init__(self, link_clock: object) -> None:
        self.link_clock = link_clock
        self.offset_s = 0.0
        self.measured_at = -1e9
        self._lock = threading.Lock()
        self.refresh()

    def refresh(self) -> None:
        """Measure the offset (best of a few bracketed reads)."""
        best = (1e9, 0.0)
        for _ in range(5):
            a = time.monotonic()
            micros = self.link_clock.micros()  # type: ignore[attr-defined]
            b = time.monotonic()
            if b - a < best[0]:
                best = (b - a, micros / 1e6 - (a + b) / 2)
        with self._lock:
            self.offset_s = best[1]
            self.measured_at = time.monotonic()

    def micros(self, t: float) -> int:
        """Link micros at monotonic ``t``."""
        if time.monotonic() - self.measured_at > 1.0:
            self.refresh()
        return int(round((t + self.offset_s) * 1e6))

    def monotonic(self, micros: int) -> float:
        """Monotonic seconds at Link ``micros``."""
        return micros / 1e6 - self.offset_s


def link_available() -> bool:
    """Whether LinkPython-extern is installed."""
    return _link is not None


class LinkSource:
    """A Link session member: follows the session's tempo and beat, publishes ours."""

    name = "link"

    def __init__(self, *, bpm: float = 120.0, quantum: float = 4.0, start_stop_sync: bool = True,
                 initial_beat: float | None = None) -> None:
        if _link is None:
            raise EngineError("Ableton Link needs the LinkPython-extern package (pip install LinkPython-extern)")
        self.quantum = float(quantum)
        self.link = _link.Link(float(bpm))
        self.clock = LinkClockMap(self.link.clock())
        self.link.startStopSyncEnabled = bool(start_stop_sync)
        self.link.enabled = True
        if initial_beat is not None and self.link.numPeers() == 0:
            # alone in the session: the session's timeline starts where the engine is
            self.force_beat(initial_beat, time.monotonic())

    def _state(self) -> object:
        return self.link.captureAppSessionState()

    def tempo_at(self, t: float) -> float:
        return float(self._state().tempo())  # type: ignore[attr-defined]

    def beat_at(self, t: float) -> float:
        return float(self._state().beatAtTime(self.clock.micros(t), self.quantum))  # type: ignore[attr-defined]

    def time_at_beat(self, beat: float) -> float:
        """Monotonic time of session ``beat``."""
        return self.clock.monotonic(self._state().timeAtBeat(beat, self.quantum))  # type: ignore[attr-defined]

    def ok_at(self, t: float) -> bool:
        return bool(self.link.enabled)

    def playing(self) -> bool | None:
        return bool(self._state().isPlaying())  # type: ignore[attr-defined]

    def peers(self) -> int:
        return int(self.link.numPeers())

    def status(self, t: float) -> dict[str, object]:
        return source_status(self, t)

    # --- publishing ---------------------------------------------------------------
    def request_tempo(self, bpm: float, t: float | None = None) -> None:
        """Propose a tempo to the session (every peer follows)."""
        state = self._state()
        state.setTempo(float(bpm), self.clock.micros(time.monotonic() if t is None else t))  # type: ignore[attr-defined]
        self.link.commitAppSessionState(state)

    def force_beat(self, beat: float, t: float) -> None:
        """Make the session's beat at ``t`` be ``beat`` (alone: the session follows us)."""
        state = self._state()
        state.forceBeatAtTime(float(beat), self.clock.micros(t), self.quantum)  # type: ignore[attr-defined]
        self.link.commitAppSessionState(state)

    def set_playing(self, playing: bool, t: float | None = None) -> None:
        """Publish our transport start/stop (start/stop sync)."""
        state = self._state()
        state.setIsPlaying(bool(playing), self.clock.micros(time.monotonic() if t is None else t))  # type: ignore[attr-defined]
        self.link.commitAppSessionState(state)

    def close(self) -> None:
        self.link.enabled = False

"""Steering the engine clock toward a source without ever jumping the beat.

Every ``interval_s`` the driver compares the engine's beat with the source's at a near
future time and sets the engine tempo to the source tempo plus a bounded correction:
``bpm = source_bpm * (1 + clamp(error / tau_beats, +-max_deviation))``. The engine's
position only ever changes through its tempo, so it is continuous: switching sources,
a MIDI clock that jitters, or a Link session that moves its tempo are all absorbed
smoothly. On lock (start, or a new source) the driver picks the whole number of
quanta that brings the two beats closest, so a bar-aligned source (Link quantum 4,
MIDI Start) lines up in phase with at most ``quantum / 2`` beats to slew.

A source that is not ok (MIDI clock dropped out) is not followed: the engine holds its
tempo and keeps playing. A transport change of the source (MIDI Start/Stop/Continue,
Link start/stop) is passed to ``on_transport(playing, beat)``. A start is a relocation
by definition (the master says "this is the downbeat"), so there, and only there, the
driver resets the engine anchor to the source's beat (``relocate_on_start``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from livestudio.engine.sync.source import BEATS_PER_CYCLE, SyncSource


@dataclass
class SteerConfig:
    """Tuning of :class:`SyncDriver`."""

    interval_s: float = 0.05
    horizon_s: float = 0.02       # tempo changes take effect this far ahead
    tau_beats: float = 2.0        # phase error decays with this time constant
    max_deviation: float = 0.08   # at most 8 % faster/slower than the source while slewing
    min_change: float = 2e-5      # relative tempo changes below this are not applied
    relocate_on_start: bool = True  # MIDI Start/Continue, Link start: jump to the source's beat


def lock_offset(engine_beat: float, source_beat: float, quantum: float) -> float:
    """Whole quanta to add to the source's beat to land nearest the engine's beat.

    >>> lock_offset(10.2, 1.9, 4.0)
    8.0
    >>> lock_offset(10.2, 1.9, 1.0)
    8.0
    """
    if quantum <= 0:
        return engine_beat - source_beat
    return round((engine_beat - source_beat) / quantum) * quantum


def steer_bpm(error_beats: float, source_bpm: float, config: SteerConfig) -> float:
    """The engine tempo that makes a phase error of ``error_beats`` decay.

    >>> round(steer_bpm(0.1, 120.0, SteerConfig()), 3)
    126.0
    >>> round(steer_bpm(-5.0, 120.0, SteerConfig()), 3)
    110.4
    """
    x = error_beats / config.tau_beats
    x = max(-config.max_deviation, min(config.max_deviation, x))
    return source_bpm * (1.0 + x)


class SyncDriver:
    """A thread that keeps the engine clock's beat on a source's beat."""

    def __init__(self, clock: object, source: SyncSource, *, config: SteerConfig | None = None,
                 on_transport: Callable[[bool, float], None] | None = None,
                 start_thread: bool = True) -> None:
        self.clock = clock
        self.source = source
        self.config = config or SteerConfig()
        self.on_transport = on_transport
        self.offset: float | None = None       # whole quanta, fixed at lock
        self.last_error = 0.0
        self.last_playing = source.playing()
        self.updates = 0
        self.relocations = 0
        self.pending_relocate = False
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if start_thread:
            self._thread = threading.Thread(target=self._run, name="livestudio-sync", daemon=True)
            self._thread.start()

    def set_source(self, source: SyncSource) -> None:
        """Follow ``source`` from now on (re-locks; the beat does not jump)."""
        with self._lock:
            self.source = source
            self.offset = None
            self.last_playing = source.playing()

    def _engine_beat(self, t: float) -> tuple[int, float]:
        frame = self.clock.monotonic_to_frame(t)  # type: ignore[attr-defined]
        return frame, self.clock.cycle_at(frame) * BEATS_PER_CYCLE  # type: ignore[attr-defined]

    def step(self, now: float) -> float | None:
        """One steering step at monotonic ``now``; returns the tempo set (BPM) or None."""
        with self._lock:
            source = self.source
            if source.name == "internal":
                return None
            playing = source.playing()
            if playing is not None and playing != self.last_playing:
                self.last_playing = playing
                if playing:
                    self.offset = None
                    self.pending_relocate = self.config.relocate_on_start
                if self.on_transport is not None:
                    self.on_transport(playing, source.beat_at(now))
            if not source.ok_at(now):
                return None  # hold tempo
            if self.pending_relocate:
                self.pending_relocate = False   # once the source has a tempo
                self._relocate(source, now)
            t = now + self.config.horizon_s
            frame, engine_beat = self._engine_beat(t)
            source_beat = source.beat_at(t)
            source_bpm = source.tempo_at(t)
            if source_bpm <= 0:
                return None
            if self.offset is None:
                self.offset = lock_offset(engine_beat, source_beat, source.quantum)
            error = source_beat + self.offset - engine_beat
            self.last_error = error
            bpm = steer_bpm(error, source_bpm, self.config)
            cps_now = float(self.clock.cps_at_frame(frame))  # type: ignore[attr-defined]
            cps = bpm / 60.0 / BEATS_PER_CYCLE
            if abs(cps - cps_now) > self.config.min_change * cps_now:
                self.clock.set_tempo(cps, at_frame=frame)  # type: ignore[attr-defined]
                self.updates += 1
            return bpm

    def _relocate(self, source: SyncSource, now: float) -> None:
        """Start/Continue from the source: put the engine's beat on the source's (a jump)."""
        reset = getattr(self.clock, "reset_anchor", None)
        bpm = source.tempo_at(now)
        if reset is None or bpm <= 0:
            return
        t = now + self.config.horizon_s
        frame = self.clock.monotonic_to_frame(t)  # type: ignore[attr-defined]
        reset(frame, source.beat_at(t) / BEATS_PER_CYCLE, bpm / 60.0 / BEATS_PER_CYCLE)
        self.offset = 0.0
        self.relocations += 1

    def _run(self) -> None:
        while not self._stop.wait(self.config.interval_s):
            try:
                self.step(time.monotonic())
            except Exception as exc:  # keep following; say why a step failed
                self.errors.append(f"sync: {type(exc).__name__}: {exc}")
                del self.errors[:-10]

    def close(self) -> None:
        """Stop steering (the engine keeps its last tempo)."""
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(1.0)

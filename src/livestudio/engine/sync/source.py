"""The common interface of clock sources, and the two simple ones (internal, MIDI clock).

All times are ``time.monotonic()`` seconds; beats are quarter notes (4 per cycle).
"""

from __future__ import annotations

import time
from typing import Protocol

from livestudio.engine.midi.follow import ClockFollower
from livestudio.engine.midi.timing import EngineClock

BEATS_PER_CYCLE = 4


class SyncSource(Protocol):
    """What the engine needs of a clock source."""

    name: str          # "internal", "midi:<port>", "link"
    quantum: float     # beats whose phase must line up (4: a bar; 1: the beat)

    def tempo_at(self, t: float) -> float:
        """Tempo in BPM at ``t`` (the held tempo while not ok)."""
        ...

    def beat_at(self, t: float) -> float:
        """The source's beat position at ``t``."""
        ...

    def ok_at(self, t: float) -> bool:
        """Locked and alive at ``t`` (False: the engine holds its tempo)."""
        ...

    def playing(self) -> bool | None:
        """The source's transport (None: the source has no transport)."""
        ...

    def peers(self) -> int:
        """Link peers (0 for other sources)."""
        ...

    def status(self, t: float) -> dict[str, object]:
        """``{"sync", "sync_ok", "link_peers", "sync_bpm"}`` for the status line."""
        ...

    def close(self) -> None:
        """Release what the source holds (ports, network)."""
        ...


def source_status(source: SyncSource, t: float) -> dict[str, object]:
    """The status keys every source reports."""
    ok = source.ok_at(t)
    return {"sync": source.name, "sync_ok": ok, "link_peers": source.peers(),
            "sync_bpm": round(source.tempo_at(t), 3)}


class InternalSource:
    """The engine's own clock: follows nothing, always ok."""

    name = "internal"
    quantum = 1.0

    def __init__(self, clock: EngineClock) -> None:
        self.clock = clock

    def beat_at(self, t: float) -> float:
        return self.clock.cycle_at(self.clock.monotonic_to_frame(t)) * BEATS_PER_CYCLE

    def tempo_at(self, t: float) -> float:
        frame = self.clock.monotonic_to_frame(t)
        cps_at = getattr(self.clock, "cps_at_frame", None)
        if cps_at is not None:
            return float(cps_at(frame)) * 60 * BEATS_PER_CYCLE
        return float(getattr(self.clock, "cps", 0.5)) * 60 * BEATS_PER_CYCLE

    def ok_at(self, t: float) -> bool:
        return True

    def playing(self) -> bool | None:
        return None

    def peers(self) -> int:
        return 0

    def status(self, t: float) -> dict[str, object]:
        return source_status(self, t)

    def close(self) -> None:
        pass


class MidiClockSource:
    """An external MIDI clock, through a :class:`ClockFollower` fed by a MIDI input."""

    quantum = 4.0

    def __init__(self, follower: ClockFollower, *, port_name: str = "", closer: object | None = None) -> None:
        self.follower = follower
        self.name = f"midi:{port_name}" if port_name else "midi"
        self._closer = closer

    def tempo_at(self, t: float) -> float:
        return self.follower.snapshot().bpm

    def beat_at(self, t: float) -> float:
        return self.follower.snapshot().beat_at(t)

    def ok_at(self, t: float) -> bool:
        return self.follower.snapshot().ok_at(t)

    def playing(self) -> bool | None:
        return self.follower.snapshot().playing

    def peers(self) -> int:
        return 0

    def status(self, t: float) -> dict[str, object]:
        return source_status(self, t)

    def close(self) -> None:
        close = getattr(self._closer, "close", None)
        if close is not None:
            close()


def now() -> float:
    """``time.monotonic()`` (one place to say which clock sources use)."""
    return time.monotonic()

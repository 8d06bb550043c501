"""An in-memory engine for tests: implements EngineLink, records what it is told.

>>> engine = FakeEngine(); engine.start(); engine.set_playing(True)
>>> engine.status().playing, engine.calls[-1]
(True, ('set_playing', True))
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from livestudio.session.engine_link import EngineStatus
from livestudio.session.scheduler import ScheduledEvent


class FakeEngine:
    """An EngineLink that plays nothing: keeps events, state and a settable status.

    The status is fixed unless a test changes it (``set_status``/``advance``), so UI
    snapshots stay deterministic.
    """

    def __init__(self, status: EngineStatus | None = None) -> None:
        self._status = status or EngineStatus(output="fake", device_latency_ms=5.3)
        self._lock = threading.Lock()
        self.events: list[ScheduledEvent] = []
        self.calls: list[tuple[Any, ...]] = []
        self.track_state: dict[str, tuple[bool, bool]] = {}
        self.keys: dict[str, list[dict[str, Any]]] = {}
        self.started = False
        self.closed = False

    # --- EngineLink ------------------------------------------------------------
    def start(self) -> None:
        """Mark the engine started."""
        self.started = True
        self._call("start")

    def send_events(self, events: Sequence[ScheduledEvent]) -> None:
        """Keep the events (tests read ``events``)."""
        with self._lock:
            self.events.extend(events)

    def set_tempo(self, cps: float, *, at_cycle: Fraction) -> None:
        """Record the change; the status tempo follows at once."""
        self._call("set_tempo", cps, at_cycle)
        self.set_status(cps=float(cps))

    def set_playing(self, playing: bool) -> None:
        """Record and reflect the transport state."""
        self._call("set_playing", playing)
        self.set_status(playing=bool(playing))

    def set_track_state(self, track: str, *, muted: bool, soloed: bool) -> None:
        """Record a track's mute/solo state."""
        self._call("set_track_state", track, muted, soloed)
        self.track_state[track] = (muted, soloed)

    def remove_track(self, track: str) -> None:
        """Record the removal."""
        self._call("remove_track", track)

    def panic(self) -> None:
        """Record a panic."""
        self._call("panic")

    def set_keys(self, track: str, patches: Sequence[dict[str, Any]]) -> None:
        """Record a keys track's patches (``keys`` holds the latest per track)."""
        self._call("set_keys", track, [dict(p) for p in patches])
        with self._lock:
            self.keys[track] = [dict(p) for p in patches]

    def set_sync(self, spec: str) -> None:
        """Record a clock-source switch and show it in the status."""
        self._call("set_sync", spec)
        self.set_status(sync=spec)

    def record(self, path: str | None) -> None:
        """Record (sic) the recording state."""
        self._call("record", path)
        self.set_status(recording=path)

    def status(self) -> EngineStatus:
        """The current (settable) status snapshot."""
        with self._lock:
            return replace(self._status, levels=dict(self._status.levels),
                           rms=dict(self._status.rms))

    def close(self) -> None:
        """Mark the engine closed."""
        self.closed = True
        self._call("close")

    # --- test helpers ------------------------------------------------------------
    def set_status(self, **changes: Any) -> None:
        """Change fields of the published status."""
        with self._lock:
            self._status = replace(self._status, **changes)

    def events_for(self, track: str) -> list[ScheduledEvent]:
        """The events received for one track."""
        with self._lock:
            return [e for e in self.events if e.track == track]

    def _call(self, *call: Any) -> None:
        with self._lock:
            self.calls.append(call)

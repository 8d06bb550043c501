"""Keeps the events the scheduler sent, per track, for the step views.

The scheduler calls :meth:`EventTap.add` from its own thread; the UI thread reads
:meth:`steps` for the current cycle. Only a few cycles are kept.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    """One onset within a cycle: positions as fractions of the cycle (0..1).

    ``locations`` are the mini-notation character spans that made it, ``values`` the
    event's control values as text (to tell which string a span belongs to).
    """

    begin: float
    end: float
    locations: tuple[tuple[int, int], ...] = ()
    values: tuple[str, ...] = ()


class EventTap:
    """Per-track onsets of recent cycles, fed from any thread."""

    def __init__(self, *, keep_cycles: int = 3, keep_controls: int = 32) -> None:
        self._lock = threading.Lock()
        self._steps: dict[str, dict[int, list[Step]]] = {}
        self._controls: dict[str, list[Mapping[str, Any]]] = {}
        self.keep_cycles = keep_cycles
        self.keep_controls = keep_controls

    def add(self, events: Iterable[Any]) -> None:
        """Record scheduled events (anything with track, cycle, cycle_end, controls)."""
        with self._lock:
            for event in events:
                cycle = float(event.cycle)
                whole = math.floor(cycle)
                begin = cycle - whole
                end = min(float(event.cycle_end) - whole, 1.0)
                per_track = self._steps.setdefault(event.track, {})
                locations = tuple((int(b), int(e)) for b, e in getattr(event, "locations", ()) or ())
                values = tuple(str(v) for v in event.controls.values()) if locations else ()
                per_track.setdefault(whole, []).append(Step(begin, end, locations, values))
                for old in [c for c in per_track if c < whole - self.keep_cycles]:
                    del per_track[old]
                seen = self._controls.setdefault(event.track, [])
                seen.append(event.controls)
                del seen[:-self.keep_controls]

    def steps(self, track: str, cycle: int) -> tuple[Step, ...]:
        """The onsets of ``track`` in whole cycle ``cycle``, sorted."""
        with self._lock:
            return tuple(sorted(self._steps.get(track, {}).get(cycle, ()),
                                key=lambda s: s.begin))

    def controls(self, track: str) -> list[Mapping[str, Any]]:
        """The controls of the latest events of ``track``."""
        with self._lock:
            return list(self._controls.get(track, ()))

    def forget(self, track: str) -> None:
        """Drop a removed track."""
        with self._lock:
            self._steps.pop(track, None)
            self._controls.pop(track, None)

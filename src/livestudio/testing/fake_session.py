"""A fake live session for UI tests: the LiveSession surface the UI uses, in memory.

Its status is fixed unless a test changes it, so snapshots are deterministic. The
engine side is a :class:`~livestudio.testing.fake_engine.FakeEngine`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from livestudio.session.engine_link import EngineStatus
from livestudio.session.live import ErrorInfo, LiveStatus, TrackInfo
from livestudio.testing.fake_engine import FakeEngine


@dataclass
class Event:
    track: str
    cycle: Fraction
    cycle_end: Fraction
    controls: dict[str, Any] = field(default_factory=dict)
    locations: tuple[tuple[int, int], ...] = ()


class FakeSession:
    """Tracks, errors and actions in memory; ``engine`` is a FakeEngine."""

    def __init__(self, path: Path, *, cycle: float = 11.6, bpm: float = 128.0) -> None:
        self.path = path
        self.engine = FakeEngine(EngineStatus(
            output="JACK dummy (fake)", device_latency_ms=5.3, sample_rate=48000,
            blocksize=128, playing=True, cycle=cycle, cps=bpm / 240.0, voices=14,
            load=0.23, load_max=0.41, xruns=0, late=0, engine_restarts=0,
            levels={"drums": 0.8, "bass": 0.35, "chords": 0.05, "gear": 0.0}))
        self.playing = True
        self.cycle = cycle
        self.tracks: dict[str, TrackInfo] = {
            name: TrackInfo(name, str(path), line, muted=False, soloed=False, error=None,
                            level=0.0, since_cycle=0.0)
            for name, line in (("drums", 6), ("bass", 7), ("chords", 9), ("gear", 11))
        }
        self.errors: list[ErrorInfo] = []
        self.reloads = 1
        self.last_reload_ms = 12.0
        self.last_reload_ok = True
        self.calls: list[tuple[Any, ...]] = []
        self.listeners: list[Callable[[str], None]] = []
        self.event_listeners: list[Callable[[list[Any]], None]] = []
        self.tempo_requests: list[float] = []

    # --- state -------------------------------------------------------------------
    def status(self) -> LiveStatus:
        engine = self.engine.status()
        return LiveStatus(engine=engine, playing=self.playing, cycle=self.cycle,
                          cps=engine.cps, bpm=engine.cps * 240.0,
                          tracks={k: TrackInfo(**vars(v)) for k, v in self.tracks.items()},
                          errors=list(self.errors), reloads=self.reloads,
                          last_reload_ms=self.last_reload_ms, last_reload_ok=self.last_reload_ok,
                          last_edit_to_schedule_ms=None, swap_cycle=None, lookahead_s=0.1)

    def add_listener(self, fn: Callable[[str], None]) -> None:
        self.listeners.append(fn)

    def add_event_listener(self, fn: Callable[[list[Any]], None]) -> None:
        self.event_listeners.append(fn)
        fn(self.demo_events())

    def demo_events(self) -> list[Event]:
        """A cycle of events for the step views (cycle 11)."""
        c = Fraction(11)
        bass_mini = "c2 ~ ~ eb2 ~ ~ g1 ~"
        events = [Event("drums", c + Fraction(i, 4), c + Fraction(i + 1, 4), {"s": "bd"}, ((0, 2),))
                  for i in range(4)]
        events += [Event("drums", c + Fraction(2 * i + 1, 8), c + Fraction(2 * i + 2, 8), {"s": "hh"}, ((6, 8),))
                   for i in range(4)]
        for step, name in ((0, "c2"), (3, "eb2"), (6, "g1")):
            at = bass_mini.index(name)
            events.append(Event("bass", c + Fraction(step, 8), c + Fraction(step + 1, 8),
                                {"note": name, "s": "saw"}, ((at, at + len(name)),)))
        events += [Event("chords", c, c + 1, {"n": 0, "s": "supersquare"}, ((1, 2),))]
        events += [Event("gear", c + Fraction(i, 2), c + Fraction(i + 1, 2),
                         {"note": n, "midiport": "MicroFreak", "midichan": 1}, ((3 * i, 3 * i + 2 + i),))
                   for i, n in enumerate(("c3", "eb3"))]
        return events

    # --- what the session thread would do -------------------------------------------
    def fail_reload(self, message: str, line: int, code: str = "") -> None:
        self.reloads += 1
        self.last_reload_ok = False
        self.last_reload_ms = 9.0
        self.errors = [ErrorInfo(message, str(self.path), line)]
        for fn in self.listeners:
            fn("reload")

    def good_reload(self) -> None:
        self.reloads += 1
        self.last_reload_ok = True
        self.errors = []
        for fn in self.listeners:
            fn("reload")

    # --- actions -------------------------------------------------------------------
    def reload(self) -> None:
        self.calls.append(("reload",))
        self.good_reload()

    def mute(self, track: str, on: bool | None = None) -> None:
        info = self.tracks[track]
        info.muted = (not info.muted) if on is None else on
        self.calls.append(("mute", track, info.muted))
        self.engine.set_track_state(track, muted=info.muted, soloed=info.soloed)

    def solo(self, track: str, on: bool | None = None) -> None:
        info = self.tracks[track]
        info.soloed = (not info.soloed) if on is None else on
        self.calls.append(("solo", track, info.soloed))
        self.engine.set_track_state(track, muted=info.muted, soloed=info.soloed)

    def panic(self) -> None:
        self.calls.append(("panic",))
        self.engine.panic()

    def set_sync(self, spec: str) -> None:
        self.calls.append(("sync", spec))
        self.engine.set_sync(spec)

    def toggle_playing(self) -> None:
        self.playing = not self.playing
        self.calls.append(("playing", self.playing))
        self.engine.set_playing(self.playing)

    def set_playing(self, playing: bool) -> None:
        self.playing = playing
        self.engine.set_playing(playing)

    def set_tempo(self, *, bpm: float | None = None, cps: float | None = None) -> None:
        assert bpm is not None
        self.tempo_requests.append(bpm)
        self.calls.append(("tempo", bpm))
        self.engine.set_tempo(bpm / 240.0, at_cycle=Fraction(12))

    def record(self, path: str | None) -> None:
        self.calls.append(("record", path))
        self.engine.record(path)

    def close(self) -> None:
        self.engine.close()

"""What the UI needs from a live session, and small helpers to present it.

The UI is written against this protocol, which is a subset of
:class:`livestudio.session.live.LiveSession`; UI tests use a fake with the same
shape. Optional parts (``add_event_listener``, ``last_result``) are used when present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

BEATS_PER_CYCLE = 4


class TrackInfoLike(Protocol):
    """The per-track fields the UI shows (``LiveSession.tracks`` values)."""

    name: str
    path: str
    line: int | None
    muted: bool
    soloed: bool
    error: str | None
    level: float


class ErrorInfoLike(Protocol):
    """One error to show: message, file and line (``LiveSession.errors`` items)."""

    message: str
    path: str
    line: int | None


class LiveStatusLike(Protocol):
    """A snapshot of the session (``LiveSession.status()``)."""

    engine: Any
    playing: bool
    cycle: float
    cps: float
    bpm: float
    tracks: Mapping[str, TrackInfoLike]
    errors: Sequence[ErrorInfoLike]
    reloads: int
    last_reload_ms: float
    last_reload_ok: bool


class SessionLike(Protocol):
    """The actions and state the UI uses."""

    path: Path

    def status(self) -> LiveStatusLike: ...
    def reload(self) -> None: ...
    def mute(self, track: str, on: bool | None = None) -> None: ...
    def solo(self, track: str, on: bool | None = None) -> None: ...
    def panic(self) -> None: ...
    def toggle_playing(self) -> None: ...
    def set_tempo(self, *, bpm: float | None = None, cps: float | None = None) -> None: ...
    def record(self, path: str | None) -> None: ...
    def add_listener(self, fn: Callable[[str], None]) -> None: ...


def bar_beat(cycle: float) -> str:
    """Bar and beat (1-based, 4 beats a cycle) of a cycle position.

    >>> bar_beat(0.0), bar_beat(11.6)
    ('1:1', '12:3')
    """
    if cycle < 0:
        return "-:-"
    bar = int(cycle) + 1
    beat = int((cycle - int(cycle)) * BEATS_PER_CYCLE) + 1
    return f"{bar}:{beat}"


def target_of(controls_seen: Iterable[Mapping[str, Any]]) -> str:
    """A short description of where a track's events go, from their controls.

    >>> target_of([{"s": "bd"}, {"s": "sd"}, {"s": "bd"}])
    'bd sd'
    >>> target_of([{"note": 40, "midiport": "MicroFreak", "midichan": 1}])
    'midi MicroFreak:1'
    >>> target_of([{"note": 60}]), target_of([])
    ('synth', '')
    """
    names: list[str] = []
    seen = False
    for controls in controls_seen:
        seen = True
        port = controls.get("midiport")
        if port is not None:
            chan = controls.get("midichan", controls.get("channel", 1))
            return f"midi {port}:{chan}"
        name = controls.get("s")
        if isinstance(name, str) and name not in names:
            names.append(name)
    if names:
        return " ".join(names)
    return "synth" if seen else ""


def short_path(path: str | Path, line: int | None = None) -> str:
    """A file name with its line: ``song.py:12``."""
    name = Path(path).name if path else "?"
    return f"{name}:{line}" if line is not None else name

"""What the front needs from an engine: the contract between session/UI and engine host.

The real implementation (``livestudio.engine.host``) talks to the engine process; tests
of the UI use a fake that implements the same protocol. Both speak in
:class:`~livestudio.session.scheduler.ScheduledEvent` batches and :class:`EngineStatus`
snapshots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any, Protocol

from livestudio.session.scheduler import ScheduledEvent


@dataclass
class EngineStatus:
    """A snapshot of the engine, published by the engine process at >= 30 Hz."""

    output: str = ""                  # device name, or the WAV path of the file sink
    device_latency_ms: float = 0.0
    sample_rate: int = 48000
    blocksize: int = 128
    playing: bool = False
    frame: int = 0
    cycle: float = 0.0
    cps: float = 0.5
    voices: int = 0
    load: float = 0.0                 # time in callback / block duration, recent mean
    load_max: float = 0.0             # recent max of the same
    xruns: int = 0
    late: int = 0                     # events that arrived after their frame
    engine_restarts: int = 0
    levels: dict[str, float] = field(default_factory=dict)      # track -> peak (linear)
    rms: dict[str, float] = field(default_factory=dict)         # track -> rms (linear)
    recording: str | None = None
    sync: str = "internal"
    sync_ok: bool = True
    link_peers: int = 0
    alive: bool = True

    @property
    def bpm(self) -> float:
        """Beats per minute at 4 beats per cycle."""
        return self.cps * 240.0

    def to_json(self) -> dict[str, Any]:
        """The snapshot as a JSON-ready dict (adds ``bpm``)."""
        data = asdict(self)
        data["bpm"] = self.bpm
        return data


class EngineLink(Protocol):
    """The front's handle on an engine (real process, or a fake in UI tests)."""

    def start(self) -> None:
        """Start the engine (and its audio output)."""

    def send_events(self, events: Sequence[ScheduledEvent]) -> None:
        """Queue events; each plays at its ``frame``."""

    def set_tempo(self, cps: float, *, at_cycle: Fraction) -> None:
        """Change tempo from an exact cycle on."""

    def set_playing(self, playing: bool) -> None:
        """Start or stop the transport (stop releases every voice and MIDI note)."""

    def set_track_state(self, track: str, *, muted: bool, soloed: bool) -> None:
        """Mute or solo a track's bus."""

    def remove_track(self, track: str) -> None:
        """Forget a track: release its voices and notes."""

    def panic(self) -> None:
        """All voices off, all MIDI notes off."""

    def set_keys(self, track: str, patches: Sequence[dict[str, Any]]) -> None:
        """Play keys track ``track`` (``midikeys()``) from the MIDI keyboard with these
        patches (control dicts, each with its ``midikeys`` spec); empty: stop, release
        its keys. The session calls it when the patches change; optional for fakes."""

    def record(self, path: str | None) -> None:
        """Start recording the master to ``path`` (None stops)."""

    def status(self) -> EngineStatus:
        """The latest status snapshot."""

    def close(self) -> None:
        """Stop the engine and release everything (no hanging notes, no orphans)."""

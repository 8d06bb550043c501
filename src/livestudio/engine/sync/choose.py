"""``--sync internal|midi[:PORT]|link``: build the source and its driver.

>>> parse_sync("midi:MicroFreak"), parse_sync("link"), parse_sync("midi")
(('midi', 'MicroFreak'), ('link', ''), ('midi', ''))
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from livestudio.engine.midi.follow import ClockFollower
from livestudio.engine.midi.input import MidiInput
from livestudio.engine.midi.ports import scan
from livestudio.engine.sync.driver import SyncDriver
from livestudio.engine.sync.source import BEATS_PER_CYCLE, InternalSource, MidiClockSource, SyncSource
from livestudio.errors import MidiPortError, SessionError


def parse_sync(spec: str) -> tuple[str, str]:
    """Split a sync spec into (kind, port); raises SessionError for anything else."""
    kind, _, port = spec.strip().partition(":")
    kind = kind.lower()
    if kind not in ("internal", "midi", "link") or (port and kind != "midi"):
        raise SessionError(f"--sync takes internal, midi, midi:PORT or link, got {spec!r}")
    return kind, port


def open_midi_source(port: str, *, hub: Any = None) -> MidiClockSource:
    """A MIDI clock source on the input ``port`` (the first input port when empty)."""
    spec = port
    if not spec:
        names = [n for names in scan("input").ports.values() for n in names]
        if not names:
            raise MidiPortError("--sync midi: there is no MIDI input port to follow")
        spec = names[0]
    follower = ClockFollower()
    if hub is not None:
        for midi_in in hub.inputs:
            if midi_in.spec == spec:
                midi_in.follower = follower
                return MidiClockSource(follower, port_name=midi_in.name)
    latency = float(getattr(hub, "options", {}).get("midi_in_latency_ms", 0.0))
    midi_in = MidiInput(spec, follower=follower, cc_store=getattr(hub, "cc_store", None), latency_ms=latency)
    if hub is not None:
        hub.inputs.append(midi_in)
        return MidiClockSource(follower, port_name=midi_in.name)
    return MidiClockSource(follower, port_name=midi_in.name, closer=midi_in)


def make_source(spec: str, clock: Any, options: Mapping[str, Any] | None = None, *, hub: Any = None) -> SyncSource:
    """The source ``spec`` names."""
    options = options or {}
    kind, port = parse_sync(spec)
    if kind == "internal":
        return InternalSource(clock)
    if kind == "midi":
        return open_midi_source(port, hub=hub)
    from livestudio.engine.sync.link import LinkSource
    now = time.monotonic()
    frame = clock.monotonic_to_frame(now)
    cps_at = getattr(clock, "cps_at_frame", None)
    bpm = float(cps_at(frame)) * 60 * BEATS_PER_CYCLE if cps_at else 120.0
    return LinkSource(bpm=bpm, quantum=float(options.get("link_quantum", 4.0)),
                      initial_beat=clock.cycle_at(frame) * BEATS_PER_CYCLE)


def make_sync(spec: str, clock: Any, options: Mapping[str, Any] | None = None, *,
              hub: Any = None) -> tuple[SyncSource, SyncDriver | None]:
    """The source and (for external ones) a started :class:`SyncDriver` steering ``clock``."""
    source = make_source(spec, clock, options, hub=hub)
    if source.name == "internal":
        return source, None

    def on_transport(playing: bool, beat: float) -> None:
        callback = getattr(hub, "on_transport", None)
        if callback is not None:
            callback(playing, beat)

    return source, SyncDriver(clock, source, on_transport=on_transport)

"""Offline render: pattern tracks -> master (and stems) through the real engine.

The render uses the same :class:`~livestudio.session.scheduler.Scheduler` and the same
event encoding (:func:`~livestudio.session.scheduler.engine_controls`) as live play, so
an onset lands on the same frame. Every track plays on a bus of its own; a stem is that
bus's output after its bus effects and before the master bus, so the stems sum to the
master's input. The master bus (DC blocker + lookahead true-peak limiter) delays the
signal by ``Engine.latency`` frames; the render compensates it, so an onset at cycle
``c`` lands at frame ``round(c / cps * sample_rate)`` in the master and in every stem.

Tracks routed to MIDI gear (``.midi(port=...)``) make no sound here; they go into the
MIDI file (``--midi``) with the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from livestudio.engine.core import Engine
from livestudio.errors import LivestudioError, SessionError
from livestudio.patterns.pattern import Pattern
from livestudio.session.scheduler import ScheduledEvent, Scheduler, engine_controls, is_midi_controls
from livestudio.session.tempo import TempoMap

Progress = Callable[[float], None]


@dataclass
class RenderResult:
    """What a render produced: audio, per-track stems, the events, and problems met."""

    master: np.ndarray                      # float32 (frames, 2), after the master bus
    premaster: np.ndarray                   # float32 (frames, 2), sum of the buses
    stems: dict[str, np.ndarray]            # track -> float32 (frames, 2)
    sample_rate: int
    cps: Fraction
    cycles: Fraction
    events: list[ScheduledEvent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        """Length of the rendered audio in seconds."""
        return self.master.shape[0] / self.sample_rate


def is_midi_event(event: ScheduledEvent) -> bool:
    """Whether an event goes to MIDI gear rather than to the synth engine."""
    return is_midi_controls(event.controls)


def render_tracks(tracks: Mapping[str, Pattern], *, cycles: Fraction, cps: Fraction,
                  sample_rate: int = 48000, tail_s: float = 0.0, seed: int = 0,
                  stems: bool = True, max_voices: int = 256, sample_paths: list[str] | None = None,
                  progress: Progress | None = None) -> RenderResult:
    """Render ``cycles`` cycles of ``tracks`` at ``cps``; ``tail_s`` seconds of tail after.

    Deterministic: the same tracks and options give bit-identical audio.
    """
    if cycles <= 0:
        raise SessionError(f"nothing to render: {cycles} cycles")
    names = list(tracks)
    tempo = TempoMap(sample_rate=sample_rate, cps=cps)
    scheduler = Scheduler(tempo, query_budget_s=math.inf)
    for name in names:
        scheduler.set_track(name, tracks[name], at_cycle=Fraction(0))
    max_buses = max(16, len(names))
    engine = Engine(sample_rate=sample_rate, max_voices=max_voices, max_buses=max_buses,
                    sample_paths=sample_paths or (), cps=float(cps), seed=seed)
    bus_of = {name: i for i, name in enumerate(names)}
    latency = engine.latency
    body = tempo.frame_at(cycles)
    total = body + int(round(tail_s * sample_rate))
    master = np.zeros((total + latency, 2), dtype=np.float32)
    # only the tracks' buses are captured (bus i belongs to track i; the others are silent)
    buses = np.zeros((len(names), total + latency, 2), dtype=np.float32)
    result = RenderResult(master=master, premaster=master, stems={}, sample_rate=sample_rate,
                          cps=tempo.cps, cycles=cycles)
    reported: set[str] = set()
    cycle = Fraction(0)
    rendered = 0
    while rendered < total + latency:
        cycle += 1
        if cycle <= cycles:
            events, errors = scheduler.advance(cycle, start=Fraction(0))
            result.errors.extend(errors)
            for event in events:
                result.events.append(event)
                if is_midi_event(event):
                    continue
                try:
                    engine.push(event.frame, engine_controls(event, bus_of[event.track]))
                except LivestudioError as exc:
                    text = f"track {event.track!r}: {exc}"
                    if text not in reported:
                        reported.add(text)
                        result.errors.append(text)
            until = min(tempo.frame_at(cycle), total + latency)
        else:
            until = total + latency
        if until > rendered:
            engine.render_into(master[rendered:until], buses=buses[:, rendered:until])
            rendered = until
        if progress is not None:
            progress(min(1.0, rendered / (total + latency)))
    result.master = np.ascontiguousarray(master[latency:latency + total])
    result.stems = {name: np.ascontiguousarray(buses[bus_of[name], :total]) for name in names}
    premaster = np.sum(buses[:, :total], axis=0, dtype=np.float32)
    if len(names) < max_buses:
        premaster += np.float32(0.0)  # as if summing the silent buses too (-0.0 -> 0.0)
    result.premaster = premaster
    return result

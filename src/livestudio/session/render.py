"""Offline render: pattern tracks -> master (and stems) through the real engine.

The render uses the same :class:`~livestudio.session.scheduler.Scheduler` and the same
event encoding (:func:`~livestudio.session.scheduler.engine_controls`) as live play, so
an onset lands on the same frame. Every track renders on an engine of its own (without
a master bus); its output is the track's stem, after its bus effects. The stems are
summed, in track order, into the premaster, and the master bus (DC blocker + lookahead
true-peak limiter, :func:`~livestudio.engine.core.master_offline`) runs once over it
with its latency compensated, so an onset at cycle ``c`` lands at frame
``round(c / cps * sample_rate)`` in the master and in every stem, and the stems sum
exactly to the master's input.

A stem depends only on its own track (its events, its name and the seed), never on
the other tracks nor on how many threads render: the tracks render in parallel
(the kernels run without the GIL) while the next track is being scheduled, and the
result is bit-identical with one thread or many. Noise generators are seeded from
``seed`` and the track's name.

Tracks routed to MIDI gear (``.midi(port=...)``) make no sound here; they go into the
MIDI file (``--midi``) with the rest.
"""

from __future__ import annotations

import heapq
import math
import os
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine import params as P
from livestudio.engine.core import Engine, master_latency, master_offline
from livestudio.errors import LivestudioError, SessionError
from livestudio.patterns.pattern import Pattern
from livestudio.session.scheduler import ScheduledEvent, Scheduler, engine_controls, is_midi_controls
from livestudio.session.tempo import TempoMap

Progress = Callable[[float], None]
STEM_PIECE = 1 << 16  # frames per kernel call: the GIL is taken once per piece


@dataclass
class RenderResult:
    """What a render produced: audio, per-track stems, the events, and problems met."""

    master: np.ndarray                      # float32 (frames, 2), after the master bus
    premaster: np.ndarray                   # float32 (frames, 2), sum of the stems
    stems: dict[str, np.ndarray]            # track -> float32 (frames, 2)
    sample_rate: int
    cps: Fraction
    cycles: Fraction
    events: list[ScheduledEvent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # where the time went (seconds): schedule_s (main thread: querying patterns and
    # encoding events), stems_cpu_s (render threads' CPU, summed), master_s, wall_s;
    # workers (threads). With several threads these overlap.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        """Length of the rendered audio in seconds."""
        return self.master.shape[0] / self.sample_rate


def is_midi_event(event: ScheduledEvent) -> bool:
    """Whether an event goes to MIDI gear rather than to the synth engine."""
    return is_midi_controls(event.controls)


def default_workers() -> int:
    """Threads an offline render uses: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def track_seed(seed: int, name: str) -> int:
    """The noise seed of track ``name``: the render's seed mixed with the name."""
    return (seed * 0x9E3779B1 + zlib.crc32(name.encode("utf-8"))) & 0xFFFFFFFF


def schedule_track(name: str, pattern: Pattern, tempo: TempoMap,
                   cycles: Fraction) -> tuple[list[ScheduledEvent], list[str]]:
    """All events of one track over ``cycles`` cycles, queried cycle by cycle as the
    live scheduler does; returns (events, errors)."""
    scheduler = Scheduler(tempo, query_budget_s=math.inf)
    scheduler.set_track(name, pattern, at_cycle=Fraction(0))
    events: list[ScheduledEvent] = []
    errors: list[str] = []
    cycle = Fraction(0)
    while cycle < cycles:
        cycle = min(cycle + 1, cycles)
        found, new_errors = scheduler.advance(cycle, start=Fraction(0))
        events.extend(found)
        errors.extend(new_errors)
    return events, errors


def track_engine(name: str, events: list[ScheduledEvent], *, sample_rate: int, cps: Fraction,
                 seed: int, max_voices: int, sample_paths: list[str] | None,
                 errors: list[str]) -> Engine | None:
    """A one-bus engine without a master bus, loaded with the track's sounding events
    (None when the track has none). Problems (unknown instruments) go to ``errors``."""
    audio = [event for event in events if not is_midi_event(event)]
    if not audio:
        return None
    engine = Engine(sample_rate=sample_rate, max_voices=max_voices, max_buses=1,
                    sample_paths=sample_paths or (), cps=float(cps),
                    seed=track_seed(seed, name), master=False)
    reported: set[str] = set()
    for event in audio:
        try:
            engine.push(event.frame, engine_controls(event, 0))
        except LivestudioError as exc:
            text = f"track {event.track!r}: {exc}"
            if text not in reported:
                reported.add(text)
                errors.append(text)
    return engine


def render_stem(engine: Engine | None, frames: int) -> np.ndarray:
    """``frames`` frames of a track engine's output (zeros for a silent track)."""
    stem = np.zeros((frames, 2), dtype=np.float32)
    if engine is not None:
        engine.render_into(stem, piece=STEM_PIECE)
    return stem


def estimated_cost(engine: Engine | None, seconds: float) -> float:
    """A rough render cost of a loaded track engine (voice-seconds, weighted by
    instrument, plus the bus effects); only the order the tracks render in uses it."""
    if engine is None:
        return 0.0
    rows = engine.queued_rows()
    cost = seconds  # the engine's fixed work per frame
    for row in rows:
        inst = int(row[L.R_INST])
        if inst in P.DRUMS:
            cost += 2.5 * P.DRUM_LENGTH[inst]
            continue
        weight = 1.0 + 0.5 * row[L.R_UNISON] if inst == P.I_SUPERSAW else 1.0
        cost += weight * (row[L.R_DUR] + row[L.R_REL])
    if np.any(rows[:, L.R_ROOM] > 0.0):
        cost += 4.0 * seconds  # the reverb runs on through the whole render
    if np.any(rows[:, L.R_DELAY] > 0.0):
        cost += 0.5 * seconds
    return cost


class StemPool:
    """Worker threads that render track engines into stems, the costliest waiting job
    first (so the long ones start early and the threads finish together).

    >>> pool = StemPool(workers=1)
    >>> pool.add(0, None, 8, cost=0.0)
    >>> pool.result(0).shape
    (8, 2)
    >>> pool.close()
    """

    def __init__(self, workers: int) -> None:
        self._cond = threading.Condition()
        self._waiting: list[tuple[float, int, Engine | None, int]] = []
        self._done: dict[int, np.ndarray | BaseException] = {}
        self._closed = False
        self.cpu_s = 0.0  # thread CPU time the renders took, summed
        self._threads = [threading.Thread(target=self._work, name=f"livestudio-render-{k}",
                                          daemon=True) for k in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def add(self, index: int, engine: Engine | None, frames: int, *, cost: float) -> None:
        """Queue job ``index``: render ``frames`` frames of ``engine``."""
        with self._cond:
            heapq.heappush(self._waiting, (-cost, index, engine, frames))
            self._cond.notify()

    def result(self, index: int) -> np.ndarray:
        """Wait for job ``index``'s stem (re-raises what its render raised)."""
        with self._cond:
            while index not in self._done:
                self._cond.wait()
            outcome = self._done.pop(index)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def close(self) -> None:
        """No more jobs: let the threads end once the queue is empty."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if not self._waiting:
                    return
                _, index, engine, frames = heapq.heappop(self._waiting)
            started = time.thread_time()
            try:
                outcome: np.ndarray | BaseException = render_stem(engine, frames)
            except BaseException as exc:  # handed to the caller by result()
                outcome = exc
            with self._cond:
                self.cpu_s += time.thread_time() - started
                self._done[index] = outcome
                self._cond.notify_all()


def render_tracks(tracks: Mapping[str, Pattern], *, cycles: Fraction, cps: Fraction,
                  sample_rate: int = 48000, tail_s: float = 0.0, seed: int = 0,
                  stems: bool = True, max_voices: int = 256, sample_paths: list[str] | None = None,
                  progress: Progress | None = None, workers: int | None = None) -> RenderResult:
    """Render ``cycles`` cycles of ``tracks`` at ``cps``; ``tail_s`` seconds of tail after.

    Deterministic: the same tracks and options give bit-identical audio, whatever
    ``workers`` (threads; default :func:`default_workers`). ``max_voices`` holds per
    track. ``stems=False`` leaves ``RenderResult.stems`` empty.
    """
    if cycles <= 0:
        raise SessionError(f"nothing to render: {cycles} cycles")
    started = time.perf_counter()
    names = list(tracks)
    tempo = TempoMap(sample_rate=sample_rate, cps=cps)
    latency = master_latency()
    total = tempo.frame_at(cycles) + int(round(tail_s * sample_rate))
    # the stems run on past the end by the master's lookahead, which sees that far
    frames = total + latency
    result = RenderResult(master=np.zeros((0, 2), np.float32), premaster=np.zeros((0, 2), np.float32),
                          stems={}, sample_rate=sample_rate, cps=tempo.cps, cycles=cycles)
    threads = workers or default_workers()
    pool = StemPool(threads)
    schedule_s = 0.0
    try:
        for index, name in enumerate(names):
            # scheduling (Python) overlaps the rendering of the tracks before it
            scheduling = time.perf_counter()
            events, errors = schedule_track(name, tracks[name], tempo, cycles)
            result.events.extend(events)
            result.errors.extend(errors)
            engine = track_engine(name, events, sample_rate=sample_rate, cps=cps, seed=seed,
                                  max_voices=max_voices, sample_paths=sample_paths,
                                  errors=result.errors)
            cost = estimated_cost(engine, frames / sample_rate)
            schedule_s += time.perf_counter() - scheduling
            pool.add(index, engine, frames, cost=cost)
        premaster = np.zeros((frames, 2), dtype=np.float32)
        for index, name in enumerate(names):
            stem = pool.result(index)
            premaster += stem  # in track order: the same bits whoever finished first
            if stems:
                result.stems[name] = stem[:total]
            if progress is not None:
                progress((index + 1) / len(names))
    finally:
        pool.close()
    # the order the live scheduler hands them out: by frame, then track
    result.events.sort(key=lambda e: (e.frame, e.track))
    mastering = time.perf_counter()
    result.master = master_offline(premaster, sample_rate)[:total]
    result.premaster = premaster[:total]
    finished = time.perf_counter()
    result.timings = {"schedule_s": schedule_s, "stems_cpu_s": pool.cpu_s,
                      "master_s": finished - mastering, "wall_s": finished - started,
                      "workers": float(threads)}
    return result

"""Offline render: pattern tracks -> master (and stems) through the real engine.

The render uses the same :class:`~livestudio.session.scheduler.Scheduler` and the same
event encoding (:func:`~livestudio.session.scheduler.engine_controls`) as live play, so
an onset lands on the same frame. Every track renders on an engine of its own (one
bus, no master bus); its output is the track's stem, after its bus effects. The stems
are summed, in track order, into the premaster, and the master bus (DC blocker +
lookahead true-peak limiter, :class:`~livestudio.engine.core.MasterBus`) runs over it
with its latency compensated, so an onset at cycle ``c`` lands at frame
``round(c / cps * sample_rate)`` in the master and in every stem, and the stems sum
exactly to the master's input.

The song renders in segments of a few cycles: the main thread queries the patterns
and encodes the events segment by segment, worker threads render each track's
segments in order (the kernels run without the GIL; the costliest track first, so it
is not left for last), and the main thread masters each segment as soon as every
track has rendered it. A stem depends only on its own track (its events, its name and
the seed), never on the other tracks, the segments or the threads, so the result is
bit-identical with one thread or many. Noise generators are seeded from ``seed`` and
the track's name.

Without ``stems`` a track renders each segment into a buffer of its own, which the
main thread adds to the premaster and drops (noting the track's peak): no
full-length array per track is ever touched, which on a fresh page costs the kernel
as much as a good part of the render itself.

Tracks routed to MIDI gear (``.midi(port=...)``) make no sound here; they go into the
MIDI file (``--midi``) with the rest.
"""

from __future__ import annotations

import heapq
import math
import os
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine import params as P
from livestudio.engine.core import Engine, MasterBus
from livestudio.errors import LivestudioError, SessionError
from livestudio.patterns.pattern import Pattern
from livestudio.session.scheduler import ScheduledEvent, Scheduler, engine_controls, is_midi_controls
from livestudio.session.tempo import TempoMap

Progress = Callable[[float], None]
SEGMENT_S = 4.0       # seconds of audio per segment (whole cycles, at least one)
STEM_PIECE = 1 << 18  # frames per kernel call (a segment in one): a render thread takes
                      # the GIL once per piece
GIL_TURN_S = 0.0002   # the interpreter's switch interval while a render runs (see below)


@contextmanager
def short_gil_turns(seconds: float = GIL_TURN_S) -> Iterator[None]:
    """Python's switch interval at most ``seconds`` inside, restored after.

    While the main thread queries patterns (pure Python), a render thread whose kernel
    call returns waits for the GIL until the main thread is asked to drop it: up to the
    switch interval, 5 ms by default, for a few ms of rendering (measured: a thread
    calling a 0.8 ms GIL-free kernel in a loop beside a busy Python thread made 60
    calls in 0.3 s, and 149 with 0.2 ms turns). Short turns keep the render threads
    fed; the main thread loses a few microseconds per turn.
    """
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, seconds))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@dataclass
class RenderResult:
    """What a render produced: audio, per-track stems, the events, and problems met."""

    master: np.ndarray                      # float32 (frames, 2), after the master bus
    premaster: np.ndarray                   # float32 (frames, 2), sum of the stems
    stems: dict[str, np.ndarray]            # track -> float32 (frames, 2); empty without stems
    sample_rate: int
    cps: Fraction
    cycles: Fraction
    events: list[ScheduledEvent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # track -> sample peak (linear, both channels) of its stem: kept with or without stems
    peaks: dict[str, float] = field(default_factory=dict)
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


def segment_cycles(cycles: Fraction, cps: Fraction) -> list[Fraction]:
    """Segment boundaries in cycles: 0, whole cycles about ``SEGMENT_S`` apart, ``cycles``."""
    step = max(1, round(SEGMENT_S * float(cps)))
    bounds = [Fraction(c) for c in range(0, math.ceil(cycles), step)]
    return bounds + [cycles]


def estimated_cost(rows: list[np.ndarray], seconds: float) -> float:
    """A rough render cost of a track's event rows over ``seconds`` of audio
    (voice-seconds weighted by instrument, plus the bus effects); only the order the
    tracks render in uses it."""
    cost = seconds  # the engine's fixed work per frame
    room = delay = False
    for row in rows:
        inst = int(row[L.R_INST])
        room = room or row[L.R_ROOM] > 0.0
        delay = delay or row[L.R_DELAY] > 0.0
        if inst in P.DRUMS:
            cost += 2.5 * P.DRUM_LENGTH[inst]
        else:
            weight = 1.0 + 0.5 * row[L.R_UNISON] if inst == P.I_SUPERSAW else 1.0
            cost += weight * (row[L.R_DUR] + row[L.R_REL])
    return cost + (4.0 * seconds if room else 0.0) + (0.5 * seconds if delay else 0.0)


class TrackRender:
    """One track: its scheduler, its engine (no master bus) and its stem.

    With ``keep_stem`` the stem is one full-length array (``stem``); without, each
    segment renders into a buffer that :meth:`add_to` adds once and then recycles (a
    track needs as many as it has segments in flight: fresh memory costs page faults).
    """

    def __init__(self, name: str, pattern: Pattern, tempo: TempoMap, frames: int, *,
                 seed: int, max_voices: int, sample_paths: list[str] | None,
                 keep_stem: bool = True) -> None:
        self.name = name
        self.scheduler = Scheduler(tempo, query_budget_s=math.inf)
        self.scheduler.set_track(name, pattern, at_cycle=Fraction(0))
        self.engine = Engine(sample_rate=tempo.sample_rate, max_voices=max_voices, max_buses=1,
                             sample_paths=sample_paths or (), cps=float(tempo.cps),
                             seed=track_seed(seed, name), master=False,
                             chunk=L.long_chunk(tempo.sample_rate))
        self.stem = np.zeros((frames if keep_stem else 0, 2), dtype=np.float32)
        self.keep_stem = keep_stem
        self._pieces: dict[int, np.ndarray] = {}  # start frame -> its buffer (no kept stem)
        self._spare: list[np.ndarray] = []        # buffers added already, free again
        self.peak = 0.0  # sample peak of the frames added so far (up to ``add_to``'s limit)
        self.cost = 0.0  # render cost estimate per second, from the first segment
        self._reported: set[str] = set()

    def schedule(self, begin: Fraction, end: Fraction, errors: list[str]
                 ) -> tuple[list[ScheduledEvent], list[np.ndarray]]:
        """Events of cycles ``begin .. end`` (queried cycle by cycle, as live) and the
        rows of those that sound; problems go to ``errors``."""
        events: list[ScheduledEvent] = []
        cycle = begin
        while cycle < end:
            cycle = min(Fraction(math.floor(cycle)) + 1, end)
            found, new_errors = self.scheduler.advance(cycle, start=Fraction(0))
            events.extend(found)
            errors.extend(new_errors)
        rows: list[np.ndarray] = []
        for event in events:
            if is_midi_event(event):
                continue
            try:
                row = self.engine.encode_note(event.frame, engine_controls(event, 0))
            except LivestudioError as exc:
                text = f"track {event.track!r}: {exc}"
                if text not in self._reported:
                    self._reported.add(text)
                    errors.append(text)
                continue
            if row is not None:
                rows.append(row)
        return events, rows

    def render(self, rows: list[np.ndarray], start: int, stop: int) -> None:
        """Queue ``rows`` and render stem frames ``start .. stop`` (the next ones)."""
        for row in rows:
            self.engine.push_row(row)
        if self.keep_stem:
            out = self.stem[start:stop]
        else:
            buffer = self._spare.pop() if self._spare else None
            if buffer is None or buffer.shape[0] < stop - start:
                buffer = np.empty((stop - start, 2), dtype=np.float32)
            self._pieces[start] = buffer
            out = buffer[:stop - start]
        self.engine.render_into(out, piece=STEM_PIECE)

    def add_to(self, dst: np.ndarray, start: int, stop: int, limit: int) -> None:
        """Add the rendered frames ``start .. stop`` (a segment ``render`` has done;
        without a kept stem each segment can be added once) to ``dst``; their peak
        before frame ``limit`` goes into ``peak``."""
        if self.keep_stem:
            seg = self.stem[start:stop]
        else:
            buffer = self._pieces.pop(start)
            seg = buffer[:stop - start]
        head = seg[:max(0, min(stop, limit) - start)]
        if head.size:  # max |x| without a temporary array of |x|
            self.peak = max(self.peak, float(np.maximum(head.max(), -head.min())))
        dst += seg
        if not self.keep_stem:
            self._spare.append(buffer)


class SegmentPool:
    """Worker threads rendering track segments: a track's segments in order; of the
    waiting jobs, the earliest segment first (so the master can follow close behind)
    and, within a segment, the costliest track first (the long jobs start early and
    the short ones fill in around them).

    ``add`` queues a job; ``wait(track, segment)`` returns once it is rendered.
    """

    def __init__(self, tracks: list[TrackRender], workers: int) -> None:
        self.tracks = tracks
        self._cond = threading.Condition()
        self._jobs: dict[tuple[int, int], tuple[list[np.ndarray], int, int]] = {}
        self._ready: list[tuple[int, float, int]] = []   # (segment, -cost, track)
        self._next = [0] * len(tracks)                   # next segment each track renders
        self._busy = [False] * len(tracks)
        self._failed: BaseException | None = None
        self._closed = False
        self.cpu_s = 0.0  # thread CPU time the renders took, summed
        self._threads = [threading.Thread(target=self._work, name=f"livestudio-render-{k}",
                                          daemon=True) for k in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def add(self, track: int, segment: int, rows: list[np.ndarray], start: int, stop: int) -> None:
        """Queue segment ``segment`` of ``track``: push ``rows``, render ``start .. stop``."""
        with self._cond:
            if self._failed is None:
                self._jobs[(track, segment)] = (rows, start, stop)
                self._offer(track)

    def wait(self, track: int, segment: int) -> None:
        """Block until ``track`` has rendered ``segment`` (re-raises a render's error)."""
        with self._cond:
            while self._next[track] <= segment and self._failed is None:
                self._cond.wait()
            if self._failed is not None:
                raise self._failed

    def close(self) -> None:
        """No more jobs: the threads end once everything queued is rendered."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()

    def _offer(self, track: int) -> None:
        """Make ``track``'s next segment ready if it is queued and the track idle."""
        segment = self._next[track]
        if not self._busy[track] and (track, segment) in self._jobs:
            self._busy[track] = True
            heapq.heappush(self._ready, (segment, -self.tracks[track].cost, track))
            self._cond.notify()

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._ready and self._failed is None \
                        and not (self._closed and not self._jobs):
                    self._cond.wait()
                if not self._ready or self._failed is not None:
                    return
                segment, _, track = heapq.heappop(self._ready)
                rows, start, stop = self._jobs.pop((track, segment))
            started = time.thread_time()
            try:
                self.tracks[track].render(rows, start, stop)
            except BaseException as exc:  # handed to the caller by wait()
                with self._cond:
                    self._failed = exc
                    self._jobs.clear()
                    self._ready.clear()
                    self._cond.notify_all()
                return
            with self._cond:
                self.cpu_s += time.thread_time() - started
                self._next[track] = segment + 1
                self._busy[track] = False
                self._offer(track)
                self._cond.notify_all()


def _run_segments(renders: list[TrackRender], pool: SegmentPool, bounds: list[Fraction],
                  starts: list[int], total: int, premaster: np.ndarray, master: np.ndarray,
                  master_bus: MasterBus, result: RenderResult, progress: Progress | None
                  ) -> tuple[float, float]:
    """Schedule every segment of every track into ``pool``, then sum and master each
    segment once all tracks have it; returns (scheduling, mastering) seconds."""
    schedule_s = master_s = 0.0
    segments = len(bounds) - 1
    sample_rate = result.sample_rate
    try:
        for k in range(segments):
            scheduling = time.perf_counter()
            for index, track in enumerate(renders):
                events, rows = track.schedule(bounds[k], bounds[k + 1], result.errors)
                result.events.extend(events)
                if k == 0:
                    track.cost = estimated_cost(rows, (starts[1] - starts[0]) / sample_rate)
                pool.add(index, k, rows, starts[k], starts[k + 1])
            schedule_s += time.perf_counter() - scheduling
        for k in range(segments):
            a, b = starts[k], starts[k + 1]
            for index in range(len(renders)):
                pool.wait(index, k)
                # in track order: the same bits whoever rendered first
                renders[index].add_to(premaster[a:b], a, b, total)
            mastering = time.perf_counter()
            master_bus.process(premaster[a:b], master[a:b])
            master_s += time.perf_counter() - mastering
            if progress is not None:
                progress((k + 1) / segments)
    finally:
        pool.close()
    return schedule_s, master_s


def render_tracks(tracks: Mapping[str, Pattern], *, cycles: Fraction, cps: Fraction,
                  sample_rate: int = 48000, tail_s: float = 0.0, seed: int = 0,
                  stems: bool = True, max_voices: int = 256, sample_paths: list[str] | None = None,
                  progress: Progress | None = None, workers: int | None = None) -> RenderResult:
    """Render ``cycles`` cycles of ``tracks`` at ``cps``; ``tail_s`` seconds of tail after.

    Deterministic: the same tracks and options give bit-identical audio, whatever
    ``workers`` (threads; default :func:`default_workers`). ``max_voices`` holds per
    track. ``stems=False`` leaves ``RenderResult.stems`` empty (and needs far less
    memory); ``RenderResult.peaks`` has every track's peak either way.
    """
    if cycles <= 0:
        raise SessionError(f"nothing to render: {cycles} cycles")
    started = time.perf_counter()
    tempo = TempoMap(sample_rate=sample_rate, cps=cps)
    master_bus = MasterBus(sample_rate)
    latency = master_bus.latency
    total = tempo.frame_at(cycles) + int(round(tail_s * sample_rate))
    # the stems run on past the end by the master's lookahead, which sees that far
    frames = total + latency
    bounds = segment_cycles(cycles, cps)
    starts = [min(tempo.frame_at(c), frames) for c in bounds[:-1]] + [frames]
    names = list(tracks)
    renders = [TrackRender(name, tracks[name], tempo, frames, seed=seed, max_voices=max_voices,
                           sample_paths=sample_paths, keep_stem=stems) for name in names]
    result = RenderResult(master=np.zeros((0, 2), np.float32), premaster=np.zeros((0, 2), np.float32),
                          stems={}, sample_rate=sample_rate, cps=tempo.cps, cycles=cycles)
    threads = workers or default_workers()
    premaster = np.zeros((frames, 2), dtype=np.float32)
    master = np.zeros((frames, 2), dtype=np.float32)
    with short_gil_turns():
        pool = SegmentPool(renders, threads)
        schedule_s, master_s = _run_segments(renders, pool, bounds, starts, total, premaster,
                                             master, master_bus, result, progress)
    if stems:
        result.stems = {track.name: track.stem[:total] for track in renders}
    result.peaks = {track.name: track.peak for track in renders}
    # the order the live scheduler hands them out: by frame, then track
    result.events.sort(key=lambda e: (e.frame, e.track))
    result.master = master[latency:latency + total]
    result.premaster = premaster[:total]
    result.timings = {"schedule_s": schedule_s, "stems_cpu_s": pool.cpu_s, "master_s": master_s,
                      "wall_s": time.perf_counter() - started, "workers": float(threads)}
    return result

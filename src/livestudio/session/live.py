"""Live play: a pattern file -> loader -> scheduler -> engine, reloaded on every save.

:class:`LiveSession` is what both ``livestudio play --headless`` and the terminal UI
drive. A front thread wakes every few milliseconds, asks the engine where it is,
queries every track up to that position plus the lookahead (default 100 ms) and
sends the onsets ahead. A save reloads the file (in the watcher thread); changed
tracks and tempo swap in at the next quantization boundary, a broken save keeps the
last good version playing and lists its errors. If the engine process dies, the
engine link restarts it and the session re-sends from where the music has got to.

All public methods are thread-safe (one lock); listeners are called from session
threads, so a UI hops to its own thread (Textual: ``app.call_from_thread``).
"""

from __future__ import annotations

import math
import os
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from livestudio.errors import SessionError
from livestudio.session.engine_link import EngineLink, EngineStatus
from livestudio.session.scheduler import ScheduledEvent, Scheduler
from livestudio.session.settings import BEATS_PER_CYCLE
from livestudio.session.tempo import Anchor, TempoMap, exact

MIN_LOOKAHEAD_S = 0.02
MAX_LOOKAHEAD_S = 1.0
DEFAULT_CPS = 0.5
START_MARGIN_S = 0.05
RECENT_EVENTS = 256
SWITCH_INTERVAL_S = 0.001   # the GIL switch interval the front uses while playing
SCHEDULER_NICE = -10        # the scheduler thread's nice value, where permitted
RELOCATE_TOLERANCE = Fraction(1, 1000)   # cycles: a larger anchor mismatch is a relocation
KEYS_REFRESH_S = 0.02       # keys tracks' patches are sampled this often (sent when changed)


@dataclass
class LiveOptions:
    """How a live session plays (the ``play`` command's options)."""

    device: str | int | None = None       # substring or index; None = system default
    blocksize: int = 128
    latency: float | str | None = None    # seconds, or 'low'/'high'
    sample_rate: int | None = None        # None = the device's rate (48000 for the file sink)
    lookahead_s: float = 0.1
    record: str | None = None             # WAV path recorded from the start
    output: str = "auto"                  # auto (device, else file sink) | device | file
    file_path: str | None = None          # file sink path (default: <folder>/<stem>.live.wav)
    python_callback: bool = False         # fallback: a plain Python stream callback
    backend: str = "auto"                 # auto | core | test (test: sine kernel)
    midi: dict[str, Any] | None = None    # options for the engine's MIDI hub
    engine: EngineLink | None = None      # inject a fake engine (UI tests)
    load_timeout_s: float = 1.5
    watch: bool = True                    # reload on save
    spare_engine: bool = True             # keep a warm standby engine (restart in ~0.1 s)


@dataclass
class TrackInfo:
    """A track as the UI shows it."""

    name: str
    path: str
    line: int | None
    muted: bool
    soloed: bool
    error: str | None
    level: float
    since_cycle: float


@dataclass
class ErrorInfo:
    """An error to show, with its place when known."""

    message: str
    path: str = ""
    line: int | None = None
    track: str | None = None


@dataclass
class LiveStatus:
    """Everything the UI and ``--status-json`` show, in one snapshot."""

    engine: EngineStatus
    playing: bool
    cycle: float
    cps: float
    bpm: float
    tracks: dict[str, TrackInfo]
    errors: list[ErrorInfo]
    reloads: int
    last_reload_ms: float
    last_reload_ok: bool
    last_edit_to_schedule_ms: float | None
    swap_cycle: float | None
    lookahead_s: float
    engine_errors: list[str] = field(default_factory=list)


def _settings_cps(settings: Any) -> Fraction | None:
    """The file's tempo as an exact fraction (bpm / 240: 122 bpm -> 61/120 cps)."""
    if getattr(settings, "bpm", None) is None:
        return None
    return exact(settings.bpm) / (60 * BEATS_PER_CYCLE)


def default_file_sink_path(path: Path) -> Path:
    """Where the file sink writes for a session file or folder: in the session folder."""
    path = Path(path).resolve()
    folder = path if path.is_dir() else path.parent
    stem = path.name if path.is_dir() else path.stem
    return folder / f"{stem}.live.wav"


def _make_engine(path: Path, options: LiveOptions) -> EngineLink:
    from livestudio.engine.host.backend import core_available
    from livestudio.engine.host.client import EngineProcess
    from livestudio.engine.host.runtime import OutputConfig

    backend = options.backend
    if backend == "auto":
        backend = "core" if core_available() else "test"
    output = OutputConfig(
        output=options.output, device=options.device, sample_rate=options.sample_rate,
        blocksize=options.blocksize, latency=options.latency,
        python_callback=options.python_callback,
        file_path=str(options.file_path or default_file_sink_path(path)), backend=backend)
    return EngineProcess(output, record=options.record, midi=options.midi,
                         spare=options.spare_engine)


class LiveSession:
    """Plays a pattern file or session folder live (see the module doc)."""

    def __init__(self, path: str | Path, options: LiveOptions | None = None) -> None:
        self.path = Path(path)
        self.options = options or LiveOptions()
        lookahead = float(self.options.lookahead_s)
        if not MIN_LOOKAHEAD_S <= lookahead <= MAX_LOOKAHEAD_S:
            raise SessionError(f"lookahead must be within {MIN_LOOKAHEAD_S * 1000:.0f}.."
                               f"{MAX_LOOKAHEAD_S * 1000:.0f} ms, got {lookahead * 1000:g} ms")
        self.lookahead_s = lookahead
        self.engine: EngineLink = self.options.engine or _make_engine(self.path, self.options)
        self.scheduler: Scheduler | None = None
        self.tempo: TempoMap | None = None
        self.last_result: Any = None
        self.reloads = 0
        self.last_reload_ms = 0.0
        self.last_reload_ok = True
        self.last_edit_to_schedule_ms: float | None = None
        self.swap_cycle: Fraction | None = None
        self.events_sent = 0
        self._defs: dict[str, Any] = {}           # last good TrackDefs
        self._since: dict[str, Fraction] = {}
        self._load_errors: list[ErrorInfo] = []
        self._muted: set[str] = set()
        self._soloed: set[str] = set()
        self._pending_removals: list[tuple[Fraction, str]] = []
        self._playing = True
        self._stop_cycle: Fraction = Fraction(0)
        self._quantize: Fraction = Fraction(1)
        self._recent: dict[str, deque[ScheduledEvent]] = {}
        self._lock = threading.RLock()
        self._listeners: list[Callable[[str], None]] = []
        self._event_listeners: list[Callable[[list[ScheduledEvent]], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reloader: Any = None
        self._sr = 48000
        self._local_clock: tuple[float, int] | None = None
        self._started = False
        self._closed = False
        self._runtime_errors: list[str] = []
        self.scheduler_priority = "normal"
        self.min_margin_s = float("inf")     # least lead time an event was sent with
        self._track_errors: dict[str, str] = {}
        self._ops: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._sync_spec: str | None = None
        self.relocations = 0                  # jumps of a followed clock (Start, SPP)
        self._keys_sent: dict[str, list[dict[str, Any]]] = {}
        self._keys_next = 0.0

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        """Load the file, start the engine, the scheduler thread and the watcher."""
        from livestudio.session.loader import load_path

        if self._started:
            return
        self._started = True
        # the first load runs in the validator first too: a file stuck in a C call must not
        # freeze the front before it ever plays
        result = load_path(self.path, timeout_s=self.options.load_timeout_s, isolate=True)
        if result.ok and result.settings.sync and hasattr(self.engine, "midi"):
            # the clock source is the engine's MIDI hub's business (set before it starts)
            midi = dict(getattr(self.engine, "midi") or {})
            midi.setdefault("sync", result.settings.sync)
            self.engine.midi = midi  # type: ignore[attr-defined]
        self.engine.start()
        restart_hook = getattr(self.engine, "on_restart", "missing")
        if restart_hook != "missing":
            self.engine.on_restart = self._on_engine_restart  # type: ignore[attr-defined]
        if getattr(self.engine, "on_transport", "missing") != "missing":
            self.engine.on_transport = self._on_source_transport  # type: ignore[attr-defined]
        status = self.engine.status()
        self._sr = int(getattr(self.engine, "sample_rate", status.sample_rate) or 48000)
        cps = _settings_cps(result.settings) if result.ok else None
        cps = cps if cps is not None else Fraction(DEFAULT_CPS)
        with self._lock:
            self._begin_at(Fraction(0), cps)
            self._apply(result, first=True)
        self._thread = threading.Thread(target=self._run, name="livestudio-scheduler", daemon=True)
        self._thread.start()
        if self.options.watch:
            from livestudio.session.watcher import Reloader
            self._reloader = Reloader(self.path, self._on_result, timeout_s=self.options.load_timeout_s)
            self._reloader.start()

    def close(self) -> None:
        """Stop the watcher, the scheduler and the engine (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._reloader is not None:
            self._reloader.stop()
        if self._thread is not None:
            self._thread.join(2)
        if self._started:
            self.engine.close()

    def __enter__(self) -> "LiveSession":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- engine position ---------------------------------------------------------
    def _frame_now(self) -> int:
        frame_now = getattr(self.engine, "frame_now", None)
        if callable(frame_now):
            return int(frame_now())
        # a fake engine: its status frame, else a local clock
        status = self.engine.status()
        if status.frame:
            return int(status.frame)
        if self._local_clock is None:
            self._local_clock = (time.monotonic(), 0)
        t0, f0 = self._local_clock
        return f0 + int((time.monotonic() - t0) * self._sr)

    def _begin_at(self, cycle: Fraction, cps: Fraction) -> None:
        """Place ``cycle`` a little ahead of the engine and (re)start scheduling there."""
        start_frame = self._frame_now() + int((self.lookahead_s + START_MARGIN_S) * self._sr)
        self.tempo = TempoMap(sample_rate=self._sr, cps=cps, frame0=start_frame, cycle0=cycle)
        if self.scheduler is None:
            # a query slower than this mutes its track; wall time inflates while other
            # threads hold the GIL, so allow a few lookaheads before calling it runaway
            self.scheduler = Scheduler(self.tempo, query_budget_s=max(0.1, 2.5 * self.lookahead_s),
                                       watchdog=True)
        else:
            self.scheduler.tempo = self.tempo
            for state in self.scheduler.tracks.values():
                state.cursor = cycle
        set_anchor = getattr(self.engine, "set_anchor", None)
        if callable(set_anchor):
            set_anchor(start_frame, cycle, cps)
        else:
            self.engine.set_tempo(float(cps), at_cycle=cycle)

    def current_cycle(self) -> Fraction:
        """The cycle the engine plays now (the stop position while stopped)."""
        tempo = self.tempo
        if not self._playing or tempo is None:
            return self._stop_cycle
        anchors = tempo.anchors
        return max(tempo.cycle_at(self._frame_now()), anchors[0].cycle)

    # --- the scheduler thread ----------------------------------------------------
    def _boost(self) -> None:
        """Favour the scheduler thread: a higher CPU priority (where allowed) and a
        shorter GIL switch interval, so a busy UI thread delays it by ~1 ms, not 5."""
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SCHEDULER_NICE)
            self.scheduler_priority = f"nice {SCHEDULER_NICE}"
        except (OSError, AttributeError) as exc:   # not permitted: normal priority
            self.scheduler_priority = f"normal ({exc.__class__.__name__})"

    def _run(self) -> None:
        self._boost()
        tick = max(0.002, min(0.01, self.lookahead_s / 5))
        while not self._stop.wait(tick):
            try:
                self.tick()
            except Exception as exc:  # keep the music going; say what broke
                self._error_once(f"scheduler: {type(exc).__name__}: {exc}")

    def _do(self, op: Callable[[], None]) -> None:
        """Run ``op`` in the scheduler thread at its next tick (at once if not running)."""
        if self._thread is None or not self._thread.is_alive() or \
                threading.current_thread() is self._thread:
            with self._lock:
                op()
        else:
            self._ops.put(op)

    def tick(self) -> int:
        """Query and send everything due before now + lookahead; returns events sent."""
        with self._lock:
            while True:
                try:
                    op = self._ops.get_nowait()
                except queue.Empty:
                    break
                op()
            keys, new_errors = self._keys_changes()
            events: list[ScheduledEvent] = []
            if self._playing and self.scheduler is not None and self.tempo is not None:
                self._follow_engine_tempo()
                horizon = self._frame_now() + int(self.lookahead_s * self._sr)
                until = self.tempo.cycle_at(horizon)
                events, errors = self.scheduler.advance(until)
                new_errors += errors
                self._remove_due(until)
            if new_errors:
                assert self.scheduler is not None
                self._track_errors = dict(self.scheduler.errors())
        for name, patches in keys.items():
            self.engine.set_keys(name, patches)  # type: ignore[attr-defined]
        if events:
            margin = (events[0].frame - self._frame_now()) / self._sr
            if margin < self.min_margin_s:
                self.min_margin_s = margin
            self.engine.send_events(events)
            self.events_sent += len(events)
            for e in events:
                self._recent.setdefault(e.track, deque(maxlen=RECENT_EVENTS)).append(e)
            for fn in list(self._event_listeners):
                fn(events)
        if new_errors:
            self._notify("errors")
        return len(events)

    def _keys_changes(self) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
        """Keys tracks whose patch changed since it was last sent (``[]``: no longer
        played), sampled at the current cycle every ``KEYS_REFRESH_S``; and new errors.

        Runs while stopped too: a keyboard plays whether or not the transport runs.
        """
        if self.scheduler is None or self.tempo is None \
                or not callable(getattr(self.engine, "set_keys", None)):
            return {}, []
        now = time.monotonic()
        if now < self._keys_next:
            return {}, []
        self._keys_next = now + KEYS_REFRESH_S
        patches, errors = self.scheduler.keys_patches(self.current_cycle())
        changes = {name: p for name, p in patches.items() if self._keys_sent.get(name, []) != p}
        for name in self._keys_sent:
            if name not in patches:
                changes[name] = []
        self._keys_sent = {name: p for name, p in patches.items() if p}
        return changes, errors

    def _follow_engine_tempo(self) -> None:
        """Under external sync the engine moves the tempo anchor: re-anchor to it."""
        following = getattr(self.engine, "following", None)
        if not callable(following) or not following():
            return
        frame, cycle, cps = self.engine.engine_anchor()  # type: ignore[attr-defined]
        if cps <= 0:
            return
        assert self.tempo is not None and self.scheduler is not None
        last = self.tempo.anchors[-1]
        if abs(float(last.cps) - cps) < 1e-9 and abs(float(last.frame) - frame) < 1:
            return
        c = Fraction(cycle).limit_denominator(1 << 20)
        at = Fraction(int(round(frame)))
        anchor = Anchor(c, at, Fraction(cps).limit_denominator(1 << 24))
        if abs(self.tempo.cycle_at(at) - c) <= RELOCATE_TOLERANCE:
            # a tempo change: the beat goes on from where it is
            self.tempo.anchors = [a for a in self.tempo.anchors if a.cycle < c] + [anchor]
        else:
            # a relocation (MIDI Start or Song Position, Link start): play on from the new
            # position; the notes queued for the old one must not start
            self.tempo.anchors = [anchor]
            resume = max(c, self.tempo.cycle_at(self._frame_now()))
            for state in self.scheduler.tracks.values():
                state.cursor = resume
            flush = getattr(self.engine, "flush", None)
            if callable(flush):
                flush()
            self.relocations += 1
        self.engine.adopt_anchor((frame, cycle, cps))  # type: ignore[attr-defined]

    def _on_source_transport(self, playing: bool, beat: float) -> None:
        """The followed clock started or stopped (engine reader thread): do the same."""
        if playing == self._playing:
            return
        if not playing:
            self.set_playing(False)
            return

        def resume() -> None:
            # play from where the engine's (followed) clock is; a relocation that
            # arrives later is picked up by ``_follow_engine_tempo``
            frame, cycle, cps = self.engine.engine_anchor()  # type: ignore[attr-defined]
            self.tempo = TempoMap(sample_rate=self._sr, cps=Fraction(cps).limit_denominator(1 << 24),
                                  frame0=int(round(frame)),
                                  cycle0=Fraction(cycle).limit_denominator(1 << 20))
            assert self.scheduler is not None
            self.scheduler.tempo = self.tempo
            start = max(self.tempo.anchors[0].cycle, self.tempo.cycle_at(self._frame_now()))
            for state in self.scheduler.tracks.values():
                state.cursor = start
            self.engine.adopt_anchor((frame, cycle, cps))  # type: ignore[attr-defined]

        self.engine.set_playing(True)
        self._do(resume)
        self._playing = True
        self._notify("engine")

    def _remove_due(self, until: Fraction) -> None:
        due = [(c, n) for c, n in self._pending_removals if c <= until]
        if not due:
            return
        self._pending_removals = [(c, n) for c, n in self._pending_removals if c > until]
        for _, name in due:
            if name not in self._defs and self.scheduler is not None:
                self.scheduler.tracks.pop(name, None)
                self.engine.remove_track(name)

    # --- reloads -----------------------------------------------------------------
    def reload(self) -> None:
        """Load the file now, as if it had been saved."""
        from livestudio.session.loader import load_path
        self._on_result(load_path(self.path, timeout_s=self.options.load_timeout_s))

    def _on_result(self, result: Any) -> None:
        with self._lock:
            self._apply(result, first=False)
        self._notify("reload")

    def _boundary(self) -> Fraction:
        """The next quantization boundary at or after everything already sent."""
        assert self.scheduler is not None and self.tempo is not None
        cursors = [s.cursor for s in self.scheduler.tracks.values() if s.cursor is not None]
        horizon = max(cursors) if cursors else self.tempo.cycle_at(
            self._frame_now() + int(self.lookahead_s * self._sr))
        if not self._playing:
            horizon = max(horizon, self._stop_cycle)
        q = self._quantize
        return Fraction(math.ceil(horizon / q)) * q

    def _apply(self, result: Any, *, first: bool) -> None:
        from livestudio.session.loader import diff_tracks

        assert self.scheduler is not None and self.tempo is not None
        self.last_result = result
        if not first:
            self.reloads += 1
        self.last_reload_ms = float(result.elapsed_s) * 1000.0
        self.last_reload_ok = bool(result.ok)
        if not result.ok:
            self._load_errors = [ErrorInfo(str(e), str(e.path), e.line) for e in result.errors]
            return
        self._load_errors = []
        settings = result.settings
        self._quantize = Fraction(settings.quantize)
        at = self.tempo.anchors[0].cycle if first else self._boundary()
        changes = diff_tracks(self._defs, result.tracks)
        cps = _settings_cps(settings)
        if cps is not None and cps != self.tempo.cps_at(at) and not first:
            self.tempo.set_cps(cps, at_cycle=at)
            self.engine.set_tempo(float(cps), at_cycle=at)
        if settings.sync and not first and settings.sync != self._sync_spec:
            set_sync = getattr(self.engine, "set_sync", None)
            if callable(set_sync):
                set_sync(settings.sync)
        if settings.sync:
            self._sync_spec = settings.sync
        for path in settings.sample_paths:
            load = getattr(self.engine, "load_samples", None)
            if callable(load):
                load(str(path))
        for name in changes.added + changes.changed:
            self.scheduler.set_track(name, result.tracks[name].pattern, at_cycle=at)
            self._since[name] = at
        for name in changes.removed:
            self.scheduler.remove_track(name, at_cycle=at)
            self._pending_removals.append((at, name))
            self._since.pop(name, None)
        self._defs = {name: (result.tracks[name] if name in changes.added + changes.changed
                             else self._defs[name]) for name in result.tracks}
        self._track_errors = dict(self.scheduler.errors())
        if changes.added or changes.changed or changes.removed:
            self.swap_cycle = at
            saved = getattr(result, "saved_at", None)
            self.last_edit_to_schedule_ms = (time.time() - saved) * 1000.0 if saved else None
        if changes.added or changes.removed:
            self._notify("tracks")

    # --- engine restart ----------------------------------------------------------
    def _on_engine_restart(self, frame_now: int) -> None:
        """The engine came back: re-send from where the music is now."""
        with self._lock:
            if self.tempo is None or self.scheduler is None:
                return
            resume = self.tempo.cycle_at(frame_now + int(0.01 * self._sr))
            for state in self.scheduler.tracks.values():
                if state.cursor is not None and state.cursor > resume:
                    state.cursor = resume
            for name in self._muted | self._soloed:
                self._push_track_state(name)
        self._notify("engine")

    # --- actions -------------------------------------------------------------------
    def _push_track_state(self, name: str) -> None:
        self.engine.set_track_state(name, muted=name in self._muted, soloed=name in self._soloed)

    def mute(self, track: str, on: bool | None = None) -> None:
        """Mute a track (``on=None`` toggles); takes effect at once."""
        on = (track not in self._muted) if on is None else on
        self._muted = (self._muted | {track}) if on else (self._muted - {track})
        if self.scheduler is not None:
            self.scheduler.muted = set(self._muted)
        self._push_track_state(track)
        self._notify("tracks")

    def solo(self, track: str, on: bool | None = None) -> None:
        """Solo a track (``on=None`` toggles); takes effect at once."""
        on = (track not in self._soloed) if on is None else on
        self._soloed = (self._soloed | {track}) if on else (self._soloed - {track})
        if self.scheduler is not None:
            self.scheduler.soloed = set(self._soloed)
        self._push_track_state(track)
        self._notify("tracks")

    def panic(self) -> None:
        """All voices and MIDI notes off (the patterns keep playing)."""
        self.engine.panic()

    def set_playing(self, playing: bool) -> None:
        """Stop (every voice and note released) or continue from the stop position.

        Returns at once (never waits for the scheduler), so a UI stays responsive.
        """
        playing = bool(playing)
        if playing == self._playing:
            return
        if not playing:
            self._stop_cycle = self.current_cycle()
            self._playing = False
            self.engine.set_playing(False)
        else:
            def resume() -> None:
                assert self.tempo is not None
                self._begin_at(self._stop_cycle, self.tempo.cps_at(self._stop_cycle))
            self.engine.set_playing(True)
            self._do(resume)
            self._playing = True
        self._notify("engine")

    def toggle_playing(self) -> None:
        """Stop if playing, continue if stopped."""
        self.set_playing(not self._playing)

    @property
    def playing(self) -> bool:
        """Whether the transport runs."""
        return self._playing

    def set_tempo(self, *, bpm: float | None = None, cps: float | None = None) -> None:
        """Change tempo at the next quantization boundary (one of ``bpm``/``cps``)."""
        if (bpm is None) == (cps is None):
            raise SessionError("set_tempo takes exactly one of bpm=... or cps=...")
        value = Fraction(repr(float(cps))) if cps is not None else Fraction(repr(float(bpm))) / 240
        if not Fraction(1, 100) <= value <= 100:
            raise SessionError(f"tempo out of range: {float(value) * 240:g} bpm")

        def change() -> None:
            assert self.tempo is not None
            at = self._boundary()
            self.tempo.set_cps(value, at_cycle=at)
            self.engine.set_tempo(float(value), at_cycle=at)

        self._do(change)
        self._notify("engine")

    def set_sync(self, spec: str) -> None:
        """Switch the clock source now: ``internal``, ``link``, ``midi`` or ``midi:PORT``.

        The beat does not jump (the engine re-locks by tempo). A source that cannot
        open (a missing port) is reported in the engine errors; the old one stays.
        """
        spec = str(spec).strip()
        if spec not in ("internal", "link", "midi") and not (spec.startswith("midi:") and len(spec) > 5):
            raise SessionError(f"clock source must be internal, link, midi or midi:PORT, got {spec!r}")
        set_sync = getattr(self.engine, "set_sync", None)
        if not callable(set_sync):
            raise SessionError("this engine cannot follow another clock")
        set_sync(spec)
        self._notify("engine")

    def record(self, path: str | None) -> None:
        """Start recording the master to a WAV at ``path`` (None stops)."""
        self.engine.record(None if path is None else str(Path(path).resolve()))
        self._notify("engine")

    # --- listeners -------------------------------------------------------------------
    def add_listener(self, fn: Callable[[str], None]) -> None:
        """Call ``fn(kind)`` when reload, errors, tracks or engine state change."""
        self._listeners.append(fn)

    def add_event_listener(self, fn: Callable[[list[ScheduledEvent]], None]) -> None:
        """Call ``fn(events)`` with every batch sent to the engine (scheduler thread)."""
        self._event_listeners.append(fn)

    def recent_events(self, track: str) -> list[ScheduledEvent]:
        """The last events sent for ``track`` (up to 256)."""
        return list(self._recent.get(track, ()))

    def _notify(self, kind: str) -> None:
        for fn in list(self._listeners):
            try:
                fn(kind)
            except Exception as exc:  # a broken listener must not stop the music
                self._error_once(f"listener: {type(exc).__name__}: {exc}")

    def _error_once(self, text: str) -> None:
        if text not in self._runtime_errors:
            self._runtime_errors = [*self._runtime_errors[-19:], text]

    # --- reading -------------------------------------------------------------------
    @property
    def tracks(self) -> dict[str, TrackInfo]:
        """The tracks of the last good load, with their state."""
        return self.status().tracks

    @property
    def errors(self) -> list[ErrorInfo]:
        """Load errors, track errors (muted tracks), and engine errors."""
        return self.status().errors

    def status(self) -> LiveStatus:
        """A snapshot of the session and the engine."""
        engine = self.engine.status()
        if True:  # no lock: every field read here is replaced whole, never mutated
            track_errors = self._track_errors
            tracks = {}
            for name, d in self._defs.items():
                tracks[name] = TrackInfo(
                    name=name, path=str(d.path), line=d.line, muted=name in self._muted,
                    soloed=name in self._soloed, error=track_errors.get(name),
                    level=float(engine.levels.get(name, 0.0)),
                    since_cycle=float(self._since.get(name, 0)))
            errors = list(self._load_errors)
            for name, text in track_errors.items():
                d = self._defs.get(name)
                errors.append(ErrorInfo(text, str(d.path) if d else "", d.line if d else None, name))
            errors.extend(ErrorInfo(t) for t in self._runtime_errors)
            engine_errors = list(getattr(self.engine, "errors", []))
            errors.extend(ErrorInfo(t) for t in engine_errors[-10:])
            cycle = float(self.current_cycle())
            cps = float(self.tempo.cps_at(Fraction(cycle)) if self.tempo else engine.cps)
            engine.cycle = cycle
            engine.cps = cps
            engine.playing = self._playing
            return LiveStatus(
                engine=engine, playing=self._playing, cycle=cycle, cps=cps, bpm=cps * 240.0,
                tracks=tracks, errors=errors, reloads=self.reloads,
                last_reload_ms=self.last_reload_ms, last_reload_ok=self.last_reload_ok,
                last_edit_to_schedule_ms=self.last_edit_to_schedule_ms,
                swap_cycle=None if self.swap_cycle is None else float(self.swap_cycle),
                lookahead_s=self.lookahead_s, engine_errors=engine_errors)

    def status_json(self) -> dict[str, Any]:
        """The ``--status-json`` line: the issue's keys plus a few more."""
        s = self.status()
        data = s.engine.to_json()
        data.update({
            "cycle": round(s.cycle, 4), "cps": s.cps, "bpm": round(s.bpm, 3),
            "load": round(s.engine.load, 4), "load_max": round(s.engine.load_max, 4),
            "errors": [e.message for e in s.errors],
            "levels": {k: round(v, 5) for k, v in s.engine.levels.items() if k in s.tracks},
            "tracks": sorted(s.tracks), "reloads": s.reloads,
            "last_reload_ms": round(s.last_reload_ms, 2), "playing": s.playing,
            "lookahead_ms": round(s.lookahead_s * 1000, 1), "events_sent": self.events_sent,
        })
        data.pop("rms", None)
        return data


def run_headless(session: LiveSession, *, duration_s: float | None, status_json: bool,
                 interval_s: float = 0.5, write: Callable[[str], None] = print,
                 stop: threading.Event | None = None) -> None:
    """Print status lines (JSON or text) every ``interval_s`` until ``duration_s``."""
    import json

    stop = stop or threading.Event()
    t0 = time.monotonic()
    next_line = t0
    while not stop.is_set():
        now = time.monotonic()
        if duration_s is not None and now - t0 >= duration_s:
            break
        if now >= next_line:
            next_line += interval_s
            if status_json:
                write(json.dumps(session.status_json()))
            else:
                write(_text_line(session.status()))
        wait = next_line - time.monotonic()
        if duration_s is not None:
            wait = min(wait, t0 + duration_s - time.monotonic())
        stop.wait(max(wait, 0.0))
    if status_json:
        write(json.dumps(session.status_json()))


def _text_line(s: LiveStatus) -> str:
    e = s.engine
    levels = " ".join(f"{k}={v:.2f}" for k, v in sorted(e.levels.items()) if k in s.tracks)
    line = (f"[{e.output}] cycle {s.cycle:8.3f}  {s.bpm:6.1f} bpm  voices {e.voices:3d}  "
            f"load {e.load * 100:4.1f}% (max {e.load_max * 100:4.1f}%)  xruns {e.xruns}  late {e.late}"
            f"  restarts {e.engine_restarts}  {levels}")
    for err in s.errors[-3:]:
        line += f"\n  ! {err.message}"
    return line


__all__: Sequence[str] = ["LiveSession", "LiveOptions", "LiveStatus", "TrackInfo", "ErrorInfo",
                          "run_headless", "default_file_sink_path"]

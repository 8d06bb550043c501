"""The scheduler: queries tracks back to back and turns onsets into timed events.

Both live play and offline render use this one piece of code, so an onset lands at
the same frame in both. Each track keeps a cursor (the end of its last query); a call
to :meth:`Scheduler.advance` queries every track from its cursor up to the given
cycle, keeps haps whose onset lies in the span, and stamps them with their exact frame
from the :class:`~livestudio.session.tempo.TempoMap`.

A pattern swap is scheduled for a cycle (the quantization boundary); the query span is
split there so the old version plays up to it and the new one from it. A track whose
query raises or runs over its time budget is muted and its error kept; the other tracks
keep playing.

Keys tracks (``midikeys()``, played from a MIDI keyboard) make no events here: their
haps are patches, which :meth:`Scheduler.keys_patches` samples at a given cycle.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from livestudio.patterns.keys import keys_spec
from livestudio.patterns.pattern import Pattern
from livestudio.session.tempo import TempoMap


class QueryTimeout(Exception):
    """Raised into the scheduler's thread when one track's query runs over its budget."""


class QueryWatchdog:
    """Stops a track query that hangs (``while True`` in a user function at play time).

    The querying thread announces each query with :meth:`begin` and :meth:`end`; a
    daemon thread raises :class:`QueryTimeout` into it (``PyThreadState_SetAsyncExc``)
    once a query has run ``limit_s`` of wall time. ``end`` cancels an exception that
    was raised but not yet delivered, so it can never escape outside the query. Like
    any async exception it stops pure-Python loops, not one long C call.
    """

    POLL_S = 0.005

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self._lock = threading.Lock()
        self._token: tuple[int, float] | None = None  # (thread id, deadline)
        self._thread: threading.Thread | None = None

    def begin(self) -> None:
        """The calling thread starts a query now."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="livestudio-query-watchdog",
                                            daemon=True)
            self._thread.start()
        with self._lock:
            self._token = (threading.get_ident(), time.monotonic() + self.limit_s)

    def end(self) -> None:
        """The calling thread's query is over; drop any undelivered QueryTimeout."""
        with self._lock:
            self._token = None
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)

    def _watch(self) -> None:
        while True:
            time.sleep(self.POLL_S)
            with self._lock:
                token = self._token
                if token is not None and time.monotonic() > token[1]:
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(token[0]),
                                                               ctypes.py_object(QueryTimeout))


@dataclass(slots=True)
class ScheduledEvent:
    """One onset of one track, stamped in cycles and in frames."""

    track: str
    cycle: Fraction
    cycle_end: Fraction
    frame: int
    duration_s: float
    controls: dict[str, Any]
    locations: tuple[tuple[int, int], ...] = ()

    def note_length_s(self) -> float:
        """How long the note sounds before release: the hap's length times ``legato``."""
        legato = self.controls.get("legato", 1.0)
        try:
            factor = float(legato)
        except (TypeError, ValueError):
            factor = 1.0
        if not math.isfinite(factor) or factor <= 0:
            factor = 1.0
        return self.duration_s * factor


MIDI_KEYS = ("midiport", "midi_port")


def is_midi_controls(controls: Mapping[str, Any]) -> bool:
    """Whether an event goes to MIDI gear (``.midi(...)``: a port, or ``target="midi"``)."""
    return any(k in controls for k in MIDI_KEYS) or controls.get("target") == "midi"


def value_to_controls(value: Any) -> dict[str, Any]:
    """A hap value as a control dict: dicts as they are, a string is ``s``, a number ``note``.

    >>> value_to_controls("bd"), value_to_controls(60), value_to_controls(["bd", 3])
    ({'s': 'bd'}, {'note': 60}, {'s': 'bd', 'n': 3})
    """
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, bool):
        return {"value": value}
    if isinstance(value, (int, float, Fraction)):
        return {"note": value}
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        out: dict[str, Any] = {"s": value[0]}
        if len(value) > 1:
            out["n"] = value[1]
        if len(value) > 2:
            out["gain"] = value[2]
        return out
    return {"value": value}


def query_onsets(pattern: Pattern, begin: Fraction, end: Fraction) -> list[Any]:
    """The haps of ``pattern`` whose onset (whole begin) lies in ``[begin, end)``."""
    return [h for h in pattern.query_arc(begin, end)
            if h.whole is not None and h.has_onset()]


KEYS_PROBE = Fraction(1, 1024)   # the span a keys patch is sampled over (cycles)


@dataclass
class Version:
    """One version of a track's pattern, playing from ``since`` (a cycle) on."""

    since: Fraction
    pattern: Pattern | None  # None: the track stops at ``since``
    keys: bool | None = None  # whether it is a keys track (found on first use)


@dataclass
class TrackState:
    """A track's versions, cursor and health."""

    name: str
    versions: list[Version] = field(default_factory=list)
    cursor: Fraction | None = None
    error: str | None = None
    last_query_s: float = 0.0

    def pattern_at(self, cycle: Fraction) -> tuple[Pattern | None, Fraction | None]:
        """The pattern in force at ``cycle`` and the cycle where the next version starts."""
        current, next_since = self.version_at(cycle)
        return (None if current is None else current.pattern), next_since

    def version_at(self, cycle: Fraction) -> tuple[Version | None, Fraction | None]:
        """The version in force at ``cycle`` and the cycle where the next one starts."""
        current: Version | None = None
        next_since: Fraction | None = None
        for version in self.versions:
            if version.since <= cycle:
                current = version
            else:
                next_since = version.since
                break
        return current, next_since


class Scheduler:
    """Queries every active track ahead of the engine and returns timed onsets."""

    def __init__(self, tempo: TempoMap, *, query_budget_s: float = 0.05,
                 watchdog: bool = False) -> None:
        self.tempo = tempo
        self.query_budget_s = query_budget_s
        self.watchdog = QueryWatchdog(query_budget_s) if watchdog else None
        self.tracks: dict[str, TrackState] = {}
        self.muted: set[str] = set()
        self.soloed: set[str] = set()

    # --- track management -------------------------------------------------
    def set_track(self, name: str, pattern: Pattern, *, at_cycle: Fraction) -> None:
        """Play ``pattern`` as track ``name`` from ``at_cycle`` on (a swap, or a new track)."""
        state = self.tracks.setdefault(name, TrackState(name))
        state.versions = [v for v in state.versions if v.since < at_cycle]
        state.versions.append(Version(Fraction(at_cycle), pattern))
        if state.cursor is None:
            state.cursor = Fraction(at_cycle)
        state.error = None

    def remove_track(self, name: str, *, at_cycle: Fraction) -> None:
        """Stop track ``name`` from ``at_cycle`` on."""
        state = self.tracks.get(name)
        if state is None:
            return
        state.versions = [v for v in state.versions if v.since < at_cycle]
        state.versions.append(Version(Fraction(at_cycle), None))

    def errors(self) -> dict[str, str]:
        """Tracks muted by an error, with the error text."""
        return {name: s.error for name, s in self.tracks.items() if s.error}

    def audible(self, name: str) -> bool:
        """Whether events of ``name`` are sent (not muted, and soloed if any solo is on)."""
        if name in self.muted:
            return False
        return not self.soloed or name in self.soloed

    # --- querying ---------------------------------------------------------
    def _guarded(self, state: TrackState, what: str, query: Any) -> tuple[Any, str | None]:
        """Run ``query()`` for ``state`` under the watchdog; (result, new error or None).

        A query that raises or runs over the budget mutes the track (``state.error``).
        """
        t0 = time.thread_time()
        try:
            if self.watchdog is not None:
                self.watchdog.begin()
            try:
                result = query()
            finally:
                if self.watchdog is not None:
                    self.watchdog.end()
        except QueryTimeout:
            state.error = (f"track {state.name!r}: {what} ran over its "
                           f"{self.query_budget_s * 1000:.0f} ms budget and was stopped; muted")
            return None, state.error
        except Exception as exc:  # a user pattern may raise anything: report and mute
            state.error = f"track {state.name!r}: {type(exc).__name__}: {exc}"
            return None, state.error
        finally:
            state.last_query_s = time.thread_time() - t0
        return result, None

    def keys_patches(self, cycle: Fraction) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
        """The patches of every keys track at ``cycle``; returns (patches, new errors).

        A keys track (``midikeys()``) maps to the control dicts of its haps at ``cycle``
        (each holds its :class:`~livestudio.patterns.keys.KeySpec` under ``midikeys``;
        a ``stack`` of keys patterns gives several: a layer or a split). Mute and solo do
        not apply here (the engine link mutes a track's keys with its bus); tracks with
        an error, removed tracks and other tracks are left out.
        """
        out: dict[str, list[dict[str, Any]]] = {}
        new_errors: list[str] = []
        for state in list(self.tracks.values()):
            if state.error is not None:
                continue
            version, _ = state.version_at(cycle)
            if version is None or version.pattern is None:
                continue
            pattern = version.pattern
            if version.keys is None:
                first, error = self._guarded(state, "query", lambda: pattern.query_arc(
                    version.since, version.since + 1))
                if error is not None:
                    new_errors.append(error)
                    continue
                version.keys = any(keys_spec(h.value) is not None for h in first)
            if not version.keys:
                continue
            haps, error = self._guarded(state, "keys query",
                                        lambda: pattern.query_arc(cycle, cycle + KEYS_PROBE))
            if error is not None:
                new_errors.append(error)
                continue
            out[state.name] = [dict(h.value) for h in haps if keys_spec(h.value) is not None
                               and h.part.begin <= cycle]
        return out, new_errors

    def advance(self, until: Fraction, *, start: Fraction | None = None) -> tuple[list[ScheduledEvent], list[str]]:
        """Query every track from its cursor to ``until``; return (events, new errors).

        ``start`` places cursors of tracks that have none yet. Events are sorted by frame.
        """
        events: list[ScheduledEvent] = []
        new_errors: list[str] = []
        for state in list(self.tracks.values()):
            if state.cursor is None:
                state.cursor = start if start is not None else until
            if state.cursor >= until:
                continue
            begin = state.cursor
            state.cursor = until
            if state.error is not None:
                continue
            haps, error = self._guarded(state, "query",
                                        lambda: list(self._query_track(state, begin, until)))
            if error is not None:
                new_errors.append(error)
                continue
            if state.last_query_s > self.query_budget_s:
                state.error = (f"track {state.name!r}: query took {state.last_query_s * 1000:.0f} ms "
                               f"of CPU, over its {self.query_budget_s * 1000:.0f} ms budget; muted")
                new_errors.append(state.error)
                continue
            if self.audible(state.name):
                events.extend(haps)
        events.sort(key=lambda e: (e.frame, e.track))
        return events, new_errors

    def _query_track(self, state: TrackState, begin: Fraction, end: Fraction) -> Iterable[ScheduledEvent]:
        cursor = begin
        while cursor < end:
            pattern, next_since = state.pattern_at(cursor)
            stop = end if next_since is None else min(end, next_since)
            if pattern is not None:
                for hap in query_onsets(pattern, cursor, stop):
                    if keys_spec(hap.value) is None:   # a keys patch is not a note
                        yield self._event(state.name, hap)
            cursor = stop

    def _event(self, track: str, hap: Any) -> ScheduledEvent:
        onset = Fraction(hap.whole.begin)
        end = Fraction(hap.whole.end)
        locations = tuple(tuple(loc) for loc in (hap.context or {}).get("locations", ()))
        controls = value_to_controls(hap.value)
        return ScheduledEvent(
            track=track,
            cycle=onset,
            cycle_end=end,
            frame=self.tempo.frame_at(onset) + nudge_frames(controls, self.tempo.sample_rate),
            duration_s=self.tempo.seconds_between(onset, end),
            controls=controls,
            locations=locations,  # type: ignore[arg-type]
        )


MAX_NUDGE_S = 1.0


def nudge_frames(controls: Mapping[str, Any], sample_rate: int) -> int:
    """``nudge`` (seconds, as in SuperDirt: push an onset late or, negative, early) in
    frames, within +-1 s; anything that is not a finite number counts as 0.

    >>> nudge_frames({"nudge": 0.01}, 48000), nudge_frames({"nudge": "x"}, 48000), nudge_frames({}, 48000)
    (480, 0, 0)
    """
    value = controls.get("nudge")
    if value is None:
        return 0
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(seconds):
        return 0
    return int(round(max(-MAX_NUDGE_S, min(MAX_NUDGE_S, seconds)) * sample_rate))


def engine_controls(event: ScheduledEvent, bus: int) -> dict[str, Any]:
    """The control dict the engine takes for ``event`` on bus ``bus``.

    Adds ``duration`` (the hap's length times ``legato``, in seconds) and sets
    ``orbit`` to the track's bus: every track plays on a bus of its own, so its
    level, mute and stem are its own.
    """
    controls = dict(event.controls)
    controls["duration"] = event.note_length_s()
    controls["orbit"] = bus
    return controls

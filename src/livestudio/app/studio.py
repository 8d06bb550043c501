"""The livestudio app: transport, tracks, engine panel, errors and log, on one screen.

The session runs its own threads (watcher, scheduler, engine link); the app polls
``session.status()`` (cheap, no I/O) at ``refresh_hz`` and is told about reloads and
errors through ``session.add_listener``, whose callback runs on a session thread and
only posts a message (thread-safe, never blocks the session). Slow actions (a manual
reload runs user code for up to its time budget) run in thread workers that report
back with ``call_from_thread``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from livestudio.app.engine_panel import EnginePanel
from livestudio.app.error_panel import ErrorPanel
from livestudio.app.event_tap import EventTap
from livestudio.app.help_screen import HelpScreen
from livestudio.app.log_panel import LogPanel, wall_clock
from livestudio.app.session_view import SessionLike, short_path, target_of
from livestudio.app.source_line import SourceLine, lit_columns
from livestudio.app.tap_tempo import TapTempo
from livestudio.app.track_list import TrackList
from livestudio.app.track_row import TrackRow
from livestudio.app.transport import Transport


class StudioApp(App[None]):
    """The terminal UI of a live session."""

    CSS_PATH = "livestudio.tcss"
    TITLE = "livestudio"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("space", "toggle_play", "play"),
        Binding("m", "mute", "mute"),
        Binding("s", "solo", "solo"),
        Binding("r", "record", "rec"),
        Binding("t", "tap", "tap"),
        Binding("plus,equals_sign", "tempo(1)", "bpm", key_display="+"),
        Binding("minus,underscore", "tempo(-1)", "bpm", key_display="-"),
        Binding("p", "panic", "panic"),
        Binding("c", "clock", "clock", show=False),
        Binding("l", "reload", "reload", show=False),
        Binding("up,k", "select(-1)", "up", show=False),
        Binding("down,j", "select(1)", "down", show=False),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    class SessionChanged(Message):
        """The session reported a change (posted from a session thread)."""

        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    def __init__(self, session: SessionLike, *, refresh_hz: float = 25.0,
                 clock: Callable[[], str] = wall_clock,
                 monotonic: Callable[[], float] = time.monotonic,
                 record_dir: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.refresh_hz = refresh_hz
        self.log_clock = clock
        self.monotonic = monotonic
        self.record_dir = record_dir
        self.tap_tempo = TapTempo()
        self.events = EventTap()
        self._errors_shown: tuple[tuple[str, str, int | None], ...] = ()
        self._reloads_seen = 0
        self._last_status: Any = None
        self._pending_bpm: float | None = None
        self._status_error: str | None = None

    # --- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Transport(id="transport")
        yield TrackList(id="tracks")
        with Horizontal(id="bottom"):
            yield EnginePanel(id="engine")
            with Vertical(id="messages"):
                yield ErrorPanel(id="errors")
                yield LogPanel(id="log", clock=self.log_clock)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._transport = self.query_one(Transport)
        self._track_list = self.query_one(TrackList)
        self._engine_panel = self.query_one(EnginePanel)
        self._error_panel = self.query_one(ErrorPanel)
        self._log_panel = self.query_one(LogPanel)
        self._source = self.query_one(SourceLine)
        self.query_one("#tracks").border_title = "tracks"
        self.query_one("#engine").border_title = "engine"
        self.query_one("#log").border_title = "log"
        self._error_panel.display = False
        self._transport.session_name = Path(self.session.path).name
        self.session.add_listener(self._from_session_thread)
        add_events = getattr(self.session, "add_event_listener", None)
        if callable(add_events):
            add_events(self.events.add)
        log = self._log_panel
        log.info(f"session {Path(self.session.path).name} · ? for keys, ctrl+p for commands")
        self.poll_session()
        self._log_reload_state(initial=True)
        self._poll_timer = self.set_interval(1.0 / self.refresh_hz, self.poll_session)

    def on_unmount(self) -> None:
        self._poll_timer.stop()

    # --- session -> UI -----------------------------------------------------------
    def _from_session_thread(self, kind: str) -> None:
        """Runs on a session thread: hand the news to the app thread, never block."""
        self.post_message(self.SessionChanged(kind))

    def on_studio_app_session_changed(self, message: SessionChanged) -> None:
        if message.kind in ("reload", "errors"):
            self.poll_session()
            self._log_reload_state()

    def poll_session(self) -> None:
        """Read the session's status and push it into the widgets."""
        if not self.is_running:
            return
        try:
            status = self.session.status()
        except Exception as exc:  # noqa: BLE001 - a session bug must not take the UI down on stage
            text = f"status failed: {type(exc).__name__}: {exc}"
            if text != self._status_error:
                self._status_error = text
                self._log_panel.error(text)
            return
        self._status_error = None
        self._last_status = status
        engine = status.engine
        transport = self._transport
        transport.playing = bool(status.playing)
        transport.cps = float(status.cps)
        transport.cycle = float(status.cycle)
        transport.sync = str(getattr(engine, "sync", "internal") or "internal")
        transport.sync_ok = bool(getattr(engine, "sync_ok", True))
        transport.link_peers = int(getattr(engine, "link_peers", 0))
        transport.recording = getattr(engine, "recording", None)
        transport.alive = bool(getattr(engine, "alive", True))
        self._engine_panel.status = engine
        if self._pending_bpm is not None and abs(float(status.bpm) - self._pending_bpm) < 0.05:
            self._pending_bpm = None
        self._update_tracks(status)
        errors = tuple(status.errors)
        key = tuple((str(e.message), str(e.path), e.line) for e in errors)
        if key != self._errors_shown:
            self._errors_shown = key
            self._error_panel.errors = errors

    def _update_tracks(self, status: Any) -> None:
        tracks = status.tracks
        track_list = self._track_list
        track_list.sync_tracks(list(tracks))
        cycle = float(status.cycle)
        whole = math.floor(cycle) if cycle >= 0 else 0
        any_solo = any(info.soloed for info in tracks.values())
        for row in track_list.query(TrackRow):
            info = tracks.get(row.track)
            if info is None:
                continue
            row.muted = bool(info.muted)
            row.soloed = bool(info.soloed)
            row.silenced = any_solo and not info.soloed
            row.error = info.error
            row.level = float(status.engine.levels.get(row.track, getattr(info, "level", 0.0)))
            row.location = short_path(info.path, info.line)
            row.target = getattr(info, "target", None) or target_of(self.events.controls(row.track))
            row.steps = self.events.steps(row.track, whole)
            row.position = cycle - whole
            row.playing = bool(status.playing)
        self._update_source(status, whole, cycle - whole)
        self._update_subtitle()

    def _update_source(self, status: Any, whole: int, position: float) -> None:
        """Show the selected track's code line, its sounding mini-notation lit."""
        name = self._track_list.selected
        info = status.tracks.get(name) if name is not None else None
        if info is None or not info.path or not info.line:
            self._source.code = ""
            return
        import linecache
        code = linecache.getline(info.path, info.line).rstrip("\n")
        self._source.track = name or ""
        self._source.code = code
        steps = self.events.steps(name, whole) if status.playing else ()
        self._source.lit = frozenset(lit_columns(code, steps, position))

    def _update_subtitle(self) -> None:
        track_list = self._track_list
        name = track_list.selected
        status = self._last_status
        text = ""
        if name is not None and status is not None and name in status.tracks:
            info = status.tracks[name]
            text = f"{name} · {short_path(info.path, info.line)}"
            if info.error:
                text += f" · {info.error.splitlines()[0]}"
        if track_list.border_subtitle != text:  # setting it repaints the whole list
            track_list.border_subtitle = text

    def _log_reload_state(self, *, initial: bool = False) -> None:
        status = self._last_status
        if status is None or (status.reloads == self._reloads_seen and not initial):
            return
        new = status.reloads != self._reloads_seen
        self._reloads_seen = status.reloads
        if not new and initial:
            return
        log = self._log_panel
        result = getattr(self.session, "last_result", None)
        edit_ms = getattr(status, "last_edit_to_schedule_ms", None)
        timing = f"{status.last_reload_ms:.0f} ms"
        if edit_ms is not None:
            timing += f", save→scheduled {edit_ms:.0f} ms"
        for line in getattr(result, "output", ()) if result is not None else ():
            log.info(line)
        if status.last_reload_ok:
            names = ", ".join(status.tracks) or "no tracks"
            log.good(f"reload #{status.reloads} ok ({timing}): {names}")
            for warning in getattr(result, "warnings", ()) if result is not None else ():
                log.warn(f"{short_path(warning.path, warning.line)} {warning.reason}")
        else:
            log.error(f"reload #{status.reloads} failed ({timing}); last good version plays on")
            for err in status.errors:
                self._log_error(err)

    def _log_error(self, err: Any) -> None:
        from livestudio.app.error_panel import error_text
        self._log_panel.error(error_text([err], _file_line))

    # --- actions -------------------------------------------------------------------
    @property
    def selected_track(self) -> str | None:
        """The track that m and s act on."""
        return self._track_list.selected

    def on_track_list_selection_changed(self, message: TrackList.SelectionChanged) -> None:
        self._update_subtitle()

    def on_track_row_mute_toggled(self, message: TrackRow.MuteToggled) -> None:
        self._track_list.selected = message.track
        self._toggle("mute", message.track)

    def on_track_row_solo_toggled(self, message: TrackRow.SoloToggled) -> None:
        self._track_list.selected = message.track
        self._toggle("solo", message.track)

    def on_transport_play_toggle_requested(self, message: Transport.PlayToggleRequested) -> None:
        self.action_toggle_play()

    def _toggle(self, what: str, track: str | None) -> None:
        if track is None:
            self._log_panel.warn(f"{what}: no track selected")
            return
        getattr(self.session, what)(track)
        self.poll_session()
        info = self._last_status.tracks.get(track) if self._last_status else None
        state = getattr(info, "muted" if what == "mute" else "soloed", None)
        self._log_panel.info(f"{what} {track}: {'on' if state else 'off'}")

    def action_toggle_play(self) -> None:
        """Start or stop the transport."""
        self.session.toggle_playing()
        self.poll_session()
        self._log_panel.info("play" if self._last_status.playing else "stop")

    def action_mute(self) -> None:
        """Mute or unmute the selected track."""
        self._toggle("mute", self.selected_track)

    def action_solo(self) -> None:
        """Solo or unsolo the selected track."""
        self._toggle("solo", self.selected_track)

    def action_select(self, delta: int) -> None:
        """Move the selection up or down."""
        self._track_list.move(delta)

    def action_record(self) -> None:
        """Start recording the master to a WAV next to the session, or stop."""
        log = self._log_panel
        if getattr(self._last_status.engine, "recording", None):
            self.session.record(None)
            log.info("recording stopped")
            return
        folder = self.record_dir or _session_folder(Path(self.session.path)) / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{Path(self.session.path).stem}-{datetime.now():%Y%m%d-%H%M%S}.wav"
        self.session.record(str(path))
        log.info(f"recording to {path}")

    def action_tap(self) -> None:
        """Tap tempo: after two taps, set the BPM from the taps."""
        bpm = self.tap_tempo.tap(self.monotonic())
        if bpm is not None:
            self._set_bpm(bpm, "tap")
        else:
            self._log_panel.info("tap… (tap again)")

    def action_tempo(self, delta: float) -> None:
        """Change the tempo by ``delta`` BPM at the next boundary."""
        current = float(self._last_status.bpm) if self._last_status else 120.0
        if self._pending_bpm is not None:  # +/- pressed again before the boundary
            current = self._pending_bpm
        self._set_bpm(round(current + delta, 1), "tempo")

    def _set_bpm(self, bpm: float, why: str) -> None:
        bpm = min(max(bpm, 10.0), 999.0)
        try:
            self.session.set_tempo(bpm=bpm)
        except Exception as exc:  # noqa: BLE001 - show a refused tempo, keep playing
            self._log_panel.error(f"{why}: {exc}")
            return
        self._pending_bpm = bpm
        self._log_panel.info(f"{why}: {bpm:.1f} BPM at the next boundary")

    def action_panic(self) -> None:
        """All voices and MIDI notes off."""
        self.session.panic()
        self._log_panel.warn("panic: all notes off")

    def action_clock(self, spec: str | None = None) -> None:
        """Switch the clock source (``spec``), or step own -> Link -> MIDI -> own."""
        current = str(getattr(self._last_status.engine, "sync", "internal") or "internal")
        if spec is None:
            spec = next_clock_source(current)
        try:
            self.session.set_sync(spec)
        except Exception as exc:  # noqa: BLE001 - show a refused switch, keep playing
            self._log_panel.error(f"clock: {exc}")
            return
        self._log_panel.info(f"clock: following {CLOCK_NAMES.get(spec, spec)}")

    def action_help(self) -> None:
        """Show the keys."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @work(thread=True, exclusive=True, group="reload")
    def action_reload(self) -> None:
        """Load the file now, as if saved (runs user code: in a thread worker)."""
        self.call_from_thread(self._log_panel.info, "reloading…")
        self.session.reload()
        self.call_from_thread(self.poll_session)
        self.call_from_thread(self._log_reload_state)

    # --- command palette ---------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The same actions as the keys, plus mute/solo by track name."""
        yield SystemCommand("Play / stop", "Start or stop the transport (space)", self.action_toggle_play)
        yield SystemCommand("Mute selected track", "Toggle mute (m)", self.action_mute)
        yield SystemCommand("Solo selected track", "Toggle solo (s)", self.action_solo)
        yield SystemCommand("Record", "Record the master to WAV / stop (r)", self.action_record)
        yield SystemCommand("Tap tempo", "Tap twice or more (t)", self.action_tap)
        yield SystemCommand("Tempo +1 BPM", "At the next boundary (+)", lambda: self.action_tempo(1))
        yield SystemCommand("Tempo -1 BPM", "At the next boundary (-)", lambda: self.action_tempo(-1))
        yield SystemCommand("Panic", "All notes off (p)", self.action_panic)
        for spec, name in CLOCK_NAMES.items():
            yield SystemCommand(f"Clock: {name}", f"Follow {name} (c steps through them)",
                                lambda s=spec: self.action_clock(s))
        yield SystemCommand("Reload", "Load the file now, as if saved (l)", self.action_reload)
        yield SystemCommand("Help", "Show the keys (?)", self.action_help)
        for name in self._track_list.names:
            yield SystemCommand(f"Mute {name}", f"Toggle mute of track {name}",
                                lambda n=name: self._toggle("mute", n), discover=False)
            yield SystemCommand(f"Solo {name}", f"Toggle solo of track {name}",
                                lambda n=name: self._toggle("solo", n), discover=False)
        yield from super().get_system_commands(screen)


CLOCK_NAMES = {"internal": "own clock", "link": "Ableton Link", "midi": "MIDI clock in"}


def next_clock_source(current: str) -> str:
    """The source the clock key switches to after ``current``.

    >>> next_clock_source("internal"), next_clock_source("link"), next_clock_source("midi:tr8")
    ('link', 'midi', 'internal')
    """
    if current == "internal":
        return "link"
    if current == "link":
        return "midi"
    return "internal"


def _session_folder(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def _file_line(err: Any) -> str:
    import linecache
    path, line = getattr(err, "path", ""), getattr(err, "line", None)
    return linecache.getline(path, line) if path and line else ""

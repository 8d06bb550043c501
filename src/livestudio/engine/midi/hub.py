"""The MIDI hub the engine process hosts: ports, timed sending, clock out/in, CC, notes.

The engine process calls :func:`create_hub` once with its
:class:`~livestudio.engine.host.clock.FrameClock` and options, hands every event whose
controls hold ``midiport`` (or ``target == "midi"``) to :meth:`MidiHub.handle`, and
calls the transport hooks. See ``docs/.live-session-api.md`` for the contract.

Options (all optional):

``clock_out``          port spec or list of specs to send MIDI clock to
``midi_in``            port spec or list of specs to read CC and notes from
``sync``               ``"internal"``, ``"midi"``, ``"midi:PORT"`` or ``"link"``
``port_offsets_ms``    ``{port substring: ms}``, added to every send time on that port
``offset_ms``          the default offset for every port (default 0)
``default_port``       the port for ``.midi()`` without a port name
``cc_store``           the shared-memory name of the front's :class:`CCStore`
``realtime``           give the sender thread SCHED_FIFO when allowed (default True)
``state_file``         where used (port, channel) pairs are kept for crash cleanup
``link_quantum``       beats per Link phase cycle (default 4)
``midi_in_latency_ms`` subtracted from MIDI clock arrival times (JACK delivers on the
                       next period: half a period, 1.33 ms at 128/48k, centres it)
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livestudio.engine.midi import messages as mm
from livestudio.engine.midi.cc import CCStore
from livestudio.engine.midi.clock_out import BEATS_PER_CYCLE, ClockOut
from livestudio.engine.midi.input import ControlListener, MidiInput, NoteListener
from livestudio.engine.midi.outport import OutPort
from livestudio.engine.midi.sender import NOTE_ON, PLAIN, MidiSender, Timed
from livestudio.engine.midi.timing import EngineClock
from livestudio.engine.midi.translate import translate
from livestudio.errors import LivestudioError, MidiPortError

if TYPE_CHECKING:
    from livestudio.engine.sync.driver import SyncDriver
    from livestudio.engine.sync.source import SyncSource

MAX_ERRORS = 20


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _state_dir() -> Path:
    return Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())


def _state_prefix() -> str:
    return f"livestudio-midi-{os.getuid() if hasattr(os, 'getuid') else 0}-"


def default_state_file() -> Path:
    """Where this engine process keeps the (port, channel) pairs it used."""
    return _state_dir() / f"{_state_prefix()}{os.getpid()}.json"


class MidiHub:
    """Everything MIDI (and sync) in the engine process."""

    def __init__(self, clock: EngineClock, *, options: Mapping[str, Any] | None = None) -> None:
        self.clock = clock
        self.options: dict[str, Any] = dict(options or {})
        self.errors: list[str] = []
        self.ports: dict[str, OutPort] = {}
        self.failed_ports: dict[str, str] = {}
        self._lock = threading.Lock()
        self.sender = MidiSender(realtime=bool(self.options.get("realtime", True)))
        self.sender.on_used_channel = self._remember_channel
        self.state_file = Path(self.options.get("state_file") or default_state_file())
        self._used: set[tuple[str, int]] = set()
        self.cc_store: CCStore | None = None
        if self.options.get("cc_store"):
            try:
                self.cc_store = CCStore.attach(str(self.options["cc_store"]))
            except FileNotFoundError:
                self._error(f"CC store {self.options['cc_store']!r} not found; CC input is not shared")
        self.clock_outs: list[ClockOut] = []
        self._pending_clock: set[str] = set()
        self.inputs: list[MidiInput] = []
        self._pending_inputs: set[str] = set()        # midi_in specs not found yet
        self._input_errors: dict[str, str] = {}       # why (per pending spec)
        self._note_listeners: list[NoteListener] = []
        self._control_listeners: list[ControlListener] = []
        self.playing = False
        self._closed = False
        self.sync: SyncSource | None = None          # set by start()
        self.sync_driver: SyncDriver | None = None
        self.on_transport: Callable[[bool, float], None] | None = None  # set by the engine process
        self._monitor_stop = threading.Event()
        self._monitor = threading.Thread(target=self._watch_ports, name="livestudio-midi-ports", daemon=True)

    # --- lifecycle --------------------------------------------------------------------
    def start(self) -> "MidiHub":
        """Clean up after a crashed engine, open the configured ports, start the threads.

        A configured port that is missing does not stop the engine: the error (naming
        the ports that exist) goes to ``poll_status()["midi_errors"]`` and the port is
        opened when it appears (clock out, note and ``midi_in`` ports; inputs are also
        reconnected when they vanish and return).
        Check ports up front with :func:`livestudio.engine.midi.ports.resolve` to fail early.
        """
        self._cleanup_previous_crash()
        # the engine's transport may already run (it plays from the start by default)
        self.playing = bool(getattr(self.clock, "playing", False))
        self.sender.start()
        for spec in _as_list(self.options.get("clock_out")):
            self._pending_clock.add(spec)
        self._open_pending_clocks()
        self._pending_inputs.update(_as_list(self.options.get("midi_in")))
        self._open_pending_inputs()
        from livestudio.engine.sync.choose import make_sync
        sync = str(self.options.get("sync") or "internal")
        try:
            self.sync, self.sync_driver = make_sync(sync, self.clock, self.options, hub=self)
        except LivestudioError as exc:
            self._error(f"--sync {sync}: {exc}; following the internal clock")
            self.sync, self.sync_driver = make_sync("internal", self.clock, self.options, hub=self)
        self._monitor.start()
        return self

    def _open_pending_inputs(self, *, report: bool = True) -> None:
        """Open the ``midi_in`` ports not found yet (at start, then as they appear)."""
        for spec in sorted(self._pending_inputs):
            try:
                midi_in = MidiInput(spec, cc_store=self.cc_store, latency_ms=float(
                    self.options.get("midi_in_latency_ms", 0.0)))
            except MidiPortError as exc:
                self._input_errors[spec] = f"{exc} (opened when it appears)"
                if report:
                    self._error(self._input_errors[spec])
                continue
            with self._lock:
                for on_note in self._note_listeners:
                    midi_in.add_listener(on_note)
                for on_control in self._control_listeners:
                    midi_in.add_control_listener(on_control)
                self.inputs.append(midi_in)
                self._pending_inputs.discard(spec)
                self._input_errors.pop(spec, None)
            if not report:
                self._error(f"MIDI input {midi_in.name!r} is now available")

    def input_problems(self) -> list[str]:
        """Why configured ``midi_in`` ports are not open (empty when all are)."""
        return [self._input_errors[spec] for spec in sorted(self._pending_inputs)
                if spec in self._input_errors]

    def _open_pending_clocks(self) -> None:
        for spec in sorted(self._pending_clock):
            try:
                port = self.port(spec)
            except MidiPortError as exc:
                self._error(f"clock out: {exc}")
                continue
            self._pending_clock.discard(spec)
            clock_out = ClockOut(self.clock, port)
            self.clock_outs.append(clock_out)
            beat = self._beat_now()
            playing = self.playing

            def add(c: ClockOut = clock_out) -> None:
                self.sender.periodic.append(c)
                if playing:
                    c.start(at_beat=beat)

            self.sender.call(add)

    def _beat_now(self) -> float:
        return self.clock.cycle_at(self.clock.monotonic_to_frame(time.monotonic())) * BEATS_PER_CYCLE

    def close(self) -> None:
        """All notes off (CC 123 on every used channel), stop clock, close everything."""
        if self._closed:
            return
        self._closed = True
        if self.sync_driver is not None:
            self.sync_driver.close()
        if self.sync is not None:
            self.sync.close()

        def finish() -> None:
            for c in self.clock_outs:
                c.stop()
            self.sender.periodic.clear()
            self.sender.all_notes_off()

        self.sender.call(finish)
        self.sender.close()
        self._monitor_stop.set()
        if self._monitor.is_alive():
            self._monitor.join(2.0)
        for midi_in in self.inputs:
            midi_in.close()
        for port in self.ports.values():
            port.close()
        if self.cc_store is not None:
            self.cc_store.close()
        try:
            self.state_file.unlink()
        except FileNotFoundError:
            pass

    def __enter__(self) -> "MidiHub":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ports --------------------------------------------------------------------------
    def offset_ms_for(self, spec: str) -> float:
        """The send offset of the port ``spec`` names."""
        for key, ms in dict(self.options.get("port_offsets_ms") or {}).items():
            if str(key).lower() in spec.lower():
                return float(ms)
        return float(self.options.get("offset_ms", 0.0))

    def port(self, spec: str) -> OutPort:
        """The open output port for ``spec`` (opened on first use; MidiPortError if missing)."""
        with self._lock:
            port = self.ports.get(spec)
            if port is None:
                port = OutPort(spec, offset_ms=self.offset_ms_for(spec))
                self.ports[spec] = port
            return port

    def _watch_ports(self) -> None:
        while not self._monitor_stop.wait(1.0):
            for port in [*self.ports.values(), *self.inputs]:
                try:
                    change = port.check()
                except Exception as exc:  # a port API failure must not stop the watcher
                    change = f"checking {getattr(port, 'name', port)!r}: {exc}"
                if change:
                    self._error(change)
            if self._pending_clock:
                self._open_pending_clocks()
            if self._pending_inputs:
                self._open_pending_inputs(report=False)
            for spec in list(self.failed_ports):  # a port that was missing may appear
                try:
                    self.port(spec)
                except MidiPortError:
                    continue
                del self.failed_ports[spec]
                self._error(f"MIDI port {spec!r} is now available")

    # --- events ---------------------------------------------------------------------------
    def handle(self, events: Iterable[Any]) -> None:
        """Queue MIDI events (objects with track, frame, duration_s, controls)."""
        items: list[Timed] = []
        default_port = self.options.get("default_port")
        for event in events:
            try:
                midi = translate(event.controls, float(event.duration_s), default_port=default_port)
            except LivestudioError as exc:
                self._error(f"track {event.track!r}: {exc}")
                continue
            if midi.port in self.failed_ports:
                continue
            try:
                port = self.port(midi.port)
            except MidiPortError as exc:
                self.failed_ports[midi.port] = str(exc)
                self._error(f"track {event.track!r}: {exc}")
                continue
            t = self.clock.frame_to_monotonic(event.frame) + port.offset_s
            for message in midi.before:
                items.append(Timed(t, self.sender.next_seq(), port, message, event.track, PLAIN))
            if midi.note is not None:
                items.append(Timed(t, self.sender.next_seq(), port,
                                   mm.note_on(midi.channel, midi.note, midi.velocity),
                                   event.track, NOTE_ON, midi.length_s))
        if items:
            now = time.monotonic()
            late = sum(1 for item in items if item.time < now)
            self.sender.late += late
            self.sender.schedule(items)

    def set_playing(self, playing: bool) -> None:
        """Transport start/stop: clock Start (or SPP+Continue)/Stop; stop ends every note."""
        self.playing = playing
        beat = self._beat_now()

        def apply() -> None:
            if playing:
                for c in self.clock_outs:
                    c.start(at_beat=beat)
            else:
                for c in self.clock_outs:
                    c.stop()
                self.sender.end_notes(None)

        self.sender.call(apply)

    def set_clock_enabled(self, port: str, enabled: bool) -> int:
        """Switch MIDI clock out on or off for the clock ports whose name contains ``port``.

        Returns how many ports matched. Switching on while playing restarts that port's
        clock with SPP + Continue at the current position.
        """
        matched = [c for c in self.clock_outs
                   if port.lower() in c.port.name.lower() or port.lower() in c.port.spec.lower()]
        beat = self._beat_now()
        playing = self.playing

        def apply() -> None:
            for c in matched:
                if enabled and not c.enabled:
                    c.enabled = True
                    if playing:
                        c.start(at_beat=beat)
                elif not enabled and c.enabled:
                    if c.running:
                        c.port.send((mm.STOP,))
                    c.enabled = False

        self.sender.call(apply)
        return len(matched)

    def set_sync(self, spec: str) -> None:
        """Switch the clock source mid-set (``internal``, ``midi[:PORT]``, ``link``).

        The beat does not jump: the driver re-locks to the new source by tempo only.
        Raises :class:`LivestudioError` (e.g. MidiPortError) when the source cannot open;
        the old source then stays in charge.
        """
        from livestudio.engine.sync.choose import make_source
        from livestudio.engine.sync.driver import SyncDriver

        source = make_source(spec, self.clock, self.options, hub=self)
        old = self.sync
        if source.name == "internal":
            if self.sync_driver is not None:
                self.sync_driver.close()
                self.sync_driver = None
        elif self.sync_driver is None:
            self.sync_driver = SyncDriver(self.clock, source, on_transport=self._transport)
        else:
            self.sync_driver.set_source(source)
        self.sync = source
        self.options["sync"] = spec
        if old is not None and old is not source:
            old.close()

    def _transport(self, playing: bool, beat: float) -> None:
        if self.on_transport is not None:
            self.on_transport(playing, beat)

    def request_tempo(self, bpm: float) -> bool:
        """Propose ``bpm`` to the followed session (Link); False when the source takes none.

        With Link, call this instead of setting the engine tempo: every peer follows,
        the engine included (through the sync driver).
        """
        request = getattr(self.sync, "request_tempo", None)
        if request is None:
            return False
        request(float(bpm))
        return True

    def panic(self) -> None:
        """End every note now and send CC 123 on every channel used."""
        self.sender.call(self.sender.all_notes_off)

    def remove_track(self, track: str) -> None:
        """Drop a track's queued MIDI and end its sounding notes."""
        self.sender.call(lambda: self.sender.end_notes(track))

    def add_note_listener(self, listener: NoteListener) -> None:
        """Call ``listener(NoteInput)`` for keys played on the ``midi_in`` ports (also on
        ports that appear later)."""
        with self._lock:
            self._note_listeners.append(listener)
            for midi_in in self.inputs:
                midi_in.add_listener(listener)

    def add_control_listener(self, listener: ControlListener) -> None:
        """Call ``listener(ControlInput)`` for control changes on the ``midi_in`` ports."""
        with self._lock:
            self._control_listeners.append(listener)
            for midi_in in self.inputs:
                midi_in.add_control_listener(listener)

    def poll_status(self) -> dict[str, object]:
        """``sync``, ``sync_ok``, ``link_peers``, ``bpm`` of the source, MIDI counters and errors."""
        now = time.monotonic()
        status: dict[str, object] = {"sync": "internal", "sync_ok": True, "link_peers": 0}
        if self.sync is not None:
            status.update(self.sync.status(now))
        status.update({
            "midi_sent": self.sender.sent,
            "midi_late": self.sender.late,
            "midi_notes_on": len(self.sender.sounding),
            "midi_ports": {p.name: ("ok" if p.connected else "gone") for p in self.ports.values()},
            "midi_errors": list(self.errors) + self.sender.errors[-5:],
            "midi_sender": self.sender.rt_info,
        })
        return status

    def _error(self, text: str) -> None:
        if text in self.errors:
            return
        self.errors.append(text)
        del self.errors[:-MAX_ERRORS]

    # --- crash cleanup -------------------------------------------------------------------
    def _remember_channel(self, port: OutPort, channel: int) -> None:
        key = (port.spec, channel)
        if key in self._used or port.virtual:
            return
        self._used.add(key)
        try:
            self.state_file.write_text(json.dumps({"pid": os.getpid(), "used": sorted(self._used)}))
        except OSError as exc:
            self._error(f"cannot write {self.state_file}: {exc}")

    def _cleanup_previous_crash(self) -> None:
        """Engines that died left notes on: CC 123 on the channels they used."""
        if self.options.get("state_file"):
            files = [self.state_file]
        else:
            files = sorted(_state_dir().glob(f"{_state_prefix()}*.json"))
        for path in files:
            self._cleanup_file(path)

    def _cleanup_file(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self._error(f"ignoring unreadable {path}: {exc}")
            return
        pid = int(data.get("pid", 0))
        if pid and pid != os.getpid() and _alive(pid):
            return  # a running livestudio engine owns it
        for spec, channel in data.get("used", []):
            try:
                port = self.port(str(spec))
            except MidiPortError:
                continue
            port.send(mm.all_notes_off(int(channel)))
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def create_hub(clock: EngineClock, *, options: Mapping[str, Any] | None = None) -> MidiHub:
    """The engine process's hook: a started :class:`MidiHub` (see the module doc for options).

    The hub is also closed at interpreter exit (notes off, CC 123), should the engine
    process end without calling :meth:`MidiHub.close`.
    """
    hub = MidiHub(clock, options=options).start()
    atexit.register(hub.close)
    return hub

"""MIDI input: parse what a port sends and hand it on (clock follower, CC store, notes).

rtmidi calls back from its own thread with each message; the bytes go through a
:class:`~livestudio.engine.midi.messages.MidiParser` (so garbage, floods and unknown
status bytes are counted, never raised), then:

- clock, Start/Stop/Continue and SPP go to the :class:`ClockFollower` when this input
  is the sync source;
- CC goes to the :class:`CCStore` and to the control listeners (sustain pedal);
- notes (note-on velocity 0 is a note-off) go to the note listeners, for playing an
  instrument from a keyboard.

The callback does little work and takes no locks the engine's other threads hold.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import rtmidi

from livestudio.engine.midi import messages as mm
from livestudio.engine.midi import ports
from livestudio.engine.midi.cc import CCStore
from livestudio.engine.midi.follow import ClockFollower


@dataclass(frozen=True)
class NoteInput:
    """A key pressed (velocity > 0) or released (velocity 0) on ``channel`` 1..16."""

    channel: int
    note: int
    velocity: int
    time: float
    port: str


@dataclass(frozen=True)
class ControlInput:
    """Control change ``number`` = ``value`` (0..127) on ``channel`` 1..16."""

    channel: int
    number: int
    value: int
    time: float
    port: str


NoteListener = Callable[[NoteInput], None]
ControlListener = Callable[[ControlInput], None]


class MidiInput:
    """One open input port and its dispatch."""

    def __init__(self, spec: str, *, follower: ClockFollower | None = None,
                 cc_store: CCStore | None = None, client_name: str = ports.CLIENT_NAME,
                 latency_ms: float = 0.0) -> None:
        self.spec = spec
        self.latency_s = float(latency_ms) / 1000.0   # subtracted from arrival times
        self.client_name = client_name
        self.follower = follower
        self.cc_store = cc_store
        self.listeners: list[NoteListener] = []
        self.control_listeners: list[ControlListener] = []
        self.parser = mm.MidiParser()
        self.received = 0
        self.errors: list[str] = []
        client, api, name = ports.open_input(spec, client_name=client_name)
        self.client: rtmidi.MidiIn = client
        self.api = api
        self.name = name
        client.ignore_types(sysex=False, timing=False, active_sense=True)
        client.set_callback(self._on_message)
        self.connected = True
        self.reopens = 0
        self._probe: rtmidi.MidiIn | None = None

    def add_listener(self, listener: NoteListener) -> None:
        """Call ``listener`` with every :class:`NoteInput` (on rtmidi's thread)."""
        self.listeners.append(listener)

    def add_control_listener(self, listener: ControlListener) -> None:
        """Call ``listener`` with every :class:`ControlInput` (on rtmidi's thread)."""
        self.control_listeners.append(listener)

    def _on_message(self, event: tuple[list[int], float], _data: object = None) -> None:
        t = time.monotonic() - self.latency_s
        try:
            self.feed(event[0], t)
        except Exception as exc:  # never let an input callback die: keep the reason
            self.errors.append(f"{self.name}: {type(exc).__name__}: {exc}")
            del self.errors[:-20]

    def feed(self, data: list[int] | bytes, t: float) -> None:
        """Parse ``data`` received at ``t`` and dispatch each complete message."""
        for message in self.parser.feed(data):
            self.received += 1
            self.dispatch(message, t)

    def dispatch(self, message: mm.Message, t: float) -> None:
        """Hand one parsed message on."""
        status = message[0]
        if status >= 0xF0:
            if self.follower is not None:
                self.follower.handle(message, t)
            return
        kind, channel = status & 0xF0, (status & 0x0F) + 1
        if kind == mm.CONTROL:
            if self.cc_store is not None:
                self.cc_store.write(channel, message[1], message[2])
            if self.control_listeners:
                control = ControlInput(channel, message[1], message[2], t, self.name)
                for on_control in self.control_listeners:
                    on_control(control)
        elif kind in (mm.NOTE_ON, mm.NOTE_OFF) and self.listeners:
            velocity = message[2] if kind == mm.NOTE_ON else 0
            note = NoteInput(channel, message[1], velocity, t, self.name)
            for listener in self.listeners:
                listener(note)

    def check(self) -> str | None:
        """Look for the port by name; reconnect when it came back. Returns a change, or None."""
        if self.spec.startswith("virtual:"):
            return None
        if self._probe is None:
            self._probe = rtmidi.MidiIn(self.api, f"{ports.CLIENT_NAME}-watch")
        index = ports.port_exists(self.api, self.name, "input", self._probe)
        if index is None:
            if self.connected:
                self.connected = False
                return f"MIDI input {self.name!r} vanished; will reconnect when it returns"
            return None
        if self.connected:
            return None
        # a fresh client: rtmidi's JACK input delivers nothing after close_port/open_port
        fresh = rtmidi.MidiIn(self.api, self.client_name)
        fresh.ignore_types(sysex=False, timing=False, active_sense=True)
        fresh.set_callback(self._on_message)
        fresh.open_port(index, name="in")
        old, self.client = self.client, fresh
        old.cancel_callback()
        old.close_port()
        old.delete()
        self.connected = True
        self.reopens += 1
        return f"MIDI input {self.name!r} is back"

    def close(self) -> None:
        """Stop receiving and close the port."""
        if self._probe is not None:
            self._probe.delete()
            self._probe = None
        self.client.cancel_callback()
        self.client.close_port()
        self.client.delete()

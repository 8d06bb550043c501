"""MIDI input: parse what a port sends and hand it on (clock follower, CC store, notes).

rtmidi calls back from its own thread with each message; the bytes go through a
:class:`~livestudio.engine.midi.messages.MidiParser` (so garbage, floods and unknown
status bytes are counted, never raised), then:

- clock, Start/Stop/Continue and SPP go to the :class:`ClockFollower` when this input
  is the sync source;
- CC goes to the :class:`CCStore`;
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


NoteListener = Callable[[NoteInput], None]


class MidiInput:
    """One open input port and its dispatch."""

    def __init__(self, spec: str, *, follower: ClockFollower | None = None,
                 cc_store: CCStore | None = None, client_name: str = ports.CLIENT_NAME) -> None:
        self.spec = spec
        self.follower = follower
        self.cc_store = cc_store
        self.listeners: list[NoteListener] = []
        self.parser = mm.MidiParser()
        self.received = 0
        self.errors: list[str] = []
        client, api, name = ports.open_input(spec, client_name=client_name)
        self.client: rtmidi.MidiIn = client
        self.api = api
        self.name = name
        client.ignore_types(sysex=False, timing=False, active_sense=True)
        client.set_callback(self._on_message)

    def add_listener(self, listener: NoteListener) -> None:
        """Call ``listener`` with every :class:`NoteInput` (on rtmidi's thread)."""
        self.listeners.append(listener)

    def _on_message(self, event: tuple[list[int], float], _data: object = None) -> None:
        t = time.monotonic()
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
        if kind == mm.CONTROL and self.cc_store is not None:
            self.cc_store.write(channel, message[1], message[2])
        elif kind in (mm.NOTE_ON, mm.NOTE_OFF) and self.listeners:
            velocity = message[2] if kind == mm.NOTE_ON else 0
            note = NoteInput(channel, message[1], velocity, t, self.name)
            for listener in self.listeners:
                listener(note)

    def close(self) -> None:
        """Stop receiving and close the port."""
        self.client.cancel_callback()
        self.client.close_port()
        self.client.delete()

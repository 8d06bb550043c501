"""One open MIDI output: sends under a lock, notices when its port vanishes, reopens it.

JACK and ALSA accept writes to a port whose peer has gone (the bytes go nowhere), so
presence is checked by name from a monitor thread (:meth:`check`) about once a second;
when the port is back, the connection is made again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import rtmidi

from livestudio.engine.midi import ports
from livestudio.engine.midi.messages import Message


class OutPort:
    """An output port opened from a spec (substring, ``api:substring`` or ``virtual:NAME``)."""

    def __init__(self, spec: str, *, offset_ms: float = 0.0, client_name: str = ports.CLIENT_NAME) -> None:
        self.spec = spec
        self.offset_s = float(offset_ms) / 1000.0
        self.client_name = client_name
        self.virtual = spec.startswith("virtual:")
        self._lock = threading.Lock()
        client, api, name = ports.open_output(spec, client_name=client_name)
        self.client: rtmidi.MidiOut = client
        self.api = api
        self.name = name              # the exact name of the peer port (or our virtual port)
        self.connected = True
        self.sent = 0
        self.send_errors = 0
        self.reopens = 0
        self.last_error: str | None = None
        self._probe: rtmidi.MidiOut | None = None

    def send(self, message: Message | list[int] | bytes) -> bool:
        """Send one message now; False (and counted) when the port is gone or refuses."""
        with self._lock:
            if not self.connected:
                return False
            try:
                self.client.send_message(message)
            except Exception as exc:  # rtmidi raises its own error types; count and report
                self.send_errors += 1
                self.last_error = f"{self.name}: {exc}"
                return False
            self.sent += 1
            return True

    def check(self) -> str | None:
        """Look for the port by name; reopen it if it came back. Returns a change, or None."""
        if self.virtual:
            return None
        if self._probe is None:
            self._probe = rtmidi.MidiOut(self.api, f"{self.client_name}-watch")
        index = ports.port_exists(self.api, self.name, "output", self._probe)
        if index is None:
            if self.connected:
                with self._lock:
                    self.connected = False
                return f"MIDI port {self.name!r} vanished; will reconnect when it returns"
            return None
        if self.connected:
            return None
        with self._lock:
            try:
                self.client.close_port()
                self.client.open_port(index, name="out")
            except Exception as exc:
                self.last_error = f"{self.name}: reopen failed: {exc}"
                return self.last_error
            self.connected = True
            self.reopens += 1
        return f"MIDI port {self.name!r} is back"

    def close(self) -> None:
        """Close the port and its clients."""
        with self._lock:
            self.connected = False
            try:
                self.client.close_port()
            finally:
                self.client.delete()
                if self._probe is not None:
                    self._probe.delete()
                    self._probe = None


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
    """Poll ``predicate`` until true or ``timeout`` seconds pass (tests and tools)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()

"""Test helpers for MIDI: a recording fake port, note-pair checking, a JACK "gear" port.

Used by the tests and handy in a REPL; nothing here runs in a live session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import rtmidi


class FakePort:
    """Stands in for :class:`OutPort`: records (time, message) of everything sent."""

    def __init__(self, name: str = "fake", offset_ms: float = 0.0) -> None:
        self.name = name
        self.spec = name
        self.offset_s = offset_ms / 1000
        self.virtual = False
        self.connected = True
        self.sent: list[tuple[float, tuple[int, ...]]] = []
        self._lock = threading.Lock()

    def send(self, message: tuple[int, ...] | list[int]) -> bool:
        with self._lock:
            self.sent.append((time.monotonic(), tuple(message)))
        return True

    def check(self) -> str | None:
        return None

    def close(self) -> None:
        self.connected = False

    def messages(self) -> list[tuple[int, ...]]:
        with self._lock:
            return [m for _, m in self.sent]


def note_pairs(messages: list[tuple[int, ...]]) -> tuple[dict[tuple[int, int], int], list[str]]:
    """Replay note on/off messages: returns (notes still on, problems found)."""
    on: dict[tuple[int, int], int] = {}
    problems: list[str] = []
    for m in messages:
        if not m or m[0] >= 0xF0:
            continue
        kind, ch = m[0] & 0xF0, m[0] & 0x0F
        if kind == 0x90 and m[2] > 0:
            on[(ch, m[1])] = on.get((ch, m[1]), 0) + 1
            if on[(ch, m[1])] > 1:
                problems.append(f"note {m[1]} on twice without off")
        elif kind == 0x80 or (kind == 0x90 and m[2] == 0):
            if on.get((ch, m[1]), 0) > 0:
                on[(ch, m[1])] -= 1
                if on[(ch, m[1])] == 0:
                    del on[(ch, m[1])]
        elif kind == 0xB0 and m[1] == 123:
            for key in [k for k in on if k[0] == ch]:
                del on[key]
    return on, problems


def wait_until(predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
    """Poll ``predicate`` every 10 ms until true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


class Gear:
    """A synth on the other end: a virtual MIDI input that records what arrives."""

    def __init__(self, name: str = "gear", api: int = rtmidi.API_UNIX_JACK) -> None:
        self.client = rtmidi.MidiIn(api, name)
        self.client.ignore_types(sysex=False, timing=False, active_sense=True)
        self.got: list[tuple[float, tuple[int, ...]]] = []
        self.client.set_callback(self._on)
        self.client.open_virtual_port("in")

    def _on(self, event: tuple[list[int], float], _data: object = None) -> None:
        self.got.append((time.monotonic(), tuple(event[0])))

    def messages(self) -> list[tuple[int, ...]]:
        """Everything received, in order."""
        return [m for _, m in list(self.got)]

    def close(self) -> None:
        """Unplug."""
        self.client.cancel_callback()
        self.client.close_port()
        self.client.delete()

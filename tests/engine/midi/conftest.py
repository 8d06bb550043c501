"""Fixtures for MIDI tests: a recording fake port, and MIDI on the JACK dummy server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from livestudio.testing.jack import JackServer


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


@pytest.fixture
def fake_port() -> FakePort:
    return FakePort()


@pytest.fixture
def jack_midi(jack_server: JackServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[JackServer]:
    """The session's JACK dummy server, with livestudio's MIDI searching only JACK."""
    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    monkeypatch.setenv("JACK_DEFAULT_SERVER", jack_server.name)
    yield jack_server


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


def wait_until(predicate, timeout: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())

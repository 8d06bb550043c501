"""Fixtures for MIDI tests: a recording fake port, and MIDI on the JACK dummy server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from livestudio.engine.midi.testkit import FakePort
from livestudio.testing.jack import JackServer


@pytest.fixture
def fake_port() -> FakePort:
    return FakePort()


@pytest.fixture
def jack_midi(jack_server: JackServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[JackServer]:
    """The session's JACK dummy server, with livestudio's MIDI searching only JACK."""
    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    monkeypatch.setenv("JACK_DEFAULT_SERVER", jack_server.name)
    yield jack_server

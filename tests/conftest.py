"""Shared fixtures: a real JACK dummy server per test session, the shared/ folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from livestudio.testing.jack import JackServer

from livestudio.testing.paths import shared_dir  # noqa: F401  (re-exported for tests)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def jack_server() -> Iterator[JackServer]:
    """One uniquely named JACK dummy server (48 kHz, 128 frames) for the test session.

    ``JACK_DEFAULT_SERVER`` points at it while it runs.
    """
    server = JackServer(sample_rate=48000, period=128)
    server.start()
    try:
        yield server
    finally:
        server.stop()

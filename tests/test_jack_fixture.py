"""The JACK dummy server fixture gives a real PortAudio device."""

from __future__ import annotations

import subprocess

from livestudio.testing.jack import JackServer


def test_jack_server_is_reachable(jack_server: JackServer) -> None:
    out = subprocess.run(["jack_lsp"], capture_output=True, text=True, check=True).stdout
    assert "system:playback_1" in out

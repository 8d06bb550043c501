"""`livestudio play --headless --status-json`: plays on the file sink (no sound card)
and on a JACK dummy server, prints JSON status lines, exits 0 after --duration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from livestudio.testing.jack import JackServer

pytestmark = pytest.mark.timeout(240)

SONG = ('from livestudio import *\ntempo(bpm=130)\n'
        'kick = s("bd*4")\nbass = note("c2 eb2 g1 c2").s("saw").cutoff(900).release(0.1)\n')
KEYS = {"output", "cycle", "cps", "bpm", "voices", "load", "load_max", "xruns", "late",
        "engine_restarts", "errors", "levels", "tracks", "reloads", "sync", "sync_ok", "link_peers"}


def _play(song: Path, *extra: str, duration: float = 3.0) -> list[dict]:  # type: ignore[type-arg]
    cmd = [sys.executable, "-m", "livestudio.cli", "play", str(song), "--headless", "--status-json",
           "--duration", str(duration), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=200)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) >= duration  # at least one a second
    for line in lines:
        assert KEYS <= set(line)
    return lines


def test_headless_file_sink(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    lines = _play(song, "--output", "file")
    last = lines[-1]
    wav = tmp_path / "song.live.wav"
    assert last["output"] == str(wav)
    assert last["tracks"] == ["bass", "kick"] and last["errors"] == []
    assert last["cycle"] > 1.0 and last["bpm"] == 130.0
    assert max(line["levels"].get("kick", 0) for line in lines) > 0.05
    audio, rate = sf.read(wav, always_2d=True)
    assert rate == 48000 and audio.shape[0] > 2 * rate and np.abs(audio).max() > 0.05


def test_headless_on_jack_with_record(jack_server: JackServer, tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    rec = tmp_path / "take.wav"
    lines = _play(song, "--record", str(rec), "--blocksize", "128")
    last = lines[-1]
    assert "JACK" in last["output"] and last["recording"] == str(rec)
    assert last["engine_restarts"] == 0 and last["errors"] == []  # xruns: test_host_jack
    assert max(line["voices"] for line in lines) > 0
    audio, _ = sf.read(rec, always_2d=True)
    assert audio.shape[0] > 48000 and np.abs(audio).max() > 0.05


def test_sync_option_reaches_the_engine_and_the_status(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    lines = _play(song, "--output", "file", "--sync", "link", duration=4.0)
    assert lines[-1]["sync"] == "link"
    assert isinstance(lines[-1]["sync_ok"], bool) and lines[-1]["link_peers"] >= 0
    assert lines[-1]["cycle"] > 0.5  # the music plays while following Link (alone: own tempo)


def test_bad_sync_option_is_a_clear_error(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    done = subprocess.run([sys.executable, "-m", "livestudio.cli", "play", str(song), "--headless",
                           "--duration", "1", "--sync", "ableton"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "--sync" in done.stderr and "link" in done.stderr

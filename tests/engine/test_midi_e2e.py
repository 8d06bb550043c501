"""End to end: a pattern file routed with .midi() plays on a JACK MIDI port through
`livestudio play --headless`, with MIDI clock out, and leaves no note hanging."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livestudio.engine.midi.testkit import Gear, note_pairs
from livestudio.testing.jack import JackServer

SONG = '''from livestudio import *
tempo(bpm=120)
gear = note("c4 e4 g4 b4").legato(2).midi(port="e2egear", channel=2).cc(74, sine.segment(4))
'''


def test_play_headless_drives_a_jack_midi_port(jack_server: JackServer, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    song = tmp_path / "song.py"
    song.write_text(SONG)
    gear = Gear("e2egear")
    try:
        # --backend test: the engine's plumbing kernel; the MIDI path is the same and the
        # run needs no JIT compile of the synth
        proc = subprocess.run(
            [sys.executable, "-m", "livestudio.cli", "play", str(song), "--headless", "--duration", "3",
             "--status-json", "--output", "file", "--backend", "test", "--midi-clock-out", "e2egear"],
            capture_output=True, text=True, timeout=120, cwd=tmp_path)
        time.sleep(0.2)
        assert proc.returncode == 0, proc.stderr[-2000:]
        status = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        assert status and status[-1]["sync"] == "internal" and status[-1]["errors"] == []
        msgs = gear.messages()
        ons = [m for m in msgs if m[0] == 0x91 and m[2] > 0]
        assert len(ons) >= 4 and {m[1] for m in ons} <= {60, 64, 67, 71}
        assert any(m[0] == 0xB1 and m[1] == 74 for m in msgs)            # CC from .cc(74, ...)
        assert msgs.count((0xF8,)) >= 48 and (0xFA,) in msgs              # clock out, Start
        assert msgs[-1] == (0xB1, 123, 0) or (0xFC,) in msgs[-3:]        # stopped at exit
        on, problems = note_pairs(msgs)                                  # legato 2: notes overlap
        assert on == {} and problems == []                               # ... and none hangs
    finally:
        gear.close()


def test_a_missing_clock_out_port_is_reported_and_the_music_plays(
        jack_server: JackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    song = tmp_path / "song.py"
    song.write_text('from livestudio import *\nbeat = s("bd*4")\n')
    proc = subprocess.run(
        [sys.executable, "-m", "livestudio.cli", "play", str(song), "--headless", "--duration", "2",
         "--status-json", "--output", "file", "--backend", "test", "--midi-clock-out", "nosuchclock"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    status = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert any("nosuchclock" in e and "existing output ports" in e for e in status[-1]["errors"])
    assert status[-1]["cycle"] > 0.5 and status[-1]["levels"]["beat"] > 0

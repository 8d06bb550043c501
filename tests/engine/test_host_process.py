"""Supervision: a killed engine comes back and plays on; a front that exits or dies
leaves no engine process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livestudio.session.live import LiveOptions, LiveSession
from livestudio.testing.jack import JackServer

pytestmark = pytest.mark.timeout(240)

SONG = 'from livestudio import *\ntempo(bpm=120)\nbeat = s("bd*4, hh*8").gain(0.8)\n'


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _wait(predicate: object, timeout: float) -> float:
    t0 = time.monotonic()
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.01)
    return time.monotonic() - t0


def _jack_clients_mapped(pid: int, server: str) -> list[str]:
    """The JACK clients of ``server`` whose semaphores process ``pid`` maps (a process
    maps the semaphores of the clients it talks to, its own among them)."""
    prefix = f"jack_sem.0_{server}_"
    with open(f"/proc/{pid}/maps") as f:
        return sorted({line.split(prefix, 1)[1].strip() for line in f if prefix in line})


def test_kill_engine_mid_play_restarts_and_plays_on(jack_server: JackServer, tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    session = LiveSession(song, LiveOptions(output="device", backend="core", watch=False))
    session.start()
    try:
        engine = session.engine
        _wait(lambda: session.status().engine.levels.get("beat", 0.0) > 0.01, 5)
        _wait(engine.spare_ready, 60)  # type: ignore[attr-defined]
        # the warm spare was built for the live engine's device without opening PortAudio:
        # it never joined JACK's graph (no idle client woken every cycle, no graph change)
        spare_pid = engine._spare.process.pid  # type: ignore[attr-defined]
        assert _jack_clients_mapped(spare_pid, jack_server.name) == []
        with open(f"/proc/{spare_pid}/maps") as f:
            assert "libportaudio" not in f.read()
        assert "PortAudio" in _jack_clients_mapped(engine.pid, jack_server.name)  # type: ignore[attr-defined]
        cycle_before = session.status().cycle
        old_pid = engine.pid  # type: ignore[attr-defined]
        os.kill(old_pid, signal.SIGKILL)
        took = _wait(lambda: session.status().engine.engine_restarts == 1, 5)
        assert took < 2.0, f"restart took {took:.2f} s"
        assert engine.pid == spare_pid  # type: ignore[attr-defined]
        # it plays on: the clock moves on from where it was, sound comes back
        sent = session.events_sent
        _wait(lambda: session.events_sent > sent + 4, 3)
        frame = session.status().engine.frame
        _wait(lambda: session.status().engine.frame > frame + 4800, 3)
        _wait(lambda: session.status().engine.voices > 0, 3)
        status = session.status()
        assert status.cycle > cycle_before
        assert any("died" in e.message for e in status.errors)
    finally:
        session.close()
    assert not _alive(engine.pid)  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_no_engine_survives_the_front(tmp_path: Path, how: str) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    cmd = [sys.executable, "-m", "livestudio.cli", "play", str(song), "--headless", "--status-json",
           "--output", "file", "--backend", "test", "--duration", "2" if how == "exit" else "60"]
    front = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = front.stdout.readline()  # type: ignore[union-attr]
        assert json.loads(line)["output"].endswith(".live.wav")
        _wait(lambda: len(_children(front.pid)) >= 2, 30)   # the engine and its warm spare
        engines = _children(front.pid)
        if how == "kill":
            front.send_signal(signal.SIGKILL)
        assert front.wait(30) == (0 if how == "exit" else -signal.SIGKILL)
        _wait(lambda: not any(_alive(p) for p in engines), 8)
    finally:
        if front.poll() is None:
            front.kill()
            front.wait()


def test_sync_switch_mid_set_reaches_the_engine_and_survives_a_restart(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    session = LiveSession(song, LiveOptions(output="file", backend="core", watch=False))
    session.start()
    try:
        engine = session.engine
        _wait(lambda: session.status().engine.sync == "internal" and session.status().cycle > 0.1, 60)
        engine.set_sync("link")  # type: ignore[attr-defined]
        _wait(lambda: session.status().engine.sync == "link", 20)
        cycle = session.status().cycle
        _wait(lambda: session.status().cycle > cycle + 0.2, 20)  # still playing
        engine.set_sync("midi:no-such-port-xyz")  # type: ignore[attr-defined]
        _wait(lambda: any("no-such-port-xyz" in e for e in session.status().engine_errors), 20)
        assert session.status().engine.sync == "link"  # the old source stays
        engine.set_sync("internal")  # type: ignore[attr-defined]  (leave the Link session)
        _wait(lambda: session.status().engine.sync == "internal", 20)
    finally:
        session.close()

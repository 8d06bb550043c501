"""Ableton Link: two processes on this machine find each other and share tempo, beat, transport."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("link", reason="LinkPython-extern is not installed")

from livestudio.engine.sync.link import LinkSource  # noqa: E402

PEER = r"""
import json, sys, time
from livestudio.engine.sync.link import LinkSource
src = LinkSource(bpm=97.0, quantum=4.0)
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    t = time.monotonic() + 0.01
    print(json.dumps({"t": t, "beat": src.beat_at(t), "bpm": src.tempo_at(t),
                      "peers": src.peers(), "playing": src.playing()}), flush=True)
    time.sleep(0.05)
src.close()
"""


class Peer:
    """A second process in the Link session, printing its view as JSON lines."""

    def __init__(self, seconds: float) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", PEER, str(seconds)],
                                     stdout=subprocess.PIPE, text=True)
        self.lines: list[dict[str, float]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(json.loads(line))

    def latest(self) -> dict[str, float] | None:
        return self.lines[-1] if self.lines else None

    def wait_for(self, predicate, timeout: float) -> dict[str, float] | None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.latest()
            if last is not None and predicate(last):
                return last
            time.sleep(0.02)
        return None

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)


def test_two_processes_share_tempo_phase_and_transport() -> None:
    peer = Peer(seconds=12.0)
    src = LinkSource(bpm=123.0, quantum=4.0)
    try:
        deadline = time.monotonic() + 8
        while src.peers() < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert src.peers() >= 1, "no Link peer found on loopback"
        # the session agrees on one tempo
        src.request_tempo(131.0)
        seen = peer.wait_for(lambda d: abs(d["bpm"] - 131.0) < 1e-3 and d["peers"] >= 1, 4.0)
        assert seen is not None, peer.latest()
        # and on the beat phase (same monotonic clock on one machine)
        line = peer.wait_for(lambda d: d["t"] > time.monotonic() - 0.1, 2.0)
        assert line is not None
        mine = src.beat_at(line["t"])
        diff = (mine - line["beat"] + 2) % 4 - 2                  # phase difference within a bar
        assert abs(diff) * 60 / 131.0 * 1000 < 1.0, diff          # < 1 ms
        # start/stop sync
        src.set_playing(True)
        assert peer.wait_for(lambda d: d["playing"], 3.0) is not None
        src.set_playing(False)
        assert peer.wait_for(lambda d: not d["playing"], 3.0) is not None
        status = src.status(time.monotonic())
        assert status["sync"] == "link" and status["link_peers"] >= 1 and status["sync_ok"]
    finally:
        src.close()
        peer.close()


def test_time_and_beat_round_trip() -> None:
    src = LinkSource(bpm=120.0, quantum=4.0, initial_beat=10.0)
    try:
        t = time.monotonic()
        first = src.beat_at(t)
        if src.peers() == 0:  # alone (another test's Link peer may still be on loopback)
            assert abs(first - 10.0) < 0.01   # the session starts where we are
        beat = src.beat_at(t + 1.0)
        assert abs(src.time_at_beat(beat) - (t + 1.0)) < 1e-5
        assert abs(src.beat_at(t + 0.5) - src.beat_at(t) - src.tempo_at(t) / 120.0) < 1e-6
    finally:
        src.close()


def test_link_to_midi_clock_bridge(jack_server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A Link-following engine sends MIDI clock at the session's tempo."""
    from livestudio.engine.midi.hub import MidiHub
    from livestudio.engine.midi.testkit import Gear, wait_until
    from livestudio.engine.midi.timing import SimpleClock

    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    gear = Gear("bridge")
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"sync": "link", "clock_out": "bridge",
                                  "state_file": str(tmp_path / "u.json")}).start()
    try:
        assert hub.request_tempo(140.0)
        hub.set_playing(True)
        assert wait_until(lambda: abs(clock.cps * 240 - 140.0) < 0.5, 5.0), clock.cps * 240
        time.sleep(1.5)
        ticks = [t for t, m in list(gear.got) if m == (0xF8,)][-30:]
        period = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
        assert abs(60 / (period * 24) - 140.0) < 1.0
        status = hub.poll_status()
        assert status["sync"] == "link" and status["sync_ok"] is True
    finally:
        hub.close()
        gear.close()


def test_switching_sync_mid_set_keeps_the_beat(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from livestudio.engine.midi.hub import MidiHub
    from livestudio.engine.midi.timing import SimpleClock

    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"state_file": str(tmp_path / "u.json")}).start()

    def beat() -> float:
        return clock.cycle_at(clock.monotonic_to_frame(time.monotonic())) * 4

    try:
        for spec in ("link", "internal", "link"):
            t0, b0 = time.monotonic(), beat()
            hub.set_sync(spec)
            time.sleep(0.3)
            elapsed = time.monotonic() - t0
            # 0.3 s of music at 120 BPM, give or take the driver's bounded slew: no jump
            assert abs(beat() - b0 - elapsed * 2.0) < 0.1 * elapsed * 2.0 + 0.01, spec
            assert hub.poll_status()["sync"] == spec
    finally:
        hub.close()

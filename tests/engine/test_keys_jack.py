"""Keys played live, end to end over JACK: a python-rtmidi "keyboard" sends note-on and
note-off on a JACK MIDI port, the engine process (``--midi-in``) plays a ``midikeys()``
track through the real JACK audio callback, and every voice ends when it should.

Timing figures (the key-press latency) are printed, not asserted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import rtmidi
import soundfile as sf

from livestudio.engine.host import status as S
from livestudio.session.live import LiveOptions, LiveSession
from livestudio.testing.jack import JackServer

pytestmark = pytest.mark.timeout(240)

SR = 48000
SONG = '''from livestudio import *
tempo(bpm=240)
lead = midikeys({spec}).s("white").attack(0).sustain(1).release({release}).gain(0.3)
'''


def _wait(predicate: Callable[[], bool], timeout: float = 5.0) -> float:
    t0 = time.monotonic()
    while not predicate():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.0002)
    return time.monotonic() - t0


class Keyboard:
    """A MIDI keyboard on the other end: a JACK MIDI output port."""

    def __init__(self, name: str = "keytest") -> None:
        self.out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name)
        self.out.open_virtual_port("out")

    def on(self, note: int, velocity: int = 100, channel: int = 1) -> None:
        self.out.send_message([0x90 | (channel - 1), note, velocity])

    def off(self, note: int, channel: int = 1) -> None:
        self.out.send_message([0x80 | (channel - 1), note, 0])

    def send(self, *data: int) -> None:
        self.out.send_message(list(data))

    def close(self) -> None:
        self.out.close_port()
        self.out.delete()


@pytest.fixture
def keyboard(jack_server: JackServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Keyboard]:
    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    kb = Keyboard()
    yield kb
    kb.close()


def _song(spec: str = "channel=1") -> str:
    return SONG.format(spec=spec, release=0.05)


def _session(tmp_path: Path, spec: str = "channel=1") -> LiveSession:
    song = tmp_path / "song.py"
    song.write_text(_song(spec))
    session = LiveSession(song, LiveOptions(output="device", backend="core", watch=False,
                                            spare_engine=False, midi={"midi_in": "keytest"}))
    session.start()
    _ready(session)
    return session


def _ready(session: LiveSession, track: str = "lead") -> None:
    """Wait until the session sent the track's patch and the engine handled it."""
    engine = session.engine
    _wait(lambda: track in engine.keys_tracks, 10)          # type: ignore[attr-defined]
    assert engine.ping(5.0) is not None                      # type: ignore[attr-defined]


def _voices(session: LiveSession) -> int:
    return int(session.engine.status_array[S.VOICES])       # type: ignore[attr-defined]


def test_a_key_plays_until_released_then_ends_in_silence(keyboard: Keyboard, tmp_path: Path) -> None:
    session = _session(tmp_path)
    engine = session.engine
    rec = tmp_path / "keys.wav"
    try:
        assert session.status().errors == []
        session.record(str(rec))
        _wait(lambda: engine.recording_start_frame() is not None)   # type: ignore[attr-defined]
        presses: list[tuple[int, float]] = []
        voice_ms: list[float] = []
        for k in range(12):
            time.sleep(0.05)
            presses.append((engine.frame_now(), time.monotonic()))  # type: ignore[attr-defined]
            keyboard.on(60 + k)
            voice_ms.append(1000 * _wait(lambda: _voices(session) == 1, 3))
            time.sleep(0.04)
            keyboard.off(60 + k)
            _wait(lambda: _voices(session) == 0, 3)
        # held past any pattern note's gate, then released
        keyboard.on(72, velocity=127)
        _wait(lambda: _voices(session) == 1, 3)
        time.sleep(0.6)
        assert _voices(session) == 1 and session.status().engine.levels["lead"] > 0.05
        keyboard.off(72)
        _wait(lambda: _voices(session) == 0, 3)
        # a channel no keys track listens to plays nothing
        keyboard.on(60, channel=3)
        time.sleep(0.3)
        assert _voices(session) == 0
        keyboard.off(60, channel=3)
        time.sleep(0.5)
        session.record(None)
        time.sleep(0.3)
        status = session.status()
        first = engine.recording_start_frame()                      # type: ignore[attr-defined]
        latency_s = status.engine.device_latency_ms / 1000
    finally:
        session.close()
    assert status.engine.late == 0 and status.errors == []
    audio, rate = sf.read(rec, dtype="float32", always_2d=True)
    assert rate == SR and np.abs(audio).max() > 0.05
    assert np.all(audio[-SR // 10:] == 0.0)                          # exact silence at the end
    # key-to-sound latency: from the frame being rendered when the note-on was sent to the
    # first frame of sound (the master lags the render by the limiter's lookahead)
    from livestudio.engine.core import Engine
    lag = Engine(max_voices=1, max_buses=1, pool_floats=1 << 18).latency
    loud = np.abs(audio[:, 0]) > 1e-3
    onsets = []
    for frame_at_send, _ in presses:
        start = max(frame_at_send - first, 0)
        hit = int(np.argmax(loud[start:])) + start
        onsets.append((hit + first - lag - frame_at_send) / SR * 1000)
    print(f"\nkey press -> sound rendered: median {statistics.median(onsets):.2f} ms, "
          f"max {max(onsets):.2f} ms over {len(onsets)} presses (+ {latency_s * 1000:.2f} ms "
          f"output latency); note-on -> voice counted in the status: median "
          f"{statistics.median(voice_ms):.2f} ms, max {max(voice_ms):.2f} ms "
          f"(JACK dummy, 128 frames at 48 kHz)")
    assert all(o > 0 for o in onsets)


def test_mute_removal_panic_and_stop_leave_no_held_voice(keyboard: Keyboard, tmp_path: Path) -> None:
    session = _session(tmp_path)
    try:
        keyboard.on(60)
        _wait(lambda: _voices(session) == 1)
        session.mute("lead", True)                  # muting releases the keys it holds
        _wait(lambda: _voices(session) == 0)
        keyboard.on(62)                             # ... and ignores new ones
        time.sleep(0.3)
        assert _voices(session) == 0
        keyboard.off(60)
        keyboard.off(62)
        session.mute("lead", False)
        _ready(session)
        keyboard.on(64)
        _wait(lambda: _voices(session) == 1)
        session.panic()                             # panic: every voice goes
        _wait(lambda: _voices(session) == 0)
        keyboard.off(64)                            # a release after the panic is harmless
        session.set_playing(False)                  # the keyboard plays while stopped
        keyboard.on(65)
        _wait(lambda: _voices(session) == 1)
        keyboard.off(65)
        _wait(lambda: _voices(session) == 0)
        session.set_playing(True)
        keyboard.on(67)
        _wait(lambda: _voices(session) == 1)
        session.path.write_text(_song().replace("lead = ", "_lead = "))
        session.reload()                            # the track is removed mid-note
        _wait(lambda: _voices(session) == 0, 10)
        _wait(lambda: "lead" not in session.engine.keys_tracks)   # type: ignore[attr-defined]
        keyboard.off(67)
        keyboard.on(69)                             # no keys track: nothing plays
        time.sleep(0.3)
        assert _voices(session) == 0
        keyboard.off(69)
        assert session.status().errors == []
    finally:
        session.close()


def test_pedal_retrigger_bad_bytes_and_a_flood_of_keys(keyboard: Keyboard, tmp_path: Path) -> None:
    session = _session(tmp_path, spec="")          # every channel
    try:
        # sustain pedal: a key released while the pedal is down sounds until pedal up
        keyboard.on(60)
        _wait(lambda: _voices(session) == 1)
        keyboard.send(0xB0, 64, 127)
        keyboard.off(60)
        time.sleep(0.3)
        assert _voices(session) == 1
        keyboard.send(0xB0, 64, 0)
        _wait(lambda: _voices(session) == 0)
        # the same key twice: the first voice is released by the second press
        keyboard.on(62)
        keyboard.on(62)
        _wait(lambda: _voices(session) == 2)
        _wait(lambda: _voices(session) == 1)
        keyboard.send(0x90, 62, 0)                  # note-on velocity 0 is a release
        _wait(lambda: _voices(session) == 0)
        # bytes that are no key (a status byte where the note should be), a stray release
        keyboard.send(0x90, 200, 100)
        keyboard.off(100)
        time.sleep(0.3)
        assert _voices(session) == 0
        # more keys than voices (256): the oldest are stolen, nothing breaks, all end
        keys = [(ch, n) for ch in (1, 2, 3) for n in range(128)][:300]
        for i, (ch, n) in enumerate(keys):
            keyboard.on(n, 1 + i % 127, channel=ch)
            if i % 32 == 31:
                time.sleep(0.003)
        _wait(lambda: _voices(session) >= 250)
        for i, (ch, n) in enumerate(keys):
            keyboard.off(n, channel=ch)
            if i % 32 == 31:
                time.sleep(0.003)
        _wait(lambda: _voices(session) == 0, 10)
        status = session.status()
        assert status.engine.alive and status.engine.engine_restarts == 0
        assert status.errors == []
    finally:
        session.close()


def test_play_headless_with_midi_in_plays_the_keys_example(keyboard: Keyboard, tmp_path: Path) -> None:
    """The user's way in: ``livestudio play examples/keys.py --midi-in PORT``."""
    import json
    import subprocess
    import sys
    import threading

    example = Path(__file__).resolve().parents[2] / "examples" / "keys.py"
    cmd = [sys.executable, "-m", "livestudio.cli", "play", str(example), "--headless", "--status-json",
           "--output", "device", "--backend", "core", "--midi-in", "keytest", "--duration", "6"]
    front = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    lines: list[dict[str, object]] = []

    def read() -> None:
        assert front.stdout is not None
        for line in front.stdout:
            if line.startswith("{"):
                lines.append(json.loads(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        _wait(lambda: len(lines) >= 2, 60)              # playing (one line is printed at start)
        chord = ((57, 1), (60, 1), (64, 1), (45, 2))    # a chord on the lead, a bass note on 2

        def sounding() -> bool:
            levels = lines[-1]["levels"]                 # type: ignore[index]
            return float(levels["lead"]) > 0.01 and float(levels["bass"]) > 0.01  # type: ignore[index]

        deadline = time.monotonic() + 20
        while True:  # a key pressed before its track's patch reached the engine is unheard:
            for note, channel in chord:                  # press again until both sound
                keyboard.on(note, channel=channel)
            m = len(lines)
            _wait(lambda: len(lines) >= m + 2, 10)
            if sounding() or time.monotonic() > deadline:
                break
            for note, channel in chord:
                keyboard.off(note, channel=channel)
        n = len(lines)
        _wait(lambda: len(lines) >= n + 3, 10)          # held for a few status lines
        for note, channel in chord:
            keyboard.off(note, channel=channel)
        assert front.wait(60) == 0, front.stderr.read()[-2000:] if front.stderr else ""
    finally:
        if front.poll() is None:
            front.kill()
            front.wait()
    reader.join(5)
    held = lines[n:n + 3]
    assert all(float(line["levels"]["lead"]) > 0.01 for line in held), held     # type: ignore[index]
    assert all(float(line["levels"]["bass"]) > 0.01 for line in held), held     # type: ignore[index]
    assert lines[-1]["errors"] == [] and lines[-1]["late"] == 0


def test_a_keyboard_plugged_in_after_the_start_is_picked_up(jack_server: JackServer, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVESTUDIO_MIDI_API", "jack")
    song = tmp_path / "song.py"
    song.write_text(_song())
    session = LiveSession(song, LiveOptions(output="device", backend="core", watch=False,
                                            spare_engine=False, midi={"midi_in": "latekeys"}))
    session.start()
    late = None
    try:
        _ready(session)
        _wait(lambda: any("no keyboard yet" in e.message and "latekeys" in e.message
                          for e in session.status().errors), 5)
        late = Keyboard("latekeys")                  # plugged in mid-set
        deadline = time.monotonic() + 10
        while True:                                  # the hub looks for it about once a second
            late.on(60)
            heard = any(_voices(session) > 0 or time.sleep(0.01) for _ in range(30))
            late.off(60)
            if heard:
                break
            assert time.monotonic() < deadline, session.engine.sync  # type: ignore[attr-defined]
        _wait(lambda: _voices(session) == 0)
    finally:
        session.close()
        if late is not None:
            late.close()

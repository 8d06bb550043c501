"""A live session following a MIDI clock over JACK: the master's Start/Stop/Continue
start and stop the session's scheduler, and a relocation (Start) restarts the tracks
from the new position instead of leaving them at the old one."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import rtmidi

from livestudio.engine.midi.follow import PPQN
from livestudio.engine.midi.testkit import wait_until
from livestudio.engine.midi.timing import make_thread_realtime, sleep_until
from livestudio.session.live import LiveOptions, LiveSession
from livestudio.testing.jack import JackServer

SONG = 'from livestudio import *\ntempo(bpm=120)\nsync("midi:drummachine")\nbeat = s("bd*4, hh*8").gain(0.8)\n'
BPM = 120.0


class Master:
    """A drum machine's clock: ticks at ``BPM`` all the time, Start/Stop/Continue on demand."""

    def __init__(self) -> None:
        self.out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "drummachine")
        self.out.open_virtual_port("out")
        self.pending: list[int] = []
        self.start_time: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        make_thread_realtime(40)
        t = time.monotonic() + 0.05
        while not self._stop.is_set():
            sleep_until(t)
            while self.pending:
                status = self.pending.pop(0)
                self.out.send_message([status])
                if status == 0xFA:
                    self.start_time = t
            self.out.send_message([0xF8])
            t += 60.0 / (BPM * PPQN)

    def send(self, status: int) -> None:
        """Send a transport message just before the next tick."""
        self.pending.append(status)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.out.close_port()
        self.out.delete()


def test_session_starts_stops_and_relocates_with_the_master(jack_midi: JackServer, tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    master = Master()
    session = LiveSession(song, LiveOptions(output="file", backend="core", watch=False,
                                            spare_engine=False))
    session.start()
    try:
        assert wait_until(lambda: session.status().engine.sync.startswith("midi:drummachine"), 60)
        assert wait_until(lambda: session.current_cycle() > 3, 30)   # played a while on its own
        master.send(0xFA)                                              # Start: the downbeat
        assert wait_until(lambda: session.relocations >= 1, 10)
        time.sleep(1.0)
        assert session.playing and master.start_time is not None
        elapsed = time.monotonic() - master.start_time
        # the session plays from the master's downbeat, not from cycle 3-and-something
        assert abs(float(session.current_cycle()) - elapsed * BPM / 240) < 0.1
        sent = session.events_sent
        assert wait_until(lambda: session.events_sent > sent + 4, 5)   # and the tracks play

        master.send(0xFC)                                              # Stop
        assert wait_until(lambda: not session.playing, 5)
        assert wait_until(lambda: session.status().engine.voices == 0, 5)
        stopped = session.events_sent
        time.sleep(0.5)
        assert session.events_sent == stopped                          # nothing scheduled

        master.send(0xFB)                                              # Continue
        assert wait_until(lambda: session.playing, 5)
        assert wait_until(lambda: session.events_sent > stopped + 4, 5)
        assert not [e for e in session.status().engine_errors if "transport" in e]
    finally:
        session.close()
        master.close()

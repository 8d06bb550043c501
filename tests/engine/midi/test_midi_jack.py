"""MIDI over real JACK MIDI ports on the JACK dummy server: out, clock, follow, port loss."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import rtmidi
from conftest import note_pairs, wait_until

from livestudio.engine.midi import ports
from livestudio.engine.midi.follow import PPQN
from livestudio.engine.midi.hub import MidiHub
from livestudio.engine.midi.timing import SimpleClock, sleep_until
from livestudio.engine.sync.choose import open_midi_source
from livestudio.errors import MidiPortError
from livestudio.testing.jack import JackServer


class Gear:
    """A synth on the other end: a JACK MIDI input that records what arrives."""

    def __init__(self, name: str = "gear") -> None:
        self.client = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, name)
        self.client.ignore_types(sysex=False, timing=False, active_sense=True)
        self.got: list[tuple[float, tuple[int, ...]]] = []
        self.client.set_callback(lambda ev, _d=None: self.got.append((time.monotonic(), tuple(ev[0]))))
        self.client.open_virtual_port("in")

    def messages(self) -> list[tuple[int, ...]]:
        return [m for _, m in self.got]

    def close(self) -> None:
        self.client.cancel_callback()
        self.client.close_port()
        self.client.delete()


class Ev:
    def __init__(self, track: str, frame: int, duration_s: float, controls: dict[str, Any]) -> None:
        self.track, self.frame, self.duration_s, self.controls = track, frame, duration_s, controls


def test_ports_are_listed_and_a_missing_one_names_the_others(jack_midi: JackServer) -> None:
    gear = Gear("synthbox")
    try:
        listing = ports.list_midi_ports()
        assert "jack:synthbox:in" in listing["outputs"]            # type: ignore[operator]
        with pytest.raises(MidiPortError) as info:
            ports.open_output("MicroFreak")
        assert "MicroFreak" in str(info.value) and "synthbox:in" in str(info.value)
    finally:
        gear.close()


def test_notes_over_jack_and_no_hanging_notes(jack_midi: JackServer, tmp_path: Any) -> None:
    gear = Gear()
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"state_file": str(tmp_path / "u.json")}).start()
    try:
        f0 = clock.monotonic_to_frame(time.monotonic() + 0.05)
        events = [Ev("lead", f0 + i * 6000, 0.1, {"midiport": "gear", "midichan": 1, "note": 60 + i})
                  for i in range(8)]
        events.append(Ev("pad", f0, 10.0, {"midiport": "gear", "midichan": 2, "note": 48}))
        hub.handle(events)
        assert wait_until(lambda: (0x90, 62, 114) in gear.messages(), 2.0)
        hub.remove_track("lead")       # replaced mid-note: its notes end, queued ones never play
        hub.set_playing(False)         # transport stop: the pad ends
        time.sleep(0.1)
        on, problems = note_pairs(gear.messages())
        assert on == {} and problems == []
        assert (0x90, 67, 114) not in gear.messages()
        assert (0x91, 48, 114) in gear.messages()
    finally:
        hub.close()
        gear.close()


def test_vanished_port_is_reopened_when_it_returns(jack_midi: JackServer, tmp_path: Any) -> None:
    gear = Gear()
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"state_file": str(tmp_path / "u.json")}).start()
    try:
        port = hub.port("gear")
        gear.close()                                   # unplugged mid-set
        assert wait_until(lambda: not port.connected, 3.0)
        gear = Gear()                                  # plugged back in
        assert wait_until(lambda: port.connected, 3.0)
        f0 = clock.monotonic_to_frame(time.monotonic() + 0.02)
        hub.handle([Ev("t", f0, 0.05, {"midiport": "gear", "note": 61})])
        assert wait_until(lambda: (0x80, 61, 0) in gear.messages(), 2.0)
        assert port.reopens == 1
    finally:
        hub.close()
        gear.close()


def test_clock_out_over_jack(jack_midi: JackServer, tmp_path: Any) -> None:
    gear = Gear("drummachine")
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"clock_out": "drummachine", "state_file": str(tmp_path / "u.json")}).start()
    try:
        # start on the next beat of the engine clock
        hub.set_playing(True)
        time.sleep(1.0)
        hub.set_playing(False)
        time.sleep(0.05)
        msgs = gear.messages()
        assert msgs[0] in ((0xFA,), (0xF2, msgs[0][1] if len(msgs[0]) > 1 else 0, msgs[0][2] if len(msgs[0]) > 2 else 0))
        assert msgs[-1] == (0xFC,)
        ticks = [t for t, m in gear.got if m == (0xF8,)]
        assert 44 <= len(ticks) <= 50                      # 48 per second at 120 BPM
        intervals = [b - a for a, b in zip(ticks, ticks[1:])]
        assert abs(sum(intervals) / len(intervals) - 0.5 / 24) < 0.001
    finally:
        hub.close()
        gear.close()


def _master(period_of: Any, stop: threading.Event, out: rtmidi.MidiOut) -> None:
    t0 = time.monotonic() + 0.05
    out.send_message([0xFA])
    k = 0
    t = t0
    while not stop.is_set():
        sleep_until(t)
        out.send_message([0xF8])
        t += period_of(t - t0)
        k += 1


def test_follow_a_clock_over_jack(jack_midi: JackServer) -> None:
    master = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "master")
    master.open_virtual_port("clock")
    source = open_midi_source("master")
    stop = threading.Event()
    step_at = 3.0
    thread = threading.Thread(target=_master, args=(
        lambda el: 60 / ((120.0 if el < step_at else 126.0) * PPQN), stop, master), daemon=True)
    t_start = time.monotonic()
    thread.start()
    try:
        time.sleep(step_at - 0.1)
        now = time.monotonic()
        assert source.ok_at(now) and source.playing()
        assert abs(source.tempo_at(now) - 120.0) < 0.1
        # phase: beat 0 was ~50 ms after start; the estimate agrees within 2 ms + JACK period
        expected_beat = (now - (t_start + 0.05)) * 2.0
        assert abs(source.beat_at(now) - expected_beat) * 500 < 2.0 + 2.7
        time.sleep(4 * 60 / 126 + 0.3)                    # 4 beats after the step
        assert abs(source.tempo_at(time.monotonic()) - 126.0) < 0.25
        stop.set()
        thread.join()
        last = time.monotonic()
        time.sleep(4 * 60 / (126 * PPQN))
        assert not source.ok_at(time.monotonic())          # no tick for 3 periods
        assert abs(source.tempo_at(last) - 126.0) < 0.25   # tempo held
    finally:
        stop.set()
        source.close()
        master.close_port()
        master.delete()

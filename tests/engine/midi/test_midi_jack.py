"""MIDI over real JACK MIDI ports on the JACK dummy server: out, clock, follow, port loss."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import rtmidi

from livestudio.engine.midi import ports
from livestudio.engine.midi.testkit import Gear, note_pairs, wait_until
from livestudio.engine.midi.follow import PPQN
from livestudio.engine.midi.hub import MidiHub
from livestudio.engine.midi.timing import SimpleClock, make_thread_realtime, sleep_until
from livestudio.engine.sync.choose import open_midi_source
from livestudio.errors import MidiPortError
from livestudio.testing.jack import JackServer


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
    clock.playing = False              # the transport starts below
    hub = MidiHub(clock, options={"clock_out": "drummachine", "state_file": str(tmp_path / "u.json")}).start()
    try:
        # start on the next beat of the engine clock
        t_on = time.monotonic()
        hub.set_playing(True)
        time.sleep(1.0)
        hub.set_playing(False)
        t_off = time.monotonic()
        wait_until(lambda: bool(gear.messages()) and gear.messages()[-1] == (0xFC,), 2.0)
        msgs = gear.messages()
        assert msgs[0] in ((0xFA,), (0xF2, msgs[0][1] if len(msgs[0]) > 1 else 0, msgs[0][2] if len(msgs[0]) > 2 else 0))
        assert msgs[-1] == (0xFC,)
        ticks = [t for t, m in gear.got if m == (0xF8,)]
        # 48 per second at 120 BPM, from the first 16th boundary after the start; receive
        # times carry JACK's period and the scheduler of a busy machine (timing figures are
        # the clock benchmark's job), so the bounds here only catch wrong behaviour
        assert ticks[0] - t_on < 0.125 + 0.1, ticks[0] - t_on
        assert abs(len(ticks) - (t_off - ticks[0]) * 48) <= 6, (len(ticks), t_off - ticks[0])
        intervals = [b - a for a, b in zip(ticks, ticks[1:])]
        assert abs(sum(intervals) / len(intervals) - 0.5 / 24) < 0.001
    finally:
        hub.close()
        gear.close()


def _master(period_of: Any, stop: threading.Event, out: rtmidi.MidiOut, started: list[float] | None = None) -> None:
    make_thread_realtime(40)       # a steady master even on a loaded test machine
    t0 = time.monotonic() + 0.05
    if started is not None:
        started.append(t0)         # the time of beat 0
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
    started: list[float] = []
    thread = threading.Thread(target=_master, args=(
        lambda el: 60 / ((120.0 if el < step_at else 126.0) * PPQN), stop, master, started), daemon=True)
    thread.start()
    try:
        time.sleep(step_at - 0.1)
        now = time.monotonic()
        assert source.ok_at(now) and source.playing()
        assert abs(source.tempo_at(now) - 120.0) < 0.1
        # phase: within 2 ms plus one JACK period (delivery waits for the next period)
        expected_beat = (now - started[0]) * 2.0
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
        thread.join()
        source.close()
        master.close_port()
        master.delete()


def test_keyboard_notes_and_cc_in_over_jack(jack_midi: JackServer, tmp_path: Any) -> None:
    from livestudio.engine.midi.cc import CCStore
    from livestudio.engine.midi.input import ControlInput, NoteInput

    store = CCStore.create()                       # the front creates it ...
    keyboard = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "keys")
    keyboard.open_virtual_port("out")
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"midi_in": "keys", "cc_store": store.name,   # ... the engine writes
                                  "state_file": str(tmp_path / "u.json")}).start()
    played: list[NoteInput] = []
    hub.add_note_listener(played.append)
    controls: list[ControlInput] = []
    hub.add_control_listener(controls.append)      # the sustain pedal's way in
    try:
        keyboard.send_message([0xB1, 74, 127])
        keyboard.send_message([0x91, 64, 90])
        keyboard.send_message([0x91, 64, 0])
        keyboard.send_message([0xF0] + [1] * 3000 + [0xF7])    # a sysex dump passes by harmlessly
        keyboard.send_message([0xB0, 1, 0])
        assert wait_until(lambda: store.read(1, default=-1.0) == 0.0, 2.0)
        assert store.read(74) == 1.0 and store.read(74, channel=2) == 1.0
        assert store.read(74, channel=3, default=0.25) == 0.25
        assert [(n.channel, n.note, n.velocity) for n in played] == [(2, 64, 90), (2, 64, 0)]
        assert [(c.channel, c.number, c.value) for c in controls] == [(2, 74, 127), (1, 1, 0)]
    finally:
        hub.close()
        keyboard.close_port()
        keyboard.delete()
        store.close(unlink=True)


def test_hub_follows_midi_clock_when_asked(jack_midi: JackServer, tmp_path: Any) -> None:
    master = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "tr8")
    master.open_virtual_port("out")
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"sync": "midi:tr8", "state_file": str(tmp_path / "u.json")}).start()
    transport: list[tuple[bool, float]] = []
    hub.on_transport = lambda playing, beat: transport.append((playing, beat))  # type: ignore[attr-defined]
    stop = threading.Event()
    thread = threading.Thread(target=_master, args=(lambda el: 60 / (132 * PPQN), stop, master), daemon=True)
    thread.start()
    try:
        time.sleep(2.5)
        status = hub.poll_status()
        assert status["sync"] == "midi:tr8:out" and status["sync_ok"] is True
        f = hub.sync.follower  # type: ignore[union-attr]
        info = (status, f.changes, f.outliers, f.rejected, f.ticks)
        assert abs(float(status["sync_bpm"]) - 132) < 0.2, info     # type: ignore[arg-type]
        assert abs(clock.cps * 240 - 132) < 0.5                     # the engine is being steered
        assert transport and transport[0][0] is True                # Start reached the engine
        now = time.monotonic()
        engine_beat = clock.cycle_at(clock.monotonic_to_frame(now)) * 4
        phase_s = (engine_beat - hub.sync.beat_at(now)) * 60 / 132     # type: ignore[union-attr]
        assert abs(phase_s) < 0.004, (phase_s, info)
        stop.set()
        thread.join()
        time.sleep(0.2)
        assert hub.poll_status()["sync_ok"] is False                # dropout shows
    finally:
        stop.set()
        thread.join()
        hub.close()
        master.close_port()
        master.delete()


def test_missing_clock_port_is_reported_then_used_when_plugged_in(jack_midi: JackServer, tmp_path: Any) -> None:
    other = Gear("somethingelse")
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"clock_out": "latecomer", "state_file": str(tmp_path / "u.json")}).start()
    gear = None
    try:
        hub.set_playing(True)
        errors = hub.poll_status()["midi_errors"]
        assert any("latecomer" in e and "somethingelse:in" in e for e in errors), errors  # type: ignore[union-attr]
        gear = Gear("latecomer")
        assert wait_until(lambda: (0xF8,) in gear.messages(), 4.0)   # type: ignore[union-attr]
    finally:
        hub.close()
        other.close()
        if gear is not None:
            gear.close()


def test_fuzzed_input_over_jack_never_crashes(jack_midi: JackServer, tmp_path: Any) -> None:
    import random

    noisy = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "noisy")
    noisy.open_virtual_port("out")
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"sync": "midi:noisy", "midi_in": "noisy",
                                  "state_file": str(tmp_path / "u.json")}).start()
    rng = random.Random(7)
    try:
        follower = hub.sync.follower  # type: ignore[union-attr]
        lo, hi = follower.config.min_bpm, follower.config.max_bpm
        end = time.monotonic() + 1.0
        sent = 0
        while time.monotonic() < end:
            kind = rng.random()
            if kind < 0.4:
                msg = [rng.randrange(256) for _ in range(rng.randrange(1, 4))]
            elif kind < 0.5:   # garbage (status bytes too) inside a sysex frame
                msg = [0xF0] + [rng.randrange(256) for _ in range(rng.randrange(1, 40))]
            elif kind < 0.6:
                msg = [0xF0] + [rng.randrange(128) for _ in range(1000)] + [0xF7]
            else:
                msg = [0xF8]                                   # ~10k ticks per second
            noisy.send_message(msg)
            sent += 1
            if sent % 20 == 0:
                time.sleep(0.001)
            assert follower.bpm == 0.0 or lo <= follower.bpm <= hi
        time.sleep(0.2)
        assert hub.inputs[0].received > 0 and not hub.inputs[0].errors
        assert follower.bpm == 0.0 or lo <= follower.bpm <= hi
    finally:
        hub.close()
        noisy.close_port()
        noisy.delete()


def test_vanished_input_is_reconnected(jack_midi: JackServer, tmp_path: Any) -> None:
    from livestudio.engine.midi.cc import CCStore

    store = CCStore.create(shared=False)
    keys = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "knobs")
    keys.open_virtual_port("out")
    hub = MidiHub(SimpleClock(48000), options={"midi_in": "knobs", "state_file": str(tmp_path / "u.json")})
    hub.cc_store = store
    hub.start()
    try:
        midi_in = hub.inputs[0]
        keys.close_port()
        keys.delete()                                   # unplugged
        assert wait_until(lambda: not midi_in.connected, 3.0)
        keys = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "knobs")
        keys.open_virtual_port("out")                   # plugged back in
        assert wait_until(lambda: midi_in.connected, 3.0)
        keys.send_message([0xB0, 7, 127])
        assert wait_until(lambda: store.read(7) == 1.0, 2.0)
    finally:
        hub.close()
        keys.close_port()
        keys.delete()

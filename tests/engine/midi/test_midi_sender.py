"""The sender thread: timing, note bookkeeping (no hanging notes), clock out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


from livestudio.engine.midi import messages as mm
from livestudio.engine.midi.testkit import FakePort, note_pairs, wait_until
from livestudio.engine.midi.clock_out import ClockOut
from livestudio.engine.midi.hub import MidiHub
from livestudio.engine.midi.sender import NOTE_ON, MidiSender, Timed
from livestudio.engine.midi.timing import SimpleClock


@dataclass
class Ev:
    track: str
    frame: int
    duration_s: float
    controls: dict[str, Any] = field(default_factory=dict)


def make_hub(port: FakePort, tmp_path: Any, **options: Any) -> tuple[MidiHub, SimpleClock]:
    clock = SimpleClock(48000, cps=0.5)
    hub = MidiHub(clock, options={"realtime": False, "state_file": str(tmp_path / "used.json"), **options})
    hub.ports["fake"] = port  # type: ignore[assignment]
    hub.start()
    return hub, clock


def frame_in(clock: SimpleClock, seconds: float) -> int:
    return clock.monotonic_to_frame(time.monotonic() + seconds)


def test_events_leave_at_their_time_with_port_offset(tmp_path: Any) -> None:
    port = FakePort("fake", offset_ms=5.0)
    hub, clock = make_hub(port, tmp_path)
    try:
        frame = frame_in(clock, 0.05)
        due = clock.frame_to_monotonic(frame) + 0.005
        hub.handle([Ev("a", frame, 0.02, {"midiport": "fake", "midichan": 2, "note": 60,
                                          "cc": {74: 64}, "progNum": 3})])
        assert wait_until(lambda: len(port.sent) >= 4, 2.0)
        sent = port.sent
        assert [m for _, m in sent] == [(0xC1, 3), (0xB1, 74, 64), (0x91, 60, 114), (0x81, 60, 0)]
        # order and rough timing only: precise timing is `livestudio bench clock`'s job
        assert -0.001 < sent[2][0] - due < 0.02
        assert -0.001 < sent[3][0] - (due + 0.02) < 0.02
    finally:
        hub.close()


def test_retrigger_ends_the_older_note_and_its_off_is_void(tmp_path: Any) -> None:
    port = FakePort("fake")
    hub, clock = make_hub(port, tmp_path)
    try:
        f0 = frame_in(clock, 0.03)
        # the same note again while the first still sounds; the first off must not cut it
        hub.handle([Ev("a", f0, 0.10, {"midiport": "fake", "note": 60}),
                    Ev("a", f0 + 2400, 0.10, {"midiport": "fake", "note": 60})])
        assert wait_until(lambda: len(port.sent) >= 4, 2.0)
        time.sleep(0.05)
        assert port.messages() == [(0x90, 60, 114), (0x80, 60, 0), (0x90, 60, 114), (0x80, 60, 0)]
        # the last off belongs to the second note (100 ms after it), not the first
        assert port.sent[3][0] - port.sent[2][0] > 0.09
        assert note_pairs(port.messages()) == ({}, [])
    finally:
        hub.close()


def test_remove_track_stop_and_close_end_every_note(tmp_path: Any) -> None:
    port = FakePort("fake")
    hub, clock = make_hub(port, tmp_path)
    f0 = frame_in(clock, 0.02)
    long = {"midiport": "fake", "midichan": 1}
    hub.handle([Ev("a", f0, 5.0, {**long, "note": 60}),
                Ev("b", f0, 5.0, {**long, "note": 64, "midichan": 3}),
                Ev("a", f0 + 48000, 5.0, {**long, "note": 62})])          # a future note of a
    assert wait_until(lambda: len(port.sent) == 2, 1.0)
    hub.remove_track("a")            # the track is removed mid-note (or its pattern replaced)
    assert wait_until(lambda: len(port.sent) == 3, 1.0)
    assert port.messages()[-1] == (0x80, 60, 0)
    time.sleep(1.1)                  # its queued future note never plays
    assert (0x90, 62, 114) not in port.messages()
    hub.set_playing(False)           # transport stop ends b's note
    assert note_pairs(port.messages()) == ({}, [])
    hub.handle([Ev("c", frame_in(clock, 0.01), 5.0, {**long, "note": 70})])
    assert wait_until(lambda: (0x90, 70, 114) in port.messages(), 1.0)
    hub.close()                      # exit: note off, then CC 123 on channels 1 and 3
    msgs = port.messages()
    assert note_pairs(msgs) == ({}, [])
    assert msgs[-2:] == [(0xB0, 123, 0), (0xB2, 123, 0)]
    assert not (tmp_path / "used.json").exists()


def test_crashed_engine_leaves_a_state_file_the_next_one_cleans(tmp_path: Any) -> None:
    state = tmp_path / "used.json"
    state.write_text('{"pid": 999999999, "used": [["fake", 5]]}')
    port = FakePort("fake")
    hub, _ = make_hub(port, tmp_path)
    try:
        assert port.messages() == [(0xB4, 123, 0)]
        assert not state.exists()
    finally:
        hub.close()


def test_bad_controls_are_reported_not_raised(tmp_path: Any) -> None:
    port = FakePort("fake")
    hub, clock = make_hub(port, tmp_path)
    try:
        hub.handle([Ev("x", frame_in(clock, 0.01), 0.1, {"midiport": "fake", "midichan": 22, "note": 60}),
                    Ev("y", frame_in(clock, 0.01), 0.1, {"midiport": "fake", "note": "h7"})])
        errors = hub.poll_status()["midi_errors"]
        assert any("midichan must be 1..16" in e for e in errors)   # type: ignore[union-attr]
        assert any("'h7'" in e for e in errors)                      # type: ignore[union-attr]
    finally:
        hub.close()


def test_clock_out_tick_grid_follows_engine_frames() -> None:
    clock = SimpleClock(48000, cps=0.5, t0=time.monotonic() + 0.02)
    port = FakePort("clk")
    stamps: list[tuple[int, float, float]] = []
    c = ClockOut(clock, port, on_send=lambda k, ideal, sent: stamps.append((k, ideal, sent)))
    sender = MidiSender(realtime=False)
    sender.start()
    try:
        sender.call(lambda: (c.start(at_beat=0.0), sender.periodic.append(c)))
        time.sleep(0.5)
        sender.call(c.stop)
    finally:
        sender.close()
    msgs = port.messages()
    assert msgs[0] == (mm.START,) and msgs[-1] == (mm.STOP,)
    ticks = [k for k, _, _ in stamps]
    assert ticks == list(range(len(ticks))) and len(ticks) >= 20
    # tick k is exactly frame 1000 * k at 120 BPM / 48 kHz: no accumulation
    for k, ideal, _ in stamps:
        assert clock.frame_at_cycle(k / 96) == 1000 * k
        assert abs(ideal - clock.frame_to_monotonic(1000 * k)) < 1e-9
    lateness = sorted(sent - ideal for _, ideal, sent in stamps)
    assert lateness[0] >= 0 and lateness[len(lateness) // 2] < 0.01


def test_clock_out_resume_uses_song_position() -> None:
    clock = SimpleClock(48000, cps=0.5)
    port = FakePort("clk")
    c = ClockOut(clock, port)
    c.start(at_beat=2.3)
    assert c.pending == [mm.song_position(10), (mm.CONTINUE,)] and c.next_tick == 60
    c.running = False
    c.locate(3.0)
    assert port.messages() == [mm.song_position(12)] and c.next_tick == 72


def test_sender_posting_from_threads_is_ordered() -> None:
    sender = MidiSender(realtime=False)
    port = FakePort("p")
    sender.start()
    try:
        now = time.monotonic() + 0.02
        items = [Timed(now + i * 0.001, sender.next_seq(), port, mm.note_on(1, 40 + i, 100), "t", NOTE_ON, 0.005)  # type: ignore[arg-type]
                 for i in range(10)]
        sender.schedule(items[::-1])
        assert wait_until(lambda: len(port.sent) == 20, 1.0)
        ons = [m[1] for m in port.messages() if m[0] == 0x90]
        assert ons == list(range(40, 50))
    finally:
        sender.close()


def test_clock_out_per_port_on_and_off(tmp_path: Any) -> None:
    a, b = FakePort("synth-a"), FakePort("drums-b")
    clock = SimpleClock(48000, cps=0.5)
    clock.playing = False
    hub = MidiHub(clock, options={"realtime": False, "state_file": str(tmp_path / "u.json"),
                                  "clock_out": ["synth-a", "drums-b"]})
    hub.ports.update({"synth-a": a, "drums-b": b})  # type: ignore[dict-item]
    hub.start()
    try:
        assert hub.set_clock_enabled("drums", False) == 1
        hub.set_playing(True)
        assert wait_until(lambda: a.messages().count((0xF8,)) >= 5, 2.0)
        assert (0xF8,) not in b.messages()
        hub.set_clock_enabled("drums", True)
        assert wait_until(lambda: (0xF8,) in b.messages(), 2.0)
        assert b.messages()[0][0] in (0xFA, 0xF2)      # Start, or SPP + Continue mid-song
    finally:
        hub.close()

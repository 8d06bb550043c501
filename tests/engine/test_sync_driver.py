"""Steering the engine clock onto a source: follows tempo and phase, never jumps the beat."""

from __future__ import annotations

import random

from livestudio.engine.midi.follow import PPQN, ClockFollower
from livestudio.engine.midi.timing import SimpleClock
from livestudio.engine.sync.choose import parse_sync
from livestudio.engine.sync.driver import SyncDriver
from livestudio.engine.sync.source import InternalSource, MidiClockSource


class FakeSource:
    """A source with a given tempo and a beat timeline (simulated time)."""

    def __init__(self, bpm: float, beat0: float, t0: float, *, name: str = "fake", quantum: float = 4.0) -> None:
        self.bpm, self.beat0, self.t0, self.name, self.quantum = bpm, beat0, t0, name, quantum
        self.alive = True

    def tempo_at(self, t: float) -> float:
        return self.bpm

    def beat_at(self, t: float) -> float:
        return self.beat0 + (t - self.t0) * self.bpm / 60

    def ok_at(self, t: float) -> bool:
        return self.alive

    def playing(self) -> bool | None:
        return None

    def peers(self) -> int:
        return 0

    def status(self, t: float) -> dict[str, object]:
        return {}

    def close(self) -> None:
        pass


def engine_beat(clock: SimpleClock, t: float) -> float:
    return clock.cycle_at(clock.monotonic_to_frame(t)) * 4


def run(driver: SyncDriver, clock: SimpleClock, t: float, seconds: float, step: float = 0.05,
        on_step=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Step the driver in simulated time; returns (end time, largest beat jump between steps)."""
    worst_jump = 0.0
    prev = engine_beat(clock, t)
    end = t + seconds
    while t < end:
        t += step
        if on_step:
            on_step(t)
        driver.step(t)
        now = engine_beat(clock, t)
        # the beat advances by at most (tempo * (1 + max deviation)) * step: no jump
        worst_jump = max(worst_jump, abs(now - prev - driver.source.tempo_at(t) / 60 * step))
        prev = now
    return t, worst_jump


def test_follows_a_source_with_an_offset_phase_without_jumping() -> None:
    clock = SimpleClock(48000, cps=0.5, t0=0.0)                  # engine at 120 BPM
    source = FakeSource(126.0, beat0=1.3, t0=0.0)                # 126 BPM, 1.3 beats off
    driver = SyncDriver(clock, source, start_thread=False)
    t, jump = run(driver, clock, 0.0, 30.0)
    assert jump < 0.1 * 126 / 60 * 0.05                           # tempo steps stay within 10 %
    error = (source.beat_at(t) - engine_beat(clock, t) + 2) % 4 - 2
    assert abs(error) * 60 / 126 * 1000 < 1.0                     # in phase (mod a bar) < 1 ms
    assert abs(clock.cps * 240 - 126.0) < 0.1


def test_switching_sources_does_not_jump_the_beat() -> None:
    clock = SimpleClock(48000, cps=0.5, t0=0.0)
    a = FakeSource(120.0, beat0=0.0, t0=0.0, name="a")
    driver = SyncDriver(clock, a, start_thread=False)
    t, _ = run(driver, clock, 0.0, 5.0)
    b = FakeSource(120.0, beat0=a.beat_at(t) + 0.5, t0=t, name="b")   # half a beat away
    before = engine_beat(clock, t)
    driver.set_source(b)
    t2, jump = run(driver, clock, t, 0.05)
    assert abs(engine_beat(clock, t2) - before - 0.1) < 0.01        # just 0.05 s of music later
    t3, jump = run(driver, clock, t2, 40.0)
    assert jump < 0.01
    error = (b.beat_at(t3) - engine_beat(clock, t3) + 2) % 4 - 2
    assert abs(error) * 500 < 1.0


def test_holds_tempo_while_the_source_is_not_ok() -> None:
    clock = SimpleClock(48000, cps=0.5, t0=0.0)
    source = FakeSource(130.0, beat0=0.0, t0=0.0)
    driver = SyncDriver(clock, source, start_thread=False)
    t, _ = run(driver, clock, 0.0, 10.0)
    held = clock.cps
    source.alive = False
    source.bpm = 60.0
    run(driver, clock, t, 5.0)
    assert clock.cps == held


def test_follows_a_jittered_midi_clock_smoothly() -> None:
    rng = random.Random(3)
    follower = ClockFollower()
    source = MidiClockSource(follower, port_name="sim")
    clock = SimpleClock(48000, cps=0.5, t0=0.0)
    driver = SyncDriver(clock, source, start_thread=False)
    period = 60 / (124 * PPQN)
    ticks = iter([k * period + 0.05 + rng.uniform(-0.001, 0.001) for k in range(24 * 200)])
    follower.start(0.0)
    pending = [next(ticks)]

    def feed(t: float) -> None:
        while pending[0] <= t:
            follower.tick(pending[0])
            pending[0] = next(ticks)

    t, jump = run(driver, clock, 0.0, 30.0, step=0.02, on_step=feed)
    err_ms = ((source.beat_at(t) - engine_beat(clock, t) + 2) % 4 - 2) * 60 / 124 * 1000
    assert abs(err_ms) < 2.0
    assert abs(clock.cps * 240 - 124) < 0.2


def test_internal_source_and_sync_specs() -> None:
    clock = SimpleClock(48000, cps=0.5, t0=0.0)
    src = InternalSource(clock)
    assert src.tempo_at(1.0) == 120.0 and src.beat_at(1.0) == 2.0 and src.ok_at(0)
    assert parse_sync("midi:Digitakt") == ("midi", "Digitakt")
    assert src.status(1.0) == {"sync": "internal", "sync_ok": True, "link_peers": 0, "sync_bpm": 120.0}

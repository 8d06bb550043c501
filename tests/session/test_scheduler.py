"""The scheduler: back-to-back queries, exact frames, swaps at a cycle, faulty tracks muted."""

from __future__ import annotations

from fractions import Fraction

import pytest

from livestudio import mini, note, s
from livestudio.patterns.pattern import Pattern
from livestudio.session.scheduler import Scheduler, engine_controls, value_to_controls
from livestudio.session.tempo import TempoMap


def _scheduler(cps: Fraction = Fraction(1, 2)) -> Scheduler:
    return Scheduler(TempoMap(sample_rate=48000, cps=cps))


def _run(scheduler: Scheduler, steps: list[Fraction]) -> list[tuple[str, Fraction, int]]:
    out = []
    for until in steps:
        events, _ = scheduler.advance(until, start=Fraction(0))
        out.extend((e.track, e.cycle, e.frame) for e in events)
    return out


def test_back_to_back_queries_give_every_onset_once_whatever_the_steps() -> None:
    pattern = s("bd*3 [hh sd]? cp(3,8)").fast("<1 2>")
    coarse = _scheduler()
    coarse.set_track("a", pattern, at_cycle=Fraction(0))
    fine = _scheduler()
    fine.set_track("a", pattern, at_cycle=Fraction(0))
    a = _run(coarse, [Fraction(4)])
    b = _run(fine, [Fraction(k, 7) for k in range(1, 29)])
    assert a == b
    assert len(a) > 20


def test_frames_are_exact_and_tempo_change_applies_at_its_cycle() -> None:
    sched = _scheduler()
    sched.set_track("k", s("bd*4"), at_cycle=Fraction(0))
    first = _run(sched, [Fraction(1)])
    assert [f for _, _, f in first] == [0, 24000, 48000, 72000]
    sched.tempo.set_cps(1, at_cycle=Fraction(1))
    second = _run(sched, [Fraction(2)])
    assert [f for _, _, f in second] == [96000, 108000, 120000, 132000]


def test_swap_takes_effect_exactly_at_the_boundary() -> None:
    sched = _scheduler()
    sched.set_track("t", s("bd*4"), at_cycle=Fraction(0))
    _run(sched, [Fraction(1, 2)])  # scheduled ahead half a cycle
    sched.set_track("t", s("hh*2"), at_cycle=Fraction(1))
    events, _ = sched.advance(Fraction(2))
    assert [(e.cycle, e.controls["s"]) for e in events] == [
        (Fraction(1, 2), "bd"), (Fraction(3, 4), "bd"), (Fraction(1), "hh"), (Fraction(3, 2), "hh")]


def test_removed_track_stops_at_its_cycle() -> None:
    sched = _scheduler()
    sched.set_track("t", s("bd*2"), at_cycle=Fraction(0))
    sched.remove_track("t", at_cycle=Fraction(1))
    assert [c for _, c, _ in _run(sched, [Fraction(3)])] == [0, Fraction(1, 2)]


def _broken(state: object) -> list:  # a query that raises, as a user function might
    raise ZeroDivisionError("division by zero in a user function")


def test_a_raising_track_is_muted_and_reported_while_others_play() -> None:
    sched = _scheduler()
    sched.set_track("good", s("bd*2"), at_cycle=Fraction(0))
    sched.set_track("bad", Pattern(_broken), at_cycle=Fraction(0))
    events, errors = sched.advance(Fraction(1), start=Fraction(0))
    assert {e.track for e in events} == {"good"}
    assert len(errors) == 1 and "bad" in errors[0] and "ZeroDivisionError" in errors[0]
    events, errors = sched.advance(Fraction(2))
    assert {e.track for e in events} == {"good"} and errors == []
    assert "bad" in sched.errors()
    # a new version of the track clears the error
    sched.set_track("bad", s("cp"), at_cycle=Fraction(2))
    events, _ = sched.advance(Fraction(3))
    assert {e.track for e in events} == {"good", "bad"}


def test_a_track_over_its_query_budget_is_muted() -> None:
    sched = Scheduler(TempoMap(sample_rate=48000, cps=Fraction(1, 2)), query_budget_s=0.0)
    sched.set_track("slow", s("bd*16"), at_cycle=Fraction(0))
    events, errors = sched.advance(Fraction(1), start=Fraction(0))
    assert events == [] and "budget" in errors[0]


def test_mute_and_solo() -> None:
    sched = _scheduler()
    sched.set_track("a", s("bd"), at_cycle=Fraction(0))
    sched.set_track("b", s("sd"), at_cycle=Fraction(0))
    sched.muted.add("a")
    assert {t for t, _, _ in _run(sched, [Fraction(1)])} == {"b"}
    sched.muted.clear()
    sched.soloed.add("a")
    assert {t for t, _, _ in _run(sched, [Fraction(2)])} == {"a"}


def test_continuous_controls_are_sampled_at_onsets() -> None:
    from livestudio import saw
    sched = _scheduler()
    sched.set_track("a", s("bd*4").gain(saw), at_cycle=Fraction(0))
    events, _ = sched.advance(Fraction(1), start=Fraction(0))
    assert [e.controls["gain"] for e in events] == pytest.approx([0, 0.25, 0.5, 0.75])


def test_event_durations_and_engine_controls() -> None:
    sched = _scheduler()
    sched.set_track("a", note("c3 e3").legato(0.5), at_cycle=Fraction(0))
    events, _ = sched.advance(Fraction(1), start=Fraction(0))
    assert events[0].duration_s == pytest.approx(1.0)
    controls = engine_controls(events[0], bus=3)
    assert controls["duration"] == pytest.approx(0.5) and controls["orbit"] == 3


def test_bare_values_become_controls() -> None:
    assert value_to_controls("bd") == {"s": "bd"}
    assert value_to_controls(60) == {"note": 60}
    assert value_to_controls(["bd", 3, 0.5]) == {"s": "bd", "n": 3, "gain": 0.5}
    sched = _scheduler()
    sched.set_track("a", mini("bd:3 60"), at_cycle=Fraction(0))
    events, _ = sched.advance(Fraction(1), start=Fraction(0))
    assert [e.controls for e in events] == [{"s": "bd", "n": 3}, {"note": 60}]


def _loops_from_cycle_two(state: object) -> list:
    span = getattr(state, "begin", None)
    if span is not None and span >= 2:
        while True:  # a user function that hangs only at play time
            pass
    return []


def test_a_query_that_hangs_at_play_time_is_stopped_and_muted() -> None:
    sched = Scheduler(TempoMap(sample_rate=48000, cps=Fraction(1, 2)), query_budget_s=0.05,
                      watchdog=True)
    sched.set_track("good", s("bd*2"), at_cycle=Fraction(0))
    sched.set_track("hang", Pattern(_loops_from_cycle_two), at_cycle=Fraction(0))
    events, errors = sched.advance(Fraction(2), start=Fraction(0))
    assert errors == [] and {e.track for e in events} == {"good"}
    events, errors = sched.advance(Fraction(3))
    assert {e.track for e in events} == {"good"}
    assert len(errors) == 1 and "hang" in errors[0] and "stopped" in errors[0]
    events, errors = sched.advance(Fraction(4))  # the thread goes on normally afterwards
    assert len(events) == 2 and errors == []


def test_nudge_shifts_the_frame_within_a_second() -> None:
    tempo = TempoMap(sample_rate=48000, cps=Fraction(1, 2))
    scheduler = Scheduler(tempo)
    scheduler.set_track("a", s("bd*2").nudge("<0.01 -0.005 5>"), at_cycle=Fraction(0))
    events, errors = scheduler.advance(Fraction(3))
    assert not errors
    frames = [e.frame for e in events]
    assert frames == [0 + 480, 48000 + 480, 96000 - 240, 144000 - 240, 192000 + 48000, 240000 + 48000]

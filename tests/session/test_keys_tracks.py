"""Keys tracks (``midikeys()``): no events of their own, a patch sampled as time goes on,
sent to the engine when it changes, silent offline."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livestudio import midikeys, note, s, sine, stack
from livestudio.errors import PatternError
from livestudio.patterns.keys import KEYS, KeySpec
from livestudio.session.live import LiveOptions, LiveSession
from livestudio.session.render import render_tracks
from livestudio.session.scheduler import Scheduler
from livestudio.session.tempo import TempoMap
from livestudio.testing.fake_engine import FakeEngine

pytestmark = pytest.mark.timeout(60)


def _scheduler() -> Scheduler:
    return Scheduler(TempoMap(sample_rate=48000, cps=Fraction(1, 2)))


def test_a_keys_track_has_no_events_and_a_patch_at_any_cycle() -> None:
    sched = _scheduler()
    sched.set_track("lead", midikeys(channel=2, transpose=-12).s("<saw supersaw>")
                    .cutoff(sine.range(800, 3000).slow(4)).release(0.3), at_cycle=Fraction(0))
    sched.set_track("bass", note("c2*4").s("saw"), at_cycle=Fraction(0))
    events, errors = sched.advance(Fraction(2))
    assert errors == [] and {e.track for e in events} == {"bass"} and len(events) == 8
    first, _ = sched.keys_patches(Fraction(0))
    later, _ = sched.keys_patches(Fraction(5, 4))
    assert set(first) == {"lead"}
    [p0], [p1] = first["lead"], later["lead"]
    assert p0[KEYS] == KeySpec(channel=2, port=None, transpose=-12)
    assert (p0["s"], p1["s"]) == ("saw", "supersaw")
    assert p0["cutoff"] == pytest.approx(1900.0) and p1["cutoff"] > p0["cutoff"]  # the sweep
    assert p0["release"] == 0.3


def test_stacked_keys_patterns_are_a_layer_and_swaps_apply_at_their_cycle() -> None:
    sched = _scheduler()
    sched.set_track("keys", stack(midikeys(channel=1).s("saw"), midikeys(channel=2).s("sine")),
                    at_cycle=Fraction(0))
    sched.set_track("keys", midikeys().s("square"), at_cycle=Fraction(3))
    patches, _ = sched.keys_patches(Fraction(1, 2))
    assert sorted(p["s"] for p in patches["keys"]) == ["saw", "sine"]
    patches, _ = sched.keys_patches(Fraction(3))
    assert [p["s"] for p in patches["keys"]] == ["square"]
    sched.remove_track("keys", at_cycle=Fraction(4))
    assert sched.keys_patches(Fraction(4))[0] == {}


def test_a_keys_track_that_raises_is_muted_and_reported() -> None:
    def boom(value: object) -> object:
        raise ValueError("bad patch")

    sched = _scheduler()
    sched.set_track("keys", midikeys().s("saw").fmap(boom), at_cycle=Fraction(0))
    patches, errors = sched.keys_patches(Fraction(0))
    assert patches == {} and "bad patch" in errors[0]
    assert "keys" in sched.errors()


@pytest.mark.parametrize("kwargs", [{"channel": 0}, {"channel": 17}, {"channel": "1"},
                                    {"port": ""}, {"transpose": 0.5}, {"transpose": 60}])
def test_midikeys_checks_its_arguments(kwargs: dict[str, object]) -> None:
    with pytest.raises(PatternError):
        midikeys(**kwargs)  # type: ignore[arg-type]


def test_offline_render_leaves_a_keys_track_silent() -> None:
    result = render_tracks({"keys": midikeys().s("saw"), "drums": s("bd*2")},
                           cycles=Fraction(1), cps=Fraction(1, 2))
    assert result.errors == [] and {e.track for e in result.events} == {"drums"}
    assert not np.any(result.stems["keys"]) and np.abs(result.stems["drums"]).max() > 0.05


def _wait(predicate: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


SONG = ('from livestudio import *\ntempo(bpm=480)\n'
        'lead = midikeys(channel=1).s("saw").cutoff(sine.range(500, 5000))\n'
        'drums = s("bd*4")\n')


def test_the_session_sends_the_patch_as_it_changes_and_stops_it_on_removal(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(SONG)
    engine = FakeEngine()
    session = LiveSession(song, LiveOptions(engine=engine, watch=False, lookahead_s=0.05))
    session.start()
    try:
        def sent() -> list[list[dict[str, object]]]:
            return [c[2] for c in list(engine.calls) if c[0] == "set_keys" and c[1] == "lead"]

        _wait(lambda: len(sent()) >= 3)             # the cutoff sweeps: new patches keep coming
        cutoffs = [p[0]["cutoff"] for p in sent()]
        assert len(set(cutoffs)) == len(cutoffs) and all(500 <= c <= 5000 for c in cutoffs)
        assert sent()[0][0]["s"] == "saw" and sent()[0][0][KEYS].channel == 1
        assert all(e.track == "drums" for e in engine.events)   # the keys make no events
        session.mute("lead", True)                  # muting is the engine's business (its bus)
        assert engine.track_state["lead"] == (True, False)
        song.write_text(SONG.replace("lead = ", "_lead = "))
        session.reload()                            # the track is gone at the next cycle
        _wait(lambda: sent()[-1] == [])
        n = len(sent())
        time.sleep(0.1)
        assert len(sent()) == n                     # ... and nothing is sent for it any more
    finally:
        session.close()

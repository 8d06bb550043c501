"""LiveSession on the in-memory engine: scheduling, swaps at the boundary, errors,
tempo, transport, status JSON."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import pytest

from livestudio.errors import SessionError
from livestudio.session.live import LiveOptions, LiveSession
from livestudio.testing.fake_engine import FakeEngine

pytestmark = pytest.mark.timeout(60)

V1 = 'from livestudio import *\ntempo(bpm=480)\ndrums = s("bd*4")\n'
V2 = 'from livestudio import *\ntempo(bpm=480)\ndrums = s("sn*4")\nhats = s("hh*8")\n'
BROKEN = 'from livestudio import *\ntempo(bpm=480)\ndrums = s("bd*4"\n'
REQUIRED = {"output", "cycle", "cps", "bpm", "voices", "load", "load_max", "xruns", "late",
            "engine_restarts", "errors", "levels", "tracks", "reloads", "sync", "sync_ok",
            "link_peers"}


def _wait(predicate: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    song = tmp_path / "song.py"
    song.write_text(V1)
    s = LiveSession(song, LiveOptions(engine=FakeEngine(), watch=False, lookahead_s=0.05))
    s.start()
    yield s
    s.close()


def events_of(session: LiveSession, track: str) -> list:  # type: ignore[type-arg]
    return session.engine.events_for(track)  # type: ignore[attr-defined]


def test_plays_onsets_ahead_in_order(session: LiveSession) -> None:
    _wait(lambda: len(events_of(session, "drums")) >= 8)
    evs = events_of(session, "drums")
    cycles = [e.cycle for e in evs]
    assert cycles == sorted(cycles) and cycles[:4] == [Fraction(i, 4) for i in range(4)]
    frames = [e.frame for e in evs]
    assert all(b - a == 6000 for a, b in zip(frames, frames[1:]))  # 2 cps, 4 per cycle
    assert session.status().cps == 2.0


def test_reload_swaps_changed_tracks_at_the_next_cycle(session: LiveSession) -> None:
    _wait(lambda: len(events_of(session, "drums")) >= 2)
    session.path.write_text(V2)
    session.reload()
    swap = session.swap_cycle
    assert swap is not None and swap.denominator == 1
    _wait(lambda: any(e.cycle >= swap + 1 for e in events_of(session, "hats")))
    for e in events_of(session, "drums"):
        assert e.controls["s"] == ("bd" if e.cycle < swap else "sn")
    assert min(e.cycle for e in events_of(session, "hats")) == swap
    assert session.reloads == 1 and sorted(session.tracks) == ["drums", "hats"]


def test_broken_save_keeps_the_last_good_version(session: LiveSession) -> None:
    session.path.write_text(BROKEN)
    session.reload()
    errors = session.errors
    assert errors and errors[0].line == 3 and errors[0].path.endswith("song.py")
    sent = len(events_of(session, "drums"))
    _wait(lambda: len(events_of(session, "drums")) > sent + 4)
    assert not session.status().last_reload_ok
    session.path.write_text(V1)
    session.reload()
    assert session.errors == []


def test_tempo_changes_at_a_boundary(session: LiveSession) -> None:
    _wait(lambda: len(events_of(session, "drums")) >= 2)
    session.set_tempo(bpm=240)
    calls = session.engine.calls  # type: ignore[attr-defined]
    _wait(lambda: any(c[0] == "set_tempo" and c[1] == 1.0 for c in calls))
    call = [c for c in calls if c[0] == "set_tempo"][-1]
    at = call[2]
    assert call[1] == 1.0 and Fraction(at).denominator == 1
    _wait(lambda: any(e.cycle >= at + 1 for e in events_of(session, "drums")))
    evs = [e for e in events_of(session, "drums") if e.cycle >= at]
    assert evs[1].frame - evs[0].frame == 12000  # 1 cps now: a quarter cycle is 0.25 s
    with pytest.raises(SessionError):
        session.set_tempo(bpm=1)


def test_stop_and_continue(session: LiveSession) -> None:
    _wait(lambda: len(events_of(session, "drums")) >= 2)
    session.set_playing(False)
    assert not session.playing
    stopped_at = session.status().cycle
    time.sleep(0.1)
    sent = len(events_of(session, "drums"))
    time.sleep(0.3)
    assert len(events_of(session, "drums")) <= sent + 1
    session.set_playing(True)
    _wait(lambda: len(events_of(session, "drums")) > sent + 2)
    later = [e.cycle for e in events_of(session, "drums")[sent:]]
    assert min(later) >= Fraction(stopped_at).limit_denominator(1000) - 1


def test_mute_and_solo_reach_the_engine(session: LiveSession) -> None:
    session.mute("drums")
    assert session.engine.track_state["drums"] == (True, False)  # type: ignore[attr-defined]
    assert session.tracks["drums"].muted
    session.mute("drums")
    session.solo("drums")
    assert session.engine.track_state["drums"] == (False, True)  # type: ignore[attr-defined]


def test_engine_restart_resends_from_now(session: LiveSession) -> None:
    _wait(lambda: len(events_of(session, "drums")) >= 4)
    session._on_engine_restart(session._frame_now())
    assert session.scheduler is not None
    cursor = session.scheduler.tracks["drums"].cursor
    assert cursor is not None and cursor <= session.current_cycle() + Fraction(1, 10)


def test_status_json_has_the_issue_keys(session: LiveSession) -> None:
    data = session.status_json()
    assert REQUIRED <= set(data)
    assert data["tracks"] == ["drums"] and data["bpm"] == 480.0


def test_lookahead_bounds(tmp_path: Path) -> None:
    with pytest.raises(SessionError):
        LiveSession(tmp_path, LiveOptions(engine=FakeEngine(), lookahead_s=0.01))


def test_changing_sync_in_the_file_switches_the_clock_source(session: LiveSession) -> None:
    calls = session.engine.calls  # type: ignore[attr-defined]
    session.path.write_text(session.path.read_text() + 'sync("link")\n')
    session.reload()
    _wait(lambda: ("set_sync", "link") in calls)
    session.reload()  # unchanged: no second switch
    session.path.write_text(session.path.read_text().replace('sync("link")', 'sync("internal")'))
    session.reload()
    _wait(lambda: ("set_sync", "internal") in calls)
    assert [c for c in calls if c[0] == "set_sync"] == [("set_sync", "link"), ("set_sync", "internal")]


def test_set_sync_checks_the_spec_and_reaches_the_engine(session: LiveSession) -> None:
    session.set_sync("midi:tr8")
    assert session.engine.calls[-1] == ("set_sync", "midi:tr8")  # type: ignore[attr-defined]
    with pytest.raises(SessionError, match="clock source"):
        session.set_sync("mid1")


def test_a_first_load_stuck_in_a_c_call_does_not_freeze_the_start(tmp_path: Path) -> None:
    song = tmp_path / "stuck.py"
    song.write_text("from livestudio import *\nx = sum(range(10**15))\nbeat = s('bd*4')\n")
    session = LiveSession(song, LiveOptions(engine=FakeEngine(), watch=False, load_timeout_s=1.0))
    session.start()   # returns: the file ran in the validator, which was killed
    try:
        errors = session.errors
        assert errors and errors[0].line == 2 and "C call" in errors[0].message
        assert session.tracks == {} and session.playing
    finally:
        session.close()

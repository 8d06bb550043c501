"""The UI on a real LiveSession (loader, watcher, scheduler) with the in-memory engine.

Saves go through watchfiles exactly as on stage; only the audio is fake.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

live = pytest.importorskip("livestudio.session.live")

from livestudio.app.error_panel import ErrorPanel  # noqa: E402
from livestudio.app.log_panel import LogPanel  # noqa: E402
from livestudio.app.studio import StudioApp  # noqa: E402
from livestudio.app.track_list import TrackList  # noqa: E402
from livestudio.app.track_row import TrackRow  # noqa: E402
from livestudio.testing.fake_engine import FakeEngine  # noqa: E402
from livestudio.testing.pilot import run_async, until  # noqa: E402

pytestmark = pytest.mark.timeout(60)

V1 = 'from livestudio import *\ntempo(bpm=240)\ndrums = s("bd*4")\n'
V2 = 'from livestudio import *\ntempo(bpm=240)\ndrums = s("bd*4")\nhats = s("hh*8")\n'
BROKEN = 'from livestudio import *\ntempo(bpm=240)\ndrums = s("bd*4"\nhats = s("hh*8")\n'
LOOP = 'from livestudio import *\ntempo(bpm=240)\ndrums = s("bd*4")\nwhile True:\n    pass\n'


@run_async
async def test_live_session_reloads_errors_and_loops(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text(V1)
    engine = FakeEngine()
    session = live.LiveSession(song, live.LiveOptions(engine=engine, load_timeout_s=2.0))
    session.start()
    try:
        app = StudioApp(session)
        seen: list[str] = []
        session.add_listener(lambda kind: seen.append(session.last_result.summary())
                             if kind == "reload" else None)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: len(engine.events_for("drums")) > 0)
            assert app.query_one(TrackList).names == ["drums"]
            await until(pilot, lambda: len(app.query_one("#track-drums", TrackRow).steps) > 0)

            # a save adds a track: its events reach the engine
            song.write_text(V2)
            await until(pilot, lambda: len(engine.events_for("hats")) > 0)
            assert app.query_one(TrackList).names == ["drums", "hats"]
            assert any("reload #1 ok" in line for line in app.query_one(LogPanel).lines_written)

            # mute from the keyboard reaches the engine
            await pilot.press("down", "m")
            assert engine.track_state["hats"] == (True, False)

            # a syntax error: old patterns play on, error shown with its line
            sent = len(engine.events_for("drums"))
            song.write_text(BROKEN)
            panel = app.query_one(ErrorPanel)
            await until(pilot, lambda: panel.display)
            assert "song.py:3" in str(panel.render())
            await until(pilot, lambda: len(engine.events_for("drums")) > sent + 2)
            assert app.query_one(TrackList).names == ["drums", "hats"]

            # an endless loop: the UI answers keys while the loader spins, music goes on
            t0 = time.monotonic()
            await pilot.press("space", "space")
            baseline = (time.monotonic() - t0) / 2
            sent = len(engine.events_for("drums"))
            song.write_text(LOOP)
            await pilot.pause(0.1)  # the loader is now inside the loop
            reloads = session.reloads
            t0 = time.monotonic()
            await pilot.press("space")
            assert not session.playing
            took = time.monotonic() - t0
            await pilot.press("space")
            assert session.playing
            during = "during" if session.reloads == reloads else "after"
            print(f"space handled in {took * 1000:.0f} ms, {during} the looping load "
                  f"({baseline * 1000:.0f} ms when nothing looped); reloads {seen}")
            await until(pilot, lambda: "longer than" in str(panel.render()), timeout=8)
            assert len(engine.events_for("drums")) > sent

            # fixed: errors clear
            song.write_text(V2)
            await until(pilot, lambda: not panel.display)
    finally:
        session.close()

"""End to end on the real engine through a JACK dummy server, driven through the UI.

Start a session, save a change and hear (see the level of) the new track; save a
syntax error and see the old patterns keep playing with the error shown; save an
endless loop and see the UI answer keys while the music goes on.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

live = pytest.importorskip("livestudio.session.live")

from livestudio.app.error_panel import ErrorPanel  # noqa: E402
from livestudio.testing.pilot import run_async, until  # noqa: E402
from livestudio.app.studio import StudioApp  # noqa: E402
from livestudio.app.track_list import TrackList  # noqa: E402

pytestmark = [pytest.mark.timeout(240),  # the first engine start may compile kernels
              pytest.mark.skipif(shutil.which("jackd") is None, reason="jackd (jackd2) not installed")]

V1 = 'from livestudio import *\ntempo(bpm=240)\ndrums = s("bd*4")\n'
V2 = V1 + 'hats = s("hh*8").gain(0.8)\n'
BROKEN = V2 + 'bass = note("c2 eb2".s("saw")\n'
LOOP = V2 + 'while True:\n    pass\n'


@run_async
async def test_edit_error_and_loop_on_the_real_engine(jack_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    song = tmp_path / "song.py"
    song.write_text(V1)
    session = live.LiveSession(song, live.LiveOptions(output="device", load_timeout_s=1.5))
    session.start()
    try:
        app = StudioApp(session)
        seen: list[str] = []
        session.add_listener(lambda kind: seen.append(f"{kind}: {session.last_result.summary()}")
                             if kind == "reload" else None)

        def level(track: str) -> float:
            return float(session.status().engine.levels.get(track, 0.0))

        def cycle() -> float:
            return float(session.status().engine.cycle)

        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: level("drums") > 0.01, timeout=30)
            assert "JACK" in str(session.status().engine.output)

            # a save adds a track: its events reach the engine and sound
            song.write_text(V2)
            heard = await until(pilot, lambda: level("hats") > 0.01, timeout=10)
            status = session.status()
            print(f"save -> hats audible {heard * 1000:.0f} ms "
                  f"(save -> scheduled {status.last_edit_to_schedule_ms:.0f} ms, "
                  f"swap at cycle {status.swap_cycle})")
            assert app.query_one(TrackList).names == ["drums", "hats"]

            # a syntax error: the error is shown, the old patterns play on
            song.write_text(BROKEN)
            panel = app.query_one(ErrorPanel)
            await until(pilot, lambda: panel.display, timeout=10)
            assert "song.py:5" in str(panel.render())
            c0 = cycle()
            await pilot.pause(0.5)
            assert cycle() > c0 + 0.5 and level("drums") > 0.01 and level("hats") > 0.01
            assert sorted(session.status().tracks) == ["drums", "hats"]

            # an endless loop: keys answered, music goes on, then the error shows
            t0 = time.monotonic()
            await pilot.press("space", "space")  # stop, play: the baseline key time
            baseline = (time.monotonic() - t0) / 2
            await until(pilot, lambda: level("drums") > 0.01, timeout=10)
            song.write_text(LOOP)
            await pilot.pause(0.3)
            reloads = session.reloads
            c0 = cycle()
            called: list[float] = []
            real_mute = session.mute
            session.mute = lambda *a, **k: (called.append(time.monotonic()), real_mute(*a, **k))  # type: ignore[method-assign]
            t0 = time.monotonic()
            await pilot.press("down", "m")
            took = time.monotonic() - t0
            print(f"mute reached the session {(called[0] - t0) * 1000:.0f} ms after the key "
                  f"(pilot returned after {took * 1000:.0f} ms; baseline {baseline * 1000:.0f} ms/key)")
            assert session.status().tracks["hats"].muted
            during = "during" if session.reloads == reloads else "after"
            await until(pilot, lambda: "longer than" in str(panel.render()), timeout=8)
            assert cycle() > c0 + 0.5 and level("drums") > 0.01
            result = session.last_result
            print(f"keys handled {during} the looping load (isolated={result.isolated}); "
                  f"reloads: {seen}")
            assert session.status().engine.engine_restarts == 0
    finally:
        session.close()

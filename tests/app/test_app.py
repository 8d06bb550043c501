"""The UI against a fake session and engine: keys, mouse, mute/solo, errors, palette."""

from __future__ import annotations

import asyncio
import functools
import threading
from pathlib import Path

import pytest
from textual.command import CommandPalette

from livestudio.app.error_panel import ErrorPanel
from livestudio.app.help_screen import HelpScreen
from livestudio.app.log_panel import LogPanel
from livestudio.app.studio import StudioApp
from livestudio.app.track_list import TrackList
from livestudio.app.track_row import TrackRow
from livestudio.app.transport import Transport

from livestudio.testing.fake_session import FakeSession

pytestmark = pytest.mark.timeout(60)


def run_async(fn):  # type: ignore[no-untyped-def]
    """Run an async test with asyncio (no async pytest plugin needed)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        return asyncio.run(fn(*args, **kwargs))
    return wrapper


class Ticks:
    """A settable monotonic clock for tap tempo."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_app(tmp_path: Path, **kwargs: object) -> tuple[StudioApp, FakeSession]:
    song = tmp_path / "song.py"
    song.write_text("from livestudio import *\n\n\n\n\ndrums = s('bd*4')\nbass = note('c2').s('saw')\n"
                    "\nchords = n('0 2')\n\ngear = note('c3').midi(port='MicroFreak')\n")
    session = FakeSession(song)
    app = StudioApp(session, clock=lambda: "12:00:00", record_dir=tmp_path / "rec", **kwargs)  # type: ignore[arg-type]
    return app, session


@run_async
async def test_keys_drive_the_session(tmp_path: Path) -> None:
    ticks = Ticks()
    app, session = make_app(tmp_path, monotonic=ticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one(Transport).playing
        await pilot.press("space")
        assert ("playing", False) in session.calls
        assert not app.query_one(Transport).playing
        await pilot.press("space")
        assert app.query_one(Transport).playing

        assert app.query_one(TrackList).selected == "drums"
        await pilot.press("m")
        assert ("mute", "drums", True) in session.calls
        assert app.query_one("#track-drums", TrackRow).muted
        await pilot.press("down", "s")
        assert ("solo", "bass", True) in session.calls
        row_drums = app.query_one("#track-drums", TrackRow)
        assert app.query_one("#track-bass", TrackRow).soloed and row_drums.silenced

        await pilot.press("plus")
        assert session.tempo_requests[-1] == pytest.approx(129.0)
        await pilot.press("minus", "minus")
        assert session.tempo_requests[-1] == pytest.approx(127.0)

        for _ in range(4):
            await pilot.press("t")
            ticks.now += 0.5
        assert session.tempo_requests[-1] == pytest.approx(120.0)

        await pilot.press("p")
        assert ("panic",) in session.calls
        await pilot.press("r")
        recording = session.calls[-1]
        assert recording[0] == "record" and recording[1].endswith(".wav")
        assert Path(recording[1]).parent == tmp_path / "rec"
        await pilot.press("r")
        assert session.calls[-1] == ("record", None)

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        log = app.query_one(LogPanel).lines_written
        assert any("mute drums: on" in line for line in log)
        assert any("panic" in line for line in log)
        await pilot.press("q")
    assert app.return_code == 0


@run_async
async def test_mouse_toggles_mute_solo_and_selects(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#track-bass .mute")
        assert ("mute", "bass", True) in session.calls
        assert app.query_one(TrackList).selected == "bass"
        await pilot.click("#track-gear .solo")
        assert ("solo", "gear", True) in session.calls
        await pilot.click("#track-chords .steps")
        assert app.query_one(TrackList).selected == "chords"
        await pilot.click(Transport, offset=(3, 0))
        assert ("playing", False) in session.calls


@run_async
async def test_error_panel_shows_and_clears(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one(ErrorPanel)
        assert not panel.display
        # the session reports from its own thread, as the watcher does
        worker = threading.Thread(target=session.fail_reload,
                                  args=("NameError: name 'sn' is not defined", 7))
        worker.start()
        worker.join()
        await pilot.pause(0.1)
        assert panel.display
        shown = str(panel.render())
        assert "song.py:7" in shown and "NameError" in shown
        assert "bass = note('c2')" in shown  # the code line
        log = app.query_one(LogPanel).lines_written
        assert any("failed" in line and "last good version" in line for line in log)
        assert any("song.py:7" in line for line in log)
        # tracks keep playing: rows are still there
        assert app.query_one(TrackList).names == ["drums", "bass", "chords", "gear"]
        session.good_reload()
        await pilot.pause(0.1)
        assert not panel.display
        assert any("reload #3 ok" in line for line in app.query_one(LogPanel).lines_written)


@run_async
async def test_track_set_follows_the_session(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        del session.tracks["drums"]
        session.good_reload()
        await pilot.pause(0.1)
        assert app.query_one(TrackList).names == ["bass", "chords", "gear"]
        assert app.query_one(TrackList).selected == "bass"
        session.tracks.clear()
        session.good_reload()
        await pilot.pause(0.1)
        assert app.query_one(TrackList).names == []
        await pilot.press("m")  # nothing selected: a warning, no crash
        assert any("no track selected" in line for line in app.query_one(LogPanel).lines_written)


@run_async
async def test_engine_down_and_sync_lost_are_shown(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        session.engine.set_status(alive=False, engine_restarts=1, sync="link",
                                  link_peers=2, sync_ok=False, xruns=3)
        await pilot.pause(0.2)
        text = str(app.query_one(Transport).render())
        assert "ENGINE DOWN" in text and "Link 2 peers" in text and "lost" in text


@run_async
async def test_clock_key_steps_through_the_sources(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause(0.2)
        assert session.calls[-1] == ("sync", "link")
        assert "Link" in str(app.query_one(Transport).render())
        await pilot.press("c")
        await pilot.pause(0.2)
        assert session.calls[-1] == ("sync", "midi")
        await pilot.press("c")
        assert session.calls[-1] == ("sync", "internal")
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Clock: Ableton Link")
        command.callback()
        assert session.calls[-1] == ("sync", "link")
        log = app.query_one(LogPanel).lines_written
        assert any("clock: following Ableton Link" in line for line in log)


@run_async
async def test_command_palette_offers_the_actions(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Play / stop", "Mute selected track", "Solo selected track", "Record",
                      "Tap tempo", "Tempo +1 BPM", "Tempo -1 BPM", "Panic", "Help", "Mute gear"):
            assert title in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Mute gear")
        command.callback()
        assert ("mute", "gear", True) in session.calls
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")


@run_async
async def test_manual_reload_runs_in_a_worker(tmp_path: Path) -> None:
    app, session = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert ("reload",) in session.calls
        assert any("reload #2 ok" in line for line in app.query_one(LogPanel).lines_written)

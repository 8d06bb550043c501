"""`livestudio new NAME`: a session folder whose starter file loads and has tracks."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from livestudio.cli import main
from livestudio.session.loader import load_path


def test_new_creates_a_playable_session(tmp_path: Path) -> None:
    folder = tmp_path / "mysong"
    result = CliRunner().invoke(main, ["new", str(folder)])
    assert result.exit_code == 0, result.output
    starter = folder / "song.py"
    assert starter.exists() and "livestudio play" in result.output
    text = starter.read_text()
    assert text.count("#") > 10  # commented to teach
    loaded = load_path(folder)
    assert loaded.ok, [str(e) for e in loaded.errors]
    assert {"drums", "bass", "pad"} <= set(loaded.tracks)
    assert all(t.hap_count > 0 for t in loaded.tracks.values())
    assert loaded.settings.bpm == 120


def test_new_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "mine.py").write_text("x = 1\n")
    result = CliRunner().invoke(main, ["new", str(folder)])
    assert result.exit_code != 0 and "not empty" in result.output
    result = CliRunner().invoke(main, ["new", str(folder), "--force"])
    assert result.exit_code == 0 and (folder / "song.py").exists()
    again = CliRunner().invoke(main, ["new", str(folder), "--force"])
    assert again.exit_code != 0 and "not overwriting" in again.output
    assert (folder / "mine.py").read_text() == "x = 1\n"

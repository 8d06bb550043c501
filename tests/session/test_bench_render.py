"""`livestudio bench render` prints its figures (a tiny render: not a timing test)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner

from livestudio.commands.bench_render import render

KEYS = {"path", "tracks", "cycles", "bpm", "audio_s", "wall_s", "engine_s", "schedule_s",
        "master_s", "cpu_s", "workers", "realtime_factor", "compile_s", "load_avg_1min",
        "kernel_s", "wall_s_runs", "realtime_factor_median"}


def test_json_figures_of_a_tiny_song(tmp_path: Path) -> None:
    song = tmp_path / "tiny.py"
    song.write_text("from livestudio import *\ntempo(bpm=120)\n"
                    "beat = s('bd hh')\nbass = note('c2 eb2').s('saw').room(0.2)\n")
    out = CliRunner().invoke(render, [str(song), "--cycles", "1", "--repeat", "3", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) >= KEYS
    assert data["tracks"] == 2 and data["audio_s"] == 2.0
    assert math.isfinite(data["realtime_factor"]) and data["realtime_factor"] > 0.0
    # the best run is reported, the median beside it
    assert len(data["wall_s_runs"]) == 3
    assert abs(data["wall_s"] - min(data["wall_s_runs"])) < 1e-4
    assert data["realtime_factor_median"] <= data["realtime_factor"] + 1e-6
    assert 0.0 <= data["kernel_s"] <= data["cpu_s"] + 0.05


def test_text_output_names_the_realtime_factor(tmp_path: Path) -> None:
    song = tmp_path / "tiny.py"
    song.write_text("from livestudio import *\nbeat = s('bd')\n")
    out = CliRunner().invoke(render, [str(song), "--cycles", "0.5", "--repeat", "1", "--workers", "1"])
    assert out.exit_code == 0, out.output
    assert "realtime factor" in out.output and "1 tracks" in out.output

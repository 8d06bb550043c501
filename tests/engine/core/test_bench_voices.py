"""`livestudio bench voices` prints its figures (a tiny run: this is not a timing test)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from livestudio.commands.bench_voices import run_voices, standard_voice_controls, voices


def test_run_voices_keys() -> None:
    result = run_voices(4, 0.05)
    assert set(result) >= {"voices", "seconds", "wall_s", "voice_seconds_per_s",
                           "realtime_factor", "compile_s"}
    assert result["voice_seconds_per_s"] > 0


def test_cli_json() -> None:
    out = CliRunner().invoke(voices, ["--voices", "3", "--seconds", "0.02", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["voices"] == 3 and data["seconds"] == 0.02


def test_standard_voice_matches_the_definition() -> None:
    first = standard_voice_controls(0, 256, 10.0)
    last = standard_voice_controls(255, 256, 10.0)
    assert first["freq"] == 55.0 and first["pan"] == 0.0 and last["pan"] == 1.0
    assert standard_voice_controls(48, 256, 10.0)["freq"] == 55.0
    assert first["cutoff"] == 1200.0 and first["gain"] == 0.05

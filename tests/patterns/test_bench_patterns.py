"""`livestudio bench patterns` prints figures for every benchmark pattern."""

from __future__ import annotations

import json

from click.testing import CliRunner

from livestudio.commands.bench_patterns import DEFAULT_PATTERNS, default_file, patterns


def test_bench_patterns_json_shape() -> None:
    result = CliRunner().invoke(patterns, ["--json", "--cycles", "8", "--repeat", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = {p["name"] for p in DEFAULT_PATTERNS["patterns"]}
    assert set(data["patterns"]) == names
    for figures in data["patterns"].values():
        assert figures["haps"] > 0
        assert figures["seconds"] > 0
        assert figures["haps_per_s"] > 0


def test_bench_patterns_table() -> None:
    result = CliRunner().invoke(patterns, ["--cycles", "4", "--repeat", "1"])
    assert result.exit_code == 0, result.output
    assert "haps/s" in result.output and "drums" in result.output


def test_default_patterns_match_shared_file() -> None:
    path = default_file()
    if path is None:  # a fresh clone without ../shared uses the built-in copy
        return
    shared = json.loads(path.read_text())
    assert [p["py"] for p in shared["patterns"]] == [p["py"] for p in DEFAULT_PATTERNS["patterns"]]

"""Every case of ../shared/conformance/strudel-cases.json must pass (README rule)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from livestudio.testing.paths import shared_dir  # noqa: E402

from livestudio.commands.conformance import conformance  # noqa: E402
from livestudio.conformance import compare, load_cases, run_case, values_equal  # noqa: E402

CASES_FILE = shared_dir() / "conformance" / "strudel-cases.json"
CASES = load_cases(CASES_FILE) if CASES_FILE.exists() else []


def test_cases_file_present() -> None:
    assert CASES_FILE.exists(), f"missing {CASES_FILE}"
    assert len(CASES) == 370


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict) -> None:
    result = run_case(case)
    assert result.passed, f"{case['id']}: {case['py']}: {result.message}"


def test_cli_runs_the_whole_file_and_passes() -> None:
    result = CliRunner().invoke(conformance, [str(CASES_FILE)])
    assert result.output.strip().splitlines()[-1] == f"{len(CASES)} passed, 0 failed"
    assert result.exit_code == 0


def test_cli_reports_a_failure_and_exits_nonzero(tmp_path: Path) -> None:
    case = copy.deepcopy(next(c for c in CASES if c["id"] == "transform/fast-01"))
    case["haps"][0]["value"] = "zz"
    ok = next(c for c in CASES if c["id"] == "transform/pure-01")
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"format": "livestudio-pattern-conformance/1", "cases": [case, ok]}))
    result = CliRunner().invoke(conformance, [str(path), "--verbose"])
    assert "FAIL transform/fast-01" in result.output
    assert "expected:" in result.output
    assert result.output.strip().splitlines()[-1] == "1 passed, 1 failed"
    assert result.exit_code == 1


def test_comparison_rule() -> None:
    assert values_equal(3, 3.0)
    assert values_equal(0.5000000000000001, 0.5)
    assert values_equal(0.0, 1e-13)
    assert not values_equal(1.0, 1.001)
    assert not values_equal("1", 1)
    assert not values_equal(None, 0)
    assert values_equal({"s": "bd", "n": 3}, {"n": 3.0, "s": "bd"})
    assert not values_equal({"s": "bd"}, {"s": "bd", "n": 1})
    assert values_equal(["bd", 3], ("bd", 3))
    a = {"whole": ["0", "1/2"], "part": ["0", "1/2"], "value": 1}
    b = {"whole": None, "part": ["0", "1/2"], "value": 1}
    assert compare([a], [a]) == ""
    assert compare([a], [b]) != ""
    assert compare([a, a], [a]) != ""

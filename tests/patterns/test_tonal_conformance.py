"""The ``tonal/`` cases and the ``arp`` cases of ../shared/conformance/strudel-cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from livestudio.conformance import eval_namespace, run_case

CASES_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "strudel-cases.json"


def _cases() -> list[dict[str, Any]]:
    if not CASES_FILE.exists():
        return []
    cases = json.loads(CASES_FILE.read_text())["cases"]
    return [c for c in cases if c["id"].startswith("tonal/") or ".arp(" in c["py"]]


CASES = _cases()


@pytest.mark.skipif(not CASES, reason="shared conformance cases not found")
def test_case_count() -> None:
    assert sum(c["id"].startswith("tonal/") for c in CASES) == 29


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_tonal_case(case: dict[str, Any]) -> None:
    result = run_case(case, eval_namespace())
    assert result.passed, result.message

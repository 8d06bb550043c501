"""docs/reference.md is generated from the code and must stay current.

If this fails after you changed a pattern function, a control or a docstring, run
``.venv/bin/python -m livestudio.docs_reference`` and commit docs/reference.md.
"""

from __future__ import annotations

import subprocess
import sys

import livestudio
from livestudio import Pattern
from livestudio import docs_reference


def test_reference_is_current() -> None:
    # a fresh interpreter: other tests may register extra methods on Pattern in this one
    done = subprocess.run([sys.executable, "-m", "livestudio.docs_reference", "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (
        "docs/reference.md is out of date: run `.venv/bin/python -m livestudio.docs_reference`\n"
        + done.stdout + done.stderr)


def test_every_public_name_is_documented() -> None:
    text = docs_reference.build()
    missing = [name for name in livestudio.__all__ if f"`{name}`" not in text]
    assert not missing, f"not in docs/reference.md: {missing}"


def test_every_pattern_method_is_documented() -> None:
    text = docs_reference.build()
    missing = [name for name in dir(Pattern) if not name.startswith("_")
               and f"`{name}`" not in text and f"pat.{name}(" not in text]
    assert not missing, f"Pattern methods not in docs/reference.md: {missing}"


def test_check_reports_a_stale_file(tmp_path) -> None:
    stale = tmp_path / "reference.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert docs_reference.main(["--check", "-o", str(stale)]) == 1
    assert docs_reference.main(["-o", str(stale)]) == 0
    assert docs_reference.main(["--check", "-o", str(stale)]) == 0

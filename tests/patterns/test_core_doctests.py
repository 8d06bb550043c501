"""Run the docstring examples of the pattern core (already-imported modules).

Going through ``doctest.testmod`` on the imported modules keeps the examples honest
whatever pytest import mode the suite uses.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "livestudio.patterns.time",
    "livestudio.patterns.timespan",
    "livestudio.patterns.hap",
    "livestudio.patterns.pattern",
    "livestudio.patterns.transforms",
    "livestudio.patterns.signals",
    "livestudio.patterns.randomness",
    "livestudio.patterns.controls",
    "livestudio.patterns.keys",
    "livestudio.conformance",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"

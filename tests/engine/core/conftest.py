"""Fixtures for the engine core tests."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from livestudio.engine import Engine


@pytest.fixture
def make_engine() -> Callable[..., Engine]:
    """Build a small engine (fast to allocate; same compiled kernels as a big one)."""

    def build(**kw: Any) -> Engine:
        opts: dict[str, Any] = {"max_voices": 16, "max_buses": 4, "pool_floats": 1 << 20}
        opts.update(kw)
        return Engine(**opts)

    return build

"""Helpers for Textual tests driven by a Pilot: run an async test, wait for a condition."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from typing import Any


def run_async(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run an ``async def`` test function to completion with ``asyncio.run``."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(fn(*args, **kwargs))
    return wrapper


async def until(pilot: Any, predicate: Callable[[], bool], timeout: float = 5.0) -> float:
    """Pause the pilot until ``predicate()``; return the seconds it took."""
    t0 = time.monotonic()
    while not predicate():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
    return time.monotonic() - t0

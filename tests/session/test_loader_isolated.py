"""Loads that run first in the validator process: loops never touch the front's GIL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from livestudio.session.loader import load_path
from livestudio.session.validator import Validator, shared_validator

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def validator() -> Iterator[Validator]:
    v = shared_validator()
    assert v.ensure_started(wait=True), v.start_error
    yield v


def heartbeat_gaps(action):  # type: ignore[no-untyped-def]
    """Run ``action()`` while another thread ticks every 5 ms; return (result, worst gap)."""
    ticks: list[float] = []
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    thread = threading.Thread(target=beat)
    thread.start()
    try:
        result = action()
    finally:
        stop.set()
        thread.join()
    return result, max(b - a for a, b in zip(ticks, ticks[1:]))


def test_good_file_is_checked_then_built_here(tmp_path: Path, validator: Validator) -> None:
    path = tmp_path / "song.py"
    path.write_text('from livestudio import *\ndrums = s("bd*4")\n')
    result = load_path(path)
    assert result.ok and result.isolated and list(result.tracks) == ["drums"]
    assert result.validate_s < 1.0


def test_python_loop_never_runs_in_the_front(tmp_path: Path, validator: Validator) -> None:
    path = tmp_path / "song.py"
    path.write_text("x = 1\nwhile True:\n    x += 1\n")
    result, worst = heartbeat_gaps(lambda: load_path(path, timeout_s=0.5))
    assert not result.ok and result.isolated
    assert result.errors[0].line in (2, 3) and "longer than" in result.errors[0].reason
    print(f"worst heartbeat gap {worst * 1000:.0f} ms")
    assert worst < 0.5, f"the front stalled {worst * 1000:.0f} ms"
    assert validator.ensure_started(wait=True)


def test_loop_in_one_c_call_is_killed_and_located(tmp_path: Path, validator: Validator) -> None:
    path = tmp_path / "song.py"
    path.write_text("from livestudio import *\nbig = sum(range(10**13))\n")
    restarts = validator.restarts
    result, worst = heartbeat_gaps(lambda: load_path(path, timeout_s=0.4))
    assert not result.ok
    err = result.errors[0]
    assert err.line == 2 and "C call" in err.reason and "sum(range" in err.code
    assert worst < 0.5
    assert validator.restarts == restarts + 1
    assert validator.ensure_started(wait=True)  # a fresh child is ready again
    path.write_text('from livestudio import *\ndrums = s("bd")\n')
    assert load_path(path).ok

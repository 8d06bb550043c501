"""Incoming CC values, shared between the engine process (writer) and patterns (reader).

A :class:`CCStore` is a small shared-memory array: row 0 holds the latest value of each
controller on any channel, rows 1..16 per channel; values are 0..1 (``value / 127``),
NaN until a controller has been moved. The front creates it (it outlives engine
restarts) and passes :attr:`CCStore.name` to the engine, which attaches and writes.

In a pattern, :func:`cc_signal` (exported to pattern files as ``ccin``) is a continuous
signal of the current value:

>>> store = CCStore.create(); set_current_store(store)
>>> store.write(1, 74, 127)
>>> [h.value for h in cc_signal(74).segment(1).first_cycle()]
[1.0]
>>> store.close(unlink=True); set_current_store(None)
"""

from __future__ import annotations

import math
import os
import uuid
from multiprocessing import shared_memory
from typing import Any

import numpy as np

ROWS, COLS = 17, 128
_CREATED_HERE: set[str] = set()


class CCStore:
    """The CC value table in shared memory (or private memory with ``shared=False``)."""

    def __init__(self, shm: shared_memory.SharedMemory | None, array: np.ndarray, *, owner: bool) -> None:
        self.shm = shm
        self.values = array
        self.owner = owner

    @property
    def name(self) -> str:
        """The shared-memory name the engine attaches to ("" for a private store)."""
        return self.shm.name if self.shm is not None else ""

    @classmethod
    def create(cls, *, shared: bool = True) -> "CCStore":
        """A new store with every value unset."""
        if not shared:
            return cls(None, np.full((ROWS, COLS), np.nan), owner=True)
        shm = shared_memory.SharedMemory(create=True, size=ROWS * COLS * 8,
                                         name=f"ls-cc-{os.getpid()}-{uuid.uuid4().hex[:6]}")
        array = np.ndarray((ROWS, COLS), dtype=np.float64, buffer=shm.buf)
        array[:] = np.nan
        _CREATED_HERE.add(shm.name)
        return cls(shm, array, owner=True)

    @classmethod
    def attach(cls, name: str) -> "CCStore":
        """Attach to the store the front created (engine side)."""
        shm = shared_memory.SharedMemory(name=name, create=False)
        if name not in _CREATED_HERE:
            # the front owns it: keep this process's resource tracker from unlinking it
            from multiprocessing import resource_tracker
            resource_tracker.unregister(shm._name, "shared_memory")  # type: ignore[attr-defined]
        return cls(shm, np.ndarray((ROWS, COLS), dtype=np.float64, buffer=shm.buf), owner=False)

    def write(self, channel: int, number: int, value: int) -> None:
        """Record CC ``number`` = ``value`` (0..127) received on ``channel`` (1..16)."""
        if 1 <= channel <= 16 and 0 <= number < COLS:
            v = max(0, min(127, int(value))) / 127.0
            self.values[channel, number] = v
            self.values[0, number] = v

    def read(self, number: int, channel: int | None = None, default: float = 0.0) -> float:
        """The latest value 0..1 of CC ``number`` (on ``channel``, or any), else ``default``."""
        row = 0 if channel is None else int(channel)
        if not (0 <= row < ROWS and 0 <= number < COLS):
            return default
        v = float(self.values[row, int(number)])
        return default if math.isnan(v) else v

    def close(self, *, unlink: bool = False) -> None:
        """Detach (and remove the shared memory when ``unlink`` and this side created it)."""
        if self.shm is None:
            return
        self.values = np.full((ROWS, COLS), np.nan)
        self.shm.close()
        if unlink and self.owner:
            self.shm.unlink()
        self.shm = None


_current: list[CCStore | None] = [None]


def set_current_store(store: CCStore | None) -> None:
    """Make ``store`` the one :func:`cc_signal` reads in this process (front side)."""
    _current[0] = store


def current_store() -> CCStore | None:
    """The store :func:`cc_signal` reads, if any."""
    return _current[0]


def cc_signal(number: int, *, channel: int | None = None, default: float = 0.0) -> Any:
    """A continuous pattern of incoming CC ``number`` (0..1), ``default`` before any input.

    Use it like any signal: ``note("c3*8").cutoff(ccin(74).range(200, 4000))``.
    """
    from livestudio.errors import PatternError
    from livestudio.patterns.signals import signal

    if not isinstance(number, int) or not 0 <= number <= 127:
        raise PatternError(f"ccin() takes a CC number 0..127, got {number!r}")
    if channel is not None and not (isinstance(channel, int) and 1 <= channel <= 16):
        raise PatternError(f"ccin(channel=...) takes 1..16, got {channel!r}")

    def value(_t: Any) -> float:
        store = _current[0]
        return default if store is None else store.read(number, channel, default)

    return signal(value)

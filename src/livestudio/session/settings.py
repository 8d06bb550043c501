"""Session settings a pattern file sets by calling ``tempo(...)``, ``quantize(...)``...

A pattern file runs inside a :func:`collecting` block; the calls it makes are recorded
in a :class:`SessionSettings` that the loader applies at the same boundary as the
tracks. Outside a loader (say, in a REPL) the calls update a module default.

>>> with collecting() as settings:
...     tempo(bpm=128)
...     quantize(4)
>>> settings.bpm, settings.quantize
(128.0, 4)
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

from livestudio.errors import SessionError

BEATS_PER_CYCLE = 4


@dataclass
class SessionSettings:
    """What a pattern file asked for: tempo, swap quantization, clock source, samples."""

    bpm: float | None = None
    quantize: int | Fraction = 1
    sync: str | None = None
    sample_paths: list[str] = field(default_factory=list)

    @property
    def cps(self) -> float | None:
        """Cycles per second for the bpm (4 beats per cycle), or None when unset."""
        return None if self.bpm is None else self.bpm / 60.0 / BEATS_PER_CYCLE


class _Stack(threading.local):
    """Per-thread stack of settings being collected (the loader runs files in a worker)."""

    def __init__(self) -> None:
        self.items: list[SessionSettings] = [SessionSettings()]


_stack = _Stack()


@contextmanager
def collecting() -> Iterator[SessionSettings]:
    """Record the settings calls made inside the block into a fresh SessionSettings."""
    settings = SessionSettings()
    _stack.items.append(settings)
    try:
        yield settings
    finally:
        _stack.items.remove(settings)


def current() -> SessionSettings:
    """The settings object the calls write into right now."""
    return _stack.items[-1]


def tempo(bpm: float | None = None, *, cps: float | None = None) -> None:
    """Set the tempo in beats per minute (4 beats a cycle) or in cycles per second.

    >>> tempo(bpm=120); current().cps
    0.5
    """
    if (bpm is None) == (cps is None):
        raise SessionError("tempo() takes exactly one of bpm=... or cps=...")
    value = float(bpm) if bpm is not None else float(cps) * 60.0 * BEATS_PER_CYCLE  # type: ignore[arg-type]
    if not math.isfinite(value) or not 10.0 <= value <= 999.0:
        raise SessionError(f"tempo must be between 10 and 999 bpm, got {value:g}")
    current().bpm = value


def quantize(cycles: int | float | Fraction = 1) -> None:
    """Swap changed tracks in at the next multiple of ``cycles`` (default: next cycle)."""
    q = Fraction(cycles).limit_denominator(64)
    if q <= 0:
        raise SessionError(f"quantize needs a positive number of cycles, got {cycles!r}")
    current().quantize = int(q) if q.denominator == 1 else q


def sync(source: str) -> None:
    """Choose the clock source: ``"internal"``, ``"midi"``, ``"midi:PORT"`` or ``"link"``."""
    if not isinstance(source, str) or not (
            source in ("internal", "link") or source == "midi" or source.startswith("midi:")):
        raise SessionError(f"sync() takes 'internal', 'midi', 'midi:PORT' or 'link', got {source!r}")
    current().sync = source


def samples(path: str) -> None:
    """Add a folder of samples (Dirt-Samples layout: one folder per name)."""
    if not isinstance(path, str) or not path:
        raise SessionError(f"samples() takes a folder path, got {path!r}")
    current().sample_paths.append(path)


__all__ = ["tempo", "quantize", "sync", "samples"]

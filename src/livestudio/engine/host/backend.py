"""What the host needs from a render engine, and the two engines it can host.

``core``: the real engine (:class:`livestudio.engine.core.Engine`); ``test``: the tiny
sine kernel in :mod:`~livestudio.engine.host.testkernel` (host tests without DSP).
Both render with ``render(arena, layout, out, frames)`` and take events as rows in an
in-arena ring; a :class:`Backend` says where the counters live and turns wire events
into rows (in the engine process, where the sample table is).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# a wire event: (frame, track id, controls, duration_s)
WireEvent = tuple[int, int, dict[str, Any], float]


@dataclass
class Backend:
    """A render engine as the host sees it."""

    name: str
    sample_rate: int
    arena: np.ndarray
    layout: np.ndarray
    render: Callable[..., None]
    frame_slot: int
    voices_slot: int
    late_slot: int
    levels_slot: int
    levels_n: int
    levels_stride: int
    push_events: Callable[[Sequence[WireEvent]], list[str]]
    command: Callable[[str, int, float, int], None]   # (kind, track, value, frame)
    load_samples: Callable[[str], None] = lambda path: None
    keys: Any = None             # a ``keys.KeyOutput`` for keys played live (core only)
    pool: np.ndarray | None = None
    keep: list[Any] = field(default_factory=list)


def make_backend(name: str, *, sample_rate: int, blocksize: int = 128) -> Backend:
    """Build the ``core`` or ``test`` backend for ``sample_rate`` (compiled and warm)."""
    if name == "test":
        return _test_backend(sample_rate)
    if name == "core":
        from livestudio.engine.host.corebackend import core_backend
        return core_backend(sample_rate, blocksize=blocksize)
    raise ValueError(f"unknown engine backend {name!r} (core or test)")


def core_available() -> bool:
    """Whether the engine core (``livestudio.engine.core``) can be imported."""
    try:
        import livestudio.engine.core  # noqa: F401
    except ImportError:
        return False
    return True


def _test_backend(sample_rate: int) -> Backend:
    from livestudio.engine.host import ring
    from livestudio.engine.host import testkernel as tk

    arena, layout = tk.make_layout(sample_rate)
    rbuf = tk.ring_view(arena, layout)

    def push_events(events: Sequence[WireEvent]) -> list[str]:
        rows = np.array([tk.encode(f, t, c, d) for f, t, c, d in events]).reshape(-1, tk.ROW)
        pushed = ring.push(rbuf, tk.ROW, rows)
        return [] if pushed == len(rows) else [f"event ring full: {len(rows) - pushed} events dropped"]

    def command(kind: str, track: int, value: float, frame: int) -> None:
        code = {"panic": 1.0, "release": 2.0}.get(kind)
        if code is None:
            return  # mute/tempo: the test kernel has no buses or tempo
        ring.push(rbuf, tk.ROW, np.array([[frame, track, 0.0, 0.0, 0.0, code]]))

    return Backend(
        name="test", sample_rate=sample_rate, arena=arena, layout=layout,
        render=tk.render_block, frame_slot=int(layout[tk.L_FRAME]),
        voices_slot=int(layout[tk.L_VOICES]), late_slot=int(layout[tk.L_LATE]),
        levels_slot=int(layout[tk.L_LEVELS]), levels_n=tk.MAX_TRACKS, levels_stride=1,
        push_events=push_events, command=command)

"""The engine core (:class:`livestudio.engine.core.Engine`) as a host backend.

Events arrive as wire tuples in the engine process; they are encoded here (the sample
table lives in this process) and published straight into the in-arena ring with
``Engine.ring_write``; the audio callback is the ring's only consumer. Commands (tempo,
panic, mute) travel through the same ring, so nothing races the callback. Keys played
live (:class:`CoreKeys`) write from the MIDI thread too: one lock serializes the two
producers (encoding included: it may load samples); the callback takes no lock.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from livestudio.engine.host.backend import Backend, WireEvent
from livestudio.errors import EngineError, LivestudioError

COMMAND_LEAD_BLOCKS = 3   # commands are stamped a few blocks ahead, so they are never late


class CoreKeys:
    """The engine's event ring as a ``keys.KeyOutput``: held notes and their releases."""

    def __init__(self, engine: Any, lock: threading.Lock) -> None:
        from livestudio.engine import layout as L

        self.engine = engine
        self.lock = lock
        self._frame_slot = int(engine.layout[L.LY_GLOBALS]) + L.G_FRAME

    def check(self, controls: Mapping[str, Any]) -> None:
        """Raise LivestudioError if ``controls`` cannot play (and load its samples)."""
        with self.lock:
            self.engine.encode(0, controls)

    def note(self, frame: int, controls: Mapping[str, Any], key: int) -> None:
        """Write a held note for ``key`` at ``frame``."""
        from livestudio.engine import layout as L
        from livestudio.engine import params as P

        with self.lock:
            row = P.hold(self.engine.encode(frame, controls), key)
            if not self.engine.ring_write(row):
                raise EngineError("engine event ring full: a key was dropped")

    def release(self, frame: int, bus: int, key: int) -> None:
        """Write the release of ``key`` on ``bus`` at ``frame``."""
        from livestudio.engine import params as P

        with self.lock:
            self.engine.ring_write(P.release_row(frame, bus=bus, key=key))

    def next_frame(self) -> int:
        """The first frame of the next block the callback renders."""
        return int(self.engine.arena[self._frame_slot])


def core_backend(sample_rate: int, *, blocksize: int = 128) -> Backend:
    """Build and warm an :class:`Engine` and describe it for the host."""
    from livestudio.engine import layout as L
    from livestudio.engine import params as P
    from livestudio.engine.core import Engine
    from livestudio.engine.samples import SampleLibrary

    # no ``eng.warm()``: the audio callback links its own compiled copy of the render
    # (loading the kernels a second time through their dispatchers costs ~100 MB)
    eng = Engine(sample_rate=sample_rate)
    ly = eng.layout
    gl = int(ly[L.LY_GLOBALS])
    st = int(ly[L.LY_STATUS])
    reported: set[str] = set()
    lock = threading.Lock()     # the ring's producers: this thread and the MIDI thread

    def now_plus() -> int:
        return int(eng.arena[gl + L.G_FRAME]) + COMMAND_LEAD_BLOCKS * blocksize

    def write(row: np.ndarray) -> bool:
        with lock:
            return bool(eng.ring_write(row))

    def push_events(events: Sequence[WireEvent]) -> list[str]:
        errors: list[str] = []
        dropped = 0
        for frame, track, controls, _duration in events:
            with lock:
                try:
                    row = eng.encode(frame, controls)
                except LivestudioError as exc:
                    text = str(exc)
                    if text not in reported:
                        reported.add(text)
                        errors.append(text)
                    continue
                written = eng.ring_write(row)
            if not written:
                dropped += 1
        if dropped:
            errors.append(f"engine event ring full: {dropped} events dropped")
        return errors

    def command(kind: str, track: int, value: float, frame: int) -> None:
        at = max(int(frame), now_plus()) if kind != "tempo" else int(frame)
        bus = track % eng.max_buses
        if kind == "tempo":
            write(P.command_row(max(at, now_plus()), L.K_CPS, value=float(value)))
        elif kind == "panic":  # queued notes would still start: drop them first
            write(P.command_row(at, L.K_FLUSH, bus=-1))
            write(P.command_row(at, L.K_PANIC))
        elif kind == "flush":  # a relocation: queued notes belong to the old position
            write(P.command_row(at, L.K_FLUSH, bus=-1))
        elif kind == "mute":
            write(P.command_row(at, L.K_MUTE, bus=bus, value=float(value)))
        elif kind == "release":
            # a track removed: its queued notes never start, its sounding notes go into
            # their release (as if the keys were lifted) and its tails ring out -- no cut
            write(P.command_row(at, L.K_FLUSH, bus=bus))
            write(P.release_row(at, bus=bus, key=-1, all_notes=True))

    def load_samples(path: str) -> None:
        roots = [str(r) for r in eng.library.roots]
        if path not in roots:
            eng.library = SampleLibrary([*roots, path])

    return Backend(
        name="core", sample_rate=sample_rate, arena=eng.arena, layout=eng.layout,
        render=_render_marker, frame_slot=gl + L.G_FRAME, voices_slot=st + L.ST_ACTIVE,
        late_slot=st + L.ST_LATE, levels_slot=st + L.ST_FIELDS, levels_n=eng.max_buses,
        levels_stride=4, push_events=push_events, command=command, load_samples=load_samples,
        keys=CoreKeys(eng, lock), pool=eng.pool, keep=[eng])


def _render_marker(*args: Any) -> None:
    """Placeholder: the core's render is bound in :mod:`.callback_core`."""
    raise NotImplementedError

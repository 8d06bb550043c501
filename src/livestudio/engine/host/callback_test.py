"""The audio callback around the test kernel (see :mod:`.block`; keep in step with
:mod:`.callback_core`, which differs only in the render it imports)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from numba import carray, cfunc, njit

from livestudio.engine.host import block as B
from livestudio.engine.host.nbutil import drop_stale_cache, monotonic_ns
from livestudio.engine.host.testkernel import render_block as render

_HERE = os.path.dirname(os.path.abspath(__file__))
# the host modules this callback inlines, and the render it calls
DEPENDENCIES = [*(os.path.join(_HERE, m) for m in B.INLINED),
                            os.path.join(_HERE, "testkernel.py")]
drop_stale_cache(__file__, DEPENDENCIES)


@njit(nogil=True, cache=True)
def host_block(hdr: np.ndarray, out: np.ndarray, frames: int, flags: int) -> None:
    """One audio block: place the frame, render in chunks, clamp, record, publish."""
    t0 = monotonic_ns()
    arena, layout, st, scratch = B.views(hdr)
    B.begin(hdr, arena, st, t0)
    max_block = hdr[B.H_MAX_BLOCK]
    peak = 0.0
    pos = 0
    while pos < frames:
        n = min(frames - pos, max_block)
        render(arena, layout, scratch, n)
        peak = max(peak, B.emit(hdr, arena, st, scratch, out, pos, n))
        pos += n
    B.end(hdr, arena, st, frames, flags, t0, peak)


@cfunc(B.CALLBACK_SIG, nopython=True, cache=True)
def callback(inp: Any, out: Any, frames: int, time_info: Any, flags: int, user: Any) -> int:
    """PortAudio stream callback: no GIL, state through ``user`` (the header)."""
    hdr = carray(user, (B.HEADER_SIZE,), np.int64)
    n = np.int64(frames)
    o = carray(out, (n, hdr[B.H_CHANNELS]), np.float32)
    host_block(hdr, o, n, np.int64(flags))
    return 0

"""The real-time entry point: render from raw pointers, for a ``@cfunc`` audio callback.

    render_from_handle(handle: voidptr, out: voidptr, frames: uint64) -> None

``handle`` points at ``Engine.handle`` (int64[6]: arena address and length, layout
address and length, pool address and length); ``out`` at interleaved float32 stereo
(``frames`` x 2). A PortAudio callback needs nothing else::

    @cfunc(int32(voidptr, voidptr, uint64, voidptr, uint64, voidptr), nogil=True)
    def callback(inp, out, frames, time_info, flags, user):
        render_from_handle(user, out, frames)
        return 0
"""

from __future__ import annotations

import numpy as np
from numba import carray, types
from numba.core import cgutils
from numba.extending import intrinsic

from livestudio.engine.kernels.jit import kernel
from livestudio.engine.kernels.render import render_block


@intrinsic
def address_as_void_pointer(typingctx, src):  # type: ignore[no-untyped-def]
    """An integer address as a ``void*`` (for ``numba.carray``)."""
    sig = types.voidptr(src)

    def codegen(cgctx, builder, sig, args):  # type: ignore[no-untyped-def]
        return builder.inttoptr(args[0], cgutils.voidptr_t)

    return sig, codegen


@kernel
def render_from_handle(handle: types.voidptr, out: types.voidptr, frames: int) -> None:
    """``render_block`` on the arrays ``handle`` points at, into the buffer at ``out``."""
    h = carray(handle, 6, dtype=np.int64)
    arena = carray(address_as_void_pointer(h[0]), h[1], dtype=np.float64)
    layout = carray(address_as_void_pointer(h[2]), h[3], dtype=np.int64)
    pool = carray(address_as_void_pointer(h[4]), h[5], dtype=np.float32)
    buf = carray(out, (frames, 2), dtype=np.float32)
    render_block(arena, layout, pool, buf, np.int64(frames))


@kernel
def render_blocks(arena: np.ndarray, layout: np.ndarray, pool: np.ndarray, block: np.ndarray,
                  count: int) -> None:
    """Call ``render_block`` ``count`` times into ``block`` (frames x 2), as an audio
    callback would, with no Python between blocks (the voice benchmark's loop)."""
    frames = block.shape[0]
    for _ in range(count):
        render_block(arena, layout, pool, block, np.int64(frames))

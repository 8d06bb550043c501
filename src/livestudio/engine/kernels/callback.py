"""A ready PortAudio stream callback (a Numba ``@cfunc``, no GIL) around the engine.

Importing this module compiles the callback (or loads it from the cache, which the
kernels package invalidates together with every kernel)::

    from livestudio.engine.kernels.callback import audio_callback
    stream = sd._StreamBase('output', ..., callback=sd._ffi.cast('PaStreamCallback*',
        audio_callback.address), userdata=sd._ffi.cast('void*', engine.handle.ctypes.data))

``userdata`` must point at ``Engine.handle`` (keep that array and the engine alive).
It renders interleaved float32 stereo and returns 0 (continue). Hosts that need their
own bookkeeping write their own ``@cfunc`` (without ``cache=True``, so it never keeps a
stale copy of the kernels) and call ``rt.render_from_handle`` from it.
"""

from __future__ import annotations

from numba import cfunc, types

from livestudio.engine.kernels.rt import render_from_handle

PA_CALLBACK = types.int32(types.voidptr, types.voidptr, types.uint64, types.voidptr,
                          types.uint64, types.voidptr)


@cfunc(PA_CALLBACK, nogil=True, cache=True)
def audio_callback(inp, outp, frames, time_info, flags, user):  # type: ignore[no-untyped-def]
    """PortAudio callback: render ``frames`` frames of the engine ``user`` points at."""
    render_from_handle(user, outp, frames)
    return 0

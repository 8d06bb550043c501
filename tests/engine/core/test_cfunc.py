"""The real-time contract: the block render called from a ``@cfunc`` through raw pointers."""

from __future__ import annotations

import ctypes
from typing import Callable

import numpy as np
from numba import cfunc, types

from livestudio.engine import Engine
from livestudio.engine.kernels.rt import render_from_handle

SIG = types.int32(types.voidptr, types.voidptr, types.uint64, types.voidptr, types.uint64,
                  types.voidptr)


@cfunc(SIG, nogil=True)  # no cache=True: a cached cfunc would keep stale kernels
def _callback(inp, outp, frames, time_info, flags, user):  # type: ignore[no-untyped-def]
    render_from_handle(user, outp, frames)
    return 0


def _run(address: int, make_engine: Callable[..., Engine]) -> None:
    def song(eng: Engine) -> None:
        for k in range(6):
            eng.push(k * 300, {"s": ["saw", "bd", "hh"][k % 3], "note": 40 + k,
                               "duration": 0.05, "room": 0.2})

    ref = make_engine()
    song(ref)
    expected = ref.render(4096)
    eng = make_engine()
    song(eng)
    eng.publish(10 ** 12)  # every queued row into the in-arena ring
    handle = eng.handle
    call = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint64,
                            ctypes.c_void_p, ctypes.c_uint64, ctypes.c_void_p)(address)
    got = np.zeros((4096, 2), dtype=np.float32)
    for start in range(0, 4096, 256):
        block = np.zeros((256, 2), dtype=np.float32)
        assert call(None, block.ctypes.data, 256, None, 0, handle.ctypes.data) == 0
        got[start:start + 256] = block
    np.testing.assert_array_equal(got, expected)
    assert eng.frame == 4096


def test_packaged_audio_callback(make_engine: Callable[..., Engine]) -> None:
    from livestudio.engine.kernels.callback import audio_callback

    _run(audio_callback.address, make_engine)


def test_cfunc_renders_exactly_what_render_does(make_engine: Callable[..., Engine]) -> None:
    _run(_callback.address, make_engine)


"""Shared arrays: two mappings see the same memory; unlink removes the file."""

from __future__ import annotations

import os

from livestudio.engine.host.shared import SharedArray


def test_create_attach_unlink() -> None:
    a = SharedArray.create(16)
    try:
        b = SharedArray(a.path)
        a.array[3] = 42.0
        assert b.array[3] == 42.0 and b.array.shape == (16,)
    finally:
        a.unlink()
    assert not os.path.exists(a.path)

"""A float64 array in shared memory (a file in /dev/shm), created by one process.

Unlike ``multiprocessing.shared_memory`` it involves no resource tracker: the creator
unlinks the file when it closes; an attacher may unlink it too when it knows the
creator is gone (the engine does so when the front dies), so nothing leaks.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import uuid
from pathlib import Path

import numpy as np


def _shm_dir() -> Path:
    path = Path("/dev/shm")
    return path if path.is_dir() and os.access(path, os.W_OK) else Path(tempfile.gettempdir())


class SharedArray:
    """A 1-D float64 NumPy view of a shared memory file (``create`` or attach by path)."""

    def __init__(self, path: str | Path, *, size: int | None = None, create: bool = False) -> None:
        self.path = str(path)
        self.created = create
        flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            if create:
                if size is None or size <= 0:
                    raise ValueError("a new SharedArray needs a positive size")
                os.ftruncate(fd, size * 8)
            nbytes = os.fstat(fd).st_size
            self._mmap = mmap.mmap(fd, nbytes)
        finally:
            os.close(fd)
        self.array: np.ndarray = np.frombuffer(self._mmap, dtype=np.float64)

    @classmethod
    def create(cls, size: int, *, prefix: str = "livestudio") -> "SharedArray":
        """A new zeroed shared array of ``size`` float64 values with a unique name."""
        path = _shm_dir() / f"{prefix}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        return cls(path, size=size, create=True)

    @property
    def address(self) -> int:
        """The address of the first element in this process."""
        return int(self.array.ctypes.data)

    def unlink(self) -> None:
        """Remove the file (the mapping stays valid until closed)."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def close(self) -> None:
        """Drop the mapping (views of it become invalid: only call at the very end)."""
        self.array = np.zeros(0)
        try:
            self._mmap.close()
        except BufferError:  # a view is still alive somewhere; the OS frees it at exit
            pass

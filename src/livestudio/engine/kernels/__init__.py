"""Numba kernels: ``@njit(cache=True, nogil=True)`` DSP over the engine arena.

Every kernel takes the arena (float64), the layout (int64) and, where it reads
tables or samples, the pool (float32). ``render.render_block`` is the entry point.

Numba's on-disk cache keys a function by its own file only, so a cached
``render_block`` would keep stale copies of kernels from the other modules that it
inlined. On import we hash every kernel source file and drop this package's cache
files when the hash changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def _drop_stale_cache() -> None:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.glob("*.py")) + [here.parent / "layout.py", here.parent / "params.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    stamp_dir = here / "__pycache__"
    stamp = stamp_dir / "kernels.sources.sha256"
    value = digest.hexdigest()
    try:
        if stamp.is_file() and stamp.read_text() == value:
            return
        if stamp_dir.is_dir():
            for old in list(stamp_dir.glob("*.nbi")) + list(stamp_dir.glob("*.nbc")):
                old.unlink(missing_ok=True)
        stamp_dir.mkdir(exist_ok=True)
        stamp.write_text(value)
    except OSError:
        # read-only install: Numba then caches elsewhere (or not at all); nothing to drop
        return


_drop_stale_cache()

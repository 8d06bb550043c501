"""Engine core (layer 2): events in, stereo float32 blocks out; no I/O but sample files.

``Engine`` is the Python wrapper; ``kernels.render.render_block`` is the compiled
block render a real-time host calls from a ``@cfunc``. See ``engine/README.md``.
Imported lazily, so ``livestudio.engine.midi`` and friends do not pull in Numba.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Engine", "warm_kernels"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from livestudio.engine import core

        return getattr(core, name)
    raise AttributeError(f"module 'livestudio.engine' has no attribute {name!r}")

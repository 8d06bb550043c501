"""Engine core (layer 2): events in, stereo float32 blocks out; no I/O but sample files.

``Engine`` is the Python wrapper; ``kernels.render.render_block`` is the compiled
block render a real-time host calls from a ``@cfunc``. See ``engine/README.md``.
"""

from __future__ import annotations

from livestudio.engine.core import Engine, warm_kernels

__all__ = ["Engine", "warm_kernels"]

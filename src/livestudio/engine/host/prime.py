"""Compile the audio callback in a throwaway process when Numba's cache is stale.

Compiling the callback (which links the whole render) inside the engine process
would leave ~120 MB of compiler memory in it for good; compiling in a short-lived
process first means the engine (and its warm spare) only ever load from the cache.
"""

from __future__ import annotations

import os
import subprocess
import sys

from livestudio.errors import EngineError

HERE = os.path.dirname(os.path.abspath(__file__))
DEPENDENCIES = {
    "core": ["block.py", "nbutil.py", "ring.py", "status.py", "../kernels", "../layout.py"],
    "test": ["block.py", "nbutil.py", "ring.py", "status.py", "testkernel.py"],
}


def callback_fresh(backend: str) -> bool:
    """Whether importing ``callback_<backend>`` will load from the cache (no compile)."""
    from livestudio.engine.host.nbutil import cache_fresh

    module = os.path.join(HERE, f"callback_{backend}.py")
    deps = [os.path.normpath(os.path.join(HERE, d)) for d in DEPENDENCIES[backend]]
    return cache_fresh(module, deps, ("host_block", "callback"))


def prime(backend: str, *, timeout_s: float = 600.0) -> bool:
    """Compile ``backend``'s callback into the cache if needed; True if it compiled."""
    if backend not in DEPENDENCIES or callback_fresh(backend):
        return False
    code = f"import livestudio.engine.host.callback_{backend}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout_s)
    if done.returncode != 0:
        raise EngineError(f"compiling the audio callback failed:\n{done.stderr[-2000:]}")
    return True

"""Numba kernels: ``@njit(cache=True, nogil=True)`` DSP over the engine arena.

Every kernel takes the arena (float64), the layout (int64) and, where it reads
tables or samples, the pool (float32). ``render.render_block`` is the entry point.
"""

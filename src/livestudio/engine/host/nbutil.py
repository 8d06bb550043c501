"""Numba intrinsics the audio callback needs: a monotonic clock and raw pointers.

Both compile to plain machine code (no GIL, no allocation) and are cacheable:
``monotonic_ns()`` calls libc's ``clock_gettime(CLOCK_MONOTONIC)`` (the same clock as
``time.monotonic_ns()``), ``as_voidptr(addr)`` turns an int64 address into a pointer
that ``numba.carray`` accepts.
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

CLOCK_MONOTONIC = 1


@intrinsic
def monotonic_ns(typingctx: Any) -> Any:
    """Nanoseconds of CLOCK_MONOTONIC, callable from nopython code without the GIL."""
    sig = types.int64()

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        i64 = ir.IntType(64)
        i32 = ir.IntType(32)
        ts_t = ir.LiteralStructType([i64, i64])
        fnty = ir.FunctionType(i32, [i32, ts_t.as_pointer()])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "clock_gettime")
        ts = cgutils.alloca_once(builder, ts_t)
        builder.call(fn, [ir.Constant(i32, CLOCK_MONOTONIC), ts])
        sec = builder.load(cgutils.gep_inbounds(builder, ts, 0, 0))
        nsec = builder.load(cgutils.gep_inbounds(builder, ts, 0, 1))
        return builder.add(builder.mul(sec, ir.Constant(i64, 1_000_000_000)), nsec)

    return sig, codegen


@intrinsic
def as_voidptr(typingctx: Any, addr: Any) -> Any:
    """An int64 address as a ``void*`` (for ``numba.carray`` inside a cfunc)."""
    sig = types.voidptr(types.int64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.inttoptr(args[0], cgutils.voidptr_t)

    return sig, codegen


def _newest_mtime(paths: list[str]) -> float:
    import glob
    import os

    newest = 0.0
    for dep in paths:
        for path in (glob.glob(os.path.join(dep, "*.py")) if os.path.isdir(dep) else [dep]):
            try:
                newest = max(newest, os.path.getmtime(path))
            except OSError:
                continue
    return newest


def cache_fresh(module_file: str, dependencies: list[str], functions: tuple[str, ...]) -> bool:
    """Whether Numba's in-tree cache of ``functions`` in ``module_file`` is newer than
    the module and every dependency (so importing it will not compile)."""
    import glob
    import os

    newest = _newest_mtime([module_file, *dependencies])
    folder = os.path.join(os.path.dirname(os.path.abspath(module_file)), "__pycache__")
    stem = os.path.splitext(os.path.basename(module_file))[0]
    for name in functions:
        found = glob.glob(os.path.join(folder, f"{stem}.{name}-*.nbi"))
        if not found or max(os.path.getmtime(f) for f in found) < newest:
            return False
    return True


def drop_stale_cache(module_file: str, dependencies: list[str]) -> int:
    """Delete Numba cache files of ``module_file`` older than any dependency source.

    Numba's cache only checks the source file of the cached function itself, so a
    callback that calls kernels in other modules would keep stale machine code after
    those change. Call this at the top of such a module, before its decorators run.
    Returns the number of files removed.
    """
    import glob
    import os

    newest = 0.0
    for dep in dependencies:
        paths = glob.glob(os.path.join(dep, "*.py")) if os.path.isdir(dep) else [dep]
        for path in paths:
            try:
                newest = max(newest, os.path.getmtime(path))
            except OSError:
                continue
    stem = os.path.splitext(os.path.basename(module_file))[0]
    folders = [os.path.join(os.path.dirname(os.path.abspath(module_file)), "__pycache__")]
    env_dir = os.environ.get("NUMBA_CACHE_DIR")
    patterns = [os.path.join(f, f"{stem}.*.nb[ic]") for f in folders]
    if env_dir:
        patterns.append(os.path.join(env_dir, "**", f"{stem}.*.nb[ic]"))
    removed = 0
    for pattern in patterns:
        for path in glob.glob(pattern, recursive=True):
            try:
                if os.path.getmtime(path) < newest:
                    os.unlink(path)
                    removed += 1
            except OSError:
                continue
    return removed

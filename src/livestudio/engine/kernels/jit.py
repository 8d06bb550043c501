"""The one decorator every kernel uses (cached, GIL-free, deterministic fast math)."""

from __future__ import annotations

from typing import Any, Callable

from numba import njit

# reassociation lets sums over voices vectorize; no 'nnan'/'ninf': NaN checks must stay
FASTMATH = frozenset({"nsz", "arcp", "contract", "reassoc", "afn"})


def kernel(fn: Callable[..., Any]) -> Any:
    """``njit(cache=True, nogil=True, fastmath=FASTMATH)``."""
    return njit(cache=True, nogil=True, fastmath=set(FASTMATH))(fn)

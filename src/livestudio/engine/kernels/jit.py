"""The one decorator every kernel uses (cached, GIL-free, deterministic fast math)."""

from __future__ import annotations

from typing import Any, Callable

from numba import njit

# reassociation lets sums over voices vectorize; no 'nnan'/'ninf': NaN checks must stay
FASTMATH = frozenset({"nsz", "arcp", "contract", "reassoc", "afn"})
# the same without reassociation: sums keep exactly the order the code writes
ORDERED_FASTMATH = FASTMATH - {"reassoc"}


def kernel(fn: Callable[..., Any] | None = None, *, ordered: bool = False) -> Any:
    """``njit(cache=True, nogil=True, fastmath=FASTMATH)``.

    ``@kernel(ordered=True)`` leaves out reassociation, for loops whose sums must come
    out the same however a range is split (the compiler may otherwise reassociate an
    unrolled body differently from its remainder).
    """
    flags = ORDERED_FASTMATH if ordered else FASTMATH

    def wrap(f: Callable[..., Any]) -> Any:
        return njit(cache=True, nogil=True, fastmath=set(flags))(f)

    return wrap(fn) if fn is not None else wrap

"""The one decorator every kernel uses (cached, GIL-free, deterministic fast math)."""

from __future__ import annotations

from typing import Any, Callable

from numba import njit

# no 'nnan'/'ninf' (NaN checks must stay) and, by default, no 'reassoc': with it the
# compiler may re-associate a loop's arithmetic differently in an unrolled body than
# in its remainder, or in one compilation context than in another (measured: a
# filter loop gave other low bits when compiled cold than when loaded from the cache),
# so a result could depend on where a block split the frames or on the process
FASTMATH = frozenset({"nsz", "arcp", "contract", "afn"})
# for sums whose association is fixed by their trip count alone (voices.lane_sum) or
# that never reach the audio (levels, activity)
REASSOC_FASTMATH = FASTMATH | {"reassoc"}


def kernel(fn: Callable[..., Any] | None = None, *, reassoc: bool = False,
           inline: bool = False) -> Any:
    """``njit(cache=True, nogil=True, fastmath=FASTMATH)``.

    ``@kernel(reassoc=True)`` lets the compiler re-associate sums so reductions
    vectorize (only where the association is fixed by the trip count or the sum is not
    audio). ``@kernel(inline=True)`` inlines the function into its callers in Numba's
    IR (small per-sample math that LLVM would otherwise leave as a call, with its
    register spills, inside a hot loop).
    """
    flags = REASSOC_FASTMATH if reassoc else FASTMATH

    def wrap(f: Callable[..., Any]) -> Any:
        return njit(cache=True, nogil=True, fastmath=set(flags),
                    inline="always" if inline else "never")(f)

    return wrap(fn) if fn is not None else wrap

"""The pattern language: pure pattern algebra, mini-notation, controls, music theory.

``from livestudio.patterns import *`` gives Strudel's functions in snake_case:
constructors (``pure``, ``silence``, ``stack``, ``cat``, ``fastcat``, ``timecat``,
``polymeter``, ``run``...), signals (``sine``, ``saw``, ``rand``, ``perlin``...),
controls (``s``, ``n``, ``note``, ``gain``, ``cutoff``...), ``mini`` and the music
theory functions. Transformations are ``Pattern`` methods (``.fast(2)``, ``.every(4,
lambda p: p.rev())``) and, with the pattern last, free functions (``fast(2, pat)``).
"""

from __future__ import annotations

from livestudio.patterns.hap import Hap
from livestudio.patterns.pattern import (
    Pattern,
    cat,
    density,
    early,
    fast,
    fastcat,
    is_pattern,
    late,
    polymeter,
    polymeter_steps,
    pure,
    register,
    reify,
    rev,
    seq,
    sequence,
    silence,
    slow,
    slowcat,
    sparsity,
    stack,
    steady,
    stepcat,
    time_cat,
    timecat,
)
from livestudio.patterns.time import Time, to_time
from livestudio.patterns.timespan import TimeSpan
from livestudio.patterns import controls as _controls
from livestudio.patterns import keys as _keys
from livestudio.patterns import randomness as _randomness
from livestudio.patterns import signals as _signals
from livestudio.patterns import transforms as _transforms
from livestudio.patterns.controls import *  # noqa: F401,F403
from livestudio.patterns.keys import *  # noqa: F401,F403
from livestudio.patterns.randomness import *  # noqa: F401,F403
from livestudio.patterns.signals import *  # noqa: F401,F403
from livestudio.patterns.transforms import *  # noqa: F401,F403

_CORE = [
    "Hap", "Pattern", "Time", "TimeSpan", "cat", "density", "early", "fast", "fastcat",
    "is_pattern", "late", "polymeter", "polymeter_steps", "pure", "register", "reify",
    "rev", "seq", "sequence", "silence", "slow", "slowcat", "sparsity", "stack", "steady",
    "stepcat", "time_cat", "timecat", "to_time",
]

__all__: list[str] = [
    *_CORE,
    *_transforms.__all__,
    *_signals.__all__,  # (the `time` signal is not exported: it would shadow the module)
    *_randomness.__all__,
    *_controls.__all__,
    *_keys.__all__,
]

from livestudio.patterns import tonal as _tonal  # noqa: E402
from livestudio.patterns.mini import mini  # noqa: E402,F401
from livestudio.patterns.tonal import *  # noqa: E402,F401,F403

__all__ += ["mini"] + [n for n in _tonal.__all__ if n not in __all__]

"""Strudel's default voicing dictionary ``ireal`` (exported by @strudel/tonal as ``simple``).

Facts transcribed as data: chord symbol -> voicings, each voicing a list of intervals
above the root, lowest first. Strudel adds aliases on top of these 62 symbols (see
:func:`build_ireal`): ``""`` is ``"^"`` (major triad), every ``-`` symbol also answers
to ``m`` (``m7`` = ``-7``), every ``^`` symbol to ``M`` (``M7`` = ``^7``) and ``+`` to
``aug``: 85 keys.
"""

from __future__ import annotations

__all__ = ["IREAL_SIMPLE", "build_ireal"]

IREAL_SIMPLE: dict[str, tuple[str, ...]] = {
    "2": ("1P 5P 8P 9M", "1P 5P 8P 9M 12P", "5P 8P 9M 12P"),
    "5": ("1P 5P 8P 12P", "5P 8P 12P 15P"),
    "6": ("1P 5P 6M 8P 10M", "1P 5P 8P 10M 13M", "3M 5P 8P 10M 13M", "5P 8P 10M 12P 13M"),
    "7": (
        "1P 5P 7m 8P 10M", "1P 7m 8P 10M 12P", "3M 7m 8P 10M 12P", "3M 7m 8P 10M 14m",
        "3M 7m 10M 12P 15P", "7m 10M 12P 14m 15P", "7m 10M 12P 15P 17M",
    ),
    "9": (
        "1P 5P 7m 9M 10M", "1P 7m 9M 10M 12P", "3M 7m 8P 9M 12P", "7m 9M 10M 14m 15P",
        "3M 7m 8P 12P 16M", "7m 10M 12P 15P 16M",
    ),
    "11": ("1P 5P 7m 9M 11P", "5P 7m 8P 9M 11P", "7m 8P 9M 11P 12P", "7m 8P 11P 12P 16M"),
    "13": (
        "1P 6M 7m 9M 10M", "1P 7m 9M 10M 13M", "3M 7m 8P 9M 13M", "7m 8P 9M 10M 13M",
        "7m 9M 10M 13M 15P",
    ),
    "69": ("1P 5P 6M 9M 10M", "1P 5P 9M 10M 13M", "3M 5P 8P 9M 13M", "5P 8P 9M 10M 13M"),
    "add9": (
        "1P 5P 8P 9M 10M", "1P 5P 9M 10M 12P", "3M 8P 9M 10M 12P", "3M 8P 9M 12P 15P",
        "5P 8P 9M 12P 17M",
    ),
    "+": (
        "1P 3M 6m 8P 10M", "1P 6m 8P 10M 13m", "3M 6m 8P 10M 13m", "3M 8P 10M 13m 15P",
        "6m 8P 10M 13m 15P", "6m 10M 13m 15P 17M",
    ),
    "o": ("1P 5d 8P 10m 12d", "3m 8P 10m 12d 15P", "5d 8P 10m 12d 15P"),
    "h": (
        "3m 5d 7m 8P 10m", "1P 5d 7m 10m 12d", "3m 7m 8P 10m 12d", "3m 7m 8P 12d 14m",
        "5d 7m 8P 10m 14m", "5d 8P 10m 12d 14m", "7m 10m 12d 14m 15P", "5d 8P 10m 14m 17m",
    ),
    "sus": ("1P 4P 5P 8P", "1P 4P 5P 8P 11P", "5P 8P 11P 12P", "5P 8P 11P 12P 15P"),
    "^": (
        "1P 5P 8P 10M", "1P 5P 8P 10M 12P", "3M 5P 8P 10M 12P", "3M 8P 10M 12P 15P",
        "5P 8P 10M 12P 15P",
    ),
    "-": ("1P 3m 5P 8P 10m", "1P 5P 8P 10m 12P", "3m 5P 8P 10m 12P", "5P 8P 10m 12P 15P"),
    "^7": (
        "1P 5P 7M 10M 12P", "1P 10M 12P 14M", "3M 8P 10M 12P 14M", "5P 8P 10M 12P 14M",
        "5P 8P 10M 14M 17M",
    ),
    "-7": (
        "1P 3m 5P 7m 10m", "1P 5P 7m 10m 12P", "3m 7m 8P 10m 12P", "3m 7m 8P 10m 14m",
        "5P 7m 8P 10m 14m", "7m 10m 12P 14m 15P", "5P 8P 10m 14m 17m", "7m 10m 12P 15P 17m",
    ),
    "7sus": ("1P 5P 7m 8P 11P", "5P 8P 11P 12P 14m", "7m 8P 11P 12P 14m", "7m 11P 12P 14m 18P"),
    "h7": (
        "3m 5d 7m 8P 10m", "1P 5d 7m 10m 12d", "1P 7m 10m 12d", "3m 7m 8P 10m 12d",
        "3m 7m 8P 12d 14m", "5d 7m 8P 10m 14m", "5d 8P 10m 12d 14m", "7m 10m 12d 14m 15P",
        "5d 8P 10m 14m 17m",
    ),
    "o7": (
        "1P 6M 8P 10m 12d", "1P 6M 10m 12d 13M", "3m 8P 10m 12d 13M", "3m 8P 12d 13M 15P",
        "5d 10m 12d 13M 15P", "5d 10m 13M 15P 17m", "6M 12d 13M 15P 17m", "6M 12d 15P 17m 19d",
    ),
    "^9": (
        "1P 5P 7M 9M 10M", "1P 7M 9M 10M 12P", "3M 7M 8P 9M 12P", "3M 7M 8P 12P 16M",
        "5P 8P 10M 14M 16M", "7M 8P 10M 12P 16M",
    ),
    "^13": (
        "1P 6M 7M 9M 10M", "1P 7M 9M 10M 13M", "3M 7M 8P 9M 13M", "3M 7M 8P 13M 16M",
        "7M 8P 10M 13M 16M",
    ),
    "^7#11": (
        "1P 5P 7M 10M 12d", "3M 7M 8P 10M 12d", "1P 7M 10M 12d 14M", "3M 7M 8P 12d 14M",
        "5P 8P 10M 12d 14M",
    ),
    "^9#11": ("1P 3M 5d 7M 9M", "1P 7M 9M 10M 12d", "3M 7M 8P 9M 12d", "3M 8P 9M 12d 14M"),
    "^7#5": ("1P 6m 7M 10M 13m", "3M 7M 8P 10M 13m", "6m 7M 8P 10M 13m"),
    "-6": (
        "1P 3m 5P 6M 8P", "1P 5P 6M 8P 10m", "3m 5P 6M 8P 10m", "1P 5P 8P 10m 13M",
        "3m 5P 8P 10m 13M", "5P 8P 10m 12P 13M", "5P 8P 10m 13M 15P",
    ),
    "-69": (
        "1P 3m 5P 6M 9M", "3m 5P 6M 8P 9M", "3m 6M 9M 10m 12P", "1P 5P 9M 10m 13M",
        "3m 5P 8P 9M 13M", "5P 8P 9M 10m 13M", "5P 8P 10m 13M 16M",
    ),
    "-^7": (
        "1P 3m 5P 7M 10m", "1P 5P 7M 10m 12P", "3m 7M 8P 10m 12P", "5P 7M 8P 10m 14M",
        "5P 8P 10m 14M 17m",
    ),
    "-^9": ("1P 3m 5P 7M 9M", "1P 7M 9M 10m 12P", "3m 7M 8P 9M 12P", "5P 8P 9M 10m 14M"),
    "-9": (
        "1P 3m 5P 7m 9M", "3m 5P 7m 8P 9M", "3m 7m 8P 9M 12P", "5P 8P 9M 10m 14m",
        "3m 7m 9M 12P 15P", "7m 10m 12P 15P 16M",
    ),
    "-add9": ("1P 2M 3m 5P 8P", "1P 3m 5P 9M", "3m 5P 8P 9M 12P", "5P 8P 9M 10m 12P"),
    "-11": (
        "1P 3m 7m 9M 11P", "3m 7m 8P 9M 11P", "1P 4P 7m 10m 12P", "5P 8P 11P 14m",
        "3m 7m 9M 11P 15P", "5P 8P 11P 14m 16M", "7m 10m 12P 15P 18P",
    ),
    "-7b5": (
        "3m 5d 7m 8P 10m", "1P 7m 10m 12d", "1P 5d 7m 10m 12d", "3m 7m 8P 10m 12d",
        "3m 7m 8P 12d 14m", "5d 7m 8P 10m 14m", "5d 8P 10m 12d 14m", "7m 10m 12d 14m 15P",
        "5d 8P 10m 14m 17m",
    ),
    "h9": ("1P 7m 9M 10m 12d", "3m 7m 8P 9M 12d", "5d 8P 9M 10m 14m", "7m 10m 12d 15P 16M"),
    "-b6": (
        "1P 5P 6m 8P 10m", "1P 5P 8P 10m 13m", "3m 5P 8P 10m 13m", "5P 8P 10m 13m",
        "5P 8P 10m 13m 15P",
    ),
    "-#5": ("1P 6m 8P 10m 13m", "3m 6m 8P 10m 13m", "6m 8P 10m 13m 15P"),
    "7b9": ("1P 3M 7m 9m 10M", "3M 7m 8P 9m 10M", "3M 7m 8P 9m 14m", "7m 9m 10M 14m 15P"),
    "7#9": ("1P 3M 7m 10m", "3M 7m 8P 10m 14m", "7m 10m 10M 14m 15P"),
    "7#11": ("1P 3M 7m 10M 12d", "3M 7m 8P 10M 12d", "7m 10M 12d 14m 15P"),
    "7b5": ("1P 3M 7m 10M 12d", "3M 7m 8P 10M 12d", "7m 10M 12d 14m 15P"),
    "7#5": ("1P 3M 7m 10M 13m", "3M 7m 8P 10M 13m", "3M 7m 8P 13m 14m", "7m 10M 13m 14m 15P"),
    "9#11": ("1P 7m 9M 10M 12d", "3M 7m 8P 9M 12d", "7m 10M 12d 15P 16M"),
    "9b5": ("1P 7m 9M 10M 12d", "3M 7m 8P 9M 12d", "7m 10M 12d 15P 16M"),
    "9#5": (
        "1P 7m 9M 10M 13m", "3M 7m 9M 10M 13m", "3M 7m 9M 13m 14m", "7m 10M 13m 14m 16M",
        "7m 10M 13m 16M 17M",
    ),
    "7b13": ("1P 3M 7m 10M 13m", "3M 7m 8P 10M 13m", "3M 7m 8P 13m 14m", "7m 10M 13m 14m 15P"),
    "7#9#5": ("1P 3M 7m 10m 13m", "3M 7m 10m 13m 15P", "7m 10M 13m 15P 17m"),
    "7#9b5": ("1P 3M 7m 10m 12d", "3M 7m 10m 12d 15P", "7m 10M 12d 15P 17m"),
    "7#9#11": ("1P 3M 7m 10m 12d", "3M 7m 10m 12d 15P", "7m 10M 12d 15P 17m"),
    "7b9#11": ("1P 7m 9m 10M 12d", "3M 7m 8P 9m 12d", "7m 8P 10M 12d 16m"),
    "7b9b5": ("1P 7m 9m 10M 12d", "3M 7m 8P 9m 12d", "7m 8P 10M 12d 16m"),
    "7b9#5": ("1P 7m 9m 10M 13m", "3M 7m 8P 9m 13m", "7m 9m 10M 13m 15P"),
    "7b9#9": ("1P 3M 7m 9m 10m", "3M 7m 8P 9m 10m", "7m 8P 10M 16m 17m"),
    "7b9b13": ("1P 7m 9m 10M 13m", "3M 7m 8P 9m 13m", "7m 9m 10M 13m 15P"),
    "7alt": (
        "3M 7m 8P 9m 12d", "1P 7m 10m 10M 13m", "3M 7m 8P 10m 13m", "3M 7m 9m 12d 15P",
        "3M 7m 10m 13m 15P", "7m 10M 12d 15P 17m", "7m 10M 13m 15P 17m",
    ),
    "13#11": ("1P 6M 7m 10M 12d", "3M 7m 9M 12d 13M", "7m 10M 12d 13M 16M"),
    "13b9": (
        "1P 3M 6M 7m 9m", "1P 6M 7m 9m 10M", "3M 7m 9m 10M 13M", "3M 7m 10M 13M 16m",
        "7m 10M 13M 16m 17M",
    ),
    "13#9": ("1P 3M 6M 7m 10m", "3M 7m 8P 10m 13M", "7m 10M 13M 14m 17m"),
    "7b9sus": ("1P 5P 7m 9m 11P", "5P 7m 8P 9m 11P", "7m 8P 11P 14m 16m"),
    "7susadd3": ("1P 4P 5P 7m 10M", "5P 8P 10M 11P 14m", "7m 11P 12P 15P 17M"),
    "9sus": ("1P 5P 7m 9M 11P", "5P 7m 8P 9M 11P", "7m 8P 9M 11P 12P", "7m 8P 11P 12P 16M"),
    "13sus": ("1P 4P 6M 7m 9M", "1P 7m 9M 11P 13M", "5P 7m 9M 11P 13M", "7m 9M 11P 13M 15P"),
    "7b13sus": ("1P 5P 7m 11P 13m", "5P 7m 8P 11P 13m", "7m 11P 13m 14m 15P"),
}


def build_ireal() -> dict[str, tuple[str, ...]]:
    """The dictionary with Strudel's aliases added: ``""``, ``m...``, ``M...`` and ``aug`` keys."""
    out = dict(IREAL_SIMPLE)
    out[""] = out["^"]
    for symbol in list(IREAL_SIMPLE):
        if "-" in symbol:
            out[symbol.replace("-", "m", 1)] = IREAL_SIMPLE[symbol]
        if "^" in symbol:
            out[symbol.replace("^", "M", 1)] = IREAL_SIMPLE[symbol]
        if "+" in symbol:
            out[symbol.replace("+", "aug", 1)] = IREAL_SIMPLE[symbol]
    return out


#: Strudel's smaller voicing dictionaries, selectable with ``.dict("lefthand")`` etc.
LEFTHAND: dict[str, tuple[str, ...]] = {
    "m7": ("3m 5P 7m 9M", "7m 9M 10m 12P"),
    "7": ("3M 6M 7m 9M", "7m 9M 10M 13M"),
    "^7": ("3M 5P 7M 9M", "7M 9M 10M 12P"),
    "69": ("3M 5P 6A 9M",),
    "m7b5": ("3m 5d 7m 8P", "7m 8P 10m 12d"),
    "7b9": ("3M 6m 7m 9m", "7m 9m 10M 13m"),
    "7b13": ("3M 6m 7m 9m", "7m 9m 10M 13m"),
    "o7": ("1P 3m 5d 6M", "5d 6M 8P 10m"),
    "7#11": ("7m 9M 11A 13A",),
    "7#9": ("3M 7m 9A",),
    "mM7": ("3m 5P 7M 9M", "7M 9M 10m 12P"),
    "m6": ("3m 5P 6M 9M", "6M 9M 10m 12P"),
}

GUIDETONES: dict[str, tuple[str, ...]] = {
    "m7": ("3m 7m", "7m 10m"),
    "m9": ("3m 7m", "7m 10m"),
    "7": ("3M 7m", "7m 10M"),
    "^7": ("3M 7M", "7M 10M"),
    "^9": ("3M 7M", "7M 10M"),
    "69": ("3M 6M",),
    "6": ("3M 6M", "6M 10M"),
    "m7b5": ("3m 7m", "7m 10m"),
    "7b9": ("3M 7m", "7m 10M"),
    "7b13": ("3M 7m", "7m 10M"),
    "o7": ("3m 6M", "6M 10m"),
    "7#11": ("3M 7m", "7m 10M"),
    "7#9": ("3M 7m", "7m 10M"),
    "mM7": ("3m 7M", "7M 10m"),
    "m6": ("3m 6M", "6M 10m"),
}

TRIADS: dict[str, tuple[str, ...]] = {
    "": ("1P 3M 5P", "3M 5P 8P", "5P 8P 10M"),
    "M": ("1P 3M 5P", "3M 5P 8P", "5P 8P 10M"),
    "m": ("1P 3m 5P", "3m 5P 8P", "5P 8P 10m"),
    "o": ("1P 3m 5d", "3m 5d 8P", "5d 8P 10m"),
    "aug": ("1P 3m 5A", "3m 5A 8P", "5A 8P 10m"),  # as Strudel has it
}

#: Strudel's pre-ireal default (``legacy``): the triads plus the left-hand voicings.
LEGACY: dict[str, tuple[str, ...]] = {**TRIADS, **LEFTHAND}

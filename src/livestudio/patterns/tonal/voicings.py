"""Chord symbols and Strudel's voicing algorithm with the default ``ireal`` dictionary.

A chord symbol is a root (``A``-``G`` plus any ``#``/``b``) and a key of the dictionary:
see :data:`CHORD_SYMBOLS` (``""``, ``m``, ``7``, ``m7``/``-7``, ``^7``/``M7``, ``h7``,
``o7``, ``sus``, ``add9``, ``7b9``, ``7alt``, ...). A ``/bass`` suffix is ignored.

Voicing: from the symbol's voicings, take the one whose top note is closest below the
anchor (default ``c5``, mode ``below``; first on ties) and place its top note at the
highest such pitch class at or below the anchor. Notes are spelled with flats.

>>> voicing_notes("C"), voicing_notes("Am")
(['E3', 'C4', 'E4', 'G4', 'C5'], ['A3', 'C4', 'E4', 'A4', 'C5'])
>>> voicing_notes("Am7", n=5), chord_root("F#m7b5")
([69], 'F#')
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from livestudio.errors import TonalError

from .intervals import interval_semitones
from .notes import midi_to_note, note_to_midi
from .voicing_data import build_ireal

__all__ = ["CHORD_SYMBOLS", "IREAL", "tokenize_chord", "chord_root", "render_voicing", "voicing_notes"]

#: The default dictionary (85 keys): symbol -> voicings (interval lists, lowest first).
IREAL: dict[str, tuple[str, ...]] = build_ireal()
#: Every chord symbol (the part after the root) the default dictionary knows.
CHORD_SYMBOLS: tuple[str, ...] = tuple(sorted(IREAL))

_CHORD_RE = re.compile(r"^([A-Ga-g][b#]*)([^/]*)/?([A-Ga-g][b#]*)?$")
_ROOT_RE = re.compile(r"^([a-gA-G][b#]?)")
_PCS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_MODES = ("below", "duck", "above", "root")
# Common spellings the ireal dictionary writes differently (for error hints only).
_HINTS = {
    "maj": "", "major": "", "min": "m", "minor": "m", "maj7": "^7", "Maj7": "^7",
    "ma7": "^7", "min7": "m7", "mi7": "m7", "dim": "o", "dim7": "o7", "°": "o", "°7": "o7",
    "ø": "h7", "ø7": "h7", "Δ": "^7", "Δ7": "^7", "maj9": "^9", "min9": "m9", "sus4": "sus",
    "7sus4": "7sus", "mmaj7": "m^7", "mM7": "m^7", "aug7": "7#5", "6/9": "69", "m6/9": "m69",
}


def tokenize_chord(chord: str) -> tuple[str, str, str | None]:
    """Split a chord symbol into (root, symbol, bass): ``"Bb^7"`` -> ``("Bb", "^7", None)``."""
    m = _CHORD_RE.match(str(chord))
    if not m:
        raise TonalError(f"not a chord symbol: {chord!r} (expected a root A-G and a type, e.g. 'Am7')")
    return m.group(1), m.group(2), m.group(3)


def chord_root(chord: str) -> str:
    """The root of a chord symbol as written: first letter plus at most one ``#``/``b``."""
    m = _ROOT_RE.match(str(chord))
    if not m:
        raise TonalError(f"not a chord symbol: {chord!r} (it must start with a note letter)")
    return m.group(1)


def _hint(root: str, symbol: str, table: Mapping[str, Sequence[str]]) -> str:
    text = f"no voicing for chord type {symbol!r}"
    guess = _HINTS.get(symbol)
    if guess is None or guess not in table:
        close = difflib.get_close_matches(symbol, [k for k in table if k], n=1, cutoff=0.6)
        guess = close[0] if close else None
    if guess is not None:
        return f"{text}; did you mean {root + guess!r}?"
    return f"{text} (known types: {', '.join(repr(k) for k in list(table)[:20])}, ...)"


def _root_chroma(root: str) -> int:
    return _PCS[root[0].lower()] + sum(1 if c == "#" else -1 for c in root[1:])


@lru_cache(maxsize=256)
def _semitone_voicings(voicings: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(interval_semitones(iv) for iv in v.split()) for v in voicings)


def _anchor_midi(anchor: object) -> int:
    if isinstance(anchor, Mapping):
        anchor = anchor.get("note", anchor)
    if isinstance(anchor, (int, float)) and not isinstance(anchor, bool):
        return int(anchor)
    return note_to_midi(str(anchor), 4)


def render_voicing(
    chord: str,
    *,
    dictionary: Mapping[str, Sequence[str]] | None = None,
    anchor: object = "c5",
    mode: str = "below",
    offset: int = 0,
    n: float | None = None,
    octaves: int = 1,
) -> list[int]:
    """MIDI notes of a chord's voicing, lowest first (or ``[note]`` for scale-like ``n``).

    ``mode``: ``below`` (top note <= anchor), ``duck`` (same, anchor note dropped),
    ``above`` (aligned on the bottom note), ``root`` (first voicing). ``offset`` moves to
    the next voicings (an octave up per full turn). With ``n``, the n-th voicing note is
    returned, wrapping upward by ``12 * octaves`` per turn.
    """
    root, symbol, _bass = tokenize_chord(chord)
    table = IREAL if dictionary is None else dictionary
    if symbol not in table:
        raise TonalError(f"unknown chord {chord!r}: {_hint(root, symbol, table)}")
    if mode not in _MODES:
        raise TonalError(f"unknown voicing mode {mode!r}; modes: {', '.join(_MODES)}")
    voicings = _semitone_voicings(tuple(table[symbol]))
    root_chroma = _root_chroma(root)
    anchor_midi = _anchor_midi(anchor)
    anchor_chroma = anchor_midi % 12
    pick = (lambda v: v[0]) if mode in ("above", "root") else (lambda v: v[-1])
    diffs = [(anchor_chroma - pick(v) - root_chroma) % 12 for v in voicings]
    best = 0 if mode == "root" else diffs.index(min(diffs))
    offset = int(offset or 0)
    oct_diff = math.ceil(offset / len(voicings)) * 12
    index = (best + offset) % len(voicings)
    voicing = voicings[index]
    top = anchor_midi - diffs[index] + oct_diff
    notes = [top - pick(voicing) + s for s in voicing]
    if mode == "duck":
        notes = [m for m in notes if m != anchor_midi]
    if n is not None:
        k = math.floor(n)
        return [notes[k % len(notes)] + (k // len(notes)) * int(octaves) * 12]
    return notes


def voicing_notes(chord: str, **options: object) -> list[str] | list[int]:
    """Like :func:`render_voicing` but spelled with flats (``Db4``); MIDI numbers with ``n``."""
    midis = render_voicing(chord, **options)  # type: ignore[arg-type]
    if options.get("n") is not None:
        return midis
    return [midi_to_note(m) for m in midis]

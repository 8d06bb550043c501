"""Note names <-> MIDI and spelled transposition (c4 = 60, as Strudel's ``note``).

Accepted names: a letter ``a``-``g`` (either case), accidentals ``#``/``s`` (sharp) and
``b``/``f`` (flat), any number of them, then an optional octave (``c3``, ``Eb4``,
``f#2``, ``cs4``, ``df4``, ``C-1``). Without an octave a name is a pitch class.

>>> note_to_midi("c4"), note_to_midi("eb4"), note_to_midi("f#2"), note_to_midi("cs4")
(60, 63, 42, 61)
>>> transpose_note("e3", "3M"), transpose_note("f#3", "-2m"), transpose_note("c3", 1)
('G#3', 'E#3', 'Db3')
>>> midi_to_note(61), midi_to_note(61, sharps=True)
('Db4', 'C#4')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from livestudio.errors import TonalError

from .intervals import interval_from_semitones, parse_interval

__all__ = [
    "Pitch",
    "parse_note",
    "is_note",
    "note_to_midi",
    "midi_to_note",
    "transpose_note",
    "note_name",
]

LETTERS = "CDEFGAB"
_LETTER_SEMITONES = (0, 2, 4, 5, 7, 9, 11)
_NOTE_RE = re.compile(r"^([a-gA-G])([#bsfx]*)(-?\d+)?$")
_STRUDEL_NOTE_RE = re.compile(r"^[a-gA-G][#bsf]*[0-9]?$")
_FLATS = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_SHARPS = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_ACC = {"#": 1, "s": 1, "x": 2, "b": -1, "f": -1}


@dataclass(frozen=True, slots=True)
class Pitch:
    """A spelled pitch: ``letter`` index (C=0 .. B=6), ``alt`` (+1 sharp), ``octave`` or None."""

    letter: int
    alt: int
    octave: int | None

    @property
    def name(self) -> str:
        """Tonal-style name: upper-case letter, ``#``/``b`` accidentals, octave."""
        acc = "#" * self.alt if self.alt > 0 else "b" * -self.alt
        return f"{LETTERS[self.letter]}{acc}{'' if self.octave is None else self.octave}"

    @property
    def pc(self) -> str:
        """The pitch-class name (no octave)."""
        return Pitch(self.letter, self.alt, None).name

    @property
    def chroma(self) -> int:
        return (_LETTER_SEMITONES[self.letter] + self.alt) % 12

    def midi(self, default_octave: int = 3) -> int:
        octave = default_octave if self.octave is None else self.octave
        return 12 * (octave + 1) + _LETTER_SEMITONES[self.letter] + self.alt


@lru_cache(maxsize=4096)
def _parse(name: str) -> Pitch | None:
    m = _NOTE_RE.match(name)
    if not m:
        return None
    letter = LETTERS.index(m.group(1).upper())
    alt = sum(_ACC[c] for c in m.group(2))
    octave = int(m.group(3)) if m.group(3) is not None else None
    return Pitch(letter, alt, octave)


def parse_note(name: object) -> Pitch:
    """Parse a note name; raise :class:`TonalError` naming it when it is not one."""
    pitch = _parse(name) if isinstance(name, str) else None
    if pitch is None:
        raise TonalError(f"not a note name: {name!r} (expected e.g. 'c3', 'eb4', 'F#2')")
    return pitch


def is_note(value: object) -> bool:
    """True for a note name as Strudel's ``isNote`` sees it (letter, accidentals, 0-9 octave)."""
    return isinstance(value, str) and _STRUDEL_NOTE_RE.match(value) is not None


def note_to_midi(name: str, default_octave: int = 3) -> int:
    """MIDI number of a note name (c4 = 60); a pitch class gets ``default_octave``."""
    return parse_note(name).midi(default_octave)


def midi_to_note(midi: int, *, sharps: bool = False) -> str:
    """Name of a MIDI number spelled with flats (or sharps): 61 -> ``Db4``."""
    midi = int(midi)
    return f"{(_SHARPS if sharps else _FLATS)[midi % 12]}{midi // 12 - 1}"


def note_name(name: str) -> str:
    """Normalised tonal name of a note: ``c#3`` -> ``C#3``, ``df4`` -> ``Db4``."""
    return parse_note(name).name


def transpose_pitch(pitch: Pitch, steps: int, semitones: int) -> Pitch:
    """Move a pitch by ``steps`` letters and ``semitones``, keeping the spelling exact."""
    octave = 0 if pitch.octave is None else pitch.octave
    absolute = octave * 7 + pitch.letter + steps
    new_octave, letter = divmod(absolute, 7)
    target = 12 * octave + _LETTER_SEMITONES[pitch.letter] + pitch.alt + semitones
    alt = target - (12 * new_octave + _LETTER_SEMITONES[letter])
    return Pitch(letter, alt, None if pitch.octave is None else new_octave)


@lru_cache(maxsize=8192)
def _transpose(name: str, interval: str) -> str:
    iv = parse_interval(interval)
    return transpose_pitch(parse_note(name), iv.steps, iv.semitones).name


def transpose_note(name: str, interval: str | int | float) -> str:
    """Transpose a note name by a tonal interval, or by semitones turned into one.

    Numbers follow tonal's ``Interval.fromSemitones`` (1 -> 2m, 6 -> 5d, -1 -> -2m), so
    ``c3`` + 1 is ``Db3`` and ``f#3`` - 1 is ``E#3``. Returns a capitalised name.
    """
    if isinstance(interval, (int, float)) and not isinstance(interval, bool):
        interval = interval_from_semitones(interval)
    return _transpose(name, str(interval))

"""Scales: names like ``"C:minor"``/``"Bb4 harmonic minor"``, degrees, snapping, walking.

A scale name is ``Root[octave]`` then a tonal scale type (:data:`SCALE_TYPE_NAMES`), with
``:`` or spaces between the words. The root defaults to octave 3; a name without a root
is rooted on C (as in Strudel).

>>> scale_step(7, "C:major"), scale_step(-1, "C:major"), scale_step(5, "F#:major:pentatonic")
('C4', 'B2', 'F#4')
>>> scale_notes("Bb:harmonic:minor")
('Bb', 'C', 'Db', 'Eb', 'F', 'Gb', 'A')
>>> nearest_scale_note("C:minor", "c#3"), nearest_scale_note("C:minor", "b3")
('D3', 'C4')
>>> scale_offset("A:minor", -3, "A3"), scale_offset("B:major", 1, "B3")
('E3', 'C#4')
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from livestudio.errors import TonalError

from .intervals import interval_semitones, parse_interval
from .notes import Pitch, _parse, note_to_midi, parse_note, transpose_pitch
from .scale_data import EXTRA_ALIASES, SCALE_TYPES

__all__ = [
    "Scale",
    "SCALE_TYPE_NAMES",
    "scale_type_intervals",
    "get_scale",
    "scale_notes",
    "scale_step",
    "parse_step",
    "nearest_scale_note",
    "scale_offset",
    "step_in_named_scale",
]

_INDEX: dict[str, tuple[str, tuple[str, ...]]] = {}
for _name, _ivs, _aliases in SCALE_TYPES:
    for _key in (_name, *_aliases):
        _INDEX.setdefault(_key.lower(), (_name, _ivs))
for _old, _new in EXTRA_ALIASES.items():
    _INDEX.setdefault(_old, _INDEX[_new])

#: Every scale type name tonal knows (aliases not included), most common first.
SCALE_TYPE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in SCALE_TYPES)

_STEP_RE = re.compile(r"^(-?\d+)([#bsf]*)$")
_STEP_ACC = {"#": 1, "s": 1, "b": -1, "f": -1}


@dataclass(frozen=True, slots=True)
class Scale:
    """A scale: its ``tonic`` (maybe with octave), type ``name`` and ``intervals``."""

    source: str
    tonic: Pitch
    type: str
    intervals: tuple[str, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """Pitch-class names, spelled from the tonic (C minor has Eb)."""
        pc = Pitch(self.tonic.letter, self.tonic.alt, None)
        out = []
        for iv in self.intervals:
            i = parse_interval(iv)
            out.append(transpose_pitch(pc, i.steps, i.semitones).name)
        return tuple(out)

    @property
    def semitones(self) -> tuple[int, ...]:
        return tuple(interval_semitones(iv) for iv in self.intervals)


def scale_type_intervals(type_name: str) -> tuple[str, ...]:
    """Intervals of a scale type by name or alias (case-insensitive)."""
    try:
        return _INDEX[type_name.strip().lower()][1]
    except KeyError:
        raise TonalError(f"unknown scale type {type_name!r}") from None


def _normalise(name: object) -> str:
    if isinstance(name, (list, tuple)):
        parts: list[str] = []
        for part in name:
            parts.append(_normalise(part))
        return " ".join(parts)
    if isinstance(name, float) and name.is_integer():
        name = int(name)
    return str(name).replace(":", " ").strip()


@lru_cache(maxsize=1024)
def _get_scale(text: str) -> Scale:
    head, _, rest = text.partition(" ")
    tonic = _parse(head) if rest else None
    if tonic is None:
        if _parse(text) is not None:
            raise TonalError(
                f"scale name {text!r} is incomplete: give a root and a type with ':' "
                f"between the words, e.g. scale(\"C:major\")"
            )
        type_text, tonic = text, Pitch(0, 0, None)
    else:
        type_text = rest
    key = " ".join(type_text.lower().split())
    found = _INDEX.get(key)
    if found is None:
        close = difflib.get_close_matches(key, list(_INDEX), n=1, cutoff=0.6)
        hint = (f"did you mean {close[0].replace(' ', ':')!r}?" if close else
                "known types include major, minor, dorian, major:pentatonic, harmonic:minor...")
        raise TonalError(f"unknown scale {text.replace(' ', ':')!r}: no scale type {key!r}; {hint}")
    return Scale(text, tonic, found[0], found[1])


def get_scale(name: object) -> Scale:
    """Parse a scale name (``"C:minor"``, ``"F# major pentatonic"``, ``["C4", "major"]``)."""
    text = _normalise(name)
    if not text:
        raise TonalError("empty scale name: expected e.g. scale(\"C:major\")")
    return _get_scale(text)


def scale_notes(name: object) -> tuple[str, ...]:
    """The pitch classes of a scale, spelled from its tonic."""
    return get_scale(name).notes


def _shift_octaves(pitch: Pitch, octaves: int) -> Pitch:
    return Pitch(pitch.letter, pitch.alt, (pitch.octave or 0) + octaves)


@lru_cache(maxsize=8192)
def _scale_step(step: int, text: str) -> str:
    sc = _get_scale(text)
    k = len(sc.intervals)
    octaves, index = divmod(step, k)
    tonic = sc.tonic if sc.tonic.octave is not None else Pitch(sc.tonic.letter, sc.tonic.alt, 3)
    iv = parse_interval(sc.intervals[index])
    return _shift_octaves(transpose_pitch(tonic, iv.steps, iv.semitones), octaves).name


def scale_step(step: float, name: object) -> str:
    """The note of scale degree ``step`` (0-based; rounded up, wraps with octaves)."""
    if isinstance(step, float) and not math.isfinite(step):
        raise TonalError(f"scale degree must be a finite number, not {step!r}")
    get_scale(name)
    return _scale_step(math.ceil(step), _normalise(name))


def parse_step(value: object) -> tuple[float, int]:
    """A degree value -> (number, semitone offset): ``2`` -> (2, 0), ``"2#"`` -> (2, 1), ``"4bb"`` -> (4, -2)."""
    if isinstance(value, bool):
        return (int(value), 0)
    if isinstance(value, (int, float)):
        return (value, 0)
    text = str(value).strip()
    try:
        return (float(text) if "." in text or "e" in text.lower() else int(text), 0)
    except ValueError:
        pass
    m = _STEP_RE.match(text)
    if not m:
        raise TonalError(
            f"invalid scale degree {value!r}: expected a number, optionally with # or b "
            f"suffixes (e.g. 2, -1, '2#', '4b')"
        )
    return (int(m.group(1)), sum(_STEP_ACC[c] for c in m.group(2)))


def nearest_scale_note(name: object, note: str) -> str:
    """Snap a note name to the nearest note of the scale (ties go up), spelled by the scale."""
    sc = get_scale(name)
    midi = note_to_midi(note)
    return _nearest(sc.source, midi)


@lru_cache(maxsize=8192)
def _nearest(text: str, midi: int) -> str:
    sc = _get_scale(text)
    root = Pitch(sc.tonic.letter, sc.tonic.alt, 0)
    pitches = []
    for iv in (*sc.intervals, "8P"):
        i = parse_interval(iv)
        pitches.append(transpose_pitch(root, i.steps, i.semitones))
    root_midi = pitches[0].midi()
    octave_diff = (midi - root_midi) // 12
    best, best_diff = 0, math.inf
    for i, p in enumerate(pitches):
        diff = abs(p.midi() + 12 * octave_diff - midi)
        if diff <= best_diff:
            best, best_diff = i, diff
    return _shift_octaves(pitches[best], octave_diff).name


def scale_offset(name: object, offset: float, note: str) -> str:
    """Walk ``offset`` steps along the scale from ``note`` (which must be in the scale).

    The octave number rises on arriving at a C going up and falls on leaving a C going
    down, as Strudel's ``scaleTranspose`` does.
    """
    sc = get_scale(name)
    notes = sc.notes
    pitch = parse_note(note)
    from_pc = pitch.pc
    if from_pc not in notes:
        raise TonalError(
            f"scale_transpose: note {note!r} is not in scale {sc.source.replace(' ', ':')!r} "
            f"({' '.join(notes)})"
        )
    try:
        offset = float(offset)
    except (TypeError, ValueError):
        raise TonalError(f"scale_transpose: step count {offset!r} is not a number") from None
    start = notes.index(from_pc)
    i, octave, current = start, 3 if pitch.octave is None else pitch.octave, from_pc
    direction = (offset > 0) - (offset < 0)
    while abs(i - start) < abs(offset):
        i += direction
        if direction < 0 and current[0] == "C":
            octave -= 1
        current = notes[i % len(notes)]
        if direction > 0 and current[0] == "C":
            octave += 1
    return f"{current}{octave}"


def step_in_named_scale(step: float, name: object, anchor: object) -> int:
    """MIDI note of degree ``step`` counted from the scale note nearest ``anchor``."""
    sc = get_scale(name)
    steps = sc.semitones
    root_midi = sc.tonic.midi(3)
    anchor_midi = int(anchor) if isinstance(anchor, (int, float)) else note_to_midi(str(anchor))
    anchor_diff = (anchor_midi % 12 - root_midi % 12) % 12
    best, best_diff = 0, math.inf
    for i, s in enumerate(steps):
        diff = abs(s - anchor_diff)
        if diff < best_diff:
            best, best_diff = i, diff
    step = math.ceil(step) + best
    octaves, index = divmod(step, len(steps))
    return steps[index] + anchor_midi - anchor_diff + 12 * octaves

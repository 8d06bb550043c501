"""Pattern methods for music theory: ``scale``, ``transpose``, ``scale_transpose``,
``voicing``, ``root_notes`` and ``arp`` (registered on ``Pattern`` when imported).

Values are read the way ``@strudel/tonal`` 1.2.6 reads them (see the conformance README,
"Tonal" sections). Where Strudel only logs and drops the event (an unknown scale or
chord, a bad degree, a note that is not a note) these raise
:class:`~livestudio.errors.TonalError` naming the bad value, so the live session shows
the mistake instead of going silent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from livestudio.errors import TonalError
from livestudio.patterns.hap import Hap, combine_contexts
from livestudio.patterns.pattern import Pattern, pure, register, reify, stack
from livestudio.patterns.timespan import TimeSpan

from .arp import ARP_MODES, arp_order
from .intervals import interval_from_semitones, interval_semitones
from .notes import is_note, midi_to_note, note_to_midi, transpose_note
from .scales import (
    _nearest,
    _normalise,
    _scale_step,
    get_scale,
    parse_step,
    scale_offset,
    step_in_named_scale,
)
from .voicing_data import GUIDETONES, LEFTHAND, LEGACY, TRIADS
from .voicings import IREAL, chord_root, render_voicing

__all__ = ["scale", "transpose", "scale_transpose", "voicing", "root_notes", "arp"]

_STEP_KEYS = ("note", "n", "value")
_VOICING_KEYS = ("dictionary", "dict", "chord", "anchor", "offset", "mode", "n", "octaves")
_DICTIONARIES: dict[str, Mapping[str, Any]] = {
    "ireal": IREAL, "default": IREAL, "lefthand": LEFTHAND, "guidetones": GUIDETONES,
    "triads": TRIADS, "legacy": LEGACY,
}


def _number(x: Any) -> int | float | None:
    """``x`` as a number when JavaScript's ``Number(x)`` would give one, else None."""
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, float)):
        return x
    if isinstance(x, str):
        try:
            f = float(x)
        except ValueError:
            return None
        return int(f) if f.is_integer() else f
    return None


def _js_str(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _with_note(value: Any, note: Any, others: Mapping[str, Any] | None = None) -> Any:
    if isinstance(value, Mapping):
        base = value if others is None else others
        return {**base, "note": note}
    return note


# ---------------------------------------------------------------------- scale
def _scale_fn(name: Any, pat: Pattern) -> Pattern:
    """Turn scale degrees into notes of a scale, or snap note names to it.

    ``name`` is ``Root[octave]:type`` (``"C:minor"``, ``"C4:major"``,
    ``"F#:major:pentatonic"``, ``"Bb:harmonic:minor"``), patternable (``"<C:major
    A:minor>"``). Every tonal scale type works: see ``SCALE_TYPE_NAMES`` (major, minor,
    dorian, phrygian, lydian, mixolydian, locrian, major/minor pentatonic, harmonic and
    melodic minor, blues, whole tone, chromatic, altered, bebop, hirajoshi, ...).
    The root defaults to octave 3.

    The degree is the value's ``note``, else ``n``, else ``value``, else the bare value.
    Degrees are 0-based, rounded up, wrap into octaves (``-1`` is the note below the
    root) and may carry ``#``/``b`` (or ``s``/``f``) suffixes: ``"2#"``, ``"4b"``. A note
    name (``note("c#3")``) snaps to the nearest scale note (ties go up). Results are
    spelled by the scale (C minor has ``Eb3``). Objects keep their other keys and get
    ``note``; bare values become note-name strings.

    Raises :class:`TonalError` for an unknown or incomplete scale name or a bad degree
    (Strudel logs those and drops the event).

    >>> from livestudio.patterns.pattern import fastcat
    >>> [h.value for h in fastcat(0, 2, 4, -1).scale("C:minor").first_cycle()]
    ['C3', 'Eb3', 'G3', 'Bb2']
    """
    text = _normalise(name)
    sc = get_scale(text)  # raises early for bad names

    def convert(hap: Hap) -> Hap:
        value = hap.value
        is_obj = isinstance(value, Mapping)
        if is_obj:
            step = next((value[k] for k in _STEP_KEYS if value.get(k) is not None), None)
            if step is None:
                return hap
            others = {k: v for k, v in value.items() if k not in _STEP_KEYS}
        else:
            step, others = value, {}
        if is_note(step):
            note: Any = _nearest(text, note_to_midi(step))
        else:
            number, offset = parse_step(step)
            if isinstance(number, float) and not math.isfinite(number):
                raise TonalError(f"scale degree must be a finite number, not {step!r}")
            if "anchor" in others:
                note = step_in_named_scale(number, text, others["anchor"]) + offset
            else:
                note = _scale_step(math.ceil(number), text)
                if offset:
                    note = transpose_note(note, interval_from_semitones(offset))
        new_value = {**others, "note": note} if is_obj else note
        return Hap(hap.whole, hap.part, new_value, {**hap.context, "scale": sc.source})

    return pat.with_hap(convert)


# ---------------------------------------------------------------------- transpose
def _transpose_fn(amount: Any, pat: Pattern) -> Pattern:
    """Transpose notes by semitones (``7``, ``-12``) or a tonal interval (``"3M"``, ``"-2m"``).

    Works on numbers (MIDI notes, bare or in ``note``) and on note names. Note names move
    by an interval, numbers first turned into one (1 -> 2m, 6 -> 5d, -1 -> -2m), so
    spelling follows tonal: ``c3`` +1 is ``Db3``, ``f#3`` -1 is ``E#3``. Names come out
    capitalised. Raises :class:`TonalError` for a value that is not a note, including a
    control value without ``note`` such as ``n("0").transpose(1)`` (Strudel logs a
    warning and leaves it unchanged; use ``.add(n(1))`` for ``n``).

    >>> from livestudio.patterns.pattern import fastcat
    >>> [h.value for h in fastcat("c3", "e3").transpose("3M").first_cycle()]
    ['E3', 'G#3']
    """
    as_number = _number(amount)
    if as_number is None:
        semitones: int | float = interval_semitones(str(amount))  # raises for bad names
        interval = str(amount)
    else:
        semitones = as_number
        interval = ""

    def move(value: Any) -> Any:
        note = value.get("note", value) if isinstance(value, Mapping) else value
        if isinstance(note, (int, float)) and not isinstance(note, bool):
            return _with_note(value, note + semitones)
        if not isinstance(note, str):
            hint = " (it has no 'note'; for n use .add(n(...)))" if isinstance(value, Mapping) else ""
            raise TonalError(f"transpose: not a note: {note!r}{hint}")
        return _with_note(value, transpose_note(note, interval or semitones))

    return pat.fmap(move)


# ---------------------------------------------------------------------- scale_transpose
def _scale_transpose_fn(steps: Any, pat: Pattern) -> Pattern:
    """Move notes ``steps`` along the scale set by an earlier ``.scale(...)``.

    The note must be in that scale, spelled as the scale spells it. Going up, the octave
    rises on arriving at a C; going down it falls on leaving one (B major: B3 +1 is C#4).
    Raises :class:`TonalError` without an earlier ``scale`` or for a note off the scale.
    """

    def move(hap: Hap) -> Hap:
        sc = hap.context.get("scale")
        if sc is None:
            raise TonalError("scale_transpose needs .scale(...) earlier in the chain")
        value = hap.value
        if isinstance(value, Mapping):
            if "note" not in value:
                raise TonalError(f"scale_transpose: value {dict(value)!r} has no note")
            return hap.with_value(lambda v: {**v, "note": scale_offset(sc, steps, v["note"])})
        if not isinstance(value, str):
            raise TonalError(f"scale_transpose works on note names, not {value!r}")
        return hap.with_value(lambda v: scale_offset(sc, steps, v))

    return pat.with_hap(move)


# ---------------------------------------------------------------------- voicing
def _voicing_fn(pat: Pattern) -> Pattern:
    """Turn chord symbols (``chord("C Am7 F^7 G7")``) into voiced notes, lowest first.

    Uses Strudel's default dictionary ``ireal`` (85 symbols: ``""``, ``m``, ``7``,
    ``m7``/``-7``, ``^7``/``M7``, ``m7b5``/``h7``, ``o``, ``o7``, ``+``/``aug``, ``sus``,
    ``7sus``, ``6``, ``m6``, ``69``, ``9``, ``m9``, ``^9``, ``11``, ``m11``, ``13``,
    ``add9``, ``7b9``, ``7#9``, ``7#11``, ``7alt``, ... see ``CHORD_SYMBOLS``). Each
    chord event becomes one ``{"note": name}`` event per tone (flat spelling, e.g.
    ``Gb3``), keeping the chord event's other controls. Controls ``anchor`` (default
    ``c5``), ``mode`` (``below``/``duck``/``above``/``root``), ``offset``, ``octaves``,
    ``dictionary`` change the voicing; with ``n`` each event gives the n-th tone as a MIDI
    number (wrapping up an octave per turn). ``.dict(name)`` picks another dictionary:
    ``ireal`` (default), ``lefthand``, ``guidetones``, ``triads``, ``legacy``, or a dict of
    your own (symbol -> list of interval strings). Raises :class:`TonalError` for an
    unknown chord (Strudel logs it and plays silence).
    """

    def build(value: Any) -> Pattern:
        if not isinstance(value, Mapping):
            value = {"chord": value}
        if "chord" not in value:
            raise TonalError(f"voicing needs a chord, e.g. chord(\"C Am7\"); got {value!r}")
        rest = {k: v for k, v in value.items() if k not in _VOICING_KEYS}
        dictionary = value.get("dictionary", value.get("dict"))
        if dictionary is None:
            table: Mapping[str, Any] = IREAL
        elif isinstance(dictionary, str):
            if dictionary not in _DICTIONARIES:
                raise TonalError(f"unknown voicing dictionary {dictionary!r}; known: "
                                 f"{', '.join(_DICTIONARIES)}")
            table = _DICTIONARIES[dictionary]
        else:
            table = dictionary
        n = value.get("n")
        midis = render_voicing(
            str(value["chord"]),
            dictionary=table,
            anchor=value.get("anchor") if value.get("anchor") is not None else "c5",
            mode=value.get("mode") or "below",
            offset=value.get("offset") or 0,
            n=n,
            octaves=value.get("octaves") if value.get("octaves") is not None else 1,
        )
        notes = midis if n is not None else [midi_to_note(m) for m in midis]
        return stack(*[pure({"note": x, **rest}) for x in notes])

    return pat.fmap(build).outer_join()


# ---------------------------------------------------------------------- root_notes
def _root_notes_fn(octave: Any, pat: Pattern) -> Pattern:
    """The root of each chord symbol in ``octave``: ``"F#m7b5"`` -> ``"F#2"``.

    A ``{"chord": ...}`` value becomes ``{"note": ...}`` (other keys dropped); a bare
    string stays a string.
    """

    def root(value: Any) -> Any:
        chord = value.get("chord") if isinstance(value, Mapping) else value
        if not isinstance(chord, str):
            raise TonalError(f"root_notes needs chord symbols, got {value!r}")
        note = chord_root(chord) + _js_str(octave)
        return {"note": note} if isinstance(value, Mapping) else note

    return pat.fmap(root)


# ---------------------------------------------------------------------- arp
def _collect(haps: list[Hap]) -> list[tuple[Hap, list[Hap]]]:
    groups: list[tuple[Hap, list[Hap]]] = []
    for h in haps:
        for first, members in groups:
            if first.whole == h.whole:
                members.append(h)
                break
        else:
            groups.append((h, [h]))
    return groups


def _arp_fn(indices: Any, pat: Pattern) -> Pattern:
    """Arpeggiate chords: the notes of each chord (events with the same whole) by index.

    ``indices`` is a pattern of numbers (``"0 [1 2] 3"``; wraps modulo the chord size) or
    of arp mode names, Tidal's: ``up``, ``down``, ``updown``, ``downup``, ``up&down``,
    ``down&up``, ``converge``, ``diverge``, ``disconverge``, ``pinkyup``,
    ``pinkyupdown``, ``thumbup``, ``thumbupdown``. A mode plays the reordered notes
    evenly across the chord's duration (``n("[0,4,7]").arp("<up down>")``).

    >>> [h.value for h in stack(0, 4, 7).arp("updown").first_cycle()]
    [0, 4, 7, 4]
    """
    ipat = reify(indices)
    query = pat.query
    iquery = ipat.query

    def q(span: TimeSpan) -> list[Hap]:
        out: list[Hap] = []
        for first, chord in _collect(query(span)):
            for ih in iquery(first.part):
                index = ih.value
                number = _number(index)
                if number is not None:
                    if isinstance(number, float) and not math.isfinite(number):
                        raise TonalError(f"arp: bad index {index!r}")
                    picked = chord[math.floor(number) % len(chord)]
                    ctx = combine_contexts(ih.context, picked.context)
                    out.append(Hap(ih.whole, ih.part, picked.value, ctx))
                    continue
                if not isinstance(index, str) or index not in ARP_MODES:
                    raise TonalError(
                        f"arp: {index!r} is neither an index nor a mode ({', '.join(ARP_MODES)})"
                    )
                ordered = arp_order(index, chord)
                if not ordered:  # e.g. "updown" over a single note
                    continue
                whole = first.whole_or_part()
                dur = (whole.end - whole.begin) / len(ordered)
                for k, picked in enumerate(ordered):
                    sub = TimeSpan(whole.begin + dur * k, whole.begin + dur * (k + 1))
                    part = sub.intersection(ih.part)
                    if part is None:
                        continue
                    ctx = combine_contexts(ih.context, picked.context)
                    out.append(Hap(sub, part, picked.value, ctx))
        return out

    return Pattern(q)


scale = register("scale", _scale_fn)
transpose = register(["transpose", "trans"], _transpose_fn)
scale_transpose = register(["scale_transpose", "scale_trans", "strans"], _scale_transpose_fn)
voicing = register("voicing", _voicing_fn)
root_notes = register("root_notes", _root_notes_fn)
arp = register("arp", _arp_fn, patternified=False)

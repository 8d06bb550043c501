"""Music theory for patterns (part of ``@strudel/tonal``'s semantics, in Python).

Pure functions (no Pattern needed): note names <-> MIDI, tonal intervals, transposition
with correct spelling, tonal's scale types, scale degrees, chord symbols and Strudel's
default voicing dictionary (``ireal``). The Pattern methods ``scale``, ``transpose``,
``scale_transpose``, ``voicing``, ``root_notes`` and ``arp`` live in
:mod:`livestudio.patterns.tonal.methods` and are attached to ``Pattern`` on import.
"""

from __future__ import annotations

from .arp import ARP_MODES, arp_order
from .intervals import interval_from_semitones, interval_semitones, parse_interval
from .notes import is_note, midi_to_note, note_name, note_to_midi, parse_note, transpose_note
from .scales import (
    SCALE_TYPE_NAMES,
    get_scale,
    nearest_scale_note,
    scale_notes,
    scale_offset,
    scale_step,
    scale_type_intervals,
)
from .voicings import CHORD_SYMBOLS, chord_root, render_voicing, voicing_notes

# Pattern methods register themselves on Pattern when imported (needs the pattern core).
from .methods import arp, root_notes, scale, scale_transpose, transpose, voicing  # noqa: E402

__all__ = [
    "ARP_MODES",
    "CHORD_SYMBOLS",
    "SCALE_TYPE_NAMES",
    "arp",
    "arp_order",
    "chord_root",
    "get_scale",
    "interval_from_semitones",
    "interval_semitones",
    "is_note",
    "midi_to_note",
    "nearest_scale_note",
    "note_name",
    "note_to_midi",
    "parse_interval",
    "parse_note",
    "render_voicing",
    "root_notes",
    "scale",
    "scale_notes",
    "scale_offset",
    "scale_step",
    "scale_transpose",
    "scale_type_intervals",
    "transpose",
    "transpose_note",
    "voicing",
    "voicing_notes",
]

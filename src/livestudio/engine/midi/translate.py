"""Turning an event's controls into MIDI messages (Strudel's MIDI control names).

Controls read (all optional except ``midiport``):

- ``midiport`` (port name substring), ``midichan`` (1..16, default 1);
- ``note`` (number or name like ``"c4"`` = 60, ``"eb3"``), else ``n``; a float note is
  rounded; ``velocity`` (0..1, default 0.9) times ``gain`` (default 1) -> 1..127;
- ``ccn`` + ``ccv`` (controller number and value), and ``cc``: a mapping ``{number:
  value}`` (what ``.cc(74, x)`` makes) or ``(number, value)`` pairs. A CC value that is
  an int is raw 0..127; a float within 0..1 is scaled to 0..127 (Strudel's ``ccv``);
  a float above 1 is raw;
- ``midimap``: ``{control_name: number}`` or ``{control_name: {"ccn": n, "min": lo,
  "max": hi, "exp": bool}}``: sends named controls as CC scaled from ``lo..hi``;
- ``progNum`` / ``program`` (0..127), ``midibend`` (-1..1), ``miditouch`` (0..1).

>>> m = translate({"midiport": "x", "midichan": 2, "note": "c4", "velocity": 0.5, "ccn": 74, "ccv": 1.0}, 0.25)
>>> m.port, m.channel, m.note, m.velocity, m.before, m.length_s
('x', 2, 60, 64, [(177, 74, 127)], 0.25)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from livestudio.engine.midi import messages as mm
from livestudio.errors import PatternError

_NOTE_RE = re.compile(r"^([a-gA-G])((?:#|s|b|f)*)(-?\d+)?$")
_STEPS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


def note_number(value: Any) -> int | None:
    """A MIDI note number from a number or a note name (``c4`` = 60); None for rests.

    >>> note_number("a4"), note_number("c#3"), note_number("eb"), note_number(61.6), note_number("~")
    (69, 49, 51, 62, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        f = float(value)
        if not math.isfinite(f):
            raise PatternError(f"MIDI note must be a finite number, got {value!r}")
        return max(0, min(127, round(f)))
    if isinstance(value, str):
        text = value.strip()
        if text in ("~", "-", ""):
            return None
        match = _NOTE_RE.match(text)
        if not match:
            raise PatternError(f"not a note name or number: {value!r}")
        letter, accidentals, octave = match.groups()
        step = _STEPS[letter.lower()]
        step += sum(1 if a in "#s" else -1 for a in accidentals)
        return max(0, min(127, step + 12 * ((int(octave) if octave else 3) + 1)))
    try:
        return note_number(float(value))
    except (TypeError, ValueError) as exc:
        raise PatternError(f"not a note name or number: {value!r}") from exc


def _unit(value: Any, what: str) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError) as exc:
        raise PatternError(f"{what} must be a number, got {value!r}") from exc
    if not math.isfinite(f):
        raise PatternError(f"{what} must be finite, got {value!r}")
    return f


def _cc_value(value: Any, what: str) -> int:
    """A CC value: an int is raw 0..127, a float within 0..1 is scaled to 0..127.

    >>> _cc_value(64, "v"), _cc_value(0.5, "v"), _cc_value(1.0, "v"), _cc_value(100.0, "v")
    (64, 64, 127, 100)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return max(0, min(127, value))
    f = _unit(value, what)
    if 0.0 <= f <= 1.0:
        f *= 127
    return max(0, min(127, round(f)))


def _channel(value: Any) -> int:
    ch = round(_unit(value, "midichan"))
    if not 1 <= ch <= 16:
        raise PatternError(f"midichan must be 1..16, got {value!r}")
    return ch


@dataclass
class MidiNote:
    """What one event sends: messages before the note, then the note (if any)."""

    port: str
    channel: int
    note: int | None = None
    velocity: int = 0
    length_s: float = 0.0
    before: list[mm.Message] = field(default_factory=list)


def _ccs(controls: Mapping[str, Any]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if "ccn" in controls and "ccv" in controls:
        out.append((round(_unit(controls["ccn"], "ccn")), _cc_value(controls["ccv"], "ccv")))
    cc = controls.get("cc")
    if isinstance(cc, Mapping):
        out.extend((round(_unit(k, "cc number")), _cc_value(v, "cc value")) for k, v in cc.items())
    elif isinstance(cc, (list, tuple)) and cc:
        pairs = [cc] if not isinstance(cc[0], (list, tuple)) else cc
        for pair in pairs:
            if len(pair) != 2:
                raise PatternError(f"cc takes (number, value) pairs, got {pair!r}")
            out.append((round(_unit(pair[0], "cc number")), _cc_value(pair[1], "cc value")))
    midimap = controls.get("midimap")
    if isinstance(midimap, Mapping):
        for name, spec in midimap.items():
            if name not in controls:
                continue
            value = _unit(controls[name], name)
            if isinstance(spec, Mapping):
                number = round(_unit(spec.get("ccn"), f"midimap {name} ccn"))
                lo = _unit(spec.get("min", 0.0), "min")
                hi = _unit(spec.get("max", 1.0), "max")
                if spec.get("exp") and lo > 0 and hi > 0 and value > 0:
                    x = math.log(value / lo) / math.log(hi / lo) if hi != lo else 0.0
                else:
                    x = (value - lo) / (hi - lo) if hi != lo else 0.0
            else:
                number, x = round(_unit(spec, f"midimap {name}")), value
            out.append((number, _cc_value(x, name)))
    for number, _ in out:
        if not 0 <= number <= 127:
            raise PatternError(f"CC number must be 0..127, got {number}")
    return out


def translate(controls: Mapping[str, Any], length_s: float, *, default_port: str | None = None) -> MidiNote:
    """The MIDI messages of one event with ``controls`` sounding for ``length_s`` seconds."""
    port = controls.get("midiport", controls.get("midi_port", default_port))
    if not isinstance(port, str) or not port:
        raise PatternError(f"a MIDI event needs a port (.midi(port=...)), got {port!r}")
    channel = _channel(controls.get("midichan", 1))
    out = MidiNote(port=port, channel=channel)
    program = controls.get("progNum", controls.get("program"))
    if program is not None:
        out.before.append(mm.program_change(channel, round(_unit(program, "progNum"))))
    out.before.extend(mm.control_change(channel, n, v) for n, v in _ccs(controls))
    if "midibend" in controls:
        out.before.append(mm.pitch_bend(channel, _unit(controls["midibend"], "midibend")))
    if "miditouch" in controls:
        out.before.append(mm.channel_pressure(channel, _cc_value(controls["miditouch"], "miditouch")))
    raw = controls.get("note", controls.get("midinote", controls.get("n")))
    note = note_number(raw)
    if note is not None:
        velocity = _unit(controls.get("velocity", 0.9), "velocity") * _unit(controls.get("gain", 1.0), "gain")
        out.note = note
        out.velocity = max(1, min(127, round(velocity * 127)))
        length = float(length_s) if math.isfinite(float(length_s)) else 0.0
        if "sustain" in controls:  # an explicit note length in seconds
            length = _unit(controls["sustain"], "sustain")
        out.length_s = max(0.0, length)
    return out

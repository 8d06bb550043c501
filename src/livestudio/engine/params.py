"""Control dict -> event row: names to slots, instruments to ids, defaults, clamping.

Every value is clamped on the way in, so the render never sees a bad number: NaN
takes the default, +/-inf and out-of-range values go to the nearest bound.

Conventions (Strudel's names; the choices where Strudel leaves room are stated):

- pitch: ``freq`` (Hz) wins over ``note`` (MIDI number or name such as ``"eb2"``,
  ``c4 = 60``), which wins over ``n`` (as a MIDI number); default MIDI 36 (C2).
  Samples: ``n`` picks the file (wrapping); ``note`` transposes by ``note - 36``
  semitones, ``speed`` multiplies the rate (negative plays backwards).
- note length: ``duration`` in seconds (the scheduler computes it from the hap's whole,
  ``legato`` and the tempo). Synths hold the gate for ``duration`` then release;
  samples play from ``begin`` to ``end`` (whole file by default) and ignore
  ``duration`` unless ``loop`` is set; drums play their own length.
- envelope: ``attack``/``decay``/``release`` in seconds, ``sustain`` is the ADSR
  sustain level (0..1), as in Strudel. Synth defaults 0.001 / 0.05 / 0.6 / 0.01.
- filters: ``cutoff`` (``lpf``) low-pass, ``hcutoff`` (``hpf``) high-pass, ``bandf``
  (``bpf``) band-pass; absent = off. ``resonance``/``hresonance`` are 0..1 (Tidal's
  scale) mapped to Q = 0.707 * 2**(5 r) (0 = Butterworth, 1 = Q 22.6); ``bandq`` is Q.
- level: ``gain * velocity * amp * postgain`` (linear), ``pan`` 0..1 (equal power).
- buses: ``orbit`` picks the bus. ``delay`` and ``room`` are per-voice sends; the
  bus's ``delaytime``/``delayfeedback`` and ``size`` follow the latest event that sends
  to them. ``delaytime`` is in seconds, or in cycles when ``delaysync`` is true (then it
  follows the tempo set by ``Engine.set_cps``).
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Mapping

import numpy as np

from livestudio.engine import layout as L
from livestudio.errors import EngineError, UnknownInstrumentError

# instrument ids (the render dispatches on these)
I_SINE = 0
I_TRI = 1
I_SAW = 2
I_SQUARE = 3
I_SUPERSAW = 4
I_FM = 5
I_WHITE = 6
I_PINK = 7
I_BD = 8
I_SD = 9
I_HH = 10
I_OH = 11
I_CP = 12
I_RIM = 13
I_LT = 14
I_MT = 15
I_HT = 16
I_SAMPLE = 17

INSTRUMENTS: dict[str, int] = {
    "sine": I_SINE, "sin": I_SINE,
    "triangle": I_TRI, "tri": I_TRI,
    "sawtooth": I_SAW, "saw": I_SAW,
    "square": I_SQUARE, "pulse": I_SQUARE,
    "supersaw": I_SUPERSAW,
    "fm": I_FM,
    "white": I_WHITE, "pink": I_PINK,
    "bd": I_BD, "sd": I_SD, "hh": I_HH, "oh": I_OH, "cp": I_CP, "rim": I_RIM,
    "lt": I_LT, "mt": I_MT, "ht": I_HT,
}
DRUMS = frozenset({I_BD, I_SD, I_HH, I_OH, I_CP, I_RIM, I_LT, I_MT, I_HT})

# natural length of each drum in seconds (the voice ends after it)
DRUM_LENGTH: dict[int, float] = {
    I_BD: 0.9, I_SD: 0.45, I_HH: 0.2, I_OH: 0.9, I_CP: 0.6, I_RIM: 0.12,
    I_LT: 0.8, I_MT: 0.7, I_HT: 0.6,
}

ALIASES: dict[str, str] = {
    "lpf": "cutoff", "ctf": "cutoff", "lp": "cutoff",
    "lpq": "resonance", "res": "resonance",
    "hpf": "hcutoff", "hp": "hcutoff", "hpq": "hresonance",
    "bpf": "bandf", "bp": "bandf", "bpq": "bandq",
    "att": "attack", "dec": "decay", "sus": "sustain", "rel": "release",
    "dt": "delaytime", "dfb": "delayfeedback", "delayfb": "delayfeedback",
    "sz": "size", "roomsize": "size", "voices": "unison", "sound": "s",
    "fmattack": "fmattack", "dur": "duration",
}

Q_BUTTERWORTH = 1.0 / math.sqrt(2.0)

# plain controls: name -> (slot, default, low, high); NaN -> default, then clamp
_PLAIN: dict[str, tuple[int, float, float, float]] = {
    "pan": (L.R_PAN, 0.5, 0.0, 1.0),
    "shape": (L.R_SHAPE, 0.0, 0.0, 0.99),
    "crush": (L.R_CRUSH, 0.0, 0.0, 16.0),
    "coarse": (L.R_COARSE, 0.0, 0.0, 64.0),
    "pw": (L.R_PW, 0.5, 0.01, 0.99),
    "detune": (L.R_DETUNE, 0.18, 0.0, 2.0),
    "unison": (L.R_UNISON, 5.0, 1.0, 9.0),
    "fmh": (L.R_FMH, 1.0, 0.01, 32.0),
    "fmi": (L.R_FMI, 2.0, 0.0, 50.0),
    "fmattack": (L.R_FMA, 0.001, 0.0, 60.0),
    "fmdecay": (L.R_FMD, 0.2, 0.0, 60.0),
    "fmsustain": (L.R_FMS, 0.3, 0.0, 1.0),
    "fmrelease": (L.R_FMR, 0.1, 0.0, 60.0),
    "begin": (L.R_BEGIN, 0.0, 0.0, 1.0),
    "end": (L.R_END, 1.0, 0.0, 1.0),
    "delay": (L.R_DELAY, 0.0, 0.0, 1.0),
    "delayfeedback": (L.R_DELAYFB, 0.5, 0.0, 0.95),
    "room": (L.R_ROOM, 0.0, 0.0, 1.0),
    "size": (L.R_SIZE, 0.5, 0.0, 1.0),
    "bandq": (L.R_BANDQ, 1.0, 0.1, 30.0),
}


def _plain_defaults() -> list[float]:
    """An event row (as a list) holding every plain control's default (each inside its
    range)."""
    row = [0.0] * L.ROW
    for slot, default, low, high in _PLAIN.values():
        assert low <= default <= high
        row[slot] = default
    return row


_PLAIN_DEFAULTS = _plain_defaults()

_NOTE_RE = re.compile(r"^([a-gA-G])((?:#|s|b|f)*)(-?\d+)?$")
_CHROMA = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}

# names the engine understands but does not store (other layers use them)
IGNORED = frozenset({"legato", "cut", "channel", "port", "midi", "cps", "clip", "unit"})

SampleResolver = Callable[[str, int], int]


def given(c: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    """``clamp(c[key], default, low, high)``, or ``default`` (which must lie in
    ``[low, high]``) when ``key`` is absent: the same value without the work.

    >>> given({"gain": 9}, "gain", 1.0, 0.0, 8.0), given({}, "gain", 1.0, 0.0, 8.0)
    (8.0, 1.0)
    """
    value = c.get(key)
    return default if value is None else clamp(value, default, low, high)


def clamp(value: Any, default: float, low: float, high: float) -> float:
    """``value`` as a float in ``[low, high]``; NaN or non-numbers give ``default``.

    >>> clamp(float("nan"), 1.0, 0.0, 2.0), clamp(1e9, 1.0, 0.0, 2.0), clamp(-5, 1.0, 0.0, 2.0)
    (1.0, 2.0, 0.0)
    """
    if type(value) is float or type(value) is int:  # the usual case, no try needed
        x = float(value)
    else:
        try:
            x = float(value)
        except (TypeError, ValueError):
            return default
    if math.isnan(x):
        return default
    return min(max(x, low), high)


def note_to_midi(note: Any) -> float:
    """A MIDI number or a note name (``c4`` = 60, ``eb2``, ``f#3``; default octave 3).

    >>> note_to_midi("a4"), note_to_midi("eb2"), note_to_midi(61.5)
    (69.0, 39.0, 61.5)
    """
    if isinstance(note, str):
        match = _NOTE_RE.match(note.strip())
        if match is None:
            raise EngineError(f"cannot read note name {note!r}")
        letter, accidentals, octave = match.groups()
        value = _CHROMA[letter.lower()]
        value += accidentals.count("#") + accidentals.count("s")
        value -= accidentals.count("b") + accidentals.count("f")
        return float(value + 12 * ((int(octave) if octave is not None else 3) + 1))
    return clamp(note, 36.0, -24.0, 160.0)


def _resonance_q(value: Any) -> float:
    r = clamp(value, 0.0, 0.0, 1.0)
    return Q_BUTTERWORTH * 2.0 ** (5.0 * r)


def _canonical(controls: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in controls.items():
        out[ALIASES.get(key, key)] = value
    return out


def _pitch_midi(c: Mapping[str, Any]) -> float | None:
    if "note" in c:
        return note_to_midi(c["note"])
    if "midinote" in c:  # SuperDirt's name: a MIDI number
        return clamp(c["midinote"], 36.0, -24.0, 160.0)
    return None


def encode(frame: int, controls: Mapping[str, Any], *, sample_rate: int, max_buses: int,
           max_delay_s: float, resolve_sample: SampleResolver) -> np.ndarray:
    """Encode one note event as a float64 row (see ``layout.R_*``).

    ``resolve_sample(name, n)`` returns the sample table row for a sample folder name
    or raises :class:`~livestudio.errors.UnknownInstrumentError`.
    """
    c = _canonical(controls)
    # built as a list (item assignment costs a tenth of an array's), one array at the end
    row = _PLAIN_DEFAULTS.copy()  # every plain control at its default (all in range)
    row[L.R_FRAME] = float(int(frame))
    row[L.R_KIND] = L.K_NOTE
    name = str(c.get("s", "sine")).strip()
    n_raw = c.get("n", 0)
    n_index = int(math.floor(clamp(n_raw, 0.0, -1e6, 1e6)))
    if ":" in name:  # "bd:3"
        name, _, idx = name.partition(":")
        n_index = int(idx) if idx.strip().lstrip("-").isdigit() else n_index
    bank = str(c.get("bank", "") or "").strip()
    if bank:  # Strudel's banks: s("bd").bank("RolandTR909") plays folder RolandTR909_bd
        name = f"{bank}_{name}"
    inst = INSTRUMENTS.get(name.lower())
    row[L.R_SAMPLE] = -1.0
    if inst in DRUMS:
        # the musician's own kit wins: a sample folder named like a built-in drum plays
        try:
            row[L.R_SAMPLE] = float(resolve_sample(name, n_index))
            inst = I_SAMPLE
        except UnknownInstrumentError:
            pass
    if inst is None:
        row[L.R_SAMPLE] = float(resolve_sample(name, n_index))
        inst = I_SAMPLE
    row[L.R_INST] = inst
    row[L.R_BUS] = float(int(given(c, "orbit", 0.0, 0.0, max_buses - 1)))
    nyq = 0.45 * sample_rate

    midi = _pitch_midi(c)
    if "freq" in c:
        freq = clamp(c["freq"], 65.4064, 0.01, nyq)
    else:
        if midi is None:
            midi = clamp(n_raw, 36.0, -24.0, 160.0) if ("n" in c and inst != I_SAMPLE) else 36.0
        freq = 440.0 * 2.0 ** ((midi - 69.0) / 12.0)
    row[L.R_FREQ] = min(max(freq, 0.01), nyq)

    level = 1.0
    for key, hi in (("gain", 8.0), ("velocity", 4.0), ("amp", 8.0), ("postgain", 8.0)):
        level *= given(c, key, 1.0, 0.0, hi)
    row[L.R_LEVEL] = level

    for key in c.keys() & _PLAIN.keys():
        slot, default, low, high = _PLAIN[key]
        row[slot] = clamp(c[key], default, low, high)
    row[L.R_UNISON] = float(int(row[L.R_UNISON]))
    row[L.R_COARSE] = float(int(row[L.R_COARSE]))

    # envelope defaults depend on the instrument
    if inst == I_SAMPLE:
        defaults = (0.0, 0.0, 1.0, 0.002)
    elif inst in DRUMS:
        defaults = (0.0, 0.0, 1.0, 0.005)
    else:
        defaults = (0.001, 0.05, 0.6, 0.01)
    row[L.R_ATT] = given(c, "attack", defaults[0], 0.0, 60.0)
    row[L.R_DEC] = given(c, "decay", defaults[1], 0.0, 60.0)
    row[L.R_SUS] = given(c, "sustain", defaults[2], 0.0, 1.0)
    row[L.R_REL] = given(c, "release", defaults[3], 0.0, 60.0)
    row[L.R_DUR] = given(c, "duration", 0.25, 0.0, 3600.0)

    # filters: absent or 0 = off
    row[L.R_CUTOFF] = clamp(c["cutoff"], 0.0, 20.0, nyq) if "cutoff" in c else 0.0
    row[L.R_RES] = _resonance_q(c.get("resonance", 0.0))
    row[L.R_HCUTOFF] = clamp(c["hcutoff"], 0.0, 20.0, nyq) if "hcutoff" in c else 0.0
    row[L.R_HRES] = _resonance_q(c.get("hresonance", 0.0))
    if "djf" in c:
        _dj_filter(row, clamp(c["djf"], 0.5, 0.0, 1.0), nyq)
    row[L.R_BANDF] = clamp(c["bandf"], 0.0, 20.0, nyq) if "bandf" in c else 0.0
    _filter_envelope(row, c)
    row[L.R_CUT] = float(int(given(c, "cut", 0.0, 0.0, 1e6)))

    # sample / drum playback rate: speed * 2**((note - 36) / 12)
    speed = given(c, "speed", 1.0, -16.0, 16.0)
    if abs(speed) < 1.0 / 64.0:
        speed = 1.0 / 64.0 if speed >= 0.0 else -1.0 / 64.0
    transpose = 0.0
    if midi is not None and "note" in c:
        transpose = midi - 36.0
    row[L.R_RATE] = speed * 2.0 ** (transpose / 12.0)
    row[L.R_LOOP] = 1.0 if given(c, "loop", 0.0, 0.0, 1.0) > 0.0 else 0.0
    if row[L.R_END] < row[L.R_BEGIN]:
        row[L.R_BEGIN], row[L.R_END] = row[L.R_END], row[L.R_BEGIN]

    sync = given(c, "delaysync", 0.0, 0.0, 1.0) > 0.0
    row[L.R_DELAYSYNC] = 1.0 if sync else 0.0
    dmax = max_delay_s - 0.01
    if sync:
        row[L.R_DELAYTIME] = clamp(c.get("delaytime", 0.25), 0.25, 1.0 / 256.0, 64.0)
    else:
        row[L.R_DELAYTIME] = clamp(c.get("delaytime", 0.25), 0.25, 0.001, dmax)
    return np.array(row, dtype=np.float64)


DJF_LOW_HZ = 20.0
DJF_DEAD = 0.02    # around the middle the DJ filter is off


def _dj_filter(row: list[float], djf: float, nyq: float) -> None:
    """``djf``, one knob for a DJ mixer's filter: 0.5 is off, below it a low-pass closing
    to 20 Hz at 0, above it a high-pass opening to the top at 1 (exponential in Hz).
    Combines with ``cutoff``/``hcutoff`` (the more closing one wins)."""
    if djf < 0.5 - DJF_DEAD:
        fc = DJF_LOW_HZ * (nyq / DJF_LOW_HZ) ** (djf / (0.5 - DJF_DEAD))
        row[L.R_CUTOFF] = min(row[L.R_CUTOFF], fc) if row[L.R_CUTOFF] > 0.0 else fc
    elif djf > 0.5 + DJF_DEAD:
        fc = DJF_LOW_HZ * (nyq / DJF_LOW_HZ) ** ((djf - 0.5 - DJF_DEAD) / (0.5 - DJF_DEAD))
        row[L.R_HCUTOFF] = max(row[L.R_HCUTOFF], fc)


FILTER_ENV_KEYS = ("lpenv", "lpattack", "lpdecay", "lpsustain", "lprelease")
FILTER_ENV_DEFAULTS = (1.0, 0.005, 0.14, 0.0, 0.1)   # octaves, s, s, level, s (as Strudel)


def _filter_envelope(row: list[float], c: Mapping[str, Any]) -> None:
    """The low-pass filter envelope: on when the low-pass is and any of ``lpenv``,
    ``lpattack``, ``lpdecay``, ``lpsustain``, ``lprelease`` is set. The cutoff moves from
    ``cutoff`` to ``cutoff * 2**lpenv`` and back along its own ADSR (a negative depth
    sweeps down); in octaves, so it sounds the same at any cutoff."""
    if row[L.R_CUTOFF] <= 0.0 or not any(key in c for key in FILTER_ENV_KEYS):
        return
    depth, att, dec, sus, rel = FILTER_ENV_DEFAULTS
    row[L.R_FENV] = given(c, "lpenv", depth, -10.0, 10.0)
    row[L.R_FATT] = given(c, "lpattack", att, 0.0, 60.0)
    row[L.R_FDEC] = given(c, "lpdecay", dec, 0.0, 60.0)
    row[L.R_FSUS] = given(c, "lpsustain", sus, 0.0, 1.0)
    row[L.R_FREL] = given(c, "lprelease", rel, 0.0, 60.0)


def command_row(frame: int, kind: int, *, bus: int = 0, value: float = 0.0,
                key: int = 0) -> np.ndarray:
    """A control row (``K_CPS``, ``K_PANIC``, ``K_MUTE``, ``K_KILL``, ``K_FLUSH``,
    ``K_RELEASE``) for the ring."""
    row = np.zeros(L.ROW, dtype=np.float64)
    row[L.R_FRAME] = float(int(frame))
    row[L.R_KIND] = kind
    row[L.R_BUS] = bus
    row[L.R_VALUE] = value
    row[L.R_KEY] = float(int(key))
    return row


MAX_KEY = 1 << 40   # key ids are exact integers in a float64 slot


def hold(row: np.ndarray, key: int) -> np.ndarray:
    """Make the note ``row`` a held key (in place; returns it).

    Its gate stays open until a ``K_RELEASE`` row with the same bus and ``key`` (at
    most ``layout.MAX_AGE`` frames, then it releases on its own); ``R_DUR`` is ignored.
    Drums and samples without ``loop`` still play their own length.
    """
    if not 1 <= int(key) <= MAX_KEY:
        raise EngineError(f"a key id is an integer 1..{MAX_KEY}, got {key!r}")
    row[L.R_KEY] = float(int(key))
    return row


def release_row(frame: int, *, bus: int, key: int, all_notes: bool = False) -> np.ndarray:
    """The ``K_RELEASE`` row that closes the gate of held ``key`` on ``bus`` at ``frame``
    (``key = -1``: every held voice of the bus; ``bus = -1``: every bus). ``all_notes``
    (with ``key = -1``): every sounding note of the bus, held or not, except one-shots
    (a track removed: its notes end as if their keys were lifted)."""
    if not (int(key) == -1 or 1 <= int(key) <= MAX_KEY):
        raise EngineError(f"a key id is an integer 1..{MAX_KEY} (or -1 for all), got {key!r}")
    if all_notes and int(key) != -1:
        raise EngineError("all_notes releases every note of a bus: key must be -1")
    return command_row(frame, L.K_RELEASE, bus=bus, key=key, value=1.0 if all_notes else 0.0)

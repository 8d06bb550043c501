"""Build ``docs/reference.md``: every pattern function, method and control, from the code.

Run ``python -m livestudio.docs_reference`` to (re)write the file and
``python -m livestudio.docs_reference --check`` to exit with status 1 when it is out
of date. The page is made from ``livestudio.__all__`` and the ``Pattern`` methods:
each entry shows its signature (free function and method form) and the first paragraph
of its docstring, plus its first docstring example. Controls come from the tables in
:mod:`livestudio.patterns.controls` (names, aliases, ``:`` splits) and
:mod:`livestudio.engine.params` (units, ranges and defaults in the built-in engine).

This module only reads the library; nothing here changes how livestudio behaves.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import math
import re
import sys
from pathlib import Path
from typing import Any, Iterable

import livestudio
from livestudio.patterns import Pattern

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "reference.md"

# ---------------------------------------------------------------------------- groups
# Names of ``livestudio.__all__`` and of ``Pattern`` methods, by section. A free function
# and the method of the same name share an entry. A name in ``__all__`` that is in no
# group lands in "Other", so the page stays complete when the library grows.

GROUPS: list[tuple[str, str, list[str]]] = [
    ("constructors", "Constructors", [
        "pure", "silence", "steady", "mini", "reify", "stack", "cat", "slowcat", "fastcat",
        "seq", "sequence", "timecat", "time_cat", "stepcat", "polymeter", "polymeter_steps",
        "run", "scan", "signal", "layer", "superimpose",
    ]),
    ("time", "Time and structure", [
        "fast", "density", "slow", "sparsity", "early", "late", "rev", "segment", "compress",
        "fast_gap", "focus", "zoom", "linger", "ply", "hurry", "inside", "outside", "palindrome",
        "iter_", "iter_back", "repeat_cycles", "ribbon", "rib", "chunk", "chunk_back",
        "fast_chunk", "swing_by", "swing", "press_by", "press", "brak", "struct", "struct_all",
        "mask", "reset", "restart", "invert", "inv", "euclid", "euclid_rot", "euclid_off",
        "euclid_legato", "euclid_legato_rot", "euclid_pattern", "chop", "striate", "steps",
    ]),
    ("conditionals", "Conditionals and layering", [
        "every", "first_of", "last_of", "when", "off", "jux", "jux_by", "echo", "echo_with",
        "stut", "stut_with",
    ]),
    ("randomness", "Randomness", [
        "degrade", "degrade_by", "undegrade", "undegrade_by", "degrade_by_with", "sometimes",
        "sometimes_by", "often", "rarely", "almost_never", "almost_always", "never", "always",
        "some_cycles", "some_cycles_by", "choose", "choose_with", "choose_in_with",
        "choose_cycles", "randcat", "wchoose", "wchoose_with", "wchoose_cycles", "wrandcat",
        "shuffle", "scramble", "seeded_rand", "choose_by_cycle_seeded", "time_to_rand",
        "time_to_rands", "xorwise",
    ]),
    ("signals", "Signals (continuous patterns)", [
        "sine", "sine2", "cosine", "cosine2", "saw", "saw2", "isaw", "isaw2", "tri", "tri2",
        "square", "square2", "rand", "rand2", "irand", "brand", "brand_by", "perlin",
        "perlin_with", "randrun",
    ]),
    ("arithmetic", "Arithmetic and values", [
        "add", "sub", "mul", "div", "mod", "pow_", "set_", "keep", "keepif", "band", "bor",
        "bxor", "blshift", "brshift", "lt", "gt", "lte", "gte", "eq", "ne", "and_", "or_",
        "round_", "floor", "ceil", "range_", "rangex", "range2", "to_bipolar", "from_bipolar",
        "ratio", "js_truthy", "parse_numeral", "compose_values", "union_with",
    ]),
    ("controls", "Controls", ["control_pattern", "CONTROLS", "ALIASES"]),
    ("tonal", "Music theory", [
        "scale", "transpose", "scale_transpose", "voicing", "root_notes", "arp", "arp_with",
        "arp_order", "ARP_MODES", "SCALE_TYPE_NAMES", "CHORD_SYMBOLS", "note_to_midi",
        "midi_to_note", "note_name", "is_note", "parse_note", "transpose_note",
        "interval_semitones", "interval_from_semitones", "parse_interval", "get_scale",
        "scale_notes", "scale_step", "scale_offset", "nearest_scale_note",
        "scale_type_intervals", "render_voicing", "voicing_notes", "chord_root",
    ]),
    ("session", "Session settings", ["tempo", "quantize", "sync", "samples"]),
    ("midi", "MIDI", ["midi", "cc", "ccin", "midikeys"]),
    ("types", "Types and pattern internals (for writing your own functions)", [
        "Pattern", "Hap", "TimeSpan", "Time", "to_time", "is_pattern", "register",
    ]),
]

SECTION_INTROS: dict[str, str] = {
    "constructors": (
        "Make patterns from values. A string argument anywhere is mini-notation "
        "(`\"bd*2 [sn cp]\"`); a list is a sequence."),
    "time": (
        "Change where and how fast events happen. Every argument is patternable: "
        "`.fast(\"<1 2>\")` plays at speed 1, then 2."),
    "conditionals": "Apply a function some of the time, or stack transformed copies.",
    "randomness": (
        "Strudel's time-hashed random numbers: the same choices as Strudel 1.2.6 for the "
        "same pattern, so a pattern sounds the same on every run. Mini-notation `?` and `|` "
        "use these too."),
    "signals": (
        "Continuous patterns. A signal has no events of its own: give it as an argument "
        "(`.cutoff(sine.range(300, 3000))`), or sample it with `.segment(n)`. Ranges are "
        "0..1 unless the name ends in `2` (-1..1)."),
    "arithmetic": (
        "Operators combine a pattern's values with another pattern's, structure from the "
        "left. Each operator method has variants that take structure elsewhere: "
        "`pat.add.out(x)` (from the argument), `.mix` (both), `.squeeze` (a cycle of the "
        "argument squeezed into each event), `.squeeze_out`, `.trig`, `.trigzero`. On "
        "control dicts they work key by key: `n(\"0 2\").add(n(12))`."),
    "tonal": (
        "Scales, transposition, chord voicings and arpeggios with `@strudel/tonal`'s "
        "semantics. Where Strudel silently drops an event (an unknown scale or chord), "
        "livestudio raises a `TonalError` so the live session shows the mistake."),
    "session": (
        "Call these at the top level of a pattern file. `tempo`, `quantize` and `samples` "
        "apply at the same boundary as the tracks of that save; `sync` is read when "
        "`livestudio play` starts (changing it later takes a restart)."),
    "midi": (
        "Route events to MIDI gear, send CCs, read incoming CCs as a signal, and play an "
        "instrument from a MIDI keyboard (`midikeys`, with `livestudio play --midi-in PORT`). "
        "The controls MIDI reads are listed under [Controls](#controls)."),
    "types": (
        "What a pattern is made of, and the `Pattern` methods the library itself is "
        "built from. Useful when you write your own transformations with `register`."),
}

# free-function spellings that differ from the method name (a Python keyword/builtin)
_METHOD_NAME = {"iter_": "iter", "round_": "round", "range_": "range", "pow_": "pow",
                "set_": "set"}

# Pattern methods that are spellings of another entry
_METHOD_ALIASES = {"trans": "transpose", "strans": "scale_transpose",
                   "scale_trans": "scale_transpose"}

# signals without a docstring of their own
_SIGNAL_DOCS = {
    "cosine2": "Cosine between -1 and 1.",
    "saw2": "Sawtooth -1 → 1 every cycle.",
    "isaw2": "Inverse sawtooth 1 → -1 every cycle.",
    "square2": "Square wave: -1 for the first half of each cycle, 1 for the second.",
    "tri2": "Triangle 1 → -1 → 1 every cycle (`fastcat(isaw2, saw2)`, as in Strudel).",
    "rand2": "Random signal in `[-1, 1)` (`rand` scaled).",
}

# names whose docstring does not describe them for a musician (constants, a re-export)
_DOC_OVERRIDES = {
    "Time": "An exact rational number of cycles (a `quicktions.Fraction`); see `to_time`.",
    "ARP_MODES": "The arp mode names (a tuple); listed under [Arp modes](#arp-modes).",
    "SCALE_TYPE_NAMES": "The scale type names (a tuple); listed under [Scale types](#scale-types).",
    "query": "The pattern's query function: `pat.query(span)` gives the haps active in a `TimeSpan`.",
    "CHORD_SYMBOLS": ("The chord symbols of the default voicing dictionary (a tuple); listed "
                      "under [Chord symbols](#chord-symbols)."),
}

# ---------------------------------------------------------------------- control notes
# What each control does. "engine" notes describe livestudio's own synth engine
# (engine/params.py encode(), the scheduler); other layers are named explicitly.
# Ranges and defaults of the plain controls are appended from params._PLAIN.

_ENGINE_NOTES: dict[str, str] = {
    "s": ("Instrument or sample folder. Built-in instruments are listed under "
          "[Instruments](#instruments); any other name is a sample folder (error when no "
          "sample root has it). `\"name:3\"` picks file 3. A sample folder named like a "
          "built-in drum (`bd`, `sd`, `hh`, ...) wins over the synthesized drum. Default `sine`."),
    "lpenv": ("Low-pass envelope depth in octaves (default 1 when any `lp*` envelope control "
              "is set): the cutoff goes from `cutoff` to `cutoff × 2**lpenv` and back along "
              "its own ADSR (negative: sweeps down). Needs `cutoff`. Updated every 32 frames."),
    "lpattack": "Low-pass envelope attack in seconds (default 0.005).",
    "lpdecay": "Low-pass envelope decay in seconds (default 0.14).",
    "lpsustain": "Low-pass envelope sustain level 0..1 (default 0).",
    "lprelease": "Low-pass envelope release in seconds (default 0.1), from where the gate closes.",
    "cut": ("Cut group (an integer > 0, as in Tidal): a new note stops the sounding notes "
            "of the same group on the same track with a 5 ms fade (`s(\"hh*8, oh(3,8)\").cut(1)`: "
            "the closed hat chokes the open one)."),
    "djf": ("DJ filter, one knob 0..1: 0.5 is off, lower closes a low-pass (20 Hz at 0), "
            "higher opens a high-pass (to the top at 1); exponential in Hz, +-0.02 dead zone "
            "around the middle. Per note (`djf(ccin(1))` on a knob)."),
    "nudge": ("Seconds to shift the onset (SuperDirt): positive later, negative earlier, "
              "within +-1 s. An early nudge longer than the lookahead (100 ms) arrives late."),
    "midinote": "Pitch as a MIDI number (SuperDirt's name); `note` wins when both are set.",
    "delaysync": ("1: `delaytime` counts in cycles and follows the tempo (`0.1875` = a dotted "
                  "eighth); 0 (default): seconds."),
    "bank": ("Sample bank prefix, as in Strudel: `s(\"bd\").bank(\"RolandTR909\")` plays "
             "the sample folder `RolandTR909_bd`."),
    "n": ("Samples: which file of the folder (wraps around). Synths: the pitch as a MIDI "
          "number when neither `note` nor `freq` is set. After `.scale(...)`: a scale degree."),
    "note": ("Pitch: a MIDI number or a note name (`c4` = 60, `eb2`, `f#3`; octave 3 when "
             "omitted), clamped to -24..160; default MIDI 36 (C2). Samples and drums: "
             "transposes by `note - 36` semitones. Wins over `n`."),
    "freq": "Pitch in Hz, wins over `note` and `n`; 0.01 Hz .. 0.45 × sample rate.",
    "gain": "Linear level, 0..8, default 1. The voice level is `gain × velocity × amp × postgain`.",
    "velocity": ("Linear level factor, 0..4, default 1. MIDI: 0..1 × `gain` → velocity "
                 "1..127 (default 0.9)."),
    "amp": "Linear level factor, 0..8, default 1.",
    "postgain": "Linear level factor, 0..8, default 1.",
    "pan": "Stereo position 0 (left) .. 1 (right), equal power.",
    "cutoff": "Low-pass filter cutoff in Hz (20 Hz .. 0.45 × sample rate); absent = no filter.",
    "resonance": ("Low-pass resonance 0..1 (Tidal's scale), mapped to Q = 0.707 × 2^(5r): "
                  "0 is Butterworth, 1 is Q 22.6. Default 0."),
    "hcutoff": "High-pass filter cutoff in Hz (20 Hz .. 0.45 × sample rate); absent = no filter.",
    "hresonance": "High-pass resonance 0..1, mapped like `resonance`.",
    "bandf": "Band-pass centre frequency in Hz; absent = no band-pass.",
    "bandq": "Band-pass Q.",
    "attack": ("Envelope attack in seconds (0..60). Defaults: synths 0.001, samples and "
               "drums 0."),
    "decay": "Envelope decay in seconds (0..60). Defaults: synths 0.05, samples and drums 0.",
    "sustain": ("Envelope sustain *level* 0..1 (as in Strudel). Defaults: synths 0.6, "
                "samples and drums 1. MIDI: an explicit note length in seconds."),
    "release": ("Envelope release in seconds (0..60). Defaults: synths 0.01, samples 0.002, "
                "drums 0.005."),
    "legato": ("Note length as a share of the event's length (default 1): synths hold the "
               "gate, MIDI holds the note for `event length × legato`."),
    "duration": ("Note length in seconds; the scheduler sets it from the event's length and "
                 "`legato` (a value set in a pattern is replaced)."),
    "speed": ("Playback rate of samples and drums, -16..16 (at least 1/64 in size); negative "
              "plays backwards. Default 1."),
    "begin": "Sample start as a share of the file.",
    "end": "Sample end as a share of the file (swapped with `begin` when smaller).",
    "loop": ("Greater than 0: loop the sample between `begin` and `end` for the note's "
             "duration (otherwise samples play to `end` and ignore the note length)."),
    "room": "Reverb send of the voice to its track's bus.",
    "size": "Reverb room size of the bus (the latest event that sends to it sets it).",
    "delay": "Delay send of the voice to its track's bus.",
    "delaytime": ("Delay time of the bus in seconds (0.001 .. about 2 s), default 0.25. "
                  "The latest event that sends to the bus sets it."),
    "delayfeedback": "Delay feedback of the bus.",
    "shape": "Waveshaping distortion amount (0 = off).",
    "crush": "Bit crusher: bit depth, active from 1 (0 = off).",
    "coarse": "Sample-rate reduction: keep every Nth sample (0 or 1 = off).",
    "pw": "Pulse width of `square`/`pulse`.",
    "detune": "Supersaw: total spread of the unison voices in semitones.",
    "voices": "Supersaw: number of unison voices (the engine's `unison` slot).",
    "fmi": "FM synth (`s(\"fm\")`): modulation index.",
    "fmh": "FM synth: modulator/carrier frequency ratio (harmonicity).",
    "fmattack": "FM synth: attack of the modulation-index envelope, seconds.",
    "fmdecay": "FM synth: decay of the modulation-index envelope, seconds.",
    "fmsustain": "FM synth: sustain level of the modulation-index envelope.",
    "fmrelease": "FM synth: release of the modulation-index envelope, seconds.",
    "orbit": ("Bus number. In `play` and `render` every track plays on a bus of its own "
              "(its level, mute and stem), which replaces this value."),
    "midichan": "MIDI channel 1..16 (default 1). Set by `.midi(channel=...)`.",
    "midiport": ("MIDI output port, matched by substring (`livestudio devices` lists them). "
                 "Set by `.midi(port=...)`; an event with it goes to MIDI, not the synth."),
    "target": "`\"midi\"` routes the event to MIDI (what `.midi()` sets).",
    "ccn": "MIDI: controller number sent with `ccv` before the note.",
    "ccv": "MIDI: controller value (an int is raw 0..127; a float 0..1 is scaled to 0..127).",
    "chord": "Chord symbol read by `.voicing()` (`\"<C Am7 F^7 G7>\"`).",
    "dict": "Voicing dictionary for `.voicing()` (method only: `dict` is a Python builtin).",
    "mode": "Voicing mode for `.voicing()`.",
    "anchor": "Voicing anchor note for `.voicing()` (and for `.scale()` degrees).",
    "offset": "Voicing offset for `.voicing()`.",
    "channel": "Read as the MIDI channel by the UI and the MIDI file writer when `midichan` is absent.",
}

# controls the built-in engine and the MIDI layer do not read (kept in the event)
_NOT_USED_NOTE = "Accepted (Strudel name); not used by the built-in engine or MIDI yet."

# ------------------------------------------------------------------------ utilities


def _md(text: str) -> str:
    """reST-flavoured docstring text -> Markdown (``x`` -> `x`, :func:`x` -> `x`)."""
    text = re.sub(r":(?:func|meth|class|mod|attr|data|exc):`~?([^`]+)`",
                  lambda m: "`" + m.group(1).split(".")[-1] + "`"
                  if m.group(0).find("~") >= 0 else "`" + m.group(1) + "`", text)
    text = text.replace("``", "`")
    return text


def _split_doc(doc: str) -> tuple[str, str | None]:
    """The first paragraph (one line) and the first ``>>>`` example block of a docstring."""
    doc = inspect.cleandoc(doc or "")
    paragraphs = re.split(r"\n\s*\n", doc.strip()) if doc.strip() else []
    first = ""
    if paragraphs and not paragraphs[0].lstrip().startswith(">>>"):
        first = " ".join(line.strip() for line in paragraphs[0].splitlines())
    example = None
    for para in paragraphs:
        if para.lstrip().startswith(">>>"):
            example = para.strip("\n")
            break
    return _md(first), example


def _attribute_docs(module_names: Iterable[str]) -> dict[str, str]:
    """Module-level ``name = ...`` followed by a string literal: name -> that string."""
    docs: dict[str, str] = {}
    for name in module_names:
        module = importlib.import_module(name)
        try:
            tree = ast.parse(inspect.getsource(module))
        except (OSError, TypeError):
            continue
        body = tree.body
        for stmt, nxt in zip(body, body[1:]):
            targets: list[ast.expr] = []
            if isinstance(stmt, ast.Assign):
                targets = list(stmt.targets)
            elif isinstance(stmt, ast.AnnAssign):
                targets = [stmt.target]
            if (targets and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
                    and isinstance(nxt.value.value, str)):
                for target in targets:
                    if isinstance(target, ast.Name):
                        docs.setdefault(target.id, nxt.value.value)
    return docs


def _unwrap(func: Any) -> Any:
    """The function ``register`` wrapped (it holds the real parameter names)."""
    seen = 0
    while seen < 4:
        seen += 1
        try:
            nonlocals = inspect.getclosurevars(func).nonlocals
        except (TypeError, ValueError):
            return func
        inner = nonlocals.get("method") or nonlocals.get("fn")
        if inner is None or not callable(inner):
            return func
        func = inner
    return func


def _params(func: Any) -> list[inspect.Parameter] | None:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]


def _sig_text(name: str, params: list[inspect.Parameter]) -> str:
    sig = inspect.Signature(params)
    return f"{name}{sig}"


def _method_of(name: str) -> tuple[str, Any] | None:
    mname = _METHOD_NAME.get(name, name)
    attr = inspect.getattr_static(Pattern, mname, None)
    if attr is None or mname.startswith("_"):
        return None
    return mname, attr


def _method_sig(mname: str, attr: Any, free_params: list[inspect.Parameter] | None) -> str:
    """``pat.name(args)`` for a method (``self`` dropped)."""
    if type(attr).__name__ == "_OpDescriptor":
        return f"pat.{mname}(other)"
    func = attr.fget if isinstance(attr, property) else attr
    params = _params(func)
    if params and params[0].name == "self":
        params = params[1:]
    if (params and len(params) == 1 and params[0].kind is inspect.Parameter.VAR_POSITIONAL
            and params[0].name == "args" and free_params is not None):
        # registered method: the free function's parameters minus the pattern
        params = [p for p in free_params if p.name != "pat"]
    if params is None:
        return f"pat.{mname}(...)"
    return "pat." + _sig_text(mname, params)


def _is_pattern(obj: Any) -> bool:
    return isinstance(obj, Pattern)


# ---------------------------------------------------------------------- the entries


class _Entry:
    def __init__(self, names: list[str], sigs: list[str], summary: str, example: str | None,
                 extra: str = "") -> None:
        self.names = names
        self.sigs = sigs
        self.summary = summary
        self.example = example
        self.extra = extra

    def render(self) -> str:
        head = " · ".join(f"`{n}`" for n in self.names)
        lines = [f"#### {head}", ""]
        if self.sigs:
            lines += [" · ".join(f"`{s}`" for s in self.sigs), ""]
        if self.summary:
            lines += [self.summary, ""]
        if self.extra:
            lines += [self.extra, ""]
        if self.example:
            lines += ["```python", self.example, "```", ""]
        return "\n".join(lines)


def _entry(name: str, attr_docs: dict[str, str]) -> _Entry:
    public = name in livestudio.__all__
    obj = getattr(livestudio, name) if public else None
    method = _method_of(name)
    sigs: list[str] = []
    doc = ""
    free_params = None
    if public and callable(obj) and not isinstance(obj, type) and not _is_pattern(obj):
        real = _unwrap(obj)
        free_params = _params(real)
        if free_params is not None:
            sigs.append(_sig_text(name, free_params))
        doc = inspect.getdoc(obj) or ""
    elif public and isinstance(obj, type):
        params = _params(obj) if obj is not livestudio.Time else None
        if params is not None:
            sigs.append(_sig_text(name, params))
        doc = obj.__doc__ or ""
    elif public:
        sigs.append(name)
        doc = attr_docs.get(name, "") or _SIGNAL_DOCS.get(name, "")
    if method is not None and (not public or not isinstance(obj, type)):
        mname, attr = method
        if not _is_pattern(obj):
            sigs.append(_method_sig(mname, attr, free_params))
        if not doc:
            func = attr.fget if isinstance(attr, property) else attr
            doc = getattr(func, "__doc__", "") or ""
    doc = _DOC_OVERRIDES.get(name) or doc or _SIGNAL_DOCS.get(name, "")
    if doc.startswith("Free form of") and method is not None:
        attr = method[1]
        func = attr.fget if isinstance(attr, property) else attr
        method_doc = inspect.getdoc(func) or ""
        if method_doc:
            doc = method_doc
    summary, example = _split_doc(doc)
    names = [name]
    aliases = [a for a, target in _METHOD_ALIASES.items() if target == name]
    extra = ""
    if aliases:
        extra = "Also spelled " + ", ".join(f"`pat.{a}(...)`" for a in aliases) + "."
    return _Entry(names, sigs, summary, example, extra)


def _merge_aliases(entries: list[tuple[str, _Entry, Any]]) -> list[_Entry]:
    """Entries whose object is the same function (``fast``/``density``) become one."""
    out: list[_Entry] = []
    by_key: dict[Any, _Entry] = {}
    for name, entry, key in entries:
        if key is not None and key in by_key:
            first = by_key[key]
            first.names.append(name)
            first.sigs += [s for s in entry.sigs if s not in first.sigs]
            continue
        if key is not None:
            by_key[key] = entry
        out.append(entry)
    return out


def _identity(name: str) -> Any:
    """A key shared by names that are the same function (None: never merged)."""
    if name not in livestudio.__all__:
        return None
    obj = getattr(livestudio, name)
    if not callable(obj) or isinstance(obj, (type, Pattern)):
        return None
    return id(_unwrap(obj))


# ------------------------------------------------------------------------- controls


def _control_rows() -> list[tuple[str, str, str, str]]:
    from livestudio.engine import params as P
    from livestudio.patterns import controls as C

    aliases: dict[str, list[str]] = {}
    for alias, canon in C.ALIASES.items():
        aliases.setdefault(canon, []).append(alias)
    rows = []
    for canon in C.CONTROLS:
        names = [canon] + aliases.get(canon, [])
        spelled = []
        for n in names:
            free = n in C.__all__
            spelled.append(f"`{n}`" + ("" if free else " (method)"))
        split = C._SPLIT.get(canon)
        split_text = ":".join(split) if split else ""
        note = _ENGINE_NOTES.get(canon, "")
        key = canon
        if canon == "voices":
            key = "unison"
        plain = P._PLAIN.get(key)
        if plain is not None:
            _, default, low, high = plain
            note = (note + " " if note else "") + f"Range {_num(low)}..{_num(high)}, default {_num(default)}."
        if not note:
            note = _NOT_USED_NOTE
        rows.append((", ".join(spelled), split_text, note, canon))
    return rows


def _num(x: float) -> str:
    if isinstance(x, float) and math.isfinite(x) and x.is_integer():
        return str(int(x))
    return f"{x:g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _controls_section() -> str:
    from livestudio.engine import params as P
    from livestudio.patterns import controls as C

    out = [
        "Each control is a free function that makes a pattern of control values "
        "(`s(\"bd sn\")` gives `{'s': 'bd'}`, `{'s': 'sn'}`) and a method that sets it on a "
        "pattern, structure from the left (`n(\"0 1\").s(\"piano\")`). Every argument may "
        "be a pattern, a signal or mini-notation. Without an argument the method turns the "
        "pattern's own values into the control (`mini(\"c3 e3\").note()`).",
        "",
        "A `:` list in a value is split over several controls (`s(\"bd:3\")` sets `s` and "
        "`n`; `lpf(\"800:0.5\")` sets `cutoff` and `resonance`). Names marked "
        "(method) exist only as methods (`dict` would shadow a Python builtin; camelCase "
        "names have snake_case aliases that are also free functions).",
        "",
        "The last column says what livestudio's built-in engine does with the control "
        "(from `engine/params.py`: units, ranges, defaults; values outside the range are "
        "clamped, NaN takes the default) and what MIDI output reads. Controls marked "
        "*not used* are accepted for compatibility with Strudel patterns and carried in the "
        "event, but nothing in livestudio reads them yet.",
        "",
        "| control (aliases) | `:` splits into | what it does |",
        "|---|---|---|",
    ]
    for names, split, note, _canon in _control_rows():
        out.append(f"| {_cell(names)} | {_cell(split)} | {_cell(note)} |")
    out += ["", "#### Instruments", "",
            "Values of `s` the engine synthesizes itself (any other name is a sample folder):", "",
            "| instrument | names |", "|---|---|"]
    by_id: dict[int, list[str]] = {}
    for name, ident in P.INSTRUMENTS.items():
        by_id.setdefault(ident, []).append(name)
    kinds = {P.I_SINE: "sine oscillator", P.I_TRI: "triangle oscillator",
             P.I_SAW: "sawtooth oscillator (band-limited)",
             P.I_SQUARE: "pulse oscillator (width `pw`)",
             P.I_SUPERSAW: "detuned saw stack (`voices`, `detune`)",
             P.I_FM: "two-operator FM (`fmi`, `fmh`, `fmattack`...)",
             P.I_WHITE: "white noise", P.I_PINK: "pink noise"}
    for ident in sorted(by_id):
        if ident in P.DRUMS:
            length = P.DRUM_LENGTH.get(ident)
            kind = f"synthesized drum ({_num(length)} s)" if length is not None else "synthesized drum"
        else:
            kind = kinds.get(ident, "")
        out.append(f"| {kind} | {', '.join(f'`{n}`' for n in by_id[ident])} |")
    out += ["",
            "Drums play their own length; synths hold for the note length then release; "
            "samples play from `begin` to `end` unless `loop` is set.",
            "",
            "The engine also reads `delaysync` (no control function: set it with "
            "`.set({'delaysync': 1})`): then `delaytime` is in cycles (1/256..64) and follows "
            "the tempo. MIDI output also reads `progNum`/`program`, `midibend` (-1..1), "
            "`miditouch` (0..1) and `midimap`, likewise without control functions.",
            ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------- tonal


def _tonal_tables() -> str:
    from livestudio.patterns.tonal import methods as M

    out = ["#### Scale types", "",
           "Any of these after the root (`\"C:minor\"`, `\"F#4:major pentatonic\"`):", "",
           ", ".join(f"`{n}`" for n in livestudio.SCALE_TYPE_NAMES), "",
           "#### Arp modes", "",
           "For `.arp(...)` by name and `arp_order`: "
           + ", ".join(f"`{m}`" for m in livestudio.ARP_MODES) + ".", "",
           "#### Voicing dictionaries", "",
           "Chosen with `.dict(name)` before `.voicing()`: "
           + ", ".join(f"`{d}`" for d in M._DICTIONARIES) + ".", "",
           "#### Chord symbols", "",
           "The symbols of the default (`ireal`) dictionary, after a root (`C`, `F#`, `Bb`): "
           + ", ".join(f"`{c}`" if c else "`` (major triad)" for c in livestudio.CHORD_SYMBOLS)
           + ".", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------- build


def _all_method_names() -> list[str]:
    from livestudio.patterns import controls as C

    control_names = set(C.CONTROLS) | set(C.ALIASES)
    names = []
    for name in dir(Pattern):
        if name.startswith("_") or name in control_names:
            continue
        names.append(name)
    return names


def build() -> str:
    """The text of ``docs/reference.md``."""
    attr_docs = _attribute_docs([
        "livestudio.patterns.signals", "livestudio.patterns.pattern",
        "livestudio.patterns.randomness", "livestudio.patterns.controls",
        "livestudio.patterns.tonal.arp", "livestudio.patterns.tonal.scales",
        "livestudio.patterns.tonal.voicings",
    ])
    grouped = {n for _, _, names in GROUPS for n in names}
    free_method = {_METHOD_NAME.get(n, n) for n in grouped}
    from livestudio.patterns import controls as C
    control_free = set(C.__all__) - {"cc", "midi", "control_pattern", "CONTROLS", "ALIASES"}
    others = [n for n in livestudio.__all__ if n not in grouped and n not in control_free]
    # Pattern methods that no group names: the internals section takes them
    internals = [m for m in _all_method_names()
                 if m not in grouped and m not in free_method and m not in _METHOD_ALIASES]

    parts = [
        "# livestudio reference",
        "",
        "<!-- Generated by `python -m livestudio.docs_reference` from the docstrings and "
        "tables in src/livestudio. Do not edit by hand: change the code, then regenerate "
        "(`tests/test_docs_reference.py` fails when this page is out of date). -->",
        "",
        "Everything `from livestudio import *` gives a pattern file, by topic. Names are "
        "Strudel's in snake_case (`fastGap` → `fast_gap`, `sometimesBy` → `sometimes_by`). "
        "Most functions exist twice: as a free function with the pattern **last** "
        "(`fast(2, pat)`; with the pattern left out it returns a function of the pattern, "
        "handy for `every(4, fast(2))`), and as a method (`pat.fast(2)`). Arguments of "
        "methods may be patterns or mini-notation strings. A trailing `_` marks a name that "
        "would shadow Python (`iter_`, `range_`, `round_`, `pow_`, `set_`); the methods "
        "have no underscore (`.iter(4)`, `.range(200, 800)`).",
        "",
        "## Contents",
        "",
    ]
    sections: list[tuple[str, str, list[str]]] = list(GROUPS)
    if others:
        sections.append(("other", "Other", others))
    for key, title, _names in sections:
        parts.append(f"- [{title}](#{_anchor(title)})")
    parts.append("")

    for key, title, names in sections:
        parts += [f"## {title}", ""]
        if key in SECTION_INTROS:
            parts += [SECTION_INTROS[key], ""]
        if key == "controls":
            parts += [_controls_section(), ""]
        if key == "types":
            names = names + internals
        triples = []
        for name in names:
            if name not in livestudio.__all__ and _method_of(name) is None:
                continue  # a method that no longer exists
            triples.append((name, _entry(name, attr_docs), _identity(name)))
        for entry in _merge_aliases(triples):
            parts.append(entry.render())
        if key == "tonal":
            parts += [_tonal_tables(), ""]
    text = "\n".join(parts)
    text = re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
    return text


def _anchor(title: str) -> str:
    text = title.lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    """Write the reference, or with ``--check`` report whether it is current."""
    parser = argparse.ArgumentParser(prog="python -m livestudio.docs_reference",
                                     description="Generate docs/reference.md from the code.")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the file is missing or out of date; write nothing")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"the file to write (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    text = build()
    path: Path = args.output
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            print(f"{path} is out of date: run `python -m livestudio.docs_reference`",
                  file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

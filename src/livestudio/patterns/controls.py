"""Controls: the named parameters a pattern's values carry to the engine or MIDI.

Each control is a free function that makes a control pattern (``s("bd sn")`` gives
``{"s": "bd"}``, ``{"s": "sn"}``) and a chainable method that sets the control on an
existing pattern, taking structure from the left (``n("0 1").s("piano")``). Every
argument may be a pattern or mini-notation. Aliases follow Strudel (``lpf`` is
``cutoff``, ``lpq`` is ``resonance``, ``hpf`` is ``hcutoff``...).

``s("bd:3")`` splits a ``:`` list into ``s``, ``n`` and ``gain`` (likewise ``note``:
note, n; ``lpf``: cutoff, resonance, lpenv; ``delay``: delay, delaytime,
delayfeedback; ``room``: room, size; ...). ``.cc(74, x)`` sets
``{"cc": {74: x}}`` and merges with CCs set earlier; ``.midi(port=..., channel=...)``
routes to MIDI (``target="midi"``, ``midiport``, ``midichan``).

>>> [h.value for h in s("bd:3 sn").first_cycle()]
[{'s': 'bd', 'n': 3}, {'s': 'sn'}]
>>> [h.value for h in n("0 1").s("piano").first_cycle()]
[{'n': 0, 's': 'piano'}, {'n': 1, 's': 'piano'}]
"""

from __future__ import annotations

from typing import Any, Callable

from livestudio.errors import PatternError
from livestudio.patterns.pattern import Pattern, reify, sequence

# control -> names a ':' list value is split into (the first is the control itself),
# as Strudel registers its multi-name controls
_SPLIT: dict[str, tuple[str, ...]] = {
    "s": ("s", "n", "gain"),
    "note": ("note", "n"),
    "cutoff": ("cutoff", "resonance", "lpenv"),
    "hcutoff": ("hcutoff", "hresonance", "hpenv"),
    "bandf": ("bandf", "bandq", "bpenv"),
    "delay": ("delay", "delaytime", "delayfeedback"),
    "room": ("room", "size"),
    "fmi": ("fmi", "fmh"),
    "fmh": ("fmh", "fmi"),
    "vibmod": ("vibmod", "vib"),
}

CONTROLS: tuple[str, ...] = (
    "s", "n", "note", "freq", "gain", "velocity", "amp", "pan", "cutoff", "resonance",
    "hcutoff", "hresonance", "bandf", "bandq", "attack", "decay", "sustain", "release",
    "legato", "speed", "begin", "end", "loop", "room", "size", "delay", "delaytime",
    "delayfeedback", "delaysync", "shape", "crush", "coarse", "orbit", "channel", "midichan", "midiport",
    "target", "vowel", "unit", "cut", "detune", "voices", "pw", "fmi", "fmh", "chord",
    "ccn", "ccv", "postgain", "distort", "dry", "lpenv", "hpenv", "bpenv", "clip", "duration",
    "octave", "dict", "mode", "anchor", "offset", "bank", "accelerate", "hold", "djf",
    "phaser", "phaserdepth", "vib", "vibmod", "tremolo", "lpattack", "lpdecay", "lpsustain",
    "lprelease", "hpattack", "hpdecay", "hpsustain", "hprelease", "penv", "pattack", "pdecay",
    "prelease", "squiz", "nudge", "compressor", "midinote", "loopBegin", "loopEnd",
    "fmattack", "fmdecay", "fmsustain", "fmrelease", "fmenv", "fmwave", "lfo", "leslie",
    "waveloss", "ring", "ringf", "ringdf",
)
"""Every control name (canonical spelling; also the key in the values)."""

ALIASES: dict[str, str] = {
    "sound": "s", "lpf": "cutoff", "ctf": "cutoff", "lp": "cutoff", "lpq": "resonance",
    "res": "resonance", "hpf": "hcutoff", "hp": "hcutoff", "hpq": "hresonance",
    "bpf": "bandf", "bp": "bandf", "bpq": "bandq", "att": "attack", "dec": "decay",
    "sus": "sustain", "rel": "release", "delayfb": "delayfeedback", "dfb": "delayfeedback",
    "delayt": "delaytime", "dt": "delaytime", "sz": "size", "roomsize": "size",
    "vel": "velocity", "midichannel": "midichan", "pulsewidth": "pw", "fm": "fmi",
    "ph": "phaser", "phd": "phaserdepth", "vmod": "vibmod", "lpa": "lpattack",
    "lpd": "lpdecay", "lps": "lpsustain", "lpr": "lprelease", "hpa": "hpattack",
    "hpd": "hpdecay", "hps": "hpsustain", "hpr": "hprelease", "loop_begin": "loopBegin",
    "loop_end": "loopEnd", "loopb": "loopBegin", "loope": "loopEnd",
}
"""Alternative names: alias -> canonical control name."""


def _make_value(name: str) -> Callable[[Any], Any]:
    """``v -> {name: v}``, as Strudel's control functions do.

    A ``:`` list is split over the control's names (``s``: s, n, gain; ``note``: note,
    n; ``cutoff``: cutoff, resonance, lpenv; ...). A dict value with a ``value`` key
    (a bare value combined with controls, say by ``hurry``) is unpacked: its other keys
    are kept and ``value`` becomes this control.
    """
    split = _SPLIT.get(name)

    def f(v: Any) -> Any:
        if isinstance(v, dict) and v.get("value") is not None:
            bag = {k: x for k, x in v.items() if k != "value"}
            v = v["value"]
        else:
            bag = {}
        if split is not None and isinstance(v, list):
            for key, x in zip(split, v):
                bag[key] = x
            return bag
        bag[name] = v
        return bag

    return f


def control_pattern(name: str, *args: Any) -> Pattern:
    """A pattern of ``{name: value}`` dicts from ``args`` (sequenced when several)."""
    if not args:
        raise PatternError(f"{name}() needs a value or a pattern")
    pat = reify(args[0]) if len(args) == 1 else sequence(*args)
    return pat.fmap(_make_value(name))


def _make_free(name: str, canonical: str) -> Callable[..., Pattern]:
    def free(*args: Any) -> Pattern:
        return control_pattern(canonical, *args)

    free.__name__ = name
    free.__qualname__ = name
    free.__doc__ = (f"Control ``{canonical}``: ``{name}(pattern)`` gives ``{{'{canonical}': v}}``"
                    f" values; ``pat.{name}(x)`` sets it on ``pat``.")
    return free


def _make_method(name: str, canonical: str) -> Callable[..., Pattern]:
    to_value = _make_value(canonical)

    def method(self: Pattern, *args: Any) -> Pattern:
        if not args:  # "c3 e3".note(): the pattern's own values become the control
            return self.fmap(to_value)
        return self.set(control_pattern(canonical, *args))  # type: ignore[attr-defined]

    method.__name__ = name
    method.__doc__ = (f"Set the ``{canonical}`` control (structure from this pattern); "
                      f"without an argument, turn the values into ``{canonical}``.")
    return method


# method-only controls: a free function would shadow a Python builtin
_METHOD_ONLY = {"dict"}

_FREE: dict[str, Callable[..., Pattern]] = {}
for _canon in CONTROLS:
    if _canon not in _METHOD_ONLY and _canon.islower():  # camelCase keys: snake aliases
        _FREE[_canon] = _make_free(_canon, _canon)
    setattr(Pattern, _canon, _make_method(_canon, _canon))
for _alias, _canon in ALIASES.items():
    _FREE[_alias] = _make_free(_alias, _canon)
    setattr(Pattern, _alias, _make_method(_alias, _canon))

globals().update(_FREE)


def cc(number: Any, value: Any) -> Pattern:
    """A MIDI CC control pattern: ``{"cc": {number: value}}`` (both patternable)."""
    return reify(number).fmap(lambda k: lambda v: {"cc": {int(k): v}}).app_left(reify(value))


def _merge_cc(a: Any, b: dict[str, Any]) -> Any:
    if not isinstance(a, dict):
        a = {"value": a}
    old = a.get("cc")
    merged = {**(old if isinstance(old, dict) else {}), **b["cc"]}
    return {**a, "cc": merged}


def _cc_method(self: Pattern, number: Any, value: Any) -> Pattern:
    """Set MIDI CC ``number`` to ``value``; several ``.cc`` calls merge.

    >>> [h.value for h in n(0).cc(74, 64).cc(1, 10).first_cycle()]
    [{'n': 0, 'cc': {74: 64, 1: 10}}]
    """
    return self.fmap(lambda a: lambda b: _merge_cc(a, b)).app_left(cc(number, value))


Pattern.cc = _cc_method  # type: ignore[attr-defined]


def _midi_method(self: Pattern, port: Any = None, channel: Any = None) -> Pattern:
    """Route to MIDI: sets ``target="midi"``, and ``midiport``/``midichan`` when given.

    >>> [h.value for h in note(60).midi(port="MicroFreak", channel=1).first_cycle()]
    [{'note': 60, 'target': 'midi', 'midiport': 'MicroFreak', 'midichan': 1}]
    """
    pat = self.target("midi")  # type: ignore[attr-defined]
    if port is not None:
        pat = pat.midiport(pure_or_pattern(port))
    if channel is not None:
        pat = pat.midichan(channel)
    return pat


def pure_or_pattern(x: Any) -> Any:
    """A port name is used as it is (not parsed as mini-notation)."""
    from livestudio.patterns.pattern import pure

    if isinstance(x, str):
        return pure(x)
    return x


Pattern.midi = _midi_method  # type: ignore[attr-defined]


def _target_method(self: Pattern, name: Any) -> Pattern:
    """Route the events to an output by name (sets the ``target`` control)."""
    return self.set(control_pattern("target", pure_or_pattern(name)))  # type: ignore[attr-defined]


Pattern.target = _target_method  # type: ignore[attr-defined]


def midi(pat: Any, *, port: Any = None, channel: Any = None) -> Pattern:
    """Free form of :meth:`Pattern.midi`."""
    return _midi_method(reify(pat), port=port, channel=channel)


__all__ = sorted([*_FREE, "cc", "midi", "control_pattern", "CONTROLS", "ALIASES"])

"""``midikeys``: the notes of a MIDI keyboard as a track, styled like any other.

A keys track does not make events of its own: it is a continuous pattern whose value
at any moment is the *patch* the keyboard plays (instrument, filter, envelope,
effects), marked with the ``midikeys`` control. Whoever plays the file (the live
session) samples the patch as time goes on and plays each key pressed with the patch
of that moment; an offline render has no keyboard and leaves the track silent.

>>> patch = midikeys(channel=2).s("supersaw").cutoff(1200).release(0.4)
>>> value = patch.query_arc(0, 0.001)[0].value
>>> keys_spec(value), value["s"], value["cutoff"]
(KeySpec(channel=2, port=None, transpose=0), 'supersaw', 1200)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from livestudio.errors import PatternError
from livestudio.patterns.pattern import Pattern
from livestudio.patterns.signals import signal

KEYS = "midikeys"
"""The control that marks a hap value as a keys patch (its value is a :class:`KeySpec`)."""


@dataclass(frozen=True)
class KeySpec:
    """Which keys a keys track plays: a MIDI channel, an input port, a transposition."""

    channel: int | None = None   # 1..16; None: every channel
    port: str | None = None      # case-insensitive substring of the input port name; None: any
    transpose: int = 0           # semitones added to every key


def midikeys(*, channel: int | None = None, port: str | None = None, transpose: int = 0) -> Pattern:
    """The notes played on a MIDI keyboard (``livestudio play --midi-in PORT``) as a
    track you style like any other: each key pressed plays the track's patch of that
    moment and is held until the key is released. ``channel`` (1..16) and ``port`` (part
    of the input's name) pick the keys; ``transpose`` shifts them (semitones).

    The controls are sampled as the music goes on, so ``.cutoff(sine.range(800,
    3000).slow(8))`` sweeps from one key press to the next (a sounding voice keeps the
    patch it started with). The key sets ``note`` and its velocity (1..127, as 0..1)
    multiplies ``velocity``; the release stage starts when the key goes up (or the
    sustain pedal, CC 64, goes up). Drums and samples without ``loop`` play their own
    length. Several keys tracks may listen to the same keys (a layer) or to different
    channels (a split). Mute or solo the track as usual; muting or removing it releases
    the keys it holds. Offline renders leave it silent.

    >>> lead = midikeys(channel=1).s("supersaw").cutoff(2000).attack(0.01).release(0.4)
    """
    if channel is not None and (isinstance(channel, bool) or not isinstance(channel, int)
                                or not 1 <= channel <= 16):
        raise PatternError(f"midikeys(channel=...) takes a MIDI channel 1..16, got {channel!r}")
    if port is not None and (not isinstance(port, str) or not port.strip()):
        raise PatternError(f"midikeys(port=...) takes part of an input port's name, got {port!r}")
    if isinstance(transpose, bool) or not isinstance(transpose, int) or not -48 <= transpose <= 48:
        raise PatternError(f"midikeys(transpose=...) takes whole semitones -48..48, got {transpose!r}")
    spec = KeySpec(channel, None if port is None else port.strip(), transpose)
    return signal(lambda _t: {KEYS: spec})


def keys_spec(value: Any) -> KeySpec | None:
    """The :class:`KeySpec` of a hap value that is a keys patch, else None."""
    if isinstance(value, Mapping):
        spec = value.get(KEYS)
        if isinstance(spec, KeySpec):
            return spec
    return None


__all__ = ["midikeys"]

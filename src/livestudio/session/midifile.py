"""Write a session's notes as a standard MIDI file, one MIDI track per livestudio track.

Pitched events (``note``/``n``/``freq``) keep their pitch; synthesized drums map to the
General MIDI drum notes on channel 10 (``bd`` 36, ``sd`` 38, ...). Events with neither
(a sample played by file index) are left out and counted. Velocity comes from
``velocity`` (times ``gain`` when both are set); the channel from ``midichan`` or
``channel`` (1-16). The tempo map goes into the first track.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import mido

from livestudio.engine.params import note_to_midi
from livestudio.errors import EngineError
from livestudio.session.scheduler import ScheduledEvent
from livestudio.session.settings import BEATS_PER_CYCLE

TICKS_PER_BEAT = 480
GM_DRUMS: dict[str, int] = {"bd": 36, "rim": 37, "sd": 38, "cp": 39, "hh": 42, "lt": 45,
                            "oh": 46, "mt": 47, "ht": 50}


def event_pitch(controls: dict[str, Any]) -> int | None:
    """The MIDI note number of an event, or None when it has no pitch."""
    if "freq" in controls:
        try:
            freq = float(controls["freq"])
        except (TypeError, ValueError):
            return None
        if freq > 0 and math.isfinite(freq):
            return int(round(69 + 12 * math.log2(freq / 440.0)))
        return None
    for key in ("note", "midinote", "n"):
        if key in controls and not (key == "n" and _is_sample(controls)):
            try:
                return int(round(note_to_midi(controls[key])))
            except EngineError:
                return None
    drum = controls.get("s")
    if isinstance(drum, str) and drum in GM_DRUMS:
        return GM_DRUMS[drum]
    return None


def _is_sample(controls: dict[str, Any]) -> bool:
    from livestudio.engine.params import INSTRUMENTS
    name = controls.get("s")
    return isinstance(name, str) and name not in INSTRUMENTS


def event_velocity(controls: dict[str, Any]) -> int:
    """MIDI velocity 1..127 from ``velocity`` and ``gain`` (default 100)."""
    level = 1.0
    found = False
    for key in ("velocity", "gain"):
        if key in controls:
            try:
                level *= float(controls[key])
                found = True
            except (TypeError, ValueError):
                pass
    if not found or not math.isfinite(level):
        return 100
    return int(min(127, max(1, round(level * 127))))


def event_channel(controls: dict[str, Any], default: int) -> int:
    """The 0-based MIDI channel from ``midichan``/``channel`` (1-16), else ``default``."""
    for key in ("midichan", "channel"):
        if key in controls:
            try:
                value = int(controls[key])
            except (TypeError, ValueError):
                continue
            if 1 <= value <= 16:
                return value - 1
    return default


def _ticks(cycle: Fraction) -> int:
    return int(round(cycle * BEATS_PER_CYCLE * TICKS_PER_BEAT))


def write_midi_file(path: str | Path, events: Iterable[ScheduledEvent], *,
                    track_names: Sequence[str], tempo_changes: Sequence[tuple[Fraction, Fraction]]) -> int:
    """Write the events to ``path``; ``tempo_changes`` lists (cycle, cps). Returns notes written."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    meta = mido.MidiTrack()
    meta.append(mido.MetaMessage("track_name", name="tempo", time=0))
    last = 0
    for cycle, cps in tempo_changes:
        tick = _ticks(cycle)
        bpm = float(cps) * 60 * BEATS_PER_CYCLE
        meta.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=tick - last))
        last = tick
    midi.tracks.append(meta)
    by_track: dict[str, list[ScheduledEvent]] = {name: [] for name in track_names}
    for event in events:
        by_track.setdefault(event.track, []).append(event)
    written = 0
    for index, name in enumerate(by_track):
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=name, time=0))
        default_channel = index % 16
        messages: list[tuple[int, int, mido.Message]] = []
        for event in by_track[name]:
            pitch = event_pitch(event.controls)
            if pitch is None or not 0 <= pitch <= 127:
                continue
            drum = isinstance(event.controls.get("s"), str) and event.controls["s"] in GM_DRUMS
            channel = 9 if drum and "note" not in event.controls else event_channel(event.controls, default_channel)
            legato = event.note_length_s() / event.duration_s if event.duration_s > 0 else 1.0
            start = _ticks(event.cycle)
            end = max(start + 1, _ticks(event.cycle + (event.cycle_end - event.cycle) * Fraction(legato).limit_denominator(1000)))
            velocity = event_velocity(event.controls)
            messages.append((start, 1, mido.Message("note_on", note=pitch, velocity=velocity, channel=channel)))
            messages.append((end, 0, mido.Message("note_off", note=pitch, velocity=0, channel=channel)))
            written += 1
        messages.sort(key=lambda m: (m[0], m[1]))
        now = 0
        for tick, _, message in messages:
            track.append(message.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    midi.save(str(path))
    return written

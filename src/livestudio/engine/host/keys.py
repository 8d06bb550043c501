"""Keys played live: MIDI note input -> held notes in the engine (engine process).

The front sends each keys track's current patch (``("keys", track_id, [KeyPatch])``,
sampled from its ``midikeys()`` pattern as the music goes on). :class:`KeyboardPlayer`
keeps them; the MIDI hub calls :meth:`KeyboardPlayer.on_note` (on rtmidi's thread) for
every key, and the player writes a held note (``params.hold``) per patch that listens
to the key's channel and port, stamped one audio block after the current frame (so it
sounds in the next block, at a constant latency); a key release (note-off or note-on
velocity 0) writes a ``K_RELEASE`` row for the same key id. Each press (per track) gets
a key id of its own, so a key pressed again before its release never cuts its new voice.

The sustain pedal (CC 64 >= 64) holds released keys until the pedal goes up; CC 123
(all notes off) and CC 120 (all sound off) release every key of their channel. Muting
or removing a keys track releases the keys it holds and ignores new ones; a panic
forgets every held key (the engine's panic has faded their voices).

The event ring has one consumer (the audio callback) and, with a keyboard, two
producers (the message thread and the MIDI thread): the :class:`KeyOutput` serializes
the producers with a lock on the Python side; the callback takes no lock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from livestudio.errors import LivestudioError

MIN_GATE_S = 0.005      # a tap shorter than this still sounds for this long
SUSTAIN_CC = 64
ALL_SOUND_OFF_CC = 120
ALL_NOTES_OFF_CC = 123
MAX_ERRORS = 20


@dataclass(frozen=True)
class KeyPatch:
    """One patch of a keys track, as the engine process gets it (plain, picklable)."""

    controls: dict[str, Any]   # the patch's controls; ``orbit`` is the track's bus
    channel: int = 0           # 1..16; 0: every channel
    port: str = ""             # a substring of the input port's name (any case); "": any
    transpose: int = 0         # semitones added to every key

    def takes(self, port: str, channel: int) -> bool:
        """Whether a key on ``channel`` of input ``port`` plays this patch."""
        return (self.channel in (0, channel)) and (not self.port or self.port.lower() in port.lower())


class KeyInput(Protocol):
    """A key (``livestudio.engine.midi.input.NoteInput``): velocity 0 is a release."""

    channel: int
    note: int
    velocity: int
    port: str


class ControlInput(Protocol):
    """A control change (``livestudio.engine.midi.input.ControlInput``)."""

    channel: int
    number: int
    value: int
    port: str


class KeyOutput(Protocol):
    """Where held notes go: the engine's event ring (``corebackend``)."""

    def check(self, controls: Mapping[str, Any]) -> None:
        """Raise :class:`LivestudioError` if ``controls`` cannot play (loads samples)."""

    def note(self, frame: int, controls: Mapping[str, Any], key: int) -> None:
        """Write a held note for ``key`` at ``frame`` (raises LivestudioError)."""

    def release(self, frame: int, bus: int, key: int) -> None:
        """Write the release of ``key`` on ``bus`` at ``frame``."""

    def next_frame(self) -> int:
        """The first frame of the next block the audio callback renders."""


@dataclass
class _Press:
    """The voices one key press started: (track, bus, key id) per patch, onset frame."""

    onset: int
    voices: list[tuple[int, int, int]] = field(default_factory=list)


KeyName = tuple[str, int, int]   # (port, channel, note)


class KeyboardPlayer:
    """Keys tracks' patches + MIDI keys in -> held notes and releases in the event ring."""

    def __init__(self, out: KeyOutput, *, frame_now: Callable[[], int], lead_frames: int,
                 sample_rate: int, min_gate_s: float = MIN_GATE_S) -> None:
        self.out = out
        self.frame_now = frame_now
        self.lead_frames = int(lead_frames)
        self.min_gate = max(1, int(round(min_gate_s * sample_rate)))
        self.patches: dict[int, list[KeyPatch]] = {}
        self.muted: set[int] = set()
        self.notes_played = 0        # voices started from keys
        self.keys_unheard = 0        # keys no patch listened to
        self._held: dict[KeyName, _Press] = {}
        self._sustained: set[KeyName] = set()
        self._pedal: set[tuple[str, int]] = set()
        self._next_key = 1
        self._lock = threading.Lock()
        self._errors: deque[str] = deque(maxlen=MAX_ERRORS)

    # --- the message thread ------------------------------------------------------
    def set_patches(self, track: int, patches: list[KeyPatch]) -> list[str]:
        """Play ``track`` with ``patches`` from now on (empty: stop, releasing its keys).

        Returns the errors of patches that cannot play (those are left out). Keys held
        keep the patch they started with.
        """
        good: list[KeyPatch] = []
        errors: list[str] = []
        for patch in patches:
            try:
                self.out.check(patch.controls)   # loads samples here, not on the MIDI thread
            except LivestudioError as exc:
                errors.append(str(exc))
                continue
            good.append(patch)
        with self._lock:
            if good:
                self.patches[track] = good
            else:
                self.patches.pop(track, None)
                self._release_track(track, self._stamp())
        return errors

    def mute(self, track: int, muted: bool) -> None:
        """Mute (release the track's keys, ignore new ones) or unmute a track."""
        with self._lock:
            if muted:
                self.muted.add(track)
                self._release_track(track, self._stamp())
            else:
                self.muted.discard(track)

    def remove(self, track: int) -> None:
        """Forget a track: its keys are released, its patches dropped (a mute stays until
        the front unmutes it, as the front's own mute state does)."""
        with self._lock:
            self.patches.pop(track, None)
            self._release_track(track, self._stamp())

    def panic(self) -> None:
        """Forget every held and sustained key (the engine's panic fades their voices)."""
        with self._lock:
            self._held.clear()
            self._sustained.clear()

    def take_errors(self) -> list[str]:
        """Errors met on the MIDI thread since the last call (the message thread reports them)."""
        out: list[str] = []
        while self._errors:
            out.append(self._errors.popleft())
        return out

    def held_keys(self) -> int:
        """Keys sounding now (held down or by the pedal)."""
        with self._lock:
            return len(self._held)

    # --- the MIDI thread ---------------------------------------------------------
    def on_note(self, key: KeyInput) -> None:
        """A key pressed (velocity > 0) or released (velocity 0)."""
        name = (key.port, key.channel, key.note)
        with self._lock:
            frame = self._stamp()
            if key.velocity <= 0:
                if (key.port, key.channel) in self._pedal and name in self._held:
                    self._sustained.add(name)
                else:
                    self._end(name, frame)
                return
            self._end(name, frame)          # pressed again while sounding: a new voice
            self._sustained.discard(name)
            self._press(name, key, frame)

    def on_control(self, control: ControlInput) -> None:
        """Sustain pedal, all notes off, all sound off; other controls are ignored."""
        where = (control.port, control.channel)
        with self._lock:
            if control.number == SUSTAIN_CC:
                if control.value >= 64:
                    self._pedal.add(where)
                    return
                self._pedal.discard(where)
                frame = self._stamp()
                for name in [n for n in self._sustained if n[:2] == where]:
                    self._sustained.discard(name)
                    self._end(name, frame)
            elif control.number in (ALL_NOTES_OFF_CC, ALL_SOUND_OFF_CC):
                frame = self._stamp()
                for name in [n for n in self._held if n[:2] == where]:
                    self._sustained.discard(name)
                    self._end(name, frame)

    # --- inside the lock -----------------------------------------------------------
    def _stamp(self) -> int:
        """The frame a key plays at: one block after the frame being rendered now, so it
        sounds in the next block (never before the next block's first frame)."""
        return max(int(self.frame_now()) + self.lead_frames, int(self.out.next_frame()))

    def _press(self, name: KeyName, key: KeyInput, frame: int) -> None:
        press = _Press(frame)
        for track, patches in self.patches.items():
            if track in self.muted:
                continue
            key_id = self._next_key          # one id per track and press: exact releases
            for patch in patches:
                if not patch.takes(key.port, key.channel):
                    continue
                controls = dict(patch.controls)
                controls.pop("freq", None)           # the key sets the pitch
                controls["note"] = key.note + patch.transpose
                controls["velocity"] = (_number(controls.get("velocity", 1.0))
                                        * min(key.velocity, 127) / 127.0)
                try:
                    self.out.note(frame, controls, key_id)
                except LivestudioError as exc:
                    self._errors.append(f"keys: {exc}")
                    continue
                press.voices.append((track, int(controls.get("orbit", 0)), key_id))
            if press.voices and press.voices[-1][2] == key_id:
                self._next_key += 1
        if not press.voices:
            self.keys_unheard += 1
            return
        self.notes_played += len(press.voices)
        self._held[name] = press

    def _end(self, name: KeyName, frame: int) -> None:
        press = self._held.pop(name, None)
        if press is not None:
            self._release(press, press.voices, frame)

    def _release(self, press: _Press, voices: list[tuple[int, int, int]], frame: int) -> None:
        at = max(frame, press.onset + self.min_gate)
        for bus, key_id in sorted({(bus, key_id) for _, bus, key_id in voices}):
            self.out.release(at, bus, key_id)

    def _release_track(self, track: int, frame: int) -> None:
        for name, press in list(self._held.items()):
            mine = [v for v in press.voices if v[0] == track]
            if not mine:
                continue
            self._release(press, mine, frame)
            press.voices = [v for v in press.voices if v[0] != track]
            if not press.voices:
                del self._held[name]
                self._sustained.discard(name)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1.0

"""MIDI 1.0 byte messages: small builders, and a parser that survives any byte stream.

The parser handles running status, System Real-Time bytes in the middle of other
messages (and of SysEx), SysEx of bounded length (a flood is cut and counted), and drops
what it cannot use (stray data bytes, undefined status bytes) with a count, never an
exception.

>>> p = MidiParser()
>>> p.feed(bytes([0x90, 60, 100, 62, 0, 0xF8, 0xF5, 7]))
[(144, 60, 100), (144, 62, 0), (248,)]
>>> p.dropped
2
"""

from __future__ import annotations

from collections.abc import Iterable

Message = tuple[int, ...]

NOTE_OFF, NOTE_ON, POLY_TOUCH, CONTROL, PROGRAM, CHANNEL_TOUCH, PITCH_BEND = (
    0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0)
SYSEX, MTC_QUARTER, SONG_POSITION, SONG_SELECT, TUNE_REQUEST, SYSEX_END = (
    0xF0, 0xF1, 0xF2, 0xF3, 0xF6, 0xF7)
CLOCK, START, CONTINUE, STOP, ACTIVE_SENSING, RESET = 0xF8, 0xFA, 0xFB, 0xFC, 0xFE, 0xFF

_CHANNEL_DATA_LEN = {NOTE_OFF: 2, NOTE_ON: 2, POLY_TOUCH: 2, CONTROL: 2, PROGRAM: 1,
                     CHANNEL_TOUCH: 1, PITCH_BEND: 2}
_COMMON_DATA_LEN = {MTC_QUARTER: 1, SONG_POSITION: 2, SONG_SELECT: 1, TUNE_REQUEST: 0}
_REALTIME = {CLOCK, START, CONTINUE, STOP, ACTIVE_SENSING, RESET}

ALL_NOTES_OFF_CC = 123
ALL_SOUND_OFF_CC = 120
SUSTAIN_CC = 64


def _ch(channel: int) -> int:
    if not 1 <= channel <= 16:
        raise ValueError(f"MIDI channel must be 1..16, got {channel}")
    return channel - 1


def _d(value: int) -> int:
    return max(0, min(127, int(value)))


def note_on(channel: int, note: int, velocity: int) -> Message:
    """Note on, channel 1..16 (velocity 0 is not used for note off here)."""
    return (NOTE_ON | _ch(channel), _d(note), max(1, _d(velocity)))


def note_off(channel: int, note: int, velocity: int = 0) -> Message:
    """Note off (a real 0x8n, which every device understands)."""
    return (NOTE_OFF | _ch(channel), _d(note), _d(velocity))


def control_change(channel: int, number: int, value: int) -> Message:
    """Control change ``number`` to ``value`` (both 0..127)."""
    return (CONTROL | _ch(channel), _d(number), _d(value))


def program_change(channel: int, program: int) -> Message:
    """Program change, ``program`` 0..127."""
    return (PROGRAM | _ch(channel), _d(program))


def channel_pressure(channel: int, value: int) -> Message:
    """Channel aftertouch 0..127."""
    return (CHANNEL_TOUCH | _ch(channel), _d(value))


def pitch_bend(channel: int, amount: float) -> Message:
    """Pitch bend, ``amount`` -1..1 (0 is centre, 8192).

    >>> pitch_bend(1, 0.0), pitch_bend(1, 1.0), pitch_bend(1, -1.0)
    ((224, 0, 64), (224, 127, 127), (224, 0, 0))
    """
    a = max(-1.0, min(1.0, float(amount)))
    value = 8192 + round(a * (8191 if a > 0 else 8192))
    return (PITCH_BEND | _ch(channel), value & 0x7F, (value >> 7) & 0x7F)


def all_notes_off(channel: int) -> Message:
    """CC 123 on ``channel``: the last-resort cleanup."""
    return control_change(channel, ALL_NOTES_OFF_CC, 0)


def song_position(sixteenths: int) -> Message:
    """Song Position Pointer in MIDI beats (16th notes, 0..16383)."""
    v = max(0, min(16383, int(sixteenths)))
    return (SONG_POSITION, v & 0x7F, v >> 7)


def is_realtime(status: int) -> bool:
    """Whether ``status`` is a System Real-Time byte (0xF8..0xFF)."""
    return status >= 0xF8


class MidiParser:
    """Turns an arbitrary byte stream into complete messages; never raises on bad bytes."""

    def __init__(self, *, max_sysex: int = 4096) -> None:
        self.max_sysex = max_sysex
        self.running: int | None = None
        self.pending: list[int] = []
        self.sysex: bytearray | None = None
        self.dropped = 0          # bytes that belonged to nothing usable
        self.sysex_cut = 0        # sysex messages cut at max_sysex

    def _expected(self, status: int) -> int:
        if status < 0xF0:
            return _CHANNEL_DATA_LEN[status & 0xF0]
        return _COMMON_DATA_LEN.get(status, 0)

    def feed(self, data: Iterable[int]) -> list[Message]:
        """Parse ``data`` (bytes or ints); return the complete messages in order."""
        out: list[Message] = []
        for raw in data:
            b = int(raw) & 0xFF
            if b >= 0xF8:                       # real-time: may appear anywhere
                if b in _REALTIME:
                    out.append((b,))
                else:
                    self.dropped += 1           # 0xF9, 0xFD: undefined
                continue
            if self.sysex is not None:
                if b == SYSEX_END:
                    if self.sysex is not None and len(self.sysex) <= self.max_sysex:
                        out.append((SYSEX, *self.sysex, SYSEX_END))
                    self.sysex = None
                    continue
                if b < 0x80:
                    if len(self.sysex) < self.max_sysex:
                        self.sysex.append(b)
                    elif len(self.sysex) == self.max_sysex:
                        self.sysex.append(0)    # marks "cut": never emitted
                        self.sysex_cut += 1
                    continue
                self.sysex = None               # a status byte ends an unterminated sysex
            if b == SYSEX:
                self.sysex = bytearray()
                self.running = None
                self.pending = []
                continue
            if b >= 0x80:
                if b in (0xF4, 0xF5, SYSEX_END):
                    self.dropped += 1           # undefined, or a stray end of sysex
                    self.running = None
                    self.pending = []
                    continue
                self.pending = []
                if b >= 0xF0:
                    self.running = None         # system common cancels running status
                    if self._expected(b) == 0:
                        out.append((b,))
                    else:
                        self.running = b        # collect its data, once
                    continue
                self.running = b
                continue
            if self.running is None:
                self.dropped += 1
                continue
            self.pending.append(b)
            if len(self.pending) == self._expected(self.running):
                out.append((self.running, *self.pending))
                self.pending = []
                if self.running >= 0xF0:
                    self.running = None
        return out

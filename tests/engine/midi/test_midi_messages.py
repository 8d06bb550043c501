"""Message builders and the byte parser, including fuzzed input."""

from __future__ import annotations

import random

from livestudio.engine.midi import messages as mm
from livestudio.engine.midi.messages import MidiParser


def test_running_status_realtime_inside_and_sysex() -> None:
    p = MidiParser()
    data = [0xB0, 74, 0xF8, 10, 75, 20, 0xF0, 1, 2, 0xFA, 3, 0xF7, 0x92, 60, 0]
    assert p.feed(data) == [(0xF8,), (0xB0, 74, 10), (0xB0, 75, 20), (0xFA,),
                            (0xF0, 1, 2, 3, 0xF7), (0x92, 60, 0)]


def test_song_position_and_common_messages() -> None:
    p = MidiParser()
    assert p.feed(mm.song_position(300)) == [(0xF2, 300 & 0x7F, 300 >> 7)]
    assert p.feed([0xF6]) == [(0xF6,)]
    assert p.feed([5, 6]) == []          # no running status after system common
    assert p.dropped == 2


def test_sysex_flood_is_cut_and_counted() -> None:
    p = MidiParser(max_sysex=64)
    out = p.feed([0xF0] + [1] * 100_000 + [0xF7, 0xF8])
    assert out == [(0xF8,)]
    assert p.sysex_cut == 1
    assert p.feed([0x90, 60, 100]) == [(0x90, 60, 100)]


def test_fuzz_never_raises_and_only_emits_well_formed() -> None:
    rng = random.Random(5)
    p = MidiParser(max_sysex=256)
    for _ in range(200):
        chunk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 500)))
        for m in p.feed(chunk):
            assert 0x80 <= m[0] <= 0xFF
            assert all(b < 0x80 for b in m[1:-1])
            if m[0] < 0xF0:
                assert len(m) == {0x80: 3, 0x90: 3, 0xA0: 3, 0xB0: 3, 0xC0: 2, 0xD0: 2, 0xE0: 3}[m[0] & 0xF0]


def test_builders_clamp_and_check_channel() -> None:
    assert mm.note_on(16, 200, 0) == (0x9F, 127, 1)
    assert mm.control_change(1, 74, -3) == (0xB0, 74, 0)
    assert mm.all_notes_off(3) == (0xB2, 123, 0)
    try:
        mm.note_on(0, 60, 100)
    except ValueError as exc:
        assert "1..16" in str(exc)
    else:
        raise AssertionError("channel 0 accepted")

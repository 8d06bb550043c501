"""Pure music theory (no patterns): notes, intervals, scales, voicings, arp modes.

Expected values are worked out by hand from tonal's scale-type data and Strudel's
``ireal`` voicing dictionary, with other roots, scales and chords than the public
conformance cases.
"""

from __future__ import annotations

import pytest

from livestudio.errors import TonalError
from livestudio.patterns.tonal.arp import ARP_MODES, arp_order
from livestudio.patterns.tonal.intervals import (
    interval_from_semitones,
    interval_semitones,
)
from livestudio.patterns.tonal.notes import is_note, midi_to_note, note_to_midi, transpose_note
from livestudio.patterns.tonal.scale_data import SCALE_TYPES
from livestudio.patterns.tonal.scales import (
    SCALE_TYPE_NAMES,
    get_scale,
    nearest_scale_note,
    parse_step,
    scale_notes,
    scale_offset,
    scale_step,
)
from livestudio.patterns.tonal.voicings import CHORD_SYMBOLS, chord_root, voicing_notes


@pytest.mark.parametrize(("name", "midi"), [
    ("c4", 60), ("C4", 60), ("a4", 69), ("eb4", 63), ("f#2", 42), ("cs4", 61), ("df4", 61),
    ("C-1", 0), ("B#3", 60), ("Cb4", 59), ("bb3", 58), ("e", 52), ("g##3", 57),
])
def test_note_to_midi(name: str, midi: int) -> None:
    assert note_to_midi(name) == midi


def test_midi_to_note_flats_and_sharps() -> None:
    assert [midi_to_note(m) for m in (0, 60, 61, 66, 70, 71)] == ["C-1", "C4", "Db4", "Gb4", "Bb4", "B4"]
    assert midi_to_note(66, sharps=True) == "F#4"


def test_is_note_like_strudel() -> None:
    assert all(is_note(x) for x in ("c3", "Eb4", "f#", "cs2", "b"))
    assert not any(is_note(x) for x in ("h3", "c10", "3", "bd", "", None, 3))


@pytest.mark.parametrize(("name", "semis"), [
    ("1P", 0), ("2m", 1), ("3M", 4), ("-3m", -3), ("4A", 6), ("5d", 6), ("5P", 7), ("7d", 9),
    ("8P", 12), ("9M", 14), ("10m", 15), ("12d", 18), ("13M", 21), ("19d", 30), ("M3", 4),
    ("P5", 7), ("2A", 3), ("-8P", -12), ("1A", 1),
])
def test_interval_semitones(name: str, semis: int) -> None:
    assert interval_semitones(name) == semis


@pytest.mark.parametrize("bad", ["3P", "5M", "x", "0P", "", "4m", "3X"])
def test_bad_intervals_raise(bad: str) -> None:
    with pytest.raises(TonalError, match="interval"):
        interval_semitones(bad)


def test_interval_from_semitones_table() -> None:
    table = ["1P", "2m", "2M", "3m", "3M", "4P", "5d", "5P", "6m", "6M", "7m", "7M", "8P"]
    assert [interval_from_semitones(i) for i in range(13)] == table
    assert interval_from_semitones(13) == "9m"
    assert interval_from_semitones(24) == "15P"
    assert interval_from_semitones(-1) == "-2m"
    assert interval_from_semitones(-7) == "-5P"
    assert interval_from_semitones(-12) == "-8P"


@pytest.mark.parametrize(("note", "by", "out"), [
    ("c3", 1, "Db3"), ("g3", 1, "Ab3"), ("b3", 1, "C4"), ("c3", -1, "B2"), ("eb3", -1, "D3"),
    ("f#3", -1, "E#3"), ("c3", -5, "G2"), ("e3", "3M", "G#3"), ("c", 7, "G"), ("Bb3", "2M", "C4"),
    ("E4", "-8P", "E3"), ("F#4", "4A", "B#4"), ("Cb4", "-2m", "Bb3"), ("a2", 12, "A3"),
    ("d4", 6, "Ab4"), ("c3", 0, "C3"), ("cs3", 2, "D#3"),
])
def test_transpose_note_spelling(note: str, by: str | int, out: str) -> None:
    assert transpose_note(note, by) == out


def test_scale_data_is_complete() -> None:
    assert len(SCALE_TYPES) == 92
    for name in ("major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian",
                 "major pentatonic", "minor pentatonic", "harmonic minor", "melodic minor",
                 "whole tone", "chromatic", "altered", "bebop", "hirajoshi", "minor blues"):
        assert name in SCALE_TYPE_NAMES
    for name, intervals, _ in SCALE_TYPES:
        assert intervals[0] == "1P", name
        semis = [interval_semitones(i) for i in intervals]
        assert semis == sorted(semis) and len(set(semis)) == len(semis), name


@pytest.mark.parametrize(("scale", "degrees", "notes"), [
    ("D:dorian", range(8), "D3 E3 F3 G3 A3 B3 C4 D4"),
    ("Eb:major", range(8), "Eb3 F3 G3 Ab3 Bb3 C4 D4 Eb4"),
    ("A:minor:pentatonic", range(6), "A3 C4 D4 E4 G4 A4"),
    ("G:minor:blues", range(7), "G3 Bb3 C4 Db4 D4 F4 G4"),
    ("G:blues", range(3), "G3 Bb3 C4"),
    ("E:harmonic:minor", range(8), "E3 F#3 G3 A3 B3 C4 D#4 E4"),
    ("B:locrian", range(3), "B3 C4 D4"),
    ("F:lydian", [3, 10, -4], "B3 B4 B2"),
    ("C:chromatic", [1, 6, 12, -1], "Db3 Gb3 C4 B2"),
    ("Gb:major", [3, 7], "Cb4 Gb4"),
    ("C4:whole:tone", range(7), "C4 D4 E4 F#4 G#4 A#4 C5"),
    ("A2:ionian", [0, 2, 9], "A2 C#3 C#4"),
    ("D:aeolian", [5], "Bb3"),
    ("C:pentatonic", [4, 5], "A3 C4"),
    ("Bb:melodic:minor", range(8), "Bb3 C4 Db4 Eb4 F4 G4 A4 Bb4"),
    ("F#:phrygian:dominant", [2, 5], "A#3 D4"),
    ("D:major", [-1, -7, -8, -15], "C#3 D2 C#2 C#1"),
    ("C:major", [0.5, 1.2, -0.5, 2.7, 6.01], "D3 E3 C3 F3 C4"),
    ("major", [0, 4], "C3 G3"),
])
def test_scale_steps(scale: str, degrees: range | list[float], notes: str) -> None:
    assert [scale_step(d, scale) for d in degrees] == notes.split()


def test_scale_names_are_flexible() -> None:
    assert scale_notes("c major") == scale_notes("C:major") == scale_notes(["C", "major"])
    assert scale_notes("C:Major") == ("C", "D", "E", "F", "G", "A", "B")
    assert scale_notes("F#:major:pentatonic") == ("F#", "G#", "A#", "C#", "D#")
    assert get_scale("Bb4:harmonic:minor").tonic.octave == 4


@pytest.mark.parametrize("bad", ["C:foo", "H:major", "C:major:pentatonik"])
def test_unknown_scales_raise(bad: str) -> None:
    with pytest.raises(TonalError, match="unknown scale"):
        scale_step(0, bad)


def test_incomplete_scale_raises() -> None:
    with pytest.raises(TonalError, match="incomplete"):
        scale_step(0, "C")


@pytest.mark.parametrize(("text", "parsed"), [
    (2, (2, 0)), ("2#", (2, 1)), ("4b", (4, -1)), ("-1#", (-1, 1)), ("3##", (3, 2)),
    ("2s", (2, 1)), ("2f", (2, -1)), (-0.5, (-0.5, 0)),
])
def test_parse_step(text: object, parsed: tuple[float, int]) -> None:
    assert parse_step(text) == parsed


def test_bad_step_raises() -> None:
    with pytest.raises(TonalError, match="degree"):
        parse_step("x")


@pytest.mark.parametrize(("scale", "note", "out"), [
    ("D:major", "c3", "C#3"), ("F:major", "b3", "C4"), ("G:major", "f3", "F#3"),
    ("Eb:major", "d#3", "Eb3"), ("A:minor", "g#4", "A4"), ("C:minor", "e3", "F3"),
    ("C4:minor", "c3", "C3"), ("E:minor:pentatonic", "f2", "E2"), ("E:minor:pentatonic", "f#2", "G2"),
])
def test_nearest_scale_note(scale: str, note: str, out: str) -> None:
    assert nearest_scale_note(scale, note) == out


@pytest.mark.parametrize(("scale", "steps", "note", "out"), [
    ("G:major", -2, "G3", "E3"), ("C:major", -1, "C4", "B3"), ("C:major", 1, "B3", "C4"),
    ("D:major", -1, "C#4", "B3"), ("D:major", 3, "A3", "D4"), ("E:minor", 7, "E3", "E4"),
    ("E:minor", 0, "g3", "G3"), ("A:minor:pentatonic", -6, "C4", "A2"),
])
def test_scale_offset(scale: str, steps: int, note: str, out: str) -> None:
    assert scale_offset(scale, steps, note) == out


def test_scale_offset_needs_note_in_scale() -> None:
    with pytest.raises(TonalError, match="not in scale"):
        scale_offset("C:major", 1, "C#3")


def test_chord_symbols() -> None:
    assert len(CHORD_SYMBOLS) == 85
    for sym in ("", "m", "m7", "7", "^7", "-7", "h7", "o7", "7b9", "sus", "add9", "M7", "aug", "m7b5"):
        assert sym in CHORD_SYMBOLS


@pytest.mark.parametrize(("chord", "notes"), [
    ("Bb^7", "Bb2 D4 F4 A4"),
    ("BbM7", "Bb2 D4 F4 A4"),
    ("E7", "E3 D4 E4 Ab4 B4"),
    ("Ebm7", "Eb3 Bb3 Db4 Gb4 Bb4"),
    ("Eb-7", "Eb3 Bb3 Db4 Gb4 Bb4"),
    ("Do7", "D3 B3 F4 Ab4 B4"),
    ("Gsus", "G3 C4 D4 G4 C5"),
    ("Caug", "E3 C4 E4 Ab4 C5"),
    ("C+", "E3 C4 E4 Ab4 C5"),
    ("C", "E3 C4 E4 G4 C5"),
    ("C/E", "E3 C4 E4 G4 C5"),
])
def test_voicings(chord: str, notes: str) -> None:
    assert voicing_notes(chord) == notes.split()


def test_voicing_options() -> None:
    assert [voicing_notes("C", n=i)[0] for i in (0, 4, 5, -1)] == [52, 72, 64, 60]
    assert voicing_notes("C", anchor="g4") == "C3 G3 C4 E4 G4".split()
    assert voicing_notes("C", anchor=67) == "C3 G3 C4 E4 G4".split()
    assert voicing_notes("C", mode="above") == "C5 G5 C6 E6".split()
    assert voicing_notes("C", mode="duck") == "E3 C4 E4 G4".split()


def test_unknown_chords_raise() -> None:
    with pytest.raises(TonalError, match="Cxyz"):
        voicing_notes("Cxyz")
    with pytest.raises(TonalError, match="H7"):
        voicing_notes("H7")


def test_chord_root() -> None:
    assert [chord_root(c) for c in ("Bb^7", "F#m7b5", "Ebm", "C", "am7")] == ["Bb", "F#", "Eb", "C", "a"]


def test_arp_modes() -> None:
    xs = [1, 2, 3, 4]
    assert arp_order("up", xs) == [1, 2, 3, 4]
    assert arp_order("down", xs) == [4, 3, 2, 1]
    assert arp_order("updown", xs) == [1, 2, 3, 4, 3, 2]
    assert arp_order("downup", xs) == [4, 3, 2, 1, 2, 3]
    assert arp_order("up&down", xs) == [1, 2, 3, 4, 4, 3, 2, 1]
    assert arp_order("down&up", xs) == [4, 3, 2, 1, 1, 2, 3, 4]
    assert arp_order("converge", xs) == [1, 4, 2, 3]
    assert arp_order("diverge", xs) == [3, 2, 4, 1]
    assert arp_order("disconverge", xs) == [1, 4, 2, 3, 2, 4, 1]
    assert arp_order("pinkyup", xs) == [1, 4, 2, 4, 3, 4]
    assert arp_order("pinkyupdown", xs) == [1, 4, 2, 4, 3, 4, 3, 4, 2, 4]
    assert arp_order("thumbup", xs) == [1, 2, 1, 3, 1, 4]
    assert arp_order("thumbupdown", xs) == [1, 2, 1, 3, 1, 4, 1, 3, 1, 2]
    assert len(ARP_MODES) == 13
    with pytest.raises(TonalError, match="sideways"):
        arp_order("sideways", xs)


def test_transposition_keeps_pitch_arithmetic() -> None:
    for name in ("c3", "f#2", "Bb4", "e5", "Cb3", "g##1"):
        for semis in range(-24, 25):
            assert note_to_midi(transpose_note(name, semis)) == note_to_midi(name) + semis


def test_every_scale_type_ascends_by_degree() -> None:
    for root in ("C", "F#", "Bb2", "Gb"):
        for name in SCALE_TYPE_NAMES:
            scale = f"{root}:{name.replace(' ', ':')}"
            midis = [note_to_midi(scale_step(d, scale)) for d in range(-13, 14)]
            assert all(a < b for a, b in zip(midis, midis[1:])), scale
            k = len(get_scale(scale).intervals)
            assert note_to_midi(scale_step(k, scale)) == note_to_midi(scale_step(0, scale)) + 12

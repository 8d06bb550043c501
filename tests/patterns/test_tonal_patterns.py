"""Tonal Pattern methods with other roots, scales, degrees and chords than the public cases.

Expected notes are worked out from tonal's scale data and Strudel's ireal voicings.
"""

from __future__ import annotations

from typing import Any

import pytest

import livestudio as ls
from livestudio.errors import TonalError


def haps(pat: Any, begin: Any = 0, end: Any = 1) -> list[tuple[str, str, Any]]:
    """(whole, part, value) triples sorted by part, whole and value text."""
    hs = sorted(pat.query_arc(begin, end),
                key=lambda h: (h.part.begin, h.part.end, h.whole_or_part().begin, repr(h.value)))
    out = []
    for h in hs:
        whole = "~" if h.whole is None else f"{h.whole.begin}-{h.whole.end}"
        out.append((whole, f"{h.part.begin}-{h.part.end}", h.value))
    return out


def values(pat: Any, begin: Any = 0, end: Any = 1) -> list[Any]:
    return [v for _, _, v in haps(pat, begin, end)]


def test_scale_dorian_objects() -> None:
    assert values(ls.n("0 1 2 3").scale("D:dorian")) == [
        {"note": "D3"}, {"note": "E3"}, {"note": "F3"}, {"note": "G3"}]


def test_scale_bare_values_with_octave() -> None:
    assert values(ls.mini("0 2 4 7").scale("Eb4:major")) == ["Eb4", "G4", "Bb4", "Eb5"]


def test_scale_change_mid_event_fragments() -> None:
    assert haps(ls.n("0 1 2").scale("D:major E:phrygian")) == [
        ("0-1/3", "0-1/3", {"note": "D3"}),
        ("1/3-2/3", "1/3-1/2", {"note": "E3"}),
        ("1/3-2/3", "1/2-2/3", {"note": "F3"}),
        ("2/3-1", "2/3-1", {"note": "G3"}),
    ]


def test_scale_snaps_note_names() -> None:
    assert values(ls.note("c3 f#3 g#3").scale("D:major")) == [
        {"note": "C#3"}, {"note": "F#3"}, {"note": "A3"}]


def test_scale_sharp_flat_steps() -> None:
    assert values(ls.n("0 2# 3b -2s").scale("A:minor")) == [
        {"note": "A3"}, {"note": "Db4"}, {"note": "C#4"}, {"note": "Gb3"}]


def test_scale_keeps_other_controls_and_hides_scale() -> None:
    assert values(ls.n("0 9").s("bass").gain(0.5).scale("G:minor")) == [
        {"s": "bass", "gain": 0.5, "note": "G3"}, {"s": "bass", "gain": 0.5, "note": "Bb4"}]


def test_scale_patterned_across_cycles() -> None:
    assert values(ls.n("0 4").scale("<F:lydian B:locrian>"), 0, 2) == [
        {"note": "F3"}, {"note": "C4"}, {"note": "B3"}, {"note": "F4"}]


def test_transpose_numbers_and_intervals() -> None:
    assert values(ls.note("60 64").transpose("-3m")) == [{"note": 57}, {"note": 61}]
    assert values(ls.mini("a3 bb3").transpose("2M")) == ["B3", "C4"]
    assert values(ls.note("d4").transpose("<1 4A>"), 0, 2) == [{"note": "Eb4"}, {"note": "G#4"}]
    assert values(ls.mini("48 50").transpose(7)) == [55, 57]
    assert values(ls.note("cs3").transpose(0)) == [{"note": "C#3"}]


def test_scale_transpose_walks() -> None:
    assert values(ls.n("0 1 2").scale("E:minor").scale_transpose(1)) == [
        {"note": "F#3"}, {"note": "G3"}, {"note": "A3"}]
    assert values(ls.n("0 4").scale("C4:major").scale_transpose("<1 -1>"), 0, 2) == [
        {"note": "D4"}, {"note": "A4"}, {"note": "B3"}, {"note": "F4"}]
    assert values(ls.mini("0 6").scale("D:major").scale_transpose(2)) == ["F#3", "E4"]


def test_voicing_other_chords() -> None:
    assert sorted(v["note"] for v in values(ls.chord("<Bb^7 E7>").voicing(), 0, 1)) == sorted(
        "Bb2 D4 F4 A4".split())
    assert sorted(v["note"] for v in values(ls.chord("<Bb^7 E7>").voicing(), 1, 2)) == sorted(
        "E3 D4 E4 Ab4 B4".split())


def test_voicing_keeps_controls() -> None:
    got = values(ls.chord("Ebm7").s("piano").voicing())
    assert sorted(v["note"] for v in got) == sorted("Eb3 Bb3 Db4 Gb4 Bb4".split())
    assert all(v["s"] == "piano" and set(v) == {"note", "s"} for v in got)


def test_voicing_n_mode() -> None:
    assert values(ls.n("0 1 2 3 4 5 6").chord("Gsus").voicing()) == [
        {"note": 55}, {"note": 60}, {"note": 62}, {"note": 67}, {"note": 72}, {"note": 67},
        {"note": 72}]


def test_voicing_spans_cycles_as_fragments() -> None:
    got = haps(ls.chord("Caug").slow(2).voicing(), 0, 2)
    assert len(got) == 10
    assert {w for w, _, _ in got} == {"0-2"}
    assert {p for _, p, _ in got} == {"0-1", "1-2"}


def test_arp_over_voicings() -> None:
    assert values(ls.chord("Caug Do7").voicing().arp("0 2")) == [{"note": "E3"}, {"note": "F4"}]


def test_root_notes() -> None:
    assert values(ls.chord("Eb7 F#m7b5").root_notes(3)) == [{"note": "Eb3"}, {"note": "F#3"}]
    assert values(ls.mini("Am7 Dm").root_notes("<2 4>"), 0, 2) == ["A2", "D2", "A4", "D4"]


def test_arp_modes() -> None:
    assert haps(ls.n("[0,4,7]").arp("updown")) == [
        ("0-1/4", "0-1/4", {"n": 0}), ("1/4-1/2", "1/4-1/2", {"n": 4}),
        ("1/2-3/4", "1/2-3/4", {"n": 7}), ("3/4-1", "3/4-1", {"n": 4})]
    assert values(ls.n("<[0,4,7] [2,5,9]>").arp("<up down>"), 0, 2) == [
        {"n": 0}, {"n": 4}, {"n": 7}, {"n": 9}, {"n": 5}, {"n": 2}]
    assert haps(ls.n("[0,4] [2,5]").arp("up")) == [
        ("0-1/4", "0-1/4", {"n": 0}), ("1/4-1/2", "1/4-1/2", {"n": 4}),
        ("1/2-3/4", "1/2-3/4", {"n": 2}), ("3/4-1", "3/4-1", {"n": 5})]


def test_arp_mode_on_single_notes() -> None:
    assert values(ls.n("0").arp("updown")) == []
    assert values(ls.n("0 1").arp("up")) == [{"n": 0}, {"n": 1}]


def test_arp_index_wraps() -> None:
    assert values(ls.n("[0,4,7]").arp("3 -1")) == [{"n": 0}, {"n": 7}]


@pytest.mark.parametrize("make", [
    lambda: ls.n("0").scale("C:nope"),
    lambda: ls.n("0").scale("C"),
    lambda: ls.chord("Cxyz").voicing(),
    lambda: ls.mini("c3").scale_transpose(1),
    lambda: ls.n("0").arp("sideways"),
    lambda: ls.mini("bd").transpose(1),
    lambda: ls.note("c3").transpose("3P"),
])
def test_musician_errors_raise_tonal_error(make: Any) -> None:
    with pytest.raises(TonalError):
        make().query_arc(0, 1)


def test_error_messages_help() -> None:
    with pytest.raises(TonalError, match=r"did you mean 'C\^7'"):
        ls.chord("Cmaj7").voicing().query_arc(0, 1)
    with pytest.raises(TonalError, match="did you mean 'dorian'"):
        ls.n("0").scale("C:dorain").query_arc(0, 1)


def test_other_voicing_dictionaries() -> None:
    got = values(ls.chord("Dm7").dict("lefthand").voicing())
    assert sorted(v["note"] for v in got) == sorted("C4 E4 F4 A4".split())
    own = values(ls.chord("C").dict({"": ["1P 3M 5P"]}).voicing())
    assert sorted(v["note"] for v in own) == ["C4", "E4", "G4"]
    with pytest.raises(TonalError, match="dictionary"):
        ls.chord("C").dict("nope").voicing().query_arc(0, 1)


def test_voicing_anchor_and_mode_controls() -> None:
    got = values(ls.chord("C").anchor("g4").voicing())
    assert sorted(v["note"] for v in got) == sorted("C3 G3 C4 E4 G4".split())
    got = values(ls.chord("C").mode("duck").voicing())
    assert sorted(v["note"] for v in got) == sorted("E3 C4 E4 G4".split())

"""Offline render: exact onsets in master and stems, stems sum to the master input,
identical files on a second run, loudness normalization, MIDI file, CLI summary."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import mido
import numpy as np
import pytest
import soundfile
from click.testing import CliRunner

from livestudio import note, s
from livestudio.commands.render import render as render_command
from livestudio.engine.core import master_offline
from livestudio.session.loudness import integrated_lufs, true_peak_dbtp
from livestudio.session.render import render_tracks, short_gil_turns

REPO = Path(__file__).resolve().parents[2]
CPS = Fraction(128, 240)
SR = 48000


def _first_sound(x: np.ndarray) -> int:
    nz = np.flatnonzero(np.any(x != 0.0, axis=1))
    return int(nz[0]) if nz.size else -1


@pytest.mark.parametrize("onset", [Fraction(1, 3), Fraction(5, 7), Fraction(3, 2)])
def test_onsets_land_on_the_grid_in_master_and_stems(onset: Fraction) -> None:
    # both patterns repeat every cycle: the first onset is at the shift (mod 1)
    tracks = {"a": note("c4").s("sine").late(onset), "b": s("bd").late(onset / 2)}
    result = render_tracks(tracks, cycles=Fraction(3), cps=CPS, sample_rate=SR)
    expected_a = round((onset % 1) / CPS * SR)
    expected_b = round((onset / 2 % 1) / CPS * SR)
    assert _first_sound(result.stems["a"]) == expected_a
    assert _first_sound(result.stems["b"]) == expected_b
    assert _first_sound(result.master) == min(expected_a, expected_b)


def test_stems_are_what_the_master_bus_got() -> None:
    tracks = {"kick": s("bd*4"), "hats": s("hh*8").gain(0.6).room(0.4),
              "bass": note("c2 eb2").s("saw").cutoff(800).delay(0.4)}
    result = render_tracks(tracks, cycles=Fraction(2), cps=CPS, sample_rate=SR)
    summed = np.sum([result.stems[k] for k in tracks], axis=0, dtype=np.float64)
    assert np.max(np.abs(summed - result.premaster)) < 1e-6
    again = master_offline(result.premaster, SR, gain_db=0.0, ceiling_db=-1.0)
    assert np.max(np.abs(again - result.master)) < 1e-5
    assert all(np.any(result.stems[k]) for k in tracks)


def test_threads_do_not_change_a_bit() -> None:
    tracks = {"kick": s("bd*4, hh*8"), "pad": note("c3 eb3 g3").s("supersaw").room(0.5),
              "lead": note("c4 g4").s("square").cutoff(1500).delay(0.3), "noise": s("white").gain(0.1)}
    one = render_tracks(tracks, cycles=Fraction(5, 2), cps=CPS, sample_rate=SR, workers=1)
    many = render_tracks(tracks, cycles=Fraction(5, 2), cps=CPS, sample_rate=SR, workers=3)
    np.testing.assert_array_equal(one.master, many.master)
    for name in tracks:
        np.testing.assert_array_equal(one.stems[name], many.stems[name])
    assert [(e.frame, e.track) for e in one.events] == [(e.frame, e.track) for e in many.events]


def test_without_stems_the_same_master_and_peaks() -> None:
    tracks = {"kick": s("bd*4, hh*8"), "pad": note("c3 eb3 g3").s("supersaw").room(0.5),
              "lead": note("c4 g4").s("square").cutoff(1500).delay(0.3)}
    kept = render_tracks(tracks, cycles=Fraction(9, 2), cps=CPS, sample_rate=SR, workers=2)
    lean = render_tracks(tracks, cycles=Fraction(9, 2), cps=CPS, sample_rate=SR, workers=2,
                         stems=False)
    assert lean.stems == {}
    np.testing.assert_array_equal(kept.master, lean.master)
    np.testing.assert_array_equal(kept.premaster, lean.premaster)
    assert lean.peaks == kept.peaks
    assert kept.peaks == {name: float(np.max(np.abs(kept.stems[name]))) for name in tracks}


def test_render_is_deterministic_and_writes_stems_and_midi(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for run in range(2):
        out = tmp_path / f"run{run}.wav"
        stems = tmp_path / f"stems{run}"
        midi = tmp_path / f"run{run}.mid"
        result = runner.invoke(render_command, [str(REPO / "examples" / "acid.py"), "-o", str(out),
                                                "--cycles", "4", "--stems", str(stems),
                                                "--midi", str(midi)])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
        assert sorted(p.name for p in stems.iterdir()) == ["acid.wav", "answer.wav", "drums.wav"]
    assert outs[0] == outs[1]
    assert "LUFS" in result.output and "true peak" in result.output
    midi_file = mido.MidiFile(str(tmp_path / "run0.mid"))
    names = [t.name for t in midi_file.tracks]
    assert names == ["tempo", "drums", "acid", "answer"]
    tempos = [m.tempo for m in midi_file.tracks[0] if m.type == "set_tempo"]
    assert tempos == [mido.bpm2tempo(128)]
    acid_notes = [m for m in midi_file.tracks[2] if m.type == "note_on"]
    assert len(acid_notes) == 32  # "<...>*8" over 4 cycles


def test_lufs_target_and_true_peak(tmp_path: Path) -> None:
    out = tmp_path / "master.wav"
    result = CliRunner().invoke(render_command, [str(REPO / "examples" / "techno.py"), "-o", str(out),
                                                 "--cycles", "8", "--lufs", "-14"])
    assert result.exit_code == 0, result.output
    audio, rate = soundfile.read(str(out), always_2d=True)
    assert abs(integrated_lufs(audio, rate) - (-14.0)) <= 0.5
    assert true_peak_dbtp(audio, rate) <= -1.0


def test_seconds_bpm_flac_and_bad_input(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text("from livestudio import *\nbeat = s('bd sd')\n")
    out = tmp_path / "x.flac"
    result = CliRunner().invoke(render_command, [str(song), "-o", str(out), "--seconds", "2", "--bpm", "90"])
    assert result.exit_code == 0, result.output
    info = soundfile.info(str(out))
    assert info.format == "FLAC" and info.frames == 96000
    broken = tmp_path / "broken.py"
    broken.write_text("from livestudio import *\nbeat = s('bd [sd')\n")
    result = CliRunner().invoke(render_command, [str(broken), "-o", str(tmp_path / "y.wav")])
    assert result.exit_code != 0 and "broken.py" in result.output
    assert not (tmp_path / "y.wav").exists()


def test_unknown_instrument_is_reported_once_and_the_rest_renders(tmp_path: Path) -> None:
    song = tmp_path / "song.py"
    song.write_text("from livestudio import *\nbeat = s('bd*4')\noops = s('nosuchsound*8')\n")
    result = CliRunner().invoke(render_command, [str(song), "-o", str(tmp_path / "z.wav"), "--cycles", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.count("nosuchsound") == 1
    audio, _ = soundfile.read(str(tmp_path / "z.wav"))
    assert np.any(audio)


def test_a_file_stuck_in_a_c_call_is_reported_not_hung(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import livestudio.commands.render as render_module

    monkeypatch.setattr(render_module, "LOAD_TIMEOUT_S", 1.0)
    song = tmp_path / "stuck.py"
    song.write_text("from livestudio import *\nx = sum(range(10**15))\nbeat = s('bd*4')\n")
    result = CliRunner().invoke(render_command, [str(song), "-o", str(tmp_path / "s.wav"), "--cycles", "1"])
    assert result.exit_code != 0
    assert "stuck.py:2" in result.output and "C call" in result.output
    assert not (tmp_path / "s.wav").exists()


def test_short_gil_turns_restores_the_switch_interval() -> None:
    before = sys.getswitchinterval()
    with short_gil_turns(0.0001):
        assert sys.getswitchinterval() <= 0.0001 + 1e-9
    assert sys.getswitchinterval() == before

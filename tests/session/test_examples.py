"""Every example loads, and renders to sound through the real engine."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livestudio.session.loader import load_path
from livestudio.session.render import is_midi_event, render_tracks

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))


def test_there_are_a_showcase_and_six_more_pieces() -> None:
    names = {p.stem for p in EXAMPLES}
    assert "demo" in names and len(names) >= 7


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_loads_and_renders(path: Path) -> None:
    loaded = load_path(path, timeout_s=10)
    assert loaded.ok, [str(e) for e in loaded.errors]
    assert loaded.tracks and loaded.settings.bpm is not None
    tracks = {name: t.pattern for name, t in loaded.tracks.items()}
    result = render_tracks(tracks, cycles=Fraction(2), cps=Fraction(loaded.settings.bpm) / 240)
    assert result.errors == []
    audio_tracks = {e.track for e in result.events if not is_midi_event(e)}
    assert audio_tracks, "no track makes sound"
    for name in audio_tracks:  # every synth/drum track is heard in its stem
        assert np.max(np.abs(result.stems[name])) > 1e-3, name
    assert np.max(np.abs(result.master)) > 0.05
    assert np.all(np.isfinite(result.master))

"""The loader with the real pattern language: tracks, settings, musician errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("livestudio.patterns.controls")

from livestudio.session.loader import load_path  # noqa: E402

ACID = """\
from livestudio import *

tempo(bpm=128)
drums = s("bd*4, [~ cp]*2, hh*8?").gain("1 .8")
acid  = (note("<c2 c2 eb2 g1>*8").s("saw")
         .cutoff(sine.range(300, 3000).slow(8)).resonance(0.7).release(0.12))
gear  = note("<[c4,eb4,g4] [ab3,c4,eb4]>").midi(port="MicroFreak", channel=1)
"""


def test_design_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "acid.py"
    path.write_text(ACID)
    result = load_path(path)
    assert result.ok, [str(e) for e in result.errors]
    assert list(result.tracks) == ["drums", "acid", "gear"]  # sine, s, note... are not tracks
    assert result.tracks["acid"].line == 5
    assert result.tracks["drums"].hap_count > 8
    assert result.settings.bpm == 128


def test_bad_mini_notation_points_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "song.py"
    path.write_text(textwrap.dedent("""\
        from livestudio import *

        drums = s("bd*4")
        hats = s("hh*8 [oh")
        """))
    result = load_path(path)
    assert not result.ok
    err = result.errors[0]
    assert err.line == 4 and err.code == 'hats = s("hh*8 [oh")'
    assert "MiniNotationError" in err.reason
    assert "parser.py" not in err.reason  # no library internals for our own errors


def test_unknown_name_is_a_name_error_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "song.py"
    path.write_text('from livestudio import *\ndrums = s("bd").fastt(2)\n')
    result = load_path(path)
    assert not result.ok
    assert result.errors[0].line == 2 and "fastt" in result.errors[0].reason

"""Pattern files set tempo, quantize and sync through recorded settings calls."""

from __future__ import annotations

from fractions import Fraction

import pytest

from livestudio.errors import SessionError
from livestudio.session.settings import collecting, quantize, samples, sync, tempo


def test_settings_are_collected_per_load() -> None:
    with collecting() as outer:
        tempo(bpm=140)
        with collecting() as inner:
            tempo(cps=0.5)
            quantize(0.5)
            sync("link")
            samples("/tmp/s")
        assert inner.bpm == 120 and inner.quantize == Fraction(1, 2) and inner.sync == "link"
        assert inner.sample_paths == ["/tmp/s"]
    assert outer.bpm == 140 and outer.cps == pytest.approx(140 / 240)


@pytest.mark.parametrize("call", [
    lambda: tempo(), lambda: tempo(bpm=0), lambda: tempo(bpm=float("nan")),
    lambda: tempo(bpm=120, cps=0.5), lambda: quantize(0), lambda: sync("ableton"),
])
def test_bad_settings_raise_session_error(call) -> None:  # type: ignore[no-untyped-def]
    with collecting(), pytest.raises(SessionError):
        call()

"""FrameClock: frames <-> monotonic time from block stamps, tempo anchors."""

from __future__ import annotations

import time

import pytest

from livestudio.engine.host import status as S
from livestudio.engine.host.clock import FrameClock


def stamped(frame_end: int, mono_ns: int) -> FrameClock:
    st = S.new_status_array()
    st[S.RUNNING] = 1
    st[S.BLOCKS] = 1
    st[S.FRAME] = frame_end
    st[S.MONO_NS] = mono_ns
    return FrameClock(st, sample_rate=48000, blocksize=128, latency_s=0.005)


def test_frame_time_mapping_follows_block_stamps() -> None:
    now = time.monotonic_ns()
    clock = stamped(48128, now)  # the block [48000, 48128) started rendering now
    assert clock.frame_to_monotonic(48000) == pytest.approx(now / 1e9 + 0.005, abs=1e-6)
    assert clock.monotonic_to_frame(now / 1e9 + 0.005 + 0.5) == pytest.approx(72000, abs=1)
    assert abs(clock.frame_now() - 48000) < 48000 * 0.05  # a few ms have passed


def test_tempo_anchors() -> None:
    clock = stamped(128, time.monotonic_ns())
    clock.reset_anchor(0, 0.0, 0.5)
    assert clock.cycle_at(96000) == pytest.approx(1.0)
    clock.set_tempo(1.0, at_frame=96000)
    assert clock.cycle_at(144000) == pytest.approx(2.0)
    assert clock.frame_at_cycle(3.0) == pytest.approx(192000)
    assert clock.cps_at_frame(10) == 0.5 and clock.cps_at_frame(100000) == 1.0
    assert clock.anchor() == (96000.0, 1.0, 1.0)

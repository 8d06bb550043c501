"""The keyboard player on a real engine core (offline): keys in -> held notes and
releases in the engine's event ring, rendered by the real kernels."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pytest

from livestudio.engine import Engine
from livestudio.engine import layout as L
from livestudio.engine.host.corebackend import CoreKeys
from livestudio.engine.host.keys import KeyboardPlayer, KeyPatch

SR = 48000
BLOCK = 128
PAD = {"s": "sine", "attack": 0.0, "sustain": 1.0, "release": 0.01, "gain": 0.5}


@dataclass(frozen=True)
class Key:
    channel: int
    note: int
    velocity: int
    port: str = "kbd:out"


@dataclass(frozen=True)
class Control:
    channel: int
    number: int
    value: int
    port: str = "kbd:out"


class Rig:
    """A real engine, its ring as the player's output, rendered block by block."""

    def __init__(self) -> None:
        self.engine = Engine(max_voices=8, max_buses=4, pool_floats=1 << 20)
        self.player = KeyboardPlayer(CoreKeys(self.engine, threading.Lock()),
                                     frame_now=lambda: self.engine.frame, lead_frames=BLOCK,
                                     sample_rate=SR)

    def blocks(self, n: int = 1) -> np.ndarray:
        return self.engine.render(n * BLOCK)

    def voices(self) -> int:
        return int(self.engine.status()["active_voices"])

    def ring_rows(self) -> np.ndarray:
        """Rows published and not yet taken by the render."""
        a, ly = self.engine.arena, self.engine.layout
        gl, cap, ring = int(ly[L.LY_GLOBALS]), int(ly[L.LY_RING_CAP]), int(ly[L.LY_RING])
        r, w = int(a[gl + L.G_RING_R]), int(a[gl + L.G_RING_W])
        return np.array([a[ring + (i % cap) * L.ROW: ring + (i % cap + 1) * L.ROW] for i in range(r, w)])


@pytest.fixture
def rig() -> Rig:
    r = Rig()
    assert r.player.set_patches(0, [KeyPatch({**PAD, "orbit": 0}, channel=1)]) == []
    return r


def test_a_key_sounds_from_the_next_block_until_released(rig: Rig) -> None:
    rig.blocks(3)
    rig.player.on_note(Key(1, 69, 127))
    [row] = rig.ring_rows()
    assert row[L.R_FRAME] == 4 * BLOCK and row[L.R_KEY] >= 1      # one block ahead
    assert row[L.R_FREQ] == pytest.approx(440.0) and row[L.R_LEVEL] == pytest.approx(0.5)
    rig.blocks(40)
    assert rig.voices() == 1 and rig.player.held_keys() == 1
    rig.player.on_note(Key(1, 69, 0))
    [rel] = rig.ring_rows()
    assert rel[L.R_KIND] == L.K_RELEASE and rel[L.R_KEY] == row[L.R_KEY] and rel[L.R_BUS] == 0
    rig.blocks(10)
    assert rig.voices() == 0 and rig.player.held_keys() == 0


def test_a_tap_shorter_than_the_minimum_gate_still_sounds(rig: Rig) -> None:
    rig.player.on_note(Key(1, 60, 100))
    rig.player.on_note(Key(1, 60, 0))               # released before its block even began
    on, off = rig.ring_rows()
    assert off[L.R_FRAME] - on[L.R_FRAME] == rig.player.min_gate == 240
    y = rig.blocks(4)
    assert np.abs(y).max() > 0.1


def test_transpose_velocity_and_channel_port_filters() -> None:
    rig = Rig()
    rig.player.set_patches(1, [KeyPatch({**PAD, "orbit": 1, "velocity": 0.5}, channel=2,
                                        port="KBD", transpose=12)])
    rig.player.on_note(Key(1, 60, 100))              # channel 1: no patch listens
    rig.player.on_note(Key(2, 60, 100, port="other:out"))   # another port
    assert len(rig.ring_rows()) == 0 and rig.player.keys_unheard == 2
    rig.player.on_note(Key(2, 57, 127))
    [row] = rig.ring_rows()
    assert row[L.R_FREQ] == pytest.approx(440.0)     # 57 + 12 = A4
    assert row[L.R_LEVEL] == pytest.approx(0.25) and row[L.R_BUS] == 1


def test_pressed_again_while_sounding_releases_the_old_voice_only(rig: Rig) -> None:
    rig.player.on_note(Key(1, 60, 100))
    rig.blocks(2)
    rig.player.on_note(Key(1, 60, 100))
    rel, on = rig.ring_rows()
    assert rel[L.R_KIND] == L.K_RELEASE and on[L.R_KIND] == L.K_NOTE
    assert rel[L.R_KEY] != on[L.R_KEY]               # the new voice has a key of its own
    rig.blocks(10)
    assert rig.voices() == 1
    rig.player.on_note(Key(1, 60, 0))
    rig.blocks(10)
    assert rig.voices() == 0


def test_sustain_pedal_and_all_notes_off(rig: Rig) -> None:
    rig.player.on_note(Key(1, 60, 100))
    rig.player.on_note(Key(1, 64, 100))
    rig.player.on_control(Control(1, 64, 127))      # pedal down
    rig.player.on_note(Key(1, 60, 0))
    rig.player.on_control(Control(2, 64, 0))        # another channel's pedal: no effect
    rig.blocks(20)
    assert rig.voices() == 2
    rig.player.on_control(Control(1, 64, 0))        # pedal up: 60 ends, 64 is still down
    rig.blocks(10)
    assert rig.voices() == 1
    rig.player.on_control(Control(1, 123, 0))       # all notes off
    rig.blocks(10)
    assert rig.voices() == 0 and rig.player.held_keys() == 0


def test_layers_mute_remove_and_panic() -> None:
    rig = Rig()
    rig.player.set_patches(0, [KeyPatch({**PAD, "orbit": 0})])
    rig.player.set_patches(1, [KeyPatch({**PAD, "orbit": 1}), KeyPatch({**PAD, "orbit": 1, "s": "saw"})])
    rig.player.on_note(Key(5, 60, 100))
    rig.blocks(4)
    assert rig.voices() == 3
    rig.player.mute(1, True)                         # track 1's two voices go, track 0's stays
    rig.blocks(10)
    assert rig.voices() == 1
    rig.player.on_note(Key(5, 62, 100))              # muted track 1 ignores new keys
    rig.blocks(4)
    assert rig.voices() == 2
    rig.player.mute(1, False)
    rig.player.remove(0)                             # track 0 removed: its keys released
    rig.blocks(10)
    assert rig.voices() == 0
    rig.player.on_note(Key(5, 64, 100))
    rig.blocks(4)
    assert rig.voices() == 2
    rig.engine.panic()
    rig.player.panic()
    rig.blocks(10)
    assert rig.voices() == 0 and rig.player.held_keys() == 0
    rig.player.on_note(Key(5, 64, 0))                # a release after the panic: harmless
    assert len(rig.ring_rows()) == 0


def test_a_patch_that_cannot_play_is_reported_and_left_out(rig: Rig) -> None:
    errors = rig.player.set_patches(2, [KeyPatch({"s": "nosuchsound", "orbit": 2}),
                                        KeyPatch({**PAD, "orbit": 2})])
    assert len(errors) == 1 and "nosuchsound" in errors[0]
    rig.player.on_note(Key(1, 60, 100))
    assert sorted(int(r[L.R_BUS]) for r in rig.ring_rows()) == [0, 2]
    assert rig.player.set_patches(2, []) == []        # stopped: its held key is released
    assert rig.ring_rows()[-1][L.R_KIND] == L.K_RELEASE

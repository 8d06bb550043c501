"""Held notes (keys played live): closing a held voice's gate at an exact frame.

A note row with ``R_KEY >= 1`` starts a voice whose gate stays open (``MAX_AGE``
frames, 175 s at 48 kHz, then it releases on its own) and remembers the key id in
``V_KEY``. A ``K_RELEASE`` row closes the gate of the matching voices at its frame:
the release stage starts from the level the envelope has there (as a steal does) and
runs for the voice's own release time. Drums and one-shot samples keep ``V_KEY = 0``:
they play their own length whatever the key does.
"""

from __future__ import annotations

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine import params as P
from livestudio.engine.kernels.jit import kernel
from livestudio.engine.kernels.voices import sync_hot, voice_level


@kernel
def one_shot(a: np.ndarray, ly: np.ndarray, v: int) -> bool:
    """Whether voice ``v`` plays its own length (a drum, a sample without ``loop``)."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    inst = int(a[vb + L.V_INST * mv + v])
    if inst >= P.I_BD and inst <= P.I_HT:
        return True
    return inst == P.I_SAMPLE and a[vb + L.V_LOOP * mv + v] <= 0.0


@kernel
def release_keys(a: np.ndarray, ly: np.ndarray, p: np.ndarray, bus: int, key: float,
                 now: int, all_notes: bool) -> int:
    """Close the gates of the held voices of ``key`` on ``bus`` at frame ``now``.

    ``key < 0`` releases every held voice of the bus, ``bus < 0`` looks at every bus.
    ``all_notes`` (a track removed): every sounding note of the bus goes into its
    release, held or not, except one-shots (drums, samples without ``loop``), which
    end on their own. Voices already releasing (or stolen) are left alone. Returns how
    many were released.
    """
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    count = 0
    for v in range(mv):
        held = a[vb + L.V_KEY * mv + v]
        if a[vb + L.V_ACTIVE * mv + v] == 0.0 or a[vb + L.V_STOLEN * mv + v] > 0.0:
            continue
        if all_notes:
            if one_shot(a, ly, v):
                continue
        elif held <= 0.0:
            continue
        if (key >= 0.0 and held != key) or (bus >= 0 and int(a[vb + L.V_BUS * mv + v]) != bus):
            continue
        age = float(now - int(a[vb + L.V_ONSET * mv + v]))
        if age >= a[vb + L.V_GATE * mv + v]:
            continue
        level = voice_level(a, ly, v, age - 1.0) if age >= 1.0 else 0.0
        a[vb + L.V_GATE * mv + v] = age
        a[vb + L.V_LG * mv + v] = level
        a[vb + L.V_END * mv + v] = age + a[vb + L.V_R * mv + v]
        a[vb + L.V_KEY * mv + v] = 0.0
        sync_hot(a, ly, p, v)
        count += 1
    return count

"""EngineProcess bookkeeping that needs no process: track ids, mute/solo -> bus mutes."""

from __future__ import annotations

from livestudio.engine.host.client import EngineProcess, is_midi


def test_solo_mutes_every_other_known_track() -> None:
    link = EngineProcess()
    for name in ("drums", "bass", "pad"):
        link.track_id(name)
    link.set_track_state("bass", muted=False, soloed=True)
    assert link._engine_muted.get(0) and not link._engine_muted.get(1) and link._engine_muted.get(2)
    link.set_track_state("bass", muted=False, soloed=False)
    assert not any(link._engine_muted.values())
    link.set_track_state("pad", muted=True, soloed=False)
    assert link._engine_muted[2] and not link._engine_muted[0]


def test_midi_events_are_told_apart() -> None:
    assert is_midi({"note": 60, "midiport": "MicroFreak"})
    assert is_midi({"note": 60, "target": "midi"})
    assert not is_midi({"s": "bd"})

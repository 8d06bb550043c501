"""Review tests for control patterns, derived from Strudel's controls.mjs
(``registerControl(names, ...aliases)`` / ``createParam(names)``).

In Strudel a control registered with a *list* of names splits a ``:`` list value over
those names (``withVal``: ``xs.forEach((x, i) => { if (i < names.length)
result[names[i]] = x })``), for every such control, not only ``s``:
``registerControl(['note', 'n'])``, ``(['cutoff', 'resonance', 'lpenv'], 'ctf', 'lpf',
'lp')``, ``(['hcutoff', 'hresonance', 'hpenv'], 'hpf', 'hp')``, ``(['bandf', 'bandq',
'bpenv'], 'bpf', 'bp')``, ``(['delay', 'delaytime', 'delayfeedback'])``,
``(['room', 'size'])``. A single value just sets the first name.

``withVal`` also takes an object with an unnamed ``value`` key apart: its other keys
are kept and ``value`` goes to the control (``bag[name] = xs``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_review_helpers import check, seq_haps  # noqa: E402

from livestudio.patterns import n, note, s  # noqa: E402
from livestudio.patterns.mini import mini  # noqa: E402


def test_s_split_still_works() -> None:
    check(s("bd:3 sn:1:0.5"), 0, 1,
          seq_haps([{"s": "bd", "n": 3}, {"s": "sn", "n": 1, "gain": 0.5}]))


def test_note_splits_into_note_and_n() -> None:
    check(note("c3:2 e3"), 0, 1, seq_haps([{"note": "c3", "n": 2}, {"note": "e3"}]))


def test_lpf_splits_into_cutoff_and_resonance() -> None:
    check(s("bd*2").lpf("1000:10 500"), 0, 1,
          seq_haps([{"s": "bd", "cutoff": 1000, "resonance": 10},
                    {"s": "bd", "cutoff": 500}]))


def test_delay_splits_into_three_controls() -> None:
    check(s("bd").delay("0.5:0.25:0.8"), 0, 1,
          [(0, 1, {"s": "bd", "delay": 0.5, "delaytime": 0.25, "delayfeedback": 0.8})])


def test_bpf_hpf_room_split() -> None:
    check(s("bd").bpf("500:2").hpf("200:5").room("0.9:4"), 0, 1,
          [(0, 1, {"s": "bd", "bandf": 500, "bandq": 2, "hcutoff": 200, "hresonance": 5,
                   "room": 0.9, "size": 4})])


def test_plain_control_keeps_the_list() -> None:
    """``registerControl('n')`` (one name): the list stays the value."""
    check(n("0:1"), 0, 1, [(0, 1, {"n": [0, 1]})])


def test_control_of_unnamed_value_object() -> None:
    """mini("0 1").hurry(2) has values {value: v, speed: 2}; n(...) of that moves
    ``value`` to ``n`` and keeps ``speed``."""
    check(n(mini("0 1").hurry(2)), 0, 1,
          seq_haps([{"n": 0, "speed": 2}, {"n": 1, "speed": 2}] * 2))


def test_common_single_name_controls_exist() -> None:
    """registerControl('bank'), ('accelerate'), ('hold'), ('djf'): plain keys."""
    pat = s("bd").bank("RolandTR909").accelerate(1).hold(0.5).djf(0.25)
    check(pat, 0, 1, [(0, 1, {"s": "bd", "bank": "RolandTR909", "accelerate": 1,
                              "hold": 0.5, "djf": 0.25})])


def test_control_method_without_argument_wraps_the_values() -> None:
    """createParam's setter: `if (!pats.length) return this.fmap(withVal)` (newer
    versions: `if (typeof value === 'undefined') return pat.fmap(withVal)`), as in the
    common Strudel idiom "c3 e3".note()."""
    check(mini("c3 e3").note(), 0, 1, seq_haps([{"note": "c3"}, {"note": "e3"}]))
    check(mini("bd:3 sn").s(), 0, 1, seq_haps([{"s": "bd", "n": 3}, {"s": "sn"}]))
    check(mini("0 1").hurry(2).n(), 0, 1,
          seq_haps([{"n": 0, "speed": 2}, {"n": 1, "speed": 2}] * 2))

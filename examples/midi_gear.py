"""midi_gear: drive a hardware synth and a drum machine over MIDI.

Teaches: `.midi(port=..., channel=...)` routing, note length from `legato`, velocity,
and CC automation. Port names are matched by substring; `livestudio devices` lists
them. Without the gear connected, livestudio names the ports it can see and keeps the
other tracks playing. MIDI clock out and clock-follow are chosen with `--sync`.
"""

from livestudio import *

tempo(bpm=118)

# A chord sequence on a poly synth (say a MicroFreak on channel 1).
keys = (chord("<Cm7 Fm7 Ab^7 G7>").voicing().struct("x ~ ~ x ~ x ~ ~")
        .legato(0.8).velocity(0.7)
        .midi(port="MicroFreak", channel=1))

# Cutoff automation as CC 74 on the same synth.
keys_filter = cc(74, sine.range(30, 110).slow(8).segment(16)).midi(port="MicroFreak", channel=1)

# A drum machine on channel 10: General MIDI drum notes (36 kick, 38 snare, 42 hat).
machine = (note("36 ~ [~ 36] ~, ~ 38, 42*8").velocity("0.9 0.6")
           .midi(port="TR-8", channel=10))

# The internal synth doubles the bass so the set still sounds without gear.
bass = n("<0 3 5 4>").scale("C2:minor").s("saw").cutoff(900).decay(0.3).sustain(0.2).gain(0.6)

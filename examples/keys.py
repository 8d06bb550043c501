"""keys: play the built-in synth from a MIDI keyboard over a groove.

Teaches: `midikeys()` tracks, styled like any other track; a patch that changes while
you play (a filter sweep, an instrument per cycle), a split by MIDI channel, and
mute/solo on keys. Start it with your keyboard's port (`livestudio devices` lists them):

    livestudio play examples/keys.py --midi-in Keystation

Each key plays the track's patch of that moment and holds until you let go (the
sustain pedal, CC 64, holds too). Without `--midi-in` the groove plays and livestudio
says the keys have no input; an offline render leaves the keys tracks silent.
"""

from livestudio import *

tempo(bpm=100)

# Channel 1: a supersaw lead whose filter opens and closes over 8 cycles.
lead = (midikeys(channel=1).s("supersaw").detune(0.25).gain(0.5)
        .cutoff(sine.range(800, 4000).slow(8)).resonance(0.3)
        .attack(0.01).decay(0.2).sustain(0.7).release(0.4)
        .room(0.3).size(0.7))

# Channel 2, an octave down: a round bass, saw and square taking turns each cycle.
bass = (midikeys(channel=2, transpose=-12).s("<saw square>").cutoff(700)
        .attack(0.005).decay(0.1).sustain(0.8).release(0.08).gain(0.6))

# Something to play along with.
drums = s("bd*2, ~ cp, hh*8").gain("0.9 0.7")
pad = (chord("<Am7 F^7 C^7 G7>").voicing().s("triangle")
       .attack(0.3).release(1.2).gain(0.12).room(0.5))

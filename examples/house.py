"""house: a classic deep-house groove at 124 BPM.

Teaches: layering drums with `stack`, chord stabs with `struct`, `every` for
variation, and an offbeat bass.
"""

from livestudio import *

tempo(bpm=124)

# `stack` plays patterns at the same time; a comma inside mini-notation does too.
drums = stack(
    s("bd*4").gain(0.9),
    s("~ cp").gain(0.7).room(0.2),
    s("[~ hh]*4").gain(0.5),                 # offbeat hats: the house signature
    s("hh*16").gain(0.15).degrade_by(0.3),   # ghost sixteenths
)

# Organ-ish chord stabs: voicings of a minor-seventh loop, played on a rhythm given
# by `struct` ("x" = play, "~" = rest).
stabs = (chord("<Dm7 Dm7 Gm7 Am7>").voicing().struct("~ x ~ ~ x ~ x ~")
         .s("square").pw(0.4).cutoff(1800).attack(0.002).decay(0.2).sustain(0.0)
         .release(0.1).gain(0.1).room(0.4).size(0.6))

# An offbeat bass line that plays the root an octave down every fourth cycle.
bass = (note("<d2 d2 g1 a1>").struct("~ x ~ x ~ x ~ x")
        .every(4, lambda p: p.add(-12))
        .s("sine").shape(0.3).decay(0.2).sustain(0.3).release(0.1).gain(0.6))

# A filtered top line that slowly opens up.
topline = (n("0 ~ 2 4 ~ 2 ~ 7").scale("D4:dorian").s("tri")
           .cutoff(saw.range(800, 4000).slow(16)).gain(0.3)
           .delay(0.3).delaytime(0.375).delaysync(1).delayfeedback(0.35))

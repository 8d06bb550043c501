"""techno: a driving warehouse loop at 132 BPM.

Teaches: euclidean rhythms `(k,n)`, signals as parameters (`saw.range(...)`),
`sometimes_by`, `off`, and big reverb sends.
"""

from livestudio import *

tempo(bpm=132)

kick = s("bd*4").gain(1.1).shape(0.2)
rumble = (s("bd*4").late(0.125).speed(0.5).cutoff(200).room(0.9).size(0.9).gain(0.15))

# Euclidean rhythms spread k hits over n steps as evenly as possible.
percussion = stack(
    s("rim(3,8,2)").gain(0.5),
    s("lt(5,16)").gain(0.4).pan(0.3),
    s("hh(7,16)").gain(0.35).pan(0.7),
)
hats = s("[~ oh]*4").gain(0.4).cutoff(saw.range(3000, 9000).slow(4))

# A hypnotic one-note synth line with an accent pattern and a random octave jump.
stab = (note("c3*16").gain(".25 .12 .18 .12").s("saw")
        .cutoff(sine.range(300, 2400).slow(16)).resonance(0.6)
        .decay(0.08).sustain(0).release(0.05)
        .sometimes_by(0.2, lambda p: p.add(12)))

# `off` plays a shifted, transformed copy on top: an echo a fifth up.
echo = (note("<c4 eb4>(3,8)").s("fm").decay(0.1).sustain(0).gain(0.2)
        .off(0.1875, lambda p: p.add(7))
        .room(0.6).size(0.8))

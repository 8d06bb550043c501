"""ambient: slow, spacious textures at 70 BPM.

Teaches: `slow`, long envelopes, `perlin` noise as a gentle modulator, `jux` for
stereo width, and feedback delay.
"""

from livestudio import *

tempo(bpm=70)

# Pads change chord every two cycles; perlin noise drifts the filter.
pads = (chord("<F^7 Am7 Dm9 C^7>").slow(2).voicing().s("supersaw")
        .attack(1.5).release(3).sustain(0.8).gain(0.06)
        .cutoff(perlin.range(600, 2400).slow(4)).room(0.9).size(0.95))

# Sparse bell tones: FM, a pentatonic scale, random rests, wide stereo with `jux`.
bells = (n("0 ~ 4 ~ 2 ~ 7 ~ ~ 9 ~ ~").scale("F4:major:pentatonic").s("fm").fmi(2).fmh(3.5)
         .degrade_by(0.4).decay(1.2).sustain(0).release(2).gain(0.15)
         .jux(lambda p: p.rev())
         .delay(0.5).delaytime(0.5).delayfeedback(0.6))

# Wind: pink noise through a slow band-pass sweep.
wind = (s("pink").bandf(sine.range(300, 1800).slow(16)).bandq(2)
        .attack(2).release(2).legato(1).gain(0.5).room(0.5))

# A deep sub pulse.
sub = note("<f1 a1 d1 c1>").slow(2).s("sine").attack(0.3).release(1).gain(0.4)

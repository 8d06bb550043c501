"""acid: a 303-style acid line at 128 BPM.

Teaches: a filter envelope (`lpenv`: every note opens the filter and it decays back,
the 303 squelch), patterned sweeps on top, resonance, accents with `gain` and a deeper
envelope on the accents, and `sometimes_by` for octave jumps.
"""

from livestudio import *

tempo(bpm=128)

drums = s("bd*4, [~ cp]*2, hh*8?").gain(".8 .6")

# The squelch: a resonant low-pass saw; each note's filter envelope opens it by 2-3.5
# octaves and decays in 0.18 s, while the base cutoff follows a slow sine.
acid = (note("<c2 c2 eb2 g1>*8").s("saw")
        .cutoff(sine.range(250, 1200).slow(8)).resonance(0.7).release(0.12)
        .lpenv("3.5 2 2.5 2 3.5 2 3 2").lpdecay(0.18).lpsustain(0.1)
        .gain(".4 .25 .32 .25 .4 .25 .36 .25")
        .sometimes_by(0.25, lambda p: p.add(12)))

# A second line answering the first, panned right, with a dotted-eighth delay.
answer = (note("~ c3 ~ [eb3 g3]").s("square").pw(0.25)
          .cutoff(1200).resonance(0.4).decay(0.1).sustain(0).gain(0.2)
          .delay(0.35).delaytime(0.1875).delaysync(1).delayfeedback(0.5).pan(0.75))

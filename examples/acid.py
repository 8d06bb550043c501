"""acid: a 303-style acid line at 128 BPM.

Teaches: patterned filter sweeps, resonance, accents with `gain`, slides via short
releases, and `sometimes_by` for octave jumps.
"""

from livestudio import *

tempo(bpm=128)

drums = s("bd*4, [~ cp]*2, hh*8?").gain(".8 .6")

# The squelch: a resonant low-pass saw whose cutoff follows a slow sine.
acid = (note("<c2 c2 eb2 g1>*8").s("saw")
        .cutoff(sine.range(300, 3000).slow(8)).resonance(0.7).release(0.12)
        .gain(".4 .25 .32 .25 .4 .25 .36 .25")
        .sometimes_by(0.25, lambda p: p.add(12)))

# A second line answering the first, panned right, with a dotted-eighth delay.
answer = (note("~ c3 ~ [eb3 g3]").s("square").pw(0.25)
          .cutoff(1200).resonance(0.4).decay(0.1).sustain(0).gain(0.2)
          .delay(0.35).delaytime(0.1875).delaysync(1).delayfeedback(0.5).pan(0.75))

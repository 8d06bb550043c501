"""breakbeat: drum and bass at 174 BPM.

Teaches: syncopated mini-notation (`[ ]`, `~`, `@` weights), `chunk`, `iter`,
`ply`, and a reese-style bass from a detuned supersaw.
"""

from livestudio import *

tempo(bpm=174)

# The two-step: kick on 1 and the "and" of 3, snare on 2 and 4 (a cycle is one bar).
kick = s("bd ~ ~ ~ ~ ~ bd ~ ~ ~ bd ~ ~ ~ ~ ~").gain(1.0)
snare = s("~ sd").gain(0.8).room(0.2).chunk(4, lambda p: p.ply(2))
hats = s("hh*8").gain("0.4 0.2 0.5 0.2").iter(4)
ghost = s("[~ sd]*4?0.6").gain(0.2)

# A reese bass: a wide supersaw, low-passed, moving slowly between roots.
reese = (note("<e1 e1 c1 d1>").s("supersaw").detune(0.25)
         .cutoff(sine.range(200, 900).slow(8)).resonance(0.2)
         .attack(0.01).release(0.2).legato(1).gain(0.3))

# Atmosphere: long, quiet chords with lots of reverb.
atmos = (chord("<Em9 C^7 D6 Bm7>").voicing().s("tri")
         .attack(0.5).release(1.5).gain(0.07).room(0.8).size(0.95))

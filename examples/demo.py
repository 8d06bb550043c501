"""demo: the showcase `make play` opens. Sound from the first beat.

Every top-level name bound to a pattern is a track. Edit anything and save: the
changed tracks swap in at the next cycle. Break something on purpose (a typo in a
mini-notation string): the last good version keeps playing and the error shows up.
"""

from livestudio import *

tempo(bpm=122)

# Drums, all synthesized: four on the floor, claps on 2 and 4, sixteenth hats
# with a little randomness (`?0.2` drops about a fifth of them) and some swing.
kick = s("bd*4").gain(1.0)
clap = s("~ cp ~ cp").gain(0.6).room(0.25).size(0.4)
hats = s("hh*16?0.2").gain("0.45 0.25 0.55 0.25").pan(sine.slow(4).range(0.3, 0.7)).swing_by(0.04, 4)
open_hat = s("~ oh ~ oh ~ oh ~ [oh oh]").gain(0.3)
# A euclidean rimshot: 3 hits spread over 8 steps, rotated by 2.
rim = s("rim(3,8,2)").gain(0.35).pan(0.35)

# A bass line: scale degrees in A minor, two octaves down, alternating every cycle.
bass = (n("<[0 ~ 0 3] [0 ~ 5 3]> <[~ 7 ~ 5] [~ 3 ~ 2]>").scale("A1:minor")
        .s("saw").cutoff(sine.range(400, 1600).slow(8)).resonance(0.3)
        .attack(0.005).decay(0.15).sustain(0.4).release(0.08).gain(0.4))

# Chords: jazz voicings of a four-bar progression, a soft supersaw pad in a big room.
pad = (chord("<Am9 F^7 C^7 G6>").voicing().s("supersaw")
       .attack(0.2).release(0.8).cutoff(2200).gain(0.07)
       .room(0.7).size(0.85))

# A lead with a tempo-synced delay: delaysync(1) makes delaytime count in cycles,
# so 0.1875 (3/16 of a cycle) is a dotted eighth at any tempo.
lead = (n("<0 2 4 [7 6]> ~ <4 2> [~ 0]").scale("A4:minor").s("square").pw(0.3)
        .cutoff(3000).release(0.15).gain(0.22)
        .delay(0.4).delaytime(0.1875).delaysync(1).delayfeedback(0.45).pan(0.6))

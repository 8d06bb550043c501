from livestudio import *

tempo(bpm=128)


drums = s("bd*4, hh*4")
bass = note("c2 ~ ~ eb2 ~ ~ g1 ~").s("saw")

chords = n("<0 2>").s("supersquare")

gear = note("c3 eb3").midi(port="MicroFreak", channel=1)

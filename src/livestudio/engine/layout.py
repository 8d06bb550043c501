"""The engine's memory map: one float64 arena, named offsets in one int64 array.

Everything the block render touches lives in three preallocated arrays, so that a
Numba ``@cfunc`` audio callback (no GIL, no Python objects) can reach all of it from
raw pointers:

- ``arena``  float64[::1]: globals, voices (structure of arrays), scratch buffers,
  buses (delay lines, reverb), master (DC blocker, limiter), the event ring, the
  pending-event table, the sample table and the status outputs;
- ``layout`` int64[::1]: sizes and offsets into ``arena`` (indices ``LY_*`` below);
- ``pool``   float32[::1]: wavetables, then decoded sample data (append-only).

Integers stored in the arena (frames, counters, indices) are exact: every one stays
below 2**53. Index constants are module-level ints, so Numba folds them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# ---------------------------------------------------------------- layout indices
LY_SR = 0            # sample rate (Hz)
LY_MV = 1            # physical voice slots (max_voices + steal margin)
LY_MAXV = 2          # logical voice limit (voices that may sound at once)
LY_NB = 3            # buses (orbits)
LY_CH = 4            # internal chunk length (frames)
LY_RING_CAP = 5      # event ring rows
LY_PEND_CAP = 6      # pending-event table rows
LY_GLOBALS = 7       # offset of globals (G_*)
LY_VOICES = 8        # offset of voice fields: arena[LY_VOICES + field * MV + v]
LY_SRC = 9           # source scratch [CH][MV]
# 10: unused
LY_LANES = 11        # pass-2 lanes per chunk row [CH] (1 + the last slot sounding there)
LY_GAINS = 12        # per-bus voice gains [NB][6][MV] (dry L/R, delay L/R, reverb L/R)
LY_BUSBUF = 13       # bus inputs [NB][6][CH]
LY_BUSST = 14        # bus state [NB][BUS_FIELDS]
LY_DELAY = 15        # delay lines [NB][2][DLEN]
LY_DLEN = 16         # delay line length (frames)
LY_REVERB = 17       # reverb buffers [NB][REVLEN]
LY_REVLEN = 18       # floats per bus of reverb buffers
LY_REVTAPS = 19      # offset of reverb lengths (16 combs then 8 allpasses) in arena
LY_MASTER = 20       # master state
LY_MBUF = 21         # master mix [2][CH]
LY_LA = 22           # limiter lookahead window (frames)
LY_LIMBUF = 23       # limiter ring buffers (see kernels/master.py)
LY_TPFIR = 24        # true-peak interpolation FIR [4][TP_TAPS]
LY_RING = 25         # event ring [RING_CAP][ROW]
LY_PEND = 26         # pending events [PEND_CAP][ROW]
LY_STATUS = 27       # status outputs (ST_*), then per-bus levels [NB][4]
LY_SMPTAB = 28       # sample table [SMP_CAP][SMP_FIELDS]
LY_SMP_CAP = 29      # sample table rows
LY_TAB_N = 30        # wavetable length (power of two; each table has N + 1 points)
LY_TAB_LEVELS = 31   # band-limit levels per waveform
LY_TAB_SAW = 32      # pool offset of the saw tables
LY_TAB_TRI = 33      # pool offset of the triangle tables
LY_TAB_SINE = 34     # pool offset of the sine table
LY_TAB_HARM = 35     # arena offset of the harmonic count per level [LEVELS]
LY_POOL_SIZE = 36    # pool length (float32)
LY_ARENA_SIZE = 37   # arena length (float64)
LY_SORT = 38         # scratch for due-event ordering [PEND_CAP]
LY_USED = 39         # scratch list of buses in use [NB]
LY_TAB_ZERO = 40     # pool offset of an all-zero table (voices fed by pass 1)
LY_SCRATCH = 41      # kernel scratch, at least [8][CH]
LY_HOT = 42          # pool offset of the float32 pass-2 state [H_FIELDS][MV], then gains
LY_HGAINS = 43       # pool offset of float32 voice gains [NB][6][MV]
LY_SIZE = 48

# ---------------------------------------------------------------- globals
G_FRAME = 0          # next frame to render
G_CPS = 1            # cycles per second (for delaytime in cycles)
G_RING_W = 2         # ring write counter (producer only)
G_RING_R = 3         # ring read counter (render only)
G_SEQ = 4            # arrival counter of events (orders equal frames)
G_PEND_N = 5         # rows in use in the pending table
G_VOICE_SEQ = 6      # voice start counter (age for stealing, noise seeds)
G_SEED = 7           # user seed mixed into every voice's noise generator
G_VOICE_HI = 8       # no voice slot at or above this is active (an upper bound)
G_FIELDS = 16

# ---------------------------------------------------------------- status outputs
ST_ACTIVE = 0        # voices sounding after the last block
ST_NAN_VOICES = 1    # voices silenced for NaN/Inf (cumulative)
ST_LATE = 2          # events that arrived after their frame (cumulative)
ST_DROPPED = 3       # events dropped: pending table full (cumulative)
ST_STOLEN = 4        # voices stolen (cumulative)
ST_PEAK_L = 5        # master output peak, last block
ST_PEAK_R = 6
ST_RMS_L = 7         # master output RMS, last block
ST_RMS_R = 8
ST_LIMIT_GAIN = 9    # lowest limiter gain in the last block (1 = no limiting)
ST_BAD_SAMPLES = 10  # non-finite bus samples replaced by 0 (cumulative)
ST_BLOCKS = 11       # blocks rendered (cumulative)
ST_FIELDS = 16       # then per bus: peak L, peak R, RMS L, RMS R (post effects)

# ---------------------------------------------------------------- sample table
SMP_OFF = 0          # pool offset of the first frame (interleaved channels)
SMP_FRAMES = 1
SMP_CHANNELS = 2
SMP_RATE = 3         # file sample rate
SMP_FIELDS = 4

# ---------------------------------------------------------------- bus state
B_MUTED = 0
B_DTIME = 1          # delay time (seconds or cycles, see B_DSYNC)
B_DSYNC = 2          # 1: B_DTIME is in cycles and follows the tempo
B_DFB = 3            # delay feedback
B_DPOS = 4           # delay write position
B_DIDLE = 5          # frames of silent delay input and output
B_ROOM = 6           # unused: room is a per-voice send (kept for the status view)
B_SIZE = 7           # reverb size 0..1
B_RIDLE = 8          # frames of silent reverb
B_NVOICES = 9        # voices on this bus
B_NDELAY = 10        # voices with a delay send
B_NROOM = 11         # voices with a reverb send
B_RPOS = 12          # 24 reverb buffer positions (16 combs, 8 allpasses)
B_RFILT = 36         # 16 comb damping filter states
B_MUTE_AT = 52       # frame the latest mute/unmute took effect at
B_MUTE_PREV = 53     # B_MUTED before it (the target for the frames before B_MUTE_AT)
B_TOUCHED = 54       # voices wrote into this bus's input rows in the current chunk
B_MUTING = 55        # how far the mute has faded the bus: 0 open .. 1 silent (5 ms ramps)
BUS_FIELDS = 56

# ---------------------------------------------------------------- master state
M_DC_X1 = 0          # DC blocker x[n-1], y[n-1] per channel
M_DC_Y1 = 2
M_POS = 4            # limiter write position (frames)
M_REL = 5            # limiter release-smoothed gain
M_CEIL = 6           # limiter ceiling (linear, true peak)
M_TPPREV = 7         # true peak of the previous inter-sample interval
M_ZEROS = 8          # consecutive frames of exactly silent master input
M_GMIN = 9           # minimum of the required-gain window
M_GSUM = 10          # sum of the smoothed-gain window
M_BYPASS = 11        # 1: no master bus, the output is the plain sum of the buses
M_FIELDS = 12

TP_TAPS = 16         # taps per phase of the 4x true-peak interpolator (master.fir_peaks: 16)
REV_COMBS = 8        # per channel
REV_ALLPASS = 4      # per channel

# ---------------------------------------------------------------- voice fields
V_ACTIVE = 0         # 0 free, 1 sounding
V_INST = 1
V_BUS = 2
V_SEQ = 3            # start order (stealing picks the oldest)
V_ONSET = 4          # frame of the first sample
V_GATE = 5           # gate length (frames); release starts at onset + gate
V_END = 6            # age (frames) after which the voice is free
V_A = 7              # attack, decay, release (frames), sustain level
V_D = 8
V_S = 9
V_R = 10
V_FADE = 11          # steal fade multiplier (1 until stolen)
V_FADE_STEP = 12     # per-frame decrement while stolen
V_STOLEN = 13
V_PHASE0 = 14        # oscillator phase at onset (cycles)
V_INC = 15           # phase increment per frame (cycles)
V_TAB = 16           # pool offset of the band-limited table
V_PW = 17            # pulse width
V_IC1 = 18           # low-pass SVF state and coefficients
V_IC2 = 19
V_A1 = 20
V_A2 = 21
V_A3 = 22
V_M0 = 23            # output mix: m0 * input + m2 * low-pass
V_M2 = 24
V_HP = 25            # high-pass on (1/0), state, coefficients, k
V_HP_IC1 = 26
V_HP_IC2 = 27
V_HP_A1 = 28
V_HP_A2 = 29
V_HP_A3 = 30
V_HP_K = 31
V_BP = 32            # band-pass on (1/0), state, coefficients, k
V_BP_IC1 = 33
V_BP_IC2 = 34
V_BP_A1 = 35
V_BP_A2 = 36
V_BP_A3 = 37
V_BP_K = 38
V_SHAPE = 39
V_CRUSH = 40
V_COARSE = 41
V_COARSE_HOLD = 42
V_LEVEL = 43         # gain * velocity * amp
V_SPREAD = 44        # per-instrument parameter (supersaw detune, drum decay scale)
V_N = 45             # per-instrument count (supersaw voices)
V_FMH = 46           # FM ratio, index, envelope (frames / level)
V_FMI = 47
V_FMA = 48
V_FMD = 49
V_FMS = 50
V_FMR = 51
V_SMP = 52           # sample row in the sample table
V_RATE = 53          # sample frames per output frame (signed)
V_BEGIN = 54         # first and last source frame (float)
V_ENDF = 55
V_LOOP = 56
V_RNG = 57           # noise generator state (exact integer < 2**32)
V_PH = 58            # running phase of the pass-2 oscillator (cycles)
V_INC2 = 59          # pass-2 oscillator increment (0 for pass-1 voices)
V_TAB2 = 60          # pass-2 oscillator table (zero table for pass-1 voices)
V_EXT = 61           # 1: pass 1 writes this voice's source into src[t][v]
V_IA = 62            # 1 / attack frames (1e30 when attack is 0)
V_ID = 63            # 1 / decay frames
V_IR = 64            # 1 / release frames
V_LG = 65            # envelope level when the gate closes
V_AUX = 66           # 40 instrument-specific state slots
AUX_N = 40
V_KEY = V_AUX + AUX_N  # key id of a held voice (a keyboard note; 0: none), see K_RELEASE
V_FENV = V_KEY + 1   # low-pass envelope: depth (octaves; 0 = none), stage lengths (frames),
V_FA = V_KEY + 2     # sustain level, the cutoff it starts from (Hz) and the filter's Q
V_FD = V_KEY + 3
V_FS = V_KEY + 4
V_FR = V_KEY + 5
V_FCUT = V_KEY + 6
V_FQ = V_KEY + 7
V_CUT = V_KEY + 8    # cut group (0: none)
V_FIELDS = V_KEY + 9

# ---------------------------------------------------------------- float32 pass-2 state
# (in the pool, so the hot loop moves half the bytes; mirrored from the float64 fields)
H_PH = 0             # oscillator phase
H_INC = 1            # oscillator increment
H_TAB = 2            # table offset (exact: pool offsets < 2**24)
H_IC1 = 3            # low-pass SVF state
H_IC2 = 4
H_C1 = 5             # low-pass SVF coefficients a1, a2, a3
H_C2 = 6
H_C3 = 7
H_M0 = 8             # output mix m0 * input + m2 * low-pass
H_M2 = 9
H_U = 10             # envelope: 1 / attack
H_AM1 = 11           # attack - 1
H_IDC = 12           # 1 / decay
H_SD = 13            # 1 - sustain
H_S = 14             # sustain
H_G = 15             # gate (frames)
H_GM1 = 16           # gate - 1
H_LG = 17            # level when the gate closes
H_LGIR = 18          # that level / release frames
H_N0 = 19            # age at the start of the current sub-range (written by pass 1)
H_KIDX = 20          # scratch: table index
H_KFR = 21           # scratch: interpolation fraction
H_ROW = 22           # scratch: one output row
H_FIELDS = 23
VOICE_LANES = 1      # pass 2 runs voice slots in whole groups of this many
MAX_AGE = 1 << 23    # gates are capped so ages stay exact in float32 (175 s at 48 kHz)

# ---------------------------------------------------------------- event row slots
R_FRAME = 0          # onset frame (exact integer)
R_KIND = 1           # K_* below
R_SEQ = 2            # arrival order, set by the render when it takes the row
R_INST = 3           # instrument id (params.INSTRUMENTS)
R_BUS = 4            # orbit
R_DUR = 5            # gate length in seconds (scheduler: whole * legato / cps)
R_FREQ = 6           # Hz
R_LEVEL = 7          # gain * velocity * amp
R_PAN = 8            # 0 left .. 1 right
R_ATT = 9            # seconds
R_DEC = 10
R_SUS = 11           # level 0..1
R_REL = 12
R_CUTOFF = 13        # low-pass Hz, 0 = off
R_RES = 14           # low-pass Q
R_HCUTOFF = 15       # high-pass Hz, 0 = off
R_HRES = 16
R_BANDF = 17         # band-pass Hz, 0 = off
R_BANDQ = 18
R_SHAPE = 19         # 0..0.99
R_CRUSH = 20         # bits, 0 = off
R_COARSE = 21        # hold factor, 0/1 = off
R_PW = 22
R_DETUNE = 23        # supersaw spread (semitones)
R_UNISON = 24        # supersaw voices
R_FMH = 25
R_FMI = 26
R_FMA = 27
R_FMD = 28
R_FMS = 29
R_FMR = 30
R_SAMPLE = 31        # sample table row, -1 = none
R_RATE = 32          # sample playback rate (speed * 2**((note-36)/12)), signed
R_BEGIN = 33         # 0..1 of the file
R_END = 34
R_LOOP = 35          # 1 = loop between begin and end for the gate length
R_DELAY = 36         # delay send 0..1
R_DELAYTIME = 37     # seconds, or cycles when R_DELAYSYNC = 1
R_DELAYFB = 38
R_DELAYSYNC = 39
R_ROOM = 40          # reverb send 0..1
R_SIZE = 41          # reverb size 0..1
R_VALUE = 42         # command argument (cps, mute flag)
R_KEY = 43           # key id (>= 1): a held note (gate open until K_RELEASE); 0 = a plain note
R_FENV = 44          # low-pass envelope depth in octaves (0 = no filter envelope)
R_FATT = 45          # its attack, decay (seconds), sustain (0..1), release (seconds)
R_FDEC = 46
R_FSUS = 47
R_FREL = 48
R_CUT = 49           # cut group (> 0): a new note stops the sounding ones of its group and bus
ROW = 56

# event kinds
K_NOTE = 1
K_CPS = 2
K_PANIC = 3          # fade out every voice
K_MUTE = 4           # bus in R_BUS, 1/0 in R_VALUE
K_KILL = 5           # silence every voice at once, clear bus tails
K_FLUSH = 6          # on arrival: drop the queued note rows of bus R_BUS (-1: every bus)
K_RELEASE = 7        # close the gate of the held voices of key R_KEY (-1: all) on bus R_BUS (-1: all)


@dataclass(frozen=True)
class Sizes:
    """The sizes an engine is built with (everything else is derived)."""

    sample_rate: int = 48000
    max_voices: int = 256
    max_buses: int = 16
    chunk: int = 0  # 0: default_chunk(sample_rate)
    ring_capacity: int = 4096
    pending_capacity: int = 2048
    max_delay_s: float = 2.0
    lookahead: int = 64
    sample_capacity: int = 4096
    pool_floats: int = 1 << 24
    table_n: int = 2048
    table_levels: int = 42

    @property
    def voice_slots(self) -> int:
        """Physical voice slots: the limit plus room for stolen voices to fade, rounded
        up to whole groups of ``VOICE_LANES`` (pass 2 runs whole groups)."""
        slots = self.max_voices + max(4, self.max_voices // 8)
        return (slots + VOICE_LANES - 1) // VOICE_LANES * VOICE_LANES


MAX_CHUNK = 128
CHUNK_STEP = 32        # any chunk is a multiple of this (the filter envelope's step)
LONG_CHUNK_MAX = 256


def long_chunk(sample_rate: int) -> int:
    """A longer chunk for engines that do not run in a real-time callback (the offline
    render's track engines): the largest multiple of ``CHUNK_STEP`` up to
    ``LONG_CHUNK_MAX`` no longer than the shortest reverb filter (224 frames at 44.1 and
    48 kHz, against 128): the same work per frame, each chunk's fixed work spread over
    more frames. ``default_chunk`` when that is longer.

    >>> long_chunk(48000), long_chunk(44100), default_chunk(48000)
    (224, 224, 128)
    """
    shortest = int(reverb_lengths(sample_rate).min())
    chunk = min(LONG_CHUNK_MAX, shortest) // CHUNK_STEP * CHUNK_STEP
    return max(chunk, default_chunk(sample_rate))


def check_chunk(chunk: int, sample_rate: int) -> str | None:
    """Why ``chunk`` cannot be an engine's chunk at ``sample_rate`` (None: it can).

    >>> check_chunk(224, 48000) is None, check_chunk(250, 48000) is not None
    (True, True)
    """
    shortest = int(reverb_lengths(sample_rate).min())
    if chunk < CHUNK_STEP or chunk % CHUNK_STEP:
        return f"chunk {chunk} is not a positive multiple of {CHUNK_STEP}"
    if chunk > shortest:
        return f"chunk {chunk} is longer than the shortest reverb filter ({shortest} frames)"
    return None


def default_chunk(sample_rate: int) -> int:
    """The internal chunk: the largest power of two up to ``MAX_CHUNK`` frames that is
    no longer than the shortest reverb filter (128 at 44.1 and 48 kHz).

    Longer chunks spread each chunk's fixed work (events, buses, master) thinner.
    """
    shortest = int(reverb_lengths(sample_rate).min())
    chunk = MAX_CHUNK
    while chunk > shortest:
        chunk //= 2
    return chunk


def reverb_lengths(sample_rate: int) -> np.ndarray:
    """Freeverb comb (8 L, 8 R) and allpass (4 L, 4 R) lengths scaled to the rate."""
    combs = np.array([1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617], dtype=np.float64)
    allp = np.array([556, 441, 341, 225], dtype=np.float64)
    scale = sample_rate / 44100.0
    spread = 23
    lengths = np.concatenate([
        np.round(combs * scale), np.round((combs + spread) * scale),
        np.round(allp * scale), np.round((allp + spread) * scale)])
    return lengths


def build_layout(sizes: Sizes) -> np.ndarray:
    """Compute every offset; returns the int64 layout array (``LY_*`` indices)."""
    ly = np.zeros(LY_SIZE, dtype=np.int64)
    mv = sizes.voice_slots
    nb = sizes.max_buses
    ch = sizes.chunk or default_chunk(sizes.sample_rate)
    ly[LY_SR] = sizes.sample_rate
    ly[LY_MV] = mv
    ly[LY_MAXV] = sizes.max_voices
    ly[LY_NB] = nb
    ly[LY_CH] = ch
    ly[LY_RING_CAP] = sizes.ring_capacity
    ly[LY_PEND_CAP] = sizes.pending_capacity
    ly[LY_LA] = sizes.lookahead
    ly[LY_SMP_CAP] = sizes.sample_capacity
    ly[LY_TAB_N] = sizes.table_n
    ly[LY_TAB_LEVELS] = sizes.table_levels
    ly[LY_POOL_SIZE] = sizes.pool_floats

    dlen = int(round(sizes.max_delay_s * sizes.sample_rate)) + 4
    taps = reverb_lengths(sizes.sample_rate)
    if ch > taps.min():
        # the reverb runs one filter at a time over a chunk (kernels/effects.py)
        raise ValueError(f"chunk {ch} is longer than the shortest reverb filter {taps.min()}")
    revlen = int(taps.sum())
    la = sizes.lookahead
    regions: list[tuple[int, int]] = [
        (LY_GLOBALS, G_FIELDS),
        (LY_VOICES, V_FIELDS * mv),
        (LY_SRC, ch * mv),
        (LY_LANES, ch),
        (LY_SCRATCH, max(2 * mv, 8 * ch)),  # supersaw rows, master window, few-voice groups
        (LY_GAINS, nb * 6 * mv),
        (LY_BUSBUF, nb * 6 * ch),
        (LY_BUSST, nb * BUS_FIELDS),
        (LY_DELAY, nb * 2 * dlen),
        (LY_REVERB, nb * revlen),
        (LY_REVTAPS, 2 * (REV_COMBS + REV_ALLPASS)),
        (LY_MASTER, M_FIELDS),
        (LY_MBUF, 2 * ch),
        # limiter: delayed signal [2][la + TP_TAPS], required gains [la],
        # smoothed gains [la], true-peak history [2][2 * TP_TAPS] (mirrored)
        (LY_LIMBUF, 2 * (la + TP_TAPS) + la + la + 4 * TP_TAPS),
        (LY_TPFIR, 4 * TP_TAPS),
        (LY_RING, sizes.ring_capacity * ROW),
        (LY_PEND, sizes.pending_capacity * ROW),
        (LY_STATUS, ST_FIELDS + 4 * nb),
        (LY_SMPTAB, sizes.sample_capacity * SMP_FIELDS),
        (LY_TAB_HARM, sizes.table_levels),
        (LY_SORT, sizes.pending_capacity),
        (LY_USED, nb),
    ]
    pos = 0
    for index, size in regions:
        pos = (pos + 7) // 8 * 8  # 64-byte alignment of every region
        ly[index] = pos
        pos += size
    ly[LY_DLEN] = dlen
    ly[LY_REVLEN] = revlen
    ly[LY_ARENA_SIZE] = (pos + 7) // 8 * 8
    # pool: saw levels, triangle levels, one sine table, then samples
    tab = sizes.table_n + 1
    ly[LY_TAB_SAW] = 0
    ly[LY_TAB_TRI] = sizes.table_levels * tab
    ly[LY_TAB_SINE] = 2 * sizes.table_levels * tab
    ly[LY_TAB_ZERO] = ly[LY_TAB_SINE] + tab
    ly[LY_HOT] = (ly[LY_TAB_ZERO] + tab + 15) // 16 * 16
    ly[LY_HGAINS] = ly[LY_HOT] + H_FIELDS * mv
    return ly


def pool_tables_end(layout: np.ndarray) -> int:
    """First pool index after the wavetables (where sample data starts)."""
    return int(layout[LY_HGAINS] + 6 * layout[LY_NB] * layout[LY_MV])

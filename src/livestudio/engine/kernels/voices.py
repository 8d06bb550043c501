"""The voice pool: starting voices from event rows, stealing, rendering, freeing.

Rendering is two passes over a sub-range of the current chunk:

1. per voice (scalar): source (oscillator, drum, sample, noise) into ``src[t][v]``,
   insert effects (coarse, crush, shape, high-/band-pass) and the envelope into
   ``env[t][v]``;
2. across voices (vectorizes): the low-pass SVF, times the envelope, then one dot
   product per bus and output (dry L/R, delay send L/R, reverb send L/R) with the
   per-voice gain rows, accumulated into the bus inputs.
"""

from __future__ import annotations

import math

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine import params as P
from livestudio.engine.kernels.drums import drum_clap, drum_hat, drum_kick, drum_rim, drum_snare
from livestudio.engine.kernels.envelope import adsr_level, gate_level, inverse
from livestudio.engine.kernels.fewvoices import pass2_voices
from livestudio.engine.kernels.filterenv import FENV_STEP, any_filter_env, filter_envelopes
from livestudio.engine.kernels.filters import flush, svf_coefs, voice_inserts
from livestudio.engine.kernels.jit import kernel
from livestudio.engine.kernels.oscillators import (
    lcg_next, osc_fm, osc_pink, osc_pulse, osc_supersaw, osc_table, osc_white, table_offset)
from livestudio.engine.kernels.sampler import play_sample

STEAL_FADE_S = 0.005
LANES = L.VOICE_LANES
FEW_LANES = 8  # rows with at most this many lanes run voice by voice (pass2_voices)
MIN_RELEASE_S = 0.001


@kernel
def drum_length(inst: int) -> float:
    """Natural length of a drum in seconds (mirrors ``params.DRUM_LENGTH``)."""
    if inst == P.I_BD:
        return 0.9
    if inst == P.I_SD:
        return 0.45
    if inst == P.I_HH:
        return 0.2
    if inst == P.I_OH:
        return 0.9
    if inst == P.I_CP:
        return 0.6
    if inst == P.I_RIM:
        return 0.12
    if inst == P.I_LT:
        return 0.8
    if inst == P.I_MT:
        return 0.7
    return 0.6


@kernel
def free_voice(a: np.ndarray, ly: np.ndarray, p: np.ndarray, v: int) -> None:
    """Return voice ``v`` to the pool: zero its gains, states and bus counts."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    if a[vb + L.V_ACTIVE * mv + v] == 0.0:
        return
    b = int(a[vb + L.V_BUS * mv + v])
    bs = ly[L.LY_BUSST] + b * L.BUS_FIELDS
    g = ly[L.LY_GAINS] + b * 6 * mv
    hg = ly[L.LY_HGAINS] + b * 6 * mv
    a[bs + L.B_NVOICES] -= 1.0
    if a[g + 2 * mv + v] != 0.0 or a[g + 3 * mv + v] != 0.0:
        a[bs + L.B_NDELAY] -= 1.0
    if a[g + 4 * mv + v] != 0.0 or a[g + 5 * mv + v] != 0.0:
        a[bs + L.B_NROOM] -= 1.0
    for k in range(6):
        a[g + k * mv + v] = 0.0
        p[hg + k * mv + v] = 0.0
    a[vb + L.V_ACTIVE * mv + v] = 0.0
    silence_slot(a, ly, p, v)


@kernel
def silence_slot(a: np.ndarray, ly: np.ndarray, p: np.ndarray, v: int) -> None:
    """Make slot ``v`` render exact zeros in pass 2 (no source, no output mix)."""
    mv = ly[L.LY_MV]
    src = ly[L.LY_SRC]
    hot = ly[L.LY_HOT]
    for t in range(ly[L.LY_CH]):
        a[src + t * mv + v] = 0.0
    for f in range(L.H_FIELDS):
        p[hot + f * mv + v] = 0.0
    p[hot + L.H_TAB * mv + v] = ly[L.LY_TAB_ZERO]


@kernel
def sync_hot(a: np.ndarray, ly: np.ndarray, p: np.ndarray, v: int) -> None:
    """Mirror voice ``v``'s float64 pass-2 parameters into the float32 hot state."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    hot = ly[L.LY_HOT]
    ext = a[vb + L.V_EXT * mv + v] > 0.0
    p[hot + L.H_INC * mv + v] = 0.0 if ext else a[vb + L.V_INC * mv + v]
    p[hot + L.H_TAB * mv + v] = ly[L.LY_TAB_ZERO] if ext else a[vb + L.V_TAB * mv + v]
    p[hot + L.H_C1 * mv + v] = a[vb + L.V_A1 * mv + v]
    p[hot + L.H_C2 * mv + v] = a[vb + L.V_A2 * mv + v]
    p[hot + L.H_C3 * mv + v] = a[vb + L.V_A3 * mv + v]
    p[hot + L.H_M0 * mv + v] = a[vb + L.V_M0 * mv + v]
    p[hot + L.H_M2 * mv + v] = a[vb + L.V_M2 * mv + v]
    att = a[vb + L.V_A * mv + v]
    gate = a[vb + L.V_GATE * mv + v]
    lg = a[vb + L.V_LG * mv + v]
    p[hot + L.H_U * mv + v] = a[vb + L.V_IA * mv + v]
    p[hot + L.H_AM1 * mv + v] = att - 1.0
    p[hot + L.H_IDC * mv + v] = a[vb + L.V_ID * mv + v]
    p[hot + L.H_SD * mv + v] = 1.0 - a[vb + L.V_S * mv + v]
    p[hot + L.H_S * mv + v] = a[vb + L.V_S * mv + v]
    p[hot + L.H_G * mv + v] = gate
    p[hot + L.H_GM1 * mv + v] = gate - 1.0
    p[hot + L.H_LG * mv + v] = lg
    p[hot + L.H_LGIR * mv + v] = lg * a[vb + L.V_IR * mv + v]


@kernel
def voice_level(a: np.ndarray, ly: np.ndarray, v: int, n: float) -> float:
    """Voice ``v``'s envelope at age ``n`` (float64, same stages as the render)."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    return adsr_level(n, a[vb + L.V_IA * mv + v], a[vb + L.V_A * mv + v],
                      a[vb + L.V_ID * mv + v], a[vb + L.V_S * mv + v],
                      a[vb + L.V_GATE * mv + v], a[vb + L.V_LG * mv + v],
                      a[vb + L.V_IR * mv + v])


@kernel
def steal(a: np.ndarray, ly: np.ndarray, p: np.ndarray, v: int, now: int) -> None:
    """Fade voice ``v`` out over a few ms from frame ``now`` (a short forced release)."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    if a[vb + L.V_STOLEN * mv + v] > 0.0 or a[vb + L.V_ACTIVE * mv + v] == 0.0:
        return
    sr = float(ly[L.LY_SR])
    fade = max(1.0, math.floor(STEAL_FADE_S * sr))
    age = float(now - int(a[vb + L.V_ONSET * mv + v]))
    level = voice_level(a, ly, v, age - 1.0) if age >= 1.0 else 0.0
    a[vb + L.V_STOLEN * mv + v] = 1.0
    a[vb + L.V_GATE * mv + v] = age
    a[vb + L.V_LG * mv + v] = level
    a[vb + L.V_R * mv + v] = fade
    a[vb + L.V_IR * mv + v] = 1.0 / fade
    a[vb + L.V_END * mv + v] = age + fade
    sync_hot(a, ly, p, v)


@kernel
def cut_group(a: np.ndarray, ly: np.ndarray, p: np.ndarray, bus: int, cut: float, now: int) -> None:
    """``cut``: a new note of group ``cut`` on ``bus`` stops the group's sounding voices
    there (a closed hi-hat chokes the open one), with the steal's short fade."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    for v in range(mv):
        if a[vb + L.V_ACTIVE * mv + v] != 0.0 and a[vb + L.V_CUT * mv + v] == cut \
                and int(a[vb + L.V_BUS * mv + v]) == bus:
            steal(a, ly, p, v, now)


@kernel
def allocate(a: np.ndarray, ly: np.ndarray, p: np.ndarray, now: int) -> int:
    """A free voice slot for a note at ``now``; steals the oldest voice when full."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    st = ly[L.LY_STATUS]
    sounding = 0
    oldest = -1
    oldest_seq = 0.0
    free = -1
    for v in range(mv):
        if a[vb + L.V_ACTIVE * mv + v] == 0.0:
            if free < 0:
                free = v
        elif a[vb + L.V_STOLEN * mv + v] == 0.0:
            sounding += 1
            seq = a[vb + L.V_SEQ * mv + v]
            if oldest < 0 or seq < oldest_seq:
                oldest = v
                oldest_seq = seq
    if sounding >= ly[L.LY_MAXV] and oldest >= 0:
        steal(a, ly, p, oldest, now)
        a[st + L.ST_STOLEN] += 1.0
    if free >= 0:
        return free
    # every slot busy (many voices still fading): cut the one closest to its end
    best = -1
    best_left = 0.0
    for v in range(mv):
        left = a[vb + L.V_END * mv + v] - float(now - int(a[vb + L.V_ONSET * mv + v]))
        if best < 0 or left < best_left:
            best = v
            best_left = left
    free_voice(a, ly, p, best)
    return best


@kernel
def start_voice(a: np.ndarray, ly: np.ndarray, p: np.ndarray, r: int, now: int) -> None:
    """Start a voice from the event row at arena offset ``r``, first frame ``now``."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    gl = ly[L.LY_GLOBALS]
    sr = float(ly[L.LY_SR])
    nt = int(ly[L.LY_TAB_N])
    inst = int(a[r + L.R_INST])
    if inst == P.I_SAMPLE:
        row = int(a[r + L.R_SAMPLE])
        if row < 0 or row >= ly[L.LY_SMP_CAP]:
            return
        st = ly[L.LY_SMPTAB] + row * L.SMP_FIELDS
        if a[st + L.SMP_FRAMES] < 1.0:
            return
    cut = a[r + L.R_CUT]
    if cut > 0.0:
        cut_group(a, ly, p, int(a[r + L.R_BUS]), cut, now)
    v = allocate(a, ly, p, now)
    if v < 0:
        return
    for f in range(L.V_FIELDS):
        a[vb + f * mv + v] = 0.0
    silence_slot(a, ly, p, v)
    seq = a[gl + L.G_VOICE_SEQ]
    a[gl + L.G_VOICE_SEQ] = seq + 1.0
    bus = int(a[r + L.R_BUS])
    bus = min(max(bus, 0), int(ly[L.LY_NB]) - 1)
    a[vb + L.V_INST * mv + v] = inst
    a[vb + L.V_BUS * mv + v] = bus
    a[vb + L.V_CUT * mv + v] = cut
    a[vb + L.V_SEQ * mv + v] = seq
    a[vb + L.V_ONSET * mv + v] = float(now)
    seed = int(a[gl + L.G_SEED]) & 0xFFFFFFFF
    a[vb + L.V_RNG * mv + v] = float(((int(seq) * 2654435761 + 12345) ^ seed) & 0xFFFFFFFF)

    # envelope (frames)
    att = math.floor(a[r + L.R_ATT] * sr + 0.5)
    dec = math.floor(a[r + L.R_DEC] * sr + 0.5)
    sus = a[r + L.R_SUS]
    rel = max(math.floor(a[r + L.R_REL] * sr + 0.5), math.floor(MIN_RELEASE_S * sr))
    gate = math.floor(a[r + L.R_DUR] * sr + 0.5)
    key = a[r + L.R_KEY]
    if key > 0.0:
        gate = float(L.MAX_AGE)  # a held key: open until K_RELEASE (kernels/keys.py)
    freq = a[r + L.R_FREQ]
    rate = a[r + L.R_RATE]
    if inst == P.I_SAMPLE:
        row = int(a[r + L.R_SAMPLE])
        st = ly[L.LY_SMPTAB] + row * L.SMP_FIELDS
        frames = a[st + L.SMP_FRAMES]
        eff = rate * a[st + L.SMP_RATE] / sr
        begin = math.floor(a[r + L.R_BEGIN] * frames)
        endf = max(math.floor(a[r + L.R_END] * frames), begin + 1.0)
        a[vb + L.V_SMP * mv + v] = row
        a[vb + L.V_RATE * mv + v] = eff
        a[vb + L.V_BEGIN * mv + v] = begin
        a[vb + L.V_ENDF * mv + v] = endf
        a[vb + L.V_LOOP * mv + v] = a[r + L.R_LOOP]
        if a[r + L.R_LOOP] <= 0.0:
            span = math.ceil((endf - begin) / abs(eff))
            rel = max(min(rel, math.floor(span / 4.0)), 1.0)  # short sounds: short fade
            gate = max(span - rel, 0.0)
            key = 0.0  # a one-shot: a key release does not cut it
    elif inst >= P.I_BD and inst <= P.I_HT:
        gate = math.floor(drum_length(inst) * sr + 0.5)
        key = 0.0  # drums play their own length, held or not
        a[vb + L.V_RATE * mv + v] = rate
        for j in range(4):
            a[vb + (L.V_AUX + 2 + j) * mv + v] = 1.0  # envelopes start at 1
        if inst == P.I_HH or inst == P.I_OH:
            a[vb + (L.V_AUX + 6) * mv + v] = 1.0
            for j in range(2, 6):
                a[vb + (L.V_AUX + j) * mv + v] = 0.0
            for j in range(6):  # free-running metallic oscillators: scattered phases
                a[vb + (L.V_AUX + j) * mv + v] = ((int(seq) * 7919 + j * 104729) % 1000) / 1000.0
        if inst == P.I_BD or (inst >= P.I_LT and inst <= P.I_HT):
            a[vb + (L.V_AUX + 1) * mv + v] = 1.0
    gate = min(gate, float(L.MAX_AGE))  # ages must stay exact in float32
    rel = min(rel, float(L.MAX_AGE))
    att = min(att, float(L.MAX_AGE))
    dec = min(dec, float(L.MAX_AGE))
    a[vb + L.V_A * mv + v] = att
    a[vb + L.V_D * mv + v] = dec
    a[vb + L.V_S * mv + v] = sus
    a[vb + L.V_R * mv + v] = rel
    a[vb + L.V_GATE * mv + v] = gate
    a[vb + L.V_END * mv + v] = gate + rel
    a[vb + L.V_KEY * mv + v] = key
    ia = inverse(att)
    idc = inverse(dec)
    a[vb + L.V_IA * mv + v] = ia
    a[vb + L.V_ID * mv + v] = idc
    a[vb + L.V_IR * mv + v] = inverse(rel)
    a[vb + L.V_LG * mv + v] = gate_level(ia, att, idc, sus, gate)

    # oscillators start half a frame in, so the very first frame is already sound
    a[vb + L.V_INC * mv + v] = freq / sr
    a[vb + L.V_PHASE0 * mv + v] = 0.5 * freq / sr
    if inst == P.I_SINE:
        a[vb + L.V_TAB * mv + v] = ly[L.LY_TAB_SINE]
    elif inst == P.I_TRI:
        a[vb + L.V_TAB * mv + v] = table_offset(a, ly, L.LY_TAB_TRI, freq)
    elif inst == P.I_SAW:
        a[vb + L.V_TAB * mv + v] = table_offset(a, ly, L.LY_TAB_SAW, freq)
    elif inst == P.I_SQUARE:
        a[vb + L.V_TAB * mv + v] = table_offset(a, ly, L.LY_TAB_SAW, freq)
        a[vb + L.V_PW * mv + v] = a[r + L.R_PW]
    elif inst == P.I_SUPERSAW:
        count = int(min(max(a[r + L.R_UNISON], 1.0), 9.0))
        a[vb + L.V_N * mv + v] = count
        spread = a[r + L.R_DETUNE]
        s = int(a[vb + L.V_RNG * mv + v])
        aux = vb + L.V_AUX * mv + v
        for j in range(count):
            det = spread * (j / (count - 1.0) - 0.5) if count > 1 else 0.0
            fj = freq * 2.0 ** (det / 12.0)
            s = lcg_next(s)
            a[aux + j * mv] = s / 4294967296.0
            a[aux + (9 + j) * mv] = fj / sr
            a[aux + (18 + j) * mv] = table_offset(a, ly, L.LY_TAB_SAW, fj)
        a[vb + L.V_RNG * mv + v] = float(s)
    elif inst == P.I_FM:
        a[vb + L.V_TAB * mv + v] = ly[L.LY_TAB_SINE]
        a[vb + L.V_FMH * mv + v] = a[r + L.R_FMH]
        a[vb + L.V_FMI * mv + v] = a[r + L.R_FMI]
        a[vb + L.V_FMA * mv + v] = math.floor(a[r + L.R_FMA] * sr + 0.5)
        a[vb + L.V_FMD * mv + v] = math.floor(a[r + L.R_FMD] * sr + 0.5)
        a[vb + L.V_FMS * mv + v] = a[r + L.R_FMS]
        a[vb + L.V_FMR * mv + v] = max(math.floor(a[r + L.R_FMR] * sr + 0.5), 1.0)

    # filters: the low-pass runs for every voice (bypass: m0 = 1, m2 = 0)
    cutoff = a[r + L.R_CUTOFF]
    a1, a2, a3, k = svf_coefs(cutoff if cutoff > 0.0 else 0.25 * sr,
                              a[r + L.R_RES] if cutoff > 0.0 else 0.7071, sr)
    a[vb + L.V_A1 * mv + v] = a1
    a[vb + L.V_A2 * mv + v] = a2
    a[vb + L.V_A3 * mv + v] = a3
    a[vb + L.V_M0 * mv + v] = 0.0 if cutoff > 0.0 else 1.0
    a[vb + L.V_M2 * mv + v] = 1.0 if cutoff > 0.0 else 0.0
    if cutoff > 0.0 and a[r + L.R_FENV] != 0.0:   # the cutoff follows its own envelope
        a[vb + L.V_FENV * mv + v] = a[r + L.R_FENV]
        a[vb + L.V_FA * mv + v] = min(math.floor(a[r + L.R_FATT] * sr + 0.5), float(L.MAX_AGE))
        a[vb + L.V_FD * mv + v] = min(math.floor(a[r + L.R_FDEC] * sr + 0.5), float(L.MAX_AGE))
        a[vb + L.V_FS * mv + v] = a[r + L.R_FSUS]
        a[vb + L.V_FR * mv + v] = max(min(math.floor(a[r + L.R_FREL] * sr + 0.5), float(L.MAX_AGE)), 1.0)
        a[vb + L.V_FCUT * mv + v] = cutoff
        a[vb + L.V_FQ * mv + v] = a[r + L.R_RES]
    hcut = a[r + L.R_HCUTOFF]
    if hcut > 0.0:
        a1, a2, a3, k = svf_coefs(hcut, a[r + L.R_HRES], sr)
        a[vb + L.V_HP * mv + v] = 1.0
        a[vb + L.V_HP_A1 * mv + v] = a1
        a[vb + L.V_HP_A2 * mv + v] = a2
        a[vb + L.V_HP_A3 * mv + v] = a3
        a[vb + L.V_HP_K * mv + v] = k
    bandf = a[r + L.R_BANDF]
    if bandf > 0.0:
        a1, a2, a3, k = svf_coefs(bandf, a[r + L.R_BANDQ], sr)
        a[vb + L.V_BP * mv + v] = 1.0
        a[vb + L.V_BP_A1 * mv + v] = a1
        a[vb + L.V_BP_A2 * mv + v] = a2
        a[vb + L.V_BP_A3 * mv + v] = a3
        a[vb + L.V_BP_K * mv + v] = k
    a[vb + L.V_SHAPE * mv + v] = a[r + L.R_SHAPE]
    a[vb + L.V_CRUSH * mv + v] = a[r + L.R_CRUSH]
    a[vb + L.V_COARSE * mv + v] = a[r + L.R_COARSE]
    # plain table oscillators without inserts run entirely in pass 2
    inserts = (hcut > 0.0 or bandf > 0.0 or a[r + L.R_SHAPE] > 0.0
               or a[r + L.R_CRUSH] >= 1.0 or a[r + L.R_COARSE] > 1.0)
    table_osc = inst == P.I_SINE or inst == P.I_TRI or inst == P.I_SAW
    a[vb + L.V_EXT * mv + v] = 0.0 if (table_osc and not inserts) else 1.0

    # gains: equal-power pan times level, and the sends
    level = a[r + L.R_LEVEL]
    pan = min(max(a[r + L.R_PAN], 0.0), 1.0)
    left = level * math.cos(0.5 * math.pi * pan)
    right = level * math.sin(0.5 * math.pi * pan)
    g = ly[L.LY_GAINS] + bus * 6 * mv
    bs = ly[L.LY_BUSST] + bus * L.BUS_FIELDS
    dsend = a[r + L.R_DELAY]
    rsend = a[r + L.R_ROOM]
    hg = ly[L.LY_HGAINS] + bus * 6 * mv
    a[g + v] = left
    a[g + mv + v] = right
    a[g + 2 * mv + v] = left * dsend
    a[g + 3 * mv + v] = right * dsend
    a[g + 4 * mv + v] = left * rsend
    a[g + 5 * mv + v] = right * rsend
    a[bs + L.B_NVOICES] += 1.0
    if dsend > 0.0 and level > 0.0:
        a[bs + L.B_NDELAY] += 1.0
        a[bs + L.B_DTIME] = a[r + L.R_DELAYTIME]
        a[bs + L.B_DSYNC] = a[r + L.R_DELAYSYNC]
        a[bs + L.B_DFB] = a[r + L.R_DELAYFB]
        a[bs + L.B_DIDLE] = 0.0
    else:
        a[g + 2 * mv + v] = 0.0
        a[g + 3 * mv + v] = 0.0
    if rsend > 0.0 and level > 0.0:
        a[bs + L.B_NROOM] += 1.0
        a[bs + L.B_SIZE] = a[r + L.R_SIZE]
        a[bs + L.B_RIDLE] = 0.0
    else:
        a[g + 4 * mv + v] = 0.0
        a[g + 5 * mv + v] = 0.0
    for k in range(6):
        p[hg + k * mv + v] = a[g + k * mv + v]
    sync_hot(a, ly, p, v)
    if a[vb + L.V_EXT * mv + v] == 0.0:
        p[ly[L.LY_HOT] + L.H_PH * mv + v] = a[vb + L.V_PHASE0 * mv + v]
    a[vb + L.V_ACTIVE * mv + v] = 1.0
    top = ly[L.LY_GLOBALS] + L.G_VOICE_HI
    a[top] = max(a[top], v + 1.0)


@kernel
def voice_source(a: np.ndarray, ly: np.ndarray, p: np.ndarray, v: int, off: int,
                 stride: int, t0: int, t1: int, age0: int) -> None:
    """Write the instrument's raw signal for ages ``age0 ..`` to ``a[off + t * stride]``."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    nt = int(ly[L.LY_TAB_N])
    sr = float(ly[L.LY_SR])
    inst = int(a[vb + L.V_INST * mv + v])
    ph0 = a[vb + L.V_PHASE0 * mv + v]
    inc = a[vb + L.V_INC * mv + v]
    tab = int(a[vb + L.V_TAB * mv + v])
    aux = vb + L.V_AUX * mv + v
    rng = vb + L.V_RNG * mv + v
    rate = a[vb + L.V_RATE * mv + v]
    if inst == P.I_SAW or inst == P.I_SINE or inst == P.I_TRI:
        osc_table(p, tab, nt, ph0, inc, a, off, stride, t0, t1, age0)
    elif inst == P.I_SQUARE:
        osc_pulse(p, tab, nt, ph0, inc, a[vb + L.V_PW * mv + v], a, off, stride, t0, t1, age0)
    elif inst == P.I_SUPERSAW:
        osc_supersaw(a, p, nt, aux, mv, int(a[vb + L.V_N * mv + v]), off, stride, t0, t1, age0,
                     ly[L.LY_SCRATCH])
    elif inst == P.I_FM:
        osc_fm(p, tab, nt, ph0, inc, a[vb + L.V_FMH * mv + v], a[vb + L.V_FMI * mv + v],
               a[vb + L.V_FMA * mv + v], a[vb + L.V_FMD * mv + v], a[vb + L.V_FMS * mv + v],
               a[vb + L.V_GATE * mv + v], a[vb + L.V_FMR * mv + v], a, off, stride, t0, t1, age0)
    elif inst == P.I_WHITE:
        osc_white(a, rng, off, stride, t0, t1)
    elif inst == P.I_PINK:
        osc_pink(a, rng, aux, mv, off, stride, t0, t1)
    elif inst == P.I_SAMPLE:
        play_sample(a, ly, p, vb, mv, v, off, stride, t0, t1, age0)
    elif inst == P.I_BD:
        drum_kick(a, aux, mv, rng, sr, rate, 50.0, 230.0, 0.035, 0.22, 2.0, 0.25,
                  off, stride, t0, t1)
    elif inst == P.I_LT:
        drum_kick(a, aux, mv, rng, sr, rate, 90.0, 150.0, 0.06, 0.22, 1.2, 0.12,
                  off, stride, t0, t1)
    elif inst == P.I_MT:
        drum_kick(a, aux, mv, rng, sr, rate, 130.0, 210.0, 0.05, 0.18, 1.2, 0.12,
                  off, stride, t0, t1)
    elif inst == P.I_HT:
        drum_kick(a, aux, mv, rng, sr, rate, 180.0, 290.0, 0.04, 0.15, 1.2, 0.12,
                  off, stride, t0, t1)
    elif inst == P.I_SD:
        drum_snare(a, aux, mv, rng, sr, rate, off, stride, t0, t1)
    elif inst == P.I_HH:
        drum_hat(a, aux, mv, rng, sr, rate, 0.035, off, stride, t0, t1)
    elif inst == P.I_OH:
        drum_hat(a, aux, mv, rng, sr, rate, 0.28, off, stride, t0, t1)
    elif inst == P.I_CP:
        drum_clap(a, aux, mv, rng, sr, rate, off, stride, t0, t1, age0)
    elif inst == P.I_RIM:
        drum_rim(a, aux, mv, rng, sr, rate, off, stride, t0, t1)
    else:
        for t in range(t0, t1):
            a[off + t * stride] = 0.0


@kernel
def voices_pass1(a: np.ndarray, ly: np.ndarray, p: np.ndarray, fs: int, t0: int, t1: int,
                 hi: int) -> None:
    """Sources of pass-1 voices (drums, samples, noise, FM, pulse, inserts) into src[t][v].

    Also marks voices whose end falls in this range (freed after pass 2).
    """
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    src = ly[L.LY_SRC]
    n0 = ly[L.LY_HOT] + L.H_N0 * mv
    for v in range(hi):
        if a[vb + L.V_ACTIVE * mv + v] == 0.0:
            continue
        age0 = fs - int(a[vb + L.V_ONSET * mv + v])
        p[n0 + v] = float(age0)
        end = int(a[vb + L.V_END * mv + v])
        if a[vb + L.V_EXT * mv + v] > 0.0:
            live = min(t1 - t0, max(end - age0, 0))
            tl = t0 + live
            if live > 0:
                voice_source(a, ly, p, v, src + v, mv, t0, tl, age0)
                voice_inserts(a, vb, mv, v, src + v, mv, t0, tl, age0)
            for t in range(tl, t1):
                a[src + t * mv + v] = 0.0
        if age0 + (t1 - t0) >= end:
            a[vb + L.V_ACTIVE * mv + v] = 2.0  # ends in this range: freed after pass 2


@kernel
def sounding_lanes(a: np.ndarray, ly: np.ndarray, fs: int, t0: int, t1: int, hi: int) -> None:
    """``LY_LANES[t]`` for rows ``t0 .. t1``: one past the highest slot still sounding on
    row ``t``, rounded up to whole groups of ``LANES`` (0: nothing sounds).

    A function of the frame and the voices, not of where blocks split the frames.
    Slots are visited from the top, so each row is written once.
    """
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    lanes = ly[L.LY_LANES]
    done = t0  # rows t0 .. done already have their count
    for v in range(hi - 1, -1, -1):
        if done >= t1:
            break
        if a[vb + L.V_ACTIVE * mv + v] == 0.0:
            continue
        age0 = fs - int(a[vb + L.V_ONSET * mv + v])
        last = t0 + min(t1 - t0, max(int(a[vb + L.V_END * mv + v]) - age0, 0))
        if last > done:
            a[lanes + done: lanes + last] = float((v + LANES) // LANES * LANES)
            done = last
    if t1 > done:
        a[lanes + done: lanes + t1] = 0.0


@kernel
def voices_pass2(a: np.ndarray, ly: np.ndarray, p: np.ndarray, t0: int, t1: int,
                 nused: int) -> None:
    """Across voices, in float32: table oscillator + pass-1 source -> low-pass -> ADSR
    -> one dot product per bus output. Three short inner loops (phase, table read,
    filter and envelope) keep every dependency chain short.

    Row ``t`` runs the lanes ``LY_LANES`` gives it, rounded up to whole groups of
    ``LANES``: the sounding voices decide that count, not the block boundaries, so each
    bus sum (a vectorized reduction whose association follows the trip count) comes out
    the same whichever block freed a voice; lanes past the last sounding voice add
    exact zeros."""
    lanes = ly[L.LY_LANES]
    t = t0
    while t < t1:
        h = int(a[lanes + t])
        te = t + 1
        while te < t1 and int(a[lanes + te]) == h:
            te += 1
        if h > FEW_LANES:
            pass2_rows(a, ly, p, t - t0, t, te, h, nused)
        elif h > 0:
            pass2_voices(a, ly, p, t - t0, t, te, h)
        t = te


@kernel
def pass2_rows(a: np.ndarray, ly: np.ndarray, p: np.ndarray, tt0: int, t0: int, t1: int,
               hi: int, nused: int) -> None:
    """Pass 2 on rows ``t0 .. t1`` over lanes ``0 .. hi`` (row ``t0`` is ``tt0`` frames
    into the sub-range)."""
    mv = ly[L.LY_MV]
    ch = ly[L.LY_CH]
    src = ly[L.LY_SRC]
    busbuf = ly[L.LY_BUSBUF]
    busst = ly[L.LY_BUSST]
    used = ly[L.LY_USED]
    hot = ly[L.LY_HOT]
    hg = ly[L.LY_HGAINS]
    fn = np.float32(ly[L.LY_TAB_N])
    one = np.float32(1.0)
    two = np.float32(2.0)
    zero = np.float32(0.0)
    ph = p[hot + L.H_PH * mv: hot + L.H_PH * mv + hi]
    inc = p[hot + L.H_INC * mv: hot + L.H_INC * mv + hi]
    tab = p[hot + L.H_TAB * mv: hot + L.H_TAB * mv + hi]
    ic1 = p[hot + L.H_IC1 * mv: hot + L.H_IC1 * mv + hi]
    ic2 = p[hot + L.H_IC2 * mv: hot + L.H_IC2 * mv + hi]
    c1 = p[hot + L.H_C1 * mv: hot + L.H_C1 * mv + hi]
    c2 = p[hot + L.H_C2 * mv: hot + L.H_C2 * mv + hi]
    c3 = p[hot + L.H_C3 * mv: hot + L.H_C3 * mv + hi]
    m0 = p[hot + L.H_M0 * mv: hot + L.H_M0 * mv + hi]
    m2 = p[hot + L.H_M2 * mv: hot + L.H_M2 * mv + hi]
    eu = p[hot + L.H_U * mv: hot + L.H_U * mv + hi]
    eam1 = p[hot + L.H_AM1 * mv: hot + L.H_AM1 * mv + hi]
    eidc = p[hot + L.H_IDC * mv: hot + L.H_IDC * mv + hi]
    esd = p[hot + L.H_SD * mv: hot + L.H_SD * mv + hi]
    es = p[hot + L.H_S * mv: hot + L.H_S * mv + hi]
    eg = p[hot + L.H_G * mv: hot + L.H_G * mv + hi]
    egm1 = p[hot + L.H_GM1 * mv: hot + L.H_GM1 * mv + hi]
    elg = p[hot + L.H_LG * mv: hot + L.H_LG * mv + hi]
    elgir = p[hot + L.H_LGIR * mv: hot + L.H_LGIR * mv + hi]
    n0 = p[hot + L.H_N0 * mv: hot + L.H_N0 * mv + hi]
    kidx = p[hot + L.H_KIDX * mv: hot + L.H_KIDX * mv + hi]
    kfr = p[hot + L.H_KFR * mv: hot + L.H_KFR * mv + hi]
    row = p[hot + L.H_ROW * mv: hot + L.H_ROW * mv + hi]
    for t in range(t0, t1):
        x = a[src + t * mv: src + t * mv + hi]
        tt = np.float32(tt0 + t - t0)
        for v in range(hi):
            q = ph[v]
            xi = q * fn
            base = np.floor(xi)
            kidx[v] = tab[v] + base
            kfr[v] = xi - base
            q += inc[v]
            if q >= one:
                q -= one
            ph[v] = q
        for v in range(hi):
            k = np.uint64(kidx[v])
            y0 = p[k]
            row[v] = np.float32(x[v]) + (y0 + kfr[v] * (p[k + np.uint64(1)] - y0))
        for v in range(hi):
            xv = row[v]
            s1 = ic1[v]
            s2 = ic2[v]
            v3 = xv - s2
            v1 = c1[v] * s1 + c2[v] * v3
            v2 = s2 + c2[v] * s1 + c3[v] * v3
            ic1[v] = two * v1 - s1
            ic2[v] = two * v2 - s2
            n = n0[v] + tt
            up = min((n + one) * eu[v], one)
            dn = max(one - esd[v] * ((n - eam1[v]) * eidc[v]), es[v])
            rl = max(elg[v] - elgir[v] * (n - egm1[v]), zero)
            env = min(up, dn) if n < eg[v] else rl
            row[v] = (m0[v] * xv + m2[v] * v2) * env
        for j in range(nused):
            b = int(a[used + j])
            bs = busst + b * L.BUS_FIELDS
            a[bs + L.B_TOUCHED] = 1.0
            # dry L/R always; delay L/R and reverb L/R only when some voice sends there
            # (a row whose gains are all zero would only add exact zeros)
            kd = 4 if a[bs + L.B_NDELAY] > 0.0 else 2
            outputs = 6 if a[bs + L.B_NROOM] > 0.0 else kd
            for kk in range(outputs):
                if kk >= kd and kk < 4:
                    continue
                g = p[hg + (b * 6 + kk) * mv: hg + (b * 6 + kk) * mv + hi]
                a[busbuf + (b * 6 + kk) * ch + t] += lane_sum(row, g, hi)


@kernel(reassoc=True)
def lane_sum(row: np.ndarray, g: np.ndarray, hi: int) -> np.float32:
    """``sum(row[v] * g[v] for v < hi)`` in float32, vectorized: its association is a
    function of ``hi`` alone (the only kernel that lets the compiler re-associate sums
    that reach the audio; pass 2 picks ``hi`` from the sounding voices)."""
    acc = np.float32(0.0)
    for v in range(hi):
        acc += row[v] * g[v]
    return acc


@kernel
def voices_finish(a: np.ndarray, ly: np.ndarray, p: np.ndarray, hi: int) -> None:
    """Free voices that ended, silence (and count) voices whose state went non-finite."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    st = ly[L.LY_STATUS]
    for v in range(hi):
        state = a[vb + L.V_ACTIVE * mv + v]
        if state == 0.0:
            continue
        h1 = ly[L.LY_HOT] + L.H_IC1 * mv + v
        h2 = ly[L.LY_HOT] + L.H_IC2 * mv + v
        s1 = float(p[h1])
        s2 = float(p[h2])
        if not (math.isfinite(s1) and math.isfinite(s2)):
            a[st + L.ST_NAN_VOICES] += 1.0
            free_voice(a, ly, p, v)
            continue
        if state == 2.0:
            free_voice(a, ly, p, v)
            continue
        p[h1] = flush(s1)
        p[h2] = flush(s2)


@kernel
def render_voices(a: np.ndarray, ly: np.ndarray, p: np.ndarray, fs: int, t0: int,
                  t1: int) -> None:
    """Render every voice for chunk rows ``t0 .. t1`` (frames ``fs ..``) into the buses."""
    mv = ly[L.LY_MV]
    vb = ly[L.LY_VOICES]
    top = ly[L.LY_GLOBALS] + L.G_VOICE_HI
    hi = int(a[top])
    while hi > 0 and a[vb + L.V_ACTIVE * mv + hi - 1] == 0.0:
        hi -= 1
    a[top] = hi
    if hi == 0:
        return
    hi = (hi + LANES - 1) // LANES * LANES  # whole groups (mv is a multiple of LANES)
    nb = ly[L.LY_NB]
    used = ly[L.LY_USED]
    nused = 0
    for b in range(nb):
        if a[ly[L.LY_BUSST] + b * L.BUS_FIELDS + L.B_NVOICES] > 0.0:
            a[used + nused] = b
            nused += 1
    # a filter envelope moves the cutoff every FENV_STEP frames of the absolute grid (the
    # chunk starts on it), so the range is cut there -- the same cuts at any block size
    env = any_filter_env(a, ly, hi)
    s = t0
    while s < t1:
        e = t1
        if env:
            e = min(t1, (s // FENV_STEP + 1) * FENV_STEP)
            filter_envelopes(a, ly, p, fs - t0 + s // FENV_STEP * FENV_STEP, hi)
        f = fs + (s - t0)
        voices_pass1(a, ly, p, f, s, e, hi)
        sounding_lanes(a, ly, f, s, e, hi)
        voices_pass2(a, ly, p, s, e, nused)
        s = e
    voices_finish(a, ly, p, hi)

"""``Engine``: the thin Python side of the synthesis engine (checks, allocates, queues).

The engine owns three preallocated arrays (see ``layout``): ``arena`` (float64),
``layout`` (int64) and ``pool`` (float32). ``render`` feeds due events into the
in-arena ring and calls ``kernels.render.render_block`` on them; a real-time host
calls the same ``render_block`` from a ``@cfunc`` with the same arrays.
"""

from __future__ import annotations

import heapq
import math
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from livestudio.engine import layout as L
from livestudio.engine import params as P
from livestudio.engine.kernels.master import (
    limiter_latency, master_offline_kernel, true_peak_fir)
from livestudio.engine.kernels.render import render_block, render_block_stems
from livestudio.engine.samples import SampleLibrary, read_sample
from livestudio.engine.tables import fill_tables
from livestudio.errors import EngineError, UnknownInstrumentError

RENDER_PIECE = 4096
TRUE_PEAK_MARGIN_DB = 0.15


_BUILT_INS = ", ".join(sorted(P.INSTRUMENTS))  # for messages (a drum's sample lookup fails often)


class Engine:
    """Events in, stereo float32 out. Deterministic: same events, same samples.

    >>> eng = Engine(max_voices=8, max_buses=2, pool_floats=1 << 18)
    >>> eng.push(0, {"s": "sine", "note": 69, "duration": 0.1})
    True
    >>> eng.render(256).shape
    (256, 2)
    """

    def __init__(self, *, sample_rate: int = 48000, max_voices: int = 256, max_buses: int = 16,
                 sample_paths: Iterable[str | os.PathLike[str]] = (),
                 pool_floats: int = 1 << 24, ring_capacity: int = 4096,
                 pending_capacity: int = 2048, max_delay_s: float = 2.0,
                 ceiling_db: float = -1.0, limiter: bool = True, master: bool = True,
                 cps: float = 0.5, seed: int = 0, arena: np.ndarray | None = None,
                 chunk: int = 0) -> None:
        if not 8000 <= sample_rate <= 384000:
            raise EngineError(f"sample rate {sample_rate} is out of range 8000..384000")
        if chunk and (problem := L.check_chunk(chunk, sample_rate)) is not None:
            raise EngineError(problem)
        if not 1 <= max_voices <= 4096:
            raise EngineError(f"max_voices {max_voices} is out of range 1..4096")
        if not 1 <= max_buses <= 256:
            raise EngineError(f"max_buses {max_buses} is out of range 1..256")
        self.sizes = L.Sizes(sample_rate=sample_rate, max_voices=max_voices,
                             max_buses=max_buses, ring_capacity=ring_capacity,
                             pending_capacity=pending_capacity, max_delay_s=max_delay_s,
                             pool_floats=pool_floats, chunk=chunk)
        self.sample_rate = sample_rate
        self.max_buses = max_buses
        self.layout = L.build_layout(self.sizes)
        size = int(self.layout[L.LY_ARENA_SIZE])
        if arena is None:
            self.arena = np.zeros(size, dtype=np.float64)
        else:
            if arena.dtype != np.float64 or arena.ndim != 1 or arena.size < size \
                    or not arena.flags.c_contiguous:
                raise EngineError(f"arena must be a contiguous float64 array of >= {size} floats")
            self.arena = arena
            self.arena[:] = 0.0
        if pool_floats <= L.pool_tables_end(self.layout):
            raise EngineError("pool_floats is too small to hold the wavetables")
        self.pool = np.zeros(pool_floats, dtype=np.float32)
        self._init_state(cps=cps, ceiling_db=ceiling_db if limiter else 200.0)
        self.master = master
        if not master:
            self.arena[self.layout[L.LY_MASTER] + L.M_BYPASS] = 1.0
        self.arena[self.layout[L.LY_GLOBALS] + L.G_SEED] = float(int(seed) & 0xFFFFFFFF)
        self.library = SampleLibrary(sample_paths)
        self._pool_top = L.pool_tables_end(self.layout)
        self._sample_rows: dict[Path, int] = {}
        self._queue: list[tuple[int, int, np.ndarray]] = []
        self._push_seq = 0
        self.unknown_reported: set[str] = set()
        self.unknown_dropped = 0

    # ------------------------------------------------------------------ state
    def _init_state(self, *, cps: float, ceiling_db: float) -> None:
        a, ly = self.arena, self.layout
        a[ly[L.LY_GLOBALS] + L.G_CPS] = cps
        fill_tables(self.pool, ly, a)
        taps = L.reverb_lengths(self.sample_rate)
        a[ly[L.LY_REVTAPS]:ly[L.LY_REVTAPS] + taps.size] = taps
        fir = true_peak_fir()
        a[ly[L.LY_TPFIR]:ly[L.LY_TPFIR] + fir.size] = fir.ravel()
        ms = int(ly[L.LY_MASTER])
        a[ms + L.M_REL] = 1.0
        # aim 0.15 dB under the ceiling: the 16-tap true-peak estimate can read a
        # little low for content near Nyquist
        a[ms + L.M_CEIL] = 10.0 ** ((ceiling_db - TRUE_PEAK_MARGIN_DB) / 20.0)
        w = int(ly[L.LY_LA])
        greq = int(ly[L.LY_LIMBUF]) + 2 * (w + L.TP_TAPS)
        a[greq:greq + 2 * w] = 1.0
        a[ms + L.M_GMIN] = 1.0
        a[ms + L.M_GSUM] = float(w)
        for b in range(self.max_buses):
            bs = int(ly[L.LY_BUSST]) + b * L.BUS_FIELDS
            a[bs + L.B_DIDLE] = float(ly[L.LY_DLEN])
            a[bs + L.B_RIDLE] = float(ly[L.LY_REVLEN])
            a[bs + L.B_DTIME] = 0.25
            a[bs + L.B_DFB] = 0.5
            a[bs + L.B_SIZE] = 0.5

    @property
    def frame(self) -> int:
        """The next frame ``render`` will produce (int64 frame counter)."""
        return int(self.arena[self.layout[L.LY_GLOBALS] + L.G_FRAME])

    @property
    def latency(self) -> int:
        """Frames the master limiter delays the output (compensate in offline renders);
        0 without a master bus."""
        return limiter_latency(int(self.layout[L.LY_LA])) if self.master else 0

    @property
    def handle(self) -> np.ndarray:
        """int64 [arena addr, arena len, layout addr, layout len, pool addr, pool len].

        A ``@cfunc`` gets everything ``render_block`` needs from this one array's
        address (``numba.carray(ptr, n, dtype)`` per entry). Keep the engine alive.
        """
        return np.array([self.arena.ctypes.data, self.arena.size,
                         self.layout.ctypes.data, self.layout.size,
                         self.pool.ctypes.data, self.pool.size], dtype=np.int64)

    # ------------------------------------------------------------------ events
    def encode(self, frame: int, controls: Mapping[str, Any]) -> np.ndarray:
        """The event row for ``controls`` at ``frame`` (loads samples it names)."""
        return P.encode(frame, controls, sample_rate=self.sample_rate,
                        max_buses=self.max_buses, max_delay_s=self.sizes.max_delay_s,
                        resolve_sample=self._resolve_sample)

    def push(self, frame: int, controls: Mapping[str, Any]) -> bool:
        """Queue a note at ``frame``. Unknown ``s`` names raise once, then drop quietly.

        Returns True when queued, False when dropped (a name already reported).
        """
        row = self.encode_note(frame, controls)
        if row is None:
            return False
        self.push_row(row)
        return True

    def encode_note(self, frame: int, controls: Mapping[str, Any]) -> np.ndarray | None:
        """``encode`` with ``push``'s handling of unknown names: the first time a name is
        unknown it raises, later its events give None (and count as dropped)."""
        try:
            return self.encode(frame, controls)
        except UnknownInstrumentError as exc:
            name = getattr(exc, "name", str(exc))
            if name in self.unknown_reported:
                self.unknown_dropped += 1
                return None
            self.unknown_reported.add(name)
            raise

    def press(self, frame: int, controls: Mapping[str, Any], *, key: int) -> bool:
        """Queue a held note (a key pressed): it sounds from ``frame`` until :meth:`release`.

        ``key`` (an integer >= 1, e.g. ``channel * 128 + note``) names it on its bus
        (``orbit``); ``duration`` is ignored. A key never released still ends after
        ``layout.MAX_AGE`` frames (175 s at 48 kHz). Drums and samples without ``loop``
        play their own length. Returns False when dropped, like :meth:`push`.
        """
        row = self.encode_note(frame, controls)
        if row is None:
            return False
        self.push_row(P.hold(row, key))
        return True

    def release(self, key: int, *, bus: int = 0, frame: int | None = None) -> None:
        """Release held ``key`` on ``bus`` at ``frame`` (default: the next frame rendered).

        Each matching voice goes into its own release stage from the level it has there.
        ``key=-1`` releases every held voice of the bus, ``bus=-1`` looks at every bus;
        releasing a key that is not held does nothing.
        """
        if bus >= self.max_buses:
            raise EngineError(f"bus {bus} is out of range 0..{self.max_buses - 1}")
        self.push_row(P.release_row(self.frame if frame is None else frame, bus=bus, key=key))

    def end_notes(self, bus: int, *, frame: int | None = None) -> None:
        """A track removed: every sounding note of ``bus`` goes into its release at
        ``frame`` (held or not; drums and one-shot samples play out), tails ring on."""
        if not 0 <= bus < self.max_buses:
            raise EngineError(f"bus {bus} is out of range 0..{self.max_buses - 1}")
        self.push_row(P.release_row(self.frame if frame is None else frame, bus=bus, key=-1,
                                    all_notes=True))

    def push_row(self, row: np.ndarray) -> None:
        """Queue a pre-encoded row (``params.encode`` / ``params.command_row``)."""
        if row.shape != (L.ROW,) or row.dtype != np.float64:
            raise EngineError(f"an event row is float64[{L.ROW}]")
        frame = int(row[L.R_FRAME])
        heapq.heappush(self._queue, (frame, self._push_seq, row.copy()))
        self._push_seq += 1

    def ring_write(self, row: np.ndarray) -> bool:
        """Publish one row straight into the in-arena ring (single producer); False if full."""
        a, ly = self.arena, self.layout
        gl = int(ly[L.LY_GLOBALS])
        cap = int(ly[L.LY_RING_CAP])
        w = int(a[gl + L.G_RING_W])
        if w - int(a[gl + L.G_RING_R]) >= cap:
            return False
        start = int(ly[L.LY_RING]) + (w % cap) * L.ROW
        a[start:start + L.ROW] = row
        a[gl + L.G_RING_W] = float(w + 1)  # publish after the row is written
        return True

    def set_cps(self, cps: float, *, frame: int | None = None) -> None:
        """Tempo in cycles per second (delay times given in cycles follow it)."""
        value = P.clamp(cps, 0.5, 1e-3, 1000.0)
        self.push_row(P.command_row(self.frame if frame is None else frame, L.K_CPS, value=value))

    def panic(self, *, frame: int | None = None) -> None:
        """Fade every sounding voice out over a few milliseconds."""
        self.push_row(P.command_row(self.frame if frame is None else frame, L.K_PANIC))

    def flush(self, bus: int = -1) -> None:
        """Drop every queued (not yet started) note of ``bus`` (all buses when -1)."""
        if bus >= self.max_buses:
            raise EngineError(f"bus {bus} is out of range 0..{self.max_buses - 1}")
        self._queue = [item for item in self._queue
                       if not (int(item[2][L.R_KIND]) == L.K_NOTE
                               and (bus < 0 or int(item[2][L.R_BUS]) == bus))]
        heapq.heapify(self._queue)
        if not self.ring_write(P.command_row(self.frame, L.K_FLUSH, bus=bus)):
            raise EngineError("the event ring is full")

    def kill(self) -> None:
        """Silence everything now: voices, delay and reverb tails."""
        self.push_row(P.command_row(self.frame, L.K_KILL))

    def mute(self, bus: int, muted: bool = True, *, frame: int | None = None) -> None:
        """Mute (or unmute) one bus, tails included."""
        if not 0 <= bus < self.max_buses:
            raise EngineError(f"bus {bus} is out of range 0..{self.max_buses - 1}")
        self.push_row(P.command_row(self.frame if frame is None else frame, L.K_MUTE,
                                    bus=bus, value=1.0 if muted else 0.0))

    # ------------------------------------------------------------------ samples
    def _resolve_sample(self, name: str, n: int) -> int:
        files = self.library.files(name)
        if not files:
            roots = ", ".join(str(r) for r in self.library.roots) or "none set"
            exc = UnknownInstrumentError(
                f"unknown instrument or sample folder {name!r} (sample roots: {roots}; "
                f"built-ins: {_BUILT_INS})")
            exc.name = name  # type: ignore[attr-defined]
            raise exc
        return self.load_sample(files[n % len(files)])

    def load_sample(self, path: str | os.PathLike[str]) -> int:
        """Decode a file into the pool once; returns its sample table row."""
        key = Path(path).resolve()
        if key in self._sample_rows:
            return self._sample_rows[key]
        row = len(self._sample_rows)
        if row >= int(self.layout[L.LY_SMP_CAP]):
            raise EngineError("the sample table is full")
        data, rate = read_sample(key)
        need = data.size
        if self._pool_top + need > self.pool.size:
            raise EngineError(f"sample pool full loading {key} (raise pool_floats)")
        self.pool[self._pool_top:self._pool_top + need] = data.ravel()
        st = int(self.layout[L.LY_SMPTAB]) + row * L.SMP_FIELDS
        self.arena[st + L.SMP_OFF] = self._pool_top
        self.arena[st + L.SMP_CHANNELS] = data.shape[1]
        self.arena[st + L.SMP_RATE] = rate
        self.arena[st + L.SMP_FRAMES] = data.shape[0]  # last: marks the row ready
        self._pool_top += need
        self._sample_rows[key] = row
        return row

    # ------------------------------------------------------------------ render
    def publish(self, until: int, limit: int = 1 << 30) -> int | None:
        """Move queued rows with frame < ``until`` into the ring, at most ``limit``.

        Returns the frame of the first row left behind for lack of room, else None.
        """
        moved = 0
        while self._queue and self._queue[0][0] < until:
            if moved >= limit:
                return self._queue[0][0]
            if not self.ring_write(self._queue[0][2]):
                return self._queue[0][0]
            heapq.heappop(self._queue)
            moved += 1
        return None

    def render(self, frames: int) -> np.ndarray:
        """Render ``frames`` frames; returns float32 (frames, 2)."""
        out = np.zeros((int(frames), 2), dtype=np.float32)
        self.render_into(out)
        return out

    def render_into(self, out: np.ndarray, *, buses: np.ndarray | None = None,
                    piece: int = RENDER_PIECE) -> None:
        """Render ``len(out)`` frames into a C-contiguous float32 (frames, 2) array.

        Each kernel call renders at most ``piece`` frames (status outputs describe the
        last one); an offline render from another thread passes a large ``piece``, so
        it needs the GIL (to publish queued events) less often.

        ``buses``, if given, is a float32 (n, frames, 2) array (a view like
        ``stems[:, a:b]`` is fine) that receives each bus's output after its effects and
        before the master (so the buses sum to the master's input); it is overwritten.
        The master output is ``latency`` frames later than the buses.
        """
        if out.dtype != np.float32 or out.ndim != 2 or out.shape[1] != 2 \
                or not out.flags.c_contiguous:
            raise EngineError("out must be a C-contiguous float32 array of shape (frames, 2)")
        total = out.shape[0]
        if buses is not None and (buses.dtype != np.float32 or buses.ndim != 3
                                  or buses.shape[1] != total or buses.shape[2] != 2):
            raise EngineError("buses must be a float32 array of shape (n, frames, 2)")
        pos = 0
        limit = max(1, int(self.layout[L.LY_PEND_CAP]) // 2)
        if buses is not None and buses.shape[0] > self.max_buses:
            buses[self.max_buses:] = 0.0  # no such bus: silent
        while pos < total:
            start = self.frame
            n = min(piece, total - pos)
            left = self.publish(start + n, limit)
            if left is not None and left > start:
                n = left - start
            if buses is None:
                render_block(self.arena, self.layout, self.pool, out[pos:pos + n], np.int64(n))
            else:
                # the kernel writes every bus's rows (zeros for idle buses) in place
                render_block_stems(self.arena, self.layout, self.pool, out[pos:pos + n],
                                   buses[:, pos:pos + n], np.int64(n))
            pos += n

    # ------------------------------------------------------------------ status
    def levels(self) -> np.ndarray:
        """Per-bus levels of the last block: rows of (peak L, peak R, RMS L, RMS R)."""
        st = int(self.layout[L.LY_STATUS]) + L.ST_FIELDS
        return self.arena[st:st + 4 * self.max_buses].reshape(self.max_buses, 4).copy()

    def status(self) -> dict[str, float]:
        """Counters and master levels after the last block."""
        st = int(self.layout[L.LY_STATUS])
        a = self.arena
        names = {"active_voices": L.ST_ACTIVE, "nan_voices": L.ST_NAN_VOICES,
                 "late_events": L.ST_LATE, "dropped_events": L.ST_DROPPED,
                 "stolen_voices": L.ST_STOLEN, "peak_l": L.ST_PEAK_L, "peak_r": L.ST_PEAK_R,
                 "rms_l": L.ST_RMS_L, "rms_r": L.ST_RMS_R, "limiter_gain": L.ST_LIMIT_GAIN,
                 "bad_samples": L.ST_BAD_SAMPLES, "blocks": L.ST_BLOCKS}
        out = {k: float(a[st + i]) for k, i in names.items()}
        out["unknown_dropped"] = float(self.unknown_dropped)
        return out

    def warm(self) -> float:
        """Compile (or load from cache) every kernel; returns the seconds it took."""
        return warm_kernels()


def warm_kernels() -> float:
    """Render every instrument once on a tiny engine so all kernels are compiled."""
    import time

    t0 = time.perf_counter()
    eng = Engine(max_voices=4, max_buses=2, pool_floats=1 << 18, ring_capacity=64,
                 pending_capacity=64, max_delay_s=0.1)
    for i, name in enumerate(sorted(set(P.INSTRUMENTS.values()))):
        inv = {v: k for k, v in P.INSTRUMENTS.items()}
        if name in inv:
            eng.push(i * 7, {"s": inv[name], "duration": 0.01, "cutoff": 800, "hcutoff": 50,
                             "bandf": 900, "shape": 0.3, "crush": 8, "coarse": 2,
                             "delay": 0.3, "room": 0.3, "orbit": i % 2})
    eng.render(700)
    eng.panic()
    eng.render(64)
    eng.kill()
    eng.render(64)
    # the stems entry point with a strided view (as in render_into(out, buses=stems[:, a:b]))
    stems = np.zeros((2, 128, 2), dtype=np.float32)
    eng.render_into(np.zeros((64, 2), dtype=np.float32), buses=stems[:, :64])
    return time.perf_counter() - t0


def master_latency() -> int:
    """Frames the master bus delays the signal (``Engine.latency`` with a master)."""
    return limiter_latency(L.Sizes().lookahead)


class MasterBus:
    """The engine's master bus (DC blocker, true-peak limiter) over a premaster fed
    piece by piece, in order; the output lags the input by ``latency`` frames.

    >>> bus = MasterBus(48000)
    >>> bus.process(np.zeros((256, 2), np.float32)).shape
    (256, 2)
    """

    def __init__(self, sample_rate: int, *, gain_db: float = 0.0, ceiling_db: float = -1.0) -> None:
        self.engine = Engine(sample_rate=sample_rate, max_voices=1, max_buses=1,
                             pool_floats=1 << 18, ring_capacity=8, pending_capacity=8,
                             max_delay_s=0.01, ceiling_db=ceiling_db)
        self.gain = 10.0 ** (gain_db / 20.0)
        self.latency = self.engine.latency

    def process(self, premaster: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The master output for the next ``len(premaster)`` frames (into ``out`` if
        given: a C-contiguous float32 (frames, 2) array)."""
        x = np.ascontiguousarray(premaster, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != 2:
            raise EngineError("premaster must be a float32 array of shape (frames, 2)")
        if out is None:
            out = np.zeros_like(x)
        master_offline_kernel(self.engine.arena, self.engine.layout, x, self.gain, out)
        return out


def master_offline(premaster: np.ndarray, sample_rate: int, *, gain_db: float = 0.0,
                   ceiling_db: float = -1.0) -> np.ndarray:
    """The live master bus (DC blocker, true-peak limiter) over a whole premaster.

    ``premaster`` is float32 (frames, 2); the result has the same shape and alignment
    (the limiter's latency is compensated), scaled by ``gain_db`` before limiting.
    """
    x = np.ascontiguousarray(premaster, dtype=np.float32)
    if x.ndim != 2 or x.shape[1] != 2:
        raise EngineError("premaster must be a float32 array of shape (frames, 2)")
    bus = MasterBus(sample_rate, gain_db=gain_db, ceiling_db=ceiling_db)
    lat = bus.latency
    padded = np.zeros((x.shape[0] + lat, 2), dtype=np.float32)
    padded[:x.shape[0]] = x
    return np.ascontiguousarray(bus.process(padded)[lat:])

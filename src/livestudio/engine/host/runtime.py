"""The engine runtime inside the engine process: backend + header + output.

Builds the render backend, the header the callback reaches everything through, the
compiled block, and opens the output: a PortAudio stream with the cfunc callback (or
the Python fallback), or the paced file sink when there is no device.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from livestudio.engine.host import block as B
from livestudio.engine.host import ring
from livestudio.engine.host import status as S
from livestudio.engine.host.backend import Backend, make_backend
from livestudio.errors import EngineError

MAX_BLOCK = 4096
REC_SECONDS = 4


@dataclass
class OutputConfig:
    """Where and how the engine plays (the play command's options)."""

    output: str = "auto"                  # auto | device | file
    device: str | int | None = None
    sample_rate: int | None = None
    blocksize: int = 128
    latency: float | str | None = None
    python_callback: bool = False
    file_path: str = "livestudio-live.wav"
    backend: str = "core"


def prefault(array: np.ndarray) -> None:
    """Write every page of ``array`` once, so the audio callback never page-faults on it."""
    raw = array.reshape(-1).view(np.uint8)
    raw[::4096] = raw[::4096].copy()


class EngineRuntime:
    """Owns the backend, the compiled callback and the output of one engine process."""

    def __init__(self, config: OutputConfig, status: np.ndarray, *,
                 device_hint: dict[str, Any] | None = None) -> None:
        """``device_hint``: the device another engine plays on (``DeviceInfo`` fields), for
        a standby engine to build against without opening PortAudio (see :meth:`park`)."""
        self.config = config
        self.status = status
        self.device: Any = None
        self.kind = "file"
        self.output_name = ""
        self.latency_s = 0.0
        self._stream: Any = None
        self._sink: Any = None
        self._parked = False
        self.sample_rate = self._choose_output(device_hint)
        self.channels = 2
        if self.device is not None:
            self.channels = max(1, min(2, int(self.device.max_output_channels)))
        # the compiled callback first: it loads the render kernels once, from the cache
        self.host_block, self.callback = B.load_callbacks(config.backend)
        self.backend: Backend = make_backend(config.backend, sample_rate=self.sample_rate,
                                             blocksize=config.blocksize)
        self.scratch = np.zeros((MAX_BLOCK, 2), dtype=np.float64)
        self.scratch32 = np.zeros((MAX_BLOCK, 2), dtype=np.float32)
        self.pool = self.backend.pool if self.backend.pool is not None else np.zeros(1, np.float32)
        self.rec_ring = ring.new_ring(self.sample_rate * REC_SECONDS, B.REC_WIDTH)
        self.header = self._make_header()
        for array in (self.backend.arena, self.scratch, self.scratch32, self.rec_ring, self.status):
            prefault(array)
        self._warm()

    # --- setup ------------------------------------------------------------------
    def _choose_output(self, device_hint: dict[str, Any] | None) -> int:
        cfg = self.config
        if cfg.output not in ("auto", "device", "file"):
            raise EngineError(f"output must be auto, device or file, not {cfg.output!r}")
        if cfg.output != "file" and device_hint is not None:
            from livestudio.engine.host.stream import DeviceInfo
            self.device = DeviceInfo(**device_hint)
            self._parked = True   # PortAudio not opened: start() opens it
        elif cfg.output != "file":
            from livestudio.engine.host.stream import resolve_device
            try:
                self.device = resolve_device(cfg.device)
            except EngineError:
                if cfg.output == "device" or cfg.device not in (None, ""):
                    raise
                self.device = None
        if self.device is None:
            self.kind = "file"
            self.output_name = str(Path(cfg.file_path).resolve())
            return int(cfg.sample_rate or 48000)
        self.kind = "python" if cfg.python_callback else "cfunc"
        self.output_name = f"{self.device.name} [{self.device.hostapi}]"
        return int(cfg.sample_rate or self.device.default_samplerate)

    def _make_header(self) -> np.ndarray:
        b = self.backend
        h = np.zeros(B.HEADER_SIZE, dtype=np.int64)
        h[B.H_ARENA] = b.arena.ctypes.data
        h[B.H_ARENA_N] = b.arena.shape[0]
        h[B.H_LAYOUT] = b.layout.ctypes.data
        h[B.H_LAYOUT_N] = b.layout.shape[0]
        h[B.H_STATUS] = self.status.ctypes.data
        h[B.H_STATUS_N] = self.status.shape[0]
        h[B.H_SCRATCH] = self.scratch.ctypes.data
        h[B.H_MAX_BLOCK] = MAX_BLOCK
        h[B.H_REC] = self.rec_ring.ctypes.data
        h[B.H_REC_N] = self.rec_ring.shape[0]
        h[B.H_FRAME_SLOT] = b.frame_slot
        h[B.H_VOICES_SLOT] = b.voices_slot
        h[B.H_LATE_SLOT] = b.late_slot
        h[B.H_LEVELS_SLOT] = b.levels_slot
        h[B.H_LEVELS_N] = b.levels_n
        h[B.H_LEVELS_STRIDE] = b.levels_stride
        h[B.H_POOL] = self.pool.ctypes.data
        h[B.H_POOL_N] = self.pool.shape[0]
        h[B.H_SCRATCH32] = self.scratch32.ctypes.data
        h[B.H_SR] = self.sample_rate
        h[B.H_CHANNELS] = self.channels
        return h

    def _warm(self) -> None:
        """Compile and run the block once (silence) so the first callback is fast."""
        saved = self.status[:S.N_SCALARS].copy()
        frame = self.backend.arena[self.backend.frame_slot]
        out = np.zeros((self.config.blocksize, self.channels), dtype=np.float32)
        self.host_block(self.header, out, self.config.blocksize, 0)
        _ = self.callback.address
        self.status[:S.N_SCALARS] = saved
        self.status[S.LOAD_HIST_W] = 0.0
        self.backend.arena[self.backend.frame_slot] = frame
        self.status[S.SAMPLE_RATE] = self.sample_rate
        self.status[S.BLOCKSIZE] = self.config.blocksize
        self.status[S.MAX_BLOCK] = MAX_BLOCK
        self.status[S.CALLBACK_KIND] = {"cfunc": 1, "python": 2, "file": 3}[self.kind]

    # --- output -------------------------------------------------------------------
    def python_block(self, outdata: np.ndarray, frames: int, flags: int) -> None:
        """One block from Python (fallback callback and file sink)."""
        self.host_block(self.header, outdata, frames, flags)

    def park(self) -> None:
        """Standby: let go of PortAudio until :meth:`start` (a warm spare must not sit
        in the audio server's graph as an idle client woken every cycle). A spare built
        from a device hint never opened it."""
        if self.kind != "file" and not self._parked:
            from livestudio.engine.host import stream
            stream.release_portaudio()
            self._parked = True

    def _unpark(self) -> None:
        """Initialize PortAudio again and find the device anew, as a fresh start would
        (indices may have changed meanwhile); the engine keeps its sample rate."""
        from livestudio.engine.host import stream
        stream.reacquire_portaudio()
        self._parked = False
        self.device = stream.resolve_device(self.config.device)

    def start(self) -> None:
        """Open and start the output."""
        cfg = self.config
        if self._parked:
            self._unpark()
        if self.kind == "file":
            from livestudio.engine.host.filesink import FileSink
            self._sink = FileSink(self.output_name, sample_rate=self.sample_rate,
                                  blocksize=cfg.blocksize, block=self.python_block,
                                  channels=self.channels)
            self._sink.start()
            return
        from livestudio.engine.host import stream
        if self.kind == "python":
            self._stream = stream.open_python_stream(
                self.device, sample_rate=self.sample_rate, blocksize=cfg.blocksize,
                latency=cfg.latency, channels=self.channels, block=self.python_block)
        else:
            self._stream = stream.open_cfunc_stream(
                self.device, sample_rate=self.sample_rate, blocksize=cfg.blocksize,
                latency=cfg.latency, channels=self.channels, callback=self.callback,
                userdata_address=int(self.header.ctypes.data))
        self.latency_s = float(self._stream.latency)
        self.status[S.LATENCY_S] = self.latency_s
        self._stream.start()

    def wait_running(self, timeout: float = 5.0) -> bool:
        """Wait until the first block was rendered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status[S.RUNNING] != 0.0:
                return True
            time.sleep(0.002)
        return False

    def sink_xruns(self) -> int:
        """Xruns of the file sink (0 for a device)."""
        return 0 if self._sink is None else self._sink.xruns

    def stop(self) -> None:
        """Stop and close the output (idempotent)."""
        if self._sink is not None:
            self._sink.stop()
            self._sink = None
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None

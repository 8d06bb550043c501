"""The paced file sink: plays "in real time" into a WAV file when there is no sound card.

A thread renders one block whenever its time has come on the monotonic clock (so the
engine's frame clock, the scheduler and MIDI behave exactly as with a device) and
appends it to a WAV file. If the thread falls behind by more than ``max_behind_s`` it
counts an xrun and skips ahead instead of racing to catch up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from livestudio.engine.host.wavfile import open_long_wav

OUTPUT_UNDERFLOW = 4


class FileSink:
    """Renders blocks at the real-time pace into ``path`` (16-bit WAV)."""

    def __init__(self, path: str | Path, *, sample_rate: int, blocksize: int,
                 block: Callable[[np.ndarray, int, int], None], channels: int = 2,
                 max_behind_s: float = 0.1, subtype: str = "PCM_16") -> None:
        self.path = Path(path)
        self.sample_rate = int(sample_rate)
        self.blocksize = int(blocksize)
        self.block = block
        self.channels = channels
        self.max_behind_s = max_behind_s
        self.subtype = subtype
        self.xruns = 0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Open the file and start the pacing thread."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open_long_wav(str(self.path), sample_rate=self.sample_rate,
                                   channels=self.channels, subtype=self.subtype)
        self._thread = threading.Thread(target=self._run, name="livestudio-filesink", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        bs = self.blocksize
        chunk_blocks = max(1, 4096 // bs)
        buf = np.zeros((bs * chunk_blocks, self.channels), dtype=np.float32)
        period = bs / self.sample_rate
        t_next = time.monotonic()
        filled = 0
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                if now < t_next:
                    self._stop.wait(t_next - now)
                    continue
                flags = 0
                if now - t_next > self.max_behind_s:
                    self.xruns += 1
                    flags = OUTPUT_UNDERFLOW
                    t_next = now
                view = buf[filled * bs:(filled + 1) * bs]
                self.block(view, bs, flags)
                filled += 1
                t_next += period
                if filled == chunk_blocks:
                    self._file.write(buf)
                    filled = 0
            if filled:
                self._file.write(buf[:filled * bs])
        except BaseException as exc:  # reported by the engine process status
            self.error = exc
        finally:
            self._file.close()

    def stop(self) -> None:
        """Stop rendering and close the file."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

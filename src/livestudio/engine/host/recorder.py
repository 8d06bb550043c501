"""Records the master output: drains the callback's record ring into a WAV file."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import soundfile as sf

from livestudio.engine.host import ring
from livestudio.engine.host import status as S
from livestudio.engine.host.wavfile import open_long_wav

REC_WIDTH = 2


class Recorder:
    """A writer thread for the record ring (the audio callback is the producer)."""

    def __init__(self, rec_ring: np.ndarray, status: np.ndarray, *, sample_rate: int) -> None:
        self.ring = rec_ring
        self.status = status
        self.sample_rate = int(sample_rate)
        self.path: str | None = None
        self.error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._file: sf.SoundFile | None = None

    def start(self, path: str) -> None:
        """Start recording to ``path`` (stops a running recording first)."""
        self.stop()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._file = open_long_wav(path, sample_rate=self.sample_rate, channels=2, subtype="FLOAT")
        self.path = path
        ring.pop(self.ring, REC_WIDTH, 1 << 30)     # drop anything stale
        self.status[S.REC_FIRST] = -1.0
        self._stop.clear()
        self.status[S.REC_ON] = 1.0
        self._thread = threading.Thread(target=self._run, name="livestudio-recorder", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        rows = ring.pop(self.ring, REC_WIDTH, 1 << 20)
        if rows.shape[0] and self._file is not None:
            self._file.write(rows.astype(np.float32))

    def _run(self) -> None:
        try:
            while not self._stop.wait(0.05):
                self._drain()
        except Exception as exc:  # disk full, ...: keep playing, report it
            self.error = f"recording to {self.path} failed: {exc}"
            self.status[S.REC_ON] = 0.0

    def stop(self) -> None:
        """Stop recording, write what is left and close the file."""
        if self._thread is None:
            return
        self.status[S.REC_ON] = 0.0
        self._stop.set()
        self._thread.join(timeout=5)
        self._thread = None
        try:
            self._drain()
        finally:
            if self._file is not None:
                self._file.close()
            self._file = None
            self.path = None

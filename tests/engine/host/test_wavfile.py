"""Long recordings: RF64 with auto-downgrade, so a short file is still a plain WAV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from livestudio.engine.host.wavfile import open_long_wav


def test_short_recording_is_an_ordinary_wav(tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    f = open_long_wav(str(path), sample_rate=48000, channels=2, subtype="FLOAT")
    assert f.format == "RF64"          # may grow past 4 GB while writing ...
    audio = np.linspace(-1, 1, 2000, dtype=np.float32).reshape(1000, 2)
    f.write(audio)
    f.close()
    assert path.read_bytes()[:4] == b"RIFF"   # ... but ended small: written as a WAV
    back, sr = sf.read(str(path), dtype="float32")
    assert sr == 48000 and np.array_equal(back, audio)

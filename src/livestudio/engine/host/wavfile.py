"""WAV files that may grow past 4 GB: a live recording or a long file-sink session.

A plain RIFF WAV cannot hold more than 4 GB (about 3 h of 48 kHz stereo float, 6 h of
16-bit). :func:`open_long_wav` opens the file as RF64 with libsndfile's auto-downgrade
on: a file that ends under 4 GB is written as an ordinary WAV (WAVE_FORMAT_EXTENSIBLE),
a longer one stays RF64, which DAWs read. Where the command is not available the file
is a plain WAV, as before.
"""

from __future__ import annotations

import soundfile as sf

SFC_RF64_AUTO_DOWNGRADE = 0x1210   # libsndfile's sf_command code


def open_long_wav(path: str, *, sample_rate: int, channels: int, subtype: str) -> sf.SoundFile:
    """Open ``path`` for writing a WAV that may exceed 4 GB (see the module doc)."""
    try:
        f = sf.SoundFile(path, mode="w", samplerate=sample_rate, channels=channels,
                         subtype=subtype, format="RF64")
    except (sf.LibsndfileError, ValueError, TypeError):
        return sf.SoundFile(path, mode="w", samplerate=sample_rate, channels=channels,
                            subtype=subtype, format="WAV")
    snd, ffi, handle = getattr(sf, "_snd", None), getattr(sf, "_ffi", None), getattr(f, "_file", None)
    if snd is None or ffi is None or handle is None or \
            snd.sf_command(handle, SFC_RF64_AUTO_DOWNGRADE, ffi.NULL, 1) != 1:
        f.close()   # no auto-downgrade here: a plain WAV (4 GB at most), as before
        return sf.SoundFile(path, mode="w", samplerate=sample_rate, channels=channels,
                            subtype=subtype, format="WAV")
    return f

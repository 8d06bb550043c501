"""Sample folders (Dirt-Samples layout): one folder per name, files sorted by name.

Roots come from the ``sample_paths`` setting plus ``LIVESTUDIO_SAMPLES`` (a path list
separated by ``os.pathsep``). Files are decoded with soundfile on first use.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import numpy as np

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".aif", ".aiff", ".ogg", ".mp3"})
ENV_VAR = "LIVESTUDIO_SAMPLES"


def sample_roots(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The sample roots: ``paths`` first, then the entries of ``LIVESTUDIO_SAMPLES``."""
    roots = [Path(p).expanduser() for p in paths]
    env = os.environ.get(ENV_VAR, "")
    roots += [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return roots


class SampleLibrary:
    """Finds the files of a sample name in the roots (first root that has the folder)."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.roots = sample_roots(paths)
        self._files: dict[str, list[Path]] = {}

    def files(self, name: str) -> list[Path]:
        """Audio files of folder ``name``, sorted; empty when no root has it."""
        if name in self._files:
            return self._files[name]
        found: list[Path] = []
        if name and "/" not in name and "\\" not in name and name not in (".", ".."):
            for root in self.roots:
                folder = root / name
                if folder.is_dir():
                    found = sorted(p for p in folder.iterdir()
                                   if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
                    if found:
                        break
        self._files[name] = found
        return found

    def names(self) -> list[str]:
        """Every sample folder name in the roots (for completion and listings)."""
        out: set[str] = set()
        for root in self.roots:
            if root.is_dir():
                out.update(p.name for p in root.iterdir() if p.is_dir())
        return sorted(out)


def read_sample(path: Path) -> tuple[np.ndarray, int]:
    """Decode ``path`` to float32 frames x channels and its sample rate."""
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    data = np.nan_to_num(np.ascontiguousarray(data, dtype=np.float32), nan=0.0,
                         posinf=0.0, neginf=0.0)
    return data, int(rate)

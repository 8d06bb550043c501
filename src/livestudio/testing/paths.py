"""Where the shared folder (design, conformance cases, bench definitions) lives."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    """The ``shared/`` folder beside the checkout, or ``$LIVESTUDIO_SHARED``."""
    env = os.environ.get("LIVESTUDIO_SHARED")
    if env:
        return Path(env)
    return REPO.parent / "shared"

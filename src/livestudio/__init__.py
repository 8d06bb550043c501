"""livestudio: live-coding music production in Python for the terminal.

``from livestudio import *`` gives the pattern language (Strudel's functions and
controls in snake_case) and the session settings (``tempo``, ``quantize``).
"""

from __future__ import annotations

from livestudio.patterns import *  # noqa: F401,F403
from livestudio.patterns import __all__ as _pattern_names
from livestudio.session.settings import __all__ as _setting_names
from livestudio.session.settings import quantize, samples, sync, tempo  # noqa: F401
from livestudio.engine.midi.cc import cc_signal as ccin  # noqa: F401  (MIDI CC in, as a signal)

__version__ = "0.1.0"
__all__ = [*_pattern_names, *_setting_names, "ccin"]

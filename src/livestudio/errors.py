"""The exceptions a musician can cause, all rooted at :class:`LivestudioError`.

Every error that bad input can raise (a typo in mini-notation, an unknown instrument,
a missing MIDI port, a wrong argument type) is one of these, with a message that names
the place (file, line, column) where it is known.
"""

from __future__ import annotations


class LivestudioError(Exception):
    """Base class of every error livestudio raises on purpose."""


class MiniNotationError(LivestudioError, ValueError):
    """A mini-notation string could not be parsed.

    The message shows the source with a caret under the offending column.
    """

    def __init__(self, message: str, *, source: str = "", column: int | None = None) -> None:
        self.source = source
        self.column = column
        self.reason = message
        text = message
        if source and column is not None:
            text = f"{message} at column {column + 1}\n  {source}\n  {' ' * column}^"
        super().__init__(text)


class PatternError(LivestudioError, ValueError):
    """A pattern function got an argument it cannot use (wrong type, bad value)."""


class TonalError(PatternError):
    """An unknown scale, chord symbol, note name or interval."""


class UnknownInstrumentError(LivestudioError, KeyError):
    """An `s` name that is neither a built-in instrument nor a sample folder."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else "unknown instrument"


class MidiPortError(LivestudioError):
    """A MIDI port that does not exist or cannot be opened; names the ports that do."""


class SessionError(LivestudioError):
    """A pattern file failed to load: names the file, line and code line."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None,
                 code: str = "") -> None:
        self.path = path
        self.line = line
        self.code = code
        self.reason = message
        where = path + (f":{line}" if line is not None else "")
        text = f"{where}: {message}" if where else message
        if code:
            text += f"\n    {code.strip()}"
        super().__init__(text)


class EngineError(LivestudioError):
    """The audio engine could not start or was given something it cannot play."""

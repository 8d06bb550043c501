"""Error panel: the current errors with file, line and the code line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from livestudio.app.session_view import short_path


def error_text(errors: Sequence[Any], code_line: Any = None) -> Text:
    """The errors as text: ``✗ song.py:12 message`` and the code line under it."""
    text = Text()
    for i, err in enumerate(errors):
        if i:
            text.append("\n")
        where = short_path(getattr(err, "path", ""), getattr(err, "line", None))
        track = getattr(err, "track", None)
        text.append("✗ ", style="bold red")
        text.append(where, style="bold")
        if track:
            text.append(f" [{track}]", style="yellow")
        message = _without_location(str(getattr(err, "message", err)).strip(),
                                    getattr(err, "path", ""), getattr(err, "line", None))
        first, _, rest = message.partition("\n")
        text.append(" " + first, style="red")
        code = getattr(err, "code", "") or (code_line(err) if code_line else "")
        if code:
            text.append("\n    " + code.strip(), style="italic")
        elif rest:
            text.append("\n    " + rest.strip().splitlines()[0], style="italic")
    return text


def _without_location(message: str, path: str, line: int | None) -> str:
    """Drop a leading ``path:line: `` (``str(SessionError)`` has one) already shown."""
    for prefix in (f"{path}:{line}: ", f"{path}: "):
        if path and message.startswith(prefix):
            return message[len(prefix):]
    return message


class ErrorPanel(Static):
    """Shown only while there are errors; the last good version keeps playing."""

    errors: reactive[tuple[Any, ...]] = reactive(())

    def watch_errors(self, errors: tuple[Any, ...]) -> None:
        self.display = bool(errors)
        self.border_title = f"errors ({len(errors)}) · last good version playing"
        self.update(error_text(errors, _code_line))


def _code_line(err: Any) -> str:
    """The source line an error points at, read from the file."""
    path, line = getattr(err, "path", ""), getattr(err, "line", None)
    if not path or not line:
        return ""
    import linecache
    return linecache.getline(path, line)

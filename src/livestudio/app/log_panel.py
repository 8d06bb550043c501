"""Log panel: reload results with timings, errors with their source line, actions."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.widgets import RichLog


def wall_clock() -> str:
    """``HH:MM:SS`` now (the default clock of the log)."""
    return time.strftime("%H:%M:%S")


class LogPanel(RichLog, can_focus=False):
    """A scrolling log; ``clock`` stamps each line (tests pass a fixed one)."""

    def __init__(self, *, clock: Callable[[], str] = wall_clock, **kwargs: object) -> None:
        super().__init__(wrap=True, markup=False, max_lines=500, min_width=20, **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.lines_written: list[str] = []

    def add(self, message: str | Text, *, style: str = "") -> None:
        """Write one stamped line."""
        line = Text(self.clock() + " ", style="dim")
        line.append_text(message if isinstance(message, Text) else Text(message, style=style))
        self.lines_written.append(line.plain)
        self.write(line)

    def info(self, message: str) -> None:
        """A neutral line."""
        self.add(message)

    def good(self, message: str) -> None:
        """A success line (green)."""
        self.add(message, style="green")

    def warn(self, message: str) -> None:
        """A warning line (yellow)."""
        self.add(message, style="yellow")

    def error(self, message: str | Text) -> None:
        """An error line (red)."""
        self.add(message if isinstance(message, Text) else Text(message, style="red"))

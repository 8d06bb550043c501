"""A horizontal peak meter in dBFS (-60..0 dB), green / yellow / red."""

from __future__ import annotations

import math

from rich.text import Text
from textual.reactive import var
from textual.widget import Widget

_EIGHTHS = " ▏▎▍▌▋▊▉█"
FLOOR_DB = -60.0


def level_db(level: float) -> float:
    """A linear peak level in dBFS, floored at -60.

    >>> level_db(1.0), level_db(0.0)
    (0.0, -60.0)
    """
    if level <= 0 or not math.isfinite(level):
        return FLOOR_DB
    return max(20.0 * math.log10(level), FLOOR_DB)


def meter_text(level: float, width: int) -> Text:
    """The meter for ``level`` (linear peak) in ``width`` cells."""
    width = max(width, 1)
    fraction = (level_db(level) - FLOOR_DB) / -FLOOR_DB
    eighths = round(fraction * width * 8)
    text = Text()
    for cell in range(width):
        fill = min(max(eighths - cell * 8, 0), 8)
        position = (cell + 1) / width
        style = "green" if position <= 0.75 else "yellow" if position <= 0.92 else "red"
        text.append(_EIGHTHS[fill] if fill else "·", style=style if fill else "grey30")
    return text


class LevelMeter(Widget):
    """The peak level of one track; repaints only when the bar changes by an eighth cell."""

    level: var[float] = var(0.0)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown = -1

    def _eighths(self) -> int:
        width = max(self.size.width, 1)
        return round((level_db(self.level) - FLOOR_DB) / -FLOOR_DB * width * 8)

    def watch_level(self) -> None:
        if self._eighths() != self._shown:
            self.refresh()

    def render(self) -> Text:
        self._shown = self._eighths()
        return meter_text(self.level, self.size.width)

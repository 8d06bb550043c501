"""The step view of a track: this cycle's onsets, lit while they sound."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from livestudio.app.event_tap import Step


def steps_text(steps: tuple[Step, ...], position: float, width: int, *, active: bool = True) -> Text:
    """One cell per ``1/width`` of the cycle: ``●`` sounding, ``•`` played, ``∘`` to come.

    >>> steps_text((Step(0, .25), Step(.5, .75)), 0.6, 8).plain
    '•···●···'
    """
    width = max(width, 1)
    cells = ["·"] * width
    styles = ["grey30"] * width
    for step in steps:
        cell = min(int(step.begin * width), width - 1)
        if step.begin <= position < step.end:
            cells[cell], styles[cell] = "●", "bold yellow"
        elif step.begin <= position:
            if cells[cell] != "●":
                cells[cell], styles[cell] = "•", "cyan"
        elif cells[cell] == "·":
            cells[cell], styles[cell] = "∘", "grey62"
    if active and 0 <= position < 1:
        head = min(int(position * width), width - 1)
        styles[head] += " on grey23"
    text = Text()
    for char, style in zip(cells, styles):
        text.append(char, style=style)
    return text


class StepView(Widget):
    """Onsets of the current cycle of one track."""

    steps: reactive[tuple[Step, ...]] = reactive(())
    position: reactive[float] = reactive(0.0)
    active: reactive[bool] = reactive(True)

    def render(self) -> Text:
        return steps_text(self.steps, self.position, self.size.width, active=self.active)

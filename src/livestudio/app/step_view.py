"""The step view of a track: this cycle's onsets, lit while they sound."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var
from textual.widget import Widget

from livestudio.app.event_tap import Step


def steps_text(steps: tuple[Step, ...], position: float, width: int, *, active: bool = True) -> Text:
    """One cell per ``1/width`` of the cycle: ``●`` sounding, ``•`` played, ``∘`` to come.

    There is no moving playhead (the transport shows the cycle's progress): a step view
    repaints only when a step starts or ends, not on every frame.

    >>> steps_text((Step(0, .25), Step(.5, .75)), 0.6, 8).plain
    '•···●···'
    """
    width = max(width, 1)
    if not active:  # stopped: nothing sounds
        position = -1.0
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
    text = Text()
    for char, style in zip(cells, styles):
        text.append(char, style=style)
    return text


def steps_key(steps: tuple[Step, ...], position: float, width: int, active: bool) -> tuple[object, ...]:
    """What the rendering depends on: the steps and which of them sound or have played."""
    width = max(width, 1)
    if not active:
        position = -1.0
    states = tuple(0 if position < s.begin else 1 if position < s.end else 2 for s in steps)
    return (steps, states, width)


class StepView(Widget):
    """Onsets of the current cycle of one track; repaints only when what it shows changes."""

    steps: var[tuple[Step, ...]] = var(())
    position: var[float] = var(0.0)
    active: var[bool] = var(True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._key: tuple[object, ...] = ()

    def _maybe_refresh(self) -> None:
        key = steps_key(self.steps, self.position, self.size.width, self.active)
        if key != self._key:
            self._key = key
            self.refresh()

    def watch_steps(self) -> None:
        self._maybe_refresh()

    def watch_position(self) -> None:
        self._maybe_refresh()

    def watch_active(self) -> None:
        self._maybe_refresh()

    def render(self) -> Text:
        self._key = steps_key(self.steps, self.position, self.size.width, self.active)
        return steps_text(self.steps, self.position, self.size.width, active=self.active)

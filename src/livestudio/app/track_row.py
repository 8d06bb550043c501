"""One track: name, file, target, mute/solo, level meter and step view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Click
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from livestudio.app.event_tap import Step
from livestudio.app.flag_button import FlagButton
from livestudio.app.level_meter import LevelMeter
from livestudio.app.step_view import StepView


class TrackRow(Widget):
    """A row of the track list; its state is pushed in by the app.

    Its state is held in ``var`` s (no repaint of the whole row): each watcher updates
    only the child that shows it, so a moving playhead repaints one step view.
    """

    muted: var[bool] = var(False)
    soloed: var[bool] = var(False)
    selected: var[bool] = var(False)
    silenced: var[bool] = var(False)
    """Not heard because another track is soloed."""
    error: var[str | None] = var(None)
    level: var[float] = var(0.0)
    target: var[str] = var("")
    location: var[str] = var("")
    steps: var[tuple[Step, ...]] = var(())
    position: var[float] = var(0.0)
    playing: var[bool] = var(False)

    class Selected(Message):
        """The row was clicked."""

        def __init__(self, track: str) -> None:
            super().__init__()
            self.track = track

    class MuteToggled(Message):
        """The M flag was clicked."""

        def __init__(self, track: str) -> None:
            super().__init__()
            self.track = track

    class SoloToggled(Message):
        """The S flag was clicked."""

        def __init__(self, track: str) -> None:
            super().__init__()
            self.track = track

    def __init__(self, track: str) -> None:
        super().__init__(id=f"track-{_css_id(track)}", classes="track-row")
        self.track = track

    def compose(self) -> ComposeResult:
        yield Static(self.track, classes="name")
        yield FlagButton("M", classes="mute")
        yield FlagButton("S", classes="solo")
        yield Static("", classes="file")
        yield Static("", classes="target")
        yield LevelMeter(classes="meter")
        yield StepView(classes="steps")

    def on_mount(self) -> None:
        self._push_all()

    def _push_all(self) -> None:
        for name in ("selected", "muted", "soloed", "silenced", "error", "target",
                     "location", "level", "steps", "position", "playing"):
            getattr(self, f"watch_{name}")(getattr(self, name))

    def _ready(self) -> bool:
        return bool(self.children)

    def watch_selected(self, selected: bool) -> None:
        self.set_class(selected, "-selected")
        if self._ready():
            self.query_one(".name", Static).update(("▸" if selected else " ") + self.track)

    def watch_muted(self, muted: bool) -> None:
        self.set_class(muted, "-muted")
        if self._ready():
            self.query_one(".mute", FlagButton).on = muted

    def watch_soloed(self, soloed: bool) -> None:
        self.set_class(soloed, "-soloed")
        if self._ready():
            self.query_one(".solo", FlagButton).on = soloed

    def watch_silenced(self, silenced: bool) -> None:
        self.set_class(silenced, "-silenced")

    def watch_error(self, error: str | None) -> None:
        self.set_class(error is not None, "-error")
        if self._ready():
            self.query_one(".target", Static).update("ERROR" if error is not None else self.target)

    def watch_target(self, target: str) -> None:
        if self._ready() and self.error is None:
            self.query_one(".target", Static).update(target)

    def watch_location(self, location: str) -> None:
        if self._ready():
            self.query_one(".file", Static).update(location)

    def watch_level(self, level: float) -> None:
        if self._ready():
            self.query_one(LevelMeter).level = level

    def watch_steps(self, steps: tuple[Step, ...]) -> None:
        if self._ready():
            self.query_one(StepView).steps = steps

    def watch_position(self, position: float) -> None:
        if self._ready():
            self.query_one(StepView).position = position

    def watch_playing(self, playing: bool) -> None:
        if self._ready():
            self.query_one(StepView).active = playing

    def on_flag_button_pressed(self, message: FlagButton.Pressed) -> None:
        message.stop()
        if message.flag.has_class("mute"):
            self.post_message(self.MuteToggled(self.track))
        else:
            self.post_message(self.SoloToggled(self.track))

    def on_click(self, event: Click) -> None:
        self.post_message(self.Selected(self.track))


def _css_id(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)

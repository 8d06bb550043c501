"""A one-letter clickable flag (the M and S of a track row)."""

from __future__ import annotations

from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class FlagButton(Static):
    """Shows a letter, lit when ``on``; a click posts :class:`FlagButton.Pressed`."""

    on: reactive[bool] = reactive(False)

    class Pressed(Message):
        """The flag was clicked."""

        def __init__(self, flag: FlagButton) -> None:
            super().__init__()
            self.flag = flag

    def __init__(self, letter: str, *, classes: str = "") -> None:
        super().__init__(letter, classes=classes)
        self.letter = letter

    def watch_on(self, on: bool) -> None:
        self.set_class(on, "-on")

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self))

"""Help: the keys, on a modal screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("space", "play / stop"),
    ("↑ ↓", "select a track (or click it)"),
    ("m", "mute the selected track (or click M)"),
    ("s", "solo the selected track (or click S)"),
    ("r", "record the master to a WAV / stop"),
    ("t", "tap tempo (tap 2+ times)"),
    ("+ / -", "tempo up / down 1 BPM (at the next boundary)"),
    ("p", "panic: all notes off"),
    ("c", "clock source: own → Link → MIDI clock in"),
    ("l", "reload the file now"),
    ("ctrl+p", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "close"),
        Binding("question_mark", "dismiss", "close", show=False),
        Binding("q", "dismiss", "close", show=False),
    ]

    def compose(self) -> ComposeResult:
        lines = "\n".join(f"  [b]{key:<8}[/b] {what}" for key, what in KEYS)
        with Vertical(id="help-box"):
            yield Static(lines, id="help-keys")
            yield Static("Save your pattern file to hear the change at the next cycle.\n"
                         "A broken save keeps the last good version playing.",
                         id="help-foot")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "livestudio keys"

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)

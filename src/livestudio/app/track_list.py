"""The track list: a header and one :class:`TrackRow` per track, with a selection."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from livestudio.app.source_line import SourceLine
from livestudio.app.track_row import TrackRow


class TrackList(Vertical):
    """A fixed header over scrolling rows, in the order of the session's tracks.

    ``selected`` names the track that m and s act on.
    """

    selected: reactive[str | None] = reactive(None)

    class SelectionChanged(Message):
        """The selected track changed (keys or mouse)."""

        def __init__(self, track: str | None) -> None:
            super().__init__()
            self.track = track

    def compose(self) -> ComposeResult:
        yield Static(" track       M S target        level      steps (this cycle)",
                     classes="track-header narrow-only")
        yield Static(" track           M S file                target                level"
                     "            steps (this cycle)", classes="track-header wide-only")
        with VerticalScroll(id="track-rows", can_focus=False):
            yield Static("no tracks yet: bind a pattern to a name in your file, e.g.\n"
                         "  drums = s(\"bd*4\")", classes="empty")
        yield SourceLine(id="source")

    @property
    def names(self) -> list[str]:
        """Track names in display order."""
        return [row.track for row in self.query(TrackRow)]

    def row(self, track: str) -> TrackRow | None:
        """The row of ``track``, if shown."""
        for row in self.query(TrackRow):
            if row.track == track:
                return row
        return None

    def sync_tracks(self, names: Sequence[str]) -> None:
        """Show exactly ``names`` (in order), adding and removing rows as needed."""
        current = self.names
        if current == list(names):
            return
        for row in list(self.query(TrackRow)):
            if row.track not in names:
                row.remove()
        existing = {n for n in current if n in names}
        for name in names:
            if name not in existing:
                self.query_one("#track-rows", VerticalScroll).mount(TrackRow(name))
        self.query_one(".empty", Static).display = not names
        if self.selected not in names:
            self.selected = names[0] if names else None
        else:
            self.watch_selected(self.selected)

    def move(self, delta: int) -> None:
        """Select the track ``delta`` rows down (negative: up)."""
        names = self.names
        if not names:
            return
        index = names.index(self.selected) if self.selected in names else 0
        self.selected = names[(index + delta) % len(names)]

    def watch_selected(self, selected: str | None) -> None:
        for row in self.query(TrackRow):
            row.selected = row.track == selected
        row = self.row(selected) if selected else None
        if row is not None:
            self.query_one("#track-rows", VerticalScroll).scroll_to_widget(row, animate=False)
        self.post_message(self.SelectionChanged(selected))

    def on_track_row_selected(self, message: TrackRow.Selected) -> None:
        self.selected = message.track

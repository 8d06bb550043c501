"""Transport bar: play state, tempo, bar:beat, cycle progress, clock source and health."""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from livestudio.app.session_view import bar_beat


class Transport(Widget):
    """Two lines at the top: what plays, how fast, where in the bar, which clock."""

    playing: reactive[bool] = reactive(False)
    cps: reactive[float] = reactive(0.5)
    cycle: reactive[float] = reactive(0.0)
    sync: reactive[str] = reactive("internal")
    sync_ok: reactive[bool] = reactive(True)
    link_peers: reactive[int] = reactive(0)
    recording: reactive[str | None] = reactive(None)
    session_name: reactive[str] = reactive("")
    alive: reactive[bool] = reactive(True)
    bpm: reactive[float] = reactive(120.0)
    position: reactive[str] = reactive("1:1")

    class PlayToggleRequested(Message):
        """The play/stop indicator was clicked."""

    def compute_bpm(self) -> float:
        return self.cps * 240.0

    def compute_position(self) -> str:
        return bar_beat(self.cycle)

    def watch_playing(self, playing: bool) -> None:
        self.set_class(playing, "-playing")

    def watch_recording(self, recording: str | None) -> None:
        self.set_class(recording is not None, "-recording")

    def on_click(self, event: Click) -> None:
        if event.y == 0 and event.x < 12:
            self.post_message(self.PlayToggleRequested())

    def clock_label(self) -> Text:
        """Clock source and health, e.g. ``clock Link 2 peers ✓``."""
        source = self.sync or "internal"
        if source == "internal":
            label = "own"
        elif source.startswith("midi"):
            label = "MIDI" + (f" {source[5:]}" if source.startswith("midi:") else "")
        elif source == "link":
            label = f"Link {self.link_peers} peer{'s' if self.link_peers != 1 else ''}"
        else:
            label = source
        text = Text("clock ", style="dim")
        text.append(label, style="bold")
        text.append(" ✓" if self.sync_ok else " ✗ lost", style="green" if self.sync_ok else "bold red")
        return text

    def render(self) -> Text:
        width = max(self.size.width, 40)
        line1 = Text()
        if self.playing:
            line1.append(" ▶ PLAYING ", style="bold black on green")
        else:
            line1.append(" ■ STOPPED ", style="bold white on grey37")
        line1.append(f"  {self.bpm:5.1f} BPM", style="bold")
        line1.append(f" {self.cps:.3f} cps", style="dim")
        line1.append("  bar ", style="dim")
        line1.append(f"{self.position:>6}", style="bold")
        line1.append("  cycle ", style="dim")
        line1.append(f"{max(self.cycle, 0.0):8.2f} ")
        bar_width = width - line1.cell_len - 1
        if bar_width >= 4:
            frac = self.cycle - int(self.cycle) if self.cycle >= 0 else 0.0
            filled = int(frac * bar_width)
            line1.append("━" * filled, style="green" if self.playing else "grey50")
            line1.append("─" * (bar_width - filled), style="grey30")
        line2 = Text(" ")
        line2.append_text(self.clock_label())
        if not self.alive:
            line2.append("   ENGINE DOWN: restarting", style="bold white on red")
        if self.recording is not None:
            line2.append("   ● REC ", style="bold white on red")
            line2.append(f" {self.recording}", style="red")
        if self.session_name:
            line2.append("   session ", style="dim")
            line2.append(self.session_name, style="bold")
        line2.truncate(width)
        line1.truncate(width)
        return Text("\n").join([line1, line2])

"""Engine panel: output device and latency, callback load, xruns, late events, voices."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


def load_style(load: float) -> str:
    """Colour for a callback load (time in callback / block duration)."""
    return "green" if load < 0.5 else "yellow" if load < 0.8 else "bold red"


class EnginePanel(Widget):
    """What the engine process reports (an ``EngineStatus``)."""

    status: reactive[Any] = reactive(None, always_update=False)

    def render(self) -> Text:
        s = self.status
        if s is None:
            return Text("engine: starting…", style="dim")
        width = max(self.size.width, 20)
        lines: list[Text] = []

        def row(label: str, *parts: tuple[str, str]) -> None:
            line = Text(f"{label:<8}", style="dim")
            for value, style in parts:
                line.append(value, style=style)
            line.truncate(width, overflow="ellipsis")
            lines.append(line)

        if not getattr(s, "alive", True):
            row("engine", ("DOWN, restarting", "bold white on red"))
        output = str(s.output or "?")
        if "/" in output:  # the file sink writes a WAV: its name is what matters
            output = "file " + output.rsplit("/", 1)[-1]
        row("output", (output, "bold"))
        row("latency", (f"{s.device_latency_ms:.1f} ms", ""),
            (f"  {s.sample_rate / 1000:g} kHz/{s.blocksize}", "dim"))
        row("load", (f"{s.load * 100:3.0f}%", load_style(s.load)),
            (f"  max {s.load_max * 100:.0f}%", load_style(s.load_max)))
        row("xruns", (str(s.xruns), "bold red" if s.xruns else "green"),
            ("  late ", "dim"), (str(s.late), "bold red" if s.late else "green"))
        row("voices", (str(s.voices), ""), ("  restarts ", "dim"),
            (str(s.engine_restarts), "yellow" if s.engine_restarts else "green"))
        return Text("\n").join(lines)

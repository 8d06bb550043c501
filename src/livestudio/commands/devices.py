"""`livestudio devices`: audio output/input devices (and MIDI ports)."""

from __future__ import annotations

import click


def audio_lines() -> list[str]:
    """One line per PortAudio device (or why there are none)."""
    from livestudio.engine.host.stream import import_sounddevice, list_devices
    from livestudio.errors import EngineError

    try:
        import_sounddevice()
    except EngineError as exc:
        return [f"  (no audio: {exc}; `play` uses the WAV file sink)"]
    devices = list_devices()
    if not devices:
        return ["  (no audio devices: `play` uses the WAV file sink)"]
    return ["  " + d.describe() for d in devices]


def midi_lines() -> list[str]:
    """One line per MIDI port, from the MIDI helper's module (if present)."""
    try:
        from livestudio.engine.midi.ports import list_midi_ports
    except ImportError as exc:
        return [f"  (MIDI port listing not available: {exc})"]
    ports = list_midi_ports()
    lines = [f"  out  {name}" for name in ports.get("outputs", [])]  # type: ignore[union-attr]
    lines += [f"  in   {name}" for name in ports.get("inputs", [])]  # type: ignore[union-attr]
    for api, state in dict(ports.get("apis", {})).items():  # type: ignore[arg-type]
        if state != "ok":
            lines.append(f"  ({api}: {state})")
    return lines or ["  (no MIDI ports)"]


@click.command()
def devices() -> None:
    """List audio devices (with host API and channel counts) and MIDI ports."""
    click.echo("Audio devices (* = default output):")
    for line in audio_lines():
        click.echo(line)
    click.echo("MIDI ports:")
    for line in midi_lines():
        click.echo(line)

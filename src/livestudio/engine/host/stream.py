"""The audio stream: the one module that touches sounddevice (and its private API).

:func:`open_cfunc_stream` opens a PortAudio output stream whose callback is a Numba
``@cfunc`` (no GIL, state through ``userdata``) by way of sounddevice's private
``_StreamBase``; :func:`open_python_stream` is the plain-Python-callback fallback.
Device lookup (:func:`resolve_device`) accepts an index or a name substring.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from livestudio.errors import EngineError


@dataclass(frozen=True)
class DeviceInfo:
    """An audio device as PortAudio reports it."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    default_low_output_latency: float
    is_default_output: bool = False

    def describe(self) -> str:
        """One line: index, name, host API, channels, rate."""
        star = "*" if self.is_default_output else " "
        return (f"{star}{self.index:3d}  {self.name}  [{self.hostapi}]  "
                f"in {self.max_input_channels} / out {self.max_output_channels}  "
                f"{self.default_samplerate:g} Hz")


def import_sounddevice() -> ModuleType:
    """Import sounddevice, or raise :class:`EngineError` when PortAudio is missing.

    Sets ``JACK_NO_START_SERVER=1`` first so that probing never launches a JACK server.
    """
    os.environ.setdefault("JACK_NO_START_SERVER", "1")
    try:
        import sounddevice as sd
    except (ImportError, OSError) as exc:
        raise EngineError(f"PortAudio is not available ({exc})") from exc
    return sd


def release_portaudio() -> None:
    """Terminate PortAudio in this process (sounddevice initializes it at import).

    A warm standby engine calls this after resolving its device: an initialized
    PortAudio keeps a JACK client active in the server's graph, woken every cycle for
    nothing (one more real-time thread to schedule per period, and one more client the
    graph waits for). :func:`reacquire_portaudio` undoes it.
    """
    sd = import_sounddevice()
    sd._terminate()


def reacquire_portaudio() -> None:
    """Initialize PortAudio again after :func:`release_portaudio` (or for the first time:
    importing sounddevice initializes it)."""
    first = "sounddevice" not in sys.modules
    sd = import_sounddevice()
    if not first:
        sd._initialize()


def list_devices() -> list[DeviceInfo]:
    """Every PortAudio device (empty when PortAudio is missing)."""
    try:
        sd = import_sounddevice()
    except EngineError:
        return []
    hostapis = sd.query_hostapis()
    try:
        default_out = int(sd.default.device[1])
    except (TypeError, ValueError, IndexError):
        default_out = -1
    out = []
    for index, dev in enumerate(sd.query_devices()):
        out.append(DeviceInfo(
            index=index, name=str(dev["name"]), hostapi=str(hostapis[dev["hostapi"]]["name"]),
            max_input_channels=int(dev["max_input_channels"]),
            max_output_channels=int(dev["max_output_channels"]),
            default_samplerate=float(dev["default_samplerate"]),
            default_low_output_latency=float(dev["default_low_output_latency"]),
            is_default_output=index == default_out))
    return out


def resolve_device(spec: str | int | None) -> DeviceInfo:
    """The output device for an index, a name substring, or None (system default).

    Raises :class:`EngineError` naming the output devices when nothing matches.
    """
    devices = [d for d in list_devices() if d.max_output_channels > 0]
    if not devices:
        raise EngineError("no audio output device (no sound card, or PortAudio finds none)")
    names = "; ".join(f"{d.index}: {d.name} [{d.hostapi}]" for d in devices)
    if spec is None or spec == "":
        for d in devices:
            if d.is_default_output:
                return d
        return devices[0]
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        index = int(spec)
        for d in devices:
            if d.index == index:
                return d
        raise EngineError(f"no output device with index {index}; output devices: {names}")
    needle = str(spec).lower()
    matches = [d for d in devices if needle in d.name.lower() or needle in d.hostapi.lower()]
    if not matches:
        raise EngineError(f"no output device matches {spec!r}; output devices: {names}")
    return matches[0]


def _latency(latency: float | str | None) -> float | str:
    return "low" if latency is None else latency


def open_cfunc_stream(device: DeviceInfo, *, sample_rate: int, blocksize: int,
                      latency: float | str | None, channels: int, callback: Any,
                      userdata_address: int) -> Any:
    """Open (not start) an output stream whose callback is the compiled ``callback``.

    ``callback`` is a Numba ``@cfunc`` with PortAudio's callback signature; it gets
    ``userdata_address`` as its last argument. Keep the header array alive as long
    as the stream.
    """
    sd = import_sounddevice()
    try:
        return sd._StreamBase(
            "output", device=device.index, samplerate=sample_rate, blocksize=blocksize,
            channels=channels, dtype="float32", latency=_latency(latency),
            extra_settings=None,
            callback=sd._ffi.cast("PaStreamCallback*", callback.address),
            finished_callback=None,
            userdata=sd._ffi.cast("void*", userdata_address), wrap_callback=None)
    except sd.PortAudioError as exc:
        raise EngineError(f"cannot open {device.name!r} at {sample_rate} Hz, block {blocksize}: {exc}") from exc


def open_python_stream(device: DeviceInfo, *, sample_rate: int, blocksize: int,
                       latency: float | str | None, channels: int,
                       block: Callable[[np.ndarray, int, int], None]) -> Any:
    """The fallback: a plain Python callback calling ``block(outdata, frames, flags)``."""
    sd = import_sounddevice()
    underflow = 4

    def callback(outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        block(outdata, frames, underflow if status.output_underflow else 0)

    try:
        return sd.OutputStream(device=device.index, samplerate=sample_rate, blocksize=blocksize,
                               channels=channels, dtype="float32", latency=_latency(latency),
                               callback=callback)
    except sd.PortAudioError as exc:
        raise EngineError(f"cannot open {device.name!r} at {sample_rate} Hz, block {blocksize}: {exc}") from exc

"""Finding and opening MIDI ports by name substring (python-rtmidi, ALSA or JACK).

A port spec is a case-insensitive substring of the port name (``"MicroFreak"``), an
``api:substring`` (``"jack:gear"``), or ``virtual:NAME`` which creates livestudio's own
port that other programs connect to. A spec that matches nothing raises
:class:`~livestudio.errors.MidiPortError` naming every port that exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

import rtmidi

from livestudio.errors import MidiPortError

Direction = Literal["input", "output"]

API_NAMES: dict[str, int] = {
    "alsa": rtmidi.API_LINUX_ALSA,
    "jack": rtmidi.API_UNIX_JACK,
    "coremidi": rtmidi.API_MACOSX_CORE,
    "winmm": rtmidi.API_WINDOWS_MM,
}
_API_LABEL = {v: k for k, v in API_NAMES.items()}

CLIENT_NAME = "livestudio"


def midi_apis() -> list[int]:
    """The rtmidi APIs to search, in order.

    ``LIVESTUDIO_MIDI_API=alsa|jack`` forces one; otherwise JACK comes first when
    ``JACK_DEFAULT_SERVER`` names a server, ALSA (or the platform API) first otherwise.
    """
    compiled = [a for a in rtmidi.get_compiled_api() if a != rtmidi.API_RTMIDI_DUMMY]
    forced = os.environ.get("LIVESTUDIO_MIDI_API", "").strip().lower()
    if forced:
        if forced not in API_NAMES or API_NAMES[forced] not in compiled:
            raise MidiPortError(f"LIVESTUDIO_MIDI_API={forced!r} is not available; "
                                f"compiled APIs: {[_API_LABEL.get(a, a) for a in compiled]}")
        return [API_NAMES[forced]]
    jack = rtmidi.API_UNIX_JACK
    if jack in compiled and os.environ.get("JACK_DEFAULT_SERVER"):
        return [jack] + [a for a in compiled if a != jack]
    return [a for a in compiled if a != jack] + ([jack] if jack in compiled else [])


def api_label(api: int) -> str:
    """``"alsa"``, ``"jack"``... for an rtmidi API constant."""
    return _API_LABEL.get(api, str(api))


def _client(direction: Direction, api: int, name: str = CLIENT_NAME) -> rtmidi.MidiIn | rtmidi.MidiOut:
    cls = rtmidi.MidiIn if direction == "input" else rtmidi.MidiOut
    return cls(api, name)


@dataclass
class PortListing:
    """The ports of one direction on every API that answered, and the APIs that did not."""

    ports: dict[int, list[str]] = field(default_factory=dict)   # api -> port names
    unavailable: dict[int, str] = field(default_factory=dict)   # api -> error text

    def names(self) -> list[str]:
        """Every port as ``api:name``."""
        return [f"{api_label(api)}:{n}" for api, names in self.ports.items() for n in names]


def scan(direction: Direction, apis: list[int] | None = None) -> PortListing:
    """List the ports of ``direction`` on each API (an API that cannot start is noted)."""
    listing = PortListing()
    for api in apis if apis is not None else midi_apis():
        try:
            client = _client(direction, api, f"{CLIENT_NAME}-scan")
        except Exception as exc:  # rtmidi raises its own SystemError family: note and go on
            listing.unavailable[api] = str(exc).strip()
            continue
        try:
            listing.ports[api] = list(client.get_ports())
        finally:
            client.delete()
    return listing


def list_midi_ports() -> dict[str, object]:
    """All MIDI ports for ``livestudio devices``.

    Returns ``{"inputs": ["jack:a2j:foo", ...], "outputs": [...], "apis": {"jack":
    "ok", "alsa": "error text"}}``.
    """
    ins, outs = scan("input"), scan("output")
    apis: dict[str, str] = {}
    for listing in (ins, outs):
        for api in listing.ports:
            apis[api_label(api)] = "ok"
        for api, err in listing.unavailable.items():
            apis.setdefault(api_label(api), err)
    return {"inputs": ins.names(), "outputs": outs.names(), "apis": apis}


def _split_spec(spec: str) -> tuple[list[int] | None, str]:
    head, sep, tail = spec.partition(":")
    if sep and head.lower() in API_NAMES:
        return [API_NAMES[head.lower()]], tail
    return None, spec


def resolve(spec: str, direction: Direction) -> tuple[int, int, str]:
    """Find the port ``spec`` names: ``(api, index, full name)``.

    An exact name wins over a substring; among substrings the first API in
    :func:`midi_apis` order and the first port wins.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise MidiPortError(f"a MIDI {direction} port needs a name, got {spec!r}")
    apis, needle = _split_spec(spec.strip())
    listing = scan(direction, apis)
    low = needle.lower()
    for exact in (True, False):
        for api, names in listing.ports.items():
            for index, name in enumerate(names):
                if (name.lower() == low) if exact else (low in name.lower()):
                    return api, index, name
    existing = listing.names()
    text = ", ".join(existing) if existing else "none"
    extra = ""
    if listing.unavailable:
        extra = "; unavailable: " + "; ".join(
            f"{api_label(a)} ({e.splitlines()[0]})" for a, e in listing.unavailable.items())
    raise MidiPortError(f"no MIDI {direction} port matches {needle!r}; existing {direction} ports: {text}{extra}")


def port_exists(api: int, name: str, direction: Direction, client: rtmidi.MidiIn | rtmidi.MidiOut | None = None) -> int | None:
    """The index of the port called exactly ``name`` on ``api`` now, or None."""
    own = client is None
    c = client if client is not None else _client(direction, api, f"{CLIENT_NAME}-probe")
    try:
        for index, n in enumerate(c.get_ports()):
            if n == name:
                return index
        return None
    finally:
        if own:
            c.delete()


def open_output(spec: str, *, client_name: str = CLIENT_NAME) -> tuple[rtmidi.MidiOut, int, str]:
    """Open an output port: ``(client, api, port name)``; ``virtual:NAME`` creates one."""
    return _open(spec, "output", client_name)  # type: ignore[return-value]


def open_input(spec: str, *, client_name: str = CLIENT_NAME) -> tuple[rtmidi.MidiIn, int, str]:
    """Open an input port: ``(client, api, port name)``; ``virtual:NAME`` creates one."""
    return _open(spec, "input", client_name)  # type: ignore[return-value]


def _open(spec: str, direction: Direction, client_name: str) -> tuple[rtmidi.MidiIn | rtmidi.MidiOut, int, str]:
    if spec.startswith("virtual:"):
        name = spec[len("virtual:"):] or direction
        errors: list[str] = []
        for api in midi_apis():
            try:
                client = _client(direction, api, client_name)
            except Exception as exc:  # try the next API, and say why each failed
                errors.append(f"{api_label(api)}: {str(exc).strip()}")
                continue
            try:
                client.open_virtual_port(name)
                return client, api, name
            except Exception as exc:
                client.delete()
                errors.append(f"{api_label(api)}: {str(exc).strip()}")
        raise MidiPortError(f"cannot create virtual MIDI {direction} port {name!r}: " + "; ".join(errors))
    api, index, name = resolve(spec, direction)
    try:
        client = _client(direction, api, client_name)
    except Exception as exc:
        raise MidiPortError(f"cannot open MIDI {direction} port {name!r}: {exc}") from exc
    try:
        client.open_port(index, name=f"{direction[:3]}")
    except Exception as exc:
        client.delete()
        raise MidiPortError(f"cannot open MIDI {direction} port {name!r}: {exc}") from exc
    return client, api, name

"""The MIDI sender thread: every message leaves at its absolute deadline.

One thread per engine process owns a heap of timed messages, the note bookkeeping and
the clock-out generators. Other threads never touch that state: they post commands
(:meth:`MidiSender.post`) and wake the thread. It never waits on the front; it sleeps
to the next deadline (see :mod:`~livestudio.engine.midi.timing`).

Note bookkeeping: a note-on is sent with its note-off already decided (time, and a
generation number). A note that starts again while still sounding is ended first (off,
then on) and the older off is void, so no off ever cuts a newer note. Removing a track,
stopping, panic and close end sounding notes at once; panic and close also send CC 123
(all notes off) on every channel used.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from livestudio.engine.midi import messages as mm
from livestudio.engine.midi.outport import OutPort
from livestudio.engine.midi.timing import SPIN_S, make_thread_realtime, sleep_until

PLAIN, NOTE_ON, NOTE_OFF = 0, 1, 2
NoteKey = tuple[int, int, int]  # (id(port), channel 1..16, note)


@dataclass(order=True)
class Timed:
    """One message due at monotonic ``time`` (``seq`` keeps posting order on ties)."""

    time: float
    seq: int
    port: OutPort = field(compare=False)
    message: mm.Message = field(compare=False)
    track: str | None = field(compare=False, default=None)
    kind: int = field(compare=False, default=PLAIN)
    length_s: float = field(compare=False, default=0.0)
    gen: int = field(compare=False, default=0)


class Periodic(Protocol):
    """A generator of timed messages the sender polls (MIDI clock out)."""

    def next_due(self) -> float | None:
        """Monotonic time of the next message, or None when idle."""
        ...

    def fire(self, now: float) -> None:
        """Send what is due at ``now`` (called at or just after :meth:`next_due`)."""
        ...


@dataclass
class Sounding:
    """A note that is on: which track started it, and the generation its off must carry."""

    track: str | None
    gen: int
    port: OutPort
    channel: int
    note: int


class MidiSender:
    """The timed sender thread; start it, post to it, close it."""

    def __init__(self, *, spin_s: float = SPIN_S, realtime: bool = True, priority: int = 50) -> None:
        self.spin_s = spin_s
        self.realtime = realtime
        self.priority = priority
        self.heap: list[Timed] = []
        self.sounding: dict[NoteKey, Sounding] = {}
        self.used_channels: set[tuple[OutPort, int]] = set()
        self.periodic: list[Periodic] = []
        self.commands: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.wake = threading.Event()
        self.seq = itertools.count()
        self.gen = itertools.count(1)
        self.late = 0                  # messages posted after their time (sent at once)
        self.sent = 0
        self.max_lateness_s = 0.0
        self.errors: list[str] = []
        self.rt_info = ""
        self.on_used_channel: Callable[[OutPort, int], None] | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="livestudio-midi-sender", daemon=True)

    # --- API for other threads -------------------------------------------------
    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def post(self, command: Callable[[], None]) -> None:
        """Run ``command`` on the sender thread before its next send."""
        self.commands.put(command)
        self.wake.set()

    def call(self, command: Callable[[], None], timeout: float = 2.0) -> None:
        """Run ``command`` on the sender thread and wait until it has run."""
        if not self._thread.is_alive():
            command()
            return
        done = threading.Event()

        def wrapped() -> None:
            try:
                command()
            finally:
                done.set()

        self.post(wrapped)
        if not done.wait(timeout):
            self.errors.append("MIDI sender did not answer in time")

    def schedule(self, items: list[Timed]) -> None:
        """Queue messages (posted; safe from any thread)."""
        self.post(lambda: self._push_all(items))

    def next_seq(self) -> int:
        """A fresh tie-break number for :class:`Timed`."""
        return next(self.seq)

    def close(self, timeout: float = 2.0) -> None:
        """Stop the thread after it has run the commands posted so far."""
        self._stop = True
        self.wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    # --- sender-thread side ----------------------------------------------------
    def _push_all(self, items: list[Timed]) -> None:
        for item in items:
            heapq.heappush(self.heap, item)

    def _drain_commands(self) -> None:
        while True:
            try:
                command = self.commands.get_nowait()
            except queue.Empty:
                return
            try:
                command()
            except Exception as exc:  # a bad command must not kill the sender: record it
                self.errors.append(f"MIDI sender: {type(exc).__name__}: {exc}")

    def _next_deadline(self) -> float | None:
        due = self.heap[0].time if self.heap else None
        for source in self.periodic:
            t = source.next_due()
            if t is not None and (due is None or t < due):
                due = t
        return due

    def _run(self) -> None:
        if self.realtime:
            self.rt_info = make_thread_realtime(self.priority)
        while True:
            self.wake.clear()
            self._drain_commands()
            if self._stop:
                return
            deadline = self._next_deadline()
            if deadline is None:
                self.wake.wait(0.05)
                continue
            if not sleep_until(deadline, spin_s=self.spin_s, wake=self.wake):
                continue  # woken by a command: it may bring an earlier event
            now = time.monotonic()
            for source in self.periodic:
                t = source.next_due()
                if t is not None and t <= now:
                    source.fire(now)
            while self.heap and self.heap[0].time <= now:
                self._send(heapq.heappop(self.heap), now)

    def _send(self, item: Timed, now: float) -> None:
        port = item.port
        if item.kind == NOTE_OFF:
            key = (id(port), item.message[0] & 0x0F, item.message[1])
            current = self.sounding.get(key)
            if current is None or current.gen != item.gen:
                return  # ended already (retrigger, stop, panic)
            del self.sounding[key]
            port.send(item.message)
            self.sent += 1
            return
        if item.kind == NOTE_ON:
            channel = (item.message[0] & 0x0F) + 1
            note = item.message[1]
            key = (id(port), item.message[0] & 0x0F, note)
            if key in self.sounding:
                port.send(mm.note_off(channel, note))
            self._mark_used(port, channel)
            gen = next(self.gen)
            self.sounding[key] = Sounding(item.track, gen, port, channel, note)
            port.send(item.message)
            self.sent += 1
            off = Timed(item.time + item.length_s, next(self.seq), port, mm.note_off(channel, note),
                        item.track, NOTE_OFF, 0.0, gen)
            heapq.heappush(self.heap, off)
            return
        status = item.message[0]
        if status < 0xF0:
            self._mark_used(port, (status & 0x0F) + 1)
        port.send(item.message)
        self.sent += 1

    def _mark_used(self, port: OutPort, channel: int) -> None:
        if (port, channel) not in self.used_channels:
            self.used_channels.add((port, channel))
            if self.on_used_channel is not None:
                self.on_used_channel(port, channel)

    # --- note endings (run on the sender thread, through post/call) --------------
    def end_notes(self, track: str | None = None) -> int:
        """Drop queued note-ons and track messages (of ``track``, or all) and end sounding notes."""
        def keep(item: Timed) -> bool:
            return item.track is None if track is None else item.track != track

        self.heap = [item for item in self.heap if keep(item)]
        heapq.heapify(self.heap)
        ended = 0
        for key, note in list(self.sounding.items()):
            if track is None or note.track == track:
                note.port.send(mm.note_off(note.channel, note.note))
                del self.sounding[key]
                ended += 1
        return ended

    def all_notes_off(self) -> None:
        """End every note, then CC 123 on every channel used (the last resort)."""
        self.end_notes(None)
        for port, channel in sorted(self.used_channels, key=lambda pc: (pc[0].name, pc[1])):
            port.send(mm.all_notes_off(channel))

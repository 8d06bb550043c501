"""MIDI clock out: 24 PPQN ticks, Start/Stop/Continue and Song Position Pointer.

Tick ``k`` falls on beat ``k / 24``; its send time is the engine clock's monotonic time
of the frame of that beat (``frame_at_cycle`` then ``frame_to_monotonic``) plus the
port's offset. Nothing is accumulated, so the tick count matches the audio frame count
exactly over any run, and a tempo change (a new anchor in the engine clock) moves the
ticks with it. One :class:`ClockOut` per port (each port has its own offset).

The sender thread (:class:`~livestudio.engine.midi.sender.MidiSender`) polls
:meth:`ClockOut.next_due` and calls :meth:`ClockOut.fire`; state changes come through
the sender's command queue, so they are single-threaded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from livestudio.engine.midi import messages as mm
from livestudio.engine.midi.outport import OutPort
from livestudio.engine.midi.timing import EngineClock

PPQN = 24
BEATS_PER_CYCLE = 4
LATE_SKIP_S = 0.05  # a tick this late means the engine jumped: skip to the present


@dataclass
class ClockOut:
    """Clock for one port: ticks while running; Start/Stop/Continue/SPP on transport changes."""

    clock: EngineClock
    port: OutPort
    enabled: bool = True
    on_send: Callable[[int, float, float], None] | None = None  # (tick, ideal time, send time)

    def __post_init__(self) -> None:
        self.running = False
        self.next_tick = 0                   # index of the next tick on the beat grid
        self.pending: list[mm.Message] = []  # Start or SPP+Continue, sent with the next tick
        self.ticks_sent = 0
        self.skipped = 0

    def tick_time(self, k: int) -> float:
        """Monotonic send time of tick ``k`` (with the port's offset)."""
        frame = self.clock.frame_at_cycle(k / (PPQN * BEATS_PER_CYCLE))
        return self.clock.frame_to_monotonic(frame) + self.port.offset_s

    def start(self, *, at_beat: float = 0.0) -> None:
        """Run from engine beat ``at_beat``: Start at the song's start, else SPP + Continue.

        The first tick goes out at the first 16th-note boundary at or after ``at_beat``
        (SPP can only name 16ths), or at beat 0 with Start.
        """
        k = max(0, math.ceil(at_beat * PPQN - 1e-6))
        if k == 0:
            self.next_tick = 0
            self.pending = [(mm.START,)]
        else:
            sixteenth = -(-k // 6)
            self.next_tick = sixteenth * 6
            self.pending = [mm.song_position(sixteenth), (mm.CONTINUE,)]
        self.running = True

    def stop(self) -> None:
        """Send Stop now; the position is kept for :meth:`resume`."""
        if self.running and self.enabled:
            self.port.send((mm.STOP,))
        self.running = False
        self.pending = []

    def resume(self) -> None:
        """Continue from where :meth:`stop` left off."""
        self.start(at_beat=self.next_tick / PPQN)

    def locate(self, beat: float) -> None:
        """While stopped, send Song Position Pointer for ``beat`` (rounded down to a 16th)."""
        sixteenth = max(0, int(beat * 4 + 1e-9))
        self.next_tick = sixteenth * 6
        if self.enabled:
            self.port.send(mm.song_position(sixteenth))

    # --- polled by the sender thread ----------------------------------------------
    def next_due(self) -> float | None:
        """Send time of the next tick, or None while stopped."""
        return self.tick_time(self.next_tick) if self.running else None

    def fire(self, now: float) -> None:
        """Send the due tick (with a pending Start/Continue first)."""
        k = self.next_tick
        stamp = now
        if self.enabled:
            for message in self.pending:
                self.port.send(message)
            stamp = time.monotonic()
            self.port.send((mm.CLOCK,))
        self.pending = []
        self.next_tick = k + 1
        self.ticks_sent += 1
        if self.on_send is not None:
            self.on_send(k, self.tick_time(k), stamp)
        if self.tick_time(self.next_tick) < now - LATE_SKIP_S:
            # the engine jumped (restart, relocation): resume on the grid at "now"
            cycle = self.clock.cycle_at(self.clock.monotonic_to_frame(now - self.port.offset_s))
            self.next_tick = max(self.next_tick, math.ceil(cycle * PPQN * BEATS_PER_CYCLE))
            self.skipped += 1

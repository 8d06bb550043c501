"""Following an external MIDI clock: tempo and beat phase from 24-PPQN ticks.

Filter: a sliding-window least-squares line through (tick index, arrival time), with
residual gating and change detection. Why regression and not a PLL or a Kalman filter:

- For a constant tempo with white arrival jitter the least-squares line is the
  minimum-variance unbiased estimate of period and phase; a Kalman filter with the same
  model converges to the same numbers but needs a process-noise guess that trades
  tracking speed for smoothness, and a PLL has a loop bandwidth that does the same and
  rings after a step. Regression has one knob (window length) with a direct meaning.
- Outliers (a tick delivered late by a USB or JACK hiccup) are gated: a tick whose
  residual exceeds ``max(floor, 4 sigma)`` is counted (the tick count, and so the
  phase, stays right) but kept out of the fit.
- A tempo change shows as a run of same-sign gated residuals (they grow by the period
  difference every tick). ``change_run`` of them propose a new line; it is taken when
  ``confirm`` more ticks fit it and the proposal is a clean line (residuals like the
  steady-state jitter) whose slope differs significantly from the old one, or when
  ``long_run`` ticks in a row stay off the old line. The window then restarts from the
  proposal, so a step settles in about 7 ticks plus the time the short window needs to
  be quiet, not the whole window length. A burst of late ticks (a loaded sender, a USB
  hiccup) is not such a line and comes back to the old one, so it does not move the
  tempo.
- Ticks right on the heels of the previous one and far earlier than the model allows
  (floods, doubled clocks) are dropped, and no fit outside ``min_bpm..max_bpm`` is ever
  taken. Before the first tempo, ``BOOT_TICKS`` ticks must lie on a steady line.
- Cost: the transient. Until a step has been told from jitter (the proposal plus its
  confirmation, about 0.3 beats) the phase follows the old tempo: about 9 ms off at
  the end of a 120 -> 126 BPM step, then within 2 ms.

Times are ``time.monotonic()`` seconds of arrival. The object is not thread safe: feed
it from the one MIDI input thread; readers take :meth:`snapshot`.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from livestudio.engine.midi.messages import CLOCK, CONTINUE, SONG_POSITION, START, STOP, Message

PPQN = 24
BOOT_TICKS = 6   # ticks on a steady line before the first tempo is given


@dataclass(frozen=True)
class FollowerConfig:
    """Tuning of :class:`ClockFollower`."""

    min_bpm: float = 20.0
    max_bpm: float = 300.0
    window: int = 96              # ticks in the steady-state fit (4 beats)
    outlier_floor_s: float = 0.0025
    outlier_sigmas: float = 4.0
    change_run: int = 3           # consecutive same-sign gated ticks that propose a new tempo
    confirm: int = 4              # further ticks that must fit the proposal before it is taken
    long_run: int = 12            # ticks off the old line that are taken as a new line anyway
    timeout_periods: float = 3.0  # no tick for this many periods: hold and flag not ok


@dataclass(frozen=True)
class FollowState:
    """A consistent snapshot of the follower (safe to read from another thread)."""

    established: bool
    period_s: float               # seconds per tick (0 when unknown)
    t_ref: float                  # fitted arrival time of tick ``n_ref``
    n_ref: float
    n_start: int                  # tick index of beat 0 of the running transport
    next_pos: int                 # transport position (ticks) of the next tick while stopped
    playing: bool
    last_arrival: float
    timeout_periods: float

    @property
    def bpm(self) -> float:
        """Tempo in beats per minute (0 while unknown)."""
        return 60.0 / (self.period_s * PPQN) if self.period_s > 0 else 0.0

    def ok_at(self, t: float) -> bool:
        """Whether the clock is locked and has ticked within ``timeout_periods`` of ``t``."""
        return self.established and (t - self.last_arrival) <= self.timeout_periods * self.period_s

    def tick_at(self, t: float) -> float:
        """The continuous tick index at time ``t`` (extrapolated at the held tempo)."""
        if self.period_s <= 0:
            return self.n_ref
        return self.n_ref + (t - self.t_ref) / self.period_s

    def beat_at(self, t: float) -> float:
        """Transport position in beats at ``t``: running while playing, frozen when stopped."""
        if not self.playing:
            return self.next_pos / PPQN
        return (self.tick_at(t) - self.n_start) / PPQN

    def time_at_beat(self, beat: float) -> float:
        """When the running transport reaches ``beat`` (needs a tempo)."""
        return self.t_ref + (beat * PPQN + self.n_start - self.n_ref) * self.period_s


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _publishes(method: Callable[Concatenate[ClockFollower, _P], _R]) -> Callable[Concatenate[ClockFollower, _P], _R]:
    """Decorator: publish a fresh snapshot after the state changed."""
    @functools.wraps(method)
    def wrapper(self: ClockFollower, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        result = method(self, *args, **kwargs)
        self._publish()
        return result
    return wrapper


class ClockFollower:
    """Tempo and phase of an external 24-PPQN clock; feed it ticks and transport messages."""

    def __init__(self, config: FollowerConfig | None = None) -> None:
        self.config = config or FollowerConfig()
        self.min_period = 60.0 / (self.config.max_bpm * PPQN)
        self.max_period = 60.0 / (self.config.min_bpm * PPQN)
        self.reset()

    def reset(self) -> None:
        """Forget everything (tempo, phase, transport)."""
        self.window: deque[tuple[int, float]] = deque(maxlen=self.config.window)
        self.run: list[tuple[int, float]] = []
        self.candidate: list[tuple[int, float]] = []
        self.period = 0.0
        self.t_ref = 0.0
        self.n_ref = 0.0
        self.established = False
        self.last_n = -1
        self.last_arrival = -math.inf
        self.n_start = 0
        self.next_pos = 0
        self.playing = False
        self.sigma = 0.0
        self.ticks = 0
        self.outliers = 0
        self.rejected = 0
        self.changes = 0
        self._publish()

    # --- input ---------------------------------------------------------------
    def handle(self, message: Message, t: float) -> None:
        """Feed one parsed MIDI message received at ``t`` (non-clock messages ignored)."""
        status = message[0] if message else 0
        if status == CLOCK:
            self.tick(t)
        elif status == START:
            self.start(t)
        elif status == CONTINUE:
            self.continue_(t)
        elif status == STOP:
            self.stop(t)
        elif status == SONG_POSITION and len(message) == 3:
            self.song_position(message[1] | (message[2] << 7))

    @_publishes
    def start(self, t: float) -> None:
        """Start: the next tick is the downbeat (beat 0)."""
        self.next_pos = 0
        self.n_start = self.last_n + 1
        self.playing = True

    @_publishes
    def continue_(self, t: float) -> None:
        """Continue: the next tick plays at the stored position."""
        if not self.playing:
            self.n_start = self.last_n + 1 - self.next_pos
            self.playing = True

    @_publishes
    def stop(self, t: float) -> None:
        """Stop: freeze the position at the next tick's place."""
        if self.playing:
            self.next_pos = self.last_n + 1 - self.n_start
            self.playing = False

    @_publishes
    def song_position(self, sixteenths: int) -> None:
        """Song Position Pointer: relocate (takes effect at the next Continue or tick)."""
        pos = max(0, int(sixteenths)) * 6
        if self.playing:
            self.n_start = self.last_n + 1 - pos
        else:
            self.next_pos = pos

    @_publishes
    def tick(self, t: float) -> None:
        """One 0xF8 arrived at monotonic time ``t``."""
        if not math.isfinite(t):
            self.rejected += 1
            return
        if t < self.last_arrival:  # time never runs back: a bad stamp
            self.rejected += 1
            return
        if not self.established:
            self._bootstrap(t)
            return
        since = t - self.last_arrival
        timeout = self.config.timeout_periods * self.period
        expected = self._t_fit(self.last_n + 1)
        if since > timeout:
            # the clock came back after a dropout: assume it kept its tempo and phase
            n = self.last_n + max(1, round((t - self._t_fit(self.last_n)) / self.period))
        else:
            if since < 0.5 * self.min_period and t - expected < -0.5 * self.period:
                # right on the heels of the last tick and far earlier than the model
                # allows: a flood or a doubled clock. (A burst of late ticks released by a
                # USB/JACK hiccup is late, not early, so it is counted.)
                self.rejected += 1
                return
            n = self.last_n + 1
        self._accept(n, t)

    # --- estimation ----------------------------------------------------------
    def _count(self, n: int, t: float) -> None:
        self.last_n = n
        self.last_arrival = t
        self.ticks += 1

    def _bootstrap(self, t: float) -> None:
        """Collect ticks until BOOT_TICKS of them lie on a line at a tempo within bounds."""
        if self.window and t - self.window[-1][1] > 3 * self.max_period:
            self.window.clear()
        n = self.last_n + 1
        self.window.append((n, t))
        self._count(n, t)
        while len(self.window) > BOOT_TICKS:
            self.window.popleft()
        if len(self.window) < BOOT_TICKS:
            return
        period, n_ref, t_ref, _ = self._fit(self.window)
        if not self.min_period <= period <= self.max_period:
            self.window.popleft()
            return
        worst = max(abs(tt - (t_ref + (nn - n_ref) * period)) for nn, tt in self.window)
        if worst > 0.25 * period:
            self.window.popleft()      # a burst or a gap: not a steady clock yet
            return
        self.period, self.n_ref, self.t_ref = period, n_ref, t_ref
        self.established = True
        self.sigma = 0.0

    def _threshold(self) -> float:
        c = self.config
        return min(max(c.outlier_floor_s, c.outlier_sigmas * self.sigma), 3 * c.outlier_floor_s, 0.45 * self.period)

    def _accept(self, n: int, t: float) -> None:
        residual = t - self._t_fit(n)
        self._count(n, t)
        threshold = self._threshold()
        if self.candidate:
            if abs(residual) <= threshold:
                self.candidate = []            # the old line holds after all: it was noise
            else:
                period, n_ref, t_ref, _ = self._fit(self.candidate)
                same_side = (residual > 0) == (self.candidate[-1][1] > self._t_fit(self.candidate[-1][0]))
                if same_side and abs(t - (t_ref + (n - n_ref) * period)) <= 2 * threshold:
                    self.candidate.append((n, t))
                    self.outliers += 1
                    if self._candidate_is_new_tempo():
                        self._switch_to_candidate()
                    return
                self.candidate = []            # fits neither: start a new run with it
        if abs(residual) > threshold:
            if self.run and (self.run[-1][1] - self._t_fit(self.run[-1][0]) > 0) != (residual > 0):
                self.run = []
            self.run.append((n, t))
            self.outliers += 1
            if len(self.run) >= self.config.change_run:
                self._propose_from_run()
            return
        self.run = []
        self.window.append((n, t))
        self._refit()
        self.sigma = math.sqrt(0.99 * self.sigma ** 2 + 0.01 * residual ** 2) if self.sigma else abs(residual)

    def _propose_from_run(self) -> None:
        """A run of same-sign gated ticks: a new tempo, if the next ticks agree."""
        period, _, _, _ = self._fit(self.run)
        if self.min_period <= period <= self.max_period:
            self.candidate = list(self.run)
        else:
            self.rejected += len(self.run)
        self.run = []

    def _candidate_is_new_tempo(self) -> bool:
        """Enough ticks off the old line, on a line of their own with a different slope.

        A burst of late ticks (a loaded sender, a USB hiccup) sits off the line by a
        roughly constant amount and then comes back: its slope is not significantly
        different, so it is not taken. ``long_run`` ticks that stay off take the new
        line anyway (a slow tempo change, or the master moved its phase).
        """
        c = self.config
        count = len(self.candidate)
        if count >= c.long_run:
            return True
        if count < c.change_run + c.confirm:
            return False
        period, n_ref, t_ref, _ = self._fit(self.candidate)
        spread = sum((n - n_ref) ** 2 for n, _ in self.candidate)
        resid = math.sqrt(sum((t - (t_ref + (n - n_ref) * period)) ** 2 for n, t in self.candidate)
                          / max(1, count - 2))
        if resid > max(self._threshold() / 2, 2 * self.sigma):
            return False          # not a clean line: scattered late ticks, not a tempo
        stderr = max(resid, c.outlier_floor_s / 4) / math.sqrt(spread)
        return abs(period - self.period) > 3 * stderr

    def _switch_to_candidate(self) -> None:
        period, n_ref, t_ref, _ = self._fit(self.candidate)
        if not self.min_period <= period <= self.max_period:
            self.rejected += len(self.candidate)   # never a tempo outside the bounds
            self.candidate = []
            return
        self.window.clear()
        self.window.extend(self.candidate)
        self.candidate = []
        self.period, self.n_ref, self.t_ref = period, n_ref, t_ref
        self.sigma = 0.0
        self.changes += 1

    def _refit(self) -> None:
        if len(self.window) < 3:
            return
        period, n_ref, t_ref, _ = self._fit(self.window)
        if self.min_period <= period <= self.max_period:
            self.period, self.n_ref, self.t_ref = period, n_ref, t_ref

    @staticmethod
    def _fit(points: deque[tuple[int, float]] | list[tuple[int, float]]) -> tuple[float, float, float, int]:
        """Least squares t = t_ref + (n - n_ref) * period; returns (period, n_ref, t_ref, N)."""
        count = len(points)
        n0, t0 = points[0]
        sn = st = snn = snt = 0.0
        for n, t in points:
            dn = n - n0
            dt = t - t0
            sn += dn
            st += dt
            snn += dn * dn
            snt += dn * dt
        mn, mt = sn / count, st / count
        var = snn - count * mn * mn
        if var <= 0:
            return 0.0, float(n0), t0, count
        period = (snt - count * mn * mt) / var
        return period, n0 + mn, t0 + mt, count

    def _t_fit(self, n: float) -> float:
        return self.t_ref + (n - self.n_ref) * self.period

    # --- output --------------------------------------------------------------
    def snapshot(self) -> FollowState:
        """The latest published estimate (an immutable :class:`FollowState`; any thread)."""
        return self._state

    def _publish(self) -> None:
        self._state = self._build_state()

    def _build_state(self) -> FollowState:
        if self.established:
            period, n_ref, t_ref = self.period, self.n_ref, self.t_ref
        else:
            period, n_ref, t_ref = 0.0, float(self.last_n), self.last_arrival
        return FollowState(self.established, period, t_ref, n_ref, self.n_start,
                           self.next_pos, self.playing, self.last_arrival,
                           self.config.timeout_periods)

    @property
    def bpm(self) -> float:
        """The tempo estimate (0 while not locked)."""
        return 60.0 / (self.period * PPQN) if self.established else 0.0

    def ok_at(self, t: float) -> bool:
        """Locked and ticking at ``t``."""
        return self.snapshot().ok_at(t)

    def beat_at(self, t: float) -> float:
        """Transport position in beats at ``t``."""
        return self.snapshot().beat_at(t)

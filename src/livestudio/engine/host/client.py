"""The front's handle on the engine process: an ``EngineLink`` that starts, feeds and
supervises it.

:class:`EngineProcess` spawns :func:`~livestudio.engine.host.process.engine_main`,
sends cycle/frame-stamped event batches and control messages over a pipe, and reads
the status the engine publishes in a shared block (no round trip). A supervisor
thread restarts a dead (or hung) engine at once, continuing the sample clock where
it would be had the engine kept running, and tells the session (``on_restart``) so
the scheduler re-sends from there.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from livestudio.engine.host import status as S
from livestudio.engine.host.keys import KeyPatch
from livestudio.engine.host.process import EngineConfig, engine_main
from livestudio.engine.host.ring import MidiEvent
from livestudio.engine.host.runtime import OutputConfig
from livestudio.engine.host.shared import SharedArray
from livestudio.errors import EngineError
from livestudio.patterns.keys import KEYS, keys_spec
from livestudio.session.engine_link import EngineStatus
from livestudio.session.scheduler import ScheduledEvent, engine_controls
from livestudio.session.scheduler import is_midi_controls as is_midi

HUNG_AFTER_S = 5.0
MAX_ERRORS = 50


class _Incarnation:
    """One engine process and its pipe."""

    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        self.hello = threading.Event()
        self.ready = threading.Event()
        self.info: dict[str, Any] = {}
        self.fatal: str | None = None
        self.started_at = time.monotonic()


class EngineProcess:
    """An :class:`~livestudio.session.engine_link.EngineLink` backed by a real engine process."""

    def __init__(self, output: OutputConfig | None = None, *, record: str | None = None,
                 midi: dict[str, Any] | None = None, cps: float = 0.5,
                 start_timeout_s: float = 180.0, supervise: bool = True, spare: bool = True) -> None:
        self.output = output or OutputConfig()
        self.record_path = record
        self.midi = midi
        self.start_timeout_s = start_timeout_s
        self.supervise = supervise
        self.engine_restarts = 0
        self.restart_times_s: list[float] = []
        self.errors: list[str] = []
        self.on_restart: Callable[[int], None] | None = None
        # a followed clock's Start/Stop (called on the pipe's reader thread)
        self.on_transport: Callable[[bool, float], None] | None = None
        self.sync: dict[str, Any] = {}
        self.track_ids: dict[str, int] = {}
        self._track_names: dict[int, str] = {}
        self._track_state: dict[str, tuple[bool, bool]] = {}
        self._engine_muted: dict[int, bool] = {}
        self._keys: dict[int, list[KeyPatch]] = {}
        self._anchor: tuple[float, float, float] = (0.0, 0.0, float(cps))
        self._playing = True
        self._sample_paths: list[str] = []
        self._recording: str | None = None
        self._late_base = 0.0
        self._send_lock = threading.RLock()
        self._closing = threading.Event()
        self._status_mem: SharedArray | None = None
        self._inc: _Incarnation | None = None
        self._supervisor: threading.Thread | None = None
        self._ctx = mp.get_context("spawn")
        self._last_send_s = 0.0
        self._spare: _Incarnation | None = None
        self.spare_engine = spare
        self._pongs: list[tuple[float, float, float]] = []

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        """Spawn the engine, wait until it plays, start supervising."""
        if self._inc is not None:
            return
        from livestudio.engine.host.prime import prime
        prime(self.output.backend, timeout_s=self.start_timeout_s)   # compile outside the engine
        self._status_mem = SharedArray.create(S.SIZE)
        self._spawn(start_frame=0, start_mono_ns=0, record=self.record_path)
        if self.supervise:
            self._prepare_spare()
            self._supervisor = threading.Thread(target=self._supervise, name="livestudio-engine-supervisor",
                                                daemon=True)
            self._supervisor.start()

    @property
    def status_array(self) -> Any:
        """The shared status block (read only, please)."""
        assert self._status_mem is not None
        return self._status_mem.array

    @property
    def info(self) -> dict[str, Any]:
        """What the running engine said at start (output, kind, sample rate, ...)."""
        return {} if self._inc is None else dict(self._inc.info)

    @property
    def pid(self) -> int | None:
        """The engine process id."""
        return None if self._inc is None else self._inc.process.pid

    def _config(self, *, start_frame: int, start_mono_ns: int, record: str | None,
                standby: bool = False) -> EngineConfig:
        assert self._status_mem is not None
        # a spare builds for the live engine's device without opening PortAudio (an open
        # PortAudio is a JACK client: joining and leaving the graph mid-play)
        device = self.info.get("device") if standby else None
        return EngineConfig(output=self.output, status_path=self._status_mem.path,
                            parent_pid=os.getpid(), start_frame=start_frame,
                            start_mono_ns=start_mono_ns, anchor=self._anchor,
                            playing=self._playing, record=record,
                            sample_paths=list(self._sample_paths), midi=self.midi,
                            standby=standby, device=device)

    def _launch(self, cfg: EngineConfig) -> _Incarnation:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=engine_main, args=(child, cfg), name="livestudio-engine",
                                    daemon=True)
        process.start()
        child.close()
        inc = _Incarnation(process, parent)
        threading.Thread(target=self._read, args=(inc,), name="livestudio-engine-reader",
                         daemon=True).start()
        return inc

    def _await_hello(self, inc: _Incarnation, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not inc.hello.wait(0.01):
            if not inc.process.is_alive() or time.monotonic() > deadline:
                break
        if inc.fatal is not None or not inc.hello.is_set():
            why = inc.fatal or ("the engine process exited at start" if not inc.process.is_alive()
                                else f"the engine did not start within {timeout_s:g} s")
            if inc.process.is_alive():
                inc.process.kill()
            inc.process.join(2)
            raise EngineError(f"cannot start the audio engine: {why}")

    def _spawn(self, *, start_frame: int, start_mono_ns: int, record: str | None) -> None:
        """Start an engine: activate the warm spare if there is one, else a new process."""
        cfg = self._config(start_frame=start_frame, start_mono_ns=start_mono_ns, record=record)
        spare, self._spare = self._spare, None
        inc: _Incarnation | None = None
        if spare is not None and not spare.ready.is_set():
            # still warming up: it is ahead of a fresh process anyway
            deadline = time.monotonic() + self.start_timeout_s
            while not spare.ready.wait(0.01) and spare.process.is_alive() \
                    and time.monotonic() < deadline:
                pass
        if spare is not None and spare.ready.is_set() and spare.fatal is None and spare.process.is_alive():
            try:
                spare.conn.send(("activate", cfg))
                inc = spare
            except (BrokenPipeError, OSError):
                inc = None
        elif spare is not None:
            self._drop(spare)
        if inc is None:
            inc = self._launch(cfg)
        self._await_hello(inc, self.start_timeout_s)
        if record:
            self._recording = record
        self._inc = inc

    def _drop(self, inc: _Incarnation) -> None:
        try:
            inc.conn.send(("quit",))
        except (BrokenPipeError, OSError):
            pass
        inc.process.join(1)
        if inc.process.is_alive():
            inc.process.kill()
            inc.process.join(1)
        inc.conn.close()

    def spare_ready(self) -> bool:
        """Whether a warm standby engine is ready to take over."""
        spare = self._spare
        return spare is not None and spare.ready.is_set() and spare.process.is_alive()

    def _prepare_spare(self) -> None:
        """Launch a warm standby engine (compiled, device resolved, not playing)."""
        if self.spare_engine and self._spare is None and not self._closing.is_set():
            self._spare = self._launch(self._config(start_frame=0, start_mono_ns=0, record=None,
                                                    standby=True))

    def _read(self, inc: _Incarnation) -> None:
        while True:
            try:
                msg = inc.conn.recv()
            except (EOFError, OSError):
                inc.hello.set() if inc.fatal else None
                return
            kind = msg[0]
            if kind == "ready":
                inc.ready.set()
            elif kind == "hello":
                inc.info = dict(msg[1])
                inc.hello.set()
            elif kind == "fatal":
                inc.fatal = str(msg[1])
                self._error(f"engine: {msg[1]}")
                inc.hello.set()
                inc.ready.set()
            elif kind == "error":
                self._error(str(msg[1]))
            elif kind == "sync":
                self.sync = dict(msg[1])
                for text in self.sync.get("midi_errors", ()):   # missing ports and the like
                    self._error(str(text))
            elif kind == "recording":
                self._recording = msg[1]
            elif kind == "transport":
                callback = self.on_transport
                if callback is not None:
                    try:
                        callback(bool(msg[1]), float(msg[2]))
                    except Exception as exc:  # the reader must live on: say why
                        self._error(f"transport: {type(exc).__name__}: {exc}")
            elif kind == "pong":
                self._pongs.append((float(msg[1]), float(msg[2]), time.monotonic()))

    def _error(self, text: str) -> None:
        if text not in self.errors:
            self.errors.append(text)
            del self.errors[:-MAX_ERRORS]

    def _supervise(self) -> None:
        while not self._closing.wait(0.02):
            inc = self._inc
            if inc is None:
                continue
            dead = not inc.process.is_alive()
            hung = False
            if not dead:
                beat = float(self.status_array[S.HEARTBEAT_NS])
                hung = beat > 0 and (time.monotonic_ns() - beat) / 1e9 > HUNG_AFTER_S
                if hung:
                    self._error(f"engine process {inc.process.pid} stopped responding; restarting it")
                    inc.process.kill()
                    inc.process.join(1)
            if (dead or hung) and not self._closing.is_set():
                self._restart(inc)

    def _restart(self, old: _Incarnation) -> None:
        t0 = time.monotonic()
        code = old.process.exitcode
        self._error(f"engine process {old.process.pid} died (exit code {code}); restarting")
        try:
            old.conn.close()
        except OSError:
            pass
        st = self.status_array
        self._late_base += float(st[S.LATE])
        bs = float(st[S.BLOCKSIZE] or self.output.blocksize)
        sr = float(st[S.SAMPLE_RATE] or 48000)
        start_frame = int(st[S.FRAME])
        start_mono = int(st[S.MONO_NS] + bs / sr * 1e9)
        record = None
        if self._recording:
            p = Path(self._recording)
            record = str(p.with_name(f"{p.stem}.after-restart-{self.engine_restarts + 1}{p.suffix}"))
        self._inc = None
        while not self._closing.is_set():
            try:
                self._spawn(start_frame=start_frame, start_mono_ns=start_mono, record=record)
                break
            except EngineError as exc:
                self._error(str(exc))
                time.sleep(0.5)
        if self._inc is None:
            return
        self.engine_restarts += 1
        self.restart_times_s.append(time.monotonic() - t0)
        self._prepare_spare()
        with self._send_lock:
            for tid, muted in self._engine_muted.items():
                if muted:
                    self._send(("mute", tid, True))
            for tid, patches in list(self._keys.items()):
                self._send(("keys", tid, patches))
        if self.on_restart is not None:
            self.on_restart(self.frame_now())

    def close(self) -> None:
        """Stop the engine (all notes off) and free the shared block (idempotent)."""
        self._closing.set()
        inc, self._inc = self._inc, None
        if self._supervisor is not None:
            self._supervisor.join(2)
            self._supervisor = None
        spare, self._spare = self._spare, None
        if spare is not None:
            self._drop(spare)
        if inc is not None:
            try:
                inc.conn.send(("quit",))
            except (BrokenPipeError, OSError):
                pass
            inc.process.join(3)
            if inc.process.is_alive():
                inc.process.kill()
                inc.process.join(2)
            inc.conn.close()
        if self._status_mem is not None:
            self._status_mem.unlink()

    def __enter__(self) -> "EngineProcess":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- sending -----------------------------------------------------------------
    def _send(self, msg: tuple[Any, ...]) -> None:
        inc = self._inc
        if inc is None:
            return  # between incarnations: the restart re-sends what matters
        with self._send_lock:
            try:
                inc.conn.send(msg)
            except (BrokenPipeError, OSError, ValueError):
                pass  # the supervisor sees the death and restarts

    def track_id(self, name: str) -> int:
        """The small integer id of a track (assigned on first use)."""
        tid = self.track_ids.get(name)
        if tid is None:
            tid = len(self.track_ids)
            self.track_ids[name] = tid
            self._track_names[tid] = name
        return tid

    def send_events(self, events: Sequence[ScheduledEvent]) -> None:
        """Queue events; each plays at its ``frame``."""
        wire: list[tuple[int, int, dict[str, Any], float]] = []
        midi: list[MidiEvent] = []
        buses = max(int(self.info.get("levels_n", 16)), 1)
        for e in events:
            if is_midi(e.controls):
                midi.append(MidiEvent(e.track, int(e.frame), e.note_length_s(), dict(e.controls)))
            else:
                tid = self.track_id(e.track)
                wire.append((int(e.frame), tid, engine_controls(e, tid % buses), e.note_length_s()))
        t0 = time.perf_counter()
        if wire:
            self._send(("events", wire))
        if midi:
            self._send(("midi", midi))
        self._last_send_s = time.perf_counter() - t0

    def set_keys(self, track: str, patches: Sequence[Mapping[str, Any]]) -> None:
        """Play keys track ``track`` from the MIDI keyboard with ``patches`` (its control
        dicts at this moment, each with its ``midikeys`` spec); empty: stop, release its keys."""
        tid = self.track_id(track)
        bus = tid % max(int(self.info.get("levels_n", 16)), 1)
        wire: list[KeyPatch] = []
        for patch in patches:
            spec = keys_spec(patch)
            if spec is None:
                continue
            controls = {k: v for k, v in patch.items() if k != KEYS}
            if is_midi(controls):
                self._error(f"track {track!r}: midikeys() plays the built-in synth; "
                            ".midi() routing of keys is not supported (the key plays here)")
            controls["orbit"] = bus
            wire.append(KeyPatch(controls, spec.channel or 0, spec.port or "", spec.transpose))
        if wire:
            self._keys[tid] = wire
        else:
            self._keys.pop(tid, None)
        self._send(("keys", tid, wire))

    @property
    def keys_tracks(self) -> set[str]:
        """The tracks played from the MIDI keyboard now (their patches were sent)."""
        return {self._track_names[tid] for tid in list(self._keys)}

    def set_anchor(self, frame: int, cycle: Fraction | float, cps: Fraction | float) -> None:
        """Jump: ``cycle`` falls at ``frame``, tempo ``cps`` (start, resume after stop)."""
        self._anchor = (float(frame), float(cycle), float(cps))
        self._send(("anchor", float(frame), float(cycle), float(cps)))

    def set_tempo(self, cps: float, *, at_cycle: Fraction) -> None:
        """Change tempo from an exact cycle on."""
        f0, c0, cps0 = self._anchor
        sr = float(self.status_array[S.SAMPLE_RATE] or 48000)
        at_frame = f0 + (float(at_cycle) - c0) * sr / cps0
        self._anchor = (at_frame, float(at_cycle), float(cps))
        self._send(("tempo", float(cps), at_frame, float(at_cycle)))

    def set_playing(self, playing: bool) -> None:
        """Start or stop the transport (stop releases every voice and MIDI note)."""
        self._playing = bool(playing)
        self._send(("playing", self._playing))

    def set_track_state(self, track: str, *, muted: bool, soloed: bool) -> None:
        """Mute or solo a track's bus."""
        self._track_state[track] = (bool(muted), bool(soloed))
        self.track_id(track)
        any_solo = any(s for _, s in self._track_state.values())
        for name, tid in list(self.track_ids.items()):
            m, s = self._track_state.get(name, (False, False))
            silent = m or (any_solo and not s)
            if self._engine_muted.get(tid, False) != silent:
                self._engine_muted[tid] = silent
                self._send(("mute", tid, silent))

    def remove_track(self, track: str) -> None:
        """Forget a track: release its voices and notes."""
        tid = self.track_ids.get(track)
        if tid is not None:
            self._keys.pop(tid, None)
            self._send(("remove", tid, track))
        self._track_state.pop(track, None)

    def panic(self) -> None:
        """All voices off, all MIDI notes off."""
        self._send(("panic",))

    def flush(self) -> None:
        """Drop the notes already sent but not yet started (after a relocation)."""
        self._send(("flush",))

    def set_sync(self, spec: str) -> None:
        """Follow another clock source mid-set (the beat does not jump); kept over restarts."""
        self.midi = {**(self.midi or {}), "sync": spec}
        self._send(("sync", spec))

    def record(self, path: str | None) -> None:
        """Start recording the master to ``path`` (None stops)."""
        self._recording = path
        if path is not None and self._status_mem is not None:
            self.status_array[S.REC_FIRST] = -1.0   # until the engine writes the first block
        self._send(("record", None if path is None else str(path)))

    def load_samples(self, path: str) -> None:
        """Make a folder of samples available to the engine (kept across restarts)."""
        if path not in self._sample_paths:
            self._sample_paths.append(path)
            self._send(("samples", path))

    def ping(self, timeout: float = 1.0) -> tuple[float, float] | None:
        """Pipe latency: (front -> engine handled, round trip) in seconds, or None."""
        n = len(self._pongs)
        self._send(("ping", time.monotonic()))
        deadline = time.monotonic() + timeout
        while len(self._pongs) == n and time.monotonic() < deadline:
            time.sleep(0.0005)
        if len(self._pongs) == n:
            return None
        sent, handled, back = self._pongs[-1]
        return handled - sent, back - sent

    # --- reading -----------------------------------------------------------------
    @property
    def sample_rate(self) -> int:
        """The engine's sample rate."""
        return int(self.status_array[S.SAMPLE_RATE] or 48000)

    def frame_now(self) -> int:
        """The frame the engine renders at this instant (extrapolated)."""
        st = self.status_array
        frame = float(st[S.FRAME])
        mono = float(st[S.MONO_NS])
        if mono <= 0:
            return int(frame)
        bs = float(st[S.BLOCKSIZE])
        ahead = (time.monotonic_ns() - mono) * float(st[S.SAMPLE_RATE]) / 1e9
        return int(frame - bs + max(ahead, 0.0))

    def following(self) -> bool:
        """Whether an external clock (MIDI clock in, Link) steers the engine's tempo."""
        return str(self.sync.get("sync", "internal")) != "internal"

    def engine_anchor(self) -> tuple[float, float, float]:
        """The engine's latest tempo anchor ``(frame, cycle, cps)`` (moved by followers)."""
        st = self.status_array
        return float(st[S.ANCHOR_FRAME]), float(st[S.ANCHOR_CYCLE]), float(st[S.ANCHOR_CPS])

    def adopt_anchor(self, anchor: tuple[float, float, float]) -> None:
        """Take the engine's anchor as the front's latest (after following it)."""
        self._anchor = anchor

    def recording_start_frame(self) -> int | None:
        """Engine frame of the first sample of the current recording (None before it)."""
        value = float(self.status_array[S.REC_FIRST])
        return None if value < 0 else int(value)

    def alive(self) -> bool:
        """Whether an engine process runs right now."""
        inc = self._inc
        return inc is not None and inc.process.is_alive()

    def status(self) -> EngineStatus:
        """The latest status snapshot."""
        st = self.status_array
        info = self.info
        f0, c0, cps = self._anchor
        sr = float(st[S.SAMPLE_RATE] or 48000)
        frame = int(st[S.FRAME])
        cycle = c0 + (frame - f0) * cps / sr if frame >= f0 else c0
        n_levels = int(info.get("levels_n", S.MAX_TRACKS))
        levels = {name: float(st[S.LEVELS + tid % max(n_levels, 1)])
                  for name, tid in self.track_ids.items()}
        return EngineStatus(
            output=str(info.get("output", "")), device_latency_ms=float(st[S.LATENCY_S]) * 1000.0,
            sample_rate=int(sr), blocksize=int(st[S.BLOCKSIZE] or self.output.blocksize),
            playing=self._playing, frame=frame, cycle=float(cycle), cps=float(cps),
            voices=int(st[S.VOICES]), load=float(st[S.LOAD]), load_max=float(st[S.LOAD_MAX]),
            xruns=int(st[S.XRUNS]), late=int(self._late_base + st[S.LATE]),
            engine_restarts=self.engine_restarts, levels=levels, rms={},
            recording=self._recording, sync=str(self.sync.get("sync", "internal")),
            sync_ok=bool(self.sync.get("sync_ok", True)),
            link_peers=int(self.sync.get("link_peers", 0)), alive=self.alive())

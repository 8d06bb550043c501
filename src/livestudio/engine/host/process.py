"""The engine process: owns the audio output, the sample clock and the engine core.

Started by the front (:class:`~livestudio.engine.host.client.EngineProcess`, spawn
start method) with one duplex pipe and the path of the shared status block. The main
thread receives messages (event batches, control) and applies them; the audio callback
runs without the GIL and publishes its status into the shared block.

The process exits when the pipe reaches EOF (the front exited or died), when its
parent process changes, or on a ``("quit",)`` message -- releasing every voice and
MIDI note first. Messages (front -> engine), all plain tuples:

- ``("events", [(frame, track_id, controls, duration_s), ...])``
- ``("midi", [MidiEvent, ...])``
- ``("tempo", cps, at_frame, at_cycle)`` / ``("anchor", frame, cycle, cps)``
- ``("playing", bool)``, ``("mute", track_id, bool)``, ``("remove", track_id)``,
  ``("panic",)``, ``("flush",)``, ``("sync", "internal|midi[:PORT]|link")``,
  ``("record", path_or_None)``, ``("samples", path)``, ``("quit",)``
- ``("keys", track_id, [KeyPatch, ...])``: the current patches of a keys track, played
  from the ``--midi-in`` keys (:mod:`.keys`); an empty list stops it and releases its keys

Engine -> front: ``("hello", info_dict)``, ``("error", text)``, ``("fatal", text)``,
``("sync", sync_dict)``, ``("recording", path_or_None)``, ``("transport", playing, beat)``
(a followed clock's Start/Continue/Stop or Link start/stop: the front starts or stops
its scheduler to match).
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from livestudio.engine.host import status as S
from livestudio.engine.host.runtime import OutputConfig
from livestudio.errors import LivestudioError

POLL_S = 0.1
RECEIVER_NICE = -10
ORPHAN_GRACE_S = 2.0


@dataclass
class EngineConfig:
    """Everything the engine process needs to start (picklable)."""

    output: OutputConfig
    status_path: str
    parent_pid: int
    start_frame: int = 0
    start_mono_ns: int = 0
    anchor: tuple[float, float, float] = (0.0, 0.0, 0.5)   # frame, cycle, cps
    playing: bool = True
    record: str | None = None
    sample_paths: list[str] = field(default_factory=list)
    midi: dict[str, Any] | None = None
    standby: bool = False          # build and warm, then wait for ("activate", cfg)
    device: dict[str, Any] | None = None   # standby: the live engine's device (DeviceInfo fields)


def _make_hub(clock: Any, options: dict[str, Any] | None) -> Any:
    """The MIDI hub (``livestudio.engine.midi.hub``), or None when absent or disabled."""
    if options is not None and options.get("enabled") is False:
        return None
    try:
        from livestudio.engine.midi.hub import create_hub  # type: ignore[import-not-found]
    except ImportError:
        return None
    return create_hub(clock, options=dict(options or {}))


class _Engine:
    """The engine process's state and message handlers."""

    def __init__(self, conn: Connection, cfg: EngineConfig) -> None:
        from livestudio.engine.host.runtime import EngineRuntime

        self.conn = conn
        self.cfg = cfg
        self.shared: Any = None
        # build and warm against a private status block; ``activate`` switches to the
        # shared one (a standby engine must not touch the live engine's status)
        self.status = S.new_status_array()
        self.runtime = EngineRuntime(cfg.output, self.status,
                                     device_hint=cfg.device if cfg.standby else None)
        self.backend = self.runtime.backend
        self.loaded_samples: list[str] = []
        self.clock: Any = None
        self.recorder: Any = None
        self.hub: Any = None
        self.keys: Any = None          # KeyboardPlayer: keys played live (core backend)
        self.errors_sent: set[str] = set()
        self._send_lock = threading.Lock()   # the sync thread sends too

    def activate(self, cfg: EngineConfig) -> None:
        """Attach the shared status block, load samples, set up clock, recorder, MIDI."""
        from livestudio.engine.host import block as B
        from livestudio.engine.host.clock import FrameClock
        from livestudio.engine.host.recorder import Recorder
        from livestudio.engine.host.shared import SharedArray

        self.cfg = cfg
        self.shared = SharedArray(cfg.status_path)
        st = self.shared.array
        for slot in (S.SAMPLE_RATE, S.BLOCKSIZE, S.MAX_BLOCK, S.CALLBACK_KIND):
            st[slot] = self.status[slot]
        st[S.RUNNING] = 0.0
        st[S.START_FRAME] = cfg.start_frame
        st[S.START_MONO_NS] = cfg.start_mono_ns
        st[S.PLAYING] = 1.0 if cfg.playing else 0.0
        st[S.PID] = os.getpid()
        st[S.REC_ON] = 0.0
        st[S.LATE] = 0.0
        st[S.HEARTBEAT_NS] = time.monotonic_ns()
        self.status = st
        self.runtime.status = st
        self.runtime.header[B.H_STATUS] = st.ctypes.data
        self.runtime.header[B.H_STATUS_N] = st.shape[0]
        for path in cfg.sample_paths:
            self._samples(path)
        self.clock = FrameClock(st, sample_rate=self.runtime.sample_rate,
                                blocksize=cfg.output.blocksize)
        self.clock.reset_anchor(*cfg.anchor)
        self.backend.command("tempo", 0, float(cfg.anchor[2]), int(cfg.start_frame))
        self.recorder = Recorder(self.runtime.rec_ring, st, sample_rate=self.runtime.sample_rate)
        self.hub = _make_hub(self.clock, cfg.midi)
        if self.hub is not None:
            self.hub.on_transport = self._on_source_transport
        if self.backend.keys is not None:
            from livestudio.engine.host.keys import KeyboardPlayer
            self.keys = KeyboardPlayer(self.backend.keys, frame_now=self.clock.frame_now,
                                       lead_frames=cfg.output.blocksize,
                                       sample_rate=self.runtime.sample_rate)
            if self.hub is not None:
                self.hub.add_note_listener(self.keys.on_note)
                self.hub.add_control_listener(self.keys.on_control)

    def send(self, msg: tuple[Any, ...]) -> None:
        """Send to the front; a broken pipe means the front is gone (the loop ends)."""
        try:
            with self._send_lock:
                self.conn.send(msg)
        except (BrokenPipeError, EOFError, OSError):
            pass

    def _on_source_transport(self, playing: bool, beat: float) -> None:
        """A followed clock started or stopped (sync thread): tell the front."""
        self.send(("transport", bool(playing), float(beat)))

    def error(self, text: str) -> None:
        """Report an error once (the same text is not repeated)."""
        if text not in self.errors_sent:
            self.errors_sent.add(text)
            self.send(("error", text))

    def start(self) -> None:
        """Start the output and say hello (the receiving thread gets a higher priority
        where permitted: events must reach the ring before their block)."""
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), RECEIVER_NICE)
        except (OSError, AttributeError):
            pass
        self.runtime.start()
        self.clock.latency_s = self.runtime.latency_s
        if not self.runtime.wait_running(5.0):
            raise RuntimeError("the audio output started but never called back")
        if self.cfg.record:
            self._record(self.cfg.record)
        rt = self.runtime
        self.send(("hello", {"output": rt.output_name, "kind": rt.kind,
                             "sample_rate": rt.sample_rate, "blocksize": self.cfg.output.blocksize,
                             "latency_s": rt.latency_s, "pid": os.getpid(),
                             "backend": self.backend.name, "levels_n": self.backend.levels_n,
                             "midi": self.hub is not None,
                             "device": None if rt.device is None else asdict(rt.device)}))

    # --- handlers -------------------------------------------------------------
    def handle(self, msg: tuple[Any, ...]) -> bool:
        """Apply one message; False ends the process."""
        kind = msg[0]
        if kind == "events":
            horizon = self.status[S.FRAME] + self.cfg.output.blocksize
            late = sum(1 for e in msg[1] if e[0] < horizon)
            if late:
                self.status[S.LATE_ARRIVALS] += late
            for text in self.backend.push_events(msg[1]):
                self.error(text)
        elif kind == "midi":
            if self.hub is not None:
                self.hub.handle(msg[1])
            else:
                self.error("MIDI events were sent but MIDI output is not available in the engine")
        elif kind == "tempo":
            _, cps, at_frame, at_cycle = msg
            self.clock.set_tempo(cps, at_frame=at_frame, at_cycle=at_cycle)
            self.backend.command("tempo", 0, float(cps), int(at_frame))
        elif kind == "anchor":
            _, frame, cycle, cps = msg
            self.clock.reset_anchor(frame, cycle, cps)
            self.backend.command("tempo", 0, float(cps), int(frame))
        elif kind == "playing":
            playing = bool(msg[1])
            self.status[S.PLAYING] = 1.0 if playing else 0.0
            self.clock.playing = playing
            if not playing:
                self._panic()
            if self.hub is not None:
                self.hub.set_playing(playing)
        elif kind == "mute":
            self.backend.command("mute", int(msg[1]), 1.0 if msg[2] else 0.0, self._now())
            if self.keys is not None:
                self.keys.mute(int(msg[1]), bool(msg[2]))
        elif kind == "remove":
            if self.keys is not None:
                self.keys.remove(int(msg[1]))
            self.backend.command("release", int(msg[1]), 0.0, self._now())
            if self.hub is not None and len(msg) > 2:
                self.hub.remove_track(msg[2])
        elif kind == "panic":
            self._panic()
        elif kind == "flush":
            self.backend.command("flush", 0, 0.0, self._now())
        elif kind == "keys":
            self._keys(int(msg[1]), list(msg[2]))
        elif kind == "sync":
            if self.hub is None:
                self.error(f"sync {msg[1]!r}: MIDI and Link are not available in the engine")
            else:
                try:
                    self.hub.set_sync(str(msg[1]))
                except LivestudioError as exc:  # the old source stays; say why
                    self.error(f"sync {msg[1]!r}: {exc}")
        elif kind == "record":
            self._record(msg[1])
        elif kind == "samples":
            self._samples(msg[1])
        elif kind == "ping":
            self.send(("pong", msg[1], time.monotonic()))
        elif kind == "quit":
            return False
        else:
            self.error(f"engine: unknown message {kind!r}")
        return True

    def _now(self) -> int:
        return int(self.status[S.FRAME])

    def _panic(self) -> None:
        self.backend.command("panic", 0, 0.0, self._now())
        if self.keys is not None:
            self.keys.panic()
        if self.hub is not None:
            self.hub.panic()

    def _keys(self, track: int, patches: list[Any]) -> None:
        """A keys track's patches (empty: it stopped)."""
        if self.keys is None:
            if patches:
                self.error(f"keys tracks need the core engine backend, not {self.backend.name!r}")
            return
        if patches and not (self.hub is not None and getattr(self.hub, "inputs", None)):
            problems = list(getattr(self.hub, "input_problems", list)())
            if problems:
                self.error("a midikeys() track has no keyboard yet: " + "; ".join(problems))
            else:
                self.error("a midikeys() track is playing but no MIDI input is open: "
                           "start with --midi-in PORT (livestudio devices lists the ports)")
        for text in self.keys.set_patches(track, patches):
            self.error(f"keys: {text}")

    def _record(self, path: str | None) -> None:
        if path is None:
            self.recorder.stop()
            self.send(("recording", None))
            return
        try:
            self.recorder.start(path)
        except Exception as exc:  # a bad path: say so, keep playing
            self.error(f"cannot record to {path}: {exc}")
            return
        self.send(("recording", path))

    def _samples(self, path: str) -> None:
        if path in self.loaded_samples:
            return
        self.loaded_samples.append(path)
        try:
            self.backend.load_samples(path)
        except Exception as exc:
            self.error(f"cannot load samples from {path}: {exc}")

    # --- loop ------------------------------------------------------------------
    def run(self) -> None:
        """Serve messages until EOF, quit, or the parent goes away."""
        last_sync: dict[str, Any] | None = None
        while True:
            self.status[S.HEARTBEAT_NS] = time.monotonic_ns()
            if os.getppid() != self.cfg.parent_pid:
                self.orphaned = True
                return
            if self.recorder.error:
                self.error(self.recorder.error)
            if self.keys is not None:
                for text in self.keys.take_errors():
                    self.error(text)
            if self.hub is not None:
                sync = dict(self.hub.poll_status())
                self.status[S.SYNC_OK] = 1.0 if sync.get("sync_ok", True) else 0.0
                self.status[S.LINK_PEERS] = float(sync.get("link_peers", 0))
                if sync != last_sync:
                    last_sync = sync
                    self.send(("sync", sync))
            try:
                if not self.conn.poll(POLL_S):
                    continue
                msg = self.conn.recv()
            except (EOFError, OSError):
                self.orphaned = True
                return
            try:
                if not self.handle(msg):
                    return
            except Exception as exc:  # a bad message must not kill the music
                self.error(f"engine: {type(exc).__name__}: {exc}")

    orphaned = False

    def close(self) -> None:
        """Silence, stop the output, close MIDI and the recording."""
        try:
            if self.clock is not None:
                self._panic()
                time.sleep(0.02)
        finally:
            if self.recorder is not None:
                self.recorder.stop()
            self.runtime.stop()
            if self.hub is not None:
                self.hub.close()
            if self.orphaned and self.shared is not None:
                self.shared.unlink()   # the front cannot any more


def _wait_activation(conn: Connection, cfg: EngineConfig) -> EngineConfig | None:
    """Standby: say ready, then wait for the activation config (None: told to go)."""
    conn.send(("ready", os.getpid()))
    while True:
        if os.getppid() != cfg.parent_pid:
            return None
        try:
            if not conn.poll(POLL_S):
                continue
            msg = conn.recv()
        except (EOFError, OSError):
            return None
        if msg[0] == "activate":
            return msg[1]
        if msg[0] == "quit":
            return None


def _watchdog(parent_pid: int, grace_s: float = ORPHAN_GRACE_S) -> None:
    """Exit hard if the front is gone and the main thread has not ended us (it may be
    busy compiling, or stuck); the main loop normally exits first, cleanly."""
    while True:
        time.sleep(0.2)
        if os.getppid() != parent_pid:
            time.sleep(grace_s)
            os._exit(3)


def _pin_cpus(spec: str | None) -> None:
    """Pin the engine (and the audio thread it will create) to CPUs, e.g. ``"1"`` or
    ``"2,3"`` (env ``LIVESTUDIO_ENGINE_CPUS``); threads inherit it. None: leave as is."""
    if not spec:
        return
    try:
        os.sched_setaffinity(0, {int(c) for c in spec.split(",") if c.strip()})
    except (OSError, ValueError, AttributeError):
        pass


def engine_main(conn: Connection, cfg: EngineConfig) -> None:
    """Entry point of the engine process (``multiprocessing`` spawn target)."""
    os.environ.setdefault("JACK_NO_START_SERVER", "1")
    _pin_cpus(os.environ.get("LIVESTUDIO_ENGINE_CPUS"))
    threading.Thread(target=_watchdog, args=(cfg.parent_pid,), name="livestudio-watchdog",
                     daemon=True).start()
    engine: _Engine | None = None
    try:
        engine = _Engine(conn, cfg)
        if cfg.standby:
            engine.runtime.park()
            active = _wait_activation(conn, cfg)
            if active is None:
                engine.runtime.stop()
                return
            cfg = active
        engine.activate(cfg)
        engine.start()
    except BaseException as exc:
        text = f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, LivestudioError):
            text += "\n" + traceback.format_exc(limit=6)
        try:
            conn.send(("fatal", text))
        except (BrokenPipeError, OSError):
            pass
        if engine is not None:
            engine.close()
        return
    try:
        engine.run()
    finally:
        engine.close()

"""Start and stop a private JACK server with the dummy backend.

A JACK dummy server gives a real-time audio callback (through PortAudio's JACK host
API) and real MIDI ports (python-rtmidi's JACK API) on a machine with no sound card.
Each server gets a unique name; clients find it through ``JACK_DEFAULT_SERVER``.

>>> with JackServer() as jack:          # doctest: +SKIP
...     os.environ["JACK_DEFAULT_SERVER"] == jack.name
True
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from types import TracebackType

from livestudio.errors import EngineError


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the thread that started it dies (Linux), so
    a test run that is killed leaves no jackd behind (start servers from a thread that
    lives as long as they should: the main thread, as the fixture and the benches do)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class JackServer:
    """A ``jackd -d dummy`` server started with a unique name, stopped by its pid.

    ``port_max`` (jackd ``--port-max``) sizes the server's shared memory, which every
    client maps: jackd's default of 2048 ports adds about 63 MB to each client's
    resident size; 256 ports (plenty for tests and benches) add about 8 MB.
    """

    def __init__(self, *, name: str | None = None, sample_rate: int = 48000,
                 period: int = 128, set_default: bool = True, port_max: int = 256) -> None:
        self.name = name or f"ls-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.sample_rate = sample_rate
        self.period = period
        self.port_max = port_max
        self.set_default = set_default
        self.process: subprocess.Popen[bytes] | None = None
        self._old_default: str | None = None

    def start(self, timeout: float = 10.0) -> "JackServer":
        """Start the server and wait until clients can connect to it."""
        jackd = shutil.which("jackd")
        if jackd is None:
            raise EngineError("jackd is not installed (Debian package jackd2)")
        self.process = subprocess.Popen(
            [jackd, "-n", self.name, "--port-max", str(self.port_max), "-d", "dummy",
             "-r", str(self.sample_rate),
             "-p", str(self.period)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
            preexec_fn=_die_with_parent)
        env = dict(os.environ, JACK_DEFAULT_SERVER=self.name, JACK_NO_START_SERVER="1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise EngineError(f"jackd {self.name} exited at start: {err[-500:]}")
            probe = subprocess.run(["jack_lsp"], env=env, capture_output=True, timeout=5)
            if probe.returncode == 0 and b"system:playback_1" in probe.stdout:
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise EngineError(f"jackd {self.name} did not come up within {timeout} s")
        if self.set_default:
            self._old_default = os.environ.get("JACK_DEFAULT_SERVER")
            os.environ["JACK_DEFAULT_SERVER"] = self.name
            os.environ["JACK_NO_START_SERVER"] = "1"
        return self

    def stop(self) -> None:
        """Stop the server by its pid and restore ``JACK_DEFAULT_SERVER``."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self.set_default:
            if self._old_default is None:
                os.environ.pop("JACK_DEFAULT_SERVER", None)
            else:
                os.environ["JACK_DEFAULT_SERVER"] = self._old_default

    def __enter__(self) -> "JackServer":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

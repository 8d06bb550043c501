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
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
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


_CLIENT_LATE = re.compile(r"JackEngine::XRun: client = (.+?) was not finished")
_DRIVER_LATE = re.compile(r"JackTimedDriver::Process XRun")


@dataclass
class XrunCauses:
    """What jackd logged about its xruns: clients that had not finished their cycle when
    the next one began (by client name), and cycles where the dummy driver's own timer
    thread woke after the next cycle's deadline (no client involved)."""

    clients_late: Counter[str] = field(default_factory=Counter)
    driver_late: int = 0

    def as_dict(self) -> dict[str, object]:
        """Plain dict for JSON output."""
        return {"clients_late": dict(self.clients_late), "driver_late": self.driver_late}

    def since(self, earlier: "XrunCauses") -> "XrunCauses":
        """The causes logged after ``earlier`` was read (clients with none left out)."""
        return XrunCauses(self.clients_late - earlier.clients_late,
                          self.driver_late - earlier.driver_late)


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = 5.0) -> None:
    """SIGTERM a child process and reap it; SIGKILL if it has not ended in ``timeout``."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def parse_xrun_causes(log: str) -> XrunCauses:
    """Count the xrun causes in jackd's log text (its stderr)."""
    causes = XrunCauses()
    for line in log.splitlines():
        if m := _CLIENT_LATE.search(line):
            causes.clients_late[m.group(1)] += 1
        elif _DRIVER_LATE.search(line):
            causes.driver_late += 1
    return causes


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
        # jackd's stderr goes to a file, never a pipe: it logs every xrun from its
        # real-time thread, which would block once nobody drained a full pipe
        self.log_path: Path | None = None

    def start(self, timeout: float = 10.0) -> "JackServer":
        """Start the server and wait until clients can connect to it."""
        jackd = shutil.which("jackd")
        if jackd is None:
            raise EngineError("jackd is not installed (Debian package jackd2)")
        fd, log_name = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".log")
        self.log_path = Path(log_name)
        try:
            self.process = subprocess.Popen(
                [jackd, "-n", self.name, "--port-max", str(self.port_max), "-d", "dummy",
                 "-r", str(self.sample_rate),
                 "-p", str(self.period)],
                stdout=subprocess.DEVNULL, stderr=fd, start_new_session=True,
                preexec_fn=_die_with_parent)
        finally:
            os.close(fd)
        env = dict(os.environ, JACK_DEFAULT_SERVER=self.name, JACK_NO_START_SERVER="1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.log()
                self._remove_log()
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

    def log(self) -> str:
        """What jackd has written to its stderr so far."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def xrun_causes(self) -> XrunCauses:
        """The causes of the xruns jackd has logged so far (see `XrunCauses`)."""
        return parse_xrun_causes(self.log())

    def _remove_log(self) -> None:
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
            self.log_path = None

    def stop(self) -> None:
        """Stop the server by its pid, delete its log and restore ``JACK_DEFAULT_SERVER``."""
        stop_process(self.process)
        self.process = None
        self._remove_log()
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

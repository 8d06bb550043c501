"""The validator: a warm helper process that runs a pattern file first, so the front never has to.

Running user code in a front thread is safe against exceptions and pure-Python loops
(the loader stops those with an async exception), but two things still hurt the front:

- a pure-Python loop takes turns on the GIL with the UI and the scheduler for as long
  as it runs (measured: a thread sleeping 1 ms woke after 7-14 ms at the median, 25-42
  ms worst, while one spun in-thread; 1.1 ms median, 9-12 ms worst with this process),
  and
- a loop inside one C call (``sum(range(10**12))``) holds the GIL and cannot be
  stopped: the whole front, scheduler included, would freeze and the music stop.

So every reload first runs in this process (same loader code, same budgets): only if
the file loads and dry-queries cleanly there is it run again in the front, where the
real pattern objects must be built (patterns are closures; they cannot be pickled).
A validator that does not answer in time is killed (by its pid) and restarted; the
line it was stuck on comes from ``faulthandler``'s traceback dump, which works even
while a C call holds the GIL. The price: the file runs twice (a few ms), and side
effects at module level happen twice.

Protocol: JSON lines over the child's stdin and a private copy of its stdout (fd 1 is
pointed at /dev/null so user code cannot corrupt the stream).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from livestudio.errors import SessionError

START_TIMEOUT_S = 20.0
_KILL_MARGIN_S = 0.7
DEMOTE_AFTER_S = 0.05
"""A check still running after this long (a normal file takes a few ms) is demoted to
nice 19, so a file that spins never takes CPU from the front or the engine; a demoted
child is replaced by a fresh one (niceness cannot be raised back without privileges)."""


class Validator:
    """Runs pattern files in a warm child process and reports their errors."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._starting: threading.Thread | None = None
        self._ready = threading.Event()
        self.restarts = 0
        self.started_once = False
        self.start_error: str | None = None

    # --- lifecycle -------------------------------------------------------------
    def ensure_started(self, *, wait: bool = False) -> bool:
        """Start the child in the background (once); with ``wait``, until it is ready."""
        with self._lock:
            alive = self._proc is not None and self._proc.poll() is None
            if not alive and (self._starting is None or not self._starting.is_alive()):
                self._ready.clear()
                self._starting = threading.Thread(target=self._spawn, name="livestudio-validator-start",
                                                  daemon=True)
                self._starting.start()
        if wait:
            self._ready.wait(START_TIMEOUT_S)
        return self.ready

    @property
    def ready(self) -> bool:
        """Whether a warm child is waiting for work."""
        return self._ready.is_set() and self._proc is not None and self._proc.poll() is None

    def _spawn(self) -> None:
        proc = subprocess.Popen(
            [sys.executable, "-m", "livestudio.session.validator"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.strip() != b"ready":
            self.start_error = f"validator did not start: {line[:200]!r}"
            proc.kill()
            proc.wait()
            return
        with self._lock:
            old, self._proc = self._proc, proc
            old_idle = self._ready.is_set()
            self.started_once = True
            self._ready.set()
        if old is not None and old_idle:  # a busy old child is ended by its check()
            _kill(old)

    def _replace_soon(self) -> None:
        """Start a fresh child in the background; it takes over when ready."""
        with self._lock:
            if self._starting is None or not self._starting.is_alive():
                self._starting = threading.Thread(target=self._spawn, name="livestudio-validator-start",
                                                  daemon=True)
                self._starting.start()

    def _finish(self, proc: subprocess.Popen[bytes]) -> None:
        """A check on ``proc`` ended cleanly: it is idle again (or retired if replaced)."""
        with self._lock:
            current = self._proc is proc
            if current:
                self._ready.set()
        if not current:
            _kill(proc)

    def close(self) -> None:
        """Stop the child."""
        with self._lock:
            proc, self._proc = self._proc, None
            self._ready.clear()
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    # --- work ------------------------------------------------------------------------
    def check(self, files: list[Path], *, timeout_s: float, dry_cycles: int,
              query_budget_s: float, from_cycle: float) -> list[SessionError] | None:
        """Load ``files`` in the child: its errors ([] when clean), or None if no child is ready."""
        with self._lock:
            proc = self._proc
            if proc is None or proc.poll() is not None or not self._ready.is_set():
                return None
            self._ready.clear()  # busy
        assert proc.stdin is not None and proc.stdout is not None
        fd, dump = tempfile.mkstemp(prefix="livestudio-validator-", suffix=".txt")
        os.close(fd)
        request = {"files": [str(f) for f in files], "timeout_s": timeout_s,
                   "dry_cycles": dry_cycles, "query_budget_s": query_budget_s,
                   "from_cycle": from_cycle, "dump": dump}
        reply: list[bytes] = []
        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
            reader = threading.Thread(target=lambda: reply.append(proc.stdout.readline()),  # type: ignore[union-attr]
                                      daemon=True)
            reader.start()
            reader.join(DEMOTE_AFTER_S)
            demoted = not reply
            if demoted:
                _demote(proc.pid)
                reader.join(timeout_s + _KILL_MARGIN_S + 0.25 - DEMOTE_AFTER_S)
            if reply and reply[0]:
                answer = json.loads(reply[0])
                errors = [SessionError(e["reason"], path=e["path"], line=e["line"], code=e["code"])
                          for e in answer["errors"]]
                if answer.get("stuck"):
                    self._restart(proc)
                else:
                    self._finish(proc)
                    if demoted:  # it runs at nice 19 now: swap in a fresh one meanwhile
                        self._replace_soon()
                return errors
            # no answer: stuck with the GIL held (a C loop) or dead; its stack is in the dump
            self._restart(proc)
            return [_stuck_error(files, dump, timeout_s)]
        except (OSError, ValueError) as exc:
            self._restart(proc)
            return [SessionError(f"validator failed: {type(exc).__name__}: {exc}",
                                 path=str(files[0]) if files else "")]
        finally:
            try:
                os.unlink(dump)
            except OSError:
                pass

    def _restart(self, proc: subprocess.Popen[bytes]) -> None:
        _kill(proc)
        with self._lock:
            if self._proc is proc:
                self._proc = None
                self._ready.clear()
        self.restarts += 1
        self.ensure_started()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End a child of ours by its pid and reap it."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _demote(pid: int) -> None:
    """Nice 19 for every thread of ``pid`` (Linux niceness is per thread)."""
    try:
        tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        tids = [pid]
    for tid in tids:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, 19)
        except OSError:
            continue  # the thread ended meanwhile


def _stuck_error(files: list[Path], dump: str, timeout_s: float) -> SessionError:
    """The error for a child that never answered: place it with faulthandler's dump."""
    names = {str(f) for f in files}
    path, line = (str(files[0]) if len(files) == 1 else ""), None
    try:
        text = Path(dump).read_text(errors="replace")
    except OSError:
        text = ""
    for match in re.finditer(r'File "([^"]+)", line (\d+)', text):
        if match.group(1) in names:
            path, line = match.group(1), int(match.group(2))
            break
    code = ""
    if path and line:
        try:
            code = Path(path).read_text(encoding="utf-8").splitlines()[line - 1]
        except (OSError, IndexError, UnicodeDecodeError):
            code = ""
    return SessionError(
        f"running the file took longer than {timeout_s:g} s and could not be stopped "
        f"(a loop inside one C call?); not loaded", path=path, line=line, code=code)


_shared: Validator | None = None
_shared_lock = threading.Lock()


def shared_validator() -> Validator:
    """The process-wide validator (created on first use, started by ``ensure_started``)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            import atexit
            _shared = Validator()
            atexit.register(_shared.close)
        return _shared


# --------------------------------------------------------------------------- child side

def _serve() -> int:
    import faulthandler



    proto = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # user code printing to fd 1 cannot corrupt the protocol
    import livestudio  # noqa: F401 - warm: the pattern language is imported once
    from livestudio.session.loader import load_path

    proto.write("ready\n")
    for raw in sys.stdin:
        request = json.loads(raw)
        files = [Path(f) for f in request["files"]]
        timeout_s = float(request["timeout_s"])
        with open(request["dump"], "w") as dump:
            # stuck past every budget (a C loop): dump the stack for the front and exit, so
            # the child never outlives a front that died meanwhile
            faulthandler.dump_traceback_later(timeout_s + 0.5, repeat=False, file=dump, exit=True)
            try:
                errors, stuck = _check(load_path, files, request, timeout_s)
            finally:
                faulthandler.cancel_dump_traceback_later()
        proto.write(json.dumps({"errors": errors, "stuck": stuck}) + "\n")
    return 0


def _check(load_path: Any, files: list[Path], request: dict[str, Any],
           timeout_s: float) -> tuple[list[dict[str, Any]], bool]:
    errors: list[dict[str, Any]] = []
    stuck = False
    if len(files) > 1:  # in a folder the front skips empty files (an editor mid-save)
        files = [f for f in files if not f.exists() or f.read_text(errors="replace").strip()]
    for file in files:  # the front loads them together; name clashes are checked there
        result = load_path(file, timeout_s=timeout_s, dry_cycles=int(request["dry_cycles"]),
                           query_budget_s=float(request["query_budget_s"]),
                           from_cycle=_fraction(request["from_cycle"]), isolate=False)
        for err in result.errors:
            errors.append({"reason": err.reason, "path": err.path, "line": err.line, "code": err.code})
            stuck = stuck or "C call" in err.reason
        timeout_s = max(timeout_s - result.elapsed_s, 0.05)
    return errors, stuck


def _fraction(value: Any) -> Any:
    from fractions import Fraction
    return Fraction(value).limit_denominator(1 << 20)


if __name__ == "__main__":
    raise SystemExit(_serve())

"""The loader: runs a pattern file (or a session folder) safely and collects its tracks.

A load compiles each file, runs it in a fresh module namespace inside
:func:`livestudio.session.settings.collecting`, collects every top-level name bound to
a :class:`~livestudio.patterns.pattern.Pattern` (names starting with ``_`` are
private), and dry-queries the next few cycles of each track within a time budget.

Any failure -- a syntax error, an exception, a query error, a dry query over budget,
an infinite loop at module level -- gives ``ok=False`` with :class:`SessionError`\\ s
naming file, line and the code line, and no tracks: the caller keeps the last good
version playing.

When the validator process runs (:mod:`livestudio.session.validator`; the watcher
starts it), every load runs there first and only a clean file is run again here, so
an endless loop never competes with the UI and the scheduler for this process's GIL,
and a loop inside one C call (which nothing can interrupt in-thread) is killed with its
process. Here, user code runs in a worker thread; the calling thread waits at most
``timeout_s``.
When the budget runs out, a :class:`LoadTimeout` is raised *inside* the worker thread
with ``PyThreadState_SetAsyncExc``. Limits of that mechanism:

- it is delivered between bytecodes, so a pure-Python loop (``while True: pass``) stops
  within milliseconds, but a thread stuck inside one long C call (``time.sleep(1e9)``,
  ``sum(range(10**12))``, a regex with catastrophic backtracking) only sees it when the
  call returns. Such a thread is abandoned (a daemon thread: it never blocks exit), the
  load is reported as failed with the line it is stuck on, and the thread keeps one CPU
  busy until the C call ends. The engine runs in its own process, so audio never stops.
- user code that catches ``BaseException`` (a bare ``except:``) inside the loop can eat
  the exception; it is raised again every few milliseconds for a grace period.
- while a pure-Python loop runs it takes turns on the GIL with the UI thread (5 ms
  slices), so the UI slows but keeps responding for the ``timeout_s`` it runs.

Patterns are closures and cannot be pickled, so the real objects must be built in the
front process; a subprocess could only validate.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "song.py").write_text("tempo(bpm=120)\\nx = 1 +\\n")
>>> result = load_path(folder / "song.py")
>>> result.ok, result.errors[0].line
(False, 2)
"""

from __future__ import annotations

import ast
import ctypes
import hashlib
import itertools
import linecache
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from livestudio.errors import LivestudioError, SessionError
from livestudio.session import settings as settings_mod
from livestudio.session.settings import SessionSettings

if TYPE_CHECKING:
    from livestudio.patterns.pattern import Pattern

DEFAULT_TIMEOUT_S = 1.5
"""Wall-clock budget for running the files and dry-querying their tracks."""
DEFAULT_DRY_CYCLES = 2
"""How many cycles of each track the dry query looks at."""
DEFAULT_QUERY_BUDGET_S = 0.1
"""Longest one cycle of one track may take to query in the dry run."""
_GRACE_S = 0.25
"""How long a timed-out worker gets to unwind before it is abandoned."""

T = TypeVar("T")
_load_lock = threading.Lock()
_module_counter = itertools.count(1)


class LoadTimeout(BaseException):
    """Raised inside the loader's worker thread when the load runs over its budget.

    A ``BaseException`` so that ``except Exception:`` in user code does not catch it.
    """


@dataclass(frozen=True)
class TrackDef:
    """One track: a name bound to a pattern at the top level of a session file."""

    name: str
    pattern: Pattern
    path: Path
    line: int | None
    digest: str = ""
    """Fingerprint of the code the track depends on: equal digests, same track."""
    hap_count: int = 0
    """Onsets found in the dry query (0 is allowed: a continuous or silent track)."""


@dataclass
class LoadResult:
    """The outcome of one load: the new tracks and settings, or the errors.

    When ``ok`` is false, ``tracks`` is empty and ``errors`` says why: keep playing
    the last good version. ``warnings`` never fail a load.
    """

    ok: bool
    path: Path
    tracks: dict[str, TrackDef] = field(default_factory=dict)
    settings: SessionSettings = field(default_factory=SessionSettings)
    errors: list[SessionError] = field(default_factory=list)
    warnings: list[SessionError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    elapsed_s: float = 0.0
    exec_s: float = 0.0
    query_s: float = 0.0
    started_at: float = 0.0
    """``time.monotonic()`` when the load began."""
    saved_at: float | None = None
    """``time.time()`` of the save that triggered the load (file mtime), set by the watcher."""
    detected_at: float | None = None
    """``time.monotonic()`` when the watcher saw the change, set by the watcher."""
    validate_s: float = 0.0
    """Time spent in the validator process (0 when it was not used)."""
    isolated: bool = False
    """Whether the files ran in the validator process first."""
    output: list[str] = field(default_factory=list)
    """What the files ``print()``-ed while loading (shown in the log, never on stdout)."""

    def summary(self) -> str:
        """One line for a log: what loaded, or the first error."""
        ms = self.elapsed_s * 1000
        if self.ok:
            names = ", ".join(self.tracks) or "no tracks"
            return f"loaded {self.path.name}: {names} ({ms:.0f} ms)"
        first = self.errors[0] if self.errors else SessionError("failed")
        more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        return f"load failed ({ms:.0f} ms): {first.reason}{more}"


@dataclass
class TrackChanges:
    """What a new load changes relative to the tracks playing now."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: list[str]


def diff_tracks(old: Mapping[str, TrackDef], new: Mapping[str, TrackDef]) -> TrackChanges:
    """Compare two track sets by name and digest (tracks with no digest always change)."""
    added = [n for n in new if n not in old]
    removed = [n for n in old if n not in new]
    changed: list[str] = []
    unchanged: list[str] = []
    for name in new:
        if name in old:
            same = bool(new[name].digest) and new[name].digest == old[name].digest
            (unchanged if same else changed).append(name)
    return TrackChanges(added, changed, removed, unchanged)


def session_files(path: Path) -> list[Path]:
    """The pattern files a path stands for: itself, or a folder's ``*.py`` (not ``_*``/``.*``)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.py")
                      if p.is_file() and not p.name.startswith(("_", ".")))
    return [path]


def pattern_class() -> type:
    """The Pattern class (imported late: the pattern language imports nothing of ours)."""
    from livestudio.patterns.pattern import Pattern
    return Pattern


def load_path(path: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              dry_cycles: int = DEFAULT_DRY_CYCLES,
              query_budget_s: float = DEFAULT_QUERY_BUDGET_S,
              from_cycle: int | Fraction = 0, isolate: bool | None = None) -> LoadResult:
    """Load a pattern file or a session folder safely; never raises for user errors.

    ``timeout_s`` bounds running the files plus the dry queries (an infinite loop is
    stopped there); each track's dry query of ``dry_cycles`` cycles from ``from_cycle``
    must take at most ``query_budget_s`` per cycle.

    ``isolate``: first run the files in the warm validator process
    (:mod:`livestudio.session.validator`) and only then in this one. ``None`` (default)
    does so when the shared validator is already running (the watcher starts it),
    ``True`` starts it and waits, ``False`` never does.
    """
    path = Path(path)
    started = time.monotonic()
    t0 = time.perf_counter()
    result = LoadResult(ok=False, path=path, started_at=started)
    if not path.exists():
        result.errors.append(SessionError("no such file or folder", path=str(path)))
        result.elapsed_s = time.perf_counter() - t0
        return result
    files = session_files(path)
    result.files = files
    if not files:
        result.errors.append(SessionError("no .py pattern files in this folder", path=str(path)))
        result.elapsed_s = time.perf_counter() - t0
        return result
    if isolate is not False:
        from livestudio.session.validator import shared_validator

        validator = shared_validator()
        if isolate or validator.started_once:  # (re)starting after a runaway file: wait
            validator.ensure_started(wait=True)
        tv = time.perf_counter()
        child_errors = validator.check(files, timeout_s=timeout_s, dry_cycles=dry_cycles,
                                       query_budget_s=query_budget_s,
                                       from_cycle=float(from_cycle)) if validator.ready else None
        result.validate_s = time.perf_counter() - tv
        if child_errors is not None:
            result.isolated = True
        if child_errors:
            result.errors.extend(child_errors)
            result.elapsed_s = time.perf_counter() - t0
            return result
    with _load_lock:
        job = _LoadJob(files, dry_cycles=dry_cycles, query_budget_s=query_budget_s,
                       from_cycle=Fraction(from_cycle), result=result)
        _run_with_timeout(job, timeout_s)
    result.ok = not result.errors
    if not result.ok:
        result.tracks = {}
    result.elapsed_s = time.perf_counter() - t0
    return result


# --------------------------------------------------------------------------- worker

class _LoadJob:
    """The part of a load that runs user code (in the worker thread)."""

    def __init__(self, files: list[Path], *, dry_cycles: int, query_budget_s: float,
                 from_cycle: Fraction, result: LoadResult) -> None:
        self.files = files
        self.dry_cycles = dry_cycles
        self.query_budget_s = query_budget_s
        self.from_cycle = from_cycle
        self.result = result
        self.sources: dict[str, list[str]] = {}
        self.phase = "run"
        self.done = threading.Event()
        self.timed_out = False

    # runs in the worker thread
    def run(self) -> None:
        try:
            self._run()
        except LoadTimeout:
            pass  # reported by the waiting thread, which knows where the worker was
        except BaseException as exc:  # noqa: BLE001 - user code may raise anything, e.g. SystemExit
            self.result.errors.append(self.error_from(exc))
        finally:
            self.done.set()

    def _run(self) -> None:
        per_file: list[tuple[Path, dict[str, Any], ast.Module, list[str], SessionSettings]] = []
        t0 = time.perf_counter()
        for file in self.files:
            loaded = self._exec_file(file)
            if loaded is not None:
                per_file.append(loaded)
        self.result.exec_s = time.perf_counter() - t0
        if self.result.errors:
            return
        self.result.settings = self._merge_settings([(f, s) for f, _, _, _, s in per_file])
        tracks: dict[str, TrackDef] = {}
        pattern_type = pattern_class()
        for file, namespace, tree, names, _ in per_file:
            for track in self._collect(file, namespace, tree, names, pattern_type):
                if track.name in tracks:
                    other = tracks[track.name]
                    self.result.errors.append(self._error(
                        f"track name {track.name!r} is also defined in {other.path.name}"
                        f":{other.line}; track names must be unique in a session",
                        file, track.line))
                    continue
                tracks[track.name] = track
        if self.result.errors:
            return
        self.phase = "query"
        t1 = time.perf_counter()
        for name, track in list(tracks.items()):
            tracks[name] = self._dry_query(track)
        self.result.query_s = time.perf_counter() - t1
        self.result.tracks = tracks

    def _exec_file(self, file: Path) -> tuple[Path, dict[str, Any], ast.Module, list[str],
                                               SessionSettings] | None:
        try:
            source = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.result.errors.append(SessionError(f"cannot read: {exc}", path=str(file)))
            return None
        if not source.strip():
            # an editor that truncates and then writes can be caught in between: never
            # let that silence the set; a deliberately empty file says so and keeps playing
            message = ("the file is empty (a save in progress?): the last version keeps "
                       "playing; to stop every track, leave a comment in it")
            if len(self.files) > 1:
                self.result.warnings.append(SessionError("empty file skipped", path=str(file)))
            else:
                self.result.errors.append(SessionError(message, path=str(file)))
            return None
        lines = source.splitlines()
        self.sources[str(file)] = lines
        # tracebacks and the UI show the code line as saved now, not a stale cached one
        linecache.cache[str(file)] = (len(source), None, [ln + "\n" for ln in lines], str(file))
        try:
            tree = ast.parse(source, filename=str(file))
            code = compile(tree, str(file), "exec")
        except SyntaxError as exc:
            self.result.errors.append(self.error_from(exc))
            return None
        module_name = f"livestudio_session_{next(_module_counter)}_{_identifier(file.stem)}"
        module = types.ModuleType(module_name)
        module.__file__ = str(file)
        namespace = module.__dict__
        for name in settings_mod.__all__:  # tempo(), quantize()... work without an import
            namespace[name] = getattr(settings_mod, name)
        # print() goes to the result (the log), not to a stdout that may carry JSON status
        namespace["print"] = _printer(self.result.output, file.name)
        sys.modules[module_name] = module  # dataclasses and pickle look modules up here
        try:
            with settings_mod.collecting() as file_settings:
                exec(code, namespace)
        except LoadTimeout:
            raise
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt from user code too
            self.result.errors.append(self.error_from(exc))
            return None
        finally:
            sys.modules.pop(module_name, None)
        return file, namespace, tree, lines, file_settings

    def _merge_settings(self, per_file: list[tuple[Path, SessionSettings]]) -> SessionSettings:
        merged = SessionSettings()
        origin: dict[str, Path] = {}
        for file, s in per_file:
            for key in ("bpm", "sync"):
                value = getattr(s, key)
                if value is None:
                    continue
                if getattr(merged, key) is not None and getattr(merged, key) != value:
                    self.result.errors.append(SessionError(
                        f"{key} is set to {value!r} here but to {getattr(merged, key)!r} in "
                        f"{origin[key].name}; set it in one file", path=str(file)))
                    continue
                setattr(merged, key, value)
                origin[key] = file
            if s.quantize != 1:
                if merged.quantize != 1 and merged.quantize != s.quantize:
                    self.result.errors.append(SessionError(
                        f"quantize is {s.quantize} here but {merged.quantize} in "
                        f"{origin['quantize'].name}; set it in one file", path=str(file)))
                else:
                    merged.quantize = s.quantize
                    origin["quantize"] = file
            merged.sample_paths.extend(p for p in s.sample_paths if p not in merged.sample_paths)
        return merged

    def _collect(self, file: Path, namespace: dict[str, Any], tree: ast.Module,
                 lines: list[str], pattern_type: type) -> Iterable[TrackDef]:
        bound = _assigned_names(tree)
        track_names = [n for n in bound if not n.startswith("_")
                       and isinstance(namespace.get(n), pattern_type)]
        digests = _digests(tree, track_names)
        for name, line in bound.items():
            if name.startswith("_") or name not in namespace:
                continue
            value = namespace[name]
            if isinstance(value, pattern_type):
                yield TrackDef(name, value, file, line, digest=digests[name])
            elif isinstance(value, types.MethodType) and isinstance(value.__self__, pattern_type):
                self.result.errors.append(self._error(
                    f"{name!r} is the method {value.__name__!r} of a pattern, not a pattern: "
                    f"call it, e.g. .{value.__name__}(...)", file, line))
            elif (isinstance(value, (list, tuple)) and value
                  and all(isinstance(v, pattern_type) for v in value)):
                self.result.warnings.append(self._error(
                    f"{name!r} is a {type(value).__name__} of patterns, not a track: "
                    f"wrap it in stack(...) to play it", file, line))

    def _dry_query(self, track: TrackDef) -> TrackDef:
        count = 0
        for i in range(self.dry_cycles):
            begin = self.from_cycle + i
            # CPU time of this thread, not wall time: a busy machine or a GIL wait must not
            # make a light pattern look too heavy to play
            t0 = time.thread_time()
            try:
                haps = list(track.pattern.query_arc(begin, begin + 1))
                for hap in haps:
                    _check_hap(hap)
                    if hap.whole is not None and hap.has_onset():
                        count += 1
            except LoadTimeout:
                raise
            except Exception as exc:  # noqa: BLE001 - a pattern may raise anything when queried
                err = self.error_from(exc, default_path=track.path, default_line=track.line)
                err = SessionError(f"track {track.name!r}: querying cycle {begin}: {err.reason}",
                                   path=err.path, line=err.line, code=err.code)
                self.result.errors.append(err)
                return track
            took = time.thread_time() - t0
            if took > self.query_budget_s:
                self.result.errors.append(self._error(
                    f"track {track.name!r}: cycle {begin} took {took * 1000:.0f} ms of CPU to query, over "
                    f"the {self.query_budget_s * 1000:.0f} ms budget (too heavy to play live)",
                    track.path, track.line))
                return track
        return TrackDef(track.name, track.pattern, track.path, track.line,
                        digest=track.digest, hap_count=count)

    # --- errors -------------------------------------------------------------
    def _error(self, message: str, file: Path, line: int | None) -> SessionError:
        code = ""
        lines = self.sources.get(str(file), [])
        if line is not None and 1 <= line <= len(lines):
            code = lines[line - 1]
        return SessionError(message, path=str(file), line=line, code=code)

    def error_from(self, exc: BaseException, *, default_path: Path | None = None,
                   default_line: int | None = None) -> SessionError:
        """A SessionError naming the user's file and line for an exception."""
        if isinstance(exc, SyntaxError) and exc.filename in self.sources:
            line = exc.lineno
            col = f", column {exc.offset}" if exc.offset else ""
            code = exc.text.rstrip("\n") if exc.text else ""
            if not code:
                code = self._error("", Path(exc.filename), line).code
            return SessionError(f"{type(exc).__name__}: {exc.msg}{col}", path=exc.filename,
                                line=line, code=code)
        frames = traceback.extract_tb(exc.__traceback__)
        if isinstance(exc, LivestudioError):  # our own messages say what went wrong
            frames_for_note = [f for f in frames if f.filename in self.sources]
        else:  # say where inside the library a stray exception came from
            frames_for_note = frames
        return self._error_at(f"{type(exc).__name__}: {exc}", frames_for_note,
                              default_path=default_path, default_line=default_line)

    def _error_at(self, message: str, frames: list[traceback.FrameSummary], *,
                  default_path: Path | None = None,
                  default_line: int | None = None) -> SessionError:
        user = [f for f in frames if f.filename in self.sources]
        if user:
            where = user[-1]
            inner = frames[-1]
            if inner is not where and inner.filename not in self.sources:
                message += f" (in {inner.name}, {Path(inner.filename).name}:{inner.lineno})"
            return self._error(message, Path(where.filename), where.lineno)
        if default_path is not None:
            return self._error(message, default_path, default_line)
        return SessionError(message, path=str(self.files[0]) if len(self.files) == 1 else "")

    def timeout_error(self, frames: list[traceback.FrameSummary], timeout_s: float,
                      stuck: bool) -> SessionError:
        """The error for a load stopped (or abandoned) at its time budget."""
        what = "running the file" if self.phase == "run" else "dry-querying the tracks"
        message = f"{what} took longer than {timeout_s:g} s (an endless loop?); stopped it"
        if stuck:
            message = (f"{what} took longer than {timeout_s:g} s and is stuck inside a C call; "
                       f"abandoned it (it may keep a CPU busy until that call returns)")
        return self._error_at(message, frames, default_path=self.files[0] if self.files else None)


def _run_with_timeout(job: _LoadJob, timeout_s: float) -> None:
    """Run ``job`` in a daemon thread; stop it with an async exception at the budget."""
    def target() -> None:
        try:
            job.run()
        except LoadTimeout:  # delivered late, while the job was already finishing
            job.done.set()

    worker = threading.Thread(target=target, name="livestudio-loader", daemon=True)
    worker.start()
    if job.done.wait(timeout_s):
        worker.join()
        return
    frames = _thread_frames(worker)
    deadline = time.monotonic() + _GRACE_S
    while not job.done.is_set() and time.monotonic() < deadline:
        _raise_in_thread(worker, LoadTimeout)
        job.done.wait(0.01)
    stuck = not job.done.is_set()
    job.result.errors.append(job.timeout_error(frames, timeout_s, stuck))
    if not stuck:
        worker.join()


class BudgetExceeded(Exception):
    """:func:`call_with_timeout`: the call ran over its budget (and was stopped or abandoned)."""

    def __init__(self, message: str, *, frames: list[traceback.FrameSummary], stuck: bool) -> None:
        super().__init__(message)
        self.frames = frames
        self.stuck = stuck


def call_with_timeout(fn: Callable[[], T], timeout_s: float) -> T:
    """Call ``fn()`` in a worker thread; stop it with an async exception after ``timeout_s``.

    Returns its value or re-raises its exception; raises :class:`BudgetExceeded` (with
    the worker's stack at the deadline) when it runs over. Same limits as the loader:
    a long C call cannot be interrupted, the thread is then abandoned.

    >>> call_with_timeout(lambda: 6 * 7, 1.0)
    42
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except LoadTimeout:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    def guarded() -> None:
        try:
            target()
        except LoadTimeout:
            done.set()

    worker = threading.Thread(target=guarded, name="livestudio-budget", daemon=True)
    worker.start()
    if not done.wait(timeout_s):
        frames = _thread_frames(worker)
        deadline = time.monotonic() + _GRACE_S
        while not done.is_set() and time.monotonic() < deadline:
            _raise_in_thread(worker, LoadTimeout)
            done.wait(0.01)
        stuck = not done.is_set()
        raise BudgetExceeded(f"took longer than {timeout_s:g} s" + (" (stuck in a C call)" if stuck else ""),
                             frames=frames, stuck=stuck)
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def _thread_frames(thread: threading.Thread) -> list[traceback.FrameSummary]:
    frame = sys._current_frames().get(thread.ident or -1)
    if frame is None:
        return []
    return list(traceback.extract_stack(frame))


def _raise_in_thread(thread: threading.Thread, exc_type: type[BaseException]) -> None:
    if thread.ident is None:
        return
    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    count = set_async(ctypes.c_ulong(thread.ident), ctypes.py_object(exc_type))
    if count > 1:  # cannot happen for one id; undo as the CPython docs say
        set_async(ctypes.c_ulong(thread.ident), None)
        raise SystemError("PyThreadState_SetAsyncExc hit more than one thread")


# --------------------------------------------------------------------------- helpers

def _printer(lines: list[str], label: str) -> Callable[..., None]:
    def user_print(*args: Any, sep: str | None = " ", end: str | None = "\n",
                   file: Any = None, flush: bool = False) -> None:
        text = (sep if sep is not None else " ").join(str(a) for a in args)
        if file is not None:  # an explicit file (say sys.stderr) is the user's choice
            file.write(text + (end if end is not None else "\n"))
            return
        if len(lines) < 200:
            lines.append(f"{label}: {text}")
    return user_print


def _identifier(stem: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in stem)


def _check_hap(hap: Any) -> None:
    for attr in ("whole", "part", "value"):
        if not hasattr(hap, attr):
            raise TypeError(f"query returned {type(hap).__name__}, not a Hap")


def _walk_top(stmts: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Top-level statements, descending into if/for/while/with/try but not defs."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for attr in ("body", "orelse", "finalbody"):
            yield from _walk_top(getattr(stmt, attr, []) or [])
        for handler in getattr(stmt, "handlers", []) or []:
            yield from _walk_top(handler.body)


def _stores(stmt: ast.stmt) -> set[str]:
    names: set[str] = set()
    targets: list[ast.AST] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.add(node.id)
    if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign)):
        for node in ast.walk(stmt):
            if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def _assigned_names(tree: ast.Module) -> dict[str, int]:
    """Names bound by assignments at module level (not imports), with their last line."""
    out: dict[str, int] = {}
    for stmt in _walk_top(tree.body):
        for name in _stores(stmt):
            out[name] = stmt.lineno
    return out


def _loads(stmt: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _digests(tree: ast.Module, tracks: list[str]) -> dict[str, str]:
    """A fingerprint per track: the module's code minus other tracks' own statements.

    A statement that binds only track names belongs to those tracks; a track depends on
    its own statements, the tracks they use (transitively) and every other statement.
    Comments and formatting do not count.
    """
    track_set = set(tracks)
    body = tree.body
    owned = [(s, _stores(s)) for s in body]
    out: dict[str, str] = {}
    for name in tracks:
        needed = {name}
        while True:
            extra = set()
            for stmt, stores in owned:
                if stores & needed:
                    extra |= _loads(stmt) & track_set
            if extra <= needed:
                break
            needed |= extra
        kept = [stmt for stmt, stores in owned
                if not (stores and stores <= track_set and not stores & needed)]
        text = name + "\n" + "\n".join(ast.dump(s) for s in kept)
        out[name] = hashlib.sha1(text.encode()).hexdigest()
    return out


__all__ = ["BudgetExceeded", "call_with_timeout", "LoadResult", "LoadTimeout", "TrackDef", "TrackChanges", "diff_tracks",
           "load_path", "session_files", "pattern_class", "DEFAULT_TIMEOUT_S"]

"""The watcher: reload a pattern file or session folder on every save.

:class:`Reloader` watches with watchfiles in a background thread, waits for a short
quiet time after the last change (editors write a file in several steps), loads with
:func:`~livestudio.session.loader.load_path` and hands the :class:`LoadResult` to
``on_result`` -- from the watcher thread, so a UI must hop to its own thread (Textual:
``app.call_from_thread``).

It watches the file's folder, not the file, so editors that save by writing a new file
and renaming it over the old one are seen too. Each result carries ``saved_at`` (the
newest mtime among the changed files, wall clock) and ``detected_at`` (monotonic) so
the edit-to-sound latency can be measured.

>>> import tempfile, pathlib, time
>>> folder = pathlib.Path(tempfile.mkdtemp()); song = folder / "song.py"
>>> _ = song.write_text("x = 1\\n")
>>> seen = []
>>> with Reloader(song, seen.append) as r:
...     _ = song.write_text("x = 2\\n")
...     r.wait_for_loads(1, timeout=5)
True
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import watchfiles

from livestudio.session.loader import DEFAULT_TIMEOUT_S, LoadResult, load_path

log = logging.getLogger(__name__)

DEFAULT_DEBOUNCE_MS = 10
"""Quiet time after the last change before loading (watchfiles ``step``)."""
DEFAULT_MAX_WAIT_MS = 300
"""Longest a stream of changes delays the load (watchfiles ``debounce``)."""


class Reloader:
    """Watches ``path`` and calls ``on_result(load_path(path))`` after every save."""

    def __init__(self, path: Path | str, on_result: Callable[[LoadResult], None], *,
                 debounce_ms: int = DEFAULT_DEBOUNCE_MS,
                 max_wait_ms: int = DEFAULT_MAX_WAIT_MS,
                 timeout_s: float = DEFAULT_TIMEOUT_S,
                 loader: Callable[[Path], LoadResult] | None = None,
                 force_polling: bool | None = None, isolate: bool = True) -> None:
        self.path = Path(path).resolve()
        self.on_result = on_result
        self.debounce_ms = int(debounce_ms)
        self.max_wait_ms = max(int(max_wait_ms), self.debounce_ms)
        self.timeout_s = timeout_s
        self.loader = loader or (lambda p: load_path(
            p, timeout_s=self.timeout_s, isolate=None if self.isolate else False))
        self.force_polling = force_polling
        self.isolate = isolate
        self.loads = 0
        self.last_result: LoadResult | None = None
        self.callback_errors: list[BaseException] = []
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition()
        self._load_lock = threading.Lock()

    # --- lifecycle -------------------------------------------------------------
    def start(self, *, initial: bool = False) -> None:
        """Start watching (``initial``: load once right away, from this thread)."""
        if self._thread is not None:
            return
        if self.isolate:  # warm the validator process in the background
            from livestudio.session.validator import shared_validator
            shared_validator().ensure_started()
        if initial:
            self.reload()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="livestudio-watcher", daemon=True)
        self._thread.start()
        self._ready.wait(2.0)

    def stop(self) -> None:
        """Stop watching (waits for a load in progress to finish)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)

    def __enter__(self) -> Reloader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- loading ---------------------------------------------------------------
    def reload(self, *, saved_at: float | None = None,
               detected_at: float | None = None) -> LoadResult:
        """Load now and deliver the result to ``on_result`` (also returns it)."""
        with self._load_lock:
            result = self.loader(self.path)
            result.saved_at = saved_at
            result.detected_at = detected_at
            self.last_result = result
            try:
                self.on_result(result)
            except Exception as exc:  # noqa: BLE001 - a consumer bug must not kill the watcher
                log.exception("on_result failed for %s", self.path)
                self.callback_errors.append(exc)
            with self._cond:
                self.loads += 1
                self._cond.notify_all()
            return result

    def wait_for_loads(self, count: int, *, timeout: float = 5.0) -> bool:
        """Block until at least ``count`` loads happened since start (for tests/scripts)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.loads < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # --- the watch loop --------------------------------------------------------
    def _watch_root(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    def _wanted(self, change: watchfiles.Change, name: str) -> bool:
        candidate = Path(name)
        if self.path.is_dir():
            return (candidate.suffix == ".py" and candidate.parent == self.path
                    and not candidate.name.startswith("."))
        return candidate == self.path

    def _run(self) -> None:
        root = self._watch_root()
        watch = watchfiles.watch(
            root, watch_filter=self._wanted, debounce=self.max_wait_ms, step=self.debounce_ms,
            stop_event=self._stop, rust_timeout=200, yield_on_timeout=True,
            raise_interrupt=False, recursive=False, force_polling=self.force_polling)
        self._ready.set()
        try:
            for changes in watch:
                if self._stop.is_set():
                    break
                if not changes:
                    continue
                detected = time.monotonic()
                saved = _newest_mtime(path for _, path in changes)
                self.reload(saved_at=saved, detected_at=detected)
        except Exception:  # noqa: BLE001 - say so loudly; the session shows watcher death
            log.exception("watcher for %s stopped", self.path)
            raise
        finally:
            self._ready.set()


def _newest_mtime(paths: object) -> float | None:
    newest: float | None = None
    for path in paths:  # type: ignore[attr-defined]
        try:
            mtime = os.stat(path).st_mtime_ns / 1e9
        except OSError:
            continue  # deleted or renamed away: the load reports what is left
        newest = mtime if newest is None else max(newest, mtime)
    return newest


def measure_latency(path: Path | str, *, saves: int = 20, interval_s: float = 0.25,
                    debounce_ms: int = DEFAULT_DEBOUNCE_MS) -> dict[str, float]:
    """Save ``path`` ``saves`` times (same code, a changing comment) and time each reload.

    Returns p50/p95/max in ms of: save -> change detected, the load itself, and save ->
    result delivered (what a session can schedule from). The file is restored after.
    """
    import statistics

    path = Path(path)
    original = path.read_text(encoding="utf-8")
    delivered: list[tuple[float, LoadResult]] = []
    got = threading.Event()

    def on_result(result: LoadResult) -> None:
        delivered.append((time.monotonic(), result))
        got.set()

    detect: list[float] = []
    load: list[float] = []
    total: list[float] = []
    try:
        with Reloader(path, on_result, debounce_ms=debounce_ms) as reloader:
            reloader.reload()  # warm: imports, caches
            for i in range(saves):
                time.sleep(interval_s)
                got.clear()
                delivered.clear()
                saved = time.monotonic()
                path.write_text(original + f"\n# save {i}\n", encoding="utf-8")
                if not got.wait(5.0):
                    raise TimeoutError(f"no reload within 5 s of save {i}")
                at, result = delivered[0]
                detect.append(((result.detected_at or at) - saved) * 1000)
                load.append(result.elapsed_s * 1000)
                total.append((at - saved) * 1000)
    finally:
        path.write_text(original, encoding="utf-8")

    def stats(name: str, values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return {f"{name}_p50_ms": statistics.median(ordered), f"{name}_p95_ms": p95,
                f"{name}_max_ms": ordered[-1]}

    return {**stats("detect", detect), **stats("load", load), **stats("save_to_result", total),
            "saves": float(saves)}


def _main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Measure save -> reload latency of a pattern file.")
    parser.add_argument("path")
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--debounce-ms", type=int, default=DEFAULT_DEBOUNCE_MS)
    args = parser.parse_args(argv)
    result = measure_latency(args.path, saves=args.saves, debounce_ms=args.debounce_ms)
    print(json.dumps({k: round(v, 1) for k, v in result.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())


__all__ = ["Reloader", "DEFAULT_DEBOUNCE_MS", "measure_latency"]

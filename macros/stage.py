"""Writing the generated pages' sources to the staging folder, on several cores where it can.

Rendering every page is the largest part of what the wiki adds to a build (issue 6),
and each page depends only on the index, which is read-only by then. On Linux the
work is therefore shared with forked copies of the build process: each writes its
own pages to disk and exits, so no text travels between processes, and the files
are the same, byte for byte, whatever the number of processes. Elsewhere (no
``fork``, or ``fork`` unsafe, as on macOS), and whenever another thread is running
(as during a ``mkdocs serve`` reload, beside the server's threads: a forked child
could inherit a lock that one of them holds, and hang), one process does it all.
``mkdocs serve``'s first build, before its server starts, forks like ``mkdocs build``.

Two ways to share it: :func:`stage` returns when every page is written (the calling
process takes its share); :func:`start` returns at once, with the pages being written
by forked processes while the caller goes on (MkDocs converting the pages already
written, on another core), and :meth:`Background.wait_for` blocks until a given page
is written. A forked process keeps what it logs and sends it back: the caller handles
those records when it reaps the process, as if it had logged them itself, so a warning
still counts for ``mkdocs build --strict`` (see :func:`_keep_logs`). A forked process
whose caller is gone (the build failed and exited) stops quietly, and a caller that exits
before it finished or cancelled its background kills the processes on the way out.
No MkDocs imports.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn, TypeVar

T = TypeVar("T")

#: Fewer items than this per process, and starting another one costs more than it saves.
MIN_PER_PROCESS = 100


class StagingError(RuntimeError):
    """A worker process failed; its traceback is on standard error."""


class _CallerGone(Exception):
    """The process that forked this worker no longer reads its pipe (it exited)."""


def default_jobs() -> int:
    """Processes to use when the configuration does not say: the cores, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def can_fork() -> bool:
    """Whether this platform forks safely (Linux; macOS's system libraries do not)."""
    return sys.platform == "linux" and hasattr(os, "fork")


def single_threaded() -> bool:
    """Whether this is the process's only thread: forking beside others is unsafe."""
    return threading.active_count() == 1


def write_if_changed(path: Path, text: str | bytes) -> None:
    """Keep the file's modification time when its content is the same (for dirty rebuilds).
    Text is written as UTF-8, as it is (no newline translation); bytes as they are."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def stage(items: Sequence[T], source: Callable[[T], str | bytes], target: Callable[[T], Path], jobs: int = 1) -> None:
    """Write ``source(item)`` to ``target(item)`` for every item, where it changed.

    With ``jobs`` > 1 (and enough items, on Linux, in a process with no other thread),
    forked processes take every ``jobs``-th item each, the calling process included.
    Raises :class:`StagingError` if one of them fails.
    """
    jobs = max(1, min(jobs, len(items) // MIN_PER_PROCESS)) if can_fork() and single_threaded() else 1
    if jobs > 1:
        _flush()
    children = Background([], {})
    try:
        for worker in range(1, jobs):
            children.add(_fork(items[worker::jobs], source, target, report=False))
        _write_all(items[0::jobs], source, target)
    except BaseException:  # this process failed, or could not fork them all: no worker is left behind
        children.wait()
        raise
    children.finish()


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()  # or a child would write out again what the parent had buffered


def _write_all(
    items: Sequence[T], source: Callable[[T], str | bytes], target: Callable[[T], Path], done: int | None = None
) -> None:
    """Write each item; after each, one byte to the ``done`` pipe if there is one (see :class:`Background`)."""
    for item in items:
        write_if_changed(target(item), source(item))
        if done is not None:
            try:
                os.write(done, b".")
            except BrokenPipeError:
                raise _CallerGone from None


def _work(
    items: Sequence[T],
    source: Callable[[T], str | bytes],
    target: Callable[[T], Path],
    done: int | None,
    logs: IO[bytes],
) -> NoReturn:
    """A forked worker: write its items, hand what it logged to ``logs``, then leave at once
    (no cleanup of the parent's state)."""
    code = 0
    kept: _Keep | None = None
    try:
        kept = _keep_logs()
        _write_all(items, source, target, done)
    except _CallerGone:  # the build failed and exited: nobody waits for the rest, or for a traceback
        code = 1
    except BaseException:  # reported here, and to the parent by the exit code
        traceback.print_exc()
        code = 1
    finally:  # whatever happened, this process never returns into the caller's code
        try:
            logs.write(pickle.dumps(kept.records if kept is not None else []))
            logs.flush()
        except BaseException:  # pragma: no cover - a full disk, say: the exit code still tells
            code = 1
        if sys.stderr is not None:
            sys.stderr.flush()
        os._exit(code)


class _Keep(logging.Handler):
    """Keeps every record it is given, in a form that pickles (see :func:`_keep_logs`)."""

    #: LogRecord attributes of these types travel; others (from ``extra=``) may not pickle.
    PORTABLE = (str, int, float, bool, type(None))

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # As logging.handlers.QueueHandler.prepare: the message formatted, the exception as text.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        fields = {k: v for k, v in vars(record).items() if isinstance(v, self.PORTABLE)}
        fields.update(msg=record.getMessage(), args=None, exc_info=None)
        self.records.append(logging.makeLogRecord(fields))


def _keep_logs() -> _Keep:
    """In a forked worker: keep the log records it makes instead of handling them here, where
    MkDocs would not count a warning for ``--strict``. :meth:`Background._reap` hands them to
    the caller's loggers, which handle them with their own handlers, filters and counts.

    Every logger's handlers are dropped and every record propagates to one keeping handler
    on the root; the loggers' levels stay as they are, so the same records are made.
    """
    keep = _Keep()
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger):
            logger.handlers = []
            logger.propagate = True
    logging.getLogger().addHandler(keep)
    return keep


@dataclass
class _Worker:
    pid: int
    pipe: int | None  # read end of the pipe it writes a byte to per item done; None once closed
    logs: IO[bytes] | None  # an unnamed file where it leaves its log records; None once read
    done: int = 0  # items known to be written (bytes read so far)
    status: int | None = None  # exit code, once reaped


class Background:
    """Pages being written by forked processes while this one goes on (see :func:`start`).

    Item ``i`` belongs to worker ``i % n``, which writes its items in order and sends
    a byte down its pipe after each: item ``i`` is written once that worker has sent
    ``i // n + 1`` bytes. Reading a pipe blocks without polling; a worker that fails
    closes its pipe early (end of file) and exits non-zero.
    """

    def __init__(self, workers: list[_Worker], positions: dict[Hashable, int]) -> None:
        self._workers = workers
        self._positions = positions

    def add(self, worker: _Worker) -> None:
        self._workers.append(worker)

    def wait_for(self, key: Hashable) -> None:
        """Block until the item with this key is written (no-op for a key not staged here).
        Raises :class:`StagingError` if its worker failed first."""
        position = self._positions.get(key)
        if position is None:
            return
        worker = self._workers[position % len(self._workers)]
        needed = position // len(self._workers) + 1
        while worker.done < needed:
            if not self._read(worker):
                self._reap(worker)
                raise StagingError(
                    f"the process writing the generated pages stopped (exit code {worker.status}) "
                    "before it wrote them all (see above)"
                )

    def finish(self) -> None:
        """Wait for every worker to exit; raise :class:`StagingError` if one failed."""
        atexit.unregister(self.cancel)
        failed = self.wait()
        if failed:
            raise StagingError(f"{failed} of the processes writing the generated pages failed (see above)")

    def wait(self) -> int:
        """Wait for every worker to exit; how many failed."""
        for worker in self._workers:
            while self._read(worker):
                pass
            self._reap(worker)
        return sum(worker.status != 0 for worker in self._workers)

    def cancel(self) -> None:
        """Stop the workers that are still running (the build failed elsewhere) and reap them all;
        what they logged is dropped. Also run when the caller exits before :meth:`finish`."""
        atexit.unregister(self.cancel)
        for worker in self._workers:
            if worker.status is None:  # not reaped yet, so its pid is still its own, even if it has exited
                os.kill(worker.pid, signal.SIGKILL)
            self._close(worker)
            self._reap(worker, replay=False)

    @staticmethod
    def _read(worker: _Worker) -> bool:
        """Read what the worker has reported; False at the end of its pipe (it exited)."""
        if worker.pipe is None:
            return False
        chunk = os.read(worker.pipe, 65536)
        if not chunk:
            Background._close(worker)
            return False
        worker.done += len(chunk)
        return True

    @staticmethod
    def _close(worker: _Worker) -> None:
        if worker.pipe is not None:
            os.close(worker.pipe)
            worker.pipe = None

    @staticmethod
    def _reap(worker: _Worker, replay: bool = True) -> None:
        """Wait for the worker to exit, then (with ``replay``) handle what it logged, each record
        by the logger that made it, as if this process had logged it."""
        if worker.status is None:
            _, status = os.waitpid(worker.pid, 0)
            worker.status = os.waitstatus_to_exitcode(status)
        if worker.logs is not None:
            logs, worker.logs = worker.logs, None
            with logs:
                logs.seek(0)
                data = logs.read()
            # Our own file, written by our own fork: nothing untrusted is unpickled.
            records: list[logging.LogRecord] = pickle.loads(data) if replay and data else []
            for record in records:
                logging.getLogger(record.name).handle(record)


def start(
    items: Sequence[T],
    source: Callable[[T], str | bytes],
    target: Callable[[T], Path],
    key: Callable[[T], Hashable],
    jobs: int,
) -> Background | None:
    """Write ``source(item)`` to ``target(item)`` in ``jobs - 1`` forked processes while the
    caller goes on; None where that cannot be done (``jobs`` 1, too few items, no safe
    ``fork``, another thread running): then use :func:`stage`.

    The caller waits for an item with :meth:`Background.wait_for` (by ``key(item)``) and
    must end with :meth:`Background.finish` or :meth:`Background.cancel`.
    """
    workers = min(jobs - 1, len(items) // MIN_PER_PROCESS)
    if workers < 1 or not (can_fork() and single_threaded()):
        return None
    _flush()
    background = Background([], {key(item): position for position, item in enumerate(items)})
    # A build that fails before it finishes (a Markdown extension crashing, say) exits
    # without finish() or cancel(): the workers must not outlive it.
    atexit.register(background.cancel)
    try:
        for number in range(workers):
            background.add(_fork(items[number::workers], source, target, report=True))
    except BaseException:
        background.cancel()
        raise
    return background


def _fork(items: Sequence[T], source: Callable[[T], str | bytes], target: Callable[[T], Path], report: bool) -> _Worker:
    """A forked worker writing ``items`` (see :func:`_work`); with ``report``, a pipe from it that
    gets a byte per item written (see :class:`Background`)."""
    logs = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Background._reap
    read_end, write_end = os.pipe() if report else (None, None)
    try:
        pid = os.fork()
    except BaseException:
        for end in (read_end, write_end):
            if end is not None:
                os.close(end)
        logs.close()
        raise
    if pid == 0:
        if read_end is not None:
            os.close(read_end)
        _work(items, source, target, write_end, logs)
    if write_end is not None:
        os.close(write_end)
    return _Worker(pid, read_end, logs)

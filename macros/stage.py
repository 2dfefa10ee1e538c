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
No MkDocs imports.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

T = TypeVar("T")

#: Fewer items than this per process, and starting another one costs more than it saves.
MIN_PER_PROCESS = 100


class StagingError(RuntimeError):
    """A worker process failed; its traceback is on standard error."""


def default_jobs() -> int:
    """Processes to use when the configuration does not say: the cores, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def can_fork() -> bool:
    """Whether this platform forks safely (Linux; macOS's system libraries do not)."""
    return sys.platform == "linux" and hasattr(os, "fork")


def single_threaded() -> bool:
    """Whether this is the process's only thread: forking beside others is unsafe."""
    return threading.active_count() == 1


def write_if_changed(path: Path, text: str) -> None:
    """Keep the file's modification time when its content is the same (for dirty rebuilds)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def stage(items: Sequence[T], source: Callable[[T], str], target: Callable[[T], Path], jobs: int = 1) -> None:
    """Write ``source(item)`` to ``target(item)`` for every item, where it changed.

    With ``jobs`` > 1 (and enough items, on Linux, in a process with no other thread),
    forked processes take every ``jobs``-th item each, the calling process included.
    Raises :class:`StagingError` if one of them fails.
    """
    jobs = max(1, min(jobs, len(items) // MIN_PER_PROCESS)) if can_fork() and single_threaded() else 1
    if jobs > 1:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()  # or a child would write out again what the parent had buffered
    children: list[int] = []
    failed = 0
    try:
        for worker in range(1, jobs):
            pid = os.fork()
            if pid == 0:
                _work(items[worker::jobs], source, target)
            children.append(pid)
        _write_all(items[0::jobs], source, target)
    finally:  # even if this process failed, or could not fork them all: no worker is left behind
        for pid in children:
            _, status = os.waitpid(pid, 0)
            failed += os.waitstatus_to_exitcode(status) != 0
    if failed:
        raise StagingError(f"{failed} of the processes writing the generated pages failed (see above)")


def _write_all(items: Sequence[T], source: Callable[[T], str], target: Callable[[T], Path]) -> None:
    for item in items:
        write_if_changed(target(item), source(item))


def _work(items: Sequence[T], source: Callable[[T], str], target: Callable[[T], Path]) -> NoReturn:
    """A forked worker: write its items, then leave at once (no cleanup of the parent's state)."""
    code = 0
    try:
        _write_all(items, source, target)
    except BaseException:  # reported here, and to the parent by the exit code
        traceback.print_exc()
        code = 1
    finally:
        if sys.stderr is not None:
            sys.stderr.flush()
        os._exit(code)

"""Staging generated sources, in one process or several (macros.stage)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from macros import stage as stage_module
from macros.hook import page_source
from macros.index import Index
from macros.pages import plan
from macros.render import SiteInfo
from macros.stage import Background, StagingError, stage, start, write_if_changed
from tests.conftest import ROOT

needs_fork = pytest.mark.skipif(not stage_module.can_fork(), reason="forked workers run on Linux only")
real_single_threaded = stage_module.single_threaded


@pytest.fixture(autouse=True)
def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in `mkdocs build`: no other thread (a test session may have some of its own)."""
    monkeypatch.setattr(stage_module, "single_threaded", lambda: True)


@pytest.fixture
def other_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A thread running beside the build, as the server's in `mkdocs serve`."""
    monkeypatch.setattr(stage_module, "single_threaded", real_single_threaded)  # not _alone's
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _failing_at(bad: int) -> Callable[[int], str]:
    """A source that writes "ok", except for item ``bad``, which it cannot render."""

    def source(i: int) -> str:
        if i == bad:
            raise ValueError(f"cannot render item {i}")
        return "ok"

    return source


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_every_page_is_staged_the_same_whatever_the_processes(
    fixture_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)  # the fixture is small
    specs = list(plan(fixture_index))
    site = SiteInfo()
    stage(specs, lambda spec: page_source(fixture_index, spec, site), lambda spec: tmp_path / spec.uri, jobs)
    expected = {spec.uri: page_source(fixture_index, spec, site).encode() for spec in specs}
    assert _snapshot(tmp_path) == expected


@needs_fork
def test_workers_really_run_in_other_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    stage(range(6), lambda i: str(os.getpid()), lambda i: tmp_path / f"{i}.txt", jobs=3)
    pids = {int((tmp_path / f"{i}.txt").read_text()) for i in range(6)}
    assert len(pids) == 3 and os.getpid() in pids


@needs_fork
def test_no_fork_beside_another_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other_thread: None) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    assert not stage_module.single_threaded()
    stage(range(6), lambda i: str(os.getpid()), lambda i: tmp_path / f"{i}.txt", jobs=3)
    assert {int((tmp_path / f"{i}.txt").read_text()) for i in range(6)} == {os.getpid()}


def test_single_threaded_sees_other_threads(other_thread: None) -> None:
    assert not stage_module.single_threaded()


def test_few_items_stay_in_one_process(tmp_path: Path) -> None:
    stage(range(5), lambda i: str(os.getpid()), lambda i: tmp_path / f"{i}.txt", jobs=4)
    assert {int((tmp_path / f"{i}.txt").read_text()) for i in range(5)} == {os.getpid()}


@needs_fork
def test_a_failing_worker_fails_the_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    source = _failing_at(1)  # item 1 goes to the first forked worker
    with pytest.raises(StagingError, match="1 of the processes"):
        stage(range(4), source, lambda i: tmp_path / f"{i}.txt", jobs=2)
    assert "cannot render item 1" in capfd.readouterr().err
    assert (tmp_path / "0.txt").read_text() == "ok"  # the others' work is done


def test_unchanged_files_keep_their_time(tmp_path: Path) -> None:
    path = tmp_path / "a" / "page.md"
    write_if_changed(path, "same")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    write_if_changed(path, "same")
    assert path.stat().st_mtime_ns == 1_000_000_000
    write_if_changed(path, "changed")
    assert path.read_text() == "changed" and path.stat().st_mtime_ns != 1_000_000_000


def test_jobs_come_from_the_configuration() -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    from macros.hook import jobs

    assert jobs(load_config(config_file="mkdocs.yml", extra={"wiki": {"jobs": 3}})) == 3
    assert jobs(load_config(config_file="mkdocs.yml", extra={"wiki": {}})) == stage_module.default_jobs()
    for bad in (0, "4", True):
        with pytest.raises(PluginError, match=r"extra\.wiki\.jobs"):
            jobs(load_config(config_file="mkdocs.yml", extra={"wiki": {"jobs": bad}}))


# --------------------------------------------------------------------------
# In the background (stage.start): the caller goes on while forked processes write
# --------------------------------------------------------------------------


def _started(items: list[int], source: Callable[[int], str], folder: Path, jobs: int) -> Background:
    background = start(items, source, lambda i: folder / f"{i}.txt", lambda i: f"key-{i}", jobs)
    assert background is not None
    return background


@needs_fork
@pytest.mark.parametrize("jobs", [2, 3])
def test_background_pages_are_the_same_as_staged_ones(
    fixture_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    specs = list(plan(fixture_index))
    site = SiteInfo()
    background = start(
        specs,
        lambda spec: page_source(fixture_index, spec, site),
        lambda spec: tmp_path / spec.uri,
        lambda spec: spec.uri,
        jobs,
    )
    assert background is not None
    for spec in specs:  # in the order MkDocs reads them: each is complete once waited for
        background.wait_for(spec.uri)
        assert (tmp_path / spec.uri).read_text(encoding="utf-8") == page_source(fixture_index, spec, site)
    background.finish()
    assert _snapshot(tmp_path) == {spec.uri: page_source(fixture_index, spec, site).encode() for spec in specs}


@needs_fork
def test_background_workers_are_other_processes_and_the_caller_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    gate = tmp_path / "gate"

    def source(i: int) -> str:
        while i == 0 and not gate.exists():  # the first item waits for the caller
            time.sleep(0.01)
        return str(os.getpid())

    background = _started(list(range(6)), source, tmp_path, jobs=3)
    gate.touch()  # reached only because start() returned before item 0 was written
    for i in range(6):
        background.wait_for(f"key-{i}")
    background.finish()
    pids = {int((tmp_path / f"{i}.txt").read_text()) for i in range(6)}
    assert len(pids) == 2 and os.getpid() not in pids  # jobs - 1 workers; the caller renders none


def test_no_background_where_it_cannot_help(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def target(i: int) -> Path:
        return tmp_path / f"{i}.txt"

    assert start(list(range(500)), str, target, str, jobs=1) is None  # no process to spare
    assert start(list(range(50)), str, target, str, jobs=4) is None  # too few items
    monkeypatch.setattr(stage_module, "can_fork", lambda: False)
    assert start(list(range(500)), str, target, str, jobs=4) is None
    assert not list(tmp_path.iterdir())


@needs_fork
def test_no_background_beside_another_thread(tmp_path: Path, other_thread: None) -> None:
    assert start(list(range(500)), str, lambda i: tmp_path / f"{i}.txt", str, jobs=2) is None


@needs_fork
def test_waiting_for_a_page_of_a_failed_worker_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    source = _failing_at(3)  # worker 1 of 2 (odd items): 1 is written, then it fails
    background = _started(list(range(6)), source, tmp_path, jobs=3)
    background.wait_for("key-1")
    background.wait_for("key-4")  # the other worker's items are not affected
    with pytest.raises(StagingError, match="stopped"):
        background.wait_for("key-5")
    with pytest.raises(StagingError, match="1 of the processes"):
        background.finish()
    assert "cannot render item 3" in capfd.readouterr().err
    assert (tmp_path / "1.txt").read_text() == "ok" and not (tmp_path / "5.txt").exists()


@needs_fork
def test_unknown_keys_are_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    background = _started(list(range(4)), str, tmp_path, jobs=2)
    background.wait_for("index.md")  # a hand-written page: returns at once
    background.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt", "2.txt", "3.txt"]


@needs_fork
def test_cancel_stops_and_reaps_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)

    def source(i: int) -> str:
        (tmp_path / f"pid-{i}").write_text(str(os.getpid()))
        time.sleep(3600)  # never finishes on its own
        return "never"

    background = _started(list(range(4)), source, tmp_path, jobs=2)
    pid_file = tmp_path / "pid-0"
    for _ in range(1000):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.01)
    pid = int(pid_file.read_text())
    background.cancel()  # would block for an hour if it did not kill
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and already reaped: no longer our child
    assert not (tmp_path / "0.txt").exists()


@needs_fork
def test_a_failed_fork_leaves_no_worker_and_no_open_pipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    real_fork = os.fork
    forks: list[int] = []

    def fork() -> int:
        if forks:  # the second fork fails, as when the system is out of processes
            raise BlockingIOError("Resource temporarily unavailable")
        pid = real_fork()
        if pid:
            forks.append(pid)
        else:
            time.sleep(3600)  # the first worker would never finish on its own
        return pid

    before = set(Path("/proc/self/fd").iterdir())
    monkeypatch.setattr(stage_module.os, "fork", fork)
    with pytest.raises(BlockingIOError):
        start(list(range(6)), str, lambda i: tmp_path / f"{i}.txt", str, jobs=3)
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # killed and reaped
    assert set(Path("/proc/self/fd").iterdir()) == before


# --------------------------------------------------------------------------
# What a worker logs, and a caller that exits before its workers
# --------------------------------------------------------------------------


@needs_fork
@pytest.mark.parametrize("in_background", [False, True])
def test_what_a_worker_logs_is_handled_by_the_callers_loggers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    in_background: bool,
) -> None:
    """A warning logged in a forked worker reaches the caller's handlers (MkDocs' --strict
    count among them) once, when the worker is reaped, and is not printed by the worker."""
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    log = logging.getLogger("mkdocs.plugins.wiki")

    def source(i: int) -> str:  # the odd items are a forked worker's in both cases
        if i == 5:
            try:
                1 / 0  # noqa: B018
            except ZeroDivisionError:
                log.exception("item %d failed to compute", i)
        elif i % 2:
            log.warning("item %d looks odd", i)
        log.info("item %d done", i)  # below the logger's level: not even made
        return "ok"

    items = list(range(6))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.wiki"):
        if in_background:
            _started(items, source, tmp_path, jobs=3).finish()
        else:
            stage(items, source, lambda i: tmp_path / f"{i}.txt", jobs=2)
    assert [r.getMessage() for r in caplog.records] == [
        "item 1 looks odd",
        "item 3 looks odd",
        "item 5 failed to compute",
    ]
    assert all(r.name == "mkdocs.plugins.wiki" and r.process != os.getpid() for r in caplog.records)
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "ERROR"]
    assert "ZeroDivisionError" in (caplog.records[2].exc_text or "")
    assert "looks odd" not in capfd.readouterr().err


@needs_fork
def test_a_failed_workers_warnings_are_handled_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    failing = _failing_at(3)

    def source(i: int) -> str:
        logging.getLogger("mkdocs.plugins.wiki").warning("rendering item %d", i)
        return failing(i)

    with caplog.at_level(logging.WARNING), pytest.raises(StagingError):
        stage(range(4), source, lambda i: tmp_path / f"{i}.txt", jobs=2)
    assert sorted(r.getMessage() for r in caplog.records) == [f"rendering item {i}" for i in range(4)]


# A build that starts background workers and then exits before it finishes them: with an
# error (exit handlers run) or killed (none run). argv: folder, "error" or "killed".
# The one worker writes item 0, then, on item 1, waits: for the kill ("error"), or until the
# build has gone ("killed": its parent is no longer the build), never for a set time.
_EXITING_CALLER = """
import os, sys, time
from pathlib import Path
from macros import stage
folder, how = Path(sys.argv[1]), sys.argv[2]
stage.MIN_PER_PROCESS = 1
stage.single_threaded = lambda: True
build = os.getpid()

def source(i):
    (folder / f"pid-{i}").write_text(str(os.getpid()))
    if i == 1:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (how == "error" or os.getppid() == build):
            time.sleep(0.01)
    return "ok"

background = stage.start(list(range(4)), source, lambda i: folder / f"{i}.txt", str, jobs=2)
background.wait_for("0")
if how == "error":
    raise SystemExit("the build failed")
os._exit(1)
"""


@needs_fork
@pytest.mark.parametrize("how", ["error", "killed"])
def test_workers_do_not_outlive_a_failed_build(tmp_path: Path, how: str) -> None:
    """A build that fails between starting its workers and finishing them kills them as it
    exits; if it cannot (killed), each stops quietly, at its next item, without a traceback."""
    # run() returns once every process holding the output pipes (the worker too) has ended
    done = subprocess.run(
        [sys.executable, "-c", _EXITING_CALLER, str(tmp_path), how],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ("the build failed\n" if how == "error" else "")
    pid = int((tmp_path / "pid-0").read_text())  # written before item 0, which the build waited for
    assert not Path(f"/proc/{pid}").exists() or how == "killed"  # killed and reaped by the build
    assert (tmp_path / "0.txt").exists() and not (tmp_path / "2.txt").exists()
    assert (tmp_path / "1.txt").exists() == (how == "killed")  # killed mid-item, or stopped after it

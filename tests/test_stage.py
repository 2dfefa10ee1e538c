"""Staging generated sources, in one process or several (macros.stage)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros import stage as stage_module
from macros.hook import page_source
from macros.index import Index
from macros.pages import plan
from macros.render import SiteInfo
from macros.stage import StagingError, stage, write_if_changed

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

    def source(i: int) -> str:
        if i == 1:  # item 1 goes to the first forked worker
            raise ValueError("cannot render item 1")
        return "ok"

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

"""Determinism: the same data gives the same site, byte for byte.

The builds run as separate ``mkdocs build --strict`` processes with different
``PYTHONHASHSEED`` values (so set and dict ordering of strings differs between them)
and read identical copies of the fixture data from different folders (so no absolute
path may leak into the output).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DOCS_CLI, FIXTURE_ARCHIVE, FIXTURE_DATA, ROOT, reproducible

pytestmark = pytest.mark.build

#: a fixed build moment in the past (2024-01-02 03:04:05 UTC); None = the real clock
EPOCH = 1704164645


def build(tmp: Path, name: str, seed: str, epoch: int | None) -> Path:
    """Copy the fixture data to a folder of its own and build it in a fresh process."""
    base = tmp / name
    shutil.copytree(FIXTURE_DATA, base / "input-data")
    shutil.copytree(FIXTURE_ARCHIVE, base / "input-archive")
    env = dict(os.environ)
    env.update(
        WIKI_DATA=str(base / "input-data"),
        WIKI_ARCHIVE=str(base / "input-archive"),
        NO_MKDOCS_2_WARNING="1",
        PYTHONHASHSEED=seed,
    )
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    site = base / "site"
    proc = subprocess.run(
        [str(DOCS_CLI), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


def tree(site: Path) -> dict[str, bytes]:
    files = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}
    return {rel: path.read_bytes() for rel, path in files.items() if reproducible(rel)}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Human-readable list of files that are missing on one side or differ, with the first differing line."""
    out = [f"only in the first build: {f}" for f in sorted(a.keys() - b.keys())]
    out += [f"only in the second build: {f}" for f in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        if a[name] != b[name]:
            detail = ""
            try:
                la, lb = a[name].decode().splitlines(), b[name].decode().splitlines()
                for n, (x, y) in enumerate(zip(la, lb, strict=False), start=1):
                    if x != y:
                        detail = f" (line {n}: {x.strip()[:100]!r} != {y.strip()[:100]!r})"
                        break
                else:
                    detail = f" ({len(la)} vs {len(lb)} lines)"
            except UnicodeDecodeError:
                detail = " (binary)"
            out.append(f"differs: {name}{detail}")
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("determinism")
    return {
        "a": tree(build(tmp, "a", seed="1", epoch=EPOCH)),
        "b": tree(build(tmp, "b", seed="2", epoch=EPOCH)),  # same moment, other hash seed and folder
        "c": tree(build(tmp, "c", seed="3", epoch=None)),  # today, by the real clock
    }


def test_builds_are_byte_identical(builds: dict[str, dict[str, bytes]]) -> None:
    """Same data, same build time, other process, hash seed and data folder: every file identical."""
    assert len(builds["a"]) > 20
    diff = differences(builds["a"], builds["b"])
    assert not diff, "\n".join(diff)


def test_builds_at_different_times_are_byte_identical(builds: dict[str, dict[str, bytes]]) -> None:
    """A build today and one 'in 2024' (SOURCE_DATE_EPOCH): the sitemap dates and the gzip header of
    sitemap.xml.gz come from the data, not from the clock, so every file is identical.

    (Checked: MkDocs alone would write the build date into sitemap.xml and the build time into
    sitemap.xml.gz; macros/hook.py sets each page's date from the data instead.)"""
    diff = differences(builds["a"], builds["c"])
    assert not diff, "\n".join(diff)


def test_no_build_folder_path_leaks(builds: dict[str, dict[str, bytes]]) -> None:
    """Neither the data folder nor the project folder appears in any output."""
    for name, content in builds["a"].items():
        assert b"input-data" not in content and b"input-archive" not in content, name
        assert str(ROOT).encode() not in content, name

"""A failed build never leaves the site folder worse than it found it, and `mkdocs serve`
keeps serving the last good build whatever fails (issue 18)."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from macros.publish import building_dir, publish, published_site
from tests.conftest import FIXTURE_ARCHIVE, FIXTURE_DATA, ROOT, build_site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_replaces_the_site_or_creates_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for old in (None, "old build"):
        if old:
            site.mkdir(exist_ok=True)
            (site / "stale.html").write_text(old)
        built = building_dir(site)
        built.mkdir()
        (built / "index.html").write_text("new build")
        publish(built, site)
        assert snapshot(site) == {"index.html": b"new build"}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it
    assert published_site(building_dir(site)) == site and published_site(site) == site


@pytest.fixture
def good_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    build_site(site)
    return site


@pytest.mark.build
def test_a_build_that_crashes_after_the_pages_leaves_the_site_as_it_was(
    good_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the sitemap did, when a record was 'added' in 2107 (gzip's 32-bit time)."""
    from mkdocs.commands import build as mkdocs_build

    before = snapshot(good_site)
    real = mkdocs_build._build_theme_template

    def crashing(name: str, *args: Any, **kwargs: Any) -> None:
        if name == "sitemap.xml":
            raise ValueError("timestamp out of range for gzip")
        real(name, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_theme_template", crashing)
    with pytest.raises(ValueError, match="gzip"):
        build_site(good_site)
    assert snapshot(good_site) == before


@pytest.mark.build
def test_a_strict_build_with_a_warning_leaves_the_site_as_it_was(
    good_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    before = snapshot(good_site)
    hook = load_config(config_file="mkdocs.yml").plugins["macros/hook.py"]
    real_source = hook.page_source

    def warning_source(index: Any, spec: Any, site: Any) -> str:
        if spec.uri == "groups/desert-brigade.md":
            logging.getLogger("mkdocs.plugins.wiki").warning("something to look at")
        return real_source(index, spec, site)  # type: ignore[no-any-return]

    monkeypatch.setattr(hook, "page_source", warning_source)
    with pytest.raises(Abort, match="strict mode"):
        build_site(good_site, jobs=1)
    assert snapshot(good_site) == before


@pytest.mark.build
def test_serve_falls_back_to_the_last_good_build_whatever_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A renderer that crashes on the new data (not a data error): the rebuild says why in one
    line and builds again from the last good data, instead of a server that waits forever."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from macros import last_good_dir
    from macros.hook import build_or_fall_back

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    monkeypatch.setenv("WIKI_ARCHIVE", str(FIXTURE_ARCHIVE))
    monkeypatch.setenv("WIKI_DATA", str(data))  # as make serve's data folder: mkdocs.yml reads it
    site = tmp_path / "served"
    hook = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins["macros/hook.py"]
    real_source = hook.page_source

    def fragile_source(index: Any, spec: Any, info: Any) -> str:
        text: str = real_source(index, spec, info)
        if "Attack on Riverton bazaar" in text:
            raise ZeroDivisionError("a renderer bug")
        return text

    monkeypatch.setattr(hook, "page_source", fragile_source)

    def builder() -> None:  # as mkdocs serve's: a fresh configuration each time
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.site_url = "http://127.0.0.1:8000/"
        build(config, serve_url=config.site_url)

    builder()
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
    last_good = last_good_dir(config)
    assert last_good.is_dir()
    events = data / "events" / "2020.yml"
    events.write_text(events.read_text().replace("Attack on Riverton market", "Attack on Riverton bazaar"))
    with pytest.raises(Exception, match=r"renderer bug|stopped|failed"):
        builder()  # without the fallback, the server would wait for a good build
    build_or_fall_back(builder, last_good)
    assert "the rebuild failed (" in caplog.text and "serving the last good version" in caplog.text
    assert "Attack on Riverton market" in (site / "events" / "riverton-market-attack" / "index.html").read_text()
    assert os.environ["WIKI_DATA"] == str(data)  # restored


def test_only_the_glue_imports_mkdocs() -> None:
    """The renderers and the pipeline import nothing from MkDocs (or its fork): a move to
    another generator rewrites the glue (hook.py, __init__.py), not the wiki."""
    import ast

    glue = {"macros/hook.py", "macros/__init__.py"}
    found = []
    for path in sorted((ROOT / "macros").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if rel not in glue and any(n.split(".")[0] in ("mkdocs", "properdocs", "material") for n in names):
                found.append(rel)
    assert found == []

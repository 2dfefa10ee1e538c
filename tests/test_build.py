"""End-to-end: a real strict MkDocs build of the fixture knowledge base."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.build


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_group_page_links_leader_and_shows_numbered_citation(fixture_site: Path) -> None:
    page = html(fixture_site, "groups/northern-front")
    assert "<h1" in page and "Northern Front (NF)" in page
    # the leader, linked with a relative URL MkDocs resolved
    assert re.search(r'<a href="\.\./\.\./people/jane-doe/">Jane Doe</a>', page)
    # a numbered footnote whose text is the quote and links the source page
    assert re.search(r'<sup id="fnref:\d+"><a class="footnote-ref" href="#fn:\d+">\d+</a></sup>', page)
    assert "“founded the group in 2012” — " in page
    assert 'href="../../sources/alpha-gazette/"' in page


def test_event_page_shows_casualties_and_claim(fixture_site: Path) -> None:
    page = html(fixture_site, "events/riverton-market-attack")
    assert "4 civilians" in page and "2 soldiers" in page and "7 unspecified" in page
    assert "Claimed responsibility" in page
    assert "1 March 2020" in page


def test_generated_pages_exist_for_every_record_and_year(fixture_site: Path) -> None:
    for page in [
        "groups/old-movement",
        "people/jane-doe",
        "places/riverton",
        "sources/beta-review",
        "years/2019",
        "years/2020",
        "chronology",
        "groups",
        "contested",
    ]:
        assert (fixture_site / page / "index.html").is_file(), page


def test_entity_pages_stay_out_of_the_navigation(fixture_site: Path) -> None:
    home = html(fixture_site, ".")
    assert 'href="groups/"' in home
    assert "northern-front" not in home.split('class="md-nav')[1]


def test_contested_fact_is_marked(fixture_site: Path) -> None:
    page = html(fixture_site, "groups/northern-front")
    assert 'id="contested-founded"' in page
    assert "Contested: Founded" in page
    listing = html(fixture_site, "contested")
    assert "northern-front/#contested-founded" in listing


def test_large_wiki_layout_builds_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The layouts used above the size limits (chronology by year, year pages in parts, capped
    entity event lists, events index by year) produce no broken link or anchor."""
    from macros.render import common, lists, year
    from tests.conftest import build_site

    monkeypatch.setattr(lists, "CHRONOLOGY_LIMIT", 1)
    monkeypatch.setattr(lists, "EVENT_INDEX_LIMIT", 1)
    monkeypatch.setattr(year, "YEAR_PART", 1)
    monkeypatch.setattr(lists, "CONTESTED_PART", 1)
    monkeypatch.setattr(common, "ENTITY_EVENTS_LIMIT", 0)
    monkeypatch.setattr(common, "LATEST_EVENTS", 1)
    build_site(tmp_path)  # strict: any warning fails
    chronology = html(tmp_path, "chronology")
    assert 'id="y2019"' in chronology and 'id="y2020"' in chronology
    assert "Riverton market" not in chronology  # the events themselves are on the year pages
    group = html(tmp_path, "groups/northern-front")
    assert 'href="../../years/2020/?group=northern-front"' in group


def test_staged_pages_change_only_with_their_page(tmp_path: Path) -> None:
    """A data edit rewrites the staged sources of exactly the pages it changes, which is what
    lets `mkdocs serve --dirty` (make serve) rebuild only those pages."""
    import shutil

    from mkdocs.config import load_config

    from macros import staging_dir
    from tests.conftest import FIXTURE_DATA, build_site

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    site = tmp_path / "site"
    build_site(site, data_dir=data)
    staged = staging_dir(load_config(config_file="mkdocs.yml", site_dir=str(site))) / "pages"
    before = {p.relative_to(staged).as_posix(): p.stat().st_mtime_ns for p in staged.rglob("*.md")}
    events = data / "events" / "2019.yml"
    events.write_text(events.read_text().replace("Kidnapping of twelve workers", "Abduction of twelve workers"))
    build_site(site, data_dir=data)
    after = {p.relative_to(staged).as_posix(): p.stat().st_mtime_ns for p in staged.rglob("*.md")}
    changed = {uri for uri in before if before[uri] != after[uri]}
    assert "events/riverton-workers-kidnapping.md" in changed
    assert "years/2019.md" in changed and "groups/desert-brigade.md" in changed
    assert "sources/alpha-gazette.md" not in changed and "people/jane-doe.md" not in changed
    assert "Abduction of twelve workers" in html(site, "groups/desert-brigade")


def test_pages_rendered_in_the_background_build_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh build renders the generated pages in forked processes while MkDocs reads the
    first ones (hook.on_files → stage.start), waiting for a page until it is written (here the
    first one comes late); the site is the same, byte for byte, as with `jobs: 1`, where one
    process renders every page before MkDocs reads any."""
    from mkdocs.config import load_config

    from macros import stage as stage_module
    from macros.pages import plan
    from tests.conftest import build_site, reproducible

    if not stage_module.can_fork():
        pytest.skip("forked workers run on Linux only")
    monkeypatch.setattr(stage_module, "single_threaded", lambda: True)  # as in `mkdocs build`
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    started: list[object] = []
    real_start = stage_module.start

    def spy(*args: object, **kwargs: object) -> object:
        background = real_start(*args, **kwargs)  # type: ignore[arg-type]
        started.append(background)
        return background

    # MkDocs loads the hook from its file once, as a module of its own (not macros.hook).
    hook = load_config(config_file="mkdocs.yml").plugins["macros/hook.py"]
    monkeypatch.setattr(hook, "start", spy)
    real_source = hook.page_source

    def slow_source(index: Any, spec: Any, site: Any) -> str:
        if spec == next(plan(index)):  # the first generated page MkDocs reads comes late
            time.sleep(1.5)
        return real_source(index, spec, site)  # type: ignore[no-any-return]

    monkeypatch.setattr(hook, "page_source", slow_source)
    background_site, one_process = tmp_path / "background", tmp_path / "one"
    build_site(background_site, jobs=2)
    monkeypatch.setattr(hook, "page_source", real_source)
    build_site(one_process, jobs=1)
    assert started[0] is not None and started[1] is None
    files = sorted(p.relative_to(one_process) for p in one_process.rglob("*") if p.is_file())
    files = [f for f in files if reproducible(f.as_posix())]
    assert files == sorted(
        f
        for f in (p.relative_to(background_site) for p in background_site.rglob("*") if p.is_file())
        if reproducible(f.as_posix())
    )
    different = [f for f in files if (one_process / f).read_bytes() != (background_site / f).read_bytes()]
    assert different == []


def test_a_warning_logged_while_rendering_in_the_background_fails_a_strict_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A page rendered by a forked process that logs a warning counts for `--strict`, as it
    would in the build's own process."""
    import logging

    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from macros import stage as stage_module
    from tests.conftest import build_site

    if not stage_module.can_fork():
        pytest.skip("forked workers run on Linux only")
    monkeypatch.setattr(stage_module, "single_threaded", lambda: True)  # as in `mkdocs build`
    monkeypatch.setattr(stage_module, "MIN_PER_PROCESS", 1)
    hook = load_config(config_file="mkdocs.yml").plugins["macros/hook.py"]
    real_source = hook.page_source
    renderers: set[int] = set()

    def warning_source(index: Any, spec: Any, site: Any) -> str:
        if spec.uri == "groups/desert-brigade.md":
            renderers.add(os.getpid())  # in the worker's memory only: the parent's stays empty
            logging.getLogger("mkdocs.plugins.wiki").warning("no map for %s (pid %d)", spec.uri, os.getpid())
        return real_source(index, spec, site)  # type: ignore[no-any-return]

    monkeypatch.setattr(hook, "page_source", warning_source)
    with pytest.raises(Abort, match="strict mode"):
        build_site(tmp_path / "site", jobs=2)
    warned = [r for r in caplog.records if r.getMessage().startswith("no map for groups/desert-brigade.md")]
    assert len(warned) == 1 and warned[0].process != os.getpid() and renderers == set()


def test_a_build_keeps_its_objects_out_of_the_collector_until_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """on_files freezes what the build made so far (gc.freeze), on_post_build and
    on_build_error unfreeze it: a `mkdocs serve` reload's old index can be collected."""
    import gc

    from mkdocs.config import load_config

    from tests.conftest import build_site

    hook = load_config(config_file="mkdocs.yml").plugins["macros/hook.py"]
    frozen: list[int] = []
    real_plan = hook.plan

    def plan(index: Any) -> Any:
        frozen.append(gc.get_freeze_count())
        return real_plan(index)

    monkeypatch.setattr(hook, "plan", plan)
    build_site(tmp_path / "site")
    assert frozen[0] > 1000 and gc.get_freeze_count() == 0

    def broken(*args: Any) -> Any:
        raise RuntimeError("export failed")

    monkeypatch.setattr(hook, "generated_files", broken)
    with pytest.raises(RuntimeError, match="export failed"):
        build_site(tmp_path / "failed")
    assert len(frozen) == 2 and frozen[1] > 1000 and gc.get_freeze_count() == 0


def test_docs_files_that_would_hide_generated_ones_stop_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page or a download written by hand at a generated path is named, before any
    rendering starts, and the build stops."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from macros import stage as stage_module
    from tests.conftest import FIXTURE_ARCHIVE, FIXTURE_DATA, ROOT

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "people").mkdir()
    (docs / "people" / "jane-doe.md").write_text("# By hand\n")
    (docs / "downloads").mkdir()
    (docs / "downloads" / "sahel-wiki.json").write_text("{}")
    monkeypatch.setenv("WIKI_ARCHIVE", str(FIXTURE_ARCHIVE))
    started: list[object] = []
    monkeypatch.setattr(stage_module, "start", lambda *args: started.append(args))
    monkeypatch.setattr(stage_module, "stage", lambda *args: started.append(args))
    config = load_config(
        config_file=str(ROOT / "mkdocs.yml"),
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        extra={"wiki": {"data_dir": str(FIXTURE_DATA), "archive_dir": str(FIXTURE_ARCHIVE)}},
    )
    hook = config.plugins["macros/hook.py"]
    monkeypatch.setattr(hook, "start", stage_module.start)
    monkeypatch.setattr(hook, "stage", stage_module.stage)
    with pytest.raises(Abort):
        build(config)
    assert "would hide generated ones; remove them: downloads/sahel-wiki.json, people/jane-doe.md" in caplog.text
    assert started == []


def test_background_rendering_only_into_an_empty_site(tmp_path: Path) -> None:
    """A dirty build (`--dirty`) skips pages older than their HTML before reading them: there
    every page must be written before on_files returns."""
    from mkdocs.config import load_config

    from macros.hook import fresh_site

    site = tmp_path / "site"
    assert fresh_site(load_config(config_file="mkdocs.yml", site_dir=str(site)))  # not made yet
    site.mkdir()
    assert fresh_site(load_config(config_file="mkdocs.yml", site_dir=str(site)))  # emptied by MkDocs
    (site / "index.html").write_text("an earlier build")
    assert not fresh_site(load_config(config_file="mkdocs.yml", site_dir=str(site)))


def test_serve_keeps_the_last_good_version_on_data_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `mkdocs serve` a data error is printed and the last good data keeps being served;
    a plain build with the same error aborts."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from tests.conftest import FIXTURE_ARCHIVE, FIXTURE_DATA, ROOT

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    monkeypatch.setenv("WIKI_ARCHIVE", str(FIXTURE_ARCHIVE))

    def serve_build(site: Path) -> None:
        config = load_config(
            config_file=str(ROOT / "mkdocs.yml"),
            site_dir=str(site),
            extra={"wiki": {"data_dir": str(data), "archive_dir": str(FIXTURE_ARCHIVE)}},
        )
        config.site_url = "http://127.0.0.1:8000/"  # what `mkdocs serve` sets
        build(config)

    site = tmp_path / "served"
    serve_build(site)
    events = data / "events" / "2020.yml"
    events.write_text(events.read_text().replace("type: attack", "type: atack"))
    serve_build(site)  # no exception: the last good data is served
    assert "'type' is 'atack'" in caplog.text and "serving the last good version" in caplog.text
    assert "Attack on Riverton market" in html(site, "events/riverton-market-attack")
    plain = load_config(
        config_file=str(ROOT / "mkdocs.yml"),
        site_dir=str(tmp_path / "built"),
        extra={"wiki": {"data_dir": str(data), "archive_dir": str(FIXTURE_ARCHIVE)}},
    )
    with pytest.raises(Abort):
        build(plain)


def test_released_generated_page_keeps_its_title(tmp_path: Path) -> None:
    """The hook drops a generated page's Markdown and HTML once it is written (memory at
    scale); MkDocs still needs its title afterwards, for the anchor check and the sitemap."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from macros import staging_dir
    from macros.hook import GENERATED_FRONT_MATTER, is_generated, on_page_content, release

    config = load_config(config_file="mkdocs.yml", site_dir=str(tmp_path / "site"))
    source = staging_dir(config) / "pages" / "test-release.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(GENERATED_FRONT_MATTER + "# The title\n\nBody text.\n", encoding="utf-8")
    try:
        generated = File("test-release.md", str(source.parent), str(tmp_path / "site"), True)
        page = Page(None, generated, config)
        page.read_source(config)
        page.render(config, Files([generated]))
        assert is_generated(page)
        converted = page.content
        assert on_page_content(converted, page=page, config=config, files=Files([generated])) == converted
        assert page.markdown == "" and page.title == "The title"
        release(page)
        assert page.title == "The title"
        assert page.markdown == "" and page.content == ""
    finally:
        source.unlink()
    hand_written = Page(None, File("about.md", "docs", str(tmp_path / "site"), False), config)
    hand_written.read_source(config)
    assert not is_generated(hand_written)


def test_no_svg_has_the_role_group(fixture_site: Path) -> None:
    """role="group" is not allowed on <svg> (Nu HTML Checker): a drawing with links has no role."""
    import re

    found = [
        p.relative_to(fixture_site).as_posix()
        for p in fixture_site.rglob("*.html")
        if re.search(r'<svg\b[^>]*\brole="group"', p.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert any('class="wiki-lineage-plot' in p.read_text(encoding="utf-8") for p in fixture_site.rglob("*.html"))

"""Search (macros/search.py): what each page tells the index, the Pagefind run, the offline index."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from macros import searches_titles
from macros.index import Index
from macros.search import (
    BUNDLE,
    SearchIndexError,
    build_search_index,
    index_in_background,
    offline_index_js,
    page_search,
)
from macros.wiki import build_index
from tests.conftest import FIXTURE_DATA, FIXTURE_KB, make_event, make_group, make_index


def test_an_event_is_filed_under_kind_years_groups_and_type() -> None:
    index = make_index(
        make_group(id="grp", name="A group", short_name="AG"),
        make_event(date="2012-08/2013-02", type="kidnapping", actors=[{"group": "grp", "role": "perpetrator"}]),
    )
    found = page_search(index, "events/evt.md")
    assert found is not None
    assert found.filter_map == {
        "kind": ("Event",),
        "year": ("2012", "2013"),
        "group": ("A group (AG)",),
        "type": ("Kidnapping",),
    }
    assert found.sort_date == "2012-08-01"
    assert found.date == index.by_id["evt"].date.display()  # type: ignore[union-attr]
    assert found.names == ()


def test_an_open_or_far_reaching_range_is_filed_under_few_years() -> None:
    index = make_index(make_event(date="2001/9999"), make_event(id="open", date="../2015"))
    long_range = page_search(index, "events/evt.md")
    open_start = page_search(index, "events/open.md")
    assert long_range is not None and long_range.filter_map["year"] == ("2001",)
    assert open_start is not None and open_start.filter_map["year"] == ("2015",)


def test_an_entity_gives_every_name_and_no_date(fixture_index: Index) -> None:
    found = page_search(fixture_index, "groups/northern-front.md")
    assert found is not None
    assert found.title == "Northern Front (NF)"
    assert found.names == ("Northern Front", "NF", "Front du Nord")
    assert found.filter_map == {"kind": ("Group",)}
    assert found.sort_date == ""


def test_year_pages_and_sources_have_their_kind_and_other_pages_none(fixture_index: Index) -> None:
    year = page_search(fixture_index, "years/2020.md")
    assert year is not None and year.filter_map == {"kind": ("Year",), "year": ("2020",)}
    source = page_search(fixture_index, "sources/alpha-gazette.md")
    assert source is not None and source.filter_map == {"kind": ("Source",)}
    assert source.sort_date == "", "a report's date is not an event's date: sources are not sorted with events"
    assert source.date.startswith("published ")
    for uri in ("index.md", "chronology/index.md", "groups/index.md", "events/no-such-event.md", "about.md"):
        assert page_search(fixture_index, uri) is None, uri


@pytest.mark.parametrize(("file_urls", "suffix"), [(True, ".html"), (False, "/")])
def test_the_title_index_lists_every_record_page_as_the_build_links_it(file_urls: bool, suffix: str) -> None:
    """Files for the offline edition (file://), folders for a site served with `search: titles`."""
    index = build_index(FIXTURE_DATA, FIXTURE_KB, file_urls=file_urls)
    script = offline_index_js(index)
    pages = json.loads(script[len("window.wikiSearchIndex = ") : -2])["pages"]
    urls = {p["u"] for p in pages}
    expected = {f"{index.uri(r.id)[:-3]}{suffix}" for r in index.by_id.values() if r.KIND != "relation"}
    expected |= {f"years/{y}{suffix}" for y in index.years}
    assert urls == expected
    event = next(p for p in pages if p["u"] == f"events/riverton-market-attack{suffix}")
    assert event["f"]["kind"] == ["Event"] and event["f"]["group"] == ["Northern Front (NF)"]
    assert event["o"] == "2020-03-01"


# -- the built fixture site --------------------------------------------------------------------


def test_the_built_site_has_a_pagefind_bundle_and_no_material_index(fixture_site: Path) -> None:
    assert (fixture_site / BUNDLE / "pagefind.js").is_file()
    assert not (fixture_site / "search" / "search_index.json").exists()
    # every page with an article is indexed: one fragment per page
    bodies = [p for p in fixture_site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert len(list((fixture_site / BUNDLE / "fragment").iterdir())) == len(bodies)
    assert not (fixture_site / "404.html").read_text(encoding="utf-8").count("data-pagefind-body")


@pytest.mark.parametrize(
    ("page", "indexed"),
    [
        ("groups/northern-front", True),
        ("events/riverton-market-attack", True),
        ("years/2020", True),
        ("about", True),  # hand-written
        ("data-model", True),  # generated, but documentation
        ("chronology", False),  # lists only what the record pages say
        ("groups", False),
        ("contested", False),
        ("map", False),
        ("relations", False),
        ("statistics", False),
        ("whats-new", False),
    ],
)
def test_listing_pages_are_left_out_of_the_index(fixture_site: Path, page: str, indexed: bool) -> None:
    text = (fixture_site / page / "index.html").read_text(encoding="utf-8")
    assert ("data-pagefind-body" in text) is indexed
    assert "<article" in text  # still a readable page


def test_an_event_page_carries_its_facets_and_date(fixture_site: Path) -> None:
    page = (fixture_site / "events" / "riverton-market-attack" / "index.html").read_text(encoding="utf-8")
    filters = re.findall(r'<span data-pagefind-filter="(\w+)">([^<]*)</span>', page)
    assert ("kind", "Event") in filters and ("year", "2020") in filters and ("type", "Attack") in filters
    assert ("group", "Northern Front (NF)") in filters
    assert '<span data-pagefind-sort="date">2020-03-01</span>' in page


# -- running Pagefind ----------------------------------------------------------------------------


def fake_pagefind(tmp_path: Path, script: str) -> Path:
    binary = tmp_path / "fake-pagefind"
    binary.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    return binary


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html lang="en"><body><main data-pagefind-body><h1>Hello</h1><p>Riverton market</p></main></body></html>',
        encoding="utf-8",
    )
    return site


def test_pagefind_indexes_a_site_and_replaces_the_old_bundle(tiny_site: Path) -> None:
    old = tiny_site / BUNDLE
    old.mkdir()
    (old / "stale.txt").write_text("old", encoding="utf-8")
    done = build_search_index(tiny_site)
    assert (old / "pagefind.js").is_file() and not (old / "stale.txt").exists()
    assert not list(old.glob("pagefind-*ui*")), "Pagefind's own interfaces are not used"
    assert done.pages == 1
    assert sorted(p.name for p in tiny_site.iterdir()) == ["index.html", BUNDLE]  # no temporary folder left


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("echo 'Error: broken' >&2; exit 3\n", r"^Pagefind failed \(exit 3\): Error: broken$"),
        ("exit 0\n", r"^Pagefind failed \(exit 0\): no output$"),
    ],
)
def test_a_failing_indexer_is_one_line_and_keeps_the_old_bundle(
    tiny_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, message: str
) -> None:
    old = tiny_site / BUNDLE
    old.mkdir()
    (old / "pagefind.js").write_text("// the last good index", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, script)))
    with pytest.raises(SearchIndexError) as caught:
        build_search_index(tiny_site)
    assert re.match(message, str(caught.value)) and "\n" not in str(caught.value)
    assert (old / "pagefind.js").read_text(encoding="utf-8") == "// the last good index"
    assert sorted(p.name for p in tiny_site.iterdir()) == ["index.html", BUNDLE]


def test_a_missing_or_hanging_indexer_is_one_line(
    tiny_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere"))
    with pytest.raises(SearchIndexError, match=r"^Pagefind could not start .*nowhere"):
        build_search_index(tiny_site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, "sleep 5\n")))
    with pytest.raises(SearchIndexError, match=r"^Pagefind did not finish indexing .* within 0 s$"):
        build_search_index(tiny_site, timeout=0.2)
    assert sorted(p.name for p in tiny_site.iterdir()) == ["index.html"]


def test_under_serve_indexers_run_in_the_background_one_after_the_other(
    tiny_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`mkdocs serve` does not wait for the index; a second reload's indexer waits for the first."""
    import logging

    log = logging.getLogger("test.search")
    # the first run fails after a while; the next one is the real Pagefind
    script = f'if [ -e "$LOG" ]; then exec "{pagefind_binary_of_the_wheel()}" "$@"; fi\nsleep 0.5; echo first >> "$LOG"; exit 7\n'
    monkeypatch.setenv("LOG", str(tmp_path / "order.txt"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, script)))
    with caplog.at_level(logging.INFO, logger="test.search"):
        first = index_in_background(tiny_site, log)
        assert first.is_alive(), "the build went on while the first index was made"
        second = index_in_background(tiny_site, log)
        second.join(timeout=60)
    assert not first.is_alive() and not second.is_alive()
    assert (tmp_path / "order.txt").read_text(encoding="utf-8") == "first\n"
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("search index: Pagefind failed (exit 7)"), messages
    assert re.match(r"search: Pagefind indexed 1 pages in [\d.]+ s, after the reload", messages[1]), messages
    assert (tiny_site / BUNDLE / "pagefind.js").is_file()


def pagefind_binary_of_the_wheel() -> Path:
    from pagefind_bin import get_executable

    found: Path = get_executable()
    return found


@pytest.mark.parametrize(
    ("wiki", "titles"),
    [({}, False), ({"search": "pagefind"}, False), ({"search": "titles"}, True), ({"offline": True}, True)],
)
def test_which_index_the_search_box_searches(wiki: dict[str, object], titles: bool) -> None:
    assert searches_titles({"extra": {"wiki": wiki}}) is titles


def test_an_unknown_search_setting_is_one_line() -> None:
    from mkdocs.exceptions import PluginError

    with pytest.raises(
        PluginError, match=r"^extra\.wiki\.search in mkdocs\.yml must be 'pagefind' or 'titles', not 'lunr'$"
    ):
        searches_titles({"extra": {"wiki": {"search": "lunr"}}})

"""The search box (docs/assets/search.js) on the fixture site: nothing loads before it opens
(nor the site's sitemap, which Material would fetch),
facets narrow the results, a shared URL restores the search, keys work, axe finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from macros.formats import FEED_SITEMAP
from tests.browser.conftest import (
    SEARCH_BUTTON,
    SEARCH_INPUT,
    SEARCH_LINKS,
    Recorder,
    Server,
    search_for,
    serve,
)
from tests.browser.test_accessibility import describe
from tests.conftest import build_site


def result_count(page: Page) -> int:
    text = page.locator(".wiki-search__status").inner_text()
    match = re.match(r"(\d+) results?|No results", text)
    assert match, text
    return int(match.group(1) or 0)


def pagefind_requests(seen: Recorder) -> list[str]:
    return [u for u in seen.requests if "/pagefind/" in urlsplit(u).path]


@pytest.mark.parametrize("path", ["", "groups/northern-front/", "chronology/"])
def test_no_search_file_is_fetched_until_the_box_opens(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]], path: str
) -> None:
    page, seen = new_page()
    page.goto(server.url + path, wait_until="networkidle")
    assert seen.requests, "no request was recorded"
    assert pagefind_requests(seen) == [], pagefind_requests(seen)
    # Material fetches sitemap.xml beside each rel="alternate" link: the feed's small stub, never
    # the site's own sitemap (macros/formats/atom.py). Should Material stop, the stub can go.
    sitemaps = [urlsplit(u).path for u in seen.requests if urlsplit(u).path.endswith("sitemap.xml")]
    assert sitemaps and all(p.endswith("/" + FEED_SITEMAP) for p in sitemaps), sitemaps
    search_for(page, "Riverton")
    assert any(u.endswith("/pagefind/pagefind.js") for u in pagefind_requests(seen))
    assert not seen.foreign_requests(server.host)
    assert not seen.page_errors, seen.page_errors


def show_facets(page: Page) -> None:
    """Ask for the facets (their values load only then) and wait for them."""
    page.locator(SHOW_FACETS).click()
    expect(page.locator(".wiki-search__facet", has_text="Kind").locator("select")).to_be_focused()


SHOW_FACETS = ".wiki-search__show-facets"


def test_a_facet_narrows_the_results(server: Server, new_page: Callable[..., tuple[Page, Recorder]]) -> None:
    page, seen = new_page()
    page.goto(server.url, wait_until="load")
    search_for(page, "Riverton")
    everything = result_count(page)
    # A first search fetches no facet values: they load when the reader asks for them.
    assert not [u for u in pagefind_requests(seen) if "/filter/" in u]
    expect(page.locator(".wiki-search__facet", has_text="Kind")).to_be_hidden()
    expect(page.locator(SHOW_FACETS)).to_have_attribute("aria-expanded", "false")
    show_facets(page)
    assert [u for u in pagefind_requests(seen) if "/filter/" in u]
    expect(page.locator(SHOW_FACETS)).to_be_hidden()
    kinds = page.locator(".wiki-search__facet", has_text="Kind").locator("select")
    expect(kinds.locator("option", has_text="Event")).to_have_count(1)
    kinds.select_option("Event")
    expect(page.locator(".wiki-search__status")).to_contain_text("for “Riverton”")
    expect(page.locator(".wiki-search__result").first).to_be_visible()
    events = result_count(page)
    assert 0 < events < everything
    metas = page.locator(".wiki-search__meta").all_inner_texts()
    assert len(metas) == min(events, 10) and all(m.startswith("Event") for m in metas), metas
    assert "kind=Event" in page.url
    assert not seen.page_errors, seen.page_errors


def test_a_shared_url_restores_query_filter_and_sort(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    page, _ = new_page()
    page.goto(server.url + "people/jane-doe/", wait_until="load")
    search_for(page, "Riverton")
    show_facets(page)
    page.locator(".wiki-search__facet", has_text="Kind").locator("select").select_option("Event")
    page.locator(".wiki-search__facet", has_text="Sort").locator("select").select_option("desc")
    expect(page.locator(".wiki-search__status")).to_contain_text("by date")
    # The count is said before the results are drawn: wait for them, as for the shared page below.
    expect(page.locator(SEARCH_LINKS).first).to_be_visible()
    shared = page.url
    hits = page.locator(SEARCH_LINKS).evaluate_all("els => els.map(e => e.href)")
    assert "q=Riverton" in shared and "kind=Event" in shared and "sort=desc" in shared

    other, seen = new_page()
    other.goto(shared, wait_until="load")
    expect(other.locator("#wiki-search-dialog")).to_be_visible()
    expect(other.locator(SEARCH_INPUT)).to_have_value("Riverton")
    expect(other.locator(".wiki-search__facet", has_text="Kind").locator("select")).to_have_value("Event")
    expect(other.locator(".wiki-search__facet", has_text="Sort").locator("select")).to_have_value("desc")
    expect(other.locator(SEARCH_LINKS).first).to_be_visible()
    assert other.locator(SEARCH_LINKS).evaluate_all("els => els.map(e => e.href)") == hits
    # closing the search takes its state out of the address again
    other.keyboard.press("Escape")
    expect(other.locator("#wiki-search-dialog")).to_be_hidden()
    # The dialog's "close" event, which clears the address, fires a task after it hides: wait for
    # it (and read the address in the page: Playwright's page.url can lag a replaceState).
    other.wait_for_function("!/[?&](q|kind|sort)=/.test(location.search)", timeout=5000)
    assert not seen.page_errors, seen.page_errors


def test_closing_the_search_clears_the_address_even_with_a_search_on_its_way(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    """A search still running when the dialog closes (here: the facets' values, slowed down) must
    not write its query back into the address."""
    page, seen = new_page()
    slowed: list[str] = []

    def slow(route: Route) -> None:
        slowed.append(route.request.url)
        page.wait_for_timeout(600)
        route.continue_()

    page.route("**/pagefind/filter/**", slow)
    page.goto(server.url + "people/jane-doe/?q=Riverton&kind=Event", wait_until="load")
    expect(page.locator("#wiki-search-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#wiki-search-dialog")).to_be_hidden()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert slowed, "the facets' values were requested"
    where = page.evaluate("location.href")
    assert "q=" not in where and "kind=" not in where, where
    assert not seen.page_errors, seen.page_errors


def test_the_keyboard_opens_searches_and_follows_a_result(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    page, seen = new_page()
    page.goto(server.url + "chronology/", wait_until="load")
    page.keyboard.press("/")
    expect(page.locator(SEARCH_INPUT)).to_be_focused()
    page.keyboard.type("Front du Nord", delay=10)
    expect(page.locator(".wiki-search__status")).to_contain_text("for “Front du Nord”")
    expect(page.locator(SEARCH_LINKS).first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(SEARCH_LINKS).first).to_be_focused()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert page.url.startswith(server.url + "groups/northern-front/")
    assert not seen.page_errors, seen.page_errors


def test_the_button_is_hidden_without_javascript(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    page, _ = new_page(java_script_enabled=False)
    page.goto(server.url, wait_until="load")
    expect(page.locator(SEARCH_BUTTON)).to_be_hidden()


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)])
def test_the_open_search_is_accessible(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]], axe_source: str, scheme: str, width: int
) -> None:
    page, seen = new_page(color_scheme=scheme, viewport={"width": width, "height": 844}, reduced_motion="reduce")
    page.goto(server.url, wait_until="load")
    search_for(page, "Riverton")
    page.locator(".wiki-search__result mark").first.wait_for()
    show_facets(page)
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => await axe.run(document.getElementById('wiki-search-dialog'), "
        "{resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
    )
    violations = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, describe(violations)
    # no sideways scroll on a phone
    assert page.evaluate("document.getElementById('wiki-search-dialog').scrollWidth") <= width
    assert not seen.page_errors, seen.page_errors


def test_a_site_set_to_search_titles_has_no_pagefind_files_and_finds_by_name(
    tmp_path: Path, fixture_site: Path, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    """`extra.wiki.search: titles` (for a host that caps a site's files): the same site without
    Pagefind's bundle (a file per page), with one title index instead, whose results open the
    record's page."""
    site = tmp_path / "site"
    build_site(site, search="titles")

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    with_pagefind = {f for f in files(fixture_site) if not f.startswith("pagefind/")}
    assert files(site) == with_pagefind | {"assets/search-offline.js"}
    with serve(site) as running:
        page, seen = new_page()
        page.goto(running.url + "chronology/", wait_until="networkidle")
        assert not [u for u in seen.requests if "search-offline" in u], "nothing loads before the box opens"
        search_for(page, "Front du Nord")  # an alias: the Northern Front comes first
        first = page.locator(SEARCH_LINKS).first
        expect(first).to_contain_text("Northern Front")
        expect(page.locator(".wiki-search__note")).to_have_text("Searches titles, names and summaries.")
        first.click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/groups/northern-front/", page.url  # as the site links it
        assert not seen.page_errors and not seen.foreign_requests(running.host)

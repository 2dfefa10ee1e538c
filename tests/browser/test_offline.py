"""The offline edition (make offline), unzipped and opened from its folder (file://): a reader
goes home → AQIM → one of its events → a source, searches, and no request leaves the machine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import SEARCH_LINKS, Recorder, search_for


def off_machine(seen: Recorder) -> list[str]:
    return [u for u in seen.requests if urlsplit(u).scheme not in ("file", "data", "blob", "about")]


def test_a_reader_follows_links_and_searches_from_the_folder(
    offline_site: Path, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    page, seen = new_page()
    page.goto((offline_site / "index.html").as_uri(), wait_until="load")
    expect(page.locator("h1").first).to_contain_text("Sahel Conflict Wiki")
    expect(page.locator(".md-content svg.wiki-chart-svg").first).to_be_visible()  # charts render

    page.locator(".md-content a[href$='groups/aqim.html']").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/groups/aqim.html"), page.url
    expect(page.locator("h1").first).to_contain_text("AQIM")
    expect(page.locator(".md-content svg.wiki-lineage-plot").first).to_be_visible()  # the relations drawing

    event = page.locator(".md-content a[href*='../events/'][href$='.html']").first
    with page.expect_navigation(wait_until="load"):
        event.click()
    assert "/events/" in page.url and page.url.endswith(".html"), page.url
    expect(page.locator("h1").first).to_be_visible()

    source = page.locator(".md-content .footnote a[href*='../sources/'][href$='.html']").first
    with page.expect_navigation(wait_until="load"):
        source.click()
    assert "/sources/" in page.url and page.url.endswith(".html"), page.url
    expect(page.locator("h1").first).to_be_visible()

    search_for(page, "Mujao")
    first = page.locator(SEARCH_LINKS).first
    assert (first.get_attribute("href") or "").endswith("/groups/mujao.html")
    with page.expect_navigation(wait_until="load"):
        first.click()
    expect(page.locator("h1").first).to_contain_text("MUJAO")

    page.locator(".md-nav a[href$='map.html']").first.click()  # the map, from the side navigation
    page.wait_for_load_state("load")
    expect(page.locator(".md-content svg.wiki-map").first).to_be_visible()

    assert not off_machine(seen), off_machine(seen)
    assert not seen.page_errors, seen.page_errors

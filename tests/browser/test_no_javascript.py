"""With JavaScript disabled, pages still show their content: heading, tables, citations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAMPLE_PAGES, Recorder, Server

#: pages with tables and with numbered citations
WITH_TABLES = {
    "",
    "groups/northern-front/",
    "events/riverton-market-attack/",
    "years/2020/",
    "chronology/",
    "groups/",
    "sources/alpha-gazette/",
    "contested/",
}
WITH_FOOTNOTES = {"groups/northern-front/", "people/jane-doe/", "events/riverton-market-attack/"}


@pytest.mark.parametrize(("path", "heading"), SAMPLE_PAGES, ids=[p or "home" for p, _ in SAMPLE_PAGES])
def test_page_reads_without_javascript(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]], path: str, heading: str
) -> None:
    page, seen = new_page(java_script_enabled=False)
    page.goto(server.url + path, wait_until="load")
    title = page.locator(".md-content h1").first
    expect(title).to_be_visible()
    assert heading in title.inner_text()
    body = page.locator(".md-content")
    expect(body).to_be_visible()
    assert len(body.inner_text()) > 100
    if path in WITH_TABLES:
        table = page.locator(".md-content table").first
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() >= 1
        expect(table.locator("tbody tr").first).to_be_visible()
    if path in WITH_FOOTNOTES:
        notes = page.locator(".md-content .footnote li")
        assert notes.count() >= 1
        expect(notes.first).to_be_visible()
        expect(notes.first.locator("a[href*='sources/']").first).to_be_visible()
        ref = page.locator(".md-content a.footnote-ref").first
        expect(ref).to_be_visible()
    # nothing that needs the script to make sense is shown half-built
    for hidden in page.locator(".wiki-filters").all():
        expect(hidden).to_be_hidden()
    assert not seen.page_errors

"""Privacy: pages make no request to any host but the site's own, and log no errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SAMPLE_PAGES, Recorder, Server, search_for


@pytest.mark.parametrize(("path", "heading"), SAMPLE_PAGES, ids=[p or "home" for p, _ in SAMPLE_PAGES])
def test_page_stays_on_the_site_and_logs_no_errors(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]], path: str, heading: str
) -> None:
    page, seen = new_page()
    response = page.goto(server.url + path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
    assert heading in page.locator("h1").first.inner_text()
    # use the page a little: hover a content link (loads the previews), search (loads Pagefind)
    for link in page.locator(".md-content a[href]:not(.headerlink)").all()[:1]:
        link.hover()
        page.mouse.move(0, 0)  # away again: the preview below a link must not cover the next one
    search_for(page, "Riverton")
    page.wait_for_load_state("networkidle")
    assert seen.requests, "no request was recorded"
    assert not seen.foreign_requests(server.host), "requests to other hosts:\n" + "\n".join(
        seen.foreign_requests(server.host)
    )
    assert not seen.console_errors, "console errors:\n" + "\n".join(seen.console_errors)
    assert not seen.page_errors, "uncaught exceptions:\n" + "\n".join(seen.page_errors)

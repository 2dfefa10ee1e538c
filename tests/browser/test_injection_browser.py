"""Hostile data in a real browser: no payload from the data ever runs.

The sites come from tests/test_injection.py's injected knowledge base (the payload in every
text field); every dialog (alert) is recorded, links are hovered (previews) and the search
box renders results that contain the payload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Recorder, Server, search_for, serve
from tests.conftest import build_site
from tests.test_injection import write_injected_kb

#: pages where data text is in the title, infobox, tables, footnotes and previews
PAYLOAD_PAGES = [
    "groups/northern-front/",
    "people/jane-doe/",
    "places/riverton/",
    "events/riverton-market-attack/",
    "sources/alpha-gazette/",
    "chronology/",
    "groups/",
]


@pytest.fixture(scope="module")
def injected_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Server]]:
    """name of a payload → a server for the site built with it (built and started once)."""
    from tests.test_injection import PAYLOADS

    servers: dict[str, Server] = {}
    stack: list[Iterator[Server]] = []

    def get(name: str) -> Server:
        if name not in servers:
            base = tmp_path_factory.mktemp(f"browser-inject-{name}")
            data, archive = write_injected_kb(base, PAYLOADS[name])
            build_site(base / "site", data, archive)
            running = serve(base / "site")
            servers[name] = running.__enter__()
            stack.append(running)
        return servers[name]

    yield get
    for running in stack:
        running.__exit__(None, None, None)


def visit(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    link = page.locator(".md-content a[href]:not(.headerlink)").first
    link.hover()  # the link preview shows the linked record's name and summary
    page.wait_for_timeout(100)
    page.mouse.move(0, 0)
    planted = page.evaluate('document.querySelectorAll(\'img[src="x"], img[src*="evil.example"], [onerror]\').length')
    assert planted == 0, f"{url}: {planted} element(s) planted by the data"


def test_img_onerror_payload_never_runs(
    injected_server: Callable[[str], Server], new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    server = injected_server("img-onerror")
    page, seen = new_page()
    for path in PAYLOAD_PAGES:
        visit(page, server.url + path)
    # search results show titles, metadata and excerpts from the search index
    page.goto(server.url, wait_until="load")
    search_for(page, "onerror")
    page.locator(".wiki-search__result").first.wait_for()
    assert "<img src=x onerror=alert(1)>" in page.locator(".wiki-search__results").inner_text()
    assert page.evaluate("document.querySelectorAll('.wiki-search__results img').length") == 0
    assert not seen.dialogs, f"the data ran script: {seen.dialogs}"
    assert not seen.page_errors, seen.page_errors


def test_title_breakout_payload_never_runs(
    injected_server: Callable[[str], Server], new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    server = injected_server("title-breakout")
    page, seen = new_page()
    for path in ["groups/northern-front/", "events/riverton-market-attack/", "sources/alpha-gazette/"]:
        page.goto(server.url + path, wait_until="load")
    assert not seen.dialogs, f"the data ran script: {len(seen.dialogs)} alert(s): {seen.dialogs[:3]}"

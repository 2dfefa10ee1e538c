"""A reader's journey through the site, and the search box finding a group by its aliases."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SEARCH_LINKS, Recorder, Server, first_search_hit


def h1(page: Page) -> str:
    return page.locator("h1").first.inner_text()


def content_link(page: Page, text: str, scope: str = ".md-content") -> None:
    """Click the first link in ``scope`` whose text contains ``text`` and wait for the new page."""
    link = page.locator(f"{scope} a", has_text=text).first
    expect(link).to_be_visible()
    with page.expect_navigation(wait_until="load"):
        link.click()


def test_home_group_leader_event_source_chronology(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    page, seen = new_page()
    page.goto(server.url, wait_until="load")
    assert "Sahel Conflict Wiki" in h1(page)

    content_link(page, "Northern Front")  # the main-groups table
    assert page.url == server.url + "groups/northern-front/"
    assert h1(page).startswith("Northern Front")

    content_link(page, "Jane Doe", ".wiki-infobox")  # the 'Leaders' row
    assert page.url == server.url + "people/jane-doe/"
    assert h1(page).startswith("Jane Doe")

    # the leader's page lists no event of its own in the fixture: back to the group's events
    events_on_leader = page.locator(".md-content a[href*='events/']:not([href$='events/'])")
    if events_on_leader.count():
        with page.expect_navigation(wait_until="load"):
            events_on_leader.first.click()
    else:
        page.go_back(wait_until="load")
        assert page.url == server.url + "groups/northern-front/"
        content_link(page, "Attack on Riverton market", "#events ~ table, .md-typeset__table")
    assert page.url == server.url + "events/riverton-market-attack/"
    assert h1(page).startswith("Attack on Riverton market")
    expect(page.locator(".footnote li").first).to_be_visible()

    content_link(page, "Front attacks Riverton market", ".footnote")  # the citation's source
    assert page.url == server.url + "sources/alpha-gazette/"
    assert h1(page).startswith("Front attacks Riverton market")

    content_link(page, "Chronology", ".md-sidebar--primary")  # the site navigation
    assert page.url == server.url + "chronology/"
    assert h1(page).startswith("Chronology")
    expect(page.locator(".md-content a", has_text="Attack on Riverton market").first).to_be_visible()
    assert not seen.page_errors, seen.page_errors
    assert not seen.console_errors, seen.console_errors


@pytest.mark.parametrize("query", ["Front du Nord", "NF"])
def test_search_finds_the_group_by_alias(
    server: Server, new_page: Callable[..., tuple[Page, Recorder]], query: str
) -> None:
    page, seen = new_page()
    first = first_search_hit(page, server.url, query)
    href = first.get_attribute("href") or ""
    assert re.match(rf"^{re.escape(server.url)}groups/northern-front/(\?|#|$)", href), (
        f"first hit for {query!r} is {href!r}; all hits: "
        + ", ".join(page.locator(SEARCH_LINKS).evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    )
    with page.expect_navigation(wait_until="load"):
        first.click()
    assert page.url.startswith(server.url + "groups/northern-front/")
    assert h1(page).startswith("Northern Front")
    assert not seen.page_errors, seen.page_errors

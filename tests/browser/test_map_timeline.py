"""The map and the timelines in a browser, on a phone (390×844) and a desktop (1366×900):
no sideways page scroll, no drawing text under 11 px, no overlapping names on the map,
the period filter with and without JavaScript, axe clean on a phone in both schemes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Recorder, Server
from tests.browser.test_accessibility import describe

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
PAGES = ["map/", "chronology/", "years/2020/", "groups/northern-front/"]
CASES = [
    pytest.param(path, size, id=f"{path.strip('/').replace('/', '-')}-{size}") for path in PAGES for size in VIEWPORTS
]

#: Every visible <text> of the map and timeline drawings: its rendered font size and its box.
VISIBLE_TEXT = """() => [...document.querySelectorAll('svg.wiki-map text, svg.wiki-tl text')]
  .filter(t => t.checkVisibility({visibilityProperty: true}) && t.getBoundingClientRect().width > 0)
  .map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, cls: t.getAttribute('class'), map: !!t.closest('svg.wiki-map'),
            px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            box: [r.left, r.top, r.right, r.bottom]};
  })"""


def _open(new_page: Callable[..., tuple[Page, Recorder]], url: str, size: str, **options: Any) -> Page:
    page, _ = new_page(viewport=VIEWPORTS[size], **options)
    page.goto(url, wait_until="load")
    return page


@pytest.mark.parametrize(("path", "size"), CASES)
def test_drawings_are_legible_and_the_page_does_not_scroll_sideways(
    new_page: Callable[..., tuple[Page, Recorder]], server: Server, path: str, size: str
) -> None:
    page = _open(new_page, server.url + path, size)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    texts = page.evaluate(VISIBLE_TEXT)
    assert texts, "the page has a drawing with text"
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 11]
    assert not small, f"text under 11 px: {small[:5]}"
    labels = [t for t in texts if t["map"] and t["cls"] in ("wiki-map-place-label", "wiki-map-label")]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            overlap = min(r1, r2) - max(l1, l2) > 0.5 and min(b1, b2) - max(t1, t2) > 0.5
            assert not overlap, f"{a['text']!r} overlaps {b['text']!r}"
    for box in page.query_selector_all(".wiki-tl-scroll"):  # a timeline scrolls inside its own box
        assert box.evaluate("b => b.getBoundingClientRect().right <= window.innerWidth + 0.5")


def test_period_filter_works_with_javascript(new_page: Callable[..., tuple[Page, Recorder]], server: Server) -> None:
    page = _open(new_page, server.url + "map/", "phone")
    buttons = page.locator(".wiki-map-choose button")
    assert buttons.count() >= 2
    assert buttons.first.get_attribute("aria-pressed") == "true"
    assert page.locator("#map-all").is_visible()
    buttons.nth(1).click()
    assert buttons.nth(1).get_attribute("aria-pressed") == "true"
    assert not page.locator("#map-all").is_visible()
    shown = page.locator(".wiki-map-period:not([hidden]) svg.wiki-map")
    assert shown.count() == 1 and shown.first.is_visible()
    box = buttons.nth(1).bounding_box()
    assert box is not None and box["height"] >= 24 and box["width"] >= 24  # WCAG 2.2 target size


def test_the_page_filters_dim_the_timeline_marks_they_leave_out(
    new_page: Callable[..., tuple[Page, Recorder]], server: Server
) -> None:
    # the chronology (the year pages run the same filter code; the fixture's years hold one event each)
    page = _open(new_page, server.url + "chronology/", "desktop")
    marks = page.locator("svg.wiki-tl a[href*='events/']")
    assert marks.count() >= 2, "the page's timeline has marks"
    types = page.locator(".wiki-filter-form select[name=type] option").all_inner_texts()[1:]
    assert len(types) >= 2, types
    page.locator(".wiki-filter-form select[name=type]").select_option(label=types[0])
    # each mark is dimmed exactly when its event's row is hidden
    state = page.evaluate(
        """() => [...document.querySelectorAll('.md-content table tbody tr')].filter(tr => tr.cells.length >= 5)
          .map(tr => [new URL(tr.cells[1].querySelector('a').href).pathname, tr.hidden])"""
    )
    hidden = {path for path, off in state if off}
    assert hidden and len(hidden) < len(state)
    for mark in marks.all():
        where = mark.evaluate("a => new URL(a.getAttribute('href'), location.href).pathname")
        assert ("wiki-tl-off" in (mark.get_attribute("class") or "")) == (where in hidden), where
    page.locator(".wiki-filter-form select[name=type]").select_option("")
    assert page.locator("svg.wiki-tl a.wiki-tl-off").count() == 0


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_filter_form_appears_without_moving_the_page(
    new_page: Callable[..., tuple[Page, Recorder]], server: Server, size: str
) -> None:
    """The placeholder keeps the form's room from the first paint (no layout shift when the script runs)."""
    where = "document.querySelector('.wiki-timeline').getBoundingClientRect().top + window.scrollY"
    before = _open(new_page, server.url + "chronology/", size)
    before.route("**/assets/wiki.js", lambda route: route.abort())
    before.reload(wait_until="load")
    assert before.locator(".wiki-filter-form select").count() == 0  # the script did not run
    after = _open(new_page, server.url + "chronology/", size)
    assert after.locator(".wiki-filter-form select").count() == 6
    assert abs(before.evaluate(where) - after.evaluate(where)) <= 1


def test_period_filter_works_without_javascript(new_page: Callable[..., tuple[Page, Recorder]], server: Server) -> None:
    page = _open(new_page, server.url + "map/", "desktop", java_script_enabled=False)
    assert page.locator("#map-all svg.wiki-map").is_visible()
    periods = page.locator("details.wiki-map-period")
    assert periods.count() >= 1
    periods.first.locator("summary").click()
    assert periods.first.locator("svg.wiki-map").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["map/", "chronology/"])
def test_axe_clean_on_a_phone(
    new_page: Callable[..., tuple[Page, Recorder]], server: Server, axe_source: str, path: str, scheme: str
) -> None:
    page = _open(new_page, server.url + path, "phone", color_scheme=scheme)
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"/{path} on a phone in {scheme} mode:\n" + describe(serious)

"""Phone and desktop: one page of every kind at 390×844 and 1366×900, in light and dark mode.

Each page is checked for what a reader on a phone meets first: the page never scrolls
sideways, no table is cut by its container, no SVG text is drawn under 11 px at 1:1, the
lineage drawing's labels do not overlap, and axe-core finds nothing against WCAG 2.2 AA
(tags wcag2a, wcag2aa, wcag21aa, wcag22aa: tap targets of 24 × 24 px among them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Server
from tests.browser.test_accessibility import SCHEMES, describe

#: one page of each kind
PAGES = [
    "",
    "groups/northern-front/",
    "people/jane-doe/",
    "places/riverton/",
    "events/riverton-market-attack/",
    "sources/alpha-gazette/",
    "years/2020/",
    "chronology/",
    "groups/",
    "events/",
    "contested/",
    "relations/",
    "statistics/",
    "map/",
    "about/",
]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
WCAG = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]

#: What the layout checks measure, in the page (plain DOM, no library).
MEASURE = """() => {
  const root = document.documentElement;
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const result = {pageWidth: root.scrollWidth, viewWidth: root.clientWidth, cutTables: [], smallText: [], overlaps: []};
  for (const table of document.querySelectorAll('.md-content table')) {
    if (!visible(table)) continue;
    const box = table.closest('.md-typeset__scrollwrap') || table.parentElement;
    const width = table.getBoundingClientRect().width, room = box.getBoundingClientRect().width;
    if (width > room + 1) result.cutTables.push(`${(table.tHead || table).innerText.slice(0, 60)}: ${width|0} > ${room|0}`);
  }
  // The map's labels are checked by the map's own test (its renderer is drawn separately).
  for (const text of document.querySelectorAll('.md-content svg text')) {
    if (!visible(text) || text.closest('.wiki-map-figure, .wiki-map')) continue;
    const matrix = text.getScreenCTM();
    const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (size < 10.99) result.smallText.push(`${size.toFixed(1)} px: ${text.textContent.slice(0, 30)}`);
  }
  for (const svg of document.querySelectorAll('.wiki-lineage svg.wiki-lineage-plot, .wiki-lineage svg.wiki-lineage-names')) {
    const boxes = [...svg.querySelectorAll('text')].filter(visible).map((t) => [t.textContent, t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) {
          result.overlaps.push(`${a} / ${b}`);
        }
      }
    }
  }
  // Beside a floated infobox: text flows (no empty column down its length), but no table or
  // drawing is squeezed or cut beside it.
  const infobox = document.querySelector('.md-content .wiki-infobox');
  result.emptyColumn = null; result.besideInfobox = [];
  if (infobox && getComputedStyle(infobox).float === 'right') {
    const box = infobox.getBoundingClientRect();
    const next = infobox.nextElementSibling, after = next && next.nextElementSibling;
    const opensWithBlock = after && after.matches('table, figure, div');
    if (next && next.tagName === 'H2' && !opensWithBlock && next.getBoundingClientRect().top >= box.bottom - 1) {
      result.emptyColumn = `"${next.textContent.trim()}" starts below the infobox`;
    }
    for (const el of document.querySelectorAll('.md-content table, .md-content figure, .md-content svg')) {
      if (infobox.contains(el) || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.top < box.bottom - 1 && box.top < r.bottom - 1) result.besideInfobox.push(el.tagName + ' ' + (el.className.baseVal ?? el.className));
    }
  }
  return result;
}"""


@pytest.fixture(scope="module")
def checked(chromium: Browser, server: Server, axe_source: str) -> Iterator[Callable[[str, str], dict[str, Any]]]:
    """(path, viewport) → the layout measures and axe's violations in each scheme; each page loaded once."""
    results: dict[tuple[str, str], dict[str, Any]] = {}
    contexts = {
        name: chromium.new_context(viewport=size, color_scheme="light", has_touch=name == "phone")
        for name, size in VIEWPORTS.items()
    }

    def run(path: str, viewport: str) -> dict[str, Any]:
        if path and not (server.root / path / "index.html").is_file():
            pytest.skip(f"the site has no /{path} page")
        if (path, viewport) not in results:
            page = contexts[viewport].new_page()
            page.goto(server.url + path, wait_until="load")
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            found: dict[str, Any] = page.evaluate(MEASURE)
            page.add_script_tag(content=axe_source)
            for scheme, value in SCHEMES.items():
                page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{value}')")
                options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
                found[scheme] = page.evaluate("async (o) => (await axe.run(document, o)).violations", options)
            page.close()
            results[(path, viewport)] = found
        return results[(path, viewport)]

    yield run
    for context in contexts.values():
        context.close()


CASES = [pytest.param(path, viewport, id=f"{path or 'home'}-{viewport}") for path in PAGES for viewport in VIEWPORTS]


@pytest.mark.parametrize(("path", "viewport"), CASES)
def test_no_sideways_scroll_and_no_cut_table(
    checked: Callable[[str, str], dict[str, Any]], path: str, viewport: str
) -> None:
    found = checked(path, viewport)
    assert found["pageWidth"] <= found["viewWidth"], f"/{path} scrolls sideways at {viewport} width"
    assert not found["cutTables"], found["cutTables"]
    assert found["emptyColumn"] is None, f"/{path}: {found['emptyColumn']}"
    assert not found["besideInfobox"], f"/{path}: squeezed beside the infobox: {found['besideInfobox']}"


@pytest.mark.parametrize(("path", "viewport"), CASES)
def test_svg_text_is_11_px_or_more_and_lineage_labels_do_not_overlap(
    checked: Callable[[str, str], dict[str, Any]], path: str, viewport: str
) -> None:
    found = checked(path, viewport)
    assert not found["smallText"], found["smallText"][:10]
    assert not found["overlaps"], found["overlaps"][:10]


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize(("path", "viewport"), CASES)
def test_wcag_22_aa(checked: Callable[[str, str], dict[str, Any]], path: str, viewport: str, scheme: str) -> None:
    violations = checked(path, viewport)[scheme]
    assert not violations, f"/{path} at {viewport} width in {scheme} mode:\n" + describe(violations)


def test_the_lineage_scrolls_in_its_own_box_with_names_in_view(chromium: Browser, server: Server) -> None:
    context = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(server.url + "relations/", wait_until="load")
    box = page.locator(".wiki-lineage-scroll")
    box.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
    names = page.locator(".wiki-lineage-names").bounding_box()
    frame = box.bounding_box()
    assert names is not None and frame is not None
    assert abs(names["x"] - frame["x"]) <= 2  # the names stay at the left edge
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()


def test_a_tap_on_a_footnote_marker_shows_its_quote_in_place(chromium: Browser, server: Server) -> None:
    context = chromium.new_context(viewport=VIEWPORTS["phone"], has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server.url + "events/riverton-market-attack/", wait_until="load")
    marker = page.locator("a.footnote-ref").first
    marker.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    marker.tap()
    tip = page.locator(".md-tooltip2--active")
    tip.wait_for(state="visible")
    assert "attacked the market of Riverton" in tip.inner_text()
    assert page.evaluate("window.scrollY") == before  # no jump to the end of the page
    assert "#fn:" not in page.url
    marker.tap()  # a second tap follows the link
    page.wait_for_function("location.hash.startsWith('#fn:')")
    context.close()

"""Searching the real wiki by any name: an alias or acronym finds the entity's own page first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Recorder, Server, first_search_hit, serve
from tests.conftest import REAL_DATA, ROOT, build_site

ARCHIVE = ROOT.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = tmp_path_factory.mktemp("real-site")
    archive = ARCHIVE if ARCHIVE.is_dir() else Path("/nonexistent")
    build_site(site, data_dir=REAL_DATA, archive=archive)
    with serve(site) as running:
        yield running


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        ("GSPC", ["groups/gspc/"]),
        ("SGPC", ["groups/gspc/"]),
        ("Mujao", ["groups/mujao/"]),
        ("Mourabitoun", ["groups/al-mourabitoun/"]),
        ("Toure", ["people/amadou-toumani-toure/", "people/harouna-toure/"]),
        ("JNIM", ["groups/jnim/"]),
        ("Belmokhtar", ["people/mokhtar-belmokhtar/"]),
        ("AQIM", ["groups/aqim/"]),
        ("Ansar Dine", ["groups/ansar-dine/"]),
    ],
)
def test_alias_finds_the_entity_first(
    real_server: Server, new_page: Callable[..., tuple[Page, Recorder]], query: str, pages: list[str]
) -> None:
    page, seen = new_page()
    href = first_search_hit(page, real_server.url, query).get_attribute("href") or ""
    assert any(re.match(rf"^{re.escape(real_server.url)}{re.escape(p)}(\?|#|$)", href) for p in pages), (
        f"first hit for {query!r}: {href!r}"
    )
    assert not seen.page_errors, seen.page_errors


def test_a_short_word_does_not_widen_a_query(
    real_server: Server, new_page: Callable[..., tuple[Page, Recorder]]
) -> None:
    """Every word of a query must match: "in Gao" finds fewer pages than "Gao" alone, never
    every page that has an "in" (as "In Amenas" did with Material's search)."""
    page, _ = new_page()
    page.goto(real_server.url, wait_until="load")
    counts = page.evaluate(
        """async () => {
            const pf = await import(new URL("pagefind/pagefind.js", location.href).href);
            const out = {};
            for (const q of ["in", "gao", "in gao"]) { out[q] = (await pf.search(q)).results.length; }
            return out;
        }"""
    )
    assert 0 < counts["in gao"] <= counts["gao"] < counts["in"], counts

"""Every fact, event row, relation and contested value has an address made from its data,
and a "Cite this" box; the addresses survive rebuilds and edits elsewhere in the data."""

from __future__ import annotations

import html
import re
from typing import Any

import bibtexparser

from macros.index import Index
from macros.render import SiteInfo, render_page
from macros.render.anchors import contested_value_anchor, event_anchor, fact_anchor, relation_anchor, slug
from tests.conftest import make_event, make_group, make_index, make_relation

SITE = SiteInfo(name="Sahel Conflict Wiki", url="https://wiki.example.org/")
CITE = [{"source": "src", "quote": "a quote"}]
IDS = re.compile(r'id="([^"]+)"')


def fact(topic: str, value: str | None, text: str, quote: str = "a quote", **extra: Any) -> dict[str, Any]:
    return {"topic": topic, "value": value, "text": text, "citations": [{"source": "src", "quote": quote}], **extra}


FACTS = [
    fact("founded", "2012", "Founded in 2012."),
    fact("founded", "2013", "Founded in 2013, say others.", quote="another quote"),
    fact("strength", "500", "About 500 fighters.", as_of="2015"),
]


def _index(facts: list[dict[str, Any]], *more: Any) -> Index:
    group = make_group(id="grp", name="A group", facts=facts)
    other = make_group(id="grp2", name="Other group")
    relation = make_relation(id="grp-allied-with-grp2")
    event = make_event(id="evt", actors=[{"group": "grp", "role": "perpetrator"}])
    return make_index(group, other, relation, event, *more)


def _anchors(page: str) -> list[str]:
    return IDS.findall(page)


def test_every_fact_row_relation_and_contested_value_has_an_address() -> None:
    index = _index(FACTS)
    page = render_page(index, "group", "grp", SITE)
    ids = _anchors(page)
    group = index.get("grp")
    for f in group.facts:  # type: ignore[union-attr]
        assert fact_anchor(f) in ids
        assert f'href="#{fact_anchor(f)}"' in page
    assert relation_anchor("grp-allied-with-grp2") in ids
    assert event_anchor("evt") in ids
    for value in ("2012", "2013"):
        assert contested_value_anchor("founded", "", value) in ids
    assert len(ids) == len(set(ids)), "an id appears twice on the page"


def test_addresses_survive_unrelated_edits() -> None:
    before = _index(FACTS)
    edited_facts = [
        fact("area", None, "Active in the north."),  # a new fact, first
        FACTS[2],
        {**FACTS[1], "note": "A note added later."},  # its note edited: the address stays
        FACTS[0],
    ]
    later_event = make_event(id="evt0", date="2001", actors=[{"group": "grp", "role": "target"}])
    after = _index(edited_facts, later_event)
    old_ids = set(_anchors(render_page(before, "group", "grp", SITE)))
    new_ids = set(_anchors(render_page(after, "group", "grp", SITE)))
    assert old_ids <= new_ids, old_ids - new_ids
    assert render_page(before, "group", "grp", SITE) == render_page(_index(FACTS), "group", "grp", SITE)


def test_identical_facts_get_distinct_addresses() -> None:
    page = render_page(_index([FACTS[0], FACTS[0], FACTS[1]]), "group", "grp", SITE)
    ids = _anchors(page)
    assert len(ids) == len(set(ids))
    assert fact_anchor(make_group(facts=[FACTS[0]]).facts[0]) + "-2" in ids


def test_cite_this_fact_gives_the_page_at_the_anchor_and_the_source_with_its_quote() -> None:
    index = _index(FACTS)
    page = re.sub(r"\\(.)", r"\1", render_page(index, "group", "grp", SITE))  # Markdown escapes undone
    anchor = fact_anchor(index.get("grp").facts[2])  # type: ignore[union-attr]
    box = next(b for b in re.findall(r"<details class=\"wiki-cite\"[^>]*>.*?</details>", page) if anchor in b)
    assert "<summary>Cite this fact</summary>" in box
    assert f"https://wiki.example.org/groups/grp/#{anchor}" in box
    assert "“a quote”" in box and "A source" in box
    bib = re.search(r'<code class="wiki-cite-bib">(.*?)</code>', box)
    assert bib
    text = html.unescape(bib[1])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [f"sahel-wiki-grp-{anchor}", "src"]
    assert library.entries[0]["url"] == f"https://wiki.example.org/groups/grp/#{anchor}"


def test_slug_keeps_letters_and_digits() -> None:
    assert slug("12,000 fighters") == "12-000-fighters"
    assert slug("Tombouctou (Timbuktu)") == "tombouctou-timbuktu"
    assert slug("«»") == "x"


def test_chronology_and_year_rows_have_the_event_address(fixture_index: Index) -> None:
    for kind, key in (("chronology", "all"), ("year", "2020")):
        page = render_page(fixture_index, kind, key, SITE)
        ids = _anchors(page)
        for event in fixture_index.events_by_year[2020]:
            assert event_anchor(event.id) in ids, (kind, event.id)
        assert len(ids) == len(set(ids)), kind

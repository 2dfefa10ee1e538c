"""Renderers are pure: records in, Markdown out. No MkDocs here."""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest

from macros.index import Index
from macros.pages import plan
from macros.render import render_page
from macros.render.cite import Footnotes
from macros.render.links import link_to
from macros.render.text import esc
from tests.conftest import CITE, make_event, make_group, make_index, make_person, make_place, make_relation

GOLDEN = Path(__file__).parent / "golden"
EXTENSIONS = ["tables", "footnotes", "attr_list", "md_in_html", "def_list", "admonition", "toc"]


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![x](http://evil.example/x.png)",
        "*emphasis* and __strong__",
        "a | b | c",
        "<!-- comment -->",
        "# heading",
        "1. not a list",
        "[^1] footnote",
        "{ #id .class }",
        "`code`",
        "line one\nline two\n\n- item",
        "&lt;already escaped&gt;",
        "back\\slash",
    ],
)
def test_escaped_text_renders_as_the_same_text(hostile: str) -> None:
    html = to_html(esc(hostile))
    plain = " ".join(hostile.split())
    import html as htmllib

    # the reader sees exactly the original characters, in one paragraph, and nothing else
    assert html.startswith("<p>") and html.endswith("</p>")
    assert htmllib.unescape(html[3:-4]) == plain
    for tag in ("<script", "<img", "<a ", "<em>", "<strong>", "<code>", "<h1", "<li", "<!--", "<sup"):
        assert tag not in html


def test_link_to_uses_the_one_url_scheme() -> None:
    index = make_index(make_group(id="aqim", name="Al Qaeda [in] the Maghreb", short_name="AQIM"))
    assert link_to(index, "aqim") == "[Al Qaeda \\[in\\] the Maghreb \\(AQIM\\)](/groups/aqim.md)"
    assert link_to(index, "aqim", "x", anchor="relations") == "[x](/groups/aqim.md#relations)"
    assert index.href("src") == "/sources/src.md"


def test_relations_link_to_their_subject_page() -> None:
    index = make_index(make_group(id="grp"), make_group(id="grp2"), make_relation())
    assert index.href("rel") == "/groups/grp.md#relations"
    assert index.display_name("rel") == "A group allied with A group"


@pytest.mark.parametrize(
    ("from_uri", "rid", "url"),
    [
        ("groups/grp.md", "town", "../../places/town/"),
        ("index.md", "town", "places/town/"),
        ("groups/index.md", "grp", "grp/"),
        ("places/town.md", "town", "./"),
    ],
)
def test_url_from_for_raw_html(from_uri: str, rid: str, url: str) -> None:
    index = make_index(make_group(id="grp"), make_place(id="town"))
    assert index.url_from(from_uri, rid) == url


def test_footnotes_number_in_order_and_share_repeats(fixture_index: Index) -> None:
    cite = Footnotes(fixture_index)
    event = fixture_index.get("riverton-market-attack")
    first = cite(event.citations)  # type: ignore[union-attr]
    again = cite(event.citations[:1])  # type: ignore[union-attr]
    assert (first, again, len(cite)) == ("[^1][^2]", "[^1]", 2)
    definitions = cite.definitions().splitlines()
    assert definitions[0].startswith("[^1]: “attacked the market of Riverton")
    assert "[Front attacks Riverton market](/sources/alpha-gazette.md)" in definitions[0]
    assert "3 March 2020, paragraph 2." in definitions[0]
    assert "[Original](https://alpha.example.org/riverton)" in definitions[0]


def test_dates_show_their_precision_on_pages() -> None:
    index = make_index(
        make_event(date="2012-08"), make_event(id="e2", date="2010~"), make_event(id="e3", date="2012-08/2012-09")
    )
    chronology = render_page(index, "chronology", "all")
    assert '">August 2012</span> |' in chronology
    assert '">c\\. 2010</span> |' in chronology
    assert '">August–September 2012</span> |' in chronology
    visible = re.sub(r"<[^>]+>", "", to_html(chronology))  # the sort keys in attributes are not shown
    assert "2012-08-01" not in visible and "August 2012" in visible


def test_ambiguous_casualties_show_as_range() -> None:
    event = make_event(
        casualties=[{"category": "police", "killed": {"min": 2, "max": 3}, "note": "source: 'two three'"}]
    )
    page = render_page(make_index(event), "event", "evt")
    assert "2–3 police (source: 'two three')" in page


def test_attribution_is_shown_as_claimed_suspected_attributed() -> None:
    group = make_group(id="grp")
    roles = ["claimed", "suspected", "attributed"]
    events = [make_event(id=f"e-{r}", actors=[{"group": "grp", "role": r}]) for r in roles]
    page = render_page(make_index(group, *events), "group", "grp")
    for text in ("claimed responsibility", "suspected perpetrator", "attributed perpetrator"):
        assert text in page


def test_contested_facts_say_when_they_held() -> None:
    facts = [
        {"topic": "strength", "value": value, "as_of": "2023", "text": f"{value} troops.", "citations": CITE}
        for value in ("12,000", "15,000")
    ]
    page = to_html(render_page(make_index(make_group(facts=facts)), "group", "grp"))
    assert '<p class="admonition-title">Contested: Strength as of 2023</p>' in page


def test_unnamed_person_is_marked() -> None:
    page = to_html(render_page(make_index(make_person(unnamed=True, name="Leader of a coup")), "person", "someone"))
    assert '<p class="admonition-title">Unnamed person</p>' in page
    assert '<p class="wiki-infobox-title">Person (unnamed)</p>' in page


def test_backlinks_list_records_that_mention_an_entity() -> None:
    mali = make_place(id="mali", name="Mali", kind="country")
    gao = make_place(id="gao", name="Gao", within="mali")
    group = make_group(
        facts=[
            {
                "topic": "area",
                "text": "Active in Mali.",
                "about": ["mali"],
                "citations": [{"source": "src", "quote": "q"}],
            }
        ]
    )
    page = render_page(make_index(mali, gao, group), "place", "mali")
    assert "## Mentioned in" in page
    assert "[A group](/groups/grp.md) (group)" in page
    assert "[Gao](/places/gao.md) (place)" in page


# -- golden pages: whole pages of the fixture knowledge base -------------------


def golden_cases() -> list[tuple[str, str]]:
    return [
        ("group", "northern-front"),
        ("person", "jane-doe"),
        ("place", "riverton"),
        ("event", "riverton-market-attack"),
        ("source", "alpha-gazette"),
        ("year", "2020"),
        ("chronology", "all"),
        ("index", "group"),
        ("contested", "all"),
        ("relations", "all"),
    ]


@pytest.mark.parametrize(("kind", "key"), golden_cases())
def test_golden_pages(fixture_index: Index, kind: str, key: str) -> None:
    """Whole-page snapshots. After an intended change: UPDATE_GOLDEN=1 pytest tests/test_render.py."""
    rendered = render_page(fixture_index, kind, key)
    path = GOLDEN / f"{kind}-{key}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_every_planned_page_renders(fixture_index: Index) -> None:
    specs = list(plan(fixture_index))
    assert len({s.uri for s in specs}) == len(specs)
    for spec in specs:
        assert render_page(fixture_index, spec.kind, spec.key).startswith("# ")


def test_capped_lists_cite_only_what_they_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """Footnotes must all be referenced (MkDocs --strict fails on an unused one), also when the
    infobox and the relations table list only the first relations of a busy group."""
    import re

    from macros.render import common

    monkeypatch.setattr(common, "RELATIONS_LIMIT", 5)
    groups = [make_group(id=f"g{i}", name=f"G{i}") for i in range(20)]
    relations = [
        make_relation(id=f"r{i}", subject="g0", object=f"g{i}", citations=[{"source": "src", "quote": f"q{i}"}])
        for i in range(1, 20)
    ]
    page = render_page(make_index(*groups, *relations), "group", "g0")
    defined = set(re.findall(r"^\[\^(\d+)\]:", page, re.MULTILINE))
    used = set(re.findall(r"\[\^(\d+)\](?!:)", page))
    assert defined and defined == used
    assert "and [7 more](#relations)" in page  # infobox: 12 of 19
    assert "14 more relations are not listed here" in page  # table: 5 of 19


def test_generated_page_sources_opt_out_of_jinja(fixture_index: Index) -> None:
    """The hook hands MkDocs finished Markdown with ``render_macros: false``, which mkdocs-macros
    honours even under ``render_by_default: true``: data text is never run as a template."""
    from mkdocs.utils.meta import get_data

    from macros.hook import page_source
    from macros.render import SiteInfo
    from macros.search import LISTING_KINDS

    for spec in plan(fixture_index):
        body, meta = get_data(page_source(fixture_index, spec, SiteInfo()))
        listing = {"wiki_listing": True} if spec.kind in LISTING_KINDS else {}
        assert meta == {"render_macros": False, "wiki_generated": True} | listing
        assert body == render_page(fixture_index, spec.kind, spec.key, SiteInfo())

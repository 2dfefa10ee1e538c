"""Relation graphs: well-formed SVG, links via url_from, layout rules, tables, escaping, determinism."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
import pytest

from macros.index import Index
from macros.render import graph as graph_module
from macros.render.graph import group_graph, when_text, whole_graph
from tests.conftest import make_group, make_index, make_person, make_relation

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _fresh_drawings() -> None:
    """Each test draws its graphs itself, not from an earlier test's cache."""
    graph_module._drawing.cache_clear()


EXTENSIONS = ["toc", "tables", "footnotes", "attr_list", "md_in_html", "def_list", "admonition"]


# -- helpers ------------------------------------------------------------------


def parse(markdown_text: str) -> ET.Element:
    found = re.findall(r"<svg\b.*?</svg>", markdown_text, flags=re.DOTALL)
    assert len(found) == 1
    return ET.fromstring(found[0])


def table_rows(markdown_text: str) -> list[list[str]]:
    lines = [line for line in markdown_text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def node_boxes(svg: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    """Node name (its tooltip) → (x, y, width, height) of its box."""
    boxes = {}
    for parent in svg.iter():
        rect = parent.find(f"{SVG}rect")
        title = parent.find(f"{SVG}title")
        if rect is not None and title is not None and "wiki-node" in (rect.get("class") or ""):
            boxes[title.text or ""] = tuple(float(rect.get(k) or 0) for k in ("x", "y", "width", "height"))
    return boxes  # type: ignore[return-value]


def links(svg: ET.Element) -> dict[str, str]:
    """Node name → href of the node links."""
    return {a.findtext(f"{SVG}title") or "": a.get("href") or "" for a in svg.iter(f"{SVG}a")}


def group(gid: str, name: str | None = None, **fields: Any) -> Any:
    return make_group(id=gid, name=name or gid.upper(), **fields)


def rel(rid: str, kind: str, subject: str, obj: str, **fields: Any) -> Any:
    return make_relation(id=rid, type=kind, subject=subject, object=obj, **fields)


def family() -> Index:
    """old → mid (mid split from old) → new (mid merged into new); ally of mid; a leader; unrelated pair."""
    return make_index(
        group("old", "Old Movement"),
        group("mid", "Middle Front", short_name="MF"),
        group("new", "New Coalition"),
        group("ally", "Allied Band"),
        group("far", "Far Ancestor"),
        group("side", "Side Branch"),
        group("x"),
        group("y"),
        make_person(id="boss", name="The Boss"),
        rel("r1", "split-from", "mid", "old", start="2012"),
        rel("r2", "merged-into", "mid", "new", start="2017-03-02"),
        rel("r3", "allied-with", "mid", "ally", start="2013", end="2015"),
        rel("r4", "leader-of", "boss", "mid"),
        rel("r5", "successor-of", "old", "far", start="2005"),
        rel("r6", "split-from", "side", "old", start="2010"),  # leads back from old, not further away
        rel("r7", "rival-of", "old", "x"),  # not a lineage relation: not followed
        rel("r8", "allied-with", "x", "y"),
    )


def check_svg(svg: ET.Element) -> None:
    assert svg.tag == f"{SVG}svg"
    ids = (svg.get("aria-labelledby") or "").split()
    assert [svg.findtext(f"{SVG}title") is not None, svg.findtext(f"{SVG}desc") is not None] == [True, True]
    assert [e.get("id") for e in (svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")) if e is not None] == ids
    assert svg.get("width") == "100%" and (svg.get("viewBox") or "").startswith("0 0 ")
    assert not re.search(r'(fill|stroke)="#', ET.tostring(svg, encoding="unicode"))


def no_overlaps(boxes: dict[str, tuple[float, float, float, float]]) -> None:
    items = list(boxes.items())
    for i, (a, (ax, ay, aw, ah)) in enumerate(items):
        for b, (bx, by, bw, bh) in items[i + 1 :]:
            assert not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah), (a, b)


# -- the neighbourhood graph ----------------------------------------------------


def test_group_graph_is_well_formed_and_links_with_url_from() -> None:
    index = family()
    out = group_graph(index, "mid", "groups/mid.md")
    svg = parse(out)
    check_svg(svg)
    hrefs = links(svg)
    assert hrefs == {
        "Old Movement": index.url_from("groups/mid.md", "old"),
        "New Coalition": index.url_from("groups/mid.md", "new"),
        "Allied Band": index.url_from("groups/mid.md", "ally"),
        "The Boss": index.url_from("groups/mid.md", "boss"),
        "Far Ancestor": index.url_from("groups/mid.md", "far"),
    }
    assert hrefs["Old Movement"] == "../old/" and hrefs["The Boss"] == "../../people/boss/"
    # the group itself is shown, highlighted, but not linked
    assert "Middle Front (MF)" in node_boxes(svg) and "Middle Front (MF)" not in hrefs
    assert 'class="wiki-node wiki-node-group wiki-node-self"' in out
    assert 'class="wiki-node wiki-node-person"' in out


def test_group_graph_follows_lineage_one_hop_further_away_only() -> None:
    names = set(node_boxes(parse(group_graph(family(), "mid", "groups/mid.md"))))
    assert "Far Ancestor" in names  # old succeeded far: further back from mid
    assert "Side Branch" not in names  # side split from old: back towards mid's own time
    assert "X" not in names  # a rivalry of old: not lineage
    without = set(node_boxes(parse(group_graph(family(), "mid", "groups/mid.md", extra_hop=False))))
    assert without == names - {"Far Ancestor"}


def test_group_graph_lays_lineage_out_left_to_right_in_time() -> None:
    boxes = node_boxes(parse(group_graph(family(), "mid", "groups/mid.md")))
    x = {name: box[0] for name, box in boxes.items()}
    assert x["Far Ancestor"] < x["Old Movement"] < x["Middle Front (MF)"] < x["New Coalition"]
    assert x["Middle Front (MF)"] < x["Allied Band"]  # other relations: subject left of object
    assert x["The Boss"] < x["Middle Front (MF)"]
    no_overlaps(boxes)


def test_group_graph_edges_have_arrows_and_dated_labels() -> None:
    out = group_graph(family(), "mid", "groups/mid.md")
    svg = parse(out)
    edges = [p for p in svg.iter(f"{SVG}path") if "wiki-edge" in (p.get("class") or "")]
    assert len(edges) == 5
    assert all(p.get("marker-end") or p.get("marker-start") for p in edges)
    # split from points back (right to left) at the older group: the arrow is at the path's start
    split = next(p for p in edges if "wiki-rel-split-from" in (p.get("class") or ""))
    assert split.get("marker-start") and not split.get("marker-end")
    merged = next(p for p in edges if "wiki-rel-merged-into" in (p.get("class") or ""))
    assert merged.get("marker-end") and not merged.get("marker-start")
    label_group = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "wiki-edge-labels")
    labels = " ".join(span.text or "" for span in label_group.iter(f"{SVG}tspan"))
    for text in [
        "split from, 2012",
        "merged into, 2 March 2017",
        "allied with, 2013–2015",
        "leader of",
        "successor of, 2005",
    ]:
        assert text in labels, text


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ""),
        ({"start": "2012"}, "2012"),
        ({"start": "2012-08"}, "August 2012"),
        ({"start": "2013", "end": "2015"}, "2013–2015"),
        ({"end": "2021"}, "until 2021"),
        ({"start": "2010~"}, "c. 2010"),
    ],
)
def test_when_text(fields: dict[str, str], expected: str) -> None:
    assert when_text(rel("r", "allied-with", "a", "b", **fields)) == expected


def test_group_graph_table_matches_the_relations() -> None:
    out = group_graph(family(), "mid", "groups/mid.md", extra_hop=False)
    assert "| From | Relation | To | When |" in out
    assert table_rows(out) == [
        ["[The Boss](/people/boss.md)", "Leader of", "[Middle Front \\(MF\\)](/groups/mid.md)", "—"],
        ["[Middle Front \\(MF\\)](/groups/mid.md)", "Split from", "[Old Movement](/groups/old.md)", "from 2012"],
        ["[Middle Front \\(MF\\)](/groups/mid.md)", "Allied with", "[Allied Band](/groups/ally.md)", "2013–2015"],
        [
            "[Middle Front \\(MF\\)](/groups/mid.md)",
            "Merged into",
            "[New Coalition](/groups/new.md)",
            "from 2 March 2017",
        ],
    ]


def test_the_table_can_be_left_out() -> None:
    out = group_graph(family(), "mid", "groups/mid.md", with_table=False)
    assert out.endswith("</svg>\n</div>") and "| From |" not in out
    assert whole_graph(family(), "x.md", with_table=False).endswith("</div>")


def test_group_graph_is_empty_without_relations() -> None:
    assert group_graph(family(), "ally", "groups/ally.md") != ""
    assert group_graph(make_index(group("lonely")), "lonely", "groups/lonely.md") == ""


def busy(neighbours: int, each: int = 1) -> Index:
    """Group g000 with ``each`` relations to each of g001..gNNN; the k-th relation of the
    i-th neighbour starts in year 1000 + k * neighbours + i (so by date: round by round)."""
    groups = [group(f"g{i:03d}", f"Group {i}") for i in range(neighbours + 1)]
    relations = [
        rel(f"r{i:03d}-{k:02d}", "allied-with", "g000", f"g{i:03d}", start=str(1000 + k * neighbours + i))
        for i in range(1, neighbours + 1)
        for k in range(each)
    ]
    return make_index(*groups, *relations)


def test_a_busy_groups_graph_draws_its_first_relations_only() -> None:
    """At most MAX_NEIGHBOURHOOD nodes: the group and those it was first related to, by date."""
    out = group_graph(busy(50), "g000", "groups/g000.md")
    drawn = set(node_boxes(parse(out)))
    assert drawn == {f"Group {i}" for i in range(graph_module.MAX_NEIGHBOURHOOD)}
    assert len(table_rows(out)) == graph_module.MAX_NEIGHBOURHOOD - 1  # the table lists what is drawn
    note = "Only the first 29 of its 50 relations, by date, are drawn; every relation is in the relations download."
    assert markdown.markdown(out, extensions=EXTENSIONS).endswith(f"<p>{note}</p>")  # seen by everyone
    assert (parse(out).findtext(f"{SVG}desc") or "").endswith(note)  # and heard with the diagram
    assert "Only the first" not in group_graph(family(), "mid", "groups/mid.md")


def test_a_busy_groups_graph_draws_at_most_max_drawn_relations() -> None:
    out = group_graph(busy(3, each=30), "g000", "groups/g000.md")  # 90 relations with 3 others
    assert len(table_rows(out)) == graph_module.MAX_DRAWN == 60
    assert "Only the first 60 of its 90 relations" in out


def test_a_group_page_does_not_grow_with_its_relations_past_the_limits() -> None:
    """The graph, the infobox and the relations table are all capped (at 10,000 synthetic
    events a group with 518 relations had a 420 KB page); and whatever the graph draws of
    the group's own relations, its page's table lists too."""
    from macros.render import common, render_page

    assert graph_module.MAX_DRAWN <= common.RELATIONS_LIMIT
    sizes = [len(render_page(busy(n), "group", "g000")) for n in (150, 400)]
    assert sizes[1] - sizes[0] < 100, sizes  # only the counts of what is left out differ


def test_parallel_relations_share_one_edge() -> None:
    index = make_index(
        group("g"),
        make_person(id="p", name="P"),
        rel("a", "founder-of", "p", "g", start="2012"),
        rel("b", "leader-of", "p", "g"),
    )
    svg = parse(group_graph(index, "g", "groups/g.md"))
    edges = [p for p in svg.iter(f"{SVG}path") if "wiki-edge" in (p.get("class") or "")]
    assert len(edges) == 1
    classes = (edges[0].get("class") or "").split()
    assert "wiki-rel-founder-of" in classes and "wiki-rel-leader-of" in classes


def test_cycles_and_same_layer_edges_still_render() -> None:
    index = make_index(
        group("a"),
        group("b"),
        group("c"),
        rel("r1", "split-from", "a", "b"),
        rel("r2", "split-from", "b", "a"),  # contradictory data
        rel("r3", "successor-of", "c", "b"),
        rel("r4", "allied-with", "c", "a"),
    )
    for out in (group_graph(index, "a", "groups/a.md"), whole_graph(index, "relations.md")):
        svg = parse(out)
        check_svg(svg)
        no_overlaps(node_boxes(svg))


# -- the whole network -----------------------------------------------------------


def test_whole_graph_shows_groups_only_and_prefers_acronyms() -> None:
    index = family()
    out = whole_graph(index, "relations.md")
    svg = parse(out)
    check_svg(svg)
    hrefs = links(svg)
    assert "The Boss" not in hrefs  # people's relations are on the group pages
    assert hrefs["Middle Front (MF)"] == index.url_from("relations.md", "mid") == "../groups/mid/"
    assert "MF" in [t.text for t in svg.iter(f"{SVG}tspan")]
    assert len(table_rows(out)) == 7  # every group–group relation, none with the person
    assert all("/people/" not in cell for row in table_rows(out) for cell in row)
    no_overlaps(node_boxes(svg))


def test_whole_graph_is_empty_without_group_relations() -> None:
    index = make_index(group("g"), make_person(id="p", name="P"), rel("r", "leader-of", "p", "g"))
    assert whole_graph(index, "relations.md") == ""
    assert whole_graph(make_index(), "relations.md") == ""


def big_network(size: int = 50) -> Index:
    """A lineage tree with alliances, rivalries and affiliations across it, and long names."""
    groups = [
        group(f"g{i:02d}", f"Group number {i} of the Very Long Named Front", short_name=f"G{i}" if i % 3 else None)
        for i in range(size)
    ]
    relations = []
    for i in range(1, size):
        kind = ["split-from", "successor-of", "merged-into"][i % 3]
        relations.append(rel(f"t{i:02d}", kind, f"g{i:02d}", f"g{(i - 1) // 3:02d}", start=str(2000 + i // 3)))
        if i % 4 == 0:
            kind = ["allied-with", "rival-of", "affiliate-of"][i % 3]
            relations.append(rel(f"s{i:02d}", kind, f"g{i:02d}", f"g{(i * 7) % size:02d}"))
    return make_index(*groups, *[r for r in relations if r.subject != r.object])


def test_whole_graph_of_fifty_groups_is_readable() -> None:
    index = big_network()
    out = whole_graph(index, "relations.md")
    svg = parse(out)
    check_svg(svg)
    boxes = node_boxes(svg)
    assert len(boxes) == 50
    no_overlaps(boxes)
    names = [t.text or "" for t in svg.iter(f"{SVG}tspan") if t.text]
    assert all(len(n) <= 17 for n in names)  # wrapped and shortened
    assert len(table_rows(out)) == len(index.kb.relations)


# -- escaping, determinism, Markdown ---------------------------------------------------


def nasty() -> Index:
    return make_index(
        group("xss", "<script>alert(1)</script>"),
        group("jinja", "{{ 7*7 }}", short_name="{% x %}"),
        group("amp", "A & \"B\" 'C'"),
        rel("r1", "split-from", "xss", "jinja", start="2012"),
        rel("r2", "allied-with", "amp", "xss"),
    )


@pytest.mark.parametrize("render", [lambda i: group_graph(i, "xss", "groups/xss.md"), lambda i: whole_graph(i, "x.md")])
def test_graphs_escape_names(render: Any) -> None:
    out = render(nasty())
    svg = parse(out)
    assert "<script>" not in out and "{{" not in out and "49" not in out
    assert "{" not in out.split("</div>")[0]  # braces are character references inside the SVG
    names = set(node_boxes(svg))
    assert {"<script>alert(1)</script>", "{{ 7*7 }} ({% x %})", "A & \"B\" 'C'"} <= names
    assert "[&lt;script\\>alert\\(1\\)&lt;/script\\>](/groups/xss.md)" in out


@pytest.mark.parametrize("render", [lambda i: group_graph(i, "mid", "groups/mid.md"), lambda i: whole_graph(i, "x.md")])
def test_graphs_are_deterministic(render: Any) -> None:
    first = render(family())
    graph_module._drawing.cache_clear()  # drawn again, not taken from the cache
    assert render(family()) == first
    big = whole_graph(big_network(), "x.md")
    graph_module._drawing.cache_clear()
    assert whole_graph(big_network(), "x.md") == big


def test_an_unchanged_graph_is_not_laid_out_again() -> None:
    """As on a `mkdocs serve` reload: a new index of the same data reuses the drawing."""
    first = group_graph(family(), "mid", "groups/mid.md")
    assert group_graph(family(), "mid", "groups/mid.md") == first
    assert graph_module._drawing.cache_info().hits == 1


@pytest.mark.parametrize(
    ("change", "gone", "shown"),
    [
        ({"ally": group("ally", "Renamed Band")}, "Allied Band", "Renamed Band"),  # a neighbour's name
        ({"r3": rel("r3", "allied-with", "mid", "ally", start="2013", end="2019")}, "2013–2015", "2013–2019"),
        ({"r3": rel("r3", "rival-of", "mid", "ally", start="2013", end="2015")}, "wiki-rel-allied-with", "rival"),
        ({"boss": make_person(id="boss", name="The Chief")}, "The Boss", "The Chief"),
    ],
)
def test_a_graph_is_drawn_again_when_what_it_shows_changes(change: dict[str, Any], gone: str, shown: str) -> None:
    before = group_graph(family(), "mid", "groups/mid.md").split("</svg>")[0]
    records = [change.get(r.id, r) for r in family().by_id.values()]
    after = group_graph(make_index(*records), "mid", "groups/mid.md").split("</svg>")[0]
    assert gone in before and shown not in before
    assert shown in after and gone not in after


@pytest.mark.parametrize("render", [lambda i: group_graph(i, "xss", "groups/xss.md"), lambda i: whole_graph(i, "x.md")])
def test_graphs_render_as_raw_html_then_a_table(render: Any) -> None:
    html = markdown.markdown(render(nasty()), extensions=EXTENSIONS)
    assert html.startswith('<div class="wiki-graph">\n<svg ')
    match = re.search(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert match is not None
    ET.fromstring(match.group(0))
    assert "<table>" in html and "<script>" not in html


def test_fixture_graph(fixture_index: Index) -> None:
    out = group_graph(fixture_index, "northern-front", "groups/northern-front.md")
    svg = parse(out)
    assert links(svg) == {
        "Jane Doe": "../../people/jane-doe/",
        "Old Movement": "../old-movement/",
        "Desert Brigade": "../desert-brigade/",
    }
    assert len(table_rows(out)) == 4
    assert group_graph(fixture_index, "desert-brigade", "groups/desert-brigade.md") != ""

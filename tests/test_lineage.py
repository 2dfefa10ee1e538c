"""The lineage on a time axis: well-formed SVG, dates placed in time, links to citations and pages,
labels that never overlap (also for random relation sets), the caps, escaping and determinism."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.index import Index
from macros.model import RelationType
from macros.render import lineage, render_page
from macros.render.lineage import (
    EGO,
    MAX_DRAWN,
    MAX_NEIGHBOURHOOD,
    SMALL,
    WHOLE,
    Box,
    Life,
    Mark,
    group_lineage,
    layout,
    whole_lineage,
)
from tests.conftest import make_event, make_group, make_index, make_person, make_relation

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _fresh_drawings() -> None:
    """Each test draws for itself, not from an earlier test's cache."""
    lineage._drawing.cache_clear()
    lineage._life_dates.cache_clear()


def group(gid: str, name: str | None = None, **fields: Any) -> Any:
    return make_group(id=gid, name=name or gid.upper(), **fields)


def rel(rid: str, kind: str, subject: str, obj: str, **fields: Any) -> Any:
    return make_relation(id=rid, type=kind, subject=subject, object=obj, **fields)


def family() -> Index:
    """old → mid (mid split from old, 2012) → new (mid merged into new, 2017); an ally; a leader; far ancestor."""
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
        make_event(id="e1", date="2009-05-01", actors=[{"group": "old", "role": "perpetrator"}]),
        rel("r1", "split-from", "mid", "old", start="2012"),
        rel("r2", "merged-into", "mid", "new", start="2017-03-02"),
        rel("r3", "allied-with", "mid", "ally", start="2013", end="2015"),
        rel("r4", "leader-of", "boss", "mid"),
        rel("r5", "successor-of", "old", "far", start="2005"),
        rel("r6", "split-from", "side", "old", start="2010"),  # leads back from old, not further away
        rel("r7", "rival-of", "old", "x"),  # not a lineage relation: not followed
        rel("r8", "allied-with", "x", "y"),
    )


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(found) for found in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]


def drawing(html: str) -> tuple[ET.Element, ET.Element]:
    """(names, plot) of a figure (its legend's little SVGs left aside)."""
    found = [s for s in svgs(html) if "wiki-lineage" in (s.get("class") or "")]
    assert [s.get("class") for s in found] == ["wiki-lineage-names", "wiki-lineage-plot"]
    return found[0], found[1]


def links(svg: ET.Element) -> dict[str, str]:
    """Link title → href."""
    return {a.findtext(f"{SVG}title") or "": a.get("href") or "" for a in svg.iter(f"{SVG}a")}


def mark_x(plot: ET.Element, title_part: str) -> float:
    for a in plot.iter(f"{SVG}a"):
        if title_part in (a.findtext(f"{SVG}title") or ""):
            line = a.find(f"{SVG}line")
            assert line is not None
            return float(line.get("x1") or 0)
    raise AssertionError(f"no mark titled {title_part!r}")


def no_overlaps(boxes: list[Box]) -> None:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


# -- the group's drawing ------------------------------------------------------------


def test_group_lineage_is_well_formed_and_links_names_with_url_from() -> None:
    html = group_lineage(family(), "mid", "groups/mid.md")
    assert html.startswith('<figure class="wiki-lineage"') and "\n\n" not in html
    names, plot = drawing(html)
    assert plot.findtext(f"{SVG}title") == "Relations of Middle Front (MF) over time"
    assert (plot.get("aria-labelledby") or "").split() == [
        e.get("id") for e in (plot.find(f"{SVG}title"), plot.find(f"{SVG}desc")) if e is not None
    ]
    assert "role" not in plot.attrib and "role" not in names.attrib  # links inside stay reachable
    assert links(names) == {
        "Old Movement": "../old/",
        "New Coalition": "../new/",
        "Allied Band": "../ally/",
        "Far Ancestor": "../far/",
        "The Boss": "../../people/boss/",
    }
    current = [g for g in names.iter(f"{SVG}g") if g.get("aria-current") == "page"]
    assert [g.findtext(f"{SVG}title") for g in current] == ["Middle Front (MF)"]


def test_marks_link_to_the_table_row_that_cites_them() -> None:
    index = family()
    html = group_lineage(index, "mid", "groups/mid.md")
    _, plot = drawing(html)
    hrefs = links(plot)
    assert hrefs["Middle Front split from Old Movement (2012)"] == "#relation-r1"
    assert hrefs["The Boss leader of Middle Front (no date recorded)"] == "#relation-r4"
    # one hop further: listed on the far ancestor's neighbour's page, not on this one
    assert hrefs["Old Movement successor of Far Ancestor (2005)"] == "../old/#relation-r5"
    page = render_page(index, "group", "mid")
    for rid in ("r1", "r2", "r3", "r4"):
        assert f'id="relation-{rid}"' in page
    assert 'id="relation-r5"' in render_page(index, "group", "old")


def test_marks_stand_at_their_dates_and_undated_ones_in_the_no_date_strip() -> None:
    html = group_lineage(family(), "mid", "groups/mid.md")
    _, plot = drawing(html)
    succession, split, merger = (mark_x(plot, t) for t in ("successor of", "split from", "merged into"))
    assert succession < split < merger
    # 2012 is known to the year: its mark stands mid-year, with whiskers across the year
    years = {t.text: float(t.get("x") or 0) - 2 for t in plot.iter(f"{SVG}text") if (t.text or "").isdigit()}
    if "2012" in years and "2013" in years:
        assert years["2012"] < split < years["2013"]
    undated = mark_x(plot, "The Boss leader of")
    strip = next(r for r in plot.iter(f"{SVG}rect") if r.get("class") == "wiki-ln-undated")
    assert float(strip.get("x") or 0) < undated > merger
    assert "no date" in "".join(plot.itertext())


def test_lineage_marks_have_arrows_and_types_have_their_own_line_style() -> None:
    _, plot = drawing(group_lineage(family(), "mid", "groups/mid.md"))
    kinds = {
        (a.findtext(f"{SVG}title") or "").split(" (")[0]: {
            c for e in a if e.get("class") for c in (e.get("class") or "").split() if c.startswith("wiki-ln-")
        }
        for a in plot.iter(f"{SVG}a")
    }
    assert "wiki-ln-arrow" in kinds["Middle Front split from Old Movement"]
    assert "wiki-ln-lineage" in kinds["Middle Front merged into New Coalition"]
    assert "wiki-ln-alliance" in kinds["Middle Front allied with Allied Band"]
    assert "wiki-ln-arrow" not in kinds["Middle Front allied with Allied Band"]
    assert "wiki-ln-people" in kinds["The Boss leader of Middle Front"]


def test_lifelines_fade_where_the_wiki_does_not_know_an_end_and_hatch_a_rough_start() -> None:
    index = make_index(
        group("a", facts=[_founded("2012"), _founded("2013")]),  # sources disagree: began in 2012 or 2013
        group("b"),
        group("c"),
        make_event(id="e1", date="2015-01-01", actors=[{"group": "a", "role": "perpetrator"}]),
        rel("r1", "merged-into", "a", "b", start="2016-06-01"),  # b begins then
        rel("r2", "allied-with", "a", "c", start="2014"),  # c was there before: no start known
    )
    html = group_lineage(index, "a", "groups/a.md")
    _, plot = drawing(html)
    lives = next(g for g in plot.iter(f"{SVG}g") if g.get("class") == "wiki-ln-lives")
    fills = [e.get("fill") or "" for e in lives]
    hatch = [e for e in lives if "hatch" in (e.get("fill") or "")]
    assert len(hatch) == 1  # a's start: the two founding years
    assert float(hatch[0].get("width") or 0) > 20  # two years wide
    assert sum("-out)" in f for f in fills) == 2  # b and c go on; a ended in the merger
    assert sum("-in)" in f for f in fills) == 1  # c's start is not known; a's and b's are
    assert "hatched" in html and "faded end" in html  # and the legend says so


def _founded(value: str) -> dict[str, Any]:
    return {
        "topic": "founded",
        "value": value,
        "text": f"Founded in {value}.",
        "citations": [{"source": "src", "quote": "q"}],
    }


def test_a_group_without_dates_gets_a_row_without_a_lifeline() -> None:
    index = make_index(group("a"), group("b"), rel("r1", "allied-with", "a", "b"))
    html = group_lineage(index, "a", "groups/a.md")
    assert html.count("no dated record") == 2
    assert group_lineage(make_index(group("a")), "a", "groups/a.md") == ""


def test_every_drawing_has_a_legend_of_what_it_uses() -> None:
    html = group_lineage(family(), "mid", "groups/mid.md")
    legend = re.search(r'<ul class="wiki-lineage-legend".*?</ul>', html)
    assert legend
    for text in ("split, merger or succession", "alliance", "rivalry" if "rival" in html else "alliance", "no date"):
        assert text in legend.group(0)
    assert "part of, affiliate or member" not in legend.group(0)  # not drawn here


def test_no_text_is_drawn_under_11_px() -> None:
    html = group_lineage(family(), "mid", "groups/mid.md") + whole_lineage(family(), "relations.md")[0]
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', html)]
    assert sizes and min(sizes) >= 11
    assert SMALL >= 11


def test_a_busy_groups_drawing_is_capped_and_says_so() -> None:
    groups = [group(f"g{i:03d}") for i in range(200)]
    relations = [rel(f"r{i:03d}", "allied-with", "g000", f"g{i:03d}", start=f"{2000 + i % 20}") for i in range(1, 200)]
    index = make_index(*groups, *relations)
    html = group_lineage(index, "g000", "groups/g000.md")
    names, plot = drawing(html)
    assert len(links(names)) <= MAX_NEIGHBOURHOOD - 1
    assert len(links(plot)) <= MAX_DRAWN
    assert "Only the first" in html and "of its 199 relations" in html
    # and its size does not grow with the relations past the caps
    more = make_index(*groups, *relations, *(rel(f"s{i}", "rival-of", "g000", "g001") for i in range(300)))
    lineage._drawing.cache_clear()
    assert len(group_lineage(more, "g000", "groups/g000.md")) < 1.2 * len(html)


def test_group_lineage_follows_lineage_one_hop_further_away_only() -> None:
    names, _ = drawing(group_lineage(family(), "mid", "groups/mid.md"))
    shown = set(links(names))
    assert "Far Ancestor" in shown  # old succeeded far: further back from mid
    assert "Side Branch" not in shown  # side split from old: back towards mid's side
    assert "X" not in shown and "Y" not in shown  # a rivalry is not lineage


# -- the whole conflict ----------------------------------------------------------------


def test_whole_lineage_shows_groups_only_and_prefers_acronyms() -> None:
    html, relations = whole_lineage(family(), "relations.md")
    names, _ = drawing(html)
    assert "The Boss" not in links(names)
    assert all(r.type is not RelationType.LEADER_OF for r in relations)
    texts = ["".join(a.itertext()) for a in names.iter(f"{SVG}a")]
    assert "Middle Front (MF)MF" in texts  # the full name in its title, the acronym drawn
    assert whole_lineage(make_index(group("a")), "relations.md") == ("", [])


def test_relations_page_cites_every_relation_it_draws(fixture_index: Index) -> None:
    page = render_page(fixture_index, "relations", "all")
    _, plot = drawing(page)
    for href in links(plot).values():
        assert href.startswith("#relation-")
        assert f'id="{href[1:]}"' in page
    assert "## Citations" in page and "[^1]:" in page


def test_the_whole_conflict_fits_a_desktop_column() -> None:
    """Thirty groups over 24 years with a dozen undated relations still fit 680 px (1366 px window)."""
    groups = [group(f"g{i:02d}", short_name=f"G{i:02d}") for i in range(30)]
    events = [
        make_event(
            id=f"e{i}", date=f"{2001 + i % 24}-0{1 + i % 9}", actors=[{"group": f"g{i % 30:02d}", "role": "party"}]
        )
        for i in range(60)
    ]
    dated = [rel(f"d{i}", "split-from", f"g{i + 1:02d}", f"g{i:02d}", start=f"{2001 + i % 23}") for i in range(20)]
    undated = [rel(f"u{i}", "allied-with", f"g{i:02d}", f"g{29 - i:02d}") for i in range(12)]
    html, _ = whole_lineage(make_index(*groups, *events, *dated, *undated), "relations.md")
    names, plot = drawing(html)
    assert float(names.get("width") or 0) + float(plot.get("width") or 0) <= WHOLE.width


@pytest.mark.parametrize(
    "render", [lambda i: group_lineage(i, "mid", "groups/mid.md"), lambda i: whole_lineage(i, "relations.md")[0]]
)
def test_drawings_escape_names_and_are_deterministic(render: Any) -> None:
    hostile = '<script>alert("x")</script> & {{ jinja }}'
    index = make_index(
        group("mid", hostile, short_name=hostile),
        group("old", "Old"),
        rel("r1", "split-from", "mid", "old", start="2012"),
    )
    html = render(index)
    assert "<script>" not in html and "{{" not in html
    drawing(html)  # still well-formed XML
    lineage._drawing.cache_clear()
    assert render(index) == html


# -- the layout: labels never overlap ----------------------------------------------------


def test_fixture_drawing_labels_do_not_overlap(fixture_index: Index) -> None:
    for rid in ("northern-front", "old-movement", "desert-brigade"):
        html = group_lineage(fixture_index, rid, f"groups/{rid}.md")
        assert html
    index = family()
    html = group_lineage(index, "mid", "groups/mid.md")
    assert html.count('class="wiki-ln-label"') >= 3  # the dated marks are labelled


DAYS = st.integers(min_value=0, max_value=365 * 30)
TYPES = st.sampled_from(list(RelationType))


@st.composite
def drawings(draw: st.DrawFn) -> tuple[list[Life], list[Mark]]:
    count = draw(st.integers(min_value=2, max_value=14))
    base = dt.date(1995, 1, 1)
    lives = []
    for i in range(count):
        span = None
        if draw(st.booleans()) or i == 0:
            a, b = sorted((draw(DAYS), draw(DAYS)))
            span = (base + dt.timedelta(days=a), base + dt.timedelta(days=b))
        name = draw(st.text(alphabet="AMWabcmw iI-.", min_size=1, max_size=40)).strip() or "X"
        lines = lineage._wrap(name, 16) or ("X",)
        lives.append(Life(f"g{i}", lines, name, f"../g{i}/", draw(st.booleans()), span, None, draw(st.booleans())))
    marks = []
    for k in range(draw(st.integers(min_value=1, max_value=40))):
        a, b = draw(st.lists(st.integers(0, count - 1), min_size=2, max_size=2, unique=True))
        when = None
        if draw(st.booleans()):
            lo = draw(DAYS)
            when = (base + dt.timedelta(days=lo), base + dt.timedelta(days=lo + draw(st.sampled_from([0, 30, 364]))))
        verb = draw(st.sampled_from(["split", "member", "allied", "rivals 12 September 2015", "succeeded c. 2014"]))
        kind = draw(st.sampled_from(list(lineage.LEGEND)))
        marks.append(Mark(f"m{k}", f"g{a}", f"g{b}", draw(TYPES), kind, when, verb, verb, f"#relation-m{k}"))
    return lives, marks


@settings(max_examples=150, deadline=None)
@given(drawings(), st.sampled_from([EGO, WHOLE]))
def test_random_relation_sets_never_produce_overlapping_labels(case: tuple[list[Life], list[Mark]], style: Any) -> None:
    lives, marks = case
    plan = layout(lives, marks, style)
    labels = plan.labels()
    no_overlaps(labels)
    no_overlaps(list(plan.names))
    for box in labels:
        assert box.x >= 0 and box.x + box.w <= plan.plot_width and box.y >= 0 and box.y + box.h <= plan.height
    for box in plan.names:
        assert box.x + box.w <= plan.names_width
    assert len({y for _, y in plan.rows}) == len(lives)  # one row each


def test_a_persons_membership_is_drawn_as_a_persons_role() -> None:
    index = make_index(
        group("a"),
        group("b"),
        make_person(id="p", name="P"),
        rel("r1", "member-of", "p", "a"),
        rel("r2", "member-of", "b", "a"),
    )
    _, plot = drawing(group_lineage(index, "a", "groups/a.md"))
    classes = {(x.findtext(f"{SVG}title") or "")[:3]: {e.get("class") for e in x} for x in plot.iter(f"{SVG}a")}
    assert "wiki-ln-link wiki-ln-people" in classes["P m"]
    assert "wiki-ln-link wiki-ln-structure" in classes["B m"]

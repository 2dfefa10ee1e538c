"""Issue 15: pages say exactly what the data knows — footnote order, quotes, labels, disputes."""

from __future__ import annotations

import re

import pytest

from macros.render import render_page
from macros.render.cite import in_reading_order, quoted
from macros.render.common import topic_label
from tests.conftest import make_event, make_group, make_index, make_person, make_place, make_relation, make_source


def cites(quote: str, source: str = "src") -> list[dict[str, str]]:
    return [{"source": source, "quote": quote}]


def fact(topic: str, value: str, source: str = "src", **more: object) -> dict[str, object]:
    return {"topic": topic, "value": value, "text": f"{topic} is {value}.", "citations": cites(value, source)} | more


SOURCES = (
    make_source(id="src", title="Old report", published="2010-02-16"),
    make_source(id="new", title="New report", published="2015-08-12"),
)


def markers(page: str) -> list[int]:
    """Footnote numbers in the order they appear in the page's text (definitions excluded)."""
    return [int(n) for n in re.findall(r"(?<!\\)\[\^(\d+)\](?!: )", page)]


def test_footnotes_are_numbered_in_order_of_first_appearance() -> None:
    group = make_group(
        summary="The lead.",
        citations=cites("the lead"),
        facts=[fact("founded", "2007"), fact("strength", "300")],
    )
    leader = make_relation(id="r1", type="leader-of", subject="someone", object="grp", citations=cites("led"))
    page = render_page(make_index(group, make_person(), leader, sources=SOURCES), "group", "grp")
    seen = list(dict.fromkeys(markers(page)))
    assert seen == list(range(1, len(seen) + 1))
    assert page.index("The lead\\.[^1]") < page.index('<div class="wiki-infobox"')  # the lead comes first
    definitions = re.findall(r"^\[\^(\d+)\]: ", page, re.MULTILINE)
    assert [int(n) for n in definitions] == seen


def test_renumbering_leaves_escaped_text_and_keeps_each_quote_with_its_marker() -> None:
    page = "b[^2] a\\[^1\\] c[^1]\n\n[^1]: one\n[^2]: two\n"
    assert in_reading_order(page) == "b[^1] a\\[^1\\] c[^2]\n\n[^1]: two\n[^2]: one\n"


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("collects taxes", "“collects taxes”"),
        ("“collects taxes on Al Qaeda’s behalf.”", "“collects taxes on Al Qaeda’s behalf\\.”"),
        ('"collects taxes"', "“collects taxes”"),
        ("viewed as a “second Afghanistan.” This", "“viewed as a ‘second Afghanistan\\.’ This”"),
        ("“a” and “b”", "“‘a’ and ‘b’”"),
    ],
)
def test_quotation_marks_are_shown_once(quote: str, shown: str) -> None:
    assert quoted(quote) == shown
    assert "““" not in quoted(quote) and "””" not in quoted(quote)


def test_a_quote_that_is_only_the_title_is_shown_as_the_title() -> None:
    source = make_source(id="src", title="Mali – Can AQIM Be Stopped?", published="2012-09~")
    group = make_group(citations=cites("Mali – Can AQIM Be Stopped?"))
    page = render_page(make_index(group, sources=(source,)), "group", "grp")
    line = next(x for x in page.splitlines() if x.startswith("[^1]: "))
    assert line.startswith("[^1]: Cited for its title: [Mali – Can AQIM Be Stopped?](/sources/src.md)")
    assert "“" not in line


@pytest.mark.parametrize(
    ("slug", "label"),
    [
        ("protection-by-mali", "Protection by Mali"),
        ("asylum-in-mali", "Asylum in Mali"),
        ("grp-presence", "AG presence"),
        ("north-africa", "North Africa"),
        ("drug-market", "Drug market"),
    ],
)
def test_labels_built_from_ids_keep_proper_names(slug: str, label: str) -> None:
    index = make_index(
        make_place(id="mali", name="Mali", kind="country"),
        make_place(id="north-africa", name="North Africa", kind="region"),
        make_group(short_name="AG"),
    )
    assert topic_label(index, slug) == label


def test_infobox_lists_a_member_once_with_all_their_periods() -> None:
    first = make_relation(id="m1", type="member-of", subject="someone", object="grp", end="2012")
    again = make_relation(id="m2", type="member-of", subject="someone", object="grp", start="2014~")
    page = render_page(make_index(make_group(), make_person(), first, again), "group", "grp")
    box = page[page.index('<div class="wiki-infobox"') : page.index("</div>")]
    assert box.count("[Some One]") == 1
    assert "[Some One](/people/someone.md) (until 2012; from c\\. 2014)" in box


def test_values_from_different_times_are_a_history_not_a_dispute() -> None:
    person = make_person(facts=[fact("title", "emir", "src"), fact("title", "deputy", "new")])
    index = make_index(person, sources=SOURCES)
    assert index.contested == ()
    page = render_page(index, "person", "someone")
    assert "contested" not in page.lower().replace("wiki-contested", "")
    history = page[page.index("- **Title**, over time:") :]
    assert history.index("Reported 16 February 2010: title is emir\\.") < history.index("Reported 12 August 2015")


@pytest.mark.parametrize("topic", ["founded", "strength"])
def test_sources_disagreeing_about_the_same_time_are_contested(topic: str) -> None:
    # 'founded' names a one-off moment: sources of any date disagree about it; 'strength' here
    # is given for the same year by both.
    as_of = {} if topic == "founded" else {"as_of": "2014"}
    group = make_group(facts=[fact(topic, "2007", "src", **as_of), fact(topic, "2006", "new", **as_of)])
    index = make_index(group, sources=SOURCES)
    assert [(c.entity, c.topic) for c in index.contested] == [("grp", topic)]
    page = render_page(index, "group", "grp")
    box = page[page.index(f'<div id="contested-{topic}"') :]
    box = re.sub(r'<a class="wiki-anchor"[^>]*></a>', "", box)  # each value's own address (issue 20)
    assert "- **2007** — *Old report*, 16 February 2010[^" in box
    assert "- **2006** — *New report*, 12 August 2015[^" in box
    assert box.count("the most recent source") == 1
    assert box.index("the most recent source") > box.index("**2006**")
    listing = render_page(index, "contested", "all")
    assert "| **2006** | *New report*, 12 August 2015[^2] | yes |" in listing
    assert "[^2]: “2006” — [New report](/sources/new.md)" in listing


@pytest.mark.parametrize(("groups", "per_part", "pages"), [(1, 2, 1), (4, 2, 2), (5, 2, 3), (3, 1, 3)])
def test_contested_facts_continue_on_parts_each_listed_once(
    groups: int, per_part: int, pages: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from macros.pages import plan
    from macros.render import lists

    monkeypatch.setattr(lists, "CONTESTED_PART", per_part)
    records = [
        make_group(
            id=f"g{n}", name=f"Group {n}", facts=[fact("founded", "2007", "src"), fact("founded", "2006", "new")]
        )
        for n in range(groups)
    ]
    index = make_index(*records, sources=SOURCES)
    specs = [s for s in plan(index) if s.kind == "contested"]
    assert [s.uri for s in specs] == ["contested.md"] + [f"contested-part-{n}.md" for n in range(2, pages + 1)]
    listed = []
    for n, spec in enumerate(specs, start=1):
        page = render_page(index, spec.kind, spec.key)
        listed += re.findall(r"^## Group (\d+): Founded", page, re.MULTILINE)
        if pages > 1:
            assert f"(part {n} of {pages})" in page.splitlines()[0]
            assert ("Continued in [part" in page) == (n < pages)
            others = {f"/contested-part-{m}.md" if m > 1 else "/contested.md" for m in range(1, pages + 1) if m != n}
            assert all(f"]({uri})" in page for uri in others)
        defined = re.findall(r"^\[\^(\d+)\]: ", page, re.MULTILINE)
        assert defined and sorted(set(markers(page))) == sorted(map(int, defined))  # each part has its quotes
    assert sorted(listed, key=int) == [str(n) for n in range(groups)]  # each once, none lost


def test_source_page_lists_quotes_in_the_order_of_the_names_shown() -> None:
    records = [
        make_group(id="zeta", name="Alpha group", citations=cites("z")),
        make_group(id="alpha", name="Zulu group", citations=cites("a")),
        make_event(id="middle", title="Middle event", citations=cites("m")),
    ]
    page = render_page(make_index(*records), "source", "src")
    names = re.findall(r"^\| \[([^\]]+)\]", page, re.MULTILINE)
    assert names == ["Alpha group", "Middle event", "Zulu group"]

"""Issue 15: every shape of date, in every place a date is shown, says exactly what the data knows.

Golden files (tests/golden/dates/) hold, for each place, the line of each shape: after an
intended change, ``UPDATE_GOLDEN=1 pytest tests/test_date_shapes.py`` and read the diff. The
property test renders random valid dates and checks that no day, month or year is named that
the value does not contain.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.dates import Interval, Point, WikiDate, describe, parse_date
from macros.export import csv_tables, jsonld, previews_json
from macros.index import Index
from macros.render import render_page
from macros.render.home import latest_events
from tests.conftest import make_event, make_group, make_index, make_person, make_place, make_source

GOLDEN = Path(__file__).parent / "golden" / "dates"
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]  # fmt: skip

#: (event id, date, extra fields): each shape the data model allows, once.
SHAPES: list[tuple[str, str, dict[str, Any]]] = [
    ("day", "2015-08-07", {}),
    ("month", "2015-08", {}),
    ("year", "2015", {}),
    ("approximate-day", "2015-08-07~", {}),
    ("approximate-month", "2015-08~", {}),
    ("approximate-year", "2015~", {}),
    ("uncertain-year", "2015?", {}),
    ("approximate-uncertain-year", "2015%", {}),
    ("range-year-year", "2012/2014", {}),
    ("range-year-month", "2012/2014-03", {}),
    ("range-year-day", "2012/2014-03-05", {}),
    ("range-month-year", "2012-04/2014", {}),
    ("range-month-month", "2012-04/2014-03", {}),
    ("range-month-day", "2012-04/2014-03-05", {}),
    ("range-day-year", "2012-04-09/2014", {}),
    ("range-day-month", "2012-04-09/2014-03", {}),
    ("range-day-day", "2012-04-09/2014-03-05", {}),
    ("range-within-year-to-month", "2015/2015-08", {}),
    ("range-within-year-to-day", "2015/2015-08-11", {}),
    ("range-within-month-to-day", "2015-08/2015-08-11", {}),
    ("range-months-same-year", "2015-06/2015-08", {}),
    ("range-month-to-day-same-year", "2015-06/2015-08-12", {}),
    ("range-days-same-month", "2015-08-07/2015-08-09", {}),
    ("range-days-same-year", "2015-07-30/2015-08-09", {}),
    ("range-approximate-ends", "2014-09~/2014-12~", {}),
    ("range-approximate-start", "2014-09~/2015-04-14", {}),
    ("open-start", "../2014", {}),
    ("open-end", "2013/..", {}),
    ("as-of-report", "../2015-08-12", {"date_basis": "report"}),
    ("as-of-report-since", "2013/2015-08-12", {"date_basis": "report"}),
    ("event-day-of-report", "2015-08-12", {"date_basis": "event"}),
    (
        "statistic-period",
        "2013/2015-08-12",
        {"type": "statistic", "figures": [{"measure": "people killed", "value": 26, "period": "2013/2015-08-12"}]},
    ),
    ("with-date-note", "2015-08", {"date_note": "Month of the diary entry."}),
]


def shapes_index() -> Index:
    events = [
        make_event(
            id=eid,
            date=date,
            title=f"Event dated {eid}",
            places=["town"],
            actors=[{"group": "grp", "role": "claimed"}, {"person": "someone", "role": "leader"}],
            **extra,
        )
        for eid, date, extra in SHAPES
    ]
    return make_index(make_group(), make_person(), make_place(), *events, sources=(make_source(),))


#: A row's or fact's own address (issue 20): not part of the date shown.
ANCHOR = re.compile(r'<a class="wiki-anchor"[^>]*></a>')


def date_rows(page: str) -> dict[str, str]:
    """Event id → the line (table row or list item) that lists it with its date, in a page."""
    found: dict[str, str] = {}
    for line in ANCHOR.sub("", page).splitlines():
        match = re.search(r"\]\(/events/([a-z0-9-]+)\.md\)", line)
        if match and "data-sort" in line:
            found.setdefault(match[1], line[: match.end()])  # the date, its note, and the event it dates
    return found


def event_page_dates(index: Index) -> dict[str, str]:
    out = {}
    for eid, _, _ in SHAPES:
        page = render_page(index, "event", eid)
        out[eid] = page[page.index("\nDate\n:   ") + 1 :].split("\n\n")[0].replace("\n", " ")
    return out


def csv_dates(index: Index) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(csv_tables(index)["events.csv"]()))
    keys = ("date", "date_display", "date_earliest", "date_latest", "date_basis")
    return {r["id"]: " | ".join(r[k] for k in keys) for r in rows}


def jsonld_dates(index: Index) -> dict[str, str]:
    out = {}
    for eid, _, _ in SHAPES:
        data = jsonld(index, eid, "https://example.org") or {}
        out[eid] = json.dumps({k: data[k] for k in ("startDate", "endDate") if k in data})
    return out


def previews(index: Index) -> dict[str, str]:
    data = json.loads(previews_json(index))
    return {eid: data[f"events/{eid}/"]["text"].split(". Something")[0] for eid, _, _ in SHAPES}


def page_rows(render: Callable[[Index], str]) -> Callable[[Index], dict[str, str]]:
    return lambda index: date_rows(render(index))


def year_pages(index: Index) -> str:
    return "\n".join(render_page(index, "year", str(y)) for y in index.years)


def dated_records_index() -> Index:
    """Each shape as a relation's start, a fact's as_of, a figure's period and a source's date."""
    from tests.conftest import make_relation

    group = make_group(
        facts=[{"topic": f"t-{eid}", "text": eid, "as_of": date, "citations": [CITE]} for eid, date, _ in SHAPES]
    )
    relations = [
        make_relation(id=f"r-{eid}", subject="grp", object="grp2", start=date, type="rival-of", text=eid)
        for eid, date, _ in SHAPES
    ]
    figures = [{"measure": eid, "value": 1, "period": date} for eid, date, _ in SHAPES]
    stat = make_event(id="stat", type="statistic", figures=figures)
    sources = tuple(make_source(id=f"s-{eid}", title=eid, published=date) for eid, date, _ in SHAPES)
    return make_index(group, make_group(id="grp2"), *relations, stat, sources=(make_source(), *sources))


CITE = {"source": "src", "quote": "q"}


def facts_as_of(index: Index) -> dict[str, str]:
    page = ANCHOR.sub("", render_page(index, "group", "grp"))
    found = re.finditer(r"^- \*\*T [^*]+\*\*( \(.*?\))?: ([a-z\\-]+)\[", page, re.MULTILINE)
    return {m[2].replace("\\", ""): (m[1] or "(no date)").strip() for m in found}


def relation_spans(index: Index) -> dict[str, str]:
    page = ANCHOR.sub("", render_page(index, "group", "grp"))
    rows = re.findall(r"^\| Rival of \| \[A group\]\(/groups/grp2\.md\) \| (.*?) \| ([a-z\\-]+)\[", page, re.M)
    return {eid.replace("\\", ""): when for when, eid in rows}


def figure_periods(index: Index) -> dict[str, str]:
    page = render_page(index, "event", "stat")
    found = re.finditer(r"^\| ([a-z\\-]+) \| 1 \| (.*?) \|", page, re.MULTILINE)
    return {m[1].replace("\\", ""): m[2] for m in found}


def sources_published(index: Index) -> dict[str, str]:
    page = render_page(index, "index", "source")
    found = re.finditer(r"^\| \[([a-z\\-]+)\]\(/sources/s-[a-z-]+\.md\) \| Pub \| not named \| (.*?) \|", page, re.M)
    return {m[1].replace("\\", ""): m[2] for m in found}


#: Every place a record's date is shown → the line of each shape there.
PLACES: dict[str, Callable[[Index], dict[str, str]]] = {
    "event-page": event_page_dates,
    "chronology": page_rows(lambda index: render_page(index, "chronology", "all")),
    "year-pages": page_rows(year_pages),
    "events-index": page_rows(lambda index: render_page(index, "index", "event")),
    "group-page": page_rows(lambda index: render_page(index, "group", "grp")),
    "person-page": page_rows(lambda index: render_page(index, "person", "someone")),
    "place-page": page_rows(lambda index: render_page(index, "place", "town")),
    "home-latest": page_rows(lambda index: latest_events(index, len(index.events))),
    "whats-new": page_rows(lambda index: render_page(index, "changelog", "all")),
    "previews-json": previews,
    "events-csv": csv_dates,
    "json-ld": jsonld_dates,
    "fact-as-of": facts_as_of,
    "relation-start": relation_spans,
    "figure-period": figure_periods,
    "source-published": sources_published,
}
BUILT_FROM = {"fact-as-of": dated_records_index, "relation-start": dated_records_index}
BUILT_FROM |= {"figure-period": dated_records_index, "source-published": dated_records_index}


@pytest.mark.parametrize("place", list(PLACES))
def test_every_date_shape_in_every_place(place: str) -> None:
    lines = PLACES[place](BUILT_FROM.get(place, shapes_index)())
    assert set(lines) == {eid for eid, _, _ in SHAPES}, "every shape is shown"
    text = "".join(f"{eid}: {lines[eid]}\n" for eid, _, _ in SHAPES)
    path = GOLDEN / f"{place}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# -- property: nothing named that the value does not contain ------------------------------


@st.composite
def points(draw: st.DrawFn) -> Point:
    year = draw(st.integers(1900, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    return Point(year, month, day, approximate=draw(st.booleans()), uncertain=draw(st.booleans()))


@st.composite
def dates(draw: st.DrawFn) -> WikiDate:
    first = draw(points())
    kind = draw(st.sampled_from(["point", "closed", "open-start", "open-end"]))
    if kind == "point":
        return first
    if kind == "open-start":
        return Interval(None, first)
    if kind == "open-end":
        return Interval(first, None)
    start, end = sorted((first, draw(points())), key=lambda p: (p.earliest, p.latest))
    return Interval(start, end)  # the earlier start first: always a valid range


def named(point: Point) -> tuple[set[int], set[str], set[int]]:
    return {point.year}, {MONTHS[point.month - 1]} if point.month else set(), {point.day} if point.day else set()


@settings(max_examples=400, deadline=None)
@given(dates(), st.sampled_from([None, "report", "event"]), st.booleans())
def test_a_date_never_names_a_day_month_or_year_it_does_not_contain(
    date: WikiDate, basis: str | None, period: bool
) -> None:
    assert parse_date(date.edtf()) == date  # a valid value: it is what the data file would hold
    text = describe(date, basis=basis, period=period)
    ends = [date] if isinstance(date, Point) else [p for p in (date.start, date.end) if p is not None]
    years, months, days = set(), set(), set()
    for end in ends:
        y, m, d = named(end)
        years |= y
        months |= m
        days |= d
    shown_years = {int(y) for y in re.findall(r"\b\d{4}\b", text)}
    shown_months = {m for m in MONTHS if m in text}
    shown_days = {int(d) for d in re.findall(r"\b\d{1,2}\b", text)}
    assert shown_years == years, text  # no year invented, none lost
    assert shown_months <= months, text
    assert shown_days <= days, text
    assert shown_months == months, text  # nothing the data knows is dropped either
    if any(p.approximate for p in ends):
        assert "c." in text, text
    if any(p.uncertain for p in ends):
        assert "(uncertain)" in text, text

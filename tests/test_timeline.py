"""Timelines that show how precisely dates are known: geometry, packing, the drawing."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macros.dates import parse_date
from macros.index import Index
from macros.render import timeline as tl
from macros.render.timeline import GAP, Scale, axis_ticks, label_box, mark_of, pack, scale_for, timeline
from tests.conftest import make_event, make_group, make_index

NS = {"svg": "http://www.w3.org/2000/svg"}
XSS = "<script>alert(1)</script>"

#: 2015 over 365 px: one pixel a day.
YEAR = Scale(dt.date(2015, 1, 1), dt.date(2016, 1, 1), 0.0, 365.0)


def x(day: str) -> float:
    return YEAR.x(dt.date.fromisoformat(day))


# -- geometry -------------------------------------------------------------------------------


def test_a_month_spans_exactly_its_month() -> None:
    mark = mark_of(parse_date("2015-08"), YEAR)
    assert (mark.shape, mark.left, mark.right) == ("bar", x("2015-08-01"), x("2015-09-01"))
    assert (mark.core_left, mark.core_right) == (mark.left, mark.right)
    february = mark_of(parse_date("2015-02"), YEAR)
    assert february.right - february.left == pytest.approx(28)


def test_a_year_spans_the_whole_year_and_a_day_is_a_tick_on_its_day() -> None:
    year = mark_of(parse_date("2015"), YEAR)
    assert (year.left, year.right) == (0, 365)
    day = mark_of(parse_date("2015-08-07"), YEAR)
    assert day.shape == "day"
    assert day.left <= x("2015-08-07") and day.right >= x("2015-08-08")
    assert day.right - day.left == pytest.approx(tl.TICK_W)  # one day is under the smallest mark


def test_approximate_and_uncertain_dates_are_marked() -> None:
    approx = mark_of(parse_date("2015-06~"), YEAR)
    assert approx.shape == "approx" and (approx.left, approx.right) == (x("2015-06-01"), x("2015-07-01"))
    assert mark_of(parse_date("2015?"), YEAR).uncertain
    assert not mark_of(parse_date("2015"), YEAR).uncertain


def test_a_range_is_solid_only_where_it_is_certain() -> None:
    # Some time in June until 12 August: June is light, July to 12 August solid.
    mark = mark_of(parse_date("2015-06/2015-08-12"), YEAR)
    assert mark.shape == "range"
    assert (mark.left, mark.right) == (x("2015-06-01"), x("2015-08-13"))
    assert (mark.core_left, mark.core_right) == (x("2015-07-01"), x("2015-08-12"))
    # Ends whose spans overlap ('2015/2015-08-11'): nothing is certainly covered.
    loose = mark_of(parse_date("2015/2015-08-11"), YEAR)
    assert loose.core_left == loose.core_right
    assert (loose.left, loose.right) == (0, x("2015-08-12"))


def test_open_ends_fade_towards_the_unknown_end() -> None:
    by = mark_of(parse_date("../2015-08-12"), YEAR)
    assert by.shape == "by" and by.right == x("2015-08-13") and by.left == 0  # cut at the drawing's edge
    assert by.core_left == by.core_right == by.right  # only the end is known
    since = mark_of(parse_date("2015-03/.."), YEAR)
    assert since.shape == "since" and since.left == x("2015-03-01") and since.right == 365
    wide = Scale(dt.date(2000, 1, 1), dt.date(2030, 1, 1), 0, 1000)
    by_wide = mark_of(parse_date("../2015-08-12"), wide)
    assert by_wide.right - by_wide.left == pytest.approx(
        wide.x(dt.date(2016, 1, 1)) - wide.x(dt.date(2015, 1, 1)), 0.01
    )


def test_a_report_date_is_an_end_not_the_event_day() -> None:
    # date_basis: report: the event happened by the report's day.
    by = mark_of(parse_date("2015-08-12"), YEAR, report=True)
    assert by.shape == "by" and by.right == x("2015-08-13") and by.left < x("2015-01-02")
    # '2015, by 11 August': some time in 2015 before the report; no part of it is certain.
    some = mark_of(parse_date("2015/2015-08-11"), YEAR, report=True)
    assert (some.left, some.right) == (0, x("2015-08-12")) and some.core_left == some.core_right


def test_marks_beyond_the_scale_are_cut_at_its_edges() -> None:
    mark = mark_of(parse_date("2014-06/2016-02"), YEAR)
    assert (mark.left, mark.right) == (0, 365)


@pytest.mark.parametrize("text", ["0001", "9999-12-31", "../9999", "0001/..", "2015-08-07/2015-08-07"])
def test_odd_dates_stay_in_the_drawing(text: str) -> None:
    date = parse_date(text)
    scale = scale_for([make_event(date=text)], 0, 600)
    mark = mark_of(date, scale)
    assert 0 - tl.TICK_W <= mark.left < mark.right <= 600 + tl.TICK_W


# -- packing ----------------------------------------------------------------------------------

extents = st.lists(
    st.tuples(st.floats(0, 600), st.floats(0, 80)).map(lambda t: (t[0], t[0] + max(t[1], tl.TICK_W))), max_size=60
)


@given(extents, st.integers(1, 8))
def test_marks_in_one_row_never_overlap(items: list[tuple[float, float]], rows: int) -> None:
    items = sorted(items)
    placed = pack(items, rows)
    assert len(placed) == len(items)
    by_row: dict[int, list[tuple[float, float]]] = {}
    for extent, row in zip(items, placed, strict=True):
        if row is not None:
            assert 0 <= row < rows
            by_row.setdefault(row, []).append(extent)
    for marks in by_row.values():
        for (_, right), (left, _) in itertools.pairwise(marks):
            assert left >= right + GAP


def test_a_mark_left_off_only_when_every_row_is_taken() -> None:
    assert pack([(0, 10), (5, 15), (6, 16)], 2) == [0, 1, None]
    assert pack([(0, 10), (12, 20)], 1) == [0, 0]


# -- axis -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "last"), [(2015, 2015), (2014, 2015), (2001, 2024), (1900, 2024), (1, 9999)])
def test_axis_labels_keep_apart(first: int, last: int) -> None:
    scale = Scale(dt.date(first, 1, 1), dt.date(last + 1, 1, 1) if last < 9999 else dt.date.max, 8, 668)
    ticks = axis_ticks(scale)
    labels = [label_box(x, text) for x, text in ticks if text]
    assert labels, "at least one labelled tick"
    for a, b in itertools.pairwise(labels):
        assert a[2] < b[0], (a, b)
    assert all(8 <= tick <= 668 for tick, _ in ticks)


# -- the drawing -------------------------------------------------------------------------------


def _svg(html_text: str) -> ET.Element:
    match = re.search(r"<svg.*</svg>", html_text, re.S)
    assert match, html_text
    return ET.fromstring(match.group(0))


def _index() -> Index:
    groups = [make_group(id="aqim", name="AQIM"), make_group(id="xss", name=XSS)]
    events = [
        make_event(id="e-day", date="2015-08-07", title="A day", actors=[{"group": "aqim", "role": "perpetrator"}]),
        make_event(id="e-month", date="2015-06", title="A month", actors=[{"group": "aqim", "role": "claimed"}]),
        make_event(id="e-by", date="../2015-08-12", title=XSS, actors=[{"group": "xss", "role": "target"}]),
        make_event(id="e-none", date="2015~", title="Nobody", type="statement"),
    ]
    return make_index(*groups, *events)


def test_timeline_links_every_event_and_escapes() -> None:
    index = _index()
    out = timeline(index, index.events, "years/2015.md", year=2015, title="Timeline of 2015")
    assert out.startswith('<figure class="wiki-timeline"') and "\n\n" not in out
    assert XSS not in out
    root = _svg(out)
    assert root.get("role") is None  # it holds links: role="img" would hide them; never role="group" on <svg>
    assert root.findtext("svg:title", namespaces=NS) == "Timeline of 2015"
    hrefs = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert {index.url_from("years/2015.md", e.id) for e in index.events} <= hrefs
    assert index.url_from("years/2015.md", "aqim") in hrefs  # the lane's name links to the group
    names = {a.findtext("svg:title", namespaces=NS) for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert f"by 12 August 2015: {XSS}" in names
    lanes = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "wiki-tl-name"]
    assert lanes == [XSS, "AQIM", "No group named"]  # by first possible date; events without a group last


def test_text_is_never_under_11_px_and_drawn_1_to_1() -> None:
    index = _index()
    root = _svg(timeline(index, index.events, "chronology/index.md"))
    assert root.get("width") == str(tl.WIDTH) and root.get("viewBox", "").split()[2] == str(tl.WIDTH)
    assert int(root.get("font-size") or 0) >= 11
    assert not any(t.get("font-size") for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_legend_explains_the_marks_drawn() -> None:
    index = _index()
    out = timeline(index, index.events, "chronology/index.md")
    legend = re.findall(r'wiki-tl-key-(\w+)"', out)
    assert legend == ["day", "bar", "approx", "by"]


def test_lanes_by_type_on_a_group_page() -> None:
    index = _index()
    out = tl.entity_timeline(index, "aqim")
    assert out.startswith("## Timeline { #timeline }")
    lanes = [t.text for t in _svg(out).iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "wiki-tl-name"]
    assert lanes == ["Attack"]
    assert tl.entity_timeline(index, "e-day") == ""  # not a group or a person


def test_a_busy_timeline_is_capped_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tl, "MARK_LIMIT", 30)
    monkeypatch.setattr(tl, "LANE_LIMIT", 3)
    groups = [make_group(id=f"g{i}", name=f"Group {i}") for i in range(6)]
    events = [
        make_event(id=f"e{i}", date=f"2015-{i % 12 + 1:02d}", actors=[{"group": f"g{i % 6}", "role": "perpetrator"}])
        for i in range(90)
    ]
    index = make_index(*groups, *events)
    out = timeline(index, index.events, "chronology/index.md")
    root = _svg(out)
    marks = [a for a in root.iter("{http://www.w3.org/2000/svg}a") if "events/" in (a.get("href") or "")]
    assert len(marks) <= 30
    lanes = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "wiki-tl-name"]
    assert len(lanes) == 4 and lanes[-1].text == "Other groups, or none"
    assert "30 of the 90 events are drawn" in out


def test_marks_that_do_not_fit_a_lane_are_counted() -> None:
    events = [make_event(id=f"e{i}", date="2015-08", actors=[{"group": "g", "role": "perpetrator"}]) for i in range(10)]
    index = make_index(make_group(id="g"), *events)
    out = timeline(index, index.events, "chronology/index.md")
    marks = [a for a in _svg(out).iter("{http://www.w3.org/2000/svg}a") if "events/" in (a.get("href") or "")]
    assert len(marks) == tl.ROW_LIMIT
    assert f"{10 - tl.ROW_LIMIT} more events did not fit in the {tl.ROW_LIMIT} rows of a lane" in out


def test_nothing_to_draw() -> None:
    assert timeline(make_index(), (), "chronology/index.md") == ""

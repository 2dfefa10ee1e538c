"""Build-time bar charts: well-formed SVG, tables that match the data, escaping, determinism."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
import pytest

from macros.index import Index
from macros.render.charts import (
    bar_chart,
    chart_block,
    events_per_group,
    events_per_year,
    killed_per_year,
    nice_ticks,
    reported_deaths,
    svg_text,
)
from tests.conftest import make_event, make_group, make_index

SVG = "{http://www.w3.org/2000/svg}"
EXTENSIONS = ["toc", "tables", "footnotes", "attr_list", "md_in_html", "def_list", "admonition"]


# -- helpers ------------------------------------------------------------------


def svgs(markdown_text: str) -> list[ET.Element]:
    """Every inline SVG of a chart's Markdown, parsed (so it must be well-formed XML)."""
    found = re.findall(r"<svg\b.*?</svg>", markdown_text, flags=re.DOTALL)
    return [ET.fromstring(s) for s in found]


def table_rows(markdown_text: str) -> list[list[str]]:
    """The body rows of the (first) Markdown table, cells stripped."""
    lines = [line for line in markdown_text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


def table_header(markdown_text: str) -> list[str]:
    line = next(line for line in markdown_text.splitlines() if line.startswith("| "))
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def bar_titles(svg: ET.Element) -> list[str]:
    return [t.text or "" for rect in svg.iter(f"{SVG}rect") for t in rect.findall(f"{SVG}title")]


def texts(svg: ET.Element) -> list[str]:
    """The visible text of each <text> (without tooltip <title>s)."""
    return [(t.text or "") + "".join(s.text or "" for s in t.iter(f"{SVG}tspan")) for t in svg.iter(f"{SVG}text")]


def event(eid: str, date: str, **fields: Any) -> Any:
    return make_event(id=eid, date=date, **fields)


def killed(category: str, count: int | dict[str, int]) -> dict[str, Any]:
    return {"category": category, "killed": count}


def check_svg(svg: ET.Element) -> None:
    """The accessible-name contract shared by every chart."""
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    ids = (svg.get("aria-labelledby") or "").split()
    assert len(ids) == 2
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert [title.get("id"), desc.get("id")] == ids
    assert title.text and desc.text
    assert svg.get("viewBox", "").startswith("0 0 ")
    assert svg.get("width") == "100%"


# -- the generic chart ----------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (23, [0, 5, 10, 15, 20, 25]),
        (428, [0, 100, 200, 300, 400, 500]),
        (12_345, [0, 2500, 5000, 7500, 10_000, 12_500]),
    ],
)
def test_nice_ticks(top: float, ticks: list[float]) -> None:
    assert nice_ticks(top) == ticks


def test_bar_chart_stacked_is_well_formed_with_classes_patterns_and_legend() -> None:
    svg_text_ = bar_chart("T", ["2019", "2020"], {"A": [1, 2], "B": [3, 0]})
    assert "\n\n" not in svg_text_
    svg = ET.fromstring(svg_text_)
    check_svg(svg)
    bars = [r for r in svg.iter(f"{SVG}rect") if "wiki-bar" in (r.get("class") or "")]
    classes = {c for r in bars for c in (r.get("class") or "").split()}
    assert {"wiki-series-0", "wiki-series-1"} <= classes
    # every series has its own pattern (colour is not the only cue) ...
    patterns = [p.get("id") for p in svg.iter(f"{SVG}pattern")]
    assert len(patterns) == 2 and len(set(patterns)) == 2
    assert any(len(list(p)) > 1 for p in svg.iter(f"{SVG}pattern"))  # a texture on top of the colour
    assert {r.get("fill") for r in bars} == {f"url(#{p})" for p in patterns}
    # ... and a legend names them
    assert {"A", "B"} <= set(texts(svg))
    # no colours in the markup: they come from CSS classes
    assert not re.search(r'(fill|stroke)="#', svg_text_)
    # zero values draw nothing; each bar says its value
    assert sorted(bar_titles(svg)) == ["2019 · A: 1", "2019 · B: 3", "2020 · A: 2"]


def test_bar_chart_grouped_and_horizontal() -> None:
    grouped = ET.fromstring(bar_chart("G", ["x", "y"], {"A": [1, 2], "B": [3, 4]}, stacked=False))
    bars = [r for r in grouped.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    xs = {r.get("x") for r in bars}
    assert len(xs) == 4  # side by side: position distinguishes the series too
    horizontal = ET.fromstring(bar_chart("H", ["long name " * 5, "b"], {"A": [1, 2]}, horizontal=True))
    check_svg(horizontal)
    assert any(t.endswith("…") for t in texts(horizontal))


@pytest.mark.parametrize(
    ("labels", "series"),
    [([], {"A": []}), (["x"], {}), (["x", "y"], {"A": [0, 0]})],
)
def test_bar_chart_with_nothing_to_draw_is_empty(labels: list[str], series: dict[str, list[float]]) -> None:
    assert bar_chart("T", labels, series) == ""


def test_bar_chart_rejects_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="values for 2 labels"):
        bar_chart("T", ["x", "y"], {"A": [1]})


def test_bar_chart_escapes_everything() -> None:
    nasty = '<script>alert(1)</script> & "q" {{ 7*7 }}'
    out = bar_chart(nasty, [nasty], {nasty: [1]}, desc=nasty)
    svg = ET.fromstring(out)
    assert "<script>" not in out and "{{" not in out and "{%" not in out
    assert svg.find(f"{SVG}title") is not None
    assert svg.findtext(f"{SVG}title") == nasty  # the text survives, inert
    assert svg_text("{{ x }}") == "&#123;&#123; x &#125;&#125;"


def test_chart_block_refuses_blank_lines() -> None:
    with pytest.raises(ValueError, match="blank"):
        chart_block("<svg>\n\n</svg>")


# -- events per year -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["2015-08-07"], {"2015": "1"}),
        (["2015", "2015-03", "2016-01-02"], {"2015": "2", "2016": "1"}),
        (["2012", "2015"], {"2012": "1", "2013": "0", "2014": "0", "2015": "1"}),  # gaps show as zero
        (["2012/2014", "2014"], {"2012": "1", "2013": "0", "2014": "1"}),  # a range counts under its start
    ],
)
def test_events_per_year_table_matches_data(dates: list[str], expected: dict[str, str]) -> None:
    index = make_index(*(event(f"e{i}", d) for i, d in enumerate(dates)))
    out = events_per_year(index)
    check_svg(svgs(out)[0])
    rows = table_rows(out)
    assert rows[-1] == ["**Total**", f"**{len(dates)}**"]
    got = {re.sub(r"\[(\d+)\]\(.*\)", r"\1", r[0]): r[1] for r in rows[:-1]}
    assert got == expected
    for row in rows[:-1]:  # years with events link to their page; empty years are plain text
        year = re.sub(r"\[(\d+)\]\(.*\)", r"\1", row[0])
        assert (row[0] == f"[{year}](/years/{year}.md)") == (int(year) in index.events_by_year)


def test_events_per_year_bars_carry_the_counts() -> None:
    index = make_index(event("a", "2015"), event("b", "2015-02"), event("c", "2017"))
    svg = svgs(events_per_year(index))[0]
    assert bar_titles(svg) == ["2015 · Events: 2", "2017 · Events: 1"]


# -- people killed per year ------------------------------------------------------


KILLED_CASES = [
    pytest.param(
        [("2015", [killed("civilians", 4), killed("soldiers", 2)])],
        {"2015": {"Civilians": "4", "Soldiers": "2", "Total": "6", "Events counted": "1"}},
        id="one-event",
    ),
    pytest.param(
        [("2015", [killed("civilians", 4)]), ("2015-06", [killed("civilians", 1000)])],
        {"2015": {"Civilians": "1,004", "Total": "1,004", "Events counted": "2"}},
        id="summed-with-thousands",
    ),
    pytest.param(
        [("2015", [killed("civilians", {"min": 3, "max": 5})]), ("2015", [killed("civilians", 2)])],
        {"2015": {"Civilians": "5–7", "Total": "5–7", "Events counted": "2"}},
        id="range-shows-min-max",
    ),
    pytest.param(
        [("2014", [killed("police", 1)]), ("2016", [killed("attackers", 9)])],
        {
            "2014": {"Police": "1", "Attackers": "—", "Total": "1", "Events counted": "1"},
            "2015": {"Police": "—", "Attackers": "—", "Total": "no figure", "Events counted": "0"},
            "2016": {"Police": "—", "Attackers": "9", "Total": "9", "Events counted": "1"},
        },
        id="gap-year-and-missing-category",
    ),
    pytest.param(
        [("2015", [{"category": "civilians", "wounded": 7}]), ("2015", [killed("soldiers", 0)])],
        {"2015": {"Soldiers": "0", "Total": "0", "Events counted": "1"}},
        id="wounded-only-not-counted",
    ),
]


@pytest.mark.parametrize(("events", "expected"), KILLED_CASES)
def test_killed_per_year_table_matches_data(
    events: list[tuple[str, list[dict[str, Any]]]], expected: dict[str, dict[str, str]]
) -> None:
    index = make_index(*(event(f"e{i}", d, casualties=c) for i, (d, c) in enumerate(events)))
    out = killed_per_year(index)
    header = table_header(out)
    rows = {re.sub(r"\[(\d+)\]\(.*\)", r"\1", r[0]): dict(zip(header, r, strict=True)) for r in table_rows(out)}
    rows.pop("**Total**")
    assert set(rows) == set(expected)
    for year, cells in expected.items():
        for column, value in cells.items():
            assert rows[year][column] == value, (year, column)


def test_killed_per_year_with_only_zero_figures_has_a_table_but_no_chart() -> None:
    out = killed_per_year(make_index(event("a", "2015", casualties=[killed("soldiers", 0)])))
    assert "<svg" not in out and "wiki-chart" not in out
    assert "| [2015](/years/2015.md) | 0 | 0 | 1 |" in out


def test_killed_per_year_counts_the_minimum_of_a_range_in_the_chart() -> None:
    index = make_index(event("a", "2015", casualties=[killed("civilians", {"min": 3, "max": 5})]))
    out = killed_per_year(index)
    svg = svgs(out)[0]
    check_svg(svg)
    assert bar_titles(svg) == ["2015 · Civilians: 3"]
    assert "3 to 5 killed" in (svg.findtext(f"{SVG}desc") or "")
    marks = [path for path in svg.iter(f"{SVG}path") if path.get("class") == "wiki-range"]
    assert len(marks) == 1 and "3–5" in (marks[0].findtext(f"{SVG}title") or "")
    assert "3–5" in texts(svg)
    assert "| [2015](/years/2015.md) | 3–5 | 3–5 | 1 |" in out


def test_killed_per_year_says_only_reported_casualties_count_and_totals() -> None:
    index = make_index(
        event("a", "2015", casualties=[killed("civilians", 4), killed("soldiers", {"min": 1, "max": 2})]),
        event("b", "2016", casualties=[killed("civilians", 6)]),
        event("c", "2016"),  # no casualties: not counted
    )
    out = killed_per_year(index)
    assert "Counted: people reported killed in single events" in out
    assert "Not counted: events without a figure, and reported totals" in out
    assert table_rows(out)[-1] == ["**Total**", "**10**", "**1–2**", "**11–12**", "**2**"]


@pytest.mark.parametrize(
    "records",
    [
        pytest.param([], id="no-events"),
        pytest.param([event("a", "2015")], id="no-casualties"),
        pytest.param([event("a", "2015", casualties=[{"category": "civilians", "wounded": 3}])], id="wounded-only"),
    ],
)
def test_killed_per_year_is_empty_without_deaths(records: list[Any]) -> None:
    assert killed_per_year(make_index(*records)) == ""


# -- events per group ------------------------------------------------------------


def group_index() -> Index:
    groups = [
        make_group(id="alpha", name="Alpha Front", short_name="AF"),
        make_group(id="beta", name="Beta Brigade"),
        make_group(id="gamma", name="Gamma Group"),
        make_group(id="idle", name="Idle Group"),
    ]
    events = [
        event("e1", "2015", actors=[{"group": "alpha", "role": "claimed"}, {"group": "beta", "role": "target"}]),
        event("e2", "2016", actors=[{"group": "alpha", "role": "perpetrator"}]),
        event("e3", "2016", actors=[{"group": "alpha", "role": "mediator"}]),
        event("e4", "2017", actors=[{"group": "beta", "role": "suspected"}, {"group": "gamma", "role": "party"}]),
        event("e5", "2017", actors=[{"group": "gamma", "role": "attributed"}, {"group": "gamma", "role": "target"}]),
    ]
    return make_index(*groups, *events)


def test_events_per_group_table_matches_data() -> None:
    out = events_per_group(group_index())
    assert table_header(out) == ["Group", "As perpetrator", "Other role", "Events"]
    assert table_rows(out) == [
        ["[Alpha Front \\(AF\\)](/groups/alpha.md)", "2", "1", "3"],
        ["[Beta Brigade](/groups/beta.md)", "1", "1", "2"],
        ["[Gamma Group](/groups/gamma.md)", "1", "1", "2"],  # an event counts once, as perpetrator
    ]
    svg = svgs(out)[0]
    check_svg(svg)
    assert "AF" in texts(svg)  # the acronym on the axis


def test_events_per_group_keeps_the_top() -> None:
    out = events_per_group(group_index(), top=2)
    assert [r[0] for r in table_rows(out)] == [
        "[Alpha Front \\(AF\\)](/groups/alpha.md)",
        "[Beta Brigade](/groups/beta.md)",
    ]
    assert "the 2 with the most are shown" in out


def test_events_per_group_is_empty_without_group_actors() -> None:
    assert events_per_group(make_index(make_group(), event("a", "2015"))) == ""


# -- escaping, determinism, Markdown -------------------------------------------------


def nasty_index() -> Index:
    groups = [
        make_group(id="xss", name="<script>alert(1)</script>"),
        make_group(id="jinja", name="{{ 7*7 }}", short_name="{% raw %}"),
    ]
    events = [
        event("a", "2015", actors=[{"group": "xss", "role": "claimed"}], casualties=[killed("civilians", 2)]),
        event("b", "2016", actors=[{"group": "jinja", "role": "target"}]),
    ]
    return make_index(*groups, *events)


@pytest.mark.parametrize("chart", [events_per_year, killed_per_year, events_per_group])
def test_charts_escape_names_and_never_contain_template_syntax(chart: Any) -> None:
    out = chart(nasty_index())
    assert out
    assert "<script>" not in out and "{{" not in out
    assert "49" not in re.sub(r'"[^"]*"', '""', out)  # no 7*7 in text (ids, sizes: any digits)
    svg_part = out.split("</div>")[0]
    assert "{" not in svg_part  # braces are character references in the SVG
    for svg in svgs(out):
        check_svg(svg)
    assert "\n\n" not in out.split("</div>")[0]  # the raw HTML block has no blank line


def test_group_names_stay_readable_after_escaping() -> None:
    out = events_per_group(nasty_index())
    labels = texts(svgs(out)[0])
    assert "<script>alert(1)</script>" in labels and "{% raw %}" in labels
    assert "[&lt;script\\>alert\\(1\\)&lt;/script\\>](/groups/xss.md)" in out
    assert "[\\{\\{ 7\\*7 \\}\\} \\(\\{% raw %\\}\\)](/groups/jinja.md)" in out


@pytest.mark.parametrize("chart", [events_per_year, killed_per_year, events_per_group])
def test_charts_are_deterministic(chart: Any) -> None:
    assert chart(nasty_index()) == chart(nasty_index())
    assert chart(group_index()) == chart(group_index())


@pytest.mark.parametrize("chart", [events_per_year, killed_per_year, events_per_group])
def test_charts_render_as_raw_html_then_a_table(chart: Any) -> None:
    html = markdown.markdown(chart(nasty_index()), extensions=EXTENSIONS)
    assert html.startswith('<div class="wiki-chart">\n<svg ')
    svg = re.search(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert svg is not None
    ET.fromstring(svg.group(0))  # Python-Markdown left the SVG intact
    assert "<table>" in html and "<script>" not in html


def test_empty_index_gives_no_charts() -> None:
    index = make_index()
    assert events_per_year(index) == killed_per_year(index) == events_per_group(index) == ""


def test_fixture_charts(fixture_index: Index) -> None:
    out = killed_per_year(fixture_index)
    assert "| [2020](/years/2020.md) | 4 | 2 | 6 | 1 |" in out  # the market attack; 7 wounded are not counted
    assert table_rows(events_per_year(fixture_index))[-1] == ["**Total**", "**2**"]


# -- reported death tolls (issue 15) ----------------------------------------------


def statistic(eid: str, date: str, measure: str, value: Any, **figure: Any) -> Any:
    return event(eid, date, type="statistic", figures=[{"measure": measure, "value": value, **figure}])


def test_reported_totals_are_listed_apart_at_their_own_precision_and_not_summed() -> None:
    index = make_index(
        event("a", "2015", casualties=[killed("soldiers", 3)]),
        statistic("un", "2016", "UN peacekeepers killed in Mali", 26, period="2016"),
        statistic("since", "2013/2024-06-16", "peacekeepers killed", 100, qualifier="over", period="2013/2024-06-16"),
        statistic("monthly", "../2024-06-16", "deaths from violence", 100, qualifier="over", unit="per month"),
        statistic("share", "2016", "share of peacekeeper deaths", 90, unit="percent"),
        statistic("kidnap", "2017", "kidnappings", 33),
        make_event(id="reward", type="other", figures=[{"measure": "reward for his death or capture", "value": 5}]),
    )
    killed_table = killed_per_year(index)
    assert table_rows(killed_table)[-1] == ["**Total**", "**3**", "**3**", "**1**"]  # the totals are not added
    rows = table_rows(reported_deaths(index))
    assert rows == [
        ["Peacekeepers killed", "over 100", "since 2013, as of 16 June 2024", "[An event](/events/since.md)"],
        ["UN peacekeepers killed in Mali", "26", "2016", "[An event](/events/un.md)"],
        ["Deaths from violence", "over 100 per month", "as of 16 June 2024", "[An event](/events/monthly.md)"],
    ]


def test_a_year_without_a_figure_is_never_drawn_as_zero() -> None:
    index = make_index(
        event("a", "2013", casualties=[killed("workers", 37)]),
        event("b", "2015"),  # an event, but no figure
        event("c", "2016", casualties=[killed("workers", 4)]),
    )
    out = killed_per_year(index)
    svg = svgs(out)[0]
    assert texts(svg).count("no figure") == 2  # 2014 and 2015: no event reports a number
    assert "0" not in [t for t in texts(svg) if t not in {"0", "10", "20", "30", "40"}]  # tick labels aside
    rows = {r[0]: r for r in table_rows(out)}
    assert rows["2014"][-2:] == ["no figure", "0"]
    assert rows["[2015](/years/2015.md)"][-2:] == ["no figure", "0"]


def test_reported_deaths_is_empty_without_statistics_of_deaths() -> None:
    assert reported_deaths(make_index(statistic("k", "2017", "kidnappings", 33))) == ""


@pytest.mark.parametrize("horizontal", [False, True])
def test_a_range_is_drawn_as_a_range_mark_in_either_layout(horizontal: bool) -> None:
    svg = ET.fromstring(
        bar_chart("T", ["police", "civilians"], {"killed": [2, 5]}, horizontal=horizontal, upper=[3, 5])
    )
    check_svg(svg)
    marks = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "wiki-range"]
    assert [m.findtext(f"{SVG}title") for m in marks] == ["police: 2–3 (the sources give a range)"]
    assert "2–3" in texts(svg) and "5" in texts(svg)
    assert bar_titles(svg) == ["police · killed: 2", "civilians · killed: 5"]  # the bar is the low reading

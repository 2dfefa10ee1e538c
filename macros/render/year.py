"""Year pages: the year's events (in parts when there are many), who was active, neighbours."""

from __future__ import annotations

from ..index import Index
from ..model import Range
from .charts import bar_charts, chart_block
from .links import link_to, link_year
from .lists import chronology_rows, filters_box
from .text import esc, join, label, plural, table
from .timeline import timeline

#: Events per year page; a busier year continues on further parts (keeps pages small).
YEAR_PART = 250


def year_parts(index: Index, year: int) -> int:
    return max(1, -(-len(index.events_by_year.get(year, [])) // YEAR_PART))


def part_uri(index: Index, year: int, part: int) -> str:
    return index.page_uri("year", str(year) if part == 1 else f"{year}-part-{part}")


def year_numbers(index: Index, year: int) -> str:
    """The year in numbers: events by type and people killed by category, each figure with the
    events it comes from (a chart, and the same numbers as a table)."""
    events = index.events_by_year.get(year, [])
    by_type: dict[str, int] = {}
    killed: dict[str, list[tuple[int, int, str]]] = {}
    for event in events:
        by_type[event.type.value] = by_type.get(event.type.value, 0) + 1
        for item in event.casualties:
            if item.killed is None:
                continue
            low, high = (item.killed.min, item.killed.max) if isinstance(item.killed, Range) else (item.killed,) * 2
            killed.setdefault(item.category.value, []).append((low, high, event.id))
    parts = ["## In numbers { #numbers }", ""]
    types = sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    parts += [table(["Type of event", "Events"], ([esc(label(t)), str(n)] for t, n in types)), ""]
    if killed:
        cats = sorted(killed)
        svg = bar_charts(
            f"People killed in {year}, by category",
            [label(c) for c in cats],
            {"killed": [sum(low for low, _, _ in killed[c]) for c in cats]},
            desc=f"Bar chart of the people reported killed in {year} in the wiki's events, by category; "
            "where a source gives a range, the bar shows its lower figure and a mark reaches the higher one. "
            "The same figures, with their events, are in the table below.",
            horizontal=True,
            unit="people killed (reported)",
            upper=[sum(high for _, high, _ in killed[c]) for c in cats],
        )
        rows = []
        for c in cats:
            low, high = sum(x for x, _, _ in killed[c]), sum(y for _, y, _ in killed[c])
            figure = f"{low}" if low == high else f"{low}–{high}"
            rows.append([esc(label(c)), figure, join(link_to(index, rid) for _, _, rid in killed[c])])
        parts += [chart_block(svg, table(["Category", "Killed", "Reported in"], rows)), ""]
    return "\n".join(parts)


def year_page(index: Index, year: int, part: int = 1) -> str:
    events = index.events_by_year.get(year, [])
    years = index.years
    pos = years.index(year)
    parts_total = year_parts(index, year)
    nav = []
    if pos > 0:
        nav.append(f"← {link_year(years[pos - 1])}")
    nav.append(f"[Chronology](/chronology/index.md#y{year})")
    if pos + 1 < len(years):
        nav.append(f"{link_year(years[pos + 1])} →")
    chunk = events[(part - 1) * YEAR_PART : part * YEAR_PART]
    title = f"{year}" if parts_total == 1 else f"{year} (part {part} of {parts_total})"
    parts = [
        f"# {title}",
        "",
        " · ".join(nav),
        "",
        f"{plural(len(events), 'event')} in the wiki are dated {year}.",
        "",
    ]
    if parts_total > 1:
        links = [
            f"[part {n}](/{part_uri(index, year, n)})" if n != part else f"part {n}" for n in range(1, parts_total + 1)
        ]
        parts += ["Parts: " + " · ".join(links), ""]
    parts += [
        filters_box(),
        "",
        timeline(index, chunk, part_uri(index, year, part), year=year, title=f"Timeline of {year}, by group"),
        "",
        "## Events { #events }",
        "",
        table(["Date", "Event", "Type", "Who", "Where"], chronology_rows(index, chunk)),
        "",
    ]
    if part == 1:
        parts += [year_numbers(index, year), ""]
        groups: dict[str, None] = {}
        people: dict[str, None] = {}
        for event in events:
            for actor in event.actors:
                (groups if actor.group else people)[actor.ref] = None
        for title, anchor, ids in (("Groups active", "groups", groups), ("People active", "people", people)):
            if ids:
                parts += [
                    f"## {title} {{ #{anchor} }}",
                    "",
                    join(link_to(index, i) for i in sorted(ids, key=index.name)),
                    "",
                ]
    return "\n".join(parts)


__all__ = ["YEAR_PART", "part_uri", "year_page", "year_parts"]

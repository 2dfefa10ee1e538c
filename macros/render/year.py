"""Year pages: the year's events (in parts when there are many), who was active, neighbours."""

from __future__ import annotations

from ..index import Index
from .links import link_to, link_year
from .lists import chronology_rows, filters_box
from .text import join, table

#: Events per year page; a busier year continues on further parts (keeps pages small).
YEAR_PART = 250


def year_parts(index: Index, year: int) -> int:
    return max(1, -(-len(index.events_by_year.get(year, [])) // YEAR_PART))


def part_uri(index: Index, year: int, part: int) -> str:
    return index.page_uri("year", str(year) if part == 1 else f"{year}-part-{part}")


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
        f"{len(events)} event{'s' if len(events) != 1 else ''} in the wiki are dated {year}.",
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
        "## Events { #events }",
        "",
        table(["Date", "Event", "Type", "Who", "Where"], chronology_rows(index, chunk)),
        "",
    ]
    if part == 1:
        groups: dict[str, None] = {}
        people: dict[str, None] = {}
        for event in events:
            for actor in event.actors:
                (groups if actor.group else people)[actor.ref] = None
        if groups:
            parts += [
                "## Groups active { #groups }",
                "",
                join(link_to(index, g) for g in sorted(groups, key=index.name)),
                "",
            ]
        if people:
            parts += [
                "## People active { #people }",
                "",
                join(link_to(index, p) for p in sorted(people, key=index.name)),
                "",
            ]
    return "\n".join(parts)


__all__ = ["YEAR_PART", "part_uri", "table", "year_page", "year_parts"]

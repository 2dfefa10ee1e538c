"""Year pages: the year's events, who was active, previous and next year."""

from __future__ import annotations

from ..index import Index
from .common import event_rows
from .links import link_to, link_year
from .text import join, table


def year_page(index: Index, year: int) -> str:
    events = index.events_by_year.get(year, [])
    years = index.years
    pos = years.index(year)
    nav = []
    if pos > 0:
        nav.append(f"← {link_year(years[pos - 1])}")
    nav.append(f"[Chronology](/chronology/index.md#y{year})")
    if pos + 1 < len(years):
        nav.append(f"{link_year(years[pos + 1])} →")
    groups: dict[str, None] = {}
    people: dict[str, None] = {}
    for event in events:
        for actor in event.actors:
            (groups if actor.group else people)[actor.ref] = None
    parts = [f"# {year}", "", " · ".join(nav), "",
             f"{len(events)} event{'s' if len(events) != 1 else ''} in the wiki are dated {year}.", "",
             "## Events { #events }", "", table(["Date", "Event", "Type"], event_rows(index, events)), ""]
    if groups:
        parts += ["## Groups active { #groups }", "", join(link_to(index, g) for g in sorted(groups, key=index.name)), ""]
    if people:
        parts += ["## People active { #people }", "", join(link_to(index, p) for p in sorted(people, key=index.name)), ""]
    return "\n".join(parts)

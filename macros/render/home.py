"""Macros for hand-written pages (home, about): data-driven fragments only."""

from __future__ import annotations

from collections.abc import Callable

from ..index import Index
from ..model import Group
from .cite import citation_text
from .common import event_rows
from .links import link_to
from .text import esc, label, table


def stats(index: Index) -> str:
    kb = index.kb
    return (
        f"{len(kb.events)} events, {len(kb.groups)} groups and organisations, {len(kb.people)} people, "
        f"{len(kb.places)} places and {len(kb.relations)} relations, drawn from {len(kb.sources)} sources"
        + (f", {index.years[0]}–{index.years[-1]}" if index.years else "")
        + "."
    )


def main_groups(index: Index, count: int = 10) -> str:
    """The groups most present in the data (events and relations), as a table."""
    groups = [g for g in index.kb.groups if isinstance(g, Group)]
    weight = {g.id: len(index.events_of.get(g.id, [])) + len(index.relations_of.get(g.id, [])) for g in groups}
    top = sorted(groups, key=lambda g: (-weight[g.id], index.name(g.id).casefold()))[:count]
    rows = [[link_to(index, g.id), esc(label(g.kind.value)), esc(g.summary or "")] for g in top]
    return table(["Group", "Kind", "In brief"], rows)


def latest_events(index: Index, count: int = 8) -> str:
    latest = list(index.events[-count:])[::-1]
    return table(["Date", "Event", "Type"], event_rows(index, latest))


def citation_example(index: Index) -> str:
    """A real citation from the data, rendered as the pages show it."""
    for event in index.events:
        citation = event.citations[0]
        return f"For example, the event {link_to(index, event.id)} cites:\n\n> {citation_text(index, citation)}"
    return ""


def home_macros(index: Index) -> dict[str, Callable[..., str]]:
    from .charts import events_per_year, killed_per_year

    return {
        "wiki_events_per_year": lambda: events_per_year(index),
        "wiki_killed_per_year": lambda: killed_per_year(index),
        "wiki_stats": lambda: stats(index),
        "wiki_main_groups": lambda count=10: main_groups(index, count),
        "wiki_latest_events": lambda count=8: latest_events(index, count),
        "wiki_citation_example": lambda: citation_example(index),
    }

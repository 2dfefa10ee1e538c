"""Index pages (one sortable table per kind), the chronology and the contested-facts page."""

from __future__ import annotations

from ..index import Index
from ..model import Event, Group, Person, Place, Source
from .anchors import event_anchor, self_link
from .cite import Footnotes
from .common import citations_section, role_text, topic_label
from .entity import contested_values
from .links import link_to, link_year
from .text import date_text, esc, event_date_cell, join, label, plural, table
from .timeline import timeline

INDEX_TITLES = {
    "group": "Groups and organisations",
    "person": "People",
    "place": "Places",
    "event": "Events",
    "source": "Sources",
}


def sortable(markdown_table: str) -> str:
    """Wrap a table so the site's own script can sort it (it reads fine without JS)."""
    return f'<div class="wiki-sortable" markdown>\n\n{markdown_table}\n\n</div>'


def kind_index(index: Index, kind: str) -> str:
    records = (
        sorted(index.of_kind(kind), key=lambda r: index.name(r.id).casefold()) if kind != "event" else index.events
    )
    title = INDEX_TITLES[kind]
    intro = f"{len(records)} {title.lower()} in the wiki. Select a column heading to sort."
    if kind == "group":
        rows = [
            [
                link_to(index, g.id),
                esc(g.short_name or ""),
                esc(label(g.kind.value)),
                str(len(index.events_of.get(g.id, []))),
            ]
            for g in records
            if isinstance(g, Group)
        ]
        body = table(["Name", "Acronym", "Kind", "Events"], rows)
    elif kind == "person":
        rows = [
            [
                link_to(index, p.id),
                esc("; ".join(p.aliases)),
                "unnamed" if p.unnamed else "",
                str(len(index.events_of.get(p.id, []))),
            ]
            for p in records
            if isinstance(p, Person)
        ]
        body = table(["Name", "Also known as", "Note", "Events"], rows)
    elif kind == "place":
        rows = [
            [
                link_to(index, p.id),
                esc(label(p.kind.value)),
                link_to(index, p.within) if p.within else "",
                str(len(index.events_of.get(p.id, []))),
            ]
            for p in records
            if isinstance(p, Place)
        ]
        body = table(["Name", "Kind", "In", "Events"], rows)
    elif kind == "source":
        rows = [
            [
                link_to(index, s.id),
                esc(s.publisher),
                esc(s.author or "not named"),
                date_text(s.published),
                str(len(index.citing.get(s.id, []))),
            ]
            for s in records
            if isinstance(s, Source)
        ]
        body = table(["Title", "Publisher", "Author", "Published", "Citations"], rows)
    elif len(records) > EVENT_INDEX_LIMIT:
        intro = f"{len(records)} events in the wiki, listed by year on the year pages."
        return f"# {title}\n\n{intro}\n\n{year_counts(index)}\n"
    else:
        rows = [
            [
                self_link(event_anchor(e.id), "row") + event_date_cell(e),
                link_to(index, e.id),
                esc(label(e.type.value)),
                join(link_to(index, p) for p in e.places),
            ]
            for e in records
            if isinstance(e, Event)
        ]
        body = table(["Date", "Event", "Type", "Places"], rows)
    download = "[Download the data](/downloads.md) as JSON or CSV."
    return f"# {title}\n\n{intro} {download}\n\n{sortable(body)}\n"


def chronology_rows(index: Index, events: list[Event]) -> list[list[str]]:
    rows = []
    for e in events:
        who = join(
            link_to(index, a.ref) + (f" ({esc(role_text(a.role.value))})" if a.role.value != "perpetrator" else "")
            for a in e.actors
        )
        rows.append(
            [
                self_link(event_anchor(e.id), "row") + event_date_cell(e),
                link_to(index, e.id),
                esc(label(e.type.value)),
                who or "—",
                join(link_to(index, p) for p in e.places) or "—",
            ]
        )
    return rows


#: Up to this many events the chronology is one page; beyond, it links to the year pages.
CHRONOLOGY_LIMIT = 400
#: Up to this many events the events index is one sortable table; beyond, counts per year.
EVENT_INDEX_LIMIT = 500


#: Fields of the filter form that assets/wiki.js builds (group, person, place, type, from, to).
FILTER_FIELDS = 6


def filters_box() -> str:
    """Placeholder that assets/wiki.js turns into the filter form (hidden without JavaScript).
    Where scripts run, its empty fields keep the form's room from the first paint, so the
    timeline and table below do not jump when the form appears."""
    slots = '<span class="wiki-filter-slot"></span>' * FILTER_FIELDS
    return (
        f'<div class="wiki-filters" hidden><div class="wiki-filter-form" aria-hidden="true">{slots}</div>'
        '<p class="wiki-filter-status"></p></div>'
    )


def year_counts(index: Index, anchors: bool = False) -> str:
    """Events per year, linking the year pages; with ``anchors``, each row is a #yYYYY target."""
    rows = [
        [(f'<span id="y{y}"></span>' if anchors else "") + link_year(y), str(len(index.events_by_year[y]))]
        for y in index.years
    ]
    return table(["Year", "Events"], rows)


def chronology(index: Index) -> str:
    parts = [
        "# Chronology",
        "",
        "Every event in the wiki, oldest first. Dates are shown at the precision the sources give: "
        "an event known only to the month or year is listed at the start of that month or year, and one "
        "known only to have happened by a day (often the date of the report that mentions it) on that day.",
        "",
    ]
    if len(index.events) > CHRONOLOGY_LIMIT:
        parts += [
            f"The wiki holds {len(index.events)} events: each year's page lists that year's events, "
            "with the same filters.",
            "",
            year_counts(index, anchors=True),
            "",
        ]
        return "\n".join(parts)
    parts += [filters_box(), "", timeline(index, index.events, "chronology/index.md", title="Timeline, by group"), ""]
    parts.append("Years: " + " · ".join(f"[{y}](#y{y})" for y in index.years))
    parts.append("")
    for year in index.years:
        events = index.events_by_year[year]
        parts += [
            f"## {year} {{ #y{year} }}",
            "",
            f"{link_year(year)}: {plural(len(events), 'event')}.",
            "",
            table(["Date", "Event", "Type", "Who", "Where"], chronology_rows(index, events)),
            "",
        ]
    return "\n".join(parts)


#: Disagreements per contested-facts page; more continue on further parts (a page stays under
#: about 300 KB at any size: each takes about 2.3 KB with its quotes).
CONTESTED_PART = 100


def contested_parts(index: Index) -> int:
    return max(1, -(-len(index.contested) // CONTESTED_PART))


def contested_uri(part: int) -> str:
    return "contested.md" if part == 1 else f"contested-part-{part}.md"


def contested_page(index: Index, part: int = 1) -> str:
    total = contested_parts(index)
    title = "Contested facts" if total == 1 else f"Contested facts (part {part} of {total})"
    parts = [
        f"# {title}",
        "",
        "Where the sources disagree about the same thing at the same time, the wiki records each value "
        "with its own citation and does not choose between them. This page lists every such disagreement: "
        "each value, the sources that give it and when they were published (the footnotes hold the quotes). "
        "Values that changed over time, such as a title held in 2010 and another in 2015, are not "
        "disagreements: the record's page lists them as a dated history.",
        "",
    ]
    if not index.contested:
        parts.append("No contested facts are recorded.")
        return "\n".join(parts) + "\n"
    chunks = [index.contested[i : i + CONTESTED_PART] for i in range(0, len(index.contested), CONTESTED_PART)]
    chunk = chunks[part - 1]
    if total > 1:
        links = []
        for n, items in enumerate(chunks, start=1):
            span = f"{index.display_name(items[0].entity)} … {index.display_name(items[-1].entity)}"
            name = f"**part {n}**" if n == part else f"[part {n}](/{contested_uri(n)})"
            links.append(f"{name} ({esc(span)})")
        parts += [f"{plural(len(index.contested), 'disagreement')}, in {total} parts: " + " · ".join(links), ""]
    cite = Footnotes(index)
    for item in chunk:
        when = f"The values are for {date_text(item.as_of)}. " if item.as_of else ""
        shown = f"Shown on the page of {index.display_name(item.entity)}"
        what = link_to(index, item.entity, shown, anchor=item.anchor)
        rows = [
            [f"**{value}**", sources, "yes" if recent else ""]
            for value, sources, recent in contested_values(index, item, cite)
        ]
        heading = f"{esc(index.display_name(item.entity))}: {esc(topic_label(index, item.topic))}"
        parts += [
            f"## {heading} {{ #{item.anchor}-{item.entity} }}",
            "",
            f"{when}{what}.",
            "",
            table(["Value", "Sources (title, date, quote)", "Most recent source"], rows),
            "",
        ]
    if part < total:
        parts += [f"Continued in [part {part + 1}](/{contested_uri(part + 1)}).", ""]
    parts.append(citations_section(cite))
    return "\n".join(parts) + "\n"


__all__ = ["CONTESTED_PART", "chronology", "contested_page", "contested_parts", "contested_uri", "kind_index"]


def map_page(index: Index) -> str:
    """The places on a map of Mali and its neighbours (by period), those beyond it, and all as a table."""
    from .sahel import OUTSIDE_LIMIT, outside_places, sahel_map

    maps = sahel_map(index, "map.md")
    places = sorted((p for p in index.kb.places if p.coords), key=lambda p: index.name(p.id).casefold())
    rows = [
        [
            link_to(index, p.id),
            esc(label(p.kind.value)),
            link_to(index, p.within) if p.within else "",
            str(len(index.events_of.get(p.id, []))),
        ]
        for p in places
    ]
    parts = [
        "# Map",
        "",
        "The places of the wiki's events in Mali and its neighbours; the corner map shows where this lies. "
        "A dot's area grows with the number of events at the place; countries, regions and areas are dashed "
        "rings. Coordinates are approximate (the wiki's own reference data); country outlines: Natural Earth. "
        "Select a dot or a name to open the place's page; choose a period to see only its events.",
        "",
    ]
    if maps:
        parts += [maps, ""]
    outside = outside_places(index)
    if outside:
        items = [
            f"{link_to(index, p.id)} ({plural(len(index.events_of.get(p.id, [])), 'event')})"
            for p in outside[:OUTSIDE_LIMIT]
        ]
        if len(outside) > OUTSIDE_LIMIT:
            items.append(f"and {len(outside) - OUTSIDE_LIMIT} more, in the table below")
        parts += ["## Beyond this map { #beyond }", "", join(items, " · "), ""]
    parts += ["## Places on the map { #places }", "", sortable(table(["Place", "Kind", "In", "Events"], rows)), ""]
    return "\n".join(parts)


def statistics_page(index: Index) -> str:
    """Charts with their numbers as tables; every figure links to the events it counts."""
    from .charts import events_per_group, events_per_year, killed_per_year, reported_deaths

    parts = [
        "# Statistics",
        "",
        "Counts drawn from the events in the wiki. They describe the wiki's sources, not the whole conflict: "
        "an event appears only if one of the sources reports it, and the sources report some periods far "
        "more than others. Each chart is followed by a table of the same numbers; the year pages list the "
        "events behind each number, with their citations.",
        "",
    ]
    for title, anchor, body in (
        ("Events per year", "events-per-year", events_per_year(index)),
        ("People killed per year", "killed-per-year", killed_per_year(index)),
        ("Reported death tolls", "reported-deaths", reported_deaths(index)),
        ("Events per group", "events-per-group", events_per_group(index)),
    ):
        if body:
            parts += [f"## {title} {{ #{anchor} }}", "", body, ""]
    return "\n".join(parts)


def relations_page(index: Index) -> str:
    """The whole conflict on a time axis, and the same relations as a cited table."""
    from .lineage import relations_table, whole_lineage

    drawing, relations = whole_lineage(index, "relations.md")
    cite = Footnotes(index)
    parts = [
        "# Relations between groups",
        "",
        "Splits, mergers, affiliations, alliances, rivalries and successions between the groups in the "
        "wiki, on a time axis. Select a group to open its page, or a relation to see its source in the "
        "table below, which lists the same relations with their dates.",
        "",
    ]
    if not relations:
        return "\n".join([*parts, "No relations are recorded.", ""])
    parts += [drawing, "", "## Relations { #relations-table }", "", relations_table(index, relations, cite), ""]
    return "\n".join([*parts, citations_section(cite), ""])

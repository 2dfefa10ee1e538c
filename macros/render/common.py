"""Page sections shared by several kinds of page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..dates import Interval, Point
from ..index import Index, primary_year
from ..model import Event, Group, Person, Place, Relation, RelationType
from .anchors import cite_details, event_anchor, relation_anchor, self_link
from .cite import Footnotes, SiteInfo
from .links import link_to, link_year
from .text import date_text, esc, event_date_cell, join, label, table

#: How a relation reads from its subject's page and from its object's page.
RELATION_LABELS: dict[RelationType, tuple[str, str]] = {
    RelationType.SPLIT_FROM: ("Split from", "Splinter groups"),
    RelationType.MERGED_INTO: ("Merged into", "Formed from"),
    RelationType.AFFILIATE_OF: ("Affiliate of", "Affiliates"),
    RelationType.ALLIED_WITH: ("Allied with", "Allied with"),
    RelationType.RIVAL_OF: ("Rival of", "Rivals"),
    RelationType.SUCCESSOR_OF: ("Successor of", "Succeeded by"),
    RelationType.PART_OF: ("Part of", "Components"),
    RelationType.MEMBER_OF: ("Member of", "Members"),
    RelationType.LEADER_OF: ("Leader of", "Leaders"),
    RelationType.FOUNDER_OF: ("Founder of", "Founders"),
}

ROLE_LABELS = {
    "claimed": "claimed responsibility",
    "suspected": "suspected perpetrator",
    "attributed": "attributed perpetrator",
}


def role_text(role: str) -> str:
    return ROLE_LABELS.get(role, label(role).lower())


def topic_label(index: Index, slug: str) -> str:
    """A label built from an id-like slug that keeps proper names: 'protection-by-mali' →
    'Protection by Mali', 'aqim-presence' → 'AQIM presence' (words spelling a record's id
    become that record's usual name)."""
    words, out, i = slug.split("-"), [], 0
    while i < len(words):
        for j in range(len(words), i, -1):
            record = index.by_id.get("-".join(words[i:j]))
            if isinstance(record, Group | Person | Place):
                out.append(record.short_name if isinstance(record, Group) and record.short_name else record.name)
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def span_text(relation: Relation) -> str:
    """'since 2012', '2012–2014', 'until 2021', or '' for an undated relation."""
    start, end = relation.start, relation.end
    if start and end:
        if start == end:
            return date_text(start)
        if isinstance(start, Point) and isinstance(end, Point) and start.earliest <= end.latest:
            return date_text(Interval(start, end))  # '2012–2014', 'August 2012 – 2014', '7–9 August 2015'
        return f"{date_text(start)} – {date_text(end)}"
    if start:
        return f"from {date_text(start)}" if isinstance(start, Point) else f"began {_bound_text(start)}"
    if end:
        return f"until {date_text(end)}" if isinstance(end, Point) else f"ended {_bound_text(end)}"
    return ""


def _bound_text(date: Interval) -> str:
    """A relation's start or end known only as a span: 'by 2014', '2015, by 11 August', 'in or after 2013'."""
    if date.end is None and date.start is not None:
        return f"in or after {date_text(date.start)}"
    return date_text(date)


def relation_view(relation: Relation, rid: str) -> tuple[str, str]:
    """(label as seen from ``rid``, id of the other end)."""
    forward, backward = RELATION_LABELS[relation.type]
    if relation.subject == rid:
        return forward, relation.object
    return backward, relation.subject


#: Rows of an entity's relations table, and names per row of its infobox, before "and N more".
RELATIONS_LIMIT = 100
INFOBOX_NAMES = 12
MENTIONS_LIMIT = 200


def relations_section(index: Index, rid: str, cite: Footnotes, site: SiteInfo | None = None) -> str:
    relations = index.relations_of.get(rid, [])
    if not relations:
        return ""
    rows = []
    for relation in relations[:RELATIONS_LIMIT]:
        text, other = relation_view(relation, rid)
        detail = esc(relation.text) if relation.text else ""
        if relation.note:
            detail = join([detail, f"*Note (wiki):* {esc(relation.note)}"], " ")
        anchor = relation_anchor(relation.id)
        details = cite_details(
            index,
            rid,
            anchor=anchor,
            kind="relation",
            what=f"{text} {index.display_name(other)}",
            citations=relation.citations,
            site=site or SiteInfo(),
        )
        rows.append(
            [
                self_link(anchor, "relation") + text,
                link_to(index, other),
                span_text(relation) or "—",
                detail + cite(relation.citations) + " " + details,
            ]
        )
    diagram = ""
    if index.kind_of.get(rid) == "group":
        from .lineage import group_lineage

        diagram = group_lineage(index, rid, index.uri(rid))
    head = "## Relations { #relations }\n\n" + (f"{diagram}\n\n" if diagram else "")
    more = len(relations) - RELATIONS_LIMIT
    tail = (
        f"\n\n{more} more relations are not listed here; the [downloads](/downloads.md) hold them all."
        if more > 0
        else ""
    )
    return head + table(["Relation", "With", "When", "Details"], rows) + tail


def event_rows(index: Index, events: Sequence[Event], rid: str | None = None) -> Iterable[list[str]]:
    for event in events:
        anchor = self_link(event_anchor(event.id), "row")
        row = [anchor + event_date_cell(event), link_to(index, event.id), label(event.type.value)]
        if rid is not None:
            roles = index.roles_in.get((event.id, rid), [])
            row.append(join(role_text(r) for r in roles) or ("place" if rid in event.places else "—"))
        yield row


#: Above this many events, an entity page lists the latest ones and counts the rest by year
#: (linking to year pages filtered on the entity), so no page grows with the whole wiki.
ENTITY_EVENTS_LIMIT = 100
LATEST_EVENTS = 25
FILTER_KEY = {"group": "group", "person": "person", "place": "place"}


def events_section(index: Index, rid: str, title: str = "Events") -> str:
    events = index.events_of.get(rid, [])
    if not events:
        return ""
    head = f"## {title} {{ #events }}\n\n"
    if len(events) <= ENTITY_EVENTS_LIMIT:
        return head + table(["Date", "Event", "Type", "Role"], event_rows(index, events, rid))
    by_year: dict[int, int] = {}
    for event in events:
        year = primary_year(event.date)
        by_year[year] = by_year.get(year, 0) + 1
    query = f"?{FILTER_KEY[index.kind_of[rid]]}={rid}"
    counts = table(
        ["Year", "Events"], ([f"[{y}]({Index.year_href(y)}{query})", str(n)] for y, n in sorted(by_year.items()))
    )
    latest = list(event_rows(index, events[-LATEST_EVENTS:][::-1], rid))
    return (
        head + f"{len(events)} events. Each year's page lists them all "
        "(with JavaScript, filtered to this page's subject).\n\n"
        + counts
        + f"\n\n### Latest {LATEST_EVENTS} events {{ #latest-events }}\n\n"
        + table(["Date", "Event", "Type", "Role"], latest)
    )


def mentions_section(index: Index, rid: str, shown: set[str]) -> str:
    """'Mentioned in': records that refer to ``rid`` and are not listed elsewhere on the page."""
    others = sorted(index.mentions.get(rid, set()) - shown - {rid})
    others = [o for o in others if index.kind_of.get(o) != "relation"]
    if not others:
        return ""
    items = [f"- {link_to(index, o)} ({index.kind_of[o]})" for o in others[:MENTIONS_LIMIT]]
    if len(others) > MENTIONS_LIMIT:
        items.append(f"- and {len(others) - MENTIONS_LIMIT} more")
    return "## Mentioned in { #mentioned-in }\n\n" + "\n".join(items)


def citations_section(cite: Footnotes) -> str:
    if not len(cite):
        return ""
    return "## Citations { #citations }\n\n" + cite.definitions()


def years_line(index: Index, events: Sequence[Event]) -> str:
    years = sorted({e.date.years.start for e in events})
    return join((link_year(y) for y in years if y in index.events_by_year), " · ")

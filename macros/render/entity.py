"""Pages of groups, people and places: infobox, facts, relations, events, backlinks."""

from __future__ import annotations

from collections import defaultdict

from ..dates import DateError, parse_date
from ..index import Contested, Index
from ..model import Entity, Fact, Group, Person, Place, Relation, RelationType
from .cite import Footnotes
from .common import (
    INFOBOX_NAMES,
    RELATION_LABELS,
    citations_section,
    events_section,
    mentions_section,
    relation_view,
    relations_section,
    span_text,
)
from .links import link_to
from .maps import locator_map
from .text import ascii_fold, date_text, esc, join, label
from .timeline import entity_timeline

#: Infobox rows built from facts, in this order: topic → row title.
FACT_ROWS = {
    "founded": "Founded",
    "first-appearance": "First appeared",
    "dissolved": "Dissolved",
    "strength": "Strength",
    "population": "Population",
    "title": "Title",
}
#: Relation rows in the infobox, in this order.
RELATION_ORDER = [
    RelationType.LEADER_OF,
    RelationType.FOUNDER_OF,
    RelationType.PART_OF,
    RelationType.MEMBER_OF,
    RelationType.AFFILIATE_OF,
    RelationType.SPLIT_FROM,
    RelationType.MERGED_INTO,
    RelationType.SUCCESSOR_OF,
    RelationType.ALLIED_WITH,
    RelationType.RIVAL_OF,
]


def value_text(value: str) -> str:
    """A fact value; dates in EDTF form are shown at their precision."""
    try:
        return esc(parse_date(value).display())
    except DateError:
        return esc(value)


def contested_badge(anchor: str) -> str:
    return f'[contested](#{anchor}){{ .wiki-contested title="Sources disagree" }}'


def _contested_anchor(item: Contested) -> str:
    return f"contested-{item.topic}"


def infobox(rows: list[tuple[str, str]], caption: str, figure: str = "") -> str:
    """A summary box as a definition list; rows with an empty value are left out.

    ``figure`` is raw HTML (an inline SVG map) shown at the top of the box.
    """
    body = "\n\n".join(f"{name}\n:   {value}" for name, value in rows if value)
    top = f'<div class="wiki-map-figure">\n{figure}\n</div>\n\n' if figure else ""
    return f'<div class="wiki-infobox" markdown>\n\n{top}{caption}\n{{: .wiki-infobox-title }}\n\n{body}\n\n</div>'


def _fact_rows(index: Index, entity: Entity, cite: Footnotes) -> list[tuple[str, str]]:
    rows = []
    contested_topics = {c.topic: c for c in index.contested_of.get(entity.id, [])}
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    for fact in entity.facts:
        by_topic[fact.topic].append(fact)
    for topic, title in FACT_ROWS.items():
        facts = [f for f in by_topic.get(topic, []) if f.value]
        if not facts:
            continue
        values = []
        for fact in facts:
            text = value_text(fact.value or "")
            if fact.as_of:
                text += f" ({date_text(fact.as_of)})"
            values.append(text + cite(fact.citations))
        cell = "; ".join(values)
        if topic in contested_topics:
            cell += " " + contested_badge(_contested_anchor(contested_topics[topic]))
        rows.append((title, cell))
    areas = [rid for fact in by_topic.get("area", []) for rid in fact.about]
    if areas:
        rows.append(("Area of operation", join(link_to(index, a) for a in dict.fromkeys(areas))))
    return rows


def _relation_rows(index: Index, rid: str, cite: Footnotes) -> list[tuple[str, str]]:
    grouped: dict[str, list[Relation]] = defaultdict(list)
    order: list[str] = []
    for rtype in RELATION_ORDER:
        order.extend(RELATION_LABELS[rtype])
    for relation in index.relations_of.get(rid, []):
        grouped[relation_view(relation, rid)[0]].append(relation)
    rows = []
    for name in dict.fromkeys(order):
        relations = grouped.get(name)
        if not relations:
            continue
        items = []
        for relation in relations[:INFOBOX_NAMES]:  # only what is shown is cited (footnotes must be used)
            span = span_text(relation)
            other = relation_view(relation, rid)[1]
            items.append(link_to(index, other) + (f" ({span})" if span else "") + cite(relation.citations))
        more = len(relations) - INFOBOX_NAMES
        rows.append((name, "; ".join(items) + (f"; and [{more} more](#relations)" if more > 0 else "")))
    return rows


def facts_section(index: Index, entity: Entity, cite: Footnotes) -> str:
    if not entity.facts:
        return ""
    contested = {c.topic: c for c in index.contested_of.get(entity.id, [])}
    lines = ["## Facts { #facts }", ""]
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    for fact in entity.facts:
        by_topic[fact.topic].append(fact)
    for topic, facts in by_topic.items():
        for fact in facts:
            text = f"- **{esc(label(topic))}**"
            if fact.as_of:
                text += f" ({date_text(fact.as_of)})"
            text += f": {esc(fact.text)}{cite(fact.citations)}"
            if fact.about:
                text += " — see " + join(link_to(index, a) for a in fact.about)
            if fact.note:
                text += f" *Note (wiki):* {esc(fact.note)}"
            lines.append(text)
    for item in contested.values():
        lines += ["", contested_block(item, cite)]
    return "\n".join(lines)


def contested_block(item: Contested, cite: Footnotes) -> str:
    """An admonition listing each value with its own citations."""
    when = f" as of {item.as_of.display()}" if item.as_of else ""
    lines = [
        f'!!! warning "Contested: {esc(label(item.topic))}{esc(when)}"',
        "",
        "    The sources give different values; the wiki does not choose between them.",
        "",
    ]
    for fact in item.facts:
        lines.append(f"    - **{value_text(fact.value or '')}**: {esc(fact.text)}{cite(fact.citations)}")
    anchor = _contested_anchor(item)
    return f'<div id="{anchor}" markdown>\n\n' + "\n".join(lines) + "\n\n</div>"


def _header(index: Index, entity: Entity, cite: Footnotes, kind_text: str) -> list[str]:
    parts = [f"# {esc(index.display_name(entity.id))}", ""]
    if isinstance(entity, Person) and entity.unnamed:
        parts += [
            '!!! info "Unnamed person"',
            "",
            "    The sources describe this person without naming them; the page title is the wiki's description.",
            "",
        ]
    rows: list[tuple[str, str]] = []
    names = list(dict.fromkeys([*entity.aliases, *(ascii_fold(n) for n in (entity.name, *entity.aliases))]))
    names = [n for n in names if n != entity.name]
    if names:
        rows.append(("Also known as", "; ".join(esc(n) for n in names)))
    if isinstance(entity, Place):
        if entity.within:
            rows.append(("In", link_to(index, entity.within)))
        if entity.coords:
            c = entity.coords
            rows.append(
                (
                    "Location",
                    f"c. {abs(c.lat):.2f}° {'N' if c.lat >= 0 else 'S'}, "
                    f"{abs(c.lon):.2f}° {'E' if c.lon >= 0 else 'W'} (approximate; wiki reference data)",
                )
            )
        inside = index.within.get(entity.id, [])
        if inside:
            rows.append(("Places within", join(link_to(index, p.id) for p in inside)))
    rows += _fact_rows(index, entity, cite)
    rows += _relation_rows(index, entity.id, cite)
    events = index.events_of.get(entity.id, [])
    if events:
        rows.append(("Events", f"[{len(events)} in the wiki](#events)"))
    figure = locator_map(index, [entity.id], index.uri(entity.id)) if isinstance(entity, Place) else ""
    parts += [infobox(rows, esc(kind_text), figure), ""]
    if entity.summary:
        parts += [esc(entity.summary) + cite(entity.citations), ""]
    else:
        parts += [f"Named in the sources{cite(entity.citations)}.", ""]
    if entity.note:
        parts += [f"*Note (wiki):* {esc(entity.note)}", ""]
    return parts


def entity_page(index: Index, rid: str) -> str:
    """The whole Markdown of a group, person or place page."""
    entity = index.get(rid)
    assert isinstance(entity, Group | Person | Place)
    cite = Footnotes(index)
    if isinstance(entity, Group | Place):
        kind_text = label(entity.kind.value)
    else:
        kind_text = "Person (unnamed)" if entity.unnamed else "Person"
    parts = _header(index, entity, cite, kind_text)
    shown = {e.id for e in index.events_of.get(rid, [])}  # listed or counted in the events section
    for section in (
        facts_section(index, entity, cite),
        relations_section(index, rid, cite),
        entity_timeline(index, rid),
        events_section(index, rid),
        mentions_section(index, rid, shown),
        citations_section(cite),
    ):
        if section:
            parts += [section, ""]
    return "\n".join(parts)

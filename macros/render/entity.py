"""Pages of groups, people and places: infobox, facts, relations, events, backlinks."""

from __future__ import annotations

from collections import defaultdict

from ..dates import DateError, WikiDate, parse_date
from ..index import ONE_OFF_TOPICS, Contested, Index
from ..model import Entity, Fact, Group, Person, Place, Relation, RelationType
from .anchors import cite_details, contested_value_anchor, fact_anchors, self_link
from .cite import Footnotes, SiteInfo
from .common import (
    INFOBOX_NAMES,
    RELATION_LABELS,
    citations_section,
    events_section,
    mentions_section,
    relation_view,
    relations_section,
    span_text,
    topic_label,
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


def infobox(rows: list[tuple[str, str]], caption: str, figure: str = "") -> str:
    """A summary box as a definition list; rows with an empty value are left out.

    ``figure`` is raw HTML (an inline SVG map) shown at the top of the box.
    """
    body = "\n\n".join(f"{name}\n:   {value}" for name, value in rows if value)
    top = f'<div class="wiki-map-figure">\n{figure}\n</div>\n\n' if figure else ""
    return f'<div class="wiki-infobox" markdown>\n\n{top}{caption}\n{{: .wiki-infobox-title }}\n\n{body}\n\n</div>'


def fact_time(index: Index, fact: Fact) -> WikiDate:
    """When a fact held: its ``as_of``, else the publication date of its earliest source."""
    if fact.as_of is not None:
        return fact.as_of
    dates = [index.source(c.source).published for c in fact.citations]
    return min(dates, key=lambda d: d.sort_key())


def fact_time_text(index: Index, fact: Fact) -> str:
    """'as of 2023', or 'reported 16 February 2010' for a fact dated only by its source."""
    if fact.as_of is not None:
        return f"as of {date_text(fact.as_of)}"
    return f"reported {date_text(fact_time(index, fact))}"


def _is_history(index: Index, facts: list[Fact]) -> bool:
    """Facts on one topic whose values differ because they describe different times."""
    valued = [f for f in facts if f.value]
    if len({(f.value or "").casefold() for f in valued}) < 2:
        return False
    return len({fact_time(index, f) for f in valued}) > 1 and facts[0].topic not in ONE_OFF_TOPICS


def _in_time_order(index: Index, facts: list[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: fact_time(index, f).sort_key())


def _fact_rows(index: Index, entity: Entity, cite: Footnotes) -> list[tuple[str, str]]:
    rows = []
    contested_of = {id(f): c for c in index.contested_of.get(entity.id, []) for f in c.facts}
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    for fact in entity.facts:
        by_topic[fact.topic].append(fact)
    for topic, title in FACT_ROWS.items():
        facts = [f for f in by_topic.get(topic, []) if f.value]
        if not facts:
            continue
        history = _is_history(index, facts)
        values, badges = [], []
        for fact in _in_time_order(index, facts) if history else facts:
            text = value_text(fact.value or "")
            if history:
                text += f" ({fact_time_text(index, fact)})"
            elif fact.as_of:
                text += f" ({date_text(fact.as_of)})"
            values.append(text + cite(fact.citations))
            item = contested_of.get(id(fact))
            if item is not None and item.anchor not in badges:
                badges.append(item.anchor)
        cell = "; ".join(values) + "".join(" " + contested_badge(anchor) for anchor in badges)
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
        # One entry per person or group, with every period of theirs: 'X (until 2012; from c. 2014)'.
        by_other: dict[str, list[Relation]] = defaultdict(list)
        for relation in relations:
            by_other[relation_view(relation, rid)[1]].append(relation)
        items = []
        for other, theirs in list(by_other.items())[:INFOBOX_NAMES]:  # only what is shown is cited
            spans = "; ".join(dict.fromkeys(s for s in map(span_text, theirs) if s))
            marks = "".join(cite(r.citations) for r in theirs)
            items.append(link_to(index, other) + (f" ({spans})" if spans else "") + marks)
        more = len(by_other) - INFOBOX_NAMES
        rows.append((name, "; ".join(items) + (f"; and [{more} more](#relations)" if more > 0 else "")))
    return rows


def facts_section(index: Index, entity: Entity, cite: Footnotes, site: SiteInfo | None = None) -> str:
    site = site or SiteInfo()
    if not entity.facts:
        return ""
    lines = ["## Facts { #facts }", ""]
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    for fact in entity.facts:
        by_topic[fact.topic].append(fact)
    anchors = {id(fact): anchor for fact, anchor in zip(entity.facts, fact_anchors(entity.facts).values(), strict=True)}
    for topic, facts in by_topic.items():
        name = esc(topic_label(index, topic))
        if _is_history(index, facts):
            # Values that changed over time: a dated list, oldest first, not a dispute.
            lines.append(f"- **{name}**, over time:")
            for fact in _in_time_order(index, facts):
                when = fact_time_text(index, fact)
                anchor = anchors[id(fact)]
                lines.append(
                    f"    - {self_link(anchor, 'fact')}{when[:1].upper()}{when[1:]}: {_fact_body(index, fact, cite)} "
                    + _cite_fact(index, entity, fact, anchor, site)
                )
            continue
        for fact in facts:
            when = f" ({date_text(fact.as_of)})" if fact.as_of else ""
            anchor = anchors[id(fact)]
            lines.append(
                f"- {self_link(anchor, 'fact')}**{name}**{when}: {_fact_body(index, fact, cite)} "
                + _cite_fact(index, entity, fact, anchor, site)
            )
    for item in index.contested_of.get(entity.id, []):
        lines += ["", contested_block(index, item, cite, site)]
    return "\n".join(lines)


def _cite_fact(index: Index, entity: Entity, fact: Fact, anchor: str, site: SiteInfo) -> str:
    """The 'Cite this fact' box of one fact."""
    what = topic_label(index, fact.topic) + (f" ({fact.as_of.display()})" if fact.as_of else "")
    return cite_details(index, entity.id, anchor=anchor, kind="fact", what=what, citations=fact.citations, site=site)


def _fact_body(index: Index, fact: Fact, cite: Footnotes) -> str:
    text = f"{esc(fact.text)}{cite(fact.citations)}"
    if fact.about:
        text += " — see " + join(link_to(index, a) for a in fact.about)
    if fact.note:
        text += f" *Note (wiki):* {esc(fact.note)}"
    return text


def contested_values(index: Index, item: Contested, cite: Footnotes) -> list[tuple[str, str, bool]]:
    """Per competing value: (value, its sources as 'Title, date[^n]', whether its newest source is
    the most recent of all). Nothing is marked most recent when the newest date is shared."""
    newest = {
        id(f): max((index.source(c.source).published for c in f.citations), key=lambda d: d.latest) for f in item.facts
    }
    latest = max(d.latest for d in newest.values())
    holders = {(f.value or "").casefold() for f in item.facts if newest[id(f)].latest == latest}
    out = []
    for fact in item.facts:
        sources = "; ".join(
            f"*{esc(index.source(c.source).title)}*, {date_text(index.source(c.source).published)}{cite([c])}"
            for c in fact.citations
        )
        recent = len(holders) == 1 and newest[id(fact)].latest == latest
        out.append((value_text(fact.value or ""), sources, recent))
    return out


def contested_block(index: Index, item: Contested, cite: Footnotes, site: SiteInfo | None = None) -> str:
    """An admonition listing each value with its sources, their dates and footnotes (the quotes),
    each value with its own address and 'Cite this value' box."""
    site = site or SiteInfo()
    when = f" as of {esc(item.as_of.display())}" if item.as_of else ""  # esc() would strip the space
    lines = [
        f'!!! warning "Contested: {esc(topic_label(index, item.topic))}{when}"',
        "",
        "    The sources disagree about the same time; the wiki does not choose between them. "
        "Each footnote holds the quote.",
        "",
    ]
    seen: dict[str, int] = {}
    values = contested_values(index, item, cite)
    for fact, (value, sources, recent) in zip(item.facts, values, strict=True):
        anchor = contested_value_anchor(item.topic, item.as_of.edtf() if item.as_of else "", fact.value or "")
        seen[anchor] = seen.get(anchor, 0) + 1  # two sources giving the same value
        anchor += f"-{seen[anchor]}" if seen[anchor] > 1 else ""
        what = f"{topic_label(index, item.topic)}: {fact.value or ''}"
        details = cite_details(
            index, item.entity, anchor=anchor, kind="value", what=what, citations=fact.citations, site=site
        )
        lines.append(
            f"    - {self_link(anchor, 'value')}**{value}** — {sources}"
            + (" — *the most recent source*" if recent else "")
            + f" {details}"
        )
    return f'<div id="{item.anchor}" markdown>\n\n' + "\n".join(lines) + "\n\n</div>"


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
    # The lead comes before the box (as on Wikipedia's phone pages): it is what a reader reads
    # first at any width, so its citations are the first footnotes.
    if entity.summary:
        parts += [esc(entity.summary) + cite(entity.citations), ""]
    else:
        parts += [f"Named in the sources{cite(entity.citations)}.", ""]
    if entity.note:
        parts += [f"*Note (wiki):* {esc(entity.note)}", ""]
    parts += [infobox(rows, esc(kind_text), figure), ""]
    return parts


def entity_page(index: Index, rid: str, site: SiteInfo | None = None) -> str:
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
        facts_section(index, entity, cite, site),
        relations_section(index, rid, cite, site),
        entity_timeline(index, rid),
        events_section(index, rid),
        mentions_section(index, rid, shown),
        citations_section(cite),
    ):
        if section:
            parts += [section, ""]
    return "\n".join(parts)

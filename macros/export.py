"""Machine-readable outputs, as pure functions: the JSON and CSV downloads,
JSON-LD for each page, and the hover-preview index.  No MkDocs imports."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import TypeAdapter

from .dates import Point, WikiDate
from .index import Index
from .model import DateBasis, Event, Group, Person, Place, Range, Relation, Source
from .render.text import ascii_fold, event_when

LICENCE = (
    "Data and text of the Sahel Conflict Wiki: CC BY 4.0. Quotes are short excerpts of third-party "
    "sources, cited for verification; their copyright stays with their publishers."
)
KIND_KEYS = {
    "source": "sources",
    "group": "groups",
    "person": "people",
    "place": "places",
    "event": "events",
    "relation": "relations",
}


#: Writes the whole download with pydantic's compiled serializer. The text is the same as
#: ``json.dumps(..., ensure_ascii=False, indent=1)`` of each record's
#: ``model_dump(mode="json", exclude_none=True)``, but json.dumps with an indent runs in pure
#: Python: 0.5 s at 3,000 events, against 0.1 s here (tests/test_outputs.py compares the two).
_BODY = TypeAdapter(dict[str, Any])


def knowledge_base_json(index: Index) -> str:
    """Every record with its citations, plus a table resolving every id to its kind, name and page."""
    kb = index.kb
    names = {
        rid: {"kind": index.kind_of[rid], "name": index.display_name(rid), "url": index.page_url(index.uri(rid))}
        for rid in sorted(index.by_id)
    }
    body: dict[str, Any] = {"licence": LICENCE, "ids": names, "date_bounds": _date_bounds(index)}
    for kind, key in KIND_KEYS.items():
        body[key] = list(index.of_kind(kind) if kind == "event" else getattr(kb, key))
    return _BODY.dump_json(body, indent=1, exclude_none=True).decode() + "\n"


def _date_bounds(index: Index) -> dict[str, dict[str, list[str]]]:
    """Record id → {field: [earliest ISO day, latest ISO day]} for every dated field of a record
    (an open end is ''): the records themselves keep their dates as EDTF text."""
    out: dict[str, dict[str, list[str]]] = {}
    for record in index.by_id.values():
        fields = {
            name: list(bounds(getattr(record, name)))
            for name in ("date", "published", "start", "end")
            if getattr(record, name, None) is not None
        }
        if fields:
            out[record.id] = fields
    return dict(sorted(out.items()))


def _cell(value: Any) -> str:
    """A CSV cell that spreadsheet software will not run as a formula. A number stays a number
    (-3.99 is a longitude, not a formula: spreadsheets read it as the number it is)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _cites(record: Any) -> str:
    return " | ".join(f"{c.source}: “{c.quote}”" for c in record.citations)


def _date(date: WikiDate | None) -> tuple[str, str]:
    return (date.edtf(), date.display()) if date else ("", "")


def bounds(date: WikiDate | None) -> tuple[str, str]:
    """The earliest and latest ISO day a date can mean ('2015' → 2015-01-01, 2015-12-31), so a
    spreadsheet never shows a false day; an open or missing end is ''. The EDTF text stays beside it."""
    if date is None:
        return ("", "")
    if isinstance(date, Point):
        return (date.earliest.isoformat(), date.latest.isoformat())
    return (
        date.start.earliest.isoformat() if date.start else "",
        date.end.latest.isoformat() if date.end else "",
    )


def _counts(counts: Iterable[int | Range | None]) -> tuple[int | str, int | str]:
    """Lowest and highest total of some counts (a {min, max} adds its ends); '' without any."""
    given = [c for c in counts if c is not None]
    if not given:
        return ("", "")
    return (
        sum(c.min if isinstance(c, Range) else c for c in given),
        sum(c.max if isinstance(c, Range) else c for c in given),
    )


def _by_category(event: Event, field: str) -> str:
    """'civilians: 4; police: 2 to 3' (never '2-3', which spreadsheets read as a date)."""
    parts = []
    for item in event.casualties:
        count = getattr(item, field)
        if count is not None:
            parts.append(f"{item.category.value}: {_count(count)}")
    return "; ".join(parts)


def csv_tables(index: Index) -> dict[str, Callable[[], str]]:
    """File name → a function that writes that CSV table, one table per kind: the names are
    known at once, each text is made only when (and where) its function is called."""
    kb = index.kb
    tables: dict[str, tuple[list[str], Callable[[], Iterable[list[Any]]]]] = {
        "sources.csv": (
            [
                "id",
                "title",
                "publisher",
                "author",
                "published",
                "published_display",
                "published_earliest",
                "published_latest",
                "url",
                "language",
            ],
            lambda: (
                [s.id, s.title, s.publisher, s.author, *_date(s.published), *bounds(s.published), s.url, s.language]
                for s in kb.sources
            ),
        ),
        "groups.csv": (
            ["id", "name", "short_name", "aliases", "kind", "summary", "events", "citations"],
            lambda: (
                [
                    g.id,
                    g.name,
                    g.short_name,
                    "; ".join(g.aliases),
                    g.kind.value,
                    g.summary,
                    len(index.events_of.get(g.id, [])),
                    _cites(g),
                ]
                for g in kb.groups
            ),
        ),
        "people.csv": (
            ["id", "name", "aliases", "unnamed", "summary", "events", "citations"],
            lambda: (
                [
                    p.id,
                    p.name,
                    "; ".join(p.aliases),
                    p.unnamed,
                    p.summary,
                    len(index.events_of.get(p.id, [])),
                    _cites(p),
                ]
                for p in kb.people
            ),
        ),
        "places.csv": (
            ["id", "name", "aliases", "kind", "within", "lat_approx", "lon_approx", "citations"],
            lambda: (
                [
                    p.id,
                    p.name,
                    "; ".join(p.aliases),
                    p.kind.value,
                    p.within,
                    p.coords.lat if p.coords else "",
                    p.coords.lon if p.coords else "",
                    _cites(p),
                ]
                for p in kb.places
            ),
        ),
        "events.csv": (
            [
                "id",
                "date",
                "date_display",
                "date_earliest",
                "date_latest",
                "date_basis",
                "title",
                "type",
                "places",
                "actors",
                "killed_min",
                "killed_max",
                "wounded_min",
                "wounded_max",
                "killed",
                "wounded",
                "summary",
                "citations",
            ],
            lambda: (
                [
                    e.id,
                    e.date.edtf(),
                    event_when(e),
                    *bounds(e.date),
                    e.date_basis.value if e.date_basis else "",
                    e.title,
                    e.type.value,
                    "; ".join(e.places),
                    "; ".join(f"{a.ref} ({a.role.value})" for a in e.actors),
                    *_counts(c.killed for c in e.casualties),
                    *_counts(c.wounded for c in e.casualties),
                    _by_category(e, "killed"),
                    _by_category(e, "wounded"),
                    e.summary,
                    _cites(e),
                ]
                for e in index.events
            ),
        ),
        "relations.csv": (
            ["id", "subject", "type", "object", "start", "start_earliest", "end", "end_latest", "citations"],
            lambda: (
                [
                    r.id,
                    r.subject,
                    r.type.value,
                    r.object,
                    _date(r.start)[0],
                    bounds(r.start)[0],
                    _date(r.end)[0],
                    bounds(r.end)[1],
                    _cites(r),
                ]
                for r in kb.relations
            ),
        ),
    }
    return {name: functools.partial(_csv_text, header, rows) for name, (header, rows) in tables.items()}


def _csv_text(header: list[str], rows: Callable[[], Iterable[list[Any]]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows())
    return buffer.getvalue()


def _count(count: Any) -> str:
    return f"{count.min} to {count.max}" if hasattr(count, "min") else str(count)


# -- JSON-LD -------------------------------------------------------------------


def _iso(date: WikiDate | None) -> str | None:
    """schema.org accepts ISO 8601 at reduced precision: '2012', '2012-08', '2015-08-07'."""
    if date is None:
        return None
    point = date if isinstance(date, Point) else date.start
    if point is None:  # an open start ('by 12 August 2015'): no start date is known
        return None
    text = f"{point.year:04d}"
    if point.month:
        text += f"-{point.month:02d}"
    if point.day:
        text += f"-{point.day:02d}"
    return text


def jsonld(index: Index, rid: str, site_url: str) -> dict[str, Any] | None:
    """schema.org description of a record's page (None for kinds without one)."""
    record = index.by_id.get(rid)
    if record is None or isinstance(record, Relation):
        return None
    url = site_url.rstrip("/") + "/" + index.page_url(index.uri(rid)) if site_url else index.page_url(index.uri(rid))
    data: dict[str, Any] = {"@context": "https://schema.org", "url": url}
    if isinstance(record, Source):
        data |= {
            "@type": "CreativeWork",
            "name": record.title,
            "publisher": {"@type": "Organization", "name": record.publisher},
            "datePublished": _iso(record.published),
            "inLanguage": record.language,
        }
        if record.author:
            data["author"] = {"@type": "Person", "name": record.author}
        if record.url:
            data["sameAs"] = record.url
    elif isinstance(record, Event):
        data |= {"@type": "Event", "name": record.title, "description": record.summary}
        start = _iso(record.date)
        if start is not None:
            data["startDate"] = start
        # An end that is only 'by' a day (an open start, or the day of the report that mentions
        # the event) is not the day it ended: schema.org has no 'by', so no endDate is given.
        end = getattr(record.date, "end", None)
        if end is not None and start is not None and record.date_basis is not DateBasis.REPORT:
            data["endDate"] = _iso(end)
        data["location"] = [_place_ld(index, p) for p in record.places]
    else:
        kind = {Group: "Organization", Person: "Person", Place: "Place"}[type(record)]
        data |= {"@type": kind, "name": record.name}
        if record.aliases:
            data["alternateName"] = list(record.aliases)
        if record.summary:
            data["description"] = record.summary
        if isinstance(record, Place):
            data |= _place_ld(index, record.id)
            data["@type"] = "Place"
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _place_ld(index: Index, pid: str) -> dict[str, Any]:
    place = index.by_id[pid]
    assert isinstance(place, Place)
    data: dict[str, Any] = {"@type": "Place", "name": place.name}
    if place.coords:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.coords.lat, "longitude": place.coords.lon}
    return data


def script_tag(data: dict[str, Any]) -> str:
    """A JSON-LD <script> element that data text cannot break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


# -- search ----------------------------------------------------------------------


def search_terms(index: Index, rid: str) -> list[str]:
    """Every name of a group, person or place (and its plain-letter spelling): weighted text
    in the page's search index (:mod:`macros.search`), so that searching any alias or acronym
    finds the entity's own page before pages that merely mention it."""
    record = index.by_id.get(rid)
    if not isinstance(record, Group | Person | Place):
        return []
    names = [record.name, *record.aliases]
    if isinstance(record, Group) and record.short_name:
        names.append(record.short_name)
    return list(dict.fromkeys([*names, *(ascii_fold(n) for n in names)]))


# -- hover previews ---------------------------------------------------------------


def previews_json(index: Index) -> str:
    """Page URL → {title, kind, text}: read by assets/wiki.js for link previews (text only, never HTML)."""
    out: dict[str, dict[str, str]] = {}
    for rid, record in sorted(index.by_id.items()):
        if isinstance(record, Relation):
            continue
        if isinstance(record, Event):
            text = f"{event_when(record)}. {record.summary}"
        elif isinstance(record, Source):
            text = f"{record.publisher}, {record.published.display()}."
        else:
            text = record.summary or ", ".join(record.aliases)
        out[index.page_url(index.uri(rid))] = {
            "title": index.display_name(rid),
            "kind": record.KIND,
            "text": text[:300],
        }
    return json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

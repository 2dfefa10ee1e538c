"""The knowledge base as one SQLite database, for Datasette, R, pandas or a SQL prompt.

One table per kind of record, and link tables for what a record holds several of
(``event_actors``, ``event_places``, ``casualties``, ``facts``, ``citations``); relations are
a kind of record, in ``relations``. Every id that names another record is a foreign key.
A record that may name records of several kinds (a citation's record, a fact's entity)
points at ``records``, which lists every record with its kind, name and page.
Built in memory with the standard library's ``sqlite3`` and serialized to bytes: the same
data gives the same file. ``metadata.json`` describes it for Datasette (licence, source,
a description of every table and column).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..export import LICENCE
from ..index import Index
from ..model import Entity, Person, Range
from ..render.text import event_when
from .common import iso, known_days, page_address

#: Table → (description, [(column, SQL declaration, description)]).
TABLES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "records": (
        "Every record of the wiki, whatever its kind: what citations and facts point at.",
        [
            ("id", "TEXT PRIMARY KEY", "The record's id, unique across the wiki."),
            ("kind", "TEXT NOT NULL", "source, group, person, place, event or relation."),
            ("name", "TEXT NOT NULL", "Display name (title of a source or event)."),
            ("url", "TEXT NOT NULL", "Address of the record's page (a relation's: its subject's page)."),
        ],
    ),
    "sources": (
        "The documents the facts are drawn from.",
        [
            ("id", "TEXT PRIMARY KEY REFERENCES records(id)", "Source id."),
            ("title", "TEXT NOT NULL", "Title of the document."),
            ("publisher", "TEXT NOT NULL", "Publisher or website."),
            ("author", "TEXT", "Author, where the document names one."),
            ("published", "TEXT NOT NULL", "Publication date (EDTF: 2015-08-12, 2012-09~, 2012/2014)."),
            ("published_earliest", "TEXT", "Earliest day the publication date allows (ISO 8601)."),
            ("published_latest", "TEXT", "Latest day the publication date allows (ISO 8601)."),
            ("url", "TEXT", "Original address."),
            ("language", "TEXT NOT NULL", "Language (BCP 47)."),
            ("summary", "TEXT", "The wiki's summary of the document."),
        ],
    ),
    "groups": (
        "Organisations: armed groups, state forces, missions, alliances, political bodies.",
        [
            ("id", "TEXT PRIMARY KEY REFERENCES records(id)", "Group id."),
            ("name", "TEXT NOT NULL", "Name."),
            ("short_name", "TEXT", "Usual acronym."),
            ("kind", "TEXT NOT NULL", "Kind of group (jihadist-group, state-forces, ...)."),
            ("aliases", "TEXT", "Other names, separated by '; '."),
            ("summary", "TEXT", "The wiki's summary."),
        ],
    ),
    "people": (
        "People named (or described) in the sources.",
        [
            ("id", "TEXT PRIMARY KEY REFERENCES records(id)", "Person id."),
            ("name", "TEXT NOT NULL", "Name (or the wiki's description of an unnamed person)."),
            ("aliases", "TEXT", "Other names, separated by '; '."),
            ("unnamed", "INTEGER NOT NULL", "1 if the sources do not name the person."),
            ("summary", "TEXT", "The wiki's summary."),
        ],
    ),
    "places": (
        "Countries, regions, towns, areas and sites.",
        [
            ("id", "TEXT PRIMARY KEY REFERENCES records(id)", "Place id."),
            ("name", "TEXT NOT NULL", "Name."),
            ("kind", "TEXT NOT NULL", "country, region, area, border-area, city, town, village or site."),
            ("within", "TEXT REFERENCES places(id)", "The place this one lies in."),
            ("lat", "REAL", "Approximate latitude (WGS 84; the wiki's reference data)."),
            ("lon", "REAL", "Approximate longitude (WGS 84)."),
        ],
    ),
    "events": (
        "Things that happened at a date or over a period, and reported statistics.",
        [
            ("id", "TEXT PRIMARY KEY REFERENCES records(id)", "Event id."),
            ("date", "TEXT NOT NULL", "Date as the wiki knows it (EDTF)."),
            ("date_display", "TEXT NOT NULL", "The date as the wiki shows it."),
            ("date_basis", "TEXT", "'report': the date's end is only the day of the report mentioning the event."),
            ("earliest", "TEXT", "Earliest day the date allows (ISO 8601); empty if open."),
            ("latest", "TEXT", "Latest day the date allows (ISO 8601); empty if open."),
            ("title", "TEXT NOT NULL", "Title in the wiki's words."),
            ("type", "TEXT NOT NULL", "Event type (attack, kidnapping, agreement, ...)."),
            ("summary", "TEXT NOT NULL", "What happened, in the wiki's words."),
            ("note", "TEXT", "The wiki's note."),
        ],
    ),
    "relations": (
        "Dated, cited links between groups and people (subject → object).",
        [
            ("id", "TEXT PRIMARY KEY REFERENCES records(id)", "Relation id."),
            ("type", "TEXT NOT NULL", "split-from, merged-into, allied-with, leader-of, ..."),
            ("subject_group", "TEXT REFERENCES groups(id)", "The subject, when it is a group."),
            ("subject_person", "TEXT REFERENCES people(id)", "The subject, when it is a person."),
            ("object", "TEXT NOT NULL REFERENCES groups(id)", "The object (a group)."),
            ("start", "TEXT", "When it began (EDTF)."),
            ("end", "TEXT", "When it ended (EDTF)."),
            ("text", "TEXT", "The relation in the wiki's words."),
        ],
    ),
    "event_actors": (
        "Groups and people taking part in events, with their role.",
        [
            ("event_id", "TEXT NOT NULL REFERENCES events(id)", "The event."),
            ("group_id", "TEXT REFERENCES groups(id)", "The actor, when a group."),
            ("person_id", "TEXT REFERENCES people(id)", "The actor, when a person."),
            ("role", "TEXT NOT NULL", "perpetrator, claimed, target, victim, mediator, ..."),
            ("note", "TEXT", "The wiki's note."),
        ],
    ),
    "event_places": (
        "Where events happened.",
        [
            ("event_id", "TEXT NOT NULL REFERENCES events(id)", "The event."),
            ("place_id", "TEXT NOT NULL REFERENCES places(id)", "A place of the event."),
        ],
    ),
    "casualties": (
        "People killed and wounded in events, by category, as the sources report them.",
        [
            ("event_id", "TEXT NOT NULL REFERENCES events(id)", "The event."),
            ("category", "TEXT NOT NULL", "civilians, soldiers, police, peacekeepers, attackers, ..."),
            ("killed_min", "INTEGER", "Killed: the lower figure where the source gives a range."),
            ("killed_max", "INTEGER", "Killed: the higher figure."),
            ("wounded_min", "INTEGER", "Wounded: the lower figure."),
            ("wounded_max", "INTEGER", "Wounded: the higher figure."),
            ("note", "TEXT", "The wiki's note."),
        ],
    ),
    "facts": (
        "Cited statements about groups, people and places.",
        [
            ("fact_id", "INTEGER PRIMARY KEY", "Number of the fact in this file (not stable across versions)."),
            ("entity_id", "TEXT NOT NULL REFERENCES records(id)", "The group, person or place."),
            ("topic", "TEXT NOT NULL", "founded, strength, area, ..."),
            ("value", "TEXT", "The short value compared across sources."),
            ("as_of", "TEXT", "When the fact held (EDTF)."),
            ("text", "TEXT NOT NULL", "The statement in the wiki's words."),
            ("note", "TEXT", "The wiki's note."),
        ],
    ),
    "citations": (
        "Every citation: a record (or one of its facts), a source and the verbatim quote.",
        [
            ("record_id", "TEXT NOT NULL REFERENCES records(id)", "The record citing."),
            ("fact_id", "INTEGER REFERENCES facts(fact_id)", "The fact citing, if a fact."),
            ("source_id", "TEXT NOT NULL REFERENCES sources(id)", "The source cited."),
            ("quote", "TEXT NOT NULL", "A short verbatim excerpt of the source."),
            ("locator", "TEXT", "Where in the source."),
        ],
    ),
}


def _low(count: int | Range | None) -> int | None:
    return count.min if isinstance(count, Range) else count


def _high(count: int | Range | None) -> int | None:
    return count.max if isinstance(count, Range) else count


def _days(date: Any) -> list[str | None]:
    return [iso(day) or None for day in known_days(date)]


def _rows(index: Index, site_url: str) -> dict[str, list[tuple[Any, ...]]]:
    kb = index.kb
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    for rid in sorted(index.by_id):
        rows["records"].append((rid, index.kind_of[rid], index.display_name(rid), page_address(index, rid, site_url)))
    for s in kb.sources:
        edtf = s.published.edtf()
        rows["sources"].append(
            (s.id, s.title, s.publisher, s.author, edtf, *_days(s.published), s.url, s.language, s.summary)
        )
    for g in kb.groups:
        rows["groups"].append((g.id, g.name, g.short_name, "; ".join(g.aliases), g.kind.value, g.summary))
    for p in kb.people:
        rows["people"].append((p.id, p.name, "; ".join(p.aliases), int(p.unnamed), p.summary))
    for pl in kb.places:
        lat, lon = (pl.coords.lat, pl.coords.lon) if pl.coords else (None, None)
        rows["places"].append((pl.id, pl.name, pl.kind.value, pl.within, lat, lon))
    for e in index.events:
        basis = e.date_basis.value if e.date_basis else None
        rows["events"].append(
            (e.id, e.date.edtf(), event_when(e), basis, *_days(e.date), e.title, e.type.value, e.summary, e.note)
        )
        rows["event_actors"].extend((e.id, a.group, a.person, a.role.value, a.note) for a in e.actors)
        rows["event_places"].extend((e.id, pid) for pid in e.places)
        rows["casualties"].extend(
            (e.id, c.category.value, _low(c.killed), _high(c.killed), _low(c.wounded), _high(c.wounded), c.note)
            for c in e.casualties
        )
    for r in kb.relations:
        person = isinstance(index.by_id.get(r.subject), Person)
        rows["relations"].append(
            (
                r.id,
                r.type.value,
                None if person else r.subject,
                r.subject if person else None,
                r.object,
                r.start.edtf() if r.start else None,
                r.end.edtf() if r.end else None,
                r.text,
            )
        )
    records: Iterable[Any] = [*kb.groups, *kb.people, *kb.places, *index.events, *kb.relations]
    for record in records:
        rows["citations"].extend((record.id, None, c.source, c.quote, c.locator) for c in record.citations)
        if isinstance(record, Entity):
            for fact in record.facts:
                number = len(rows["facts"]) + 1
                as_of = fact.as_of.edtf() if fact.as_of else None
                rows["facts"].append((number, record.id, fact.topic, fact.value, as_of, fact.text, fact.note))
                rows["citations"].extend((record.id, number, c.source, c.quote, c.locator) for c in fact.citations)
    return rows


def database(index: Index, site_url: str) -> bytes:
    """The SQLite file's bytes."""
    with sqlite3.connect(":memory:") as db:
        # The keys are declared for readers (PRAGMA foreign_keys = ON enforces them there); the
        # data are validated, so the bulk load does not check each row (tests run foreign_key_check).
        for name, (_, columns) in TABLES.items():
            db.execute(f'CREATE TABLE "{name}" (' + ", ".join(f'"{c}" {decl}' for c, decl, _ in columns) + ")")
        for name, rows in _rows(index, site_url).items():
            marks = ", ".join("?" for _ in TABLES[name][1])
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        for name, column in (("event_actors", "event_id"), ("event_places", "place_id"), ("citations", "source_id")):
            db.execute(f'CREATE INDEX "{name}_{column}" ON "{name}" ("{column}")')
        db.commit()
        data = db.serialize()
    db.close()
    return bytes(data)


def datasette_metadata(index: Index, site_url: str) -> str:
    """Datasette's metadata.json for ``datasette sahel-wiki.sqlite --metadata metadata.json``."""
    tables = {
        name: {"description": description, "columns": {c: text for c, _, text in columns}}
        for name, (description, columns) in TABLES.items()
    }
    body = {
        "title": "Sahel Conflict Wiki",
        "description": "The wiki's sources, groups, people, places, events and relations, with every citation.",
        "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "Sahel Conflict Wiki",
        "source_url": site_url or "./",
        "about": LICENCE,
        "databases": {"sahel-wiki": {"tables": tables}},
    }
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


__all__ = ["TABLES", "database", "datasette_metadata"]

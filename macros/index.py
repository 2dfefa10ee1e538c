"""Step 3 of the pipeline: indexes built once, and the one place that makes URLs.

Every cross-link, backlink and per-entity list is read from dictionaries
built here in a single pass over the records, so rendering one page never
scans the whole knowledge base.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .dates import Point, WikiDate
from .model import Citation, Entity, Event, Fact, Group, Person, Place, Relation, Source
from .validate import KnowledgeBase

#: Folder (under docs/) of the generated page of each kind of record.
PAGE_DIR = {
    "group": "groups",
    "person": "people",
    "place": "places",
    "event": "events",
    "source": "sources",
    "year": "years",
}
Record = Source | Group | Person | Place | Event | Relation


def primary_year(date: WikiDate) -> int:
    """The year under which an event is listed: its start, or its end if open-started."""
    if isinstance(date, Point):
        return date.year
    point = date.start or date.end
    assert point is not None
    return point.year


def sort_key(date: WikiDate | None, rid: str) -> tuple[Any, ...]:
    """Stable chronological order: earliest possible day, then finer precision first, then id."""
    if date is None:
        return ((), rid)
    return (date.sort_key(), rid)


@dataclass(frozen=True, slots=True)
class Contested:
    """Facts about one entity that give different values for the same thing."""

    entity: str
    topic: str
    as_of: WikiDate | None
    facts: tuple[Fact, ...]
    anchor: str = ""  # of its box on the entity's page: 'contested-founded', then '-2', ...


class Index:
    """Lookups over a validated :class:`KnowledgeBase`; read-only after construction."""

    def __init__(self, kb: KnowledgeBase, *, file_urls: bool = False) -> None:
        self.kb = kb
        #: Whether pages link to each other by file ('groups/aqim.html', the offline edition's
        #: ``use_directory_urls: false``) rather than by folder ('groups/aqim/').
        self.file_urls = file_urls
        records: list[Record] = [*kb.sources, *kb.groups, *kb.people, *kb.places, *kb.events, *kb.relations]
        self.by_id: dict[str, Record] = {r.id: r for r in records}
        self.kind_of: dict[str, str] = {r.id: r.KIND for r in records}

        events = sorted(kb.events, key=lambda e: sort_key(e.date, e.id))
        self.events: tuple[Event, ...] = tuple(events)
        self.events_of: dict[str, list[Event]] = defaultdict(list)
        self.roles_in: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.events_by_year: dict[int, list[Event]] = defaultdict(list)
        self.mentions: dict[str, set[str]] = defaultdict(set)
        self.citing: dict[str, list[tuple[str, Citation]]] = defaultdict(list)

        for event in events:
            self.events_by_year[primary_year(event.date)].append(event)
            seen: set[str] = set()
            for actor in event.actors:
                self.roles_in[(event.id, actor.ref)].append(actor.role.value)
                seen.add(actor.ref)
            seen.update(event.places)
            for rid in sorted(seen):
                self.events_of[rid].append(event)
                self.mentions[rid].add(event.id)

        self.relations_of: dict[str, list[Relation]] = defaultdict(list)
        for relation in sorted(kb.relations, key=lambda r: sort_key(r.start, r.id)):
            self.relations_of[relation.subject].append(relation)
            self.relations_of[relation.object].append(relation)
            self.mentions[relation.subject].add(relation.id)
            self.mentions[relation.object].add(relation.id)

        self.within: dict[str, list[Place]] = defaultdict(list)
        for place in kb.places:
            if place.within:
                self.within[place.within].append(place)
                self.mentions[place.within].add(place.id)

        entities: list[Entity] = [*kb.groups, *kb.people, *kb.places]
        for entity in entities:
            for fact in entity.facts:
                for rid in fact.about:
                    self.mentions[rid].add(entity.id)
        for record in records:
            for citation in _citations_of(record):
                self.citing[citation.source].append((record.id, citation))

        self.years: tuple[int, ...] = tuple(sorted(self.events_by_year))
        published = {source.id: source.published for source in kb.sources}
        self.contested: tuple[Contested, ...] = tuple(_find_contested(entities, published))
        self.contested_of: dict[str, list[Contested]] = defaultdict(list)
        for item in self.contested:
            self.contested_of[item.entity].append(item)

    # -- lookups -----------------------------------------------------------

    def get(self, rid: str) -> Record:
        return self.by_id[rid]

    def source(self, sid: str) -> Source:
        record = self.by_id[sid]
        assert isinstance(record, Source)
        return record

    def name(self, rid: str) -> str:
        record = self.by_id[rid]
        if isinstance(record, Source):
            return record.title
        if isinstance(record, Relation):
            verb = record.type.value.replace("-", " ")
            return f"{self.name(record.subject)} {verb} {self.name(record.object)}"
        return record.name

    def display_name(self, rid: str) -> str:
        """Name with the usual acronym for groups: 'Al Qaeda in the Islamic Maghreb (AQIM)'."""
        record = self.by_id[rid]
        if isinstance(record, Group) and record.short_name and record.short_name != record.name:
            return f"{record.name} ({record.short_name})"
        return self.name(rid)

    def of_kind(self, kind: str) -> tuple[Any, ...]:
        return {
            "source": self.kb.sources,
            "group": self.kb.groups,
            "person": self.kb.people,
            "place": self.kb.places,
            "event": self.events,
            "relation": self.kb.relations,
        }[kind]

    # -- URLs: the only place page paths are made ----------------------------

    @staticmethod
    def page_uri(kind: str, key: str) -> str:
        """Source path (under docs/) of the generated page of a record or a year."""
        return f"{PAGE_DIR[kind]}/{key}.md"

    def uri(self, rid: str) -> str:
        """The page showing a record; a relation is shown on its subject's page."""
        record = self.by_id[rid]
        if isinstance(record, Relation):
            return self.uri(record.subject)
        return self.page_uri(record.KIND, rid)

    def href(self, rid: str, anchor: str = "") -> str:
        """A docs-root-relative link that MkDocs validates and rewrites."""
        if not anchor and self.kind_of[rid] == "relation":
            anchor = "relations"
        return f"/{self.uri(rid)}" + (f"#{anchor}" if anchor else "")

    @staticmethod
    def page_url(uri: str) -> str:
        """The site URL (directory style) of a page source path: 'groups/aqim.md' → 'groups/aqim/'."""
        stem = uri[: -len(".md")]
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    def record_at(self, uri: str) -> str | None:
        """The id of the record whose generated page is ``uri``, if any."""
        folder, _, name = uri.rpartition("/")
        rid = name[: -len(".md")] if name.endswith(".md") else ""
        kind = self.kind_of.get(rid)
        return rid if kind is not None and PAGE_DIR.get(kind) == folder else None

    def last_modified(self, rid: str | None = None) -> str:
        """ISO day a page's content last changed, from the data (for the sitemap): the record's
        ``updated`` or ``added`` day, else the newest such day in the whole knowledge base."""
        record = self.by_id.get(rid) if rid else None
        own = _stamp(record)
        return own or self._newest

    @cached_property
    def _newest(self) -> str:
        stamps = [s for s in (_stamp(r) for r in self.by_id.values()) if s]
        if stamps:
            return max(stamps)
        published = [s.published.latest.isoformat() for s in self.kb.sources]
        return max(published, default="1970-01-01")

    def link_url(self, uri: str) -> str:
        """A page's URL as this build's pages link to it: :meth:`page_url`, or in a build for
        file:// (``file_urls``) the page's file: 'groups/aqim.html', 'index.html'. Addresses
        shown to readers (how to cite, JSON-LD) stay :meth:`page_url`, the public site's."""
        return uri[: -len(".md")] + ".html" if self.file_urls else self.page_url(uri)

    def url_from(self, from_uri: str, rid: str, anchor: str = "") -> str:
        """Relative URL from the page ``from_uri`` to a record's page, for raw HTML (e.g. SVG links)
        that MkDocs does not rewrite. Markdown links use :meth:`href` instead."""
        return relative_url(self.link_url(from_uri), self.link_url(self.uri(rid))) + (f"#{anchor}" if anchor else "")

    @staticmethod
    def year_href(year: int) -> str:
        return f"/{Index.page_uri('year', str(year))}"


def _stamp(record: object) -> str | None:
    date = getattr(record, "updated", None) or getattr(record, "added", None)
    return date.latest.isoformat() if date is not None else None


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link between two directory-style site URLs ('groups/aqim/' → 'people/x/' = '../../people/x/')."""
    base = posixpath.join("/", from_url)
    target = posixpath.join("/", to_url)
    rel = posixpath.relpath(target, base if base.endswith("/") else posixpath.dirname(base))
    directory = to_url == "" or to_url.endswith("/")
    return "./" if rel == "." else rel + ("/" if directory and not rel.endswith("/") else "")


def _citations_of(record: Record) -> Iterable[Citation]:
    if isinstance(record, Source):
        return ()
    found: list[Citation] = list(record.citations)
    if isinstance(record, Entity):
        for fact in record.facts:
            found.extend(fact.citations)
    return found


#: Topics about a one-off moment: two values are always about the same thing, whatever the dates
#: of their sources (a founding year given differently in 2010 and 2015 is a dispute).
ONE_OFF_TOPICS = frozenset({"founded", "first-appearance", "dissolved", "born", "died"})


def _same_time(a: Fact, b: Fact, published: dict[str, WikiDate]) -> bool:
    """Whether two facts on one topic describe the same time. A fact without ``as_of`` describes
    the time of its sources (their publication dates): Belmokhtar's title in a 2010 article and in
    a 2015 one is a change over time, not a disagreement."""
    if a.topic in ONE_OFF_TOPICS or (a.as_of is not None and b.as_of is not None):
        return a.topic in ONE_OFF_TOPICS or a.as_of == b.as_of
    if a.as_of is None and b.as_of is None:
        return bool({published[c.source] for c in a.citations} & {published[c.source] for c in b.citations})
    dated, undated = (a, b) if a.as_of is not None else (b, a)
    assert dated.as_of is not None
    span = dated.as_of
    return any(
        span.earliest <= published[c.source].earliest and published[c.source].latest <= span.latest
        for c in undated.citations
    )


def _clusters(facts: list[Fact], linked: Callable[[Fact, Fact], bool]) -> list[list[Fact]]:
    """Facts grouped so that any two linked facts share a group (linked-ness is made transitive)."""
    parent = list(range(len(facts)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(facts)):
        for j in range(i):
            if linked(facts[i], facts[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[Fact]] = defaultdict(list)
    for i, fact in enumerate(facts):
        groups[root(i)].append(fact)
    return list(groups.values())


def _find_contested(entities: Iterable[Entity], published: dict[str, WikiDate]) -> Iterable[Contested]:
    """Facts on one topic that give different values for the same time (see :func:`_same_time`)."""
    for entity in entities:
        by_topic: dict[str, list[Fact]] = defaultdict(list)
        for fact in entity.facts:
            if fact.value is not None:
                by_topic[fact.topic].append(fact)
        for topic, facts in by_topic.items():
            if len({f.value.casefold() for f in facts if f.value}) < 2:
                continue
            clusters = _clusters(facts, lambda a, b: _same_time(a, b, published))
            disputes = [c for c in clusters if len({f.value.casefold() for f in c if f.value}) > 1]
            for n, cluster in enumerate(disputes, start=1):
                times = {f.as_of for f in cluster}
                anchor = f"contested-{topic}" + (f"-{n}" if n > 1 else "")
                yield Contested(entity.id, topic, times.pop() if len(times) == 1 else None, tuple(cluster), anchor)


__all__ = ["ONE_OFF_TOPICS", "PAGE_DIR", "Contested", "Index", "primary_year", "sort_key"]

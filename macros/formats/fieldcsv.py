"""The wiki's events in the column names of ACLED and of UCDP's Georeferenced Event Dataset.

Every column's mapping, and what the wiki cannot fill, is documented on docs/downloads.md;
:data:`ACLED_TYPES` is the mapping of event types. Spreadsheet-safe: numbers are plain
numbers (a range is two columns, never "2-3"), days are ISO 8601, and a text cell that
starts with = + - @ is neutralised by :func:`macros.export._cell`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from ..export import _cell
from ..index import Index
from ..model import ActorRole, CasualtyCategory, Event, EventType, Group, GroupKind, Place, PlaceKind, Range
from .common import PlaceTree, iso, known_days, page_address

_PV, _SD, _DEM = "Political violence", "Strategic developments", "Demonstrations"
#: Wiki event type → ACLED (disorder_type, event_type, sub_event_type). An attack whose
#: reported dead are all civilians (or workers, hostages) is "Violence against civilians";
#: see :func:`acled_type`. Aggregate statistics are not events: they are left out.
ACLED_TYPES: dict[EventType, tuple[str, str, str]] = {
    EventType.ATTACK: (_PV, "Battles", "Armed clash"),
    EventType.AMBUSH: (_PV, "Battles", "Armed clash"),
    EventType.SIEGE: (_PV, "Battles", "Armed clash"),
    EventType.BOMBING: (_PV, "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    EventType.AIRSTRIKE: (_PV, "Explosions/Remote violence", "Air/drone strike"),
    EventType.KIDNAPPING: (_PV, "Violence against civilians", "Abduction/forced disappearance"),
    EventType.PUNISHMENT: (_PV, "Violence against civilians", "Attack"),
    EventType.PROTEST: (_DEM, "Protests", "Peaceful protest"),
    EventType.ARREST: (_SD, "Strategic developments", "Arrests"),
    EventType.AGREEMENT: (_SD, "Strategic developments", "Agreement"),
    EventType.DEPLOYMENT: (_SD, "Strategic developments", "Change to group/activity"),
    EventType.WITHDRAWAL: (_SD, "Strategic developments", "Change to group/activity"),
    EventType.OPERATION: (_SD, "Strategic developments", "Change to group/activity"),
    EventType.FOUNDING: (_SD, "Strategic developments", "Change to group/activity"),
    EventType.SPLIT: (_SD, "Strategic developments", "Change to group/activity"),
    EventType.RELEASE: (_SD, "Strategic developments", "Other"),
    EventType.CHARGE: (_SD, "Strategic developments", "Other"),
    EventType.COUP: (_SD, "Strategic developments", "Other"),
    EventType.NEGOTIATION: (_SD, "Strategic developments", "Other"),
    EventType.MEETING: (_SD, "Strategic developments", "Other"),
    EventType.STATEMENT: (_SD, "Strategic developments", "Other"),
    EventType.REPORT: (_SD, "Strategic developments", "Other"),
    EventType.PROCLAMATION: (_SD, "Strategic developments", "Other"),
    EventType.OTHER: (_SD, "Strategic developments", "Other"),
}
#: Group kind → ACLED's actor type (inter1/inter2): 1 state forces, 2 rebel groups,
#: 3 political militias, 4 identity militias, 8 external/other forces. Other kinds: blank.
ACLED_INTER: dict[GroupKind, int] = {
    GroupKind.STATE_FORCES: 1,
    GroupKind.GOVERNMENT: 1,
    GroupKind.JIHADIST_GROUP: 2,
    GroupKind.JIHADIST_ALLIANCE: 2,
    GroupKind.ISLAMIST_GROUP: 2,
    GroupKind.REBEL_MOVEMENT: 2,
    GroupKind.ARMED_GROUP: 3,
    GroupKind.CRIMINAL_NETWORK: 3,
    GroupKind.COMMUNITY: 4,
    GroupKind.MERCENARY_COMPANY: 8,
    GroupKind.INTERNATIONAL_MISSION: 8,
}
#: Roles that make a group the event's first side (ACLED actor1, UCDP side_a), in this order.
SIDE_A = (ActorRole.PERPETRATOR, ActorRole.CLAIMED, ActorRole.ATTRIBUTED, ActorRole.SUSPECTED)
SIDE_B = (ActorRole.TARGET, ActorRole.VICTIM, ActorRole.HOSTAGE)
CIVILIAN = (CasualtyCategory.CIVILIANS, CasualtyCategory.WORKERS, CasualtyCategory.HOSTAGES)
STATE = (CasualtyCategory.SOLDIERS, CasualtyCategory.POLICE, CasualtyCategory.PEACEKEEPERS)
#: Place kind → ACLED geo_precision (1 the town itself, 2 an area near it, 3 a region or larger)
#: and UCDP where_prec (1 exact place, 4 first-order division, 5 an area, 6 the country).
GEO_PRECISION = {PlaceKind.AREA: 2, PlaceKind.BORDER_AREA: 2, PlaceKind.REGION: 3, PlaceKind.COUNTRY: 3}
WHERE_PREC = {PlaceKind.AREA: 5, PlaceKind.BORDER_AREA: 5, PlaceKind.REGION: 4, PlaceKind.COUNTRY: 6}

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "civilian_targeting", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
    "fatalities_max", "date_earliest", "date_latest", "wiki_type", "wiki_id", "wiki_url",
]  # fmt: skip
UCDP_COLUMNS = [
    "id", "date_start", "date_end", "date_prec", "side_a", "side_b", "country", "adm_1",
    "where_coordinates", "where_prec", "latitude", "longitude",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "low", "high",
    "source_article", "wiki_type", "wiki_url",
]  # fmt: skip


def _low(count: int | Range | None) -> int:
    return 0 if count is None else count.min if isinstance(count, Range) else count


def _high(count: int | Range | None) -> int:
    return 0 if count is None else count.max if isinstance(count, Range) else count


def killed_range(event: Event, categories: Sequence[CasualtyCategory] = ()) -> tuple[int | None, int | None]:
    """The lowest and highest total of people reported killed (in ``categories``, or all);
    (None, None) where the wiki records no such figure."""
    counts = [
        c.killed for c in event.casualties if c.killed is not None and (not categories or c.category in categories)
    ]
    if not counts:
        return None, None
    return sum(_low(c) for c in counts), sum(_high(c) for c in counts)


def _groups(index: Index, event: Event, roles: Sequence[ActorRole]) -> list[Group]:
    found: list[Group] = []
    for role in roles:
        for actor in event.actors:
            group = index.by_id.get(actor.group or "")
            if actor.role is role and isinstance(group, Group) and group not in found:
                found.append(group)
    return found


def acled_type(event: Event) -> tuple[str, str, str] | None:
    """ACLED's (disorder_type, event_type, sub_event_type) of an event; None for a statistic."""
    if event.type is EventType.STATISTIC:
        return None
    mapped = ACLED_TYPES[event.type]
    if event.type is EventType.ATTACK:
        dead = {c.category for c in event.casualties if _high(c.killed) > 0}
        if dead and dead <= set(CIVILIAN):
            return (_PV, "Violence against civilians", "Attack")
    return mapped


def time_precision(earliest: dt.date | None, latest: dt.date | None) -> int:
    """ACLED: 1 the day is known, 2 the week (a span of up to 7 days), 3 a longer span."""
    if earliest is None or latest is None:
        return 3
    span = (latest - earliest).days
    return 1 if span == 0 else 2 if span < 7 else 3


def date_prec(earliest: dt.date | None, latest: dt.date | None) -> int:
    """UCDP GED: 1 exact day, 2 within 2-6 days, 3 the week, 4 within 8-30 days or the month,
    5 a longer span (the year)."""
    if earliest is None or latest is None:
        return 5
    days = (latest - earliest).days + 1
    return 1 if days == 1 else 2 if days <= 6 else 3 if days == 7 else 4 if days <= 31 else 5


def _middle(earliest: dt.date | None, latest: dt.date | None) -> dt.date | None:
    """ACLED's day for a date known to a span: its middle (the one known end of an open span)."""
    if earliest is None or latest is None:
        return earliest or latest
    return earliest + dt.timedelta(days=(latest - earliest).days // 2)


class Where:
    """An event's place as ACLED and UCDP describe it: the finest named place, its region
    and country, and the coordinates of the finest place that has some."""

    def __init__(self, tree: PlaceTree, event: Event) -> None:
        places = tree.finest(event)
        self.place: Place | None = places[0] if places else None
        chain = tree.chain(self.place.id) if self.place else ()
        country = next((i for i, p in enumerate(chain) if p.kind is PlaceKind.COUNTRY), None)
        self.country = chain[country].name if country is not None else ""
        # A region inside the country (a region above it, such as "North Africa", is not admin1).
        inside = chain[:country] if country is not None else ()
        self.admin1 = next((p.name for p in reversed(inside) if p.kind is PlaceKind.REGION), "")
        located = tree.located(self.place) if self.place else None
        self.lat: float | str = located.coords.lat if located and located.coords else ""
        self.lon: float | str = located.coords.lon if located and located.coords else ""
        self.kind = located.kind if located else None
        self.names = "; ".join(p.name for p in places)


def _sources(index: Index, event: Event) -> str:
    return "; ".join(dict.fromkeys(index.source(c.source).publisher for c in event.citations))


def _articles(index: Index, event: Event) -> str:
    sources = (index.source(c.source) for c in event.citations)
    return "; ".join(dict.fromkeys(f"{s.title} ({s.publisher})" for s in sources))


def _number(value: int | float | str | None) -> int | float | str:
    return "" if value is None else value


def acled_rows(index: Index, site_url: str) -> Iterable[list[Any]]:
    tree = PlaceTree(index)
    for event in index.events:
        types = acled_type(event)
        if types is None:
            continue
        earliest, latest = known_days(event.date)
        day = _middle(earliest, latest)
        side_a, side_b = _groups(index, event, SIDE_A), _groups(index, event, SIDE_B)
        where = Where(tree, event)
        low, high = killed_range(event)
        civilians_hit = types[1] == "Violence against civilians"
        actor2 = side_b[0].name if side_b else ("Civilians" + (f" ({where.country})" if where.country else ""))
        actor2 = actor2 if side_b or civilians_hit else ""
        yield [
            _cell(event.id),
            iso(day),
            day.year if day else "",
            time_precision(earliest, latest),
            *types,
            _cell(side_a[0].name if side_a else ""),
            _cell("; ".join(g.name for g in side_a[1:])),
            _number(ACLED_INTER.get(side_a[0].kind)) if side_a else "",
            _cell(actor2),
            _cell("; ".join(g.name for g in side_b[1:])),
            (_number(ACLED_INTER.get(side_b[0].kind)) if side_b else 7 if actor2 else ""),
            "Civilian targeting" if civilians_hit else "",
            _cell(where.country),
            _cell(where.admin1),
            _cell(where.place.name if where.place else ""),
            where.lat,
            where.lon,
            GEO_PRECISION.get(where.kind, 1) if where.kind else "",
            _cell(_sources(index, event)),
            _cell(f"{event.title}. {event.summary}"),
            _number(low),
            _number(high),
            iso(earliest),
            iso(latest),
            event.type.value,
            _cell(event.id),
            _cell(page_address(index, event.id, site_url)),
        ]


def ucdp_rows(index: Index, site_url: str) -> Iterable[list[Any]]:
    tree = PlaceTree(index)
    for event in index.events:
        low, high = killed_range(event)
        if low is None or high is None or event.type is EventType.STATISTIC:
            continue  # the GED counts deadly events only
        earliest, latest = known_days(event.date)
        side_a, side_b = _groups(index, event, SIDE_A), _groups(index, event, SIDE_B)
        where = Where(tree, event)
        attackers = killed_range(event, [CasualtyCategory.ATTACKERS])[0]
        state = killed_range(event, STATE)[0]
        civilians = killed_range(event, CIVILIAN)[0]
        unknown = killed_range(event, [CasualtyCategory.UNSPECIFIED])[0]
        side_b_name = "; ".join(g.name for g in side_b) or ("Civilians" if civilians and not state else "")
        yield [
            _cell(event.id),
            iso(earliest),
            iso(latest),
            date_prec(earliest, latest),
            _cell("; ".join(g.name for g in side_a)),
            _cell(side_b_name),
            _cell(where.country),
            _cell(where.admin1),
            _cell(where.names),
            WHERE_PREC.get(where.kind, 1) if where.kind else "",
            where.lat,
            where.lon,
            attackers or 0,
            state or 0,
            civilians or 0,
            unknown or 0,
            low,
            low,
            high,
            _cell(_articles(index, event)),
            event.type.value,
            _cell(page_address(index, event.id, site_url)),
        ]


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def acled_csv(index: Index, site_url: str) -> str:
    return _csv(ACLED_COLUMNS, acled_rows(index, site_url))


def ucdp_csv(index: Index, site_url: str) -> str:
    return _csv(UCDP_COLUMNS, ucdp_rows(index, site_url))

"""What the research formats share: absolute page addresses, a record's known days, its place."""

from __future__ import annotations

import datetime as dt

from ..dates import Interval, Point, WikiDate
from ..index import Index
from ..model import Event, Place, PlaceKind


def page_address(index: Index, rid: str, site_url: str, anchor: str = "") -> str:
    """The full address of a record's page (relative to the site root without a site URL)."""
    path = index.page_url(index.uri(rid)) + (f"#{anchor}" if anchor else "")
    return site_address(site_url, path)


def site_address(site_url: str, path: str) -> str:
    return (site_url.rstrip("/") + "/" if site_url else "") + path


def known_days(date: WikiDate | None) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest day the date allows, None where the data leaves it open
    (``2013/..`` has no latest day, ``../2015-08-12`` no earliest)."""
    if date is None:
        return None, None
    if isinstance(date, Point):
        return date.earliest, date.latest
    assert isinstance(date, Interval)
    return (date.start.earliest if date.start else None, date.end.latest if date.end else None)


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def date_parts(point: Point) -> list[int]:
    """[2015, 8, 7], [2012, 9] or [2010]: a point at its own precision (CSL's date-parts)."""
    return [point.year, *([point.month] if point.month else []), *([point.day] if point.day else [])]


def plain_iso(point: Point) -> str:
    """ISO 8601 at the point's precision, without EDTF qualifiers: '2012-09', '2015-08-07'."""
    return "-".join(f"{part:02d}" if i else f"{part:04d}" for i, part in enumerate(date_parts(point)))


def main_point(date: WikiDate) -> Point:
    """A date's start, or its end when the start is open."""
    if isinstance(date, Point):
        return date
    point = date.start or date.end
    assert point is not None
    return point


#: Finest first: a town says more about where an event happened than its region.
PLACE_RANK = {
    PlaceKind.SITE: 0,
    PlaceKind.VILLAGE: 0,
    PlaceKind.TOWN: 0,
    PlaceKind.CITY: 0,
    PlaceKind.AREA: 1,
    PlaceKind.BORDER_AREA: 1,
    PlaceKind.REGION: 2,
    PlaceKind.COUNTRY: 3,
}


def place_chain(index: Index, pid: str) -> list[Place]:
    """The place and the places it lies within, innermost first (a loop in ``within`` stops)."""
    chain: list[Place] = []
    seen: set[str] = set()
    current: str | None = pid
    while current is not None and current not in seen:
        place = index.by_id.get(current)
        if not isinstance(place, Place):
            break
        chain.append(place)
        seen.add(current)
        current = place.within
    return chain


class PlaceTree:
    """Every place's chain of containing places, worked out once per download (not per event)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.chains: dict[str, tuple[Place, ...]] = {p.id: tuple(place_chain(index, p.id)) for p in index.kb.places}

    def chain(self, pid: str) -> tuple[Place, ...]:
        return self.chains.get(pid, ())

    def finest(self, event: Event) -> list[Place]:
        """The event's places that no other of its places lies within (Gao rather than Mali and Gao)."""
        chains = [self.chain(pid) for pid in event.places]
        containing = {outer.id for chain in chains for outer in chain[1:]}
        return [chain[0] for chain in chains if chain and chain[0].id not in containing]

    def located(self, place: Place) -> Place | None:
        """The place if it has coordinates, else the nearest place it lies within that has some."""
        return next((p for p in self.chain(place.id) if p.coords is not None), None)

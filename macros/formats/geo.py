"""Places and events as GeoJSON (RFC 7946): a FeatureCollection of Points (and MultiPoints),
longitude before latitude in WGS 84, no ``crs`` member, coordinates to six decimals.

Only places with the wiki's reference coordinates are drawn, and events at such places;
the others are in the CSV and JSON downloads. An event is drawn at its finest located
places (Gao, not Mali and Gao): one Point, or a MultiPoint where it happened in several.
"""

from __future__ import annotations

import json
from typing import Any

from ..index import Index
from ..model import Event, Place
from ..render.text import event_when
from .common import PlaceTree, iso, known_days, page_address
from .fieldcsv import killed_range

_PRECISION = 6


def _position(place: Place) -> list[float]:
    assert place.coords is not None
    return [round(place.coords.lon, _PRECISION), round(place.coords.lat, _PRECISION)]


def _collection(name: str, features: list[dict[str, Any]]) -> str:
    body = {"type": "FeatureCollection", "name": name, "features": features}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"


def places_geojson(index: Index, site_url: str) -> str:
    features = []
    for place in index.kb.places:
        if place.coords is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": place.id,
                "geometry": {"type": "Point", "coordinates": _position(place)},
                "properties": {
                    "id": place.id,
                    "name": place.name,
                    "kind": place.kind.value,
                    "within": place.within,
                    "events": len(index.events_of.get(place.id, [])),
                    "url": page_address(index, place.id, site_url),
                },
            }
        )
    return _collection("places", features)


def event_places(tree: PlaceTree, event: Event) -> list[Place]:
    """Where an event is drawn: its finest places that have coordinates, else the nearest
    located place they lie within."""
    located: list[Place] = []
    for place in tree.finest(event):
        found = tree.located(place)
        if found is not None and found not in located:
            located.append(found)
    return located


def events_geojson(index: Index, site_url: str) -> str:
    features = []
    tree = PlaceTree(index)
    for event in index.events:
        places = event_places(tree, event)
        if not places:
            continue
        positions = [_position(p) for p in places]
        geometry: dict[str, Any] = (
            {"type": "Point", "coordinates": positions[0]}
            if len(positions) == 1
            else {"type": "MultiPoint", "coordinates": positions}
        )
        earliest, latest = known_days(event.date)
        low, high = killed_range(event)
        features.append(
            {
                "type": "Feature",
                "id": event.id,
                "geometry": geometry,
                "properties": {
                    "id": event.id,
                    "title": event.title,
                    "date": event.date.edtf(),
                    "date_display": event_when(event),
                    "date_basis": event.date_basis.value if event.date_basis else None,
                    "earliest": iso(earliest) or None,
                    "latest": iso(latest) or None,
                    "type": event.type.value,
                    "killed_min": low,
                    "killed_max": high,
                    "places": [p.name for p in places],
                    "url": page_address(index, event.id, site_url),
                },
            }
        )
    return _collection("events", features)

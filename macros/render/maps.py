"""Build-time SVG maps: inline, no tiles, no script, no request at view time.

Two pure functions return one ``<svg>`` element as a string, without blank
lines, to be wrapped by the caller in a ``<div>`` (a raw HTML block):

* :func:`overview_map`: every place with coordinates over the country outlines,
  each dot a link to the place's page, its size growing with the number of
  events there;
* :func:`locator_map`: a small map centred on one or a few places.

Colours come only from CSS classes (``docs/assets/maps.css``), so light and
dark schemes can style them. Every data string goes through :func:`html.escape`.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..geo import XY, BBox, Country, Outlines, Projection, bbox_around, clamp_to, clip_ring, fit_aspect, load_outlines
from ..geo import path_data as _path_data
from ..geo import simplify as _simplify
from ..index import Index
from ..model import Place, PlaceKind

SVG_NS = "http://www.w3.org/2000/svg"

OVERVIEW_WIDTH = 800
OVERVIEW_ASPECT = (1.0, 1.8)  # allowed width / height of the overview
LOCATOR_SIZE = (320, 220)

#: Place kinds drawn as an area marker (a ring) rather than a dot.
AREA_KINDS = frozenset({PlaceKind.COUNTRY, PlaceKind.REGION, PlaceKind.AREA, PlaceKind.BORDER_AREA})
#: Smallest span (degrees) a locator map shows around a place of each kind.
LOCATOR_SPAN = {PlaceKind.COUNTRY: 18.0, PlaceKind.REGION: 9.0, PlaceKind.AREA: 9.0, PlaceKind.BORDER_AREA: 9.0}
LOCATOR_SPAN_DEFAULT = 5.0
#: Average glyph width as a share of the font size, to judge whether a label fits.
GLYPH = 0.6


@dataclass(frozen=True, slots=True)
class Style:
    """Sizes (in viewBox units) of one kind of map."""

    label_size: float  # country names
    place_size: float  # names of highlighted places
    tolerance: float  # path simplification, in viewBox units


OVERVIEW_STYLE = Style(label_size=12, place_size=11, tolerance=0.6)
LOCATOR_STYLE = Style(label_size=10, place_size=11, tolerance=0.5)


@dataclass(frozen=True, slots=True)
class Spot:
    """A place with coordinates, as drawn."""

    place: Place
    lon: float
    lat: float
    events: int


# -- public --------------------------------------------------------------------


def overview_map(index: Index, from_uri: str) -> str:
    """All places with coordinates over the country outlines, each a link to its page.

    ``from_uri`` is the source path (under docs/) of the page the map goes on;
    links are made relative to it with :meth:`Index.url_from`. Returns ``""``
    when no place has coordinates inside the outlines' coverage.
    """
    outlines = load_outlines()
    spots, outside = _spots(index, (p for p in index.kb.places if p.coords), outlines)
    if not spots:
        return ""
    view = clamp_to(_overview_box(spots), _inner(outlines.coverage))
    k = max(0.2, math.cos(math.radians(view.centre[1])))
    height = round(OVERVIEW_WIDTH * view.height / (view.width * k))
    proj = Projection(view, OVERVIEW_WIDTH, height)

    uid = "wiki-map-overview"
    total = len(spots)
    desc = (
        f"{total} place{'s' if total != 1 else ''} with coordinates, drawn as dots over country outlines "
        "(Natural Earth). A larger dot means more events at the place; rings mark countries, regions and areas. "
        "Coordinates are approximate."
    )
    if outside:
        lie, are = ("lies", "is") if outside == 1 else ("lie", "are")
        desc += f" {outside} place{'s' if outside != 1 else ''} {lie} outside the map area and {are} not shown."
    lines = [
        _open(uid, "wiki-map wiki-map-overview", proj, role="group"),
        f'<title id="{uid}-title">Map of the places in the wiki</title>',
        f'<desc id="{uid}-desc">{html.escape(desc)}</desc>',
        *_base(outlines, proj, OVERVIEW_STYLE, focus=frozenset()),
    ]
    lines.append('<g class="wiki-map-dots">')
    for spot in sorted(spots, key=lambda s: (-s.events, s.place.name, s.place.id)):
        x, y = proj.project(spot.lon, spot.lat)
        name = spot.place.name
        count = f"{spot.events} event{'s' if spot.events != 1 else ''}"
        lines.append(
            f'<a href="{html.escape(index.url_from(from_uri, spot.place.id))}" aria-label="{html.escape(name)}">'
            f"<title>{html.escape(name)}: {count}</title>"
            f'<circle class="{_dot_class(spot.place)}" cx="{_f(x)}" cy="{_f(y)}" r="{_f(_radius(spot.events))}"/></a>'
        )
    lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines)


def locator_map(index: Index, place_ids: Sequence[str], from_uri: str) -> str:
    """A small map (320 x 220) centred on the given places, which are highlighted,
    with the outlines of the countries around them.

    Ids that are not places, places without coordinates and places outside
    the outlines' coverage are skipped; returns ``""`` if none is left. The
    map has no links (it is a plain image), so ``from_uri`` only keeps the
    signature in line with :func:`overview_map`.
    """
    del from_uri
    found = (index.by_id.get(pid) for pid in dict.fromkeys(place_ids))
    places = [r for r in found if isinstance(r, Place) and r.coords]
    outlines = load_outlines()
    spots, _ = _spots(index, places, outlines)
    if not spots:
        return ""
    key = tuple((s.place.id, s.place.name, s.place.kind.value, s.lon, s.lat) for s in spots)
    return _locator(key)


# -- the locator, cached by its places (many events share the same ones) ----------


@lru_cache(maxsize=512)
def _locator(key: tuple[tuple[str, str, str, float, float], ...]) -> str:
    outlines = load_outlines()
    width, height = LOCATOR_SIZE
    span = max(LOCATOR_SPAN.get(PlaceKind(kind), LOCATOR_SPAN_DEFAULT) for _, _, kind, _, _ in key)
    box = bbox_around([(lon, lat) for *_, lon, lat in key], pad=max(1.0, span / 8), min_span=span)
    view = clamp_to(fit_aspect(box, width / height), _inner(outlines.coverage))
    proj = Projection(view, width, height)
    focus = frozenset(c.id for *_, lon, lat in key if (c := outlines.country_at(lon, lat)) is not None)

    names = [name for _, name, *_ in key]
    uid = "wiki-locator-" + hashlib.sha1("\n".join(pid for pid, *_ in key).encode()).hexdigest()[:8]
    title = f"Location of {_and(names)}" if len(names) == 1 else f"Locations of {_and(names)}"
    where = "; ".join(f"{name} at about {_coords(lat, lon)}" for _, name, _, lon, lat in key)
    desc = f"Map with country outlines (Natural Earth) marking {where}. Coordinates are approximate."
    lines = [
        _open(uid, "wiki-map wiki-map-locator", proj, role="img"),
        f'<title id="{uid}-title">{html.escape(title)}</title>',
        f'<desc id="{uid}-desc">{html.escape(desc)}</desc>',
        *_base(outlines, proj, LOCATOR_STYLE, focus=focus),
    ]
    dots: list[tuple[str, float, float, float]] = []  # name, x, y, radius
    marks: list[str] = []
    for _, name, kind, lon, lat in key:
        x, y = proj.project(lon, lat)
        area = PlaceKind(kind) in AREA_KINDS
        r = 7.0 if area else 4.5
        css = "wiki-map-dot wiki-map-dot-focus" + (" wiki-map-dot-area" if area else "")
        marks.append(f'<circle class="{css}" cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"/>')
        dots.append((name, x, y, r))
    taken = [(x - r, y - r, x + r, y + r) for _, x, y, r in dots]
    labels = [
        label
        for name, x, y, r in dots
        if (label := _place_label(name, x=x, y=y, r=r, size=LOCATOR_STYLE.place_size, proj=proj, taken=taken))
    ]
    lines.append('<g class="wiki-map-dots">')
    lines.extend(marks)
    lines.append("</g>")
    if labels:
        lines.append(f'<g class="wiki-map-place-labels" font-size="{_f(LOCATOR_STYLE.place_size)}">')
        lines.extend(labels)
        lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines)


# -- pieces ----------------------------------------------------------------------


def _spots(index: Index, places: Iterable[Place], outlines: Outlines) -> tuple[list[Spot], int]:
    """The places inside the outlines' coverage, and how many were outside it."""
    inner = _inner(outlines.coverage)
    spots: list[Spot] = []
    outside = 0
    for place in places:
        assert place.coords is not None
        lon, lat = place.coords.lon, place.coords.lat
        if not inner.contains(lon, lat):
            outside += 1
            continue
        spots.append(Spot(place, lon, lat, len(index.events_of.get(place.id, ()))))
    return spots, outside


def _inner(coverage: BBox) -> BBox:
    """The coverage less a margin, so the cut edges of the outlines stay off the map."""
    return coverage.padded(-0.5)


def _overview_box(spots: Sequence[Spot]) -> BBox:
    box = bbox_around([(s.lon, s.lat) for s in spots], pad=2.0, min_span=12.0)
    k = max(0.2, math.cos(math.radians(box.centre[1])))
    aspect = box.width * k / box.height
    low, high = OVERVIEW_ASPECT
    return fit_aspect(box, min(max(aspect, low), high))


def _open(uid: str, css: str, proj: Projection, role: str) -> str:
    described = f' aria-describedby="{uid}-desc"' if role != "img" else ""
    labelled = f"{uid}-title" if role != "img" else f"{uid}-title {uid}-desc"
    return (
        f'<svg xmlns="{SVG_NS}" class="{css}" viewBox="0 0 {_f(proj.width)} {_f(proj.height)}" width="100%" '
        f'role="{role}" aria-labelledby="{labelled}"{described}>'
    )


def _base(outlines: Outlines, proj: Projection, style: Style, focus: frozenset[str]) -> list[str]:
    """Sea, country outlines and the country names that fit."""
    margin = 4.0
    view = _view_box(proj, margin)
    lines = [f'<rect class="wiki-map-sea" width="{_f(proj.width)}" height="{_f(proj.height)}"/>']
    shapes: list[tuple[Country, list[list[XY]]]] = []
    for country in outlines.countries:
        if not country.bbox.intersects(view):
            continue
        rings: list[list[XY]] = []
        for polygon in country.polygons:
            if not polygon.bbox.intersects(view):
                continue
            for ring in polygon.rings:
                projected = [proj.project(lon, lat) for lon, lat in ring]
                clipped = clip_ring(projected, -margin, -margin, proj.width + margin, proj.height + margin)
                if len(clipped) >= 3:
                    rings.append(_simplify([*clipped, clipped[0]], style.tolerance)[:-1])
        data = _path_data(rings)
        if data:
            css = "wiki-map-land wiki-map-land-focus" if country.id in focus else "wiki-map-land"
            lines.append(f'<path class="{css}" d="{data}"/>')
            shapes.append((country, rings))
    labels = _country_labels(shapes, proj, style.label_size)
    if labels:
        lines.append(f'<g class="wiki-map-labels" font-size="{_f(style.label_size)}">')
        lines.extend(labels)
        lines.append("</g>")
    return lines


def _view_box(proj: Projection, margin: float) -> BBox:
    """The degrees seen through the projection, plus ``margin`` pixels."""
    deg = margin / proj.pixels_per_degree
    return proj.bbox.padded(deg * 2)


def _country_labels(shapes: list[tuple[Country, list[list[XY]]]], proj: Projection, size: float) -> list[str]:
    """Names of the countries whose label fits inside the country and the map, largest first,
    never overlapping one another."""
    placed: list[tuple[float, float, float, float]] = []
    out: list[str] = []
    inset = 2.0

    def ground(item: tuple[Country, list[list[XY]]]) -> float:
        return -sum(abs(_area(r)) for r in item[1])

    for country, rings in sorted(shapes, key=ground):
        x, y = proj.project(*country.label)
        half_w, half_h = len(country.name) * size * GLYPH / 2, size * 0.6
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if box[0] < inset or box[1] < inset or box[2] > proj.width - inset or box[3] > proj.height - inset:
            continue
        left, right = _span(rings, x, y, axis=0)
        top, bottom = _span(rings, y, x, axis=1)
        if right - left < 2 * half_w + size * 0.4 or bottom - top < 2 * half_h + size * 0.3:
            continue
        if any(_overlap(box, other) for other in placed):
            continue
        placed.append(box)
        out.append(
            f'<text class="wiki-map-label" x="{_f(x)}" y="{_f(y)}" text-anchor="middle" dominant-baseline="central">'
            f"{html.escape(country.name)}</text>"
        )
    return out


def _place_label(
    name: str,
    *,
    x: float,
    y: float,
    r: float,
    size: float,
    proj: Projection,
    taken: list[tuple[float, float, float, float]],
) -> str:
    """A highlighted place's name right of its dot, or else left of it, where it stays on the map
    and clear of the other dots and names (``taken``, to which it is added)."""
    text_w = len(name) * size * GLYPH
    own = (x - r, y - r, x + r, y + r)
    for anchor, tx in (("start", x + r + 3), ("end", x - r - 3)):
        left = tx if anchor == "start" else tx - text_w
        box = (left, y - size * 0.6, left + text_w, y + size * 0.6)
        if box[0] < 2 or box[2] > proj.width - 2 or box[1] < 2 or box[3] > proj.height - 2:
            continue
        if any(_overlap(box, other) for other in taken if other != own):
            continue
        taken.append(box)
        return (
            f'<text class="wiki-map-place-label" x="{_f(tx)}" y="{_f(y)}" text-anchor="{anchor}" '
            f'dominant-baseline="central">{html.escape(name)}</text>'
        )
    return ""


def _span(rings: list[list[XY]], at: float, across: float, axis: int) -> tuple[float, float]:
    """Along a horizontal (axis 0) or vertical (axis 1) line through the label, the stretch of
    the country holding the label: the crossings of the outline just before and after it."""
    other = 1 - axis
    crossings: list[float] = []
    for ring in rings:
        prev = ring[-1]
        for cur in ring:
            if (cur[other] > across) != (prev[other] > across):
                t = (across - prev[other]) / (cur[other] - prev[other])
                crossings.append(prev[axis] + t * (cur[axis] - prev[axis]))
            prev = cur
    before = [c for c in crossings if c <= at]
    after = [c for c in crossings if c > at]
    if not before or not after:
        return (at, at)
    return (max(before), min(after))


def _area(ring: Sequence[XY]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)) / 2


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _radius(events: int) -> float:
    """Dot radius: its area grows with the number of events, within bounds."""
    return min(3.0 + 1.8 * math.sqrt(events), 14.0)


def _dot_class(place: Place) -> str:
    return "wiki-map-dot wiki-map-dot-area" if place.kind in AREA_KINDS else "wiki-map-dot"


def _coords(lat: float, lon: float) -> str:
    return f"{abs(lat):.1f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.1f}° {'E' if lon >= 0 else 'W'}"


def _and(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _f(value: float) -> str:
    """A number rounded to one decimal, without a trailing '.0'."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


__all__ = ["LOCATOR_SIZE", "OVERVIEW_WIDTH", "locator_map", "overview_map"]

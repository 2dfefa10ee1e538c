"""Build-time SVG maps: inline, no tiles, no script, no request at view time.

:func:`locator_map` returns one ``<svg>`` element as a string, without blank
lines, to be wrapped by the caller in a ``<div>`` (a raw HTML block): a small map
centred on one or a few places. The pieces here (land, country names, dots) also
draw the /map/ page's map (:mod:`.sahel`).

Colours come only from CSS classes (``docs/assets/wiki.css``, section "Maps"), so light and
dark schemes can style them. Every data string goes through :func:`html.escape`.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from ..geo import XY, BBox, Country, Outlines, Projection, bbox_around, clamp_to, clip_ring, fit_aspect, load_outlines
from ..geo import path_data as _path_data
from ..geo import simplify as _simplify
from ..index import Index
from ..model import Place, PlaceKind

SVG_NS = "http://www.w3.org/2000/svg"

LOCATOR_SIZE = (320, 220)
LOCATOR_BUDGET = 14_000  # bytes of one locator map

#: Place kinds drawn as an area marker (a ring) rather than a dot.
AREA_KINDS = frozenset({PlaceKind.COUNTRY, PlaceKind.REGION, PlaceKind.AREA, PlaceKind.BORDER_AREA})
#: Smallest span (degrees) a locator map shows around a place of each kind.
LOCATOR_SPAN = {PlaceKind.COUNTRY: 20.0, PlaceKind.REGION: 12.0, PlaceKind.AREA: 12.0, PlaceKind.BORDER_AREA: 12.0}
LOCATOR_SPAN_DEFAULT = 8.0
#: Average glyph width as a share of the font size, to judge whether a label fits.
GLYPH = 0.6


Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True, slots=True)
class Style:
    """Sizes (in viewBox units) of one kind of map."""

    label_size: float  # country names
    place_size: float  # names of highlighted places
    tolerance: float  # path simplification, in viewBox units


LOCATOR_STYLE = Style(label_size=10, place_size=11, tolerance=0.5)


@dataclass(frozen=True, slots=True)
class Spot:
    """A place with coordinates, as drawn."""

    place: Place
    lon: float
    lat: float
    events: int


# -- public --------------------------------------------------------------------


def locator_map(index: Index, place_ids: Sequence[str], from_uri: str) -> str:
    """A small map (320 x 220) centred on the given places, which are highlighted,
    with the outlines of the countries around them.

    Ids that are not places, places without coordinates and places outside
    the outlines' coverage are skipped; returns ``""`` if none is left. The
    map has no links (it is a plain image), so ``from_uri`` only keeps the
    signature in line with the other map renderers.
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


Key = tuple[tuple[str, str, str, float, float], ...]  # id, name, kind, lon, lat of each place


#: Distinct sets of places drawn on locator maps that stay cached, about 6 KB of SVG each
#: (at most about 50 MB). A wiki of 10,000 events has about 6,900: under ``mkdocs serve``,
#: whose reloads re-render every page in the same process, each map is then drawn once,
#: where a smaller cache, filled in the same order on every reload, would redraw them all.
LOCATOR_CACHE = 8192


@lru_cache(maxsize=LOCATOR_CACHE)
def _locator(key: Key) -> str:
    """The smallest simplification that keeps the map within :data:`LOCATOR_BUDGET`
    (only maps crowded with small countries, in Europe, need more than the first)."""
    svg = ""
    for factor in (1.0, 2.0, 3.5, 6.0):
        svg = _locator_svg(key, LOCATOR_STYLE.tolerance * factor)
        if len(svg.encode()) <= LOCATOR_BUDGET:
            break
    return svg


def _snapped(box: BBox, step: float) -> BBox:
    """The box with its centre on a grid of ``step`` degrees and its size a multiple of it,
    so that nearby places share a base map (see :func:`_locator_base`)."""
    (lon, lat) = box.centre
    width = math.ceil(box.width / step - 1e-9) * step
    height = math.ceil(box.height / step - 1e-9) * step
    lon, lat = round(lon / step) * step, round(lat / step) * step
    return BBox(lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2)


@cache  # one entry per distinct view: bounded by the geography (views are snapped)
def _locator_base(
    view: BBox, tolerance: float, focus: frozenset[str]
) -> tuple[tuple[str, ...], tuple[tuple[Box, str], ...]]:
    """The expensive part of a locator map, shared by every map with the same view:
    the land paths, and the country names with the box each label covers."""
    outlines = load_outlines()
    width, height = LOCATOR_SIZE
    proj = Projection(view, width, height)
    land, shapes = _land(outlines, proj, tolerance, focus=focus)
    labels = _label_point_items(shapes, proj, LOCATOR_STYLE.label_size)
    return tuple(land), tuple(labels)


def _label_point_items(
    shapes: list[tuple[Country, list[list[XY]]]], proj: Projection, size: float
) -> list[tuple[Box, str]]:
    """Country names at each country's label point (inside it, from the outline data), where the
    name fits on the map and clear of the names already placed; largest countries first.
    Cheaper than :func:`_country_label_items`' search, which the /map/ page's one base map can afford."""
    out: list[tuple[Box, str]] = []
    inset = 2.0
    for country, _rings in sorted(shapes, key=lambda item: -sum(abs(_area(r)) for r in item[1])):
        half_w, half_h = len(country.name) * size * GLYPH / 2, size * 0.6
        x, y = proj.project(*country.label)
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if box[0] < inset or box[1] < inset or box[2] > proj.width - inset or box[3] > proj.height - inset:
            continue
        if any(_overlap(box, other) for other, _ in out):
            continue
        out.append(
            (
                box,
                f'<text class="wiki-map-label" x="{_f(x)}" y="{_f(y)}" text-anchor="middle" '
                f'dominant-baseline="central">{html.escape(country.name)}</text>',
            )
        )
    return out


def _locator_svg(key: Key, tolerance: float) -> str:
    outlines = load_outlines()
    width, height = LOCATOR_SIZE
    span = max(LOCATOR_SPAN.get(PlaceKind(kind), LOCATOR_SPAN_DEFAULT) for _, _, kind, _, _ in key)
    box = bbox_around([(lon, lat) for *_, lon, lat in key], pad=max(1.0, span / 8), min_span=span)
    # A coarser grid for larger views (places far apart): the number of distinct base maps
    # stays bounded by the area covered, not by the number of events.
    # (steps are powers of two, so that slightly different boxes use the same grid).
    wanted = max(0.5, span / 8, max(box.width, box.height) / 6)
    box = _snapped(box, 2.0 ** math.ceil(math.log2(wanted)))
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
    ]
    land, country_labels = _locator_base(view, tolerance, focus)
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
    # Country names from the shared base, less those a dot or a place name would cover.
    names_kept = [text for box, text in country_labels if not any(_overlap(box, other) for other in taken)]
    lines.extend(land)
    if names_kept:
        lines += [f'<g class="wiki-map-labels" font-size="{_f(LOCATOR_STYLE.label_size)}">', *names_kept, "</g>"]
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


def _open(uid: str, css: str, proj: Projection, role: str | None) -> str:
    """The opening ``<svg>``; ``role=None`` for a map that holds links: ``img`` would hide them,
    and ``group`` is not allowed on ``<svg>`` (without a role it is a graphics document)."""
    return (
        f'<svg xmlns="{SVG_NS}" class="{css}" viewBox="0 0 {_f(proj.width)} {_f(proj.height)}" width="100%"'
        + (f' role="{role}"' if role else "")
        + f' aria-labelledby="{uid}-title" aria-describedby="{uid}-desc">'
    )


def _land(
    outlines: Outlines, proj: Projection, tolerance: float, focus: frozenset[str]
) -> tuple[list[str], list[tuple[Country, list[list[XY]]]]]:
    """The sea and the country outlines in view, simplified to ``tolerance`` (viewBox units;
    ``focus``: ids of countries to highlight);
    also each drawn country with its projected, clipped rings, for the labels."""
    margin = 4.0
    view = proj.bbox.padded(2 * margin / proj.pixels_per_degree)
    # simplify in degrees, once per outline and power-of-two tolerance, not once per map
    degrees = 2.0 ** math.floor(math.log2(tolerance / proj.pixels_per_degree))
    lines = [f'<rect class="wiki-map-sea" width="{_f(proj.width)}" height="{_f(proj.height)}"/>']
    shapes: list[tuple[Country, list[list[XY]]]] = []
    # Polygons wholly inside the clip rectangle (less a hair, against rounding) need no clipping.
    (west, north), (east, south) = (
        proj.unproject(-margin, -margin),
        proj.unproject(proj.width + margin, proj.height + margin),
    )
    unclipped = BBox(west, south, east, north).padded(-1e-9)
    for country in outlines.countries:
        if not country.bbox.intersects(view):
            continue
        rings: list[list[XY]] = []
        for polygon_at, polygon in enumerate(country.polygons):
            if not polygon.bbox.intersects(view):
                continue
            inside = unclipped.contains(polygon.bbox.west, polygon.bbox.south) and unclipped.contains(
                polygon.bbox.east, polygon.bbox.north
            )
            for ring in _simplified_rings(country.id, polygon_at, degrees):
                projected = proj.project_all(ring)
                if not inside:
                    projected = clip_ring(projected, -margin, -margin, proj.width + margin, proj.height + margin)
                if len(projected) >= 3:
                    rings.append(projected)
        data = _path_data(rings)
        if data:
            css = "wiki-map-land wiki-map-land-focus" if country.id in focus else "wiki-map-land"
            lines.append(f'<path class="{css}" d="{data}"/>')
            shapes.append((country, rings))
    return lines, shapes


@cache
def _simplified_rings(country_id: str, polygon_at: int, degrees: float) -> tuple[tuple[XY, ...], ...]:
    """The rings of one polygon of a country, simplified (Douglas-Peucker) to ``degrees``."""
    country = next(c for c in load_outlines().countries if c.id == country_id)
    rings = []
    for ring in country.polygons[polygon_at].rings:
        points = list(ring)
        rings.append(tuple(_simplify([*points, points[0]], degrees)[:-1]) if len(points) > 3 else tuple(points))
    return tuple(rings)


def _country_label_items(
    shapes: list[tuple[Country, list[list[XY]]]], proj: Projection, size: float, taken: list[Box]
) -> list[tuple[Box, str]]:
    """Names of the countries where one fits inside the country's visible part, on the map and
    clear of ``taken`` (dots, names) and of one another; largest countries first, each as near
    its label point (or the middle of its visible part) as it fits. Each with the box it covers."""
    out: list[tuple[Box, str]] = []
    placed = list(taken)
    for country, rings in sorted(shapes, key=lambda item: -sum(abs(_area(r)) for r in item[1])):
        half_w, half_h = len(country.name) * size * GLYPH / 2, size * 0.6
        lx, ly = proj.project(*country.label)
        if not (0 <= lx <= proj.width and 0 <= ly <= proj.height):
            xs = [x for ring in rings for x, _ in ring]
            ys = [y for ring in rings for _, y in ring]
            lx = (max(0.0, min(xs)) + min(proj.width, max(xs))) / 2
            ly = (max(0.0, min(ys)) + min(proj.height, max(ys))) / 2
        for x, y in _label_spots(rings, proj, half_w, half_h, (lx, ly)):
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if any(_overlap(box, other) for other in placed):
                continue
            placed.append(box)
            out.append(
                (
                    box,
                    (
                        f'<text class="wiki-map-label" x="{_f(x)}" y="{_f(y)}" text-anchor="middle" '
                        f'dominant-baseline="central">{html.escape(country.name)}</text>'
                    ),
                )
            )
            break
    return out


def _label_spots(rings: list[list[XY]], proj: Projection, half_w: float, half_h: float, near: XY) -> list[XY]:
    """Centres where a half_w x half_h label lies inside the rings and the map, nearest
    to ``near`` first: on rows across the shape, the stretches inside the outline at the
    label's top, middle and bottom are intersected and must be wide enough."""
    inset, pad = 2.0, half_h * 0.6
    ys = [y for ring in rings for _, y in ring]
    top, bottom = max(min(ys), 0.0) + half_h + inset, min(max(ys), proj.height) - half_h - inset
    if bottom < top:
        return []
    rows = max(1, min(16, int((bottom - top) / (half_h * 0.5))))
    found: list[tuple[float, float, float]] = []
    for i in range(rows + 1):
        y = top + (bottom - top) * i / rows
        stretches = [(inset, proj.width - inset)]
        for at in (y - half_h, y, y + half_h):
            stretches = _intersect(stretches, _inside_at(rings, at))
        for low, high in stretches:
            if high - low < 2 * (half_w + pad):
                continue
            x = min(max(near[0], low + half_w + pad), high - half_w - pad)
            found.append((math.hypot(x - near[0], y - near[1]), x, y))
    return [(x, y) for _, x, y in sorted(found)]


def _inside_at(rings: list[list[XY]], y: float) -> list[tuple[float, float]]:
    """The stretches of the horizontal line at ``y`` inside the rings (even-odd rule)."""
    crossings: list[float] = []
    for ring in rings:
        px, py = ring[-1]
        for x, cy in ring:
            if (cy > y) != (py > y):
                crossings.append(px + (y - py) / (cy - py) * (x - px))
            px, py = x, cy
    crossings.sort()
    return list(zip(crossings[::2], crossings[1::2], strict=False))


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Intersection of two sorted lists of disjoint intervals."""
    out: list[tuple[float, float]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low < high:
            out.append((low, high))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _place_label(
    name: str,
    *,
    x: float,
    y: float,
    r: float,
    size: float,
    proj: Projection,
    taken: list[Box],
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


def _area(ring: Sequence[XY]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)) / 2


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _radius(events: int) -> float:
    """Dot radius: its area grows with the number of events, within bounds."""
    return min(3.0 + 1.8 * math.sqrt(events), 14.0)


def _dot_class(place: Place) -> str:
    return "wiki-map-dot wiki-map-dot-area" if place.kind in AREA_KINDS else "wiki-map-dot"


def _coords(lat: float, lon: float) -> str:
    """'16.8° N, 3.0° W' (one decimal; 0.0 counts as north / east)."""
    lat, lon = round(lat, 1) + 0.0, round(lon, 1) + 0.0
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


__all__ = ["AREA_KINDS", "GLYPH", "LOCATOR_SIZE", "SVG_NS", "Box", "locator_map"]

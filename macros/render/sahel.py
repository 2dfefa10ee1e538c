"""The /map/ page: the places of the wiki on a map framed on Mali and its neighbours.

One HTML block (a raw HTML block for Markdown, without blank lines):

* the base map (sea, country outlines, a small locator of the wider region in a
  corner) drawn once in an invisible ``<svg>`` and shown by every map through ``<use>``,
  so the period maps cost only their dots and labels;
* a map of all years, then one map per period, each in a ``<details>`` (a period
  filter without JavaScript; ``assets/maps.js`` turns them into buttons);
* each map has its dots (a link to the place, area growing with the number of events)
  and two sets of labels, laid out by :func:`place_labels`: one for a wide screen (12 px
  at about 1:1) and one for a phone (the map drawn about 358 px wide, so the labels
  are larger in map units); CSS shows one of them. The busiest places are labelled first.

The places beyond the frame are returned apart (:func:`outside_places`) for the page to
list beside the map. Every data string is escaped; colours come from ``wiki.css``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..geo import BBox, Projection, load_outlines
from ..index import Index, primary_year
from ..model import Place, PlaceKind
from .maps import (
    AREA_KINDS,
    GLYPH,
    SVG_NS,
    Box,
    _country_label_items,
    _f,
    _inner,
    _land,
    _overlap,
    _radius,
)
from .text import plural

#: Mali and its neighbours (west, south, east, north): Bamako, the inner Niger delta, the
#: north up to the Algerian border, and the Mali-Niger-Burkina Faso border area with Niamey.
FRAME = BBox(-13.0, 9.0, 9.5, 25.5)
WIDTH = 680  # viewBox width; drawn about 1:1 in the content column of a wide screen
WIDE_SIZE = 12.0  # label size (map units) on a wide screen
NARROW_SIZE = 23.0  # on a phone (map about 358 px wide): 23 units ≈ 12 px
INSET = (6.0, 6.0, 124.0, 112.0)  # the locator of the wider region: x, y, width, height
#: Dots on one map, the busiest places first (the rest are in the table).
DOT_LIMIT = 150
PERIOD_DOT_LIMIT = 40
#: Places beyond the frame listed beside the map, the busiest first (all are in the table).
OUTSIDE_LIMIT = 40
#: The periods of the filter: (label, first year, last year); open ends catch every year.
PERIODS: tuple[tuple[str, int | None, int | None], ...] = (
    ("until 2011", None, 2011),
    ("2012–2013", 2012, 2013),
    ("2014–2019", 2014, 2019),
    ("since 2020", 2020, None),
)
BASE_ID = "wiki-map-base"


@dataclass(frozen=True, slots=True)
class Label:
    """A place name as laid out: its text anchor point and the box it covers."""

    key: str
    text: str
    x: float
    y: float
    anchor: str  # start, end or middle (text-anchor)
    box: Box


LabelItem = tuple[str, str, float, float, float]  # key, text, x, y, dot radius


def place_labels(
    items: Sequence[LabelItem], *, width: float, height: float, size: float, blocked: Sequence[Box] = ()
) -> list[Label]:
    """Names beside their dots, in the order given (the busiest first win), each at the first
    of eight positions (right, left, above, below, then the diagonals) where its box stays on
    the map, clear of ``blocked`` boxes, of every other item's dot and of the names already
    placed. A name with no free position is left out. No two boxes returned intersect."""
    gap = 2.0
    half_h = size * 0.62
    dots = {key: (x - r, y - r, x + r, y + r) for key, _, x, y, r in items}
    placed: list[Label] = []
    for key, text, x, y, r in items:
        w = len(text) * size * GLYPH + 2
        d = r + gap
        diagonal = r * 0.7 + gap
        options = (
            ("start", x + d, y),
            ("end", x - d, y),
            ("middle", x, y - d - half_h),
            ("middle", x, y + d + half_h),
            ("start", x + diagonal, y - diagonal - half_h),
            ("start", x + diagonal, y + diagonal + half_h),
            ("end", x - diagonal, y - diagonal - half_h),
            ("end", x - diagonal, y + diagonal + half_h),
        )
        for anchor, tx, ty in options:
            left = tx if anchor == "start" else tx - w if anchor == "end" else tx - w / 2
            box = (left, ty - half_h, left + w, ty + half_h)
            if box[0] < 1 or box[1] < 1 or box[2] > width - 1 or box[3] > height - 1:
                continue
            if any(_overlap(box, b) for b in blocked):
                continue
            if any(_overlap(box, other.box) for other in placed):
                continue
            if any(_overlap(box, dot) for other, dot in dots.items() if other != key):
                continue
            placed.append(Label(key, text, tx, ty, anchor, box))
            break
    return placed


@dataclass(frozen=True, slots=True)
class Spot:
    place: Place
    x: float
    y: float
    events: int


def _projection() -> Projection:
    k = math.cos(math.radians(FRAME.centre[1]))
    height = round(WIDTH * FRAME.height / (FRAME.width * k))
    return Projection(FRAME, WIDTH, height)


@cache
def _base() -> tuple[str, tuple[tuple[Box, str, str], ...], tuple[tuple[Box, str, str], ...]]:
    """The shared base map (an invisible ``<svg>`` of definitions), and the country names
    that fit for each label size: (box, name, <text> element) tuples."""
    outlines = load_outlines()
    proj = _projection()
    mali = frozenset(c.id for c in outlines.countries if c.name == "Mali")
    land, shapes = _land(outlines, proj, 0.6, focus=mali)
    x, y, w, h = INSET
    cover = _inner(outlines.coverage)
    inset_proj = Projection.fit(cover, w, h)
    inset_land, _ = _land(outlines, inset_proj, 1.0, focus=frozenset())
    (fx0, fy0), (fx1, fy1) = inset_proj.project(FRAME.west, FRAME.north), inset_proj.project(FRAME.east, FRAME.south)
    inset = [
        f'<svg x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" viewBox="0 0 {_f(w)} {_f(h)}">',
        *inset_land,
        f'<rect class="wiki-map-inset-frame" x="{_f(fx0)}" y="{_f(fy0)}" width="{_f(fx1 - fx0)}" '
        f'height="{_f(fy1 - fy0)}"/>',
        f'<rect class="wiki-map-inset-border" width="{_f(w)}" height="{_f(h)}"/>',
        "</svg>",
    ]
    base = (
        f'<svg xmlns="{SVG_NS}" class="wiki-map-defs" width="0" height="0" aria-hidden="true" focusable="false">'
        f'<defs><g id="{BASE_ID}">' + "".join([*land, *inset]) + "</g></defs></svg>"
    )
    labels = []
    for size in (WIDE_SIZE, NARROW_SIZE):
        items = _country_label_items(shapes, proj, size, [_inset_box()])
        labels.append(tuple((box, _text_of(text), text) for box, text in items))
    return base, labels[0], labels[1]


def _text_of(element: str) -> str:
    return html.unescape(element.rsplit(">", 2)[-2].split("<", 1)[0])


def _inset_box() -> Box:
    x, y, w, h = INSET
    return (x, y, x + w + 4, y + h + 4)


def _spots(index: Index, places: Sequence[tuple[Place, int]]) -> list[Spot]:
    proj = _projection()
    spots = []
    for place, events in places:
        assert place.coords is not None
        x, y = proj.project(place.coords.lon, place.coords.lat)
        spots.append(Spot(place, x, y, events))
    return sorted(spots, key=lambda s: (-s.events, index.name(s.place.id).casefold(), s.place.id))


def outside_places(index: Index) -> list[Place]:
    """Places with coordinates beyond the map's frame, the busiest first (see :data:`OUTSIDE_LIMIT`)."""
    out = [p for p in index.kb.places if p.coords and not FRAME.contains(p.coords.lon, p.coords.lat)]
    return sorted(out, key=lambda p: (-len(index.events_of.get(p.id, ())), index.name(p.id).casefold()))


def sahel_map(index: Index, from_uri: str) -> str:
    """The maps of the /map/ page as one HTML block, or ``""`` if no place lies in the frame."""
    inside = [p for p in index.kb.places if p.coords and FRAME.contains(p.coords.lon, p.coords.lat)]
    if not inside:
        return ""
    base, _, _ = _base()
    parts = [base, '<div class="wiki-map-periods">']
    counts = {p.id: len(index.events_of.get(p.id, ())) for p in inside}
    total = sum(1 for e in index.events if any(pid in counts for pid in e.places))
    parts.append('<figure class="wiki-map-figure wiki-map-period" id="map-all">')
    parts.append(
        _one_map(
            index, from_uri, key="all", title="All years", places=[(p, counts[p.id]) for p in inside], limit=DOT_LIMIT
        )
    )
    parts.append(f"<figcaption>All years: {plural(total, 'event')} at places on this map.</figcaption></figure>")
    for label, first, last in PERIODS:
        per_place: dict[str, int] = {}
        events = 0
        for event in index.events:
            year = primary_year(event.date)
            if (first is not None and year < first) or (last is not None and year > last):
                continue
            hits = [pid for pid in dict.fromkeys(event.places) if pid in counts]
            events += bool(hits)
            for pid in hits:
                per_place[pid] = per_place.get(pid, 0) + 1
        if not per_place:
            continue
        key = f"{first or 'start'}-{last or 'end'}"
        places = [(p, per_place[p.id]) for p in inside if p.id in per_place]
        parts += [
            f'<details class="wiki-map-period" name="wiki-map-period" id="map-{key}">',
            f"<summary>{html.escape(label)}: {plural(events, 'event')}</summary>",
            '<figure class="wiki-map-figure">',
            _one_map(
                index, from_uri, key=key, title=f"Places of the events {label}", places=places, limit=PERIOD_DOT_LIMIT
            ),
            "</figure>",
            "</details>",
        ]
    parts.append("</div>")
    return "\n".join(parts)


def _one_map(
    index: Index, from_uri: str, *, key: str, title: str, places: Sequence[tuple[Place, int]], limit: int
) -> str:
    proj = _projection()
    spots = _spots(index, places)
    left_off = max(0, len(spots) - limit)
    spots = spots[:limit]
    uid = f"wiki-map-{key}"
    _, wide_countries, narrow_countries = _base()
    dots: list[str] = []
    items: list[LabelItem] = []
    for spot in spots:
        r = _radius(spot.events) if spot.events else 2.5
        area = spot.place.kind in AREA_KINDS
        css = "wiki-map-dot" + (" wiki-map-dot-area" if area else "") + ("" if spot.events else " wiki-map-dot-none")
        href = html.escape(index.url_from(from_uri, spot.place.id))
        name = html.escape(spot.place.name)
        dots.append(
            f'<a href="{href}"><title>{name}: {plural(spot.events, "event")}</title>'
            f'<circle class="{css}" cx="{_f(spot.x)}" cy="{_f(spot.y)}" r="{_f(r)}"/></a>'
        )
        # Only places with events are named; an area's ring is large, so its name sits at its centre's side.
        if spot.events:
            items.append((spot.place.id, spot.place.name, spot.x, spot.y, min(r, 6.0) if area else r))
    layers = []
    hrefs = {s.place.id: html.escape(index.url_from(from_uri, s.place.id)) for s in spots}
    named = {s.place.name.casefold() for s in spots if s.events and s.place.kind is PlaceKind.COUNTRY}
    unlabelled = 0
    for css, size, countries in (
        ("wiki-map-wide", WIDE_SIZE, wide_countries),
        ("wiki-map-narrow", NARROW_SIZE, narrow_countries),
    ):
        labels = place_labels(items, width=proj.width, height=proj.height, size=size, blocked=[_inset_box()])
        taken = [label.box for label in labels] + [_dot_box(item) for item in items]
        kept = [
            text
            for box, name, text in countries
            if name.casefold() not in named and not any(_overlap(box, t) for t in taken)
        ]
        texts = [
            f'<a href="{hrefs[label.key]}" tabindex="-1" aria-hidden="true"><text class="wiki-map-place-label" '
            f'x="{_f(label.x)}" y="{_f(label.y)}"{_ANCHOR[label.anchor]}>{html.escape(label.text)}</text></a>'
            for label in labels
        ]
        if css == "wiki-map-wide":
            unlabelled = len(items) - len(labels)
        layers.append(
            f'<g class="{css}" font-size="{_f(size)}" dominant-baseline="central">'
            + "".join(kept)
            + "".join(texts)
            + "</g>"
        )
    desc = (
        f"Map of Mali and its neighbours with {plural(len(spots), 'place')} of the wiki "
        "(country outlines: Natural Earth; coordinates approximate). A larger dot means more events at the place; "
        "dashed rings mark countries, regions and areas, hollow dots places without events. "
        "The busiest places are named where there is room; every place is listed in the table below."
    )
    if unlabelled:
        desc += f" {plural(unlabelled, 'place')} with events could not be named for lack of room."
    if left_off:
        desc += f" Only the {limit} places with the most events are drawn; {left_off} more are in the table."
    return "\n".join(
        [
            f'<svg xmlns="{SVG_NS}" class="wiki-map wiki-map-sahel" viewBox="0 0 {_f(proj.width)} {_f(proj.height)}" '
            f'width="100%" aria-labelledby="{uid}-title" aria-describedby="{uid}-desc">',
            f'<title id="{uid}-title">{html.escape(title)}</title>',
            f'<desc id="{uid}-desc">{html.escape(desc)}</desc>',
            f'<use href="#{BASE_ID}"/>',
            '<g class="wiki-map-dots">',
            *dots,
            "</g>",
            *layers,
            "</svg>",
        ]
    )


_ANCHOR = {"start": "", "middle": ' text-anchor="middle"', "end": ' text-anchor="end"'}


def _dot_box(item: LabelItem) -> Box:
    _, _, x, y, r = item
    return (x - r, y - r, x + r, y + r)


__all__ = ["FRAME", "OUTSIDE_LIMIT", "PERIODS", "Label", "outside_places", "place_labels", "sahel_map"]

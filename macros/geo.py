"""Country outlines and a map projection for the build-time SVG maps.

The outlines are ``data/geo/countries.json`` (Natural Earth via world-atlas,
made by ``tools/make_geo.py``), read once.  Everything here is plain Python:
bounding boxes in degrees, an equirectangular projection onto a pixel
rectangle, and the clipping and simplification that keep an SVG path small.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

OUTLINES = Path(__file__).resolve().parent.parent / "data" / "geo" / "countries.json"

LonLat = tuple[float, float]
XY = tuple[float, float]


@dataclass(frozen=True, slots=True)
class BBox:
    """A rectangle in degrees: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south

    @property
    def centre(self) -> LonLat:
        return ((self.west + self.east) / 2, (self.south + self.north) / 2)

    def intersects(self, other: BBox) -> bool:
        return not (
            other.east < self.west or other.west > self.east or other.north < self.south or other.south > self.north
        )

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def padded(self, degrees: float) -> BBox:
        return BBox(self.west - degrees, self.south - degrees, self.east + degrees, self.north + degrees)

    @staticmethod
    def around(points: Iterable[LonLat]) -> BBox:
        """The smallest box holding the points (at least one)."""
        lons, lats = zip(*points, strict=True)
        return BBox(min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True, slots=True)
class Polygon:
    """An outer ring and its holes, each a tuple of (lon, lat)."""

    rings: tuple[tuple[LonLat, ...], ...]
    bbox: BBox


@dataclass(frozen=True, slots=True)
class Country:
    id: str
    name: str
    label: LonLat  # a point well inside the largest polygon, for the name
    polygons: tuple[Polygon, ...]
    bbox: BBox

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies in the country (even-odd rule over all rings)."""
        if not self.bbox.contains(lon, lat):
            return False
        return any(p.bbox.contains(lon, lat) and _inside(lon, lat, p.rings) for p in self.polygons)


@dataclass(frozen=True, slots=True)
class Outlines:
    countries: tuple[Country, ...]
    coverage: BBox  # the area the outlines cover; maps are kept inside it
    source: str

    def country_at(self, lon: float, lat: float) -> Country | None:
        return next((c for c in self.countries if c.contains(lon, lat)), None)


@cache
def load_outlines(path: Path = OUTLINES) -> Outlines:
    """The outline file, parsed once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    unit = 1 / data["precision"]
    countries: list[Country] = []
    for item in data["countries"]:
        polygons: list[Polygon] = []
        for raw in item["polygons"]:
            rings = tuple(tuple((flat[i] * unit, flat[i + 1] * unit) for i in range(0, len(flat), 2)) for flat in raw)
            polygons.append(Polygon(rings, BBox.around(rings[0])))
        countries.append(
            Country(
                id=item["id"],
                name=item["name"],
                label=(item["label"][0] * unit, item["label"][1] * unit),
                polygons=tuple(polygons),
                bbox=_union(p.bbox for p in polygons),
            )
        )
    return Outlines(tuple(countries), BBox(*data["coverage"]), data["source"])


# -- bounding boxes ------------------------------------------------------------


def bbox_around(points: Sequence[LonLat], pad: float = 1.0, min_span: float = 4.0) -> BBox:
    """A box around ``points`` with ``pad`` degrees on each side and at least ``min_span``
    degrees of latitude and (cos-corrected) longitude, centred on the points."""
    box = BBox.around(points).padded(pad)
    (lon, lat), k = box.centre, _cos(box.centre[1])
    half_h = max(box.height, min_span) / 2
    half_w = max(box.width, min_span / k) / 2
    return BBox(lon - half_w, lat - half_h, lon + half_w, lat + half_h)


def fit_aspect(box: BBox, aspect: float) -> BBox:
    """Grow the box (about its centre) so that its projected width / height is ``aspect``."""
    (lon, lat), k = box.centre, _cos(box.centre[1])
    ground_w, ground_h = box.width * k, box.height
    if ground_w / ground_h < aspect:
        ground_w = ground_h * aspect
    else:
        ground_h = ground_w / aspect
    return BBox(lon - ground_w / k / 2, lat - ground_h / 2, lon + ground_w / k / 2, lat + ground_h / 2)


def clamp_to(box: BBox, limit: BBox) -> BBox:
    """Slide (and if needed shrink) the box so it lies inside ``limit``."""

    def slide(low: float, high: float, lo: float, hi: float) -> tuple[float, float]:
        if high - low >= hi - lo:
            return lo, hi
        shift = max(0.0, lo - low) - max(0.0, high - hi)
        return low + shift, high + shift

    west, east = slide(box.west, box.east, limit.west, limit.east)
    south, north = slide(box.south, box.north, limit.south, limit.north)
    return BBox(west, south, east, north)


def _union(boxes: Iterable[BBox]) -> BBox:
    items = list(boxes)
    return BBox(
        min(b.west for b in items), min(b.south for b in items), max(b.east for b in items), max(b.north for b in items)
    )


def _cos(lat: float) -> float:
    return max(0.2, math.cos(math.radians(lat)))


# -- projection ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular projection of ``bbox`` onto a ``width`` x ``height`` pixel rectangle.

    Longitudes are scaled by the cosine of the box's middle latitude (the
    standard parallel), so shapes in the Sahel are not stretched sideways.
    Build it with :meth:`fit`, which first grows the box to the rectangle's
    aspect ratio, so that x and y have the same scale on the ground.
    """

    bbox: BBox
    width: float
    height: float

    @staticmethod
    def fit(box: BBox, width: float, height: float) -> Projection:
        return Projection(fit_aspect(box, width / height), width, height)

    def project(self, lon: float, lat: float) -> XY:
        b = self.bbox
        return ((lon - b.west) / b.width * self.width, (b.north - lat) / b.height * self.height)

    def project_all(self, points: Iterable[LonLat]) -> list[XY]:
        """:meth:`project` of each point (the same arithmetic, without a call per point)."""
        b = self.bbox
        west, north, bw, bh, w, h = b.west, b.north, b.width, b.height, self.width, self.height
        return [((lon - west) / bw * w, (north - lat) / bh * h) for lon, lat in points]

    def unproject(self, x: float, y: float) -> LonLat:
        b = self.bbox
        return (b.west + x / self.width * b.width, b.north - y / self.height * b.height)

    @property
    def pixels_per_degree(self) -> float:
        """Pixels per degree of latitude."""
        return self.height / self.bbox.height


# -- paths ---------------------------------------------------------------------


def simplify(points: Sequence[XY], tolerance: float) -> list[XY]:
    """Douglas-Peucker on projected points, keeping both ends."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            dist = math.hypot(px - ax, py - ay) if length == 0 else abs(dy * (px - ax) - dx * (py - ay)) / length
            if dist > worst:
                worst, worst_at = dist, i
        if worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def clip_ring(ring: Sequence[XY], x0: float, y0: float, x1: float, y1: float) -> list[XY]:
    """Sutherland-Hodgman clipping of a closed ring to the rectangle [x0, x1] x [y0, y1]."""
    out = list(ring)
    for axis, bound, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for point in points:
            cur_in = point[axis] >= bound if keep_above else point[axis] <= bound
            prev_in = prev[axis] >= bound if keep_above else prev[axis] <= bound
            if cur_in != prev_in:
                t = (bound - prev[axis]) / (point[axis] - prev[axis])
                cross = (prev[0] + t * (point[0] - prev[0]), prev[1] + t * (point[1] - prev[1]))
                out.append((bound, cross[1]) if axis == 0 else (cross[0], bound))
            if cur_in:
                out.append(point)
            prev = point
    return out


def path_data(rings: Iterable[Sequence[XY]]) -> str:
    """SVG path data of closed rings, coordinates rounded to 0.1 and written relative
    (``m``/implicit ``l``) from the rounded positions, so no error accumulates."""
    parts: list[str] = []
    cx = cy = 0  # current point, in tenths
    for ring in rings:
        tenths: list[tuple[int, int]] = []
        last = None
        for x, y in ring:
            p = (round(x * 10), round(y * 10))
            if p != last:
                tenths.append(p)
                last = p
        if len(tenths) > 1 and tenths[0] == tenths[-1]:
            tenths.pop()
        if len(tenths) < 3:
            continue
        (x, y), rest = tenths[0], tenths[1:]
        pieces = ["m", _num(x - cx), _separated(y - cy)]
        cx, cy = x, y
        for x, y in rest:
            pieces.append(_separated(x - cx))
            pieces.append(_separated(y - cy))
            cx, cy = x, y
        cx, cy = tenths[0]  # 'z' returns to the ring's start
        pieces.append("z")
        parts.append("".join(pieces))
    return "".join(parts)


@cache  # a few thousand distinct values per map, each written many times
def _num(tenths: int) -> str:
    """Tenths as the shortest SVG number: 12 → '1.2', -5 → '-.5', 30 → '3'."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{frac}"


@cache
def _separated(tenths: int) -> str:
    """:func:`_num` after another number: a minus sign separates numbers by itself, else a space."""
    text = _num(tenths)
    return text if tenths < 0 else " " + text


def _inside(lon: float, lat: float, rings: Iterable[Sequence[LonLat]]) -> bool:
    hit = False
    for ring in rings:
        px, py = ring[-1]
        for x, y in ring:
            if (y > lat) != (py > lat) and lon < (px - x) * (lat - y) / (py - y) + x:
                hit = not hit
            px, py = x, y
    return hit


__all__ = [
    "BBox",
    "Country",
    "Outlines",
    "Polygon",
    "Projection",
    "bbox_around",
    "clamp_to",
    "clip_ring",
    "fit_aspect",
    "load_outlines",
    "path_data",
    "simplify",
]

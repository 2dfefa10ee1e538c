"""Build data/geo/countries.json, the country outlines of the wiki's maps, from Natural Earth.

The outlines come from the npm package ``world-atlas`` (Natural Earth admin-0
countries as TopoJSON). Without ``--topojson`` the script fetches the pinned
version with ``npm pack`` into a temporary folder. It then

1. decodes the TopoJSON arcs (delta-encoded integers + the quantisation transform),
2. simplifies every *arc* with Douglas-Peucker, so borders shared by two
   countries stay identical on both sides,
3. assembles the rings of each country, drops islands smaller than a threshold,
4. clips them to the coverage rectangle (Sutherland-Hodgman),
5. rounds to 1/100 degree and finds a label point inside each country,
6. writes compact JSON: one country per line.

Usage: .venv/bin/python tools/make_geo.py [--topojson countries-50m.json] [--out data/geo/countries.json]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from macros.geo import simplify  # the same Douglas-Peucker the maps use

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "geo" / "countries.json"

PACKAGE = "world-atlas@2.0.2"
SCALE = "50m"
#: The rectangle kept: West and North Africa, the Sahel, Central Africa north of the
#: equator, southern and western Europe, the Levant (west, south, east, north).
COVERAGE = (-26.0, -8.0, 44.0, 52.0)
#: Douglas-Peucker tolerance on the arcs, in degrees (about 3 km).
TOLERANCE = 0.03
#: Islands and exclaves smaller than this (square degrees, before clipping) are dropped.
MIN_AREA = 0.004
#: Coordinates are stored as integers in units of 1/PRECISION degree.
PRECISION = 100

#: Names shown on the maps where Natural Earth's short name is unclear.
NAMES = {
    "W. Sahara": "Western Sahara",
    "S. Sudan": "South Sudan",
    "Eq. Guinea": "Equatorial Guinea",
    "Dem. Rep. Congo": "DR Congo",
    "Central African Rep.": "Central African Republic",
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "São Tomé and Principe": "São Tomé and Príncipe",
}

#: Natural Earth 4.1 (world-atlas 2) draws Morocco down to the berm inside Western Sahara
#: (de facto control). The wiki uses the boundary of most maps and of the UN instead:
#: Western Sahara is the whole territory south of 27°40' N. The two outlines are joined
#: along their shared arc, then cut at that parallel (see western_sahara()).
WESTERN_SAHARA = ("Morocco", "W. Sahara")
WESTERN_SAHARA_NORTH = 27 + 40 / 60

Pt = tuple[float, float]
Ring = list[Pt]


# -- TopoJSON ------------------------------------------------------------------


def fetch(tmp: Path) -> tuple[Path, str]:
    """``npm pack`` the pinned world-atlas into ``tmp``; the TopoJSON path and the package version."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
    tarball = next(tmp.glob("world-atlas-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp, filter="data")
    version = json.loads((tmp / "package" / "package.json").read_text())["version"]
    return tmp / "package" / f"countries-{SCALE}.json", str(version)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Absolute lon/lat arcs from quantised, delta-encoded TopoJSON arcs."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from(indices: Sequence[int], arcs: Sequence[Ring]) -> Ring:
    """Join the arcs of a ring; ``~i`` (a negative index) is arc ``i`` reversed."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def polygons_of(geometry: dict[str, Any], arcs: Sequence[Ring]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring_from(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_from(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    return []


def joined(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The arcs of the ring enclosing two rings that share exactly one arc (``a`` has it as
    ``i``, ``b`` as ``~i``): ``a`` up to the shared arc, round ``b``, then the rest of ``a``."""
    shared = [i for i in a if ~i in b]
    if len(shared) != 1:
        raise SystemExit(f"expected one shared arc, found {len(shared)}: the source changed, check western_sahara()")
    i, j = a.index(shared[0]), b.index(~shared[0])
    return [*a[:i], *b[j + 1 :], *b[:j], *a[i + 1 :]]


def western_sahara(topology: dict[str, Any], arcs: Sequence[Ring]) -> dict[str, list[list[Ring]]]:
    """Morocco and Western Sahara redrawn with the boundary at 27°40' N (see WESTERN_SAHARA)."""
    geometries = {g["properties"]["name"]: g for g in topology["objects"]["countries"]["geometries"]}
    morocco, sahara = (geometries[name] for name in WESTERN_SAHARA)
    if morocco["type"] != "Polygon" or sahara["type"] != "Polygon" or len(morocco["arcs"]) + len(sahara["arcs"]) != 2:
        raise SystemExit("Morocco / W. Sahara are no longer single rings: the source changed, check western_sahara()")
    whole = ring_from(joined(morocco["arcs"][0], sahara["arcs"][0]), arcs)
    cut = WESTERN_SAHARA_NORTH
    north, south = clip(whole, (-180.0, cut, 180.0, 90.0)), clip(whole, (-180.0, -90.0, 180.0, cut))
    return {WESTERN_SAHARA[0]: [[north + north[:1]]], WESTERN_SAHARA[1]: [[south + south[:1]]]}


# -- geometry ------------------------------------------------------------------


def area(ring: Ring) -> float:
    """Unsigned area (shoelace), in square degrees."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of a closed ring to a rectangle."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    out = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for point in points:
            if inside(point):
                if not inside(prev):
                    out.append(cross(prev, point))
                out.append(point)
            elif inside(prev):
                out.append(cross(prev, point))
            prev = point
    return out


def _at_x(a: Pt, b: Pt, x: float) -> Pt:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Pt, b: Pt, y: float) -> Pt:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def inside_rings(point: Pt, rings: Iterable[Ring]) -> bool:
    """Even-odd point-in-polygon over all the rings (holes included)."""
    x, y = point
    hit = False
    for ring in rings:
        prev = ring[-1]
        for cur in ring:
            if (cur[1] > y) != (prev[1] > y) and x < (prev[0] - cur[0]) * (y - cur[1]) / (prev[1] - cur[1]) + cur[0]:
                hit = not hit
            prev = cur
    return hit


def segment_distance(p: Pt, a: Pt, b: Pt) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def label_point(polygon: list[Ring]) -> Pt:
    """A point well inside the polygon: on a grid, the one farthest from the outline
    (a coarse 'pole of inaccessibility'), in a lon scaled by cos(lat)."""
    xs = [x for ring in polygon for x, _ in ring]
    ys = [y for ring in polygon for _, y in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    k = math.cos(math.radians((south + north) / 2))
    scaled = [[(x * k, y) for x, y in ring] for ring in polygon]
    best, best_dist = ((west + east) / 2, (south + north) / 2), -1.0
    steps = 40
    for i in range(1, steps):
        for j in range(1, steps):
            x = west + (east - west) * i / steps
            y = south + (north - south) * j / steps
            if not inside_rings((x, y), polygon):
                continue
            p = (x * k, y)
            dist = min(
                segment_distance(p, a, b) for ring in scaled for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
            )
            if dist > best_dist:
                best, best_dist = (x, y), dist
    return best


def rounded(ring: Ring) -> list[int]:
    """Flat [lon, lat, lon, lat, ...] in 1/PRECISION degree, consecutive duplicates dropped."""
    flat: list[int] = []
    last: tuple[int, int] | None = None
    for x, y in ring:
        point = (round(x * PRECISION), round(y * PRECISION))
        if point != last:
            flat.extend(point)
            last = point
    if len(flat) >= 4 and flat[:2] == flat[-2:]:
        del flat[-2:]
    return flat


# -- main ----------------------------------------------------------------------


def build(topology: dict[str, Any]) -> list[dict[str, Any]]:
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    redrawn = western_sahara(topology, arcs)
    west, south, east, north = COVERAGE
    countries: list[dict[str, Any]] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        kept: list[list[Ring]] = []
        for polygon in redrawn.get(name) or polygons_of(geometry, arcs):
            outer = polygon[0]
            if len(outer) < 4 or area(outer) < MIN_AREA:
                continue
            xs, ys = [x for x, _ in outer], [y for _, y in outer]
            if max(xs) < west or min(xs) > east or max(ys) < south or min(ys) > north:
                continue
            rings = [clip(r, COVERAGE) for r in polygon if len(r) >= 4 and area(r) >= MIN_AREA / 4]
            rings = [r for r in rings if len(r) >= 3 and area(r) > 0]
            if rings and rings[0] == clip(outer, COVERAGE):
                kept.append(rings)
        if not kept:
            continue
        encoded = [[rounded(r) for r in polygon] for polygon in kept]
        encoded = [[r for r in polygon if len(r) >= 6] for polygon in encoded]
        encoded = [polygon for polygon in encoded if polygon]
        if not encoded:
            continue
        largest = max(kept, key=lambda p: area(p[0]))
        lon, lat = label_point(largest)
        countries.append(
            {
                "id": geometry.get("id") or name.lower().replace(" ", "-").replace(".", ""),
                "name": NAMES.get(name, name),
                "label": [round(lon * PRECISION), round(lat * PRECISION)],
                "polygons": encoded,
            }
        )
    countries.sort(key=lambda c: c["name"])
    return countries


def write(countries: list[dict[str, Any]], version: str, out: Path) -> None:
    header = {
        "source": f"Natural Earth 1:{SCALE} admin-0 countries, via the npm package world-atlas {version}",
        "licence": "Natural Earth: public domain; world-atlas packaging: ISC",
        "made_by": "tools/make_geo.py",
        "coverage": list(COVERAGE),
        "precision": PRECISION,
        "tolerance": TOLERANCE,
    }
    lines = ["{" + json.dumps(header, ensure_ascii=False, separators=(",", ":"))[1:-1] + ',"countries":[']
    lines.append(",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in countries))
    lines.append("]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help=f"countries-{SCALE}.json of world-atlas (default: npm pack)")
    parser.add_argument("--version", default="2.0.2", help="world-atlas version of --topojson")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source, version = (args.topojson, args.version) if args.topojson else fetch(Path(tmp))
        countries = build(json.loads(source.read_text(encoding="utf-8")))
    write(countries, version, args.out)
    points = sum(len(r) // 2 for c in countries for p in c["polygons"] for r in p)
    sys.stdout.write(f"{args.out}: {len(countries)} countries, {points} points, {args.out.stat().st_size:,} bytes\n")


if __name__ == "__main__":
    main()

"""Build-time SVG maps: well-formed, escaped, linked through Index.url_from, small."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.geo import OUTLINES, BBox, Projection, bbox_around, clamp_to, fit_aspect, load_outlines, path_data
from macros.index import Index
from macros.render.lists import map_page
from macros.render.maps import LOCATOR_BUDGET, Box, _overlap, locator_map
from macros.render.sahel import DOT_LIMIT, FRAME, Label, outside_places, place_labels, sahel_map
from tests.conftest import make_event, make_index, make_place

NS = {"svg": "http://www.w3.org/2000/svg"}
XSS = "<script>alert(1)</script>"

PLACES: list[tuple[str, str, str, float, float, int]] = [
    # id, name, kind, lat, lon, number of events
    ("bamako", "Bamako", "city", 12.64, -8.0, 2),
    ("timbuktu", "Timbuktu", "town", 16.77, -3.0, 9),
    ("gao", "Gao", "town", 16.27, -0.04, 4),
    ("niamey", "Niamey", "city", 13.51, 2.11, 1),
    ("mali", "Mali", "country", 17.0, -4.0, 3),
    ("liptako", "Liptako-Gourma", "border-area", 14.5, 0.5, 0),
    ("xss", XSS, "village", 20.0, -10.0, 1),
]


def _index(extra: tuple[Any, ...] = ()) -> Index:
    places = [make_place(id=i, name=n, kind=k, coords={"lat": la, "lon": lo}) for i, n, k, la, lo, _ in PLACES]
    events = [make_event(id=f"{i}-{j}", places=[i]) for i, *_, count in PLACES for j in range(count)]
    return make_index(*places, make_place(id="nowhere", name="No coordinates"), *events, *extra)


@pytest.fixture(scope="module")
def index() -> Index:
    return _index()


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything not well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def check_common(svg: str) -> ET.Element:
    """What every map must satisfy: well-formed, labelled, responsive, styled by class only."""
    root = parse(svg)
    assert root.get("viewBox")
    assert root.get("width") == "100%"
    assert root.get("role") in {"img", None}
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text
    assert desc is not None and desc.text and "approximate" in desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert "\n\n" not in svg and not any(not line.strip() for line in svg.splitlines())
    assert " fill=" not in svg and "style=" not in svg and "<style" not in svg
    assert "<script" not in svg and "javascript:" not in svg
    # Coordinates have at most one decimal.
    assert not re.search(r"\d\.\d\d", svg.replace(desc.text, "").replace(title.text, ""))
    return root


# -- the Sahel map of the /map/ page --------------------------------------------------------


def maps_of(block: str) -> list[ET.Element]:
    """Every <svg> of the block, parsed (the first is the invisible base map)."""
    return [parse(m) for m in re.findall(r"<svg xmlns=.*?</svg>(?=\n|$)", block, re.S)]


def test_sahel_map_is_well_formed_and_links_every_place(index: Index) -> None:
    block = sahel_map(index, "map.md")
    base, *maps = maps_of(block)
    assert base.get("aria-hidden") == "true" and base.find(".//svg:g[@id='wiki-map-base']", NS) is not None
    assert len(re.findall(r"<path ", block)) == len(base.findall(".//svg:path", NS))  # land drawn once
    whole = maps[0]
    assert whole.get("role") is None  # holds links: never role="img" (hides them) nor role="group" on <svg>
    assert whole.findtext("svg:title", namespaces=NS) == "All years"
    assert "approximate" in (whole.findtext("svg:desc", namespaces=NS) or "")
    assert whole.find("svg:use", NS) is not None
    dots = {
        a.findtext("svg:title", namespaces=NS): a.get("href")
        for a in whole.findall("svg:g[@class='wiki-map-dots']/svg:a", NS)
    }
    inside = [p for p in PLACES if FRAME.contains(p[4], p[3])]
    assert sorted(dots) == sorted(f"{n}: {c} event{'s' if c != 1 else ''}" for _, n, _, _, _, c in inside)
    assert dots["Gao: 4 events"] == index.url_from("map.md", "gao") == "../places/gao/"


def test_sahel_map_names_the_busiest_places_without_overlap(index: Index) -> None:
    whole = maps_of(sahel_map(index, "map.md"))[1]
    for layer in ("wiki-map-wide", "wiki-map-narrow"):
        group = whole.find(f".//svg:g[@class='{layer}']", NS)
        assert group is not None
        names = [t.text for t in group.findall(".//svg:text[@class='wiki-map-place-label']", NS)]
        assert "Timbuktu" in names and "Liptako-Gourma" not in names  # no events: a hollow dot, unnamed
        assert float(group.get("font-size") or 0) >= 12


def test_sahel_map_has_a_map_per_period_with_events() -> None:
    places = [make_place(id="gao", name="Gao", coords={"lat": 16.27, "lon": -0.04})]
    events = [make_event(id="a", date="2012-04", places=["gao"]), make_event(id="b", date="2015", places=["gao"])]
    block = sahel_map(make_index(*places, *events), "map.md")
    summaries = re.findall(r"<summary>(.*?)</summary>", block)
    assert summaries == ["2012–2013: 1 event", "2014–2019: 1 event"]
    assert block.count('name="wiki-map-period"') == 2  # one open at a time, without JavaScript
    titles = [m.findtext("svg:title", namespaces=NS) for m in maps_of(block)[1:]]
    assert titles == ["All years", "Places of the events 2012–2013", "Places of the events 2014–2019"]


def test_sahel_map_escapes_names(index: Index) -> None:
    block = sahel_map(index, "map.md")
    assert XSS not in block and html_escaped(XSS) in block
    maps_of(block)


def test_places_beyond_the_frame_are_listed_not_drawn() -> None:
    far = make_place(id="washington", name="Washington", kind="city", coords={"lat": 38.9, "lon": -77.0})
    tripoli = make_place(id="tripoli", name="Tripoli", kind="city", coords={"lat": 32.9, "lon": 13.2})
    index = _index((far, tripoli, make_event(id="t", places=["tripoli"])))
    assert [p.id for p in outside_places(index)] == ["tripoli", "washington"]
    assert "Washington" not in sahel_map(index, "map.md")
    page = map_page(index)
    assert "## Beyond this map" in page and "[Tripoli](/places/tripoli.md) (1 event)" in page


def test_sahel_map_of_nothing_is_empty() -> None:
    assert sahel_map(make_index(), "map.md") == ""
    assert sahel_map(make_index(make_place()), "map.md") == ""  # no coordinates


def test_a_busy_map_draws_at_most_its_limit() -> None:
    places = [
        make_place(id=f"p{i}", name=f"P{i}", coords={"lat": 12 + (i % 20) * 0.6, "lon": -10 + (i // 20) * 0.9})
        for i in range(DOT_LIMIT + 30)
    ]
    events = [make_event(id=f"e{i}", places=[f"p{i}"], date="2015") for i in range(40)]
    whole = maps_of(sahel_map(make_index(*places, *events), "map.md"))[1]
    assert len(whole.findall(".//svg:circle", NS)) == DOT_LIMIT
    assert "30 more are in the table" in (whole.findtext("svg:desc", namespaces=NS) or "")


# -- label layout ------------------------------------------------------------------------------


def _check_layout(labels: list[Label], items: list[tuple[str, str, float, float, float]], blocked: list[Box]) -> None:
    for a, b in itertools.combinations(labels, 2):
        assert not _overlap(a.box, b.box), (a, b)
    dots = {k: (x - r, y - r, x + r, y + r) for k, _, x, y, r in items}
    for label in labels:
        left, top, right, bottom = label.box
        assert 0 <= left < right <= 400 and 0 <= top < bottom <= 300
        assert not any(_overlap(label.box, b) for b in blocked)
        assert not any(_overlap(label.box, d) for k, d in dots.items() if k != label.key)


def test_the_busiest_place_wins_a_crowded_spot() -> None:
    items = [("busy", "Busy town", 100.0, 100.0, 8.0), ("quiet", "Quiet town", 101.0, 100.0, 3.0)]
    labels = place_labels(items, width=400, height=300, size=12)
    assert [label.key for label in labels] == ["busy"]


def test_a_name_moves_aside_rather_than_overlap() -> None:
    items = [("a", "Alpha", 100.0, 100.0, 3.0), ("b", "Bravo", 150.0, 100.0, 3.0)]
    labels = place_labels(items, width=400, height=300, size=12)
    assert len(labels) == 2 and labels[0].anchor == "start" and labels[1].box[0] >= labels[0].box[2]
    _check_layout(labels, items, [])


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", min_size=1, max_size=24)
places = st.lists(st.tuples(names, st.floats(0, 400), st.floats(0, 300), st.floats(2, 14)), min_size=0, max_size=40)


@settings(max_examples=150)
@given(places, st.sampled_from([11.0, 12.0, 23.0]))
def test_random_places_never_get_overlapping_labels(spots: list[tuple[str, float, float, float]], size: float) -> None:
    items = [(f"k{i}", text, x, y, r) for i, (text, x, y, r) in enumerate(spots)]
    blocked: list[Box] = [(0, 0, 80, 60)]
    labels = place_labels(items, width=400, height=300, size=size, blocked=blocked)
    _check_layout(labels, items, blocked)
    assert len({label.key for label in labels}) == len(labels)


# -- locator ----------------------------------------------------------------------------


def test_locator_is_well_formed_small_and_highlights(index: Index) -> None:
    svg = locator_map(index, ["timbuktu"], "events/e.md")
    root = check_common(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 320 220"
    assert root.findall(".//svg:a", NS) == []  # a plain picture
    assert len(svg.encode()) < 15_000
    focus = root.findall(".//svg:path[@class='wiki-map-land wiki-map-land-focus']", NS)
    assert len(focus) == 1  # Mali, where Timbuktu lies
    dots = root.findall(".//svg:circle", NS)
    assert len(dots) == 1 and "wiki-map-dot-focus" in (dots[0].get("class") or "")
    cx, cy = float(dots[0].get("cx") or 0), float(dots[0].get("cy") or 0)
    # near the centre: the view snaps to a grid (a power of two of degrees) so nearby places share a base map
    assert abs(cx - 160) <= 55 and abs(cy - 110) <= 40  # within the middle third
    assert root.findtext("svg:title", namespaces=NS) == "Location of Timbuktu"
    assert "16.8° N, 3.0° W" in (root.findtext("svg:desc", namespaces=NS) or "")
    labels = [t.text for t in root.findall(".//svg:text[@class='wiki-map-place-label']", NS)]
    assert labels == ["Timbuktu"]


def test_locator_of_several_places(index: Index) -> None:
    root = check_common(locator_map(index, ["gao", "niamey", "gao", "nowhere", "gao-0"], "events/e.md"))
    assert root.findtext("svg:title", namespaces=NS) == "Locations of Gao and Niamey"
    assert len(root.findall(".//svg:circle", NS)) == 2


def test_locator_ids_differ_between_maps(index: Index) -> None:
    one = parse(locator_map(index, ["gao"], "x.md")).find("svg:title", NS)
    two = parse(locator_map(index, ["niamey"], "x.md")).find("svg:title", NS)
    assert one is not None and two is not None and one.get("id") != two.get("id")


def test_locator_escapes_names(index: Index) -> None:
    svg = locator_map(index, ["xss"], "places/xss.md")
    assert XSS not in svg
    root = check_common(svg)
    assert root.findtext("svg:title", namespaces=NS) == f"Location of {XSS}"


def test_locator_without_coordinates_is_empty(index: Index) -> None:
    assert locator_map(index, [], "x.md") == ""
    assert locator_map(index, ["nowhere"], "x.md") == ""  # no coordinates
    assert locator_map(index, ["gao-0", "unknown-id"], "x.md") == ""  # an event, an unknown id
    far = make_place(id="washington", name="Washington", kind="city", coords={"lat": 38.9, "lon": -77.0})
    assert locator_map(make_index(far), ["washington"], "x.md") == ""  # beyond the outlines


@pytest.mark.parametrize(
    ("lat", "lon", "kind"),
    [
        (16.8, -3.0, "town"),
        (17.0, -4.0, "country"),
        (44.0, 18.0, "region"),
        (46.0, 10.0, "country"),
        (0.0, 9.0, "town"),
    ],
)
def test_locator_stays_small_even_where_countries_crowd(lat: float, lon: float, kind: str) -> None:
    place = make_place(id="p", name="Somewhere", kind=kind, coords={"lat": lat, "lon": lon})
    svg = locator_map(make_index(place), ["p"], "x.md")
    check_common(svg)
    assert len(svg.encode()) <= LOCATOR_BUDGET < 15_000


# -- geometry ---------------------------------------------------------------------------


def test_projection_maps_known_points() -> None:
    # At the equator a degree of longitude is as long as one of latitude.
    proj = Projection(BBox(-10, -5, 10, 5), 200, 100)
    assert proj.project(-10, 5) == (0, 0)
    assert proj.project(10, -5) == (200, 100)
    assert proj.project(0, 0) == (100, 50)
    assert proj.project(5, 2.5) == (150, 25)


def test_projection_fit_keeps_ground_proportions() -> None:
    # At 60° N a degree of longitude is half a degree of latitude on the ground.
    proj = Projection.fit(BBox(0, 59, 10, 61), 100, 100)
    assert proj.bbox.west == pytest.approx(0) and proj.bbox.east == pytest.approx(10)
    assert proj.bbox.south == pytest.approx(57.5) and proj.bbox.north == pytest.approx(62.5)
    x, y = proj.project(5, 60)
    assert (x, y) == (pytest.approx(50), pytest.approx(50))
    one_lon = proj.project(6, 60)[0] - x
    one_lat = y - proj.project(5, 61)[1]
    assert one_lon == pytest.approx(one_lat / 2)


def test_bbox_helpers() -> None:
    box = bbox_around([(0, 10), (2, 12)], pad=1, min_span=1)
    assert (box.west, box.south, box.east, box.north) == (-1, 9, 3, 13)
    small = bbox_around([(0, 0)], pad=0.5, min_span=4)
    assert small.height == pytest.approx(4) and small.width == pytest.approx(4) and small.centre == (0, 0)
    wide = fit_aspect(BBox(0, -1, 1, 1), 2)
    assert wide.width == pytest.approx(4) and wide.height == pytest.approx(2)
    inside = clamp_to(BBox(-30, 0, -20, 10), BBox(-26, -8, 44, 52))
    assert (inside.west, inside.east, inside.south, inside.north) == (-26, -16, 0, 10)


def test_path_data_is_rounded_and_relative() -> None:
    assert path_data([[(0, 0), (10.04, 0), (10.04, 5.06)]]) == "m0 0 10 0 0 5.1z"
    assert path_data([[(5, 5), (3, 5), (3, 2)], [(6, 6), (7, 6), (7, 7)]]) == "m5 5-2 0 0-3zm1 1 1 0 0 1z"
    assert path_data([[(0, 0), (0.01, 0), (0, 0.01)]]) == ""  # collapses to a point


def test_outlines() -> None:
    assert OUTLINES.stat().st_size < 150_000
    outlines = load_outlines()
    names = {c.name for c in outlines.countries}
    assert {"Mali", "Niger", "Burkina Faso", "Mauritania", "Algeria", "Libya", "Chad", "Nigeria", "France"} <= names
    assert outlines.country_at(-8.0, 12.64).name == "Mali"  # type: ignore[union-attr]  # Bamako
    assert outlines.country_at(2.11, 13.51).name == "Niger"  # type: ignore[union-attr]  # Niamey
    assert outlines.country_at(-13.2, 27.15).name == "Western Sahara"  # type: ignore[union-attr]  # Laayoune
    assert outlines.country_at(-11.1, 28.44).name == "Morocco"  # type: ignore[union-attr]  # Tan-Tan
    assert outlines.country_at(-30.0, 30.0) is None  # the Atlantic


def html_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_nearby_places_share_one_base_map() -> None:
    from macros.render.maps import _locator_base

    places = [
        make_place(id=f"p{i}", name=f"P{i}", coords={"lat": 16.2 + i * 0.05, "lon": -3.1 + i * 0.05}) for i in range(5)
    ]
    index = make_index(*places)
    _locator_base.cache_clear()
    for place in places:
        assert locator_map(index, [place.id], "x.md")
    info = _locator_base.cache_info()
    assert info.misses <= 2 and info.hits >= 3

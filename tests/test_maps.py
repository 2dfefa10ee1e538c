"""Build-time SVG maps: well-formed, escaped, linked through Index.url_from, small."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from macros.geo import OUTLINES, BBox, Projection, bbox_around, clamp_to, fit_aspect, load_outlines, path_data
from macros.index import Index
from macros.render.maps import LOCATOR_BUDGET, locator_map, overview_map
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


# -- overview ---------------------------------------------------------------------------


def test_overview_is_well_formed_and_links_every_place(index: Index) -> None:
    svg = overview_map(index, "places/index.md")
    root = check_common(svg)
    assert root.get("role") is None  # it holds links: role="img" would hide them; "group" is invalid on <svg>
    links = root.findall(".//svg:a", NS)
    names = {p.name: p.id for p in index.kb.places}
    assert sorted(a.get("aria-label") or "" for a in links) == sorted(n for _, n, *_ in PLACES)
    for a in links:
        pid = names[a.get("aria-label") or ""]
        assert a.get("href") == index.url_from("places/index.md", pid)
        assert a.find("svg:circle", NS) is not None
    assert index.url_from("places/index.md", "gao") == "gao/"


def test_overview_links_are_relative_to_the_page(index: Index) -> None:
    root = parse(overview_map(index, "index.md"))
    hrefs = {a.get("aria-label"): a.get("href") for a in root.findall(".//svg:a", NS)}
    assert hrefs["Gao"] == index.url_from("index.md", "gao") == "places/gao/"


def test_overview_dot_grows_with_events(index: Index) -> None:
    root = parse(overview_map(index, "places/index.md"))
    radius = {a.get("aria-label"): float(a.find("svg:circle", NS).get("r")) for a in root.findall(".//svg:a", NS)}  # type: ignore[union-attr]
    assert radius["Timbuktu"] > radius["Gao"] > radius["Niamey"] > radius["Liptako-Gourma"]
    titles = {a.get("aria-label"): a.findtext("svg:title", namespaces=NS) for a in root.findall(".//svg:a", NS)}
    assert titles["Timbuktu"] == "Timbuktu: 9 events"
    assert titles["Niamey"] == "Niamey: 1 event"


def test_overview_draws_and_labels_countries(index: Index) -> None:
    root = parse(overview_map(index, "places/index.md"))
    assert len(root.findall(".//svg:path[@class='wiki-map-land']", NS)) > 5
    labels = {t.text for t in root.findall(".//svg:text[@class='wiki-map-label']", NS)}
    assert {"Mali", "Algeria", "Niger"} <= labels


def test_overview_escapes_names(index: Index) -> None:
    svg = overview_map(index, "places/index.md")
    assert XSS not in svg
    assert html_escaped(XSS) in svg
    root = parse(svg)
    link = next(a for a in root.findall(".//svg:a", NS) if a.get("aria-label") == XSS)  # round trip
    assert link.findtext("svg:title", namespaces=NS) == f"{XSS}: 1 event"


def test_overview_of_nothing_is_empty() -> None:
    assert overview_map(make_index(), "index.md") == ""
    assert overview_map(make_index(make_place()), "index.md") == ""  # no coordinates


def test_overview_leaves_out_places_beyond_the_outlines() -> None:
    far = make_place(id="washington", name="Washington", kind="city", coords={"lat": 38.9, "lon": -77.0})
    root = parse(overview_map(_index((far,)), "index.md"))
    assert "Washington" not in {a.get("aria-label") for a in root.findall(".//svg:a", NS)}
    assert "1 place lies outside the map area" in (root.findtext("svg:desc", namespaces=NS) or "")


def test_overview_of_the_fixture_knowledge_base(fixture_index: Index) -> None:
    root = parse(overview_map(fixture_index, "places/index.md"))
    hrefs = {a.get("aria-label"): a.get("href") for a in root.findall(".//svg:a", NS)}
    assert hrefs == {
        "Northland": fixture_index.url_from("places/index.md", "northland"),
        "Riverton": fixture_index.url_from("places/index.md", "riverton"),
    }


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

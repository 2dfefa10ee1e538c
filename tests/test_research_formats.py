"""The downloads shaped for researchers' tools, read the way those tools read them:
BibTeX with a BibTeX parser, CSL-JSON against its schema, RIS by its line grammar, GeoJSON with
the ``geojson`` library (python-geojson, PyPI) and the JSON Schema, the field-standard CSV tables
with the csv module and strict types, SQLite with ``sqlite3`` (foreign keys, joins), Atom with
an XML parser. Each on hostile or odd records built here, and on the real data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import bibtexparser
import geojson
import jsonschema
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

from macros.formats import FEED_PATH, FEED_SITEMAP, SCHEMAS, fill_sizes, research_files, size_text
from macros.formats.atom import MAX_ENTRIES, feed
from macros.formats.bibliography import bibtex, csl_json, ris
from macros.formats.fieldcsv import ACLED_COLUMNS, ACLED_TYPES, UCDP_COLUMNS, acled_csv, ucdp_csv
from macros.formats.geo import events_geojson, places_geojson
from macros.formats.sqlite import TABLES, database, datasette_metadata
from macros.index import Index
from macros.schema import SCHEMA_DIR
from tests.conftest import make_event, make_group, make_index, make_place, make_source
from tests.test_fact_base import real_index  # noqa: F401  (fixture)

SITE = "https://wiki.example.org/"
HOSTILE = '{Brace} & 50% $x$ #1 _a_ ^b ~c \\d } "quoted" <b>'


@pytest.fixture(scope="module")
def odd_index() -> Index:
    """Records with hostile text, a range of dead, an open-start date, several places."""
    country = make_place(id="land", name="Land", kind="country", coords={"lat": 17.0, "lon": -2.0})
    region = make_place(id="north", name="North", kind="region", within="land", coords={"lat": 18.0, "lon": -1.0})
    town = make_place(id="town", name="=Town", kind="town", within="north", coords={"lat": 16.25, "lon": -3.5})
    far = make_place(id="far", name="Far", kind="village", within="land")
    group = make_group(id="grp", name=HOSTILE)
    state = make_group(id="army", name="Army", kind="state-forces")
    ranged = make_event(
        id="ranged",
        date="2015-08",
        places=["land", "town"],
        actors=[{"group": "grp", "role": "claimed"}, {"group": "army", "role": "target"}],
        casualties=[
            {"category": "soldiers", "killed": {"min": 2, "max": 3}},
            {"category": "civilians", "killed": 1, "wounded": {"min": 4, "max": 9}},
        ],
        added="2024-02-01",
        updated="2024-03-05",
    )
    open_start = make_event(id="by-report", date="../2015-08-12", places=["far"], added="2024-02-01")
    stat = make_event(id="stat", date="2016", type="statistic", places=["town"])
    source = make_source(id="src", title=HOSTILE, author="Ann Author and Bob", published="2012-09~", url=None)
    plain = make_source(id="plain", title="Plain", published="2012/2014", url="https://x.example/a%20b?c={d}")
    return make_index(country, region, town, far, group, state, ranged, open_start, stat, sources=(source, plain))


# -- reference managers -------------------------------------------------------------------


def _bib(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, library.failed_blocks
    return {e.key: {k.lower(): str(v.value) for k, v in e.fields_dict.items()} for e in library.entries}


def test_bibtex_parses_back_to_the_sources(odd_index: Index) -> None:
    entries = _bib(bibtex(odd_index, SITE))
    assert set(entries) == {"src", "plain"}
    src = entries["src"]
    # TeX-decoded back to the data's text (pylatexenc reads \textasciicircum as U+02C6)
    assert src["title"].replace("\u02c6", "^") == " ".join(HOSTILE.split())
    assert src["year"] == "2012" and src["date"] == "2012-09" and "approximate" in src["note"]
    assert src["author"] == "{Ann Author and Bob}" or "Ann Author and Bob" in src["author"]
    assert "https://wiki.example.org/sources/src/" in src["note"]
    assert entries["plain"]["date"] == "2012/2014"


def test_bibtex_fields_stay_balanced(odd_index: Index) -> None:
    text = bibtex(odd_index, SITE)
    for block in text.split("@misc")[1:]:
        depth = 0
        for i, char in enumerate(block):
            if char in "{}" and (i == 0 or block[i - 1] != "\\"):
                depth += 1 if char == "{" else -1
                assert depth >= 0, block
        assert depth == 0, block
    assert "%7Bd%7D" in text  # braces in an address are percent-encoded


def test_csl_json_is_valid_and_describes_each_original(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    schema = json.loads((SCHEMA_DIR / "csl-data.schema.json").read_text(encoding="utf-8"))
    for index in (odd_index, real_index):
        items = json.loads(csl_json(index, SITE))
        jsonschema.validate(items, schema)
        assert [i["id"] for i in items] == [s.id for s in index.kb.sources]
    items = {i["id"]: i for i in json.loads(csl_json(odd_index, SITE))}
    assert items["src"]["title"] == HOSTILE
    assert items["src"]["issued"] == {"date-parts": [[2012, 9]], "circa": True}
    assert items["plain"]["issued"] == {"date-parts": [[2012], [2014]]}
    assert items["plain"]["URL"] == "https://x.example/a%20b?c={d}"


def test_ris_records_follow_the_tag_grammar(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    for index in (odd_index, real_index):
        text = ris(index, SITE)
        assert "\n" not in text.replace("\r\n", "")  # CRLF line ends only
        records: list[dict[str, list[str]]] = []
        for line in text.split("\r\n"):
            if not line:
                continue
            match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
            assert match, line
            tag, value = match.groups()
            if tag == "TY":
                records.append({})
            records[-1].setdefault(tag, []).append(value)
        assert len(records) == len(index.kb.sources)
        for record, source in zip(records, index.kb.sources, strict=True):
            assert record["TY"] == ["ELEC"] and record["ER"] == [""] and record["TI"] == [source.title]
            assert re.fullmatch(r"\d{4}/(\d{2})?/(\d{2})?/.*", record["DA"][0]), record["DA"]
    first = ris(odd_index, SITE).split("ER  - ")[0]
    assert "DA  - 2012/09//circa" in first and "AU  - Ann Author and Bob" in first


# -- GeoJSON ----------------------------------------------------------------------------------


def _check_geojson(text: str) -> dict[str, Any]:
    data = json.loads(text)
    assert geojson.loads(text).is_valid  # python-geojson's RFC 7946 checks
    assert geojson.loads(text).errors() == []
    schema = json.loads((SCHEMA_DIR / "geojson.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert "crs" not in data
    return data


def test_places_geojson(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    for index in (odd_index, real_index):
        data = _check_geojson(places_geojson(index, SITE))
        located = [p for p in index.kb.places if p.coords is not None]
        assert [f["id"] for f in data["features"]] == [p.id for p in located]
        for feature, place in zip(data["features"], located, strict=True):
            assert feature["geometry"]["coordinates"] == [place.coords.lon, place.coords.lat]  # type: ignore[union-attr]
            assert feature["properties"]["events"] == len(index.events_of.get(place.id, []))
            assert feature["properties"]["url"] == f"{SITE}places/{place.id}/"


def test_events_geojson_draws_events_at_their_finest_located_places(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    data = _check_geojson(events_geojson(odd_index, SITE))
    features = {f["id"]: f for f in data["features"]}
    # Land contains the town: the event is drawn at the town only
    assert features["ranged"]["geometry"] == {"type": "Point", "coordinates": [-3.5, 16.25]}
    assert features["ranged"]["properties"]["killed_min"] == 3 and features["ranged"]["properties"]["killed_max"] == 4
    assert features["ranged"]["properties"]["earliest"] == "2015-08-01"
    # a village without coordinates: drawn at the country it lies in
    assert features["by-report"]["geometry"]["coordinates"] == [-2.0, 17.0]
    assert features["by-report"]["properties"]["earliest"] is None
    real = _check_geojson(events_geojson(real_index, SITE))
    assert {f["id"] for f in real["features"]} <= {e.id for e in real_index.events}


# -- field-standard CSV tables ------------------------------------------------------------------


def _rows(text: str, columns: list[str]) -> list[dict[str, str]]:
    assert not text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == columns
    rows = list(reader)
    for row in rows:
        for column, cell in row.items():
            assert cell is not None, column
            if not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                assert not cell.startswith(("=", "+", "-", "@")), (column, cell)
    return rows


def _int(cell: str) -> int | None:
    return None if cell == "" else int(cell)


def _day(cell: str) -> dt.date | None:
    return None if cell == "" else dt.date.fromisoformat(cell)


ACLED_EVENT_TYPES = {(d, t, s) for d, t, s in ACLED_TYPES.values()} | {
    ("Political violence", "Violence against civilians", "Attack")
}


def _check_acled(text: str) -> list[dict[str, str]]:
    rows = _rows(text, ACLED_COLUMNS)
    for row in rows:
        day = _day(row["event_date"])
        assert day is not None and int(row["year"]) == day.year
        assert int(row["time_precision"]) in (1, 2, 3)
        assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) in ACLED_EVENT_TYPES
        low, high = _int(row["fatalities"]), _int(row["fatalities_max"])
        assert (low is None) == (high is None) and (low is None or high is None or 0 <= low <= high)
        earliest, latest = _day(row["date_earliest"]), _day(row["date_latest"])
        assert (earliest or day) <= day <= (latest or day)
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
            assert int(row["geo_precision"]) in (1, 2, 3)
        assert row["inter1"] == "" or int(row["inter1"]) in range(1, 9)
        assert row["wiki_url"].startswith(SITE + "events/")
    return rows


def test_acled_style_table(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    rows = {r["wiki_id"]: r for r in _check_acled(acled_csv(odd_index, SITE))}
    assert "stat" not in rows  # an aggregate statistic is not an event
    ranged = rows["ranged"]
    assert ranged["fatalities"] == "3" and ranged["fatalities_max"] == "4"  # ACLED's lower figure
    assert ranged["event_date"] == "2015-08-16" and ranged["time_precision"] == "3"
    assert ranged["actor1"] == " ".join(HOSTILE.split()) and ranged["inter1"] == "2"
    assert ranged["actor2"] == "Army" and ranged["inter2"] == "1"
    assert (ranged["country"], ranged["admin1"], ranged["location"]) == ("Land", "North", "'=Town")
    assert (ranged["latitude"], ranged["longitude"], ranged["geo_precision"]) == ("16.25", "-3.5", "1")
    assert rows["by-report"]["event_date"] == "2015-08-12" and rows["by-report"]["date_earliest"] == ""
    assert rows["by-report"]["fatalities"] == ""  # no figure is not zero
    real = _check_acled(acled_csv(real_index, SITE))
    assert {r["wiki_id"] for r in real} == {e.id for e in real_index.events if e.type.value != "statistic"}


def test_ucdp_style_table(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    for index in (odd_index, real_index):
        rows = _rows(ucdp_csv(index, SITE), UCDP_COLUMNS)
        for row in rows:
            start, end = _day(row["date_start"]), _day(row["date_end"])
            assert start is None or end is None or start <= end
            assert int(row["date_prec"]) in range(1, 6)
            low, best, high = int(row["low"]), int(row["best"]), int(row["high"])
            assert 0 <= low <= best <= high
            parts = sum(int(row[c]) for c in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"))
            assert parts <= low
    row = _rows(ucdp_csv(odd_index, SITE), UCDP_COLUMNS)[0]
    assert (row["id"], row["low"], row["best"], row["high"]) == ("ranged", "3", "3", "4")
    assert (row["deaths_b"], row["deaths_civilians"], row["date_start"], row["date_end"]) == (
        "2",
        "1",
        "2015-08-01",
        "2015-08-31",
    )
    assert row["date_prec"] == "4"


# -- SQLite and Datasette -----------------------------------------------------------------------


def _open(tmp_path: Path, index: Index) -> sqlite3.Connection:
    path = tmp_path / "sahel-wiki.sqlite"
    path.write_bytes(database(index, SITE))
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def test_sqlite_has_consistent_keys_and_joins(tmp_path: Path, real_index: Index) -> None:  # noqa: F811
    db = _open(tmp_path, real_index)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(TABLES)
    assert db.execute("SELECT count(*) FROM events").fetchone() == (len(real_index.events),)
    # every actor of every event, through the link table, names its group or person
    joined = db.execute(
        """SELECT e.id, coalesce(g.name, p.name), a.role FROM event_actors a
           JOIN events e ON e.id = a.event_id
           LEFT JOIN groups g ON g.id = a.group_id LEFT JOIN people p ON p.id = a.person_id"""
    ).fetchall()
    expected = [(e.id, real_index.name(a.ref), a.role.value) for e in real_index.events for a in e.actors]
    assert sorted(joined) == sorted(expected)
    # every citation resolves to its source and its record
    quotes = db.execute(
        "SELECT r.kind, s.title, c.quote FROM citations c JOIN sources s ON s.id = c.source_id "
        "JOIN records r ON r.id = c.record_id"
    ).fetchall()
    assert len(quotes) == sum(len(v) for v in real_index.citing.values())


def test_sqlite_rejects_a_broken_link_and_is_reproducible(tmp_path: Path, odd_index: Index) -> None:
    db = _open(tmp_path, odd_index)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO event_places VALUES ('ranged', 'no-such-place')")
    assert db.execute("SELECT killed_min, killed_max FROM casualties WHERE category = 'soldiers'").fetchone() == (2, 3)
    assert database(odd_index, SITE) == database(odd_index, SITE)


def test_datasette_metadata_describes_every_column(tmp_path: Path, odd_index: Index) -> None:
    metadata = json.loads(datasette_metadata(odd_index, SITE))
    jsonschema.validate(metadata, json.loads((SCHEMA_DIR / "datasette-metadata.schema.json").read_text()))
    assert metadata["license"] == "CC BY 4.0"
    db = _open(tmp_path, odd_index)
    described = metadata["databases"]["sahel-wiki"]["tables"]
    for table, info in described.items():
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        assert columns == list(info["columns"]), table


# -- Atom -------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def _check_feed(text: str) -> list[ET.Element]:
    root = ET.fromstring(text.encode())
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    stamps = []
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        stamp = entry.findtext(f"{ATOM}updated") or ""
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", stamp)
        stamps.append(stamp)
    assert stamps == sorted(stamps, reverse=True)  # newest first
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))
    return entries


def test_feed_lists_added_and_updated_records_newest_first(odd_index: Index, real_index: Index) -> None:  # noqa: F811
    entries = _check_feed(feed(odd_index, SITE))
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["Updated: ranged (event)".replace("ranged", "An event"), "Added: An event (event)"]
    link = entries[0].find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"{SITE}events/ranged/"
    real = _check_feed(feed(real_index, SITE))
    dated = [r for r in real_index.by_id.values() if getattr(r, "added", None) or getattr(r, "updated", None)]
    assert len(real) == min(len(dated), MAX_ENTRIES)


# -- the downloads page ------------------------------------------------------------------------


def test_sizes_are_filled_in() -> None:
    page = '<td><span class="wiki-size" data-file="downloads/a.bib">–</span></td><span class="wiki-size" data-file="x">–</span>'
    sizes = {"downloads/a.bib": 2_345}
    filled = fill_sizes(page, sizes.get)
    assert '<span class="wiki-size" data-file="downloads/a.bib">2\u00a0KB</span>' in filled
    assert '<span class="wiki-size" data-file="x">–</span>' in filled
    sizes_shown = (size_text(999), size_text(1_500), size_text(2_340_000))
    assert sizes_shown == ("999\u00a0bytes", "2\u00a0KB", "2.3\u00a0MB")


def test_every_research_file_is_listed_on_the_downloads_page() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "downloads.md").read_text(encoding="utf-8")
    for path in research_files(make_index(), ""):
        if path.startswith("downloads/schema/"):
            assert path in page, path
            continue
        assert f"({path})" in page and f'data-file="{path}"' in page, path
    assert len(SCHEMAS) == 3


# -- what a reference manager reads from a built page --------------------------------------------


class HeadReader(HTMLParser):
    """Reads a page's <meta> tags as Zotero's Embedded Metadata translator does: name or
    property → every value, plus the canonical link and the feed link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        if tag == "link" and a.get("rel") in ("canonical", "alternate", "schema.DC"):
            self.links[a.get("type") or a["rel"]] = a.get("href", "")
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1.append(data)


def read_head(path: Path) -> HeadReader:
    reader = HeadReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.mark.build
def test_saving_an_entity_page_gives_a_webpage_item(fixture_site: Path) -> None:
    head = read_head(fixture_site / "groups" / "northern-front" / "index.html")
    meta = {k: v[0] for k, v in head.meta.items()}
    assert meta["citation_title"] == "Northern Front (NF)" == "".join(head.h1).strip().rstrip("¶")
    assert meta["citation_public_url"] == meta["DC.identifier"] == meta["og:url"] == head.links["canonical"]
    assert meta["citation_publisher"] == meta["og:site_name"] == meta["DC.publisher"] == "Sahel Conflict Wiki"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", meta["citation_date"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["DC.date"])
    assert "citation_author" not in meta and head.links["schema.DC"].startswith("http://purl.org/dc/")


@pytest.mark.build
def test_saving_a_source_page_gives_the_original_document(fixture_site: Path) -> None:
    alpha = read_head(fixture_site / "sources" / "alpha-gazette" / "index.html").meta
    assert alpha["citation_title"] == ["Front attacks Riverton market"]
    assert alpha["citation_author"] == ["A. Writer"] == alpha["DC.creator"]
    assert alpha["citation_publisher"] == ["Alpha Gazette"]
    assert alpha["citation_publication_date"] == ["2020/03/03"] and alpha["DC.date"] == ["2020-03-03"]
    assert alpha["citation_public_url"] == ["https://alpha.example.org/riverton"]
    assert alpha["og:url"][0].endswith("/sources/alpha-gazette/")  # Open Graph still names the wiki's page
    beta = read_head(fixture_site / "sources" / "beta-review" / "index.html").meta
    assert beta["citation_publication_date"] == ["2021"] and "citation_author" not in beta
    assert "citation_public_url" not in beta  # no original address: none is invented


@pytest.mark.build
def test_every_page_has_citation_tags_and_announces_the_feed(fixture_site: Path) -> None:
    for page in sorted(fixture_site.rglob("*.html")):
        if page.name == "404.html":
            continue
        head = read_head(page)
        assert len(head.meta.get("citation_title", [])) == 1 and head.meta["citation_title"][0], page
        assert head.links.get("application/atom+xml", "").endswith(FEED_PATH), page
        feed_path = (page.parent / head.links["application/atom+xml"]).resolve()
        assert feed_path == (fixture_site / FEED_PATH).resolve(), page
        # Material's script fetches sitemap.xml from the folder of each rel="alternate" link (it
        # takes it for a translation of the site): there, it finds the small stub, not the site's
        # whole sitemap (a browser test checks what a page load fetches).
        assert (feed_path.parent / "sitemap.xml").resolve() == (fixture_site / FEED_SITEMAP).resolve()
    stub = ET.parse(fixture_site / FEED_SITEMAP).getroot()
    assert stub.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" and len(stub) == 0


@pytest.mark.build
def test_built_downloads_are_linked_sized_and_parse(fixture_site: Path) -> None:
    page = (fixture_site / "downloads" / "index.html").read_text(encoding="utf-8")
    for path in research_files(make_index(), ""):
        assert (fixture_site / path).is_file(), path
        if not path.startswith("downloads/schema/"):
            size = re.search(rf'data-file="{re.escape(path)}">([^<]*)<', page)
            assert size and re.fullmatch(r"\d+\u00a0bytes|\d+\u00a0KB|\d+\.\d\u00a0MB", size[1]), path
    entries = _check_feed((fixture_site / FEED_PATH).read_text(encoding="utf-8"))
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None
        path = link.get("href", "").split("://", 1)[-1].split("/", 1)[1].split("#")[0]
        assert (fixture_site / path / "index.html").is_file(), path
    whats_new = (fixture_site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{FEED_PATH}"' in whats_new

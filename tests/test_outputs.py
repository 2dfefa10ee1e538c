"""Machine-readable outputs of a real build: downloads, JSON-LD, sitemap, previews."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from macros.export import KIND_KEYS, LICENCE, _date_bounds, csv_tables, knowledge_base_json
from macros.index import Index
from macros.schema import SCHEMA_DIR

pytestmark = pytest.mark.build


def test_json_download_holds_every_record_with_resolved_ids(fixture_site: Path) -> None:
    data = json.loads((fixture_site / "downloads" / "sahel-wiki.json").read_text(encoding="utf-8"))
    assert "CC BY 4.0" in data["licence"]
    assert {e["id"] for e in data["events"]} == {"riverton-market-attack", "riverton-workers-kidnapping"}
    event = next(e for e in data["events"] if e["id"] == "riverton-market-attack")
    assert event["date"] == "2020-03-01" and event["citations"][0]["source"] == "alpha-gazette"
    assert data["ids"]["northern-front"] == {
        "kind": "group",
        "name": "Northern Front (NF)",
        "url": "groups/northern-front/",
    }
    for actor in event["actors"]:
        assert actor["group"] in data["ids"]
    # every record is valid against the published schema of its kind
    for key in ("sources", "groups", "people", "places", "events", "relations"):
        schema = json.loads((SCHEMA_DIR / f"{key}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate({key: data[key]}, schema)


def test_csv_downloads(fixture_site: Path) -> None:
    rows = list(
        csv.DictReader(io.StringIO((fixture_site / "downloads" / "csv" / "events.csv").read_text(encoding="utf-8")))
    )
    attack = next(r for r in rows if r["id"] == "riverton-market-attack")
    assert attack["date_display"] == "1 March 2020"
    assert attack["killed"] == "civilians: 4; soldiers: 2"
    assert attack["actors"] == "northern-front (claimed)"
    for name in ("sources", "groups", "people", "places", "relations"):
        assert (fixture_site / "downloads" / "csv" / f"{name}.csv").read_text(encoding="utf-8").startswith("id,")


def test_csv_tables_are_made_on_demand_and_again(fixture_index: Index) -> None:
    """The hook registers the CSV downloads by name and writes each where it is made (in a
    background process): a table made twice is the same, not the rest of a spent generator."""
    tables = csv_tables(fixture_index)
    assert set(tables) == {f"{key}.csv" for key in KIND_KEYS.values()}
    events = tables["events.csv"]()
    assert events == tables["events.csv"]()
    rows = list(csv.reader(io.StringIO(events)))
    assert rows[0][:3] == ["id", "date", "date_display"]
    assert len(rows) == 1 + len(fixture_index.events)


def test_every_index_page_and_home_link_the_downloads(fixture_site: Path) -> None:
    for page in ("groups", "people", "places", "events", "sources"):
        assert 'href="../downloads/"' in (fixture_site / page / "index.html").read_text(encoding="utf-8"), page
    assert 'href="downloads/"' in (fixture_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        ("groups/northern-front", "Organization"),
        ("people/jane-doe", "Person"),
        ("places/riverton", "Place"),
        ("events/riverton-market-attack", "Event"),
        ("sources/alpha-gazette", "CreativeWork"),
    ],
)
def test_json_ld_in_the_head(fixture_site: Path, page: str, kind: str) -> None:
    html = (fixture_site / page / "index.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head)
    assert len(found) == 1
    data = json.loads(found[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == kind
    assert data["url"].endswith(f"/{page}/")


def test_event_json_ld_keeps_date_precision(fixture_site: Path) -> None:
    html = (fixture_site / "events" / "riverton-workers-kidnapping" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)[0])
    assert data["startDate"] == "2019"  # the year only, not padded to a day


def test_sitemap_dates_come_from_the_data(fixture_site: Path) -> None:
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap))
    assert dates == {"2021-12-31"}  # no 'added' days in the fixture: the newest source's date


def test_previews_are_text_keyed_by_page(fixture_site: Path) -> None:
    previews = json.loads((fixture_site / "assets" / "previews.json").read_text(encoding="utf-8"))
    assert previews["groups/northern-front/"]["title"] == "Northern Front (NF)"
    assert previews["events/riverton-market-attack/"]["text"].startswith("1 March 2020.")


def test_cite_this_page_uses_the_public_address(fixture_site: Path) -> None:
    html = (fixture_site / "people" / "jane-doe" / "index.html").read_text(encoding="utf-8")
    assert "How to cite this page" in html
    assert "https://sahel-wiki.example.org/people/jane-doe/" in html


def test_entity_pages_give_their_names_to_search_as_weighted_text(fixture_site: Path) -> None:
    """Names and aliases go to Pagefind as heavily weighted, hidden text (macros/search.py)."""
    group = (fixture_site / "groups" / "northern-front" / "index.html").read_text(encoding="utf-8")
    names = re.search(r'<p hidden data-pagefind-weight="10">([^<]*)</p>', group)
    assert names is not None and names.group(1).split(" · ") == ["Northern Front", "NF", "Front du Nord"]
    event = (fixture_site / "events" / "riverton-market-attack" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-weight" not in event


def test_search_terms_add_plain_letter_spellings() -> None:
    from macros.export import search_terms
    from tests.conftest import make_index, make_person

    index = make_index(make_person(name="Amadou Toumani Touré", aliases=["Amani Amadou Toure"]))
    assert search_terms(index, "someone") == ["Amadou Toumani Touré", "Amani Amadou Toure", "Amadou Toumani Toure"]


def _awkward_index() -> Index:
    from tests.conftest import make_event, make_index, make_person, make_place

    return make_index(
        make_person(name="Amadou Toumani Touré", aliases=["ATT", "«Le soldat»"], summary='Said "no" \\ left\ttab'),
        make_place(name="Tombouctou – تمبكتو", coords={"lat": 16.7666, "lon": -3.0026}),
        make_event(
            title="Line\nbreak, </script> & 𝄞", casualties=[{"category": "civilians", "killed": {"min": 3, "max": 5}}]
        ),
    )


@pytest.mark.parametrize("which", ["fixture", "awkward text"])
def test_json_download_is_the_indented_dump_of_every_record(which: str, fixture_index: Index) -> None:
    """The download is written by pydantic's serializer: the same text that json.dumps with an
    indent gives for the records' own dumps (ids table first, then each kind in file order)."""
    index = fixture_index if which == "fixture" else _awkward_index()
    expected: dict[str, Any] = {
        "licence": LICENCE,
        "ids": {
            rid: {"kind": index.kind_of[rid], "name": index.display_name(rid), "url": index.page_url(index.uri(rid))}
            for rid in sorted(index.by_id)
        },
        "date_bounds": _date_bounds(index),
    }
    for kind, key in KIND_KEYS.items():
        records = index.of_kind(kind) if kind == "event" else getattr(index.kb, key)
        expected[key] = [r.model_dump(mode="json", exclude_none=True) for r in records]
    assert knowledge_base_json(index) == json.dumps(expected, ensure_ascii=False, indent=1) + "\n"


def test_downloads_keep_edtf_and_add_the_days_it_spans_and_counts_as_numbers() -> None:
    """Issue 15: a spreadsheet never shows a false day, and '2-3' never becomes a date in Excel."""
    from tests.conftest import make_event, make_group, make_index, make_relation

    index = make_index(
        make_group(),
        make_group(id="grp2"),
        make_event(id="year", date="2015", casualties=[{"category": "police", "killed": {"min": 2, "max": 3}}]),
        make_event(
            id="by",
            date="../2015-08-12",
            date_basis="report",
            casualties=[{"category": "civilians", "killed": 4}, {"category": "police", "killed": {"min": 1, "max": 2}}],
        ),
        make_event(id="mixed", date="2015/2015-08-11"),
        make_relation(start="2012-08", end="2014~"),
    )
    events = {r["id"]: r for r in csv.DictReader(io.StringIO(csv_tables(index)["events.csv"]()))}
    assert (events["year"]["date"], events["year"]["date_earliest"], events["year"]["date_latest"]) == (
        "2015",
        "2015-01-01",
        "2015-12-31",
    )
    assert (events["by"]["date_earliest"], events["by"]["date_latest"], events["by"]["date_basis"]) == (
        "",
        "2015-08-12",
        "report",
    )
    assert events["by"]["date_display"] == "by 12 August 2015 (date of report)"
    assert (events["mixed"]["date_earliest"], events["mixed"]["date_latest"]) == ("2015-01-01", "2015-08-11")
    assert (events["year"]["killed_min"], events["year"]["killed_max"]) == ("2", "3")
    assert (events["by"]["killed_min"], events["by"]["killed_max"]) == ("5", "6")
    assert (events["mixed"]["killed_min"], events["mixed"]["wounded_max"]) == ("", "")
    assert events["year"]["killed"] == "police: 2 to 3"
    assert not any(re.fullmatch(r"\d+-\d+", cell) for row in events.values() for cell in row.values())
    relation = next(csv.DictReader(io.StringIO(csv_tables(index)["relations.csv"]())))
    assert (relation["start"], relation["start_earliest"], relation["end"], relation["end_latest"]) == (
        "2012-08",
        "2012-08-01",
        "2014~",
        "2014-12-31",
    )
    data = json.loads(knowledge_base_json(index))
    assert data["date_bounds"]["by"] == {"date": ["", "2015-08-12"]}
    assert data["date_bounds"]["src"] == {"published": ["2015-08-12", "2015-08-12"]}
    assert next(e for e in data["events"] if e["id"] == "by")["date"] == "../2015-08-12"

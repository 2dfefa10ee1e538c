"""One test per kind of data error: the message, the file and the line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from macros.errors import DataErrors
from macros.wiki import build_index

SOURCES = """\
sources:
  - id: src
    title: A source
    publisher: Pub
    published: 2015-08-12
    language: en
"""
GROUPS = """\
groups:
  - id: aqim
    name: AQIM
    kind: jihadist-group
    citations:
      - source: src
        quote: AQIM
"""
PLACES = """\
places:
  - id: mali
    name: Mali
    kind: country
    citations:
      - {source: src, quote: Mali}
"""


def errors_for(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    data = tmp_path / "data"
    base = {"sources.yml": SOURCES, "groups.yml": GROUPS, "places.yml": PLACES}
    for name, text in (base | files).items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    try:
        build_index(data, tmp_path)
    except DataErrors as exc:
        return [str(e) for e in exc.errors]
    return []


def event(body: str) -> str:
    return "events:\n" + textwrap.indent(textwrap.dedent(body), "  ")


VALID_EVENT = """\
- id: byblos-hotel-attack
  date: 2015-08-07
  title: Attack
  type: attack
  places: [mali]
  actors:
    - group: aqim
      role: claimed
  summary: An attack.
  citations:
    - source: src
      quote: the attack
"""


def test_valid_base_has_no_errors(tmp_path: Path) -> None:
    assert errors_for(tmp_path, {"events/2015.yml": event(VALID_EVENT)}) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "- group: aqim",
            "- group: aqmi",
            "data/events/2015.yml:8: event 'byblos-hotel-attack': unknown group 'aqmi' (did you mean 'aqim'?)",
        ),
        (
            "places: [mali]",
            "places: [aqim]",
            "data/events/2015.yml:6: event 'byblos-hotel-attack': 'aqim' is a group, not a place (as 'places[0]' needs)",
        ),
        (
            "source: src",
            "source: scr",
            "data/events/2015.yml:12: event 'byblos-hotel-attack': unknown source 'scr' (did you mean 'src'?)",
        ),
        (
            "date: 2015-08-07",
            "date: 2015-02-30",
            "data/events/2015.yml:3: event 'byblos-hotel-attack': 'date': '2015-02-30' is not a real calendar date (day is out of range for month)",
        ),
        (
            "date: 2015-08-07",
            "date: 2015/2014",
            "data/events/2015.yml:3: event 'byblos-hotel-attack': 'date': '2015/2014' ends before it starts: the range is START/END",
        ),
        (
            "type: attack",
            "type: atack",
            "data/events/2015.yml:5: event 'byblos-hotel-attack': 'type' is 'atack', not one of:",
        ),
        (
            "title: Attack",
            "titel: Attack",
            "data/events/2015.yml:4: event 'byblos-hotel-attack': unknown field 'titel' (did you mean 'title'?)",
        ),
        (
            "      quote: the attack",
            "      qoute: the attack",
            "data/events/2015.yml:13: event 'byblos-hotel-attack': unknown field 'citations[0].qoute' (did you mean 'quote'?)",
        ),
        (
            "id: byblos-hotel-attack",
            "id: Byblos_Hotel",
            "data/events/2015.yml:2: event 'Byblos_Hotel': 'id' is 'Byblos_Hotel', not a valid id",
        ),
        (
            "title: Attack",
            "title: [1, 2]",
            "data/events/2015.yml:4: event 'byblos-hotel-attack': 'title' must be text, not a list",
        ),
        (
            "summary: An attack.",
            "summary: An attack.\n  casualties:\n    - category: soldiers\n      killed: -3",
            "data/events/2015.yml:13: event 'byblos-hotel-attack': 'casualties[0].killed': -3 is not a count",
        ),
        (
            "summary: An attack.",
            "summary: An attack.\n  casualties:\n    - category: soldiers\n      killed: {min: 3, max: 2}",
            "data/events/2015.yml:13: event 'byblos-hotel-attack': 'casualties[0].killed': range min 3 is larger than max 2",
        ),
        (
            "    - group: aqim\n      role: claimed",
            "    - group: aqim\n      person: aqim\n      role: claimed",
            "data/events/2015.yml:8: event 'byblos-hotel-attack': 'actors[0]': an actor names exactly one of 'group' or 'person'",
        ),
        (
            "  citations:\n    - source: src\n      quote: the attack",
            "  citations: []",
            "data/events/2015.yml:11: event 'byblos-hotel-attack': 'citations' is empty",
        ),
        (
            "  citations:\n    - source: src\n      quote: the attack",
            "",
            "data/events/2015.yml:2: event 'byblos-hotel-attack': missing 'citations'",
        ),
        (
            "quote: the attack",
            "quote: " + " ".join(["word"] * 41),
            "data/events/2015.yml:13: event 'byblos-hotel-attack': 'citations[0].quote': quote is 41 words long",
        ),
        (
            "date: 2015-08-07",
            "date: 2015-08-07\n  date_basis: report",
            "data/events/2015.yml:4: event 'byblos-hotel-attack': 'date_basis': 'report' means the event happened by "
            "the report's day: write date: ../2015-08-07",
        ),
        (
            "date: 2015-08-07",
            "date: 2015/..\n  date_basis: report",
            "data/events/2015.yml:4: event 'byblos-hotel-attack': 'date_basis': 'report' needs the report's day as "
            "the end of the date, not '2015/..'",
        ),
        (
            "date: 2015-08-07",
            "date: ../2015-08-12\n  date_basis: reported",
            "data/events/2015.yml:4: event 'byblos-hotel-attack': 'date_basis' is 'reported', not one of: report, "
            "event (did you mean 'report'?)",
        ),
        (
            "type: attack",
            "type: attack\n  title: Again",
            "data/events/2015.yml:6: duplicate key 'title' (first given on line 4)",
        ),
    ],
)
def test_event_errors(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in VALID_EVENT
    errors = errors_for(tmp_path, {"events/2015.yml": event(VALID_EVENT.replace(old, new))})
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"x.yml": "- 1\n- 2\n"}, "data/x.yml:1: the file is a list; it must be a mapping"),
        ({"x.yml": ""}, "data/x.yml:1: file is empty"),
        ({"x.yml": "evnets: []\n"}, "data/x.yml:1: unknown kind 'evnets' (did you mean 'events'?)"),
        ({"x.yml": "events: {a: 1}\n"}, "data/x.yml:1: 'events' must be a list of records"),
        ({"x.yml": "events:\n  - just text\n"}, "data/x.yml:2: each event must be a mapping of fields"),
        ({"x.yml": "events: []\ngroups: []\n"}, "data/x.yml:1: a data file holds one kind of record"),
        (
            {"x.yml": b"events:\n  - id: caf\xe9\n"},
            "data/x.yml:2: the file cannot be read: not valid UTF-8 (byte 0xe9)",
        ),
        ({"x.yml": "events:\n\t- id: x\n"}, "data/x.yml:2: YAML syntax error: a tab character"),
        (
            {
                "x.yml": "sources:\n  - id: aqim\n    title: T\n    publisher: P\n    published: 2015\n    language: en\n"
            },
            "data/x.yml:2: source 'aqim': id 'aqim' is already used by group at data/groups.yml:2",
        ),
        (
            {
                "x.yml": "sources:\n  - id: s2\n    title: T\n    publisher: P\n    published: 2015\n    language: en\n    url: javascript:alert(1)\n"
            },
            "data/x.yml:7: source 's2': 'url' is 'javascript:alert(1)': only http:// and https:// addresses are allowed",
        ),
        (
            {
                "x.yml": "relations:\n  - id: r\n    type: leader-of\n    subject: aqim\n    object: aqim\n    citations: [{source: src, quote: q}]\n"
            },
            "data/x.yml:2: relation 'r': a relation links two different records",
        ),
        (
            {
                "x.yml": "relations:\n  - id: r\n    type: leader-of\n    subject: mali\n    object: aqim\n    citations: [{source: src, quote: q}]\n"
            },
            "data/x.yml:4: relation 'r': 'mali' is a place, not a group",
        ),
        (
            {
                "x.yml": "places:\n  - id: gao\n    name: Gao\n    kind: town\n    coords: {lat: 95, lon: 0}\n    citations: [{source: src, quote: q}]\n"
            },
            "data/x.yml:5: place 'gao': 'coords.lat' is 95",
        ),
    ],
)
def test_file_errors(tmp_path: Path, files: dict[str, str | bytes], expected: str) -> None:
    errors = errors_for(tmp_path, files)
    assert any(e.startswith(expected) for e in errors), errors


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    big = "events:\n" + "# padding\n" * 500_000
    errors = errors_for(tmp_path, {"big.yml": big})
    assert errors == [
        "data/big.yml:1: file is 4.8 MB, over the 4 MB limit for one data file: split it (for example one file per year)"
    ]


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    bad = VALID_EVENT.replace("group: aqim", "group: aqmi").replace("type: attack", "type: atack")
    errors = errors_for(tmp_path, {"events/2015.yml": event(bad), "x.yml": "- 1\n"})
    assert len(errors) == 3
    assert errors == sorted(errors)


def test_report_dated_event_is_listed_at_its_end(tmp_path: Path) -> None:
    """'by 12 August 2015' is listed under 2015, after that day's own events, not at the start of time."""
    from macros.wiki import build_index as build

    reported = VALID_EVENT.replace("byblos-hotel-attack", "reported").replace(
        "date: 2015-08-07", "date: ../2015-08-12\n  date_basis: report"
    )
    same_day = VALID_EVENT.replace("byblos-hotel-attack", "same-day").replace(
        "date: 2015-08-07", "date: 2015-08-12\n  date_basis: event"
    )
    data = tmp_path / "data"
    files = {"sources.yml": SOURCES, "groups.yml": GROUPS, "places.yml": PLACES}
    files["events/2015.yml"] = event(reported + VALID_EVENT + same_day)
    for name, text in files.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(textwrap.dedent(text), encoding="utf-8")
    index = build(data, tmp_path)
    assert [e.id for e in index.events] == ["byblos-hotel-attack", "same-day", "reported"]
    assert [e.id for e in index.events_by_year[2015]] == ["byblos-hotel-attack", "same-day", "reported"]
    assert list(index.events_by_year) == [2015]


REPORT_DAY_HINT = (
    "data/events/2015.yml:3: event 'byblos-hotel-attack': date 2015-08-12 is the publication day of its only "
    "source 'src'; if the source only reports it by then, write date: ../2015-08-12 (or START/2015-08-12) and "
    "date_basis: report; if the source dates the event itself to that day, add date_basis: event"
)
SECOND_SOURCE = (
    SOURCES + "  - id: other\n    title: B\n    publisher: Pub\n    published: 2015-08-12\n    language: en\n"
)


@pytest.mark.parametrize(
    ("date", "extra", "sources", "expected"),
    [
        # The report's day given as the event's day, with nothing saying which it is: refused.
        ("2015-08-12", "", SOURCES, [REPORT_DAY_HINT]),
        # Saying which it is, either way, is accepted.
        ("2015-08-12", "\n  date_basis: event", SOURCES, []),
        ("../2015-08-12", "\n  date_basis: report", SOURCES, []),
        # Only a day can be mistaken for the report's day; another day is the event's own.
        ("2015-08", "", SOURCES, []),
        ("2015-08-11", "", SOURCES, []),
        ("2015/2015-08-12", "", SOURCES, []),
        # A second source dating the event the same day corroborates it.
        ("2015-08-12", "\n    - source: other\n      quote: the attack", SECOND_SOURCE, []),
    ],
)
def test_a_report_day_is_not_an_event_day(
    tmp_path: Path, date: str, extra: str, sources: str, expected: list[str]
) -> None:
    body = VALID_EVENT.replace("date: 2015-08-07", f"date: {date}")
    if extra.startswith("\n    - source"):  # one more citation, at the end of the record
        body = body + extra.removeprefix("\n") + "\n"
    else:
        body = body.replace(f"date: {date}", f"date: {date}{extra}")
    assert errors_for(tmp_path, {"sources.yml": sources, "events/2015.yml": event(body)}) == expected


def test_a_date_one_day_ahead_of_the_build_machine_is_not_in_the_future() -> None:
    """A contributor east of the build machine's time zone adds a record on their today."""
    import datetime

    from macros import plausible
    from macros.load import RawRecord
    from macros.yamlload import LineDict
    from tests.conftest import make_event

    today = datetime.date(2026, 12, 6)
    record = make_event(added="2026-12-07")
    raw = RawRecord("event", "data/events/x.yml", LineDict(2))
    assert plausible.check([(raw, record)], today) == []
    late = plausible.check([(raw, make_event(added="2026-12-08"))], today)
    assert [e.message.split(",")[0] for e in late] == ["'added' is 2026-12-08"]

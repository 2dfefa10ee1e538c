"""The real fact base in data/: valid, quoted verbatim, figures traceable to quotes."""

from __future__ import annotations

import calendar
import datetime as _dt
import re

import pytest

from macros.dates import Point, WikiDate, parse_date
from macros.index import Index
from macros.load import load
from macros.model import MAX_QUOTE_WORDS, Citation, Event, Range
from macros.quotes import check_quotes, resolve_archive
from macros.wiki import build_index
from tests.conftest import IN_CI, REAL_DATA, ROOT

#: As make check finds it: $WIKI_ARCHIVE, else the folder beside the project.
ARCHIVE = resolve_archive("../shared/sources", ROOT) or ROOT.parent / "shared" / "sources"

NUMBER_WORDS = {
    0: ["zero", "no"],
    1: ["one", "a", "an"],
    2: ["two"],
    3: ["three"],
    4: ["four"],
    5: ["five"],
    6: ["six"],
    7: ["seven"],
    8: ["eight"],
    9: ["nine"],
    10: ["ten"],
    11: ["eleven"],
    12: ["twelve"],
    13: ["thirteen"],
    14: ["fourteen"],
    15: ["fifteen"],
    16: ["sixteen"],
    17: ["seventeen"],
    18: ["eighteen"],
    19: ["nineteen"],
    20: ["twenty"],
    30: ["thirty"],
    40: ["forty"],
    50: ["fifty"],
    100: ["a hundred", "one hundred"],
}


@pytest.fixture(scope="module")
def real_index() -> Index:
    return build_index(REAL_DATA, ROOT)


def appears(number: int, text: str) -> bool:
    """Is ``number`` in ``text`` as digits (1,277 or 1277) or as a word (nine)?"""
    lowered = text.lower()
    digits = {str(number), f"{number:,}"}
    if number >= 1_000_000 and number % 100_000 == 0:
        digits.add(f"{number / 1_000_000:g} million")
    if any(re.search(rf"(?<![\d,]){re.escape(d)}(?![\d,])", lowered) for d in digits):
        return True
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in NUMBER_WORDS.get(number, []))


@pytest.mark.parametrize(
    ("number", "text", "found"),
    [
        (9, "nine civilians", True),
        (1277, "1,277 civilians were killed", True),
        (11, "leaving eleven dead", True),
        (3, "killing two three policemen", True),
        (4, "four soldiers", True),
        (7, "seventy", False),
        (12, "112 people", False),
    ],
)
def test_appears(number: int, text: str, found: bool) -> None:
    assert appears(number, text) is found


def test_every_quote_is_verbatim_in_its_source() -> None:
    if not ARCHIVE.is_dir():
        if IN_CI:
            pytest.fail(f"the archive of source texts is missing at {ARCHIVE}")
        pytest.skip(f"no archive of source texts at {ARCHIVE}: quote check skipped")
    raws, errors = load(REAL_DATA, ROOT)
    assert errors == []
    problems = check_quotes(raws, ARCHIVE)
    assert [str(p) for p in problems] == []


def test_every_casualty_figure_appears_in_a_quote(real_index: Index) -> None:
    missing = []
    for event in real_index.events:
        quotes = " ".join(c.quote for c in event.citations)
        for item in event.casualties:
            for field in ("killed", "wounded"):
                count = getattr(item, field)
                if count is None:
                    continue
                numbers = [count.min, count.max] if isinstance(count, Range) else [count]
                missing += [f"{event.id}: {item.category.value} {field} {n}" for n in numbers if not appears(n, quotes)]
    assert missing == []


def test_every_statistic_figure_appears_in_a_quote(real_index: Index) -> None:
    missing = []
    for event in real_index.events:
        quotes = " ".join(c.quote for c in event.citations)
        for figure in event.figures:
            value = figure.value
            numbers = [value.min, value.max] if isinstance(value, Range) else [value]
            missing += [f"{event.id}: {figure.measure} {n}" for n in numbers if not appears(n, quotes)]
    assert missing == []


def test_the_guide_states_the_quote_length_the_check_enforces() -> None:
    """One rule for quote length: the model's constant, which the guide quotes."""
    guide = " ".join((ROOT / "docs" / "contributing.md").read_text(encoding="utf-8").split())
    assert f"at most {MAX_QUOTE_WORDS} words" in guide
    assert not re.search(r"at most (?:about )?\d+ words", guide.replace(f"at most {MAX_QUOTE_WORDS} words", ""))


def test_every_source_is_cited(real_index: Index) -> None:
    """A source nothing cites is a source added without its facts (or left behind)."""
    assert [s.id for s in real_index.kb.sources if not real_index.citing.get(s.id)] == []


def test_every_record_kind_is_present(real_index: Index) -> None:
    kb = real_index.kb
    assert all((kb.sources, kb.groups, kb.people, kb.places, kb.events, kb.relations))


def test_the_records_readers_look_for_are_there(real_index: Index) -> None:
    """Names the readers will look for: data may be added around them, never lose them."""
    for rid in [
        "aqim",
        "gspc",
        "al-mourabitoun",
        "ansar-dine",
        "mujao",
        "mnla",
        "jnim",
        "isgs",
        "wagner-group",
        "mokhtar-belmokhtar",
        "timbuktu",
        "gao",
        "kidal",
        "menaka",
        "bamako",
        "byblos-hotel-attack-2015",
    ]:
        assert rid in real_index.by_id, rid


def test_contested_claims_are_recorded(real_index: Index) -> None:
    contested = {(c.entity, c.topic) for c in real_index.contested}
    assert ("isgs", "first-appearance") in contested  # 2015 or 2018
    # Belmokhtar's titles in 2010, 2012 and 2015 sources changed over time: a history, not a dispute.
    assert ("mokhtar-belmokhtar", "title") not in contested
    assert any(entity == "un-mission-mali" for entity, _ in contested)
    # tensions inside the corpus (issue 16), each side cited by a different text or passage
    assert ("sahel", "part-of-north-africa") in contested  # "region of North Africa" / "just below the Sahara"
    assert ("algeria", "islamist-terrorism") in contested  # "terrorism free for over a decade" / January 2013 attack
    assert ("menaka-region", "location") in contested  # "central Mali" / formerly part of the northern Gao region


def test_titles_that_changed_over_time_are_history_not_disputes(real_index: Index) -> None:
    """Belmokhtar's titles of 2010, 2012 and 2015 are each dated, so none is shown as contested."""
    titles = [f for f in real_index.by_id["mokhtar-belmokhtar"].facts if f.topic == "title"]
    assert len({f.value for f in titles}) > 1
    assert all(f.as_of is not None for f in titles)
    assert ("mokhtar-belmokhtar", "title") not in {(c.entity, c.topic) for c in real_index.contested}


def test_source_oddities_are_kept_and_noted(real_index: Index) -> None:
    checkpoint = [e for e in real_index.events if any("two three policemen" in c.quote for c in e.citations)]
    assert checkpoint, "the 'killing two three policemen' event"
    police = [c for c in checkpoint[0].casualties if c.category.value == "police"]
    assert police and isinstance(police[0].killed, Range) and (police[0].killed.min, police[0].killed.max) == (2, 3)
    assert police[0].note or checkpoint[0].note


def test_dates_in_the_data_are_never_padded(real_index: Index) -> None:
    """A day-precision date must come with a day in a quote, locator or date note (diary entries)."""
    months = "january|february|march|april|may|june|july|august|september|october|november|december"
    suspicious = []
    for event in real_index.events:
        date = event.date
        if getattr(date, "day", None) and getattr(date, "day", None) == 1 and getattr(date, "month", None) == 1:
            evidence = " ".join(
                [*(c.quote + " " + (c.locator or "") for c in event.citations), event.date_note or ""]
            ).lower()
            if not re.search(rf"({months}) 1\b|1 january", evidence):
                suspicious.append(event.id)
    assert suspicious == []


_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_LOCATOR_DAY = re.compile(r"\b(?:entry|essay) of (" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b")


def report_days(citation: Citation, published: dict[str, WikiDate]) -> set[_dt.date]:
    """The days a citation is known only as a report of: its source's publication day, and the
    day of the diary entry or essay its locator names ("entry of August 3, 2015")."""
    days = set()
    source_date = published.get(citation.source)
    if isinstance(source_date, Point) and source_date.day:
        days.add(source_date.earliest)
    if found := _LOCATOR_DAY.search(citation.locator or ""):
        month, day, year = found.groups()
        days.add(_dt.date(int(year), _MONTHS[month], int(day)))
    return days


def dated_by_its_report_only(event: Event, published: dict[str, WikiDate]) -> bool:
    """Is the event given a day that every one of its citations knows only as a report's day,
    without saying (date_basis) whether the day is the report's or the event's own?"""
    date = event.date
    if event.date_basis is not None or not isinstance(date, Point) or not date.day:
        return False
    return all(date.earliest in report_days(c, published) for c in event.citations)


def _event(date: str, *cites: tuple[str, str | None], basis: str | None = None) -> Event:
    return Event.model_validate(
        {
            "id": "probe",
            "date": date,
            "date_basis": basis,
            "title": "t",
            "type": "attack",
            "summary": "s",
            "citations": [{"source": s, "quote": "q", "locator": loc} for s, loc in cites],
        }
    )


@pytest.mark.parametrize(
    ("event", "flagged"),
    [
        (_event("2015-08-12", ("page", None)), True),  # the page's own day
        (_event("2015-08-03", ("page", "entry of August 3, 2015")), True),  # a diary entry's day
        (_event("../2015-08-03", ("page", "entry of August 3, 2015"), basis="report"), False),
        (_event("2015-08-07", ("page", "entry of August 7, 2015"), basis="event"), False),
        (_event("2015-08", ("page", "entry of August 3, 2015")), False),  # not a day
        (_event("2015-08-03", ("page", "entry of August 3, 2015"), ("other", None)), False),  # dated elsewhere
        (_event("2015-06-17", ("page", "entry of August 12, 2015")), False),  # a day the text gives
    ],
)
def test_dated_by_its_report_only(event: Event, flagged: bool) -> None:
    assert dated_by_its_report_only(event, {"page": parse_date("2015-08-12"), "other": parse_date("2015")}) is flagged


def test_no_event_passes_off_a_reports_day_as_its_own(real_index: Index) -> None:
    """A report's date is not an event's date (guide, principle 7): an event whose only evidence
    is a report, diary entry or essay of a day says whose day it is, with date_basis."""
    published = {source.id: source.published for source in real_index.kb.sources}
    offenders = [
        f"{event.id} ({event.date.edtf()})" for event in real_index.events if dated_by_its_report_only(event, published)
    ]
    assert offenders == []

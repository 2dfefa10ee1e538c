from __future__ import annotations

import pytest

from macros.dates import DateError, Interval, Point, parse_date


@pytest.mark.parametrize(
    ("text", "display", "precision"),
    [
        ("2012", "2012", "year"),
        ("2012-08", "August 2012", "month"),
        ("2015-08-07", "7 August 2015", "day"),
        ("2010~", "c. 2010", "year"),
        ("2010?", "2010 (uncertain)", "year"),
        ("2010%", "c. 2010 (uncertain)", "year"),
        ("2012-08/2012-09", "August–September 2012", "range"),
        ("2022-09~/2022-12~", "c. September–December 2022", "range"),
        ("2012/2014", "2012–2014", "range"),
        ("2013/..", "since 2013", "range"),
        ("../2021", "until 2021", "range"),
        ("2015-07-22/2015-08-12", "22 July 2015–12 August 2015", "range"),
    ],
)
def test_display_keeps_precision(text: str, display: str, precision: str) -> None:
    date = parse_date(text)
    assert date.display() == display
    assert date.precision == precision
    assert date.edtf() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2015-02-30", "not a real calendar date"),
        ("2015-13", "not a real calendar date"),
        ("15-08-2015", "is not a date"),
        ("August 2012", "is not a date"),
        ("2015/2014", "ends before it starts"),
        ("../..", "open at both ends"),
        ("2012/2013/2014", "more than one '/'"),
        ("", "is not a date"),
    ],
)
def test_invalid_dates_explain(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_bounds_follow_precision() -> None:
    month = parse_date("2012-02")
    assert isinstance(month, Point)
    assert (str(month.earliest), str(month.latest)) == ("2012-02-01", "2012-02-29")
    year = parse_date("2013")
    assert (str(year.earliest), str(year.latest)) == ("2013-01-01", "2013-12-31")
    span = parse_date("2012-08/2012-09")
    assert isinstance(span, Interval)
    assert (str(span.earliest), str(span.latest)) == ("2012-08-01", "2012-09-30")


def test_sort_puts_finer_precision_first_within_a_start_day() -> None:
    texts = ["2015", "2015-08", "2015-08-07", "2015-01-01", "2014/2016", "2015-08-01"]
    ordered = sorted(texts, key=lambda t: parse_date(t).sort_key())
    assert ordered == ["2014/2016", "2015-01-01", "2015", "2015-08-01", "2015-08", "2015-08-07"]

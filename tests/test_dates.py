from __future__ import annotations

import pytest

from macros.dates import DateError, Interval, Point, describe, parse_date


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
        ("../2021", "by 2021", "range"),
        ("../2015-08-12", "by 12 August 2015", "range"),
        ("2015-07-22/2015-08-12", "22 July – 12 August 2015", "range"),
        ("2015-08-07/2015-08-09", "7–9 August 2015", "range"),
        ("2012-07-30/2012-08-09", "30 July – 9 August 2012", "range"),
        ("2012-12-30/2013-01-02", "30 December 2012 – 2 January 2013", "range"),
        ("2012-11/2013-02", "November 2012 – February 2013", "range"),
        ("2015/2015-08-11", "2015, by 11 August", "range"),
        ("2015-08/2015-08-11", "August 2015, by 11 August", "range"),
        ("2015/2015-08", "2015, by August", "range"),
        ("2015-06/2015-08-12", "June – 12 August 2015", "range"),
        ("2013/2024-06-16", "2013 – 16 June 2024", "range"),
        ("2022-09~/2023-04-14", "c. September 2022 – 14 April 2023", "range"),
        ("2010~/2012", "c. 2010 – 2012", "range"),
        ("2015-08-11/2015", "11 August 2015 – 2015", "range"),
        ("2015-08-07/2015-08-07", "7 August 2015", "range"),
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


@pytest.mark.parametrize(
    ("text", "report", "period"),
    [
        # An event known only from a report: its end is the report's day.
        ("../2015-08-12", "by 12 August 2015 (date of report)", "as of 12 August 2015"),
        ("2015/2015-08-11", "2015, by 11 August (date of report)", "since 2015, as of 11 August"),
        # A count over a period whose end is the day it was counted: a running total.
        ("2013/2024-06-16", "since 2013, as of 16 June 2024 (date of report)", "since 2013, as of 16 June 2024"),
        (
            "2021-05/2024-06-16",
            "since May 2021, as of 16 June 2024 (date of report)",
            "since May 2021, as of 16 June 2024",
        ),
        # Ends of the same precision are a plain period even for a count.
        ("2023-01-01/2023-03-20", "since 1 January 2023, as of 20 March (date of report)", "1 January – 20 March 2023"),
        ("2012/2014", "since 2012, as of 2014 (date of report)", "2012–2014"),
        ("2013/..", "since 2013", "since 2013"),
        ("2015-08-07", "by 7 August 2015 (date of report)", "7 August 2015"),
    ],
)
def test_describe_reads_report_days_and_count_periods(text: str, report: str, period: str) -> None:
    date = parse_date(text)
    assert describe(date, basis="report") == report
    assert describe(date, period=True) == period
    assert describe(date, basis="event") == describe(date) == date.display()


def test_open_start_sorts_at_its_end_after_that_days_own_events() -> None:
    texts = ["../2015-08-12", "2015-08-12", "2015-08-13", "2015-08-11", "2015", "../2014"]
    ordered = sorted(texts, key=lambda t: parse_date(t).sort_key())
    assert ordered == ["../2014", "2015", "2015-08-11", "2015-08-12", "../2015-08-12", "2015-08-13"]

"""Dates at their real precision: a small EDTF subset.

Accepted forms (EDTF level 0 and the qualifiers of level 1):

* ``2012``, ``2012-08``, ``2015-08-07``   year, month or day precision
* ``2010~`` (approximate), ``2010?`` (uncertain), ``2010%`` (both)
* ``2012-08/2012-09``                     a closed interval
* ``2013/..`` and ``../2021``             an interval open at one end

We parse this subset ourselves instead of using the ``edtf`` package: that
package builds a pyparsing grammar and takes hundreds of microseconds per
value, which alone would use up the one-second budget for validating ten
thousand events, and its errors do not say what to write instead.  Calendar
validity (``2015-02-30``) is checked by :mod:`datetime`, not by hand.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DateError", "Interval", "Point", "WikiDate", "describe", "parse_date"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip

_POINT = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%])?")


class DateError(ValueError):
    """A date string that is not in the accepted EDTF subset."""


@dataclass(frozen=True, slots=True)
class Point:
    """A single date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def earliest(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> _dt.date:
        if self.day:
            return self.earliest
        if self.month == 12:  # (the day after would not exist in December 9999)
            return _dt.date(self.year, 12, 31)
        if self.month:
            return _dt.date(self.year, self.month + 1, 1) - _dt.timedelta(days=1)
        return _dt.date(self.year, 12, 31)

    @property
    def years(self) -> range:
        return range(self.year, self.year + 1)

    def edtf(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        qualifier = {(True, False): "~", (False, True): "?", (True, True): "%"}
        return text + qualifier.get((self.approximate, self.uncertain), "")

    def display(self) -> str:
        """Human text at the real precision: '7 August 2015', 'August 2012', 'c. 2010'."""
        return _qualify(_plain(self.year, self.month, self.day), self)

    def sort_key(self) -> tuple[_dt.date, int, _dt.date]:
        return (self.earliest, _PRECISION_RANK[self.precision], self.latest)

    def __str__(self) -> str:
        return self.edtf()


@dataclass(frozen=True, slots=True)
class Interval:
    """A span between two points; either end may be open (unknown)."""

    start: Point | None
    end: Point | None

    @property
    def precision(self) -> str:
        return "range"

    @property
    def earliest(self) -> _dt.date:
        return self.start.earliest if self.start else _dt.date.min

    @property
    def latest(self) -> _dt.date:
        return self.end.latest if self.end else _dt.date.max

    @property
    def years(self) -> range:
        first = self.start.year if self.start else (self.end.year if self.end else 0)
        last = self.end.year if self.end else first
        return range(first, last + 1)

    def edtf(self) -> str:
        return f"{self.start.edtf() if self.start else '..'}/{self.end.edtf() if self.end else '..'}"

    def display(self) -> str:
        """What the range says is known: '2012–2014', '7–9 August 2015', '2015, by 11 August',
        'since 2013', 'by 2021' (an open start: it happened by then)."""
        return describe(self)

    def sort_key(self) -> tuple[_dt.date, int, _dt.date]:
        if self.start is None and self.end is not None:
            # 'By 12 August 2015': all we know is its end, so it is listed there, after what
            # is dated to that day itself (not at the beginning of time).
            return (self.end.earliest, _PRECISION_RANK["open-start"], self.end.latest)
        return (self.earliest, _PRECISION_RANK["range"], self.latest)

    def __str__(self) -> str:
        return self.edtf()


WikiDate = Point | Interval

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "range": 3, "open-start": 4}


def _plain(year: int, month: int | None, day: int | None) -> str:
    return f"{_day_month_plain(month, day)} {year}" if month else str(year)


def _day_month_plain(month: int | None, day: int | None) -> str:
    """'11 August', 'August' (``month`` must be given)."""
    assert month is not None
    return f"{day} {_MONTHS[month - 1]}" if day else _MONTHS[month - 1]


def _qualify(text: str, point: Point) -> str:
    if point.approximate:
        text = f"c. {text}"
    if point.uncertain:
        text = f"{text} (uncertain)"
    return text


def _day_month(point: Point) -> str:
    """'11 August' or 'August' (the year is said elsewhere), with the point's qualifiers."""
    return _qualify(_day_month_plain(point.month, point.day), point)


def _dash(left: str, right: str) -> str:
    """An en dash, spaced when either end has a space: '2012–2014', '30 July – 9 August 2012'."""
    return f"{left} – {right}" if " " in left or " " in right else f"{left}–{right}"


def _inside(outer: Point, inner: Point) -> bool:
    """True when ``inner`` is a finer date within ``outer`` ('2015-08-11' within '2015')."""
    return (
        _PRECISION_RANK[outer.precision] > _PRECISION_RANK[inner.precision]
        and outer.earliest <= inner.earliest
        and inner.latest <= outer.latest
    )


def _end_text(start: Point, end: Point) -> str:
    """The end of a range, without the year when the start already says it."""
    return _day_month(end) if end.month and end.year == start.year else end.display()


def _span(s: Point, e: Point) -> str:
    """A closed range at what its two ends know (Wikipedia's MOS:DATERANGE for the dashes)."""
    if s == e:
        return s.display()
    same_qualifiers = (s.approximate, s.uncertain) == (e.approximate, e.uncertain)
    if same_qualifiers and s.precision == e.precision:
        if s.precision == "year":
            return _qualify(f"{s.year}–{e.year}", e)
        if s.year != e.year:
            return _qualify(_dash(_plain(s.year, s.month, s.day), _plain(e.year, e.month, e.day)), e)
        if s.day and s.month == e.month:
            return _qualify(f"{s.day}–{_plain(e.year, e.month, e.day)}", e)  # '7–9 August 2015'
        # 'August–September 2012', '30 July – 9 August 2012': the year is said once.
        left, right = _day_month_plain(s.month, s.day), _day_month_plain(e.month, e.day)
        return _qualify(f"{_dash(left, right)} {e.year}", e)
    if _inside(s, e):
        # '2015/2015-08-11': some time in 2015, and by 11 August; not a span from January.
        return f"{s.display()}, by {_end_text(s, e)}"
    plain_start = not (s.approximate or s.uncertain)
    if plain_start and s.month and e.month and s.year == e.year:
        return f"{_dash(_day_month(s), _day_month(e))} {e.year}"  # 'June – 12 August 2015'
    return _dash(s.display(), e.display())


def describe(date: WikiDate, *, basis: str | None = None, period: bool = False) -> str:
    """A date as text that names no day, month or year the value does not contain.

    ``basis="report"`` says the date's end is only the day of the report that mentions the
    event: '../2015-08-12' reads 'by 12 August 2015 (date of report)'.  ``period=True`` reads
    the date as the period a count covers: a range whose start is coarser than its end is a
    running total counted on the end day, 'since 2013, as of 16 June 2024' (not a span that
    stopped that day, and never '2013–16 June 2024', which reads as the years 2013–16).
    """
    if isinstance(date, Point):
        return f"by {date.display()} (date of report)" if basis == "report" else date.display()
    s, e = date.start, date.end
    if e is None:
        assert s is not None
        return f"since {s.display()}"
    if s is None:
        text = f"{'as of' if period else 'by'} {e.display()}"
    elif basis == "report" and _inside(s, e):
        text = f"{s.display()}, by {_end_text(s, e)}"
    elif basis == "report" or (period and _PRECISION_RANK[s.precision] > _PRECISION_RANK[e.precision]):
        text = f"since {s.display()}, as of {_end_text(s, e)}"
    else:
        text = _span(s, e)
    return f"{text} (date of report)" if basis == "report" else text


def _parse_point(text: str, whole: str) -> Point:
    match = _POINT.fullmatch(text)
    if (match and match["y"] == "0000") or re.fullmatch(r"-?(?:\d{1,3}|\d{5,})(?:-[\d-]*)?", text):
        raise DateError(f"'{whole}' is not a date: the year must be 1–9999, written with four digits (e.g. 2012)")
    if not match:
        raise DateError(
            f"'{whole}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, "
            "optionally followed by ~ (approximate) or ? (uncertain), or a range A/B"
        )
    year, month, day = int(match["y"]), match["m"], match["d"]
    m = int(month) if month else None
    d = int(day) if day else None
    try:
        _dt.date(year, m or 1, d or 1)
    except ValueError as exc:
        raise DateError(f"'{whole}' is not a real calendar date ({exc})") from None
    qualifier = match["q"] or ""
    return Point(year, m, d, approximate=qualifier in ("~", "%"), uncertain=qualifier in ("?", "%"))


@lru_cache(maxsize=65536)
def parse_date(text: str) -> WikiDate:
    """Parse an EDTF-subset string; raise :class:`DateError` with advice if it is not one."""
    text = text.strip()
    if "/" not in text:
        return _parse_point(text, text)
    left, _, right = text.partition("/")
    if "/" in right:
        raise DateError(f"'{text}' has more than one '/': a range is START/END")
    start = None if left in ("..", "") else _parse_point(left, text)
    end = None if right in ("..", "") else _parse_point(right, text)
    if start is None and end is None:
        raise DateError(f"'{text}' is open at both ends: give at least a start or an end")
    if start and end and start.earliest > end.latest:
        raise DateError(f"'{text}' ends before it starts: the range is START/END")
    return Interval(start, end)

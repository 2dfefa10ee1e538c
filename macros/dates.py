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

__all__ = ["DateError", "Interval", "Point", "WikiDate", "parse_date"]

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
        if self.month:
            nxt = _dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return nxt - _dt.timedelta(days=1)
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
        """'2012–2014', 'August–September 2012', 'since 2013', 'until 2021'."""
        if self.start is None and self.end is not None:
            return f"until {self.end.display()}"
        if self.end is None and self.start is not None:
            return f"since {self.start.display()}"
        assert self.start is not None and self.end is not None
        s, e = self.start, self.end
        same_qualifiers = (s.approximate, s.uncertain) == (e.approximate, e.uncertain)
        if s.year == e.year and s.month and e.month and not (s.day or e.day) and same_qualifiers:
            # 'c. August–September 2012' rather than 'c. August 2012–c. September 2012'.
            return _qualify(f"{_MONTHS[s.month - 1]}–{_plain(e.year, e.month, None)}", e)
        if not (s.month or e.month) and same_qualifiers:
            return _qualify(f"{s.year}–{e.year}", e)
        return f"{s.display()}–{e.display()}"

    def sort_key(self) -> tuple[_dt.date, int, _dt.date]:
        return (self.earliest, _PRECISION_RANK["range"], self.latest)

    def __str__(self) -> str:
        return self.edtf()


WikiDate = Point | Interval

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "range": 3}


def _plain(year: int, month: int | None, day: int | None) -> str:
    if day and month:
        return f"{day} {_MONTHS[month - 1]} {year}"
    if month:
        return f"{_MONTHS[month - 1]} {year}"
    return str(year)


def _qualify(text: str, point: Point) -> str:
    if point.approximate:
        text = f"c. {text}"
    if point.uncertain:
        text = f"{text} (uncertain)"
    return text


def _parse_point(text: str, whole: str) -> Point:
    match = _POINT.fullmatch(text)
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

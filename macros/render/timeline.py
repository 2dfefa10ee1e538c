"""A timeline that shows how precisely each event's date is known (build-time SVG).

Each event is one mark spanning what is known of its date:

* a day: a thin tick;
* a month or a year: a bar across the whole month or year;
* "c." (approximate): the same bar, its ends fading out;
* a range: a bar from its start to its end, the imprecise parts of either end lighter
  (``2015-06/2015-08-12``: light across June, solid from July to 12 August);
* "by …" (open start, e.g. a report's date) and "since …" (open end): a bar fading
  towards the unknown end, with a hard edge at the known one.

Marks sit in lanes (by group, or by type of event), packed into rows so that no two
marks of a lane overlap. Each mark is a link to its event, with its date and title
as the link's name. The drawing is as wide as :data:`WIDTH` pixels whatever the
screen (text stays at 12 px); a narrower screen scrolls it inside its own box.
The legend is HTML under the drawing; the caller's table of events stays the text twin.

:func:`timeline` is pure: it reads the index and returns one HTML string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..dates import Interval, Point, WikiDate
from ..index import Index
from ..model import Event
from .text import event_when, label, plural

SVG_NS = "http://www.w3.org/2000/svg"

WIDTH = 680  # the drawing, in CSS pixels (drawn 1:1; fits the content column at 1366 px)
LEFT, RIGHT = 8.0, 12.0  # margins of the plot
AXIS_H = 24.0  # the axis band at the top
LANE_HEAD = 18.0  # the line with a lane's name
ROW_H, ROW_GAP = 10.0, 4.0  # one row of marks
LANE_GAP = 6.0
FONT = 12  # px, every text of the drawing
GLYPH = 0.6  # average glyph width as a share of the font size
TICK_W = 2.0  # smallest width of a mark (a day)
GAP = 2.0  # px kept between marks of one row
ECHO_X = WIDTH / 2  # where a lane's name is repeated
#: Length (days) over which a mark with an unknown start or end fades out.
OPEN_DAYS = 365
#: Bounds that keep a page small however many events there are.
LANE_LIMIT = 10  # lanes drawn; the rest share one "Other" lane
ROW_LIMIT = 6  # rows of marks in one lane; marks that do not fit are counted
MARK_LIMIT = 250  # marks in one drawing

LaneBy = Literal["group", "type"]


# -- geometry (pure, tested on its own) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    """Days from ``start`` (inclusive) to ``end`` (exclusive) onto ``x0`` .. ``x1`` pixels."""

    start: dt.date
    end: dt.date
    x0: float
    x1: float

    def x(self, day: dt.date) -> float:
        span = max(1, (self.end - self.start).days)
        return self.x0 + (day - self.start).days / span * (self.x1 - self.x0)

    def clamp(self, day: dt.date) -> dt.date:
        return min(max(day, self.start), self.end)


Shape = Literal["day", "bar", "approx", "by", "since", "range"]


@dataclass(frozen=True, slots=True)
class Mark:
    """Where one event's mark lies, in pixels: the full extent [left, right) and the solid core
    [core_left, core_right) (equal to the extent unless an end is imprecise or unknown)."""

    shape: Shape
    left: float
    right: float
    core_left: float
    core_right: float
    uncertain: bool


def _after(day: dt.date) -> dt.date:
    """The day after ``day`` (or ``day`` itself at the end of the calendar)."""
    return day if day == dt.date.max else day + dt.timedelta(days=1)


def mark_of(date: WikiDate, scale: Scale, *, report: bool = False) -> Mark:
    """The mark of a date: its extent is what the date allows, its core what it certainly covers.

    A day spans [day, next day); a month [its 1st, the next month's 1st); a year [1 January,
    next 1 January). Ends beyond the scale are cut at its edges. ``report``: the date's end is
    only the day of a report (``date_basis: report``), so the event happened by then: a point
    reads as "by" it, a range's end is no certain end.
    """

    def px(day: dt.date) -> float:
        return scale.x(scale.clamp(day))

    if report and isinstance(date, Point):
        date = Interval(None, date)
    if report and isinstance(date, Interval) and date.start is not None and date.end is not None:
        left, right = px(date.start.earliest), px(_after(date.end.latest))
        return Mark("range", left, max(right, left + TICK_W), right, right, date.start.uncertain)
    if isinstance(date, Point):
        left, right = px(date.earliest), px(_after(date.latest))
        shape: Shape = "day" if date.precision == "day" else "bar"
        if date.approximate:
            shape = "approx"
        if shape == "day":
            middle = (left + right) / 2
            left, right = min(left, middle - TICK_W / 2), max(right, middle + TICK_W / 2)
        return Mark(shape, left, right, left, right, date.uncertain)
    start, end = date.start, date.end
    open_span = dt.timedelta(days=OPEN_DAYS)
    if start is None and end is not None:  # "by …": sometime before the end
        right = px(_after(end.latest))
        left = px(end.earliest - open_span) if end.earliest - dt.date.min > open_span else scale.x0
        return Mark("by", min(left, right - TICK_W), right, right, right, end.uncertain)
    if end is None and start is not None:  # "since …": from the start, end unknown
        left = px(start.earliest)
        right = px(start.latest + open_span) if dt.date.max - start.latest > open_span else scale.x1
        return Mark("since", left, max(right, left + TICK_W), left, left, start.uncertain)
    assert start is not None and end is not None
    left, right = px(start.earliest), px(_after(end.latest))
    core_left, core_right = px(_after(start.latest)), px(end.earliest)
    if core_right < core_left:  # the ends' spans overlap: nothing is certainly covered
        core_left = core_right = (core_left + core_right) / 2
    if right - left < TICK_W:
        middle = (left + right) / 2
        left, right = middle - TICK_W / 2, middle + TICK_W / 2
    return Mark("range", left, right, core_left, core_right, start.uncertain or end.uncertain)


def pack(extents: Sequence[tuple[float, float]], rows: int) -> list[int | None]:
    """A row for each extent (in the order given), the lowest where it clears the last mark
    of that row by :data:`GAP`; ``None`` where none of the ``rows`` has room."""
    ends: list[float] = []
    out: list[int | None] = []
    for left, right in extents:
        row = next((i for i, end in enumerate(ends) if left >= end + GAP), None)
        if row is None and len(ends) < rows:
            ends.append(right)
            row = len(ends) - 1
        elif row is not None:
            ends[row] = right
        out.append(row)
    return out


def scale_for(events: Sequence[Event], x0: float, x1: float, year: int | None = None) -> Scale:
    """Whole years around the events' known dates (open ends do not widen it), or one ``year``."""
    if year is not None:
        return Scale(dt.date(year, 1, 1), dt.date(year + 1, 1, 1) if year < 9999 else dt.date.max, x0, x1)
    days: list[dt.date] = []
    for event in events:
        date = event.date
        points = [date] if isinstance(date, Point) else [p for p in (date.start, date.end) if p]
        for point in points:
            days += [point.earliest, point.latest]
    first, last = (min(days).year, max(days).year) if days else (2000, 2000)
    end = dt.date(last + 1, 1, 1) if last < 9999 else dt.date.max
    return Scale(dt.date(first, 1, 1), end, x0, x1)


Tick = tuple[float, str]  # x, label ("" for an unlabelled tick)


def axis_ticks(scale: Scale) -> list[Tick]:
    """Year ticks (labelled every 1, 2, 5, 10, … years so labels keep apart), or month ticks
    for a span of about a year or less."""
    first, last = scale.start.year, (scale.end - dt.timedelta(days=1)).year
    width = scale.x1 - scale.x0
    if last == first:
        names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        step = 1 if width / 12 >= 4 * FONT * GLYPH + 8 else 3
        return [(scale.x(dt.date(first, m, 1)), names[m - 1] if (m - 1) % step == 0 else "") for m in range(1, 13)]
    years = last - first + 1
    label_w = 4 * FONT * GLYPH + 10
    steps = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10_000)
    step = next((s for s in steps if width / years * s >= label_w), steps[-1])
    every = next(s for s in steps if width / years * s >= 4)  # unlabelled ticks at least 4 px apart
    return [
        (scale.x(dt.date(y, 1, 1)), str(y) if y % step == 0 else "")
        for y in range(first, last + 1)
        if y % every == 0 or y % step == 0
    ]


def label_box(x: float, text: str, y: float = AXIS_H - 8) -> tuple[float, float, float, float]:
    """The box an axis label (starting at ``x``) covers: left, top, right, bottom."""
    return (x + 3, y - FONT, x + 3 + len(text) * FONT * GLYPH, y + 2)


# -- the drawing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lane:
    key: str  # a group's id, an event type, or "" for the other lane
    name: str
    href: str
    events: tuple[Event, ...]


def _lanes(index: Index, events: Sequence[Event], by: LaneBy, from_uri: str) -> list[Lane]:
    members: dict[str, list[Event]] = {}
    for event in events:
        keys = (
            list(dict.fromkeys(a.ref for a in event.actors if a.group and a.ref in index.by_id))
            if by == "group"
            else [event.type.value]
        )
        for key in keys:
            members.setdefault(key, []).append(event)
    ranked = sorted(members, key=lambda k: (-len(members[k]), k))
    kept, rest = ranked[:LANE_LIMIT], ranked[LANE_LIMIT:]
    lanes = []
    for key in sorted(kept, key=lambda k: (members[k][0].date.earliest, k)):
        if by == "group":
            record = index.get(key)
            name = getattr(record, "short_name", None) or index.name(key)
            lanes.append(Lane(key, name, index.url_from(from_uri, key), tuple(members[key])))
        else:
            lanes.append(Lane(key, label(key), "", tuple(members[key])))
    shown = {e.id for lane in lanes for e in lane.events}
    other = [e for e in events if e.id not in shown]  # no group, or only groups beyond the limit
    if other:
        name = "Other groups, or none" if by == "group" else "Other types"
        if by == "group" and not rest:
            name = "No group named"
        lanes.append(Lane("", name, "", tuple(other)))
    return lanes


def _report(event: Event) -> bool:
    return event.date_basis is not None and event.date_basis.value == "report"


def _sampled(events: Sequence[Event], limit: int) -> list[Event]:
    """At most ``limit`` events, evenly spread over the list (which is in date order)."""
    if len(events) <= limit:
        return list(events)
    step = len(events) / limit
    return [events[int(i * step)] for i in range(limit)]


def timeline(
    index: Index,
    events: Sequence[Event],
    from_uri: str,
    *,
    by: LaneBy = "group",
    year: int | None = None,
    title: str = "Timeline of the events",
) -> str:
    """A ``<figure>`` with the timeline of ``events`` (in date order) and its legend, or ``""``.

    ``from_uri`` is the page's source path (links are relative to it); ``year`` frames
    the drawing on one year (marks beyond it are cut at its edges).
    """
    if not events:
        return ""
    drawn = _sampled(events, MARK_LIMIT)
    scale = scale_for(drawn, LEFT, WIDTH - RIGHT, year)
    uid = "wiki-tl-" + hashlib.sha1(f"{from_uri}\n{title}".encode()).hexdigest()[:8]
    lanes = _lanes(index, drawn, by, from_uri)
    body: list[str] = []
    y = AXIS_H + 4
    left_off: set[str] = set()
    drawn_shapes: set[str] = set()
    for n, lane in enumerate(lanes):
        marks = [(event, mark_of(event.date, scale, report=_report(event))) for event in lane.events]
        order = sorted(range(len(marks)), key=lambda i: (marks[i][1].left, marks[i][1].right))
        rows_of = pack([(marks[i][1].left, marks[i][1].right) for i in order], ROW_LIMIT)
        used = max((r for r in rows_of if r is not None), default=-1) + 1
        height = LANE_HEAD + max(1, used) * (ROW_H + ROW_GAP)
        body.append(f'<g class="wiki-tl-lane{" wiki-tl-lane-alt" if n % 2 else ""}">')
        body.append(f'<rect class="wiki-tl-band" x="0" y="{_f(y)}" width="{WIDTH}" height="{_f(height)}"/>')
        name = html.escape(_fit(lane.name, ECHO_X - LEFT - 12))
        text = f'<text class="wiki-tl-name" x="{_f(LEFT)}" y="{_f(y + LANE_HEAD - 5)}">{name}</text>'
        body.append(f'<a href="{html.escape(lane.href)}">{text}</a>' if lane.href else text)
        # The name again half-way, so one stays in view on a phone scrolling the drawing sideways.
        body.append(
            f'<text class="wiki-tl-name wiki-tl-echo" x="{_f(ECHO_X)}" y="{_f(y + LANE_HEAD - 5)}" '
            f'aria-hidden="true">{_fit_echo(lane.name)}</text>'
        )
        for i, row in zip(order, rows_of, strict=True):
            event, mark = marks[i]
            if row is None:
                left_off.add(event.id)
                continue
            top = y + LANE_HEAD + row * (ROW_H + ROW_GAP)
            drawn_shapes.add(mark.shape)
            body.append(_mark(index, event, mark, top=top, from_uri=from_uri, uid=uid))
        body.append("</g>")
        y += height + LANE_GAP
    height = y + 2
    ticks = axis_ticks(scale)
    grid = "".join(f"M{_f(x)} {_f(AXIS_H - 4)}V{_f(height)}" for x, _ in ticks)
    axis = [f'<path class="wiki-tl-grid" d="{grid}"/>']
    axis += [
        f'<text class="wiki-tl-tick" x="{_f(x + 3)}" y="{_f(AXIS_H - 8)}">{text}</text>' for x, text in ticks if text
    ]
    capped = []
    if len(drawn) < len(events):
        capped.append(f"{len(drawn):,} of the {plural(len(events), 'event')} are drawn, evenly spread in date order")
    if left_off:
        capped.append(f"{plural(len(left_off), 'more event')} did not fit in the {ROW_LIMIT} rows of a lane")
    span = _span_text(scale)
    desc = (
        f"{plural(len(drawn), 'event')} from {span}, in {plural(len(lanes), 'lane')} "
        f"({'by group' if by == 'group' else 'by type of event'}). Each mark spans what is known of the date: "
        "a tick for a day, a bar for a month or a year, faded ends where the date is approximate or one end "
        "is unknown. Each mark links to its event; the table below lists the same events."
    )
    if capped:
        desc += " " + "; ".join(capped) + "."
    svg = [
        f'<svg xmlns="{SVG_NS}" class="wiki-tl" viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" '
        f'height="{_f(height)}" aria-labelledby="{uid}-title" aria-describedby="{uid}-desc" font-size="{FONT}">',
        f'<title id="{uid}-title">{html.escape(title)}</title>',
        f'<desc id="{uid}-desc">{html.escape(desc)}</desc>',
        _defs(uid),
        *axis,
        *body,
        "</svg>",
    ]
    note = f'<p class="wiki-tl-capped">{html.escape("; ".join(capped))}.</p>' if capped else ""
    return (
        f'<figure class="wiki-timeline" id="{uid}">\n<div class="wiki-tl-scroll">\n'
        + "\n".join(svg)
        + f"\n</div>\n<figcaption>{_legend(drawn_shapes)}{note}</figcaption>\n</figure>"
    )


def _mark(index: Index, event: Event, mark: Mark, *, top: float, from_uri: str, uid: str) -> str:
    css = f"wiki-tl-mark wiki-tl-{mark.shape}" + (" wiki-tl-uncertain" if mark.uncertain else "")
    name = html.escape(f"{event_when(event)}: {event.title}")
    href = html.escape(index.url_from(from_uri, event.id))
    shapes = []
    width = mark.right - mark.left
    if mark.shape in ("by", "since", "approx"):
        fill = {"by": "in", "since": "out", "approx": "both"}[mark.shape]
        shapes.append(
            f'<rect class="{css}" x="{_f(mark.left)}" y="{_f(top)}" width="{_f(width)}" height="{_f(ROW_H)}" '
            f'fill="url(#{uid}-{fill})"/>'
        )
    elif mark.shape == "range" and (mark.core_left > mark.left or mark.core_right < mark.right):
        shapes.append(
            f'<rect class="{css} wiki-tl-loose" x="{_f(mark.left)}" y="{_f(top)}" width="{_f(width)}" '
            f'height="{_f(ROW_H)}"/>'
        )
        if mark.core_right > mark.core_left:
            shapes.append(
                f'<rect class="wiki-tl-mark wiki-tl-core" x="{_f(mark.core_left)}" y="{_f(top)}" '
                f'width="{_f(mark.core_right - mark.core_left)}" height="{_f(ROW_H)}"/>'
            )
    else:
        shapes.append(
            f'<rect class="{css}" x="{_f(mark.left)}" y="{_f(top)}" width="{_f(width)}" height="{_f(ROW_H)}"/>'
        )
    return f'<a href="{href}"><title>{name}</title>{"".join(shapes)}</a>'


def _defs(uid: str) -> str:
    """Gradients for the faded marks (colours come from CSS, through the stops' class)."""

    def gradient(name: str, stops: Sequence[tuple[int, float]]) -> str:
        inner = "".join(f'<stop class="wiki-tl-stop" offset="{o}%" stop-opacity="{_f(a)}"/>' for o, a in stops)
        return f'<linearGradient id="{uid}-{name}">{inner}</linearGradient>'

    return (
        "<defs>"
        + gradient("in", [(0, 0.0), (100, 1.0)])
        + gradient("out", [(0, 1.0), (100, 0.0)])
        + gradient("both", [(0, 0.1), (35, 1.0), (65, 1.0), (100, 0.1)])
        + "</defs>"
    )


#: The legend: (class of the swatch, what it means).
LEGEND = (
    ("day", "a day"),
    ("bar", "a month or a year: across all of it"),
    ("approx", "c. (approximate): faded ends"),
    ("range", "a range: imprecise ends lighter"),
    ("by", "by a date: start unknown"),
    ("since", "since a date: end unknown"),
)


def _legend(shapes: set[str]) -> str:
    """The legend of the kinds of marks drawn (a tick and a plain bar always, for comparison)."""
    items = "".join(
        f'<li><span class="wiki-tl-key wiki-tl-key-{css}" aria-hidden="true"></span>{html.escape(text)}</li>'
        for css, text in LEGEND
        if css in shapes or css in ("day", "bar")
    )
    return f'<ul class="wiki-tl-legend" aria-label="Legend">{items}</ul>'


def _span_text(scale: Scale) -> str:
    last = (scale.end - dt.timedelta(days=1)).year
    return str(scale.start.year) if last == scale.start.year else f"{scale.start.year} to {last}"


def _fit(text: str, width: float) -> str:
    chars = int(width / (FONT * GLYPH))
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _fit_echo(name: str) -> str:
    return html.escape(_fit(name, WIDTH - RIGHT - ECHO_X))


def _f(value: float) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def entity_timeline(index: Index, rid: str) -> str:
    """The timeline section of a group page (lanes by type of event) or a person's page (by group)."""
    kind = index.kind_of.get(rid)
    events = index.events_of.get(rid, [])
    if kind not in ("group", "person") or not events:
        return ""
    by: LaneBy = "type" if kind == "group" else "group"
    name = index.name(rid)
    title = f"Timeline of the events of {name}, by {'type' if by == 'type' else 'group'}"
    return "## Timeline { #timeline }\n\n" + timeline(index, events, index.uri(rid), by=by, title=title)


__all__ = [
    "LEGEND",
    "MARK_LIMIT",
    "Mark",
    "Scale",
    "axis_ticks",
    "entity_timeline",
    "mark_of",
    "pack",
    "scale_for",
    "timeline",
]

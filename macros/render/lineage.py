"""Relations on a time axis: a lineage, as build-time SVG with a table as its text twin.

One row per group (or person), time running left to right. A row's lifeline runs from
the first to the last date the wiki has for it (its events, its dated relations and
facts, a founding date); an end the wiki does not know fades out, a start known only
roughly (a founding year, or sources that disagree) is hatched. Each relation is a
vertical mark between its two rows at its date, typed by line style: splits, mergers
and successions carry an arrow into the group that comes out of them; affiliations,
memberships and "part of" are brackets; alliances dotted, rivalries dashed; a person's
roles thin and dotted. A relation known only to some precision (a year, a month) has
whiskers across that period; an undated one stands in a "no date" strip at the right.

It is rows and dates, not a graph engine: rows are ordered by their first date, marks
on the same date are set side by side, and each short label ("split 2012") goes to the
first free place beside its mark or is left out (the mark's tooltip and the table say
the same). The label boxes come from the layout, so tests can check that none overlap.

The drawing is two SVGs in a box that scrolls sideways on a narrow screen: the names
(links to the rows' pages), which stay in view, and the time axis. Every mark links to
the table row that cites its relation. All text is drawn at 11 px or more, at 1:1.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..dates import Point, WikiDate, parse_date
from ..index import Index, sort_key
from ..model import Group, Relation, RelationType
from .anchors import relation_anchor, self_link
from .charts import svg_id, svg_text, truncate
from .cite import Footnotes
from .common import RELATION_LABELS, RELATIONS_LIMIT, span_text
from .links import link_to
from .text import esc, plural, table

# --------------------------------------------------------------------------
# What is drawn
# --------------------------------------------------------------------------

#: Relation types that describe where a group comes from; a group's drawing follows them one hop further.
LINEAGE = frozenset(
    {
        RelationType.SPLIT_FROM,
        RelationType.MERGED_INTO,
        RelationType.SUCCESSOR_OF,
        RelationType.PART_OF,
        RelationType.AFFILIATE_OF,
    }
)
#: Types whose object comes first in time (the subject comes out of it).
OBJECT_FIRST = frozenset({RelationType.SPLIT_FROM, RelationType.SUCCESSOR_OF})
#: How each type is drawn: its class (line style), and the short verb of its label.
STYLE: dict[RelationType, tuple[str, str]] = {
    RelationType.SPLIT_FROM: ("lineage", "split"),
    RelationType.MERGED_INTO: ("lineage", "merged"),
    RelationType.SUCCESSOR_OF: ("lineage", "succeeded"),
    RelationType.PART_OF: ("structure", "part of"),
    RelationType.AFFILIATE_OF: ("structure", "affiliate"),
    RelationType.MEMBER_OF: ("structure", "member"),
    RelationType.ALLIED_WITH: ("alliance", "allied"),
    RelationType.RIVAL_OF: ("rivalry", "rivals"),
    RelationType.LEADER_OF: ("people", "leader"),
    RelationType.FOUNDER_OF: ("people", "founder"),
}
LEGEND: dict[str, str] = {
    "lineage": "split, merger or succession (arrow: the group that comes out of it)",
    "structure": "part of, affiliate or member (bracket)",
    "alliance": "alliance",
    "rivalry": "rivalry",
    "people": "a person's role (leader, founder, member)",
}
#: At most this many rows in a group's drawing (the extra lineage hop stops there).
MAX_NEIGHBOURHOOD = 30
#: At most this many of a group's own relations in its drawing. A busy group's drawing shows
#: its first relations by date, while both limits hold, so that it stays readable and its
#: page small (at 10,000 synthetic events one group has 518 relations).
MAX_DRAWN = 60
#: The whole-conflict drawing shows at most this many groups (the most connected).
WHOLE_LIMIT = 60
#: ... and at most this many of their relations, so that the page stays small (its table cites each).
WHOLE_MARKS = 200


@dataclass(frozen=True, slots=True)
class Style:
    width: float  # the drawing's width (names and time axis) where it fits; it grows where it must
    chars: int  # per line of a name
    min_year: float  # at least this many pixels per year


#: 680 px: the width of Material's article column at a 1366 px wide window (with both sidebars).
EGO = Style(width=680, chars=18, min_year=12)
WHOLE = Style(width=680, chars=16, min_year=12)

FONT = 12.0  # names
SMALL = 11.0  # axis, labels: the smallest text drawn
ROW = 28.0  # height of a row: a 24 px tap target and a gap
AXIS = 26.0  # the band of years above the rows
PAD = 10.0
COLUMN = 8.0  # width of an undated relation's column in the "no date" strip
SIDE = 6.0  # two marks on one date are set this far apart
FADE = 18.0  # an open end fades out over this many pixels
GAP = 4.0  # at least this much space between two labels
BOTTOM_AXIS = 10  # a drawing of more rows has its years below it too


@dataclass(frozen=True, slots=True)
class Life:
    """A row: what the drawing shows of a group or person, read from the index beforehand."""

    id: str
    lines: tuple[str, ...]  # its name, wrapped
    tip: str  # full name
    href: str | None  # None: the page the drawing is on
    person: bool
    span: tuple[_dt.date, _dt.date] | None  # first and last dated appearance
    start: tuple[_dt.date, _dt.date] | None  # when it began, where known: earliest, latest
    ended: bool  # an end is recorded (a merger, a succession)


@dataclass(frozen=True, slots=True)
class Mark:
    """A relation as drawn: between two rows, at a date (``None``: undated)."""

    id: str
    subject: str
    object: str
    type: RelationType
    kind: str  # how it is drawn: a key of LEGEND
    when: tuple[_dt.date, _dt.date] | None
    label: str  # 'split 2012'
    tip: str  # 'Al Mourabitoun split from AQIM (2012)'
    href: str  # the table row that cites it


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass(frozen=True, slots=True)
class Placed:
    """A mark laid out: its x, the y of its two ends, the period its date covers and its label."""

    mark: Mark
    x: float
    ys: tuple[float, float]  # of its subject's row and its object's row
    spread: tuple[float, float] | None  # the period the date covers, where wider than a day
    label: Box | None


@dataclass(frozen=True, slots=True)
class Layout:
    names_width: float
    plot_width: float
    height: float
    rows: tuple[tuple[Life, float], ...]  # each row and the y of its lifeline
    ticks: tuple[tuple[str, float, Box], ...]  # year labels: text, x of the grid line, box
    marks: tuple[Placed, ...]
    names: tuple[Box, ...]  # the names' boxes, in the names column
    x0: _dt.date
    x1: _dt.date
    plot_left: float
    plot_right: float  # of the time axis; the "no date" strip lies right of it
    undated: tuple[float, float] | None  # the strip's left and right
    rows_bottom: float = 0.0  # below the last row: relation labels stay above it

    def x(self, day: _dt.date) -> float:
        total = (self.x1 - self.x0).days or 1
        return self.plot_left + (day - self.x0).days / total * (self.plot_right - self.plot_left)

    def labels(self) -> list[Box]:
        """Every text box of the time axis: years and relation labels."""
        return [box for _, _, box in self.ticks] + [p.label for p in self.marks if p.label is not None]


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def group_lineage(index: Index, rid: str, from_uri: str) -> str:
    """The relations of ``rid`` (and one more lineage step beyond them) on a time axis.

    Returns raw HTML (one block, no blank line), or ``""`` when ``rid`` has no relations.
    Marks link to the rows of the page's relations table (:func:`row_anchor`), which is its
    text twin; ``from_uri`` is the page's source path (links in raw HTML are relative to it).
    """
    relations, left_out = neighbourhood(index, rid)
    if not relations:
        return ""
    name = index.display_name(rid)
    capped = (
        f"Only the first {len(relations)} of its {len(relations) + left_out} relations, by date, are drawn; "
        "every relation is in the relations download."
        if left_out
        else ""
    )
    title = f"Relations of {name} over time"
    return _figure(index, relations, from_uri, EGO, title, rid, capped)


def whole_lineage(index: Index, from_uri: str) -> tuple[str, list[Relation]]:
    """Every group that has a relation with another group, on one time axis; and the relations drawn.

    Relations with people (leaders, founders, members) are left out: they are on each
    group's page. ``("", [])`` when there is none.
    """
    relations = group_relations(index)
    if not relations:
        return "", []
    ends = {r.subject for r in relations} | {r.object for r in relations}
    note = ""
    if len(ends) > WHOLE_LIMIT:
        degree: dict[str, int] = {}
        for r in relations:
            degree[r.subject] = degree.get(r.subject, 0) + 1
            degree[r.object] = degree.get(r.object, 0) + 1
        keep = set(sorted(ends, key=lambda g: (-degree[g], g))[:WHOLE_LIMIT])
        total = len(ends)
        relations = [r for r in relations if r.subject in keep and r.object in keep]
        shown = len({r.subject for r in relations} | {r.object for r in relations})
        note = (
            f"Only the {shown} most connected of the {total} groups are drawn; every relation is listed "
            "on its groups' pages and in the relations download."
        )
    if len(relations) > WHOLE_MARKS:  # lineage first, then structure, then alliances and rivalries
        rank = {"lineage": 0, "structure": 1}
        total = len(relations)
        first = sorted(relations, key=lambda r: (rank.get(STYLE[r.type][0], 2), sort_key(r.start, r.id)))
        relations = sorted(first[:WHOLE_MARKS], key=lambda r: sort_key(r.start, r.id))
        note = (
            f"{note} Of the {total} relations between the groups drawn, the {WHOLE_MARKS} first splits, mergers, "
            "successions, affiliations and memberships (then alliances and rivalries) are drawn and listed; "
            "every relation is on its groups' pages and in the relations download."
        ).strip()
    figure = _figure(index, relations, from_uri, WHOLE, "Relations between groups over time", None, note)
    return figure, relations


def group_relations(index: Index) -> list[Relation]:
    """The relations between two groups, by date."""
    return [
        r
        for r in sorted(index.kb.relations, key=lambda r: sort_key(r.start, r.id))
        if index.kind_of.get(r.subject) == "group" and index.kind_of.get(r.object) == "group"
    ]


def row_anchor(relation: Relation) -> str:
    """The id of the table row that lists (and cites) a relation (its address: see anchors.py)."""
    return relation_anchor(relation.id)


def relations_table(index: Index, relations: Sequence[Relation], cite: Footnotes) -> str:
    """The text twin of the whole-conflict drawing: each relation, its dates and its citations."""
    rows = [
        [
            link_to(index, r.subject),
            self_link(row_anchor(r), "relation") + esc(RELATION_LABELS[r.type][0]),
            link_to(index, r.object),
            span_text(r) or "—",
            cite(r.citations),
        ]
        for r in relations
    ]
    return table(["From", "Relation", "To", "When", "Source"], rows)


# --------------------------------------------------------------------------
# Which relations
# --------------------------------------------------------------------------


def neighbourhood(index: Index, rid: str) -> tuple[list[Relation], int]:
    """The relations of ``rid`` to draw, and how many of its own are left out.

    Its relations by date, while the drawing stays within :data:`MAX_NEIGHBOURHOOD` rows and
    :data:`MAX_DRAWN` relations; if they all fit, also each lineage neighbour's own lineage
    relations that lead further away from ``rid`` (ancestors of ancestors, descendants of
    descendants), while the rows still fit.
    """
    own = index.relations_of.get(rid, [])
    chosen: dict[str, Relation] = {}
    rows = {rid}
    for relation in own:  # a prefix: the page's table of relations lists the first ones too
        new = {relation.subject, relation.object} - rows
        if len(chosen) == MAX_DRAWN or len(rows) + len(new) > MAX_NEIGHBOURHOOD:
            break
        chosen[relation.id] = relation
        rows |= new
    first = list(chosen.values())
    left_out = len(own) - len(first)
    if not left_out:
        for relation in first:
            if relation.type not in LINEAGE:
                continue
            other = relation.object if relation.subject == rid else relation.subject
            earlier = _earlier(relation) == other  # the neighbour comes before rid
            for further in index.relations_of.get(other, []):
                if further.type not in LINEAGE or further.id in chosen:
                    continue
                if (_earlier(further) == other) == earlier:
                    continue  # it leads back towards rid's side
                new = {further.subject, further.object} - rows
                if len(rows) + len(new) > MAX_NEIGHBOURHOOD:
                    continue
                chosen[further.id] = further
                rows |= new
    return sorted(chosen.values(), key=lambda r: sort_key(r.start, r.id)), left_out


def _earlier(relation: Relation) -> str:
    """The end that comes first in time."""
    return relation.object if relation.type in OBJECT_FIRST else relation.subject


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


def bounds(date: WikiDate) -> tuple[_dt.date, _dt.date]:
    """The earliest and latest day a date can mean; an open end takes the other end's bounds."""
    if isinstance(date, Point):
        return date.earliest, date.latest
    start, end = date.start, date.end
    lo = start.earliest if start else end.earliest if end else _dt.date.min
    hi = end.latest if end else start.latest if start else _dt.date.max
    return lo, hi


def _vague(date: WikiDate) -> bool:
    return not isinstance(date, Point) or date.precision != "day" or date.approximate or date.uncertain


@lru_cache(maxsize=16384)  # per index and record: a busy group's events are read once per process
def _life_dates(index: Index, rid: str) -> tuple[tuple[_dt.date, _dt.date] | None, tuple[_dt.date, _dt.date] | None]:
    """(first and last dated appearance, when it began if known) of a group or person."""
    dates: list[WikiDate] = [e.date for e in index.events_of.get(rid, [])]
    began: list[WikiDate] = []
    for relation in index.relations_of.get(rid, []):
        dates.extend(d for d in (relation.start, relation.end) if d is not None)
        starts_it = (relation.subject == rid and relation.type in OBJECT_FIRST) or (
            relation.object == rid and relation.type is RelationType.MERGED_INTO
        )
        if starts_it and relation.start is not None:
            began.append(relation.start)
    record = index.get(rid)
    for fact in getattr(record, "facts", ()):
        if fact.as_of is not None:
            dates.append(fact.as_of)
        if fact.topic == "founded" and fact.value:
            with contextlib.suppress(ValueError):  # a founding told in words is not a date to draw
                began.append(parse_date(fact.value))
    dates.extend(began)
    if not dates:
        return None, None
    spans = [bounds(d) for d in dates]
    span = (min(lo for lo, _ in spans), max(hi for _, hi in spans))
    start = None
    if began:
        windows = [bounds(d) for d in began]
        start = (min(lo for lo, _ in windows), max(hi for _, hi in windows))
        if start[1] == start[0] and not any(_vague(d) for d in began):
            start = (start[0], start[0])
    return span, start


def _ended(index: Index, rid: str) -> bool:
    return any(
        (r.subject == rid and r.type is RelationType.MERGED_INTO)
        or (r.object == rid and r.type is RelationType.SUCCESSOR_OF)
        for r in index.relations_of.get(rid, [])
    )


def _when(relation: Relation) -> tuple[_dt.date, _dt.date] | None:
    date = relation.start or relation.end
    return bounds(date) if date is not None else None


def _kind(index: Index, relation: Relation) -> str:
    """A person's membership is drawn as a person's role, not as a group's."""
    return "people" if index.kind_of.get(relation.subject) == "person" else STYLE[relation.type][0]


def _label(relation: Relation) -> str:
    verb = STYLE[relation.type][1]
    if relation.start is not None:
        return f"{verb} {relation.start.display()}"
    if relation.end is not None:
        return f"{verb} until {relation.end.display()}"
    return verb


def _tip(index: Index, relation: Relation) -> str:
    text = f"{index.name(relation.subject)} {RELATION_LABELS[relation.type][0].lower()} {index.name(relation.object)}"
    when = span_text_plain(relation)
    if relation.end is None and relation.start is not None and STYLE[relation.type][0] == "lineage":
        when = relation.start.display()  # a split, merger or succession happens at a date
    return f"{text} ({when})" if when else f"{text} (no date recorded)"


def span_text_plain(relation: Relation) -> str:
    """Unescaped 'from 2012', '2003–2006', 'until 2021', or ''."""
    start, end = relation.start, relation.end
    if start and end:
        return start.display() if start == end else f"{start.display()}–{end.display()}"
    if start:
        return f"from {start.display()}"
    if end:
        return f"until {end.display()}"
    return ""


# --------------------------------------------------------------------------
# Reading the index
# --------------------------------------------------------------------------


def _wrap(text: str, chars: int) -> tuple[str, ...]:
    """At most two lines of at most ``chars`` characters; the second cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    words = text.split()
    for k, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= chars:
            current = candidate
            continue
        if current:
            lines.append(current)
        if len(lines) == 2 - 1:
            rest = " ".join(words[k:])
            lines.append(truncate(rest, chars))
            return tuple(lines)
        current = truncate(word, chars)
    if current:
        lines.append(current)
    return tuple(lines[:2])


def _name(index: Index, rid: str, style: Style) -> tuple[str, ...]:
    record = index.get(rid)
    name = index.name(rid)
    short = record.short_name if isinstance(record, Group) else None
    if short and (style is WHOLE or len(name) > 2 * style.chars):
        return _wrap(short, style.chars)
    return _wrap(name, style.chars)


def citation_href(index: Index, relation: Relation, from_uri: str, here: str | None) -> str:
    """The table row citing ``relation``: on this page where its table lists it, else on a page of
    one of its ends whose table does (within :data:`RELATIONS_LIMIT` rows), else that page's relations."""
    anchor = row_anchor(relation)
    if here is None:  # the whole-conflict page lists every relation it draws
        return f"#{anchor}"
    for end in dict.fromkeys((here, relation.subject, relation.object)):
        if relation.id in _listed(index, end):
            return f"#{anchor}" if end == here else index.url_from(from_uri, end, anchor)
    return index.url_from(from_uri, relation.subject, "relations")


@lru_cache(maxsize=16384)
def _listed(index: Index, rid: str) -> frozenset[str]:
    """The relations the page of ``rid`` lists in its table (and so cites)."""
    return frozenset(r.id for r in index.relations_of.get(rid, [])[:RELATIONS_LIMIT])


def _figure(  # noqa: PLR0917
    index: Index,
    relations: Sequence[Relation],
    from_uri: str,
    style: Style,
    title: str,
    here: str | None,
    note: str,
) -> str:
    order = dict.fromkeys([*([here] if here else []), *(x for r in relations for x in (r.subject, r.object))])
    lives = []
    for rid in order:
        span, start = _life_dates(index, rid)
        lives.append(
            Life(
                rid,
                _name(index, rid, style),
                index.display_name(rid),
                None if rid == here else index.url_from(from_uri, rid),
                index.kind_of.get(rid) == "person",
                span,
                start,
                _ended(index, rid),
            )
        )
    marks = tuple(
        Mark(
            r.id,
            r.subject,
            r.object,
            r.type,
            _kind(index, r),
            _when(r),
            _label(r),
            _tip(index, r),
            citation_href(index, r, from_uri, here),
        )
        for r in relations
    )
    pid = svg_id("ln", title, [r.id for r in relations], from_uri)
    return _drawing(tuple(lives), marks, style, title, note, pid)


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def text_box_width(text: str, size: float) -> float:
    """A width no narrower than ``text`` drawn at ``size`` px in the wide fonts a browser may fall
    back to (DejaVu Sans: capitals up to 0.74 em, digits 0.64 em); the layout keeps labels apart by it."""
    return size * sum(0.8 if c.isupper() or c in "mwMW" else 0.35 if c in " .,'’-" else 0.66 for c in text)


def layout(lives: Sequence[Life], marks: Sequence[Mark], style: Style) -> Layout:
    """Where everything goes: a pure function of the rows and marks."""
    rows = _order(lives, marks)
    names_width = max((text_box_width(line, FONT) for life in rows for line in life.lines), default=40.0) + 2 * PAD
    names_width = max(names_width, 60.0)
    ys = {life.id: AXIS + PAD + ROW * (k + 0.5) for k, life in enumerate(rows)}
    rows_bottom = AXIS + PAD + ROW * len(rows)
    height = rows_bottom + PAD + (AXIS if len(rows) > BOTTOM_AXIS else 0)
    names = tuple(
        Box(PAD, ys[life.id] - len(life.lines) * (FONT + 1) / 2, names_width - 2 * PAD, len(life.lines) * (FONT + 1))
        for life in rows
    )

    # the time axis: whole years around every date shown
    days = [d for life in rows if life.span for d in life.span] + [d for m in marks if m.when for d in m.when]
    first_year = min((d.year for d in days), default=2000)
    last_year = max((d.year for d in days), default=first_year)
    x0, x1 = _dt.date(first_year, 1, 1), _dt.date(last_year + 1, 1, 1)
    years = last_year + 1 - first_year
    undated = [m for m in marks if m.when is None]
    undated_columns = _columns(undated, ys)
    strip = (max(undated_columns.values(), default=-1) + 1) * COLUMN
    strip = max(strip + 2 * SIDE, text_box_width("no date", SMALL) + 4) if undated else 0.0
    plot_width = max(style.width - names_width, years * style.min_year + strip + 2 * PAD + FADE)
    plot_left, plot_right = PAD + FADE, plot_width - PAD - strip - FADE
    strip_box = (plot_right + FADE, plot_width - PAD / 2) if undated else None

    base = Layout(names_width, plot_width, height, tuple((life, ys[life.id]) for life in rows), (), (), names, x0, x1,
                  plot_left, plot_right, strip_box, rows_bottom + PAD)  # fmt: skip
    ticks = _ticks(base, first_year, last_year)
    if len(rows) > BOTTOM_AXIS:  # a tall drawing has its years below it too
        ticks += tuple((text, x, Box(box.x, height - PAD - box.h, box.w, box.h)) for text, x, box in ticks)
    taken = [_grown(box) for _, _, box in ticks]  # every text box so far, with a margin

    # marks: at their date (or in the strip), set apart where two on one date share rows
    placed_x: dict[str, float] = {}
    spans: list[tuple[float, float, float]] = []  # x, top and bottom of the marks placed
    for mark in sorted((m for m in marks if m.when), key=lambda m: (m.when, m.id)):
        assert mark.when is not None
        mid = mark.when[0] + (mark.when[1] - mark.when[0]) / 2
        x = base.x(mid)
        top, bottom = sorted((ys[mark.subject], ys[mark.object]))
        clash = [other for other, a, b in spans if a <= bottom and top <= b]
        while any(abs(x - other) < SIDE - 0.01 for other in clash):
            x += SIDE
        placed_x[mark.id] = x
        spans.append((x, top, bottom))
    if strip_box:
        for mark in undated:
            placed_x[mark.id] = strip_box[0] + SIDE + undated_columns[mark.id] * COLUMN + COLUMN / 2

    result = []
    for mark in marks:
        x = placed_x[mark.id]
        spread = None
        if mark.when and mark.when[1] > mark.when[0]:
            spread = (base.x(mark.when[0]), base.x(mark.when[1] + _dt.timedelta(days=1)))
        box = None if mark.when is None else _place_label(mark, x, (ys[mark.subject], ys[mark.object]), base, taken)
        if box is not None:
            taken.append(_grown(box))
        result.append(Placed(mark, x, (ys[mark.subject], ys[mark.object]), spread, box))
    return Layout(names_width, plot_width, height, base.rows, ticks, tuple(result), names, x0, x1, plot_left,
                  plot_right, strip_box, rows_bottom + PAD)  # fmt: skip


def _order(lives: Sequence[Life], marks: Sequence[Mark]) -> list[Life]:
    """Rows by their first date, each followed by the rows it has relations with that are not
    placed yet (breadth first, by first date too), so related groups sit near each other.
    People come after groups."""

    def key(life: Life) -> tuple[bool, bool, _dt.date, str]:
        return (life.person, life.span is None, life.span[0] if life.span else _dt.date.min, life.id)

    by_id = {life.id: life for life in lives}
    near: dict[str, list[Life]] = {life.id: [] for life in lives}
    for mark in marks:
        near[mark.subject].append(by_id[mark.object])
        near[mark.object].append(by_id[mark.subject])
    result: list[Life] = []
    placed: set[str] = set()
    for root in sorted(lives, key=key):
        if root.id in placed or root.person:
            continue
        queue = [root]
        placed.add(root.id)
        while queue:
            life = queue.pop(0)
            result.append(life)
            for other in sorted(near[life.id], key=key):
                if other.id not in placed and not other.person:
                    placed.add(other.id)
                    queue.append(other)
    return result + sorted((life for life in lives if life.id not in placed), key=key)


def _columns(marks: Sequence[Mark], ys: dict[str, float]) -> dict[str, int]:
    """Columns of the "no date" strip: marks whose rows do not overlap share one."""
    columns: list[float] = []  # the lowest y used in each column so far
    result: dict[str, int] = {}
    for mark in sorted(marks, key=lambda m: (min(ys[m.subject], ys[m.object]), m.id)):
        top, bottom = sorted((ys[mark.subject], ys[mark.object]))
        for k, lowest in enumerate(columns):
            if lowest < top - 1:
                columns[k] = bottom
                result[mark.id] = k
                break
        else:
            columns.append(bottom)
            result[mark.id] = len(columns) - 1
    return result


def _ticks(base: Layout, first: int, last: int) -> tuple[tuple[str, float, Box], ...]:
    """Year labels as dense as fit without touching: every year, or every 2, 5 or 10."""
    per_year = (base.plot_right - base.plot_left) / (last + 1 - first)
    label = text_box_width("2000", SMALL) + 6
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if s * per_year >= label), 100)
    ticks: list[tuple[str, float, Box]] = []
    for year in range(first, last + 2):
        if year % step:
            continue
        x = base.x(_dt.date(year, 1, 1))
        left = x + 2
        if left + label - 6 > base.plot_right + FADE:
            continue
        if ticks and ticks[-1][2].x + ticks[-1][2].w > left:
            continue
        ticks.append((str(year), x, Box(left, PAD, text_box_width(str(year), SMALL), SMALL + 2)))
    if not ticks:  # a short span between two multiples of the step
        ticks.append(
            (
                str(first),
                base.x(_dt.date(first, 1, 1)),
                Box(base.x(_dt.date(first, 1, 1)) + 2, PAD, text_box_width(str(first), SMALL), SMALL + 2),
            )
        )
    return tuple(ticks)


def _grown(box: Box) -> Box:
    """A text box with the margin :data:`GAP` that keeps it apart from the next."""
    return Box(box.x - GAP, box.y - GAP, box.w + 2 * GAP, box.h + 2 * GAP)


def _place_label(mark: Mark, x: float, ends: tuple[float, float], base: Layout, taken: list[Box]) -> Box | None:
    """The first free place for a mark's label: beside its later end, then its other end, right then left."""
    width, height = text_box_width(mark.label, SMALL), SMALL + 2
    later = ends[0] if mark.type in OBJECT_FIRST else ends[1]
    other = ends[1] if later == ends[0] else ends[0]
    spots = []
    for y in (later, other):
        for dy in (-height - 3, 3):  # above the lifeline, then below it
            spots.append(Box(x + 5, y + dy, width, height))
            spots.append(Box(x - 5 - width, y + dy, width, height))
    for box in spots:
        inside = base.plot_left - PAD / 2 <= box.x and box.x + box.w <= base.plot_right + FADE
        inside = inside and box.y >= AXIS and box.y + box.h <= base.rows_bottom
        if inside and not any(box.overlaps(t) for t in taken):
            return box
    return None


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


#: Drawings kept: one per group or person with relations. A drawing depends only on its
#: arguments, so a ``mkdocs serve`` reload draws again only those whose content changed.
DRAWING_CACHE = 4096


@lru_cache(maxsize=DRAWING_CACHE)
def _drawing(  # noqa: PLR0917
    lives: tuple[Life, ...], marks: tuple[Mark, ...], style: Style, title: str, note: str, pid: str
) -> str:
    plan = layout(lives, marks, style)
    kinds = list(dict.fromkeys(m.kind for m in marks))
    dated = sum(1 for m in marks if m.when)
    span = f"{plan.x0.year} to {plan.x1.year - 1}"
    desc = (
        f"{plural(len(plan.rows), 'row')} ({'groups and people' if any(li.person for li in lives) else 'groups'}) "
        f"on a time axis from {span}, with {plural(len(marks), 'relation')} between them"
        + (f", {dated} of them dated" if dated < len(marks) else "")
        + ". Each relation links to the table row that cites it; the table below lists the same relations."
    )
    names = _names_svg(plan, pid)
    plot = _plot_svg(plan, pid, title, desc)
    legend = _legend(kinds, plan, pid)
    caption = (
        f'<figcaption id="{pid}-cap">{legend}'
        + (f'<p class="wiki-ln-caption-note">{svg_text(note)}</p>' if note else "")
        + "</figcaption>"
    )
    return "\n".join(
        [
            f'<figure class="wiki-lineage" aria-labelledby="{pid}-title">',
            f'<div class="wiki-lineage-scroll" tabindex="0" role="region" aria-label="{svg_text(title)}">',
            names,
            plot,
            "</div>",
            caption,
            "</figure>",
        ]
    )


def _names_svg(plan: Layout, pid: str) -> str:
    width, height = plan.names_width, plan.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wiki-lineage-names" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" aria-label="Names">'
    ]
    for (life, y), box in zip(plan.rows, plan.names, strict=True):
        spans = "".join(
            f'<tspan x="{_f(box.x)}" y="{_f(box.y + (k + 1) * (FONT + 1) - 2.5)}">{svg_text(line)}</tspan>'
            for k, line in enumerate(life.lines)
        )
        text = f'<text font-size="{_f(FONT)}">{spans}</text>'
        hit = f'<rect class="wiki-ln-hit" x="0" y="{_f(y - ROW / 2)}" width="{_f(width)}" height="{_f(ROW)}"/>'
        if life.href is None:
            out.append(f'<g class="wiki-ln-self" aria-current="page"><title>{svg_text(life.tip)}</title>{text}</g>')
        else:
            out.append(f'<a href="{svg_text(life.href)}"><title>{svg_text(life.tip)}</title>{hit}{text}</a>')
    out.append("</svg>")
    return "".join(out)


def _stops(first: str, last: str) -> str:
    return f'<stop offset="0" class="wiki-ln-stop-{first}"/><stop offset="1" class="wiki-ln-stop-{last}"/>'


def _text(x: float, y: float, text: str, cls: str = "") -> str:
    """Escaped text at the small size (axis, labels, notes)."""
    attrs = f' class="{cls}"' if cls else ""
    return f'<text{attrs} x="{_f(x)}" y="{_f(y)}" font-size="{_f(SMALL)}">{svg_text(text)}</text>'


def _plot_svg(plan: Layout, pid: str, title: str, desc: str) -> str:
    width, height = plan.plot_width, plan.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wiki-lineage-plot" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" aria-labelledby="{pid}-title {pid}-desc">'
        f'<title id="{pid}-title">{svg_text(title)}</title><desc id="{pid}-desc">{svg_text(desc)}</desc>',
        "<defs>"
        f'<linearGradient id="{pid}-in">{_stops("a", "b")}</linearGradient>'
        f'<linearGradient id="{pid}-out">{_stops("b", "a")}</linearGradient>'
        f'<pattern id="{pid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" class="wiki-ln-hatch"/></pattern>'
        "</defs>",
    ]
    # axis: a grid line and a label per tick, and the "no date" strip
    out.append('<g class="wiki-ln-axis" aria-hidden="true">')
    for text, x, box in plan.ticks:
        grid = f'<line x1="{_f(x)}" y1="{_f(PAD)}" x2="{_f(x)}" y2="{_f(height - PAD)}"/>' if box.y == PAD else ""
        out.append(grid + _text(box.x, box.y + SMALL - 1, text))
    if plan.undated:
        left, right = plan.undated
        out.append(
            f'<rect class="wiki-ln-undated" x="{_f(left)}" y="{_f(AXIS)}" width="{_f(right - left)}" '
            f'height="{_f(height - AXIS - PAD / 2)}"/>' + _text(left + 2, PAD + SMALL - 1, "no date")
        )
    out.append("</g>")
    # lifelines
    out.append('<g class="wiki-ln-lives" aria-hidden="true">')
    for life, y in plan.rows:
        out.extend(_lifeline(plan, life, y, pid))
    out.append("</g>")
    # marks, each a link to the row that cites it
    out.append('<g class="wiki-ln-marks">')
    for placed in plan.marks:
        out.append(_mark_svg(placed))
    out.append("</g>")
    labels = [p for p in plan.marks if p.label is not None]
    out.append(f'<g class="wiki-ln-labels" aria-hidden="true" font-size="{_f(SMALL)}">')
    for p in labels:
        assert p.label is not None
        out.append(_text(p.label.x, p.label.y + SMALL - 1, p.mark.label, "wiki-ln-label"))
    out.append("</g></svg>")
    return "".join(out)


def _lifeline(plan: Layout, life: Life, y: float, pid: str) -> Iterable[str]:
    cls = "wiki-ln-life " + ("wiki-ln-person" if life.person else "wiki-ln-group")
    if life.span is None:
        yield _text(plan.plot_left, y + 4, "no dated record", "wiki-ln-note")
        return
    a, b = plan.x(life.span[0]), plan.x(life.span[1] + _dt.timedelta(days=1))
    b = max(b, a + 2)
    thick = 3 if life.person else 6
    top = y - thick / 2
    if life.start is None and not life.person:  # begins before the wiki's first record of it: fades in
        yield f'<rect x="{_f(a - FADE)}" y="{_f(top)}" width="{_f(FADE)}" height="{thick}" fill="url(#{pid}-in)"/>'
    elif life.start is not None and life.start[1] > life.start[0]:  # began some time in this period
        h0, h1 = plan.x(life.start[0]), plan.x(life.start[1] + _dt.timedelta(days=1))
        width = _f(max(h1 - h0, 2))
        yield f'<rect class="wiki-ln-start" x="{_f(h0)}" y="{_f(y - 5)}" width="{width}" height="10" ' + (
            f'fill="url(#{pid}-hatch)"/>'
        )
        a = max(a, h1)
    yield f'<line class="{cls}" x1="{_f(a)}" y1="{_f(y)}" x2="{_f(b)}" y2="{_f(y)}"/>'
    if not life.ended and not life.person:  # goes on after the wiki's last record of it: fades out
        yield f'<rect x="{_f(b)}" y="{_f(top)}" width="{_f(FADE)}" height="{thick}" fill="url(#{pid}-out)"/>'


def _mark_svg(placed: Placed) -> str:
    mark, x = placed.mark, placed.x
    kind = mark.kind
    top, bottom = sorted(placed.ys)
    line = f"wiki-ln-link wiki-ln-{kind}"
    parts = [
        f'<rect class="wiki-ln-hit" x="{_f(x - 5)}" y="{_f(top - 5)}" width="10" height="{_f(bottom - top + 10)}"/>',
        f'<line class="{line}" x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(bottom)}"/>',
    ]
    if placed.spread:  # whiskers across the period the date covers
        lo, hi = placed.spread
        parts.extend(
            f'<line class="{line} wiki-ln-spread" x1="{_f(lo)}" y1="{_f(y)}" x2="{_f(hi)}" y2="{_f(y)}"/>'
            for y in (top, bottom)
        )
    into = None
    if kind == "lineage":  # an arrow into the group that comes out of it
        into = placed.ys[0] if mark.type in OBJECT_FIRST else placed.ys[1]
    for y in (top, bottom):
        if y == into:
            tip = 1 if y > (top + bottom) / 2 else -1
            parts.append(
                f'<path class="{line} wiki-ln-arrow" d="M{_f(x - 4)},{_f(y - 7 * tip)} L{_f(x)},{_f(y)} '
                f'L{_f(x + 4)},{_f(y - 7 * tip)} z"/>'
            )
        elif kind == "structure":  # a bracket
            parts.append(f'<path class="{line}" d="M{_f(x + 5)},{_f(y)} H{_f(x)}"/>')
        elif kind == "rivalry":
            parts.append(f'<path class="{line}" d="M{_f(x - 4)},{_f(y)} H{_f(x + 4)}"/>')
        else:
            parts.append(f'<circle class="wiki-ln-end {line}" cx="{_f(x)}" cy="{_f(y)}" r="3"/>')
    return f'<a href="{svg_text(mark.href)}"><title>{svg_text(mark.tip)}</title>{"".join(parts)}</a>'


def _legend(kinds: Sequence[str], plan: Layout, pid: str) -> str:
    """The encodings this drawing uses, as an HTML list (it wraps on a phone)."""

    def sample(body: str, width: int = 34) -> str:
        return f'<svg width="{width}" height="16" aria-hidden="true">{body}</svg>'

    items = [
        (
            sample('<line class="wiki-ln-life wiki-ln-group" x1="2" y1="8" x2="32" y2="8"/>'),
            "from the first to the last date the wiki has for a group",
        )
    ]
    if any(not life.ended for life, _ in plan.rows if life.span):
        items.append(
            (
                sample(f'<rect x="2" y="5" width="30" height="6" fill="url(#{pid}-out)"/>'),
                "faded end: it may have begun earlier or gone on later",
            )
        )
    if any(life.start and life.start[1] > life.start[0] for life, _ in plan.rows):
        items.append(
            (
                sample(f'<rect x="2" y="3" width="30" height="10" fill="url(#{pid}-hatch)"/>'),
                "hatched: began at some time in this period",
            )
        )
    for kind in kinds:
        items.append(
            (sample(f'<line class="wiki-ln-link wiki-ln-{kind}" x1="17" y1="1" x2="17" y2="15"/>'), LEGEND[kind])
        )
    if any(p.spread for p in plan.marks):
        items.append(
            (
                sample('<line class="wiki-ln-link wiki-ln-structure" x1="4" y1="8" x2="30" y2="8"/>'),
                "a date known to the month or year: the line spans it",
            )
        )
    if plan.undated:
        items.append(
            (
                sample('<rect class="wiki-ln-undated" x="2" y="2" width="30" height="12"/>'),
                "no date: relations the sources do not date",
            )
        )
    body = "".join(f"<li>{icon}{svg_text(text)}</li>" for icon, text in items)
    return f'<ul class="wiki-lineage-legend" aria-label="Legend">{body}</ul>'


__all__ = [
    "LINEAGE",
    "Box",
    "Layout",
    "Life",
    "Mark",
    "citation_href",
    "group_lineage",
    "group_relations",
    "layout",
    "neighbourhood",
    "relations_table",
    "row_anchor",
    "whole_lineage",
]

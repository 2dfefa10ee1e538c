"""Step 2, last pass: what is well formed but cannot be right.

The models check each record on its own; this pass looks at what only the whole
knowledge base, or the calendar, can tell:

* dates in the future, anywhere in a record: an event, a publication, a record
  ``added``/``updated`` after the day of the build (a typo such as 2107 for 2017:
  the wiki records what happened, and gzip cannot even store a time after 2106);
* cycles in a lineage: a group that split from, merged into, succeeded or is part of
  itself through other groups; a place lying within itself through other places.

Each problem is a :class:`~macros.errors.DataError` at the line that holds it.
No MkDocs imports.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

from pydantic import BaseModel

from .dates import Interval, Point, WikiDate
from .errors import DataError
from .load import RawRecord
from .model import Place, Relation, RelationType
from .yamlload import line_of

#: Relation types that can never loop back to where they started (a group cannot
#: descend from itself). Other types (allied-with, rival-of) may well go both ways.
ACYCLIC_RELATIONS = (
    RelationType.SPLIT_FROM,
    RelationType.MERGED_INTO,
    RelationType.SUCCESSOR_OF,
    RelationType.PART_OF,
)

Checked = Sequence[tuple[RawRecord, Any]]


def check(good: Checked, today: _dt.date | None = None) -> list[DataError]:
    """Every implausible date and every cycle among the validated records."""
    day = today or _dt.date.today()
    return [*_future_dates(good, day), *_relation_cycles(good), *_within_cycles(good)]


def _dates(node: BaseModel, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], WikiDate]]:
    """Every date in a record, with its location (``("facts", 0, "as_of")``), however deep."""
    for name in type(node).model_fields:
        value = getattr(node, name)
        items = enumerate(value) if isinstance(value, list) else ((None, value),)
        for index, item in items:
            where = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, Point | Interval):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from _dates(item, where)


def _future_dates(good: Checked, today: _dt.date) -> Iterator[DataError]:
    # A day's grace: a contributor east of the build machine may already be a day ahead
    # (a record 'added' on their today, checked in CI on its yesterday).
    limit = today + _dt.timedelta(days=1)
    for raw, record in good:
        for loc, date in _dates(record):
            if date.earliest > limit:
                yield DataError(
                    raw.path,
                    line_of(raw.raw, loc, raw.line),
                    f"'{_where(loc)}' is {date.edtf()}, after today ({today.isoformat()}): a date in the "
                    "future cannot be right here (a typo in the year?)",
                    raw.label,
                )


def _where(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(loc))


def _cycle_from(start: str, edges: dict[str, list[str]]) -> list[str] | None:
    """A path start → … → start along ``edges``, if there is one (depth first, no recursion)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _cycles(edges: dict[str, list[str]]) -> Iterator[list[str]]:
    """Each cycle once, as a path that starts and ends at its smallest id."""
    found: set[frozenset[str]] = set()
    for start in sorted(edges):
        cycle = _cycle_from(start, edges)
        if cycle is not None and min(cycle) == start and frozenset(cycle) not in found:
            found.add(frozenset(cycle))
            yield cycle


def _relation_cycles(good: Checked) -> Iterator[DataError]:
    for kind in ACYCLIC_RELATIONS:
        where: dict[tuple[str, str], RawRecord] = {}
        edges: dict[str, list[str]] = {}
        for raw, record in good:
            if isinstance(record, Relation) and record.type == kind:
                edges.setdefault(record.subject, []).append(record.object)
                where.setdefault((record.subject, record.object), raw)
        for cycle in _cycles(edges):
            links = list(pairwise(cycle))
            raws = [where[link] for link in links]
            last = max(raws, key=lambda r: (r.path, r.line))  # reported where the loop is closed
            path = " → ".join(cycle)
            yield DataError(
                last.path,
                line_of(last.raw, ("subject",), last.line),
                f"the '{kind.value}' relations form a loop: {path} (a group cannot be its own "
                "ancestor); check which is the subject and which the object",
                last.label,
            )


def _within_cycles(good: Checked) -> Iterator[DataError]:
    raw_of: dict[str, RawRecord] = {}
    edges: dict[str, list[str]] = {}
    for raw, record in good:
        if isinstance(record, Place) and record.within and record.within != record.id:
            edges[record.id] = [record.within]  # (a place within itself is reported by validate)
            raw_of[record.id] = raw
    for cycle in _cycles(edges):
        last = max((raw_of[p] for p in cycle[:-1]), key=lambda r: (r.path, r.line))
        yield DataError(
            last.path,
            line_of(last.raw, ("within",), last.line),
            f"'within' goes round in a loop: {' → '.join(cycle)} (a place cannot lie within itself)",
            last.label,
        )

"""Which pages the knowledge base generates: one :class:`PageSpec` per page, in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .index import PAGE_DIR, Index
from .render.lists import INDEX_TITLES, contested_parts, contested_uri
from .render.year import part_uri, year_parts


@dataclass(frozen=True, slots=True)
class PageSpec:
    uri: str  # source path under docs/
    kind: str  # renderer: group, person, ..., year, index, chronology, contested
    key: str  # record id, year, or kind for index pages
    in_nav: bool = False


def plan(index: Index) -> Iterator[PageSpec]:
    """Every generated page, in a stable order."""
    for kind in INDEX_TITLES:
        yield PageSpec(f"{PAGE_DIR[kind]}/index.md", "index", kind, in_nav=True)
    yield PageSpec("chronology/index.md", "chronology", "all", in_nav=True)
    yield PageSpec("contested.md", "contested", "all", in_nav=True)
    for part in range(2, contested_parts(index) + 1):
        yield PageSpec(contested_uri(part), "contested", f"part-{part}")
    yield PageSpec("map.md", "map", "all", in_nav=True)
    yield PageSpec("statistics.md", "statistics", "all", in_nav=True)
    yield PageSpec("relations.md", "relations", "all", in_nav=True)
    yield PageSpec("data-model.md", "model", "all", in_nav=True)
    yield PageSpec("whats-new.md", "changelog", "all", in_nav=True)
    for kind in ("source", "group", "person", "place", "event"):
        for record in index.of_kind(kind):
            yield PageSpec(index.page_uri(kind, record.id), kind, record.id)
    for year in index.years:
        for part in range(1, year_parts(index, year) + 1):
            key = str(year) if part == 1 else f"{year}-part-{part}"
            yield PageSpec(part_uri(index, year, part), "year", key)

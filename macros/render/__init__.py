"""Step 4 of the pipeline: pure functions from indexed records to Markdown.

Nothing here imports MkDocs; every function takes the :class:`~macros.index.Index`
and ids and returns a string, so pages can be tested without a build.
"""

from __future__ import annotations

from ..index import Index
from .changelog import changelog_page
from .cite import SiteInfo, cite_this_page, in_reading_order, with_cite_block
from .entity import entity_page
from .event import event_page
from .lists import chronology, contested_page, kind_index, map_page, relations_page, statistics_page
from .modeldoc import data_model_page
from .source import source_page
from .year import year_page


def render_page(index: Index, kind: str, key: str, site: SiteInfo | None = None) -> str:
    """The Markdown of one generated page (see :mod:`macros.pages` for the list)."""
    if kind in ("group", "person", "place", "event", "source"):
        if kind in ("event", "source"):
            page = {"event": event_page, "source": source_page}[kind](index, key)
        else:
            page = entity_page(index, key, site)
        return in_reading_order(with_cite_block(page, cite_this_page(index, key, site or SiteInfo())))
    if kind == "year":
        year, _, part = key.partition("-part-")
        return year_page(index, int(year), int(part or 1))
    if kind == "index":
        return kind_index(index, key)
    if kind == "chronology":
        return chronology(index)
    if kind == "contested":
        _, _, part = key.partition("part-")
        return contested_page(index, int(part or 1))
    if kind == "map":
        return map_page(index)
    if kind == "statistics":
        return statistics_page(index)
    if kind == "relations":
        return relations_page(index)
    if kind == "model":
        return data_model_page()
    if kind == "changelog":
        return changelog_page(index)
    raise KeyError(f"no renderer for page kind {kind!r}")


__all__ = ["SiteInfo", "render_page"]

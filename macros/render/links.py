"""``link_to``: the one way generated Markdown links to a record or a year."""

from __future__ import annotations

from ..index import Index
from .text import esc


def link_to(index: Index, rid: str, text: str | None = None, anchor: str = "") -> str:
    """``[Name](/kind/id.md)``; MkDocs checks the target exists (``--strict``)."""
    shown = esc(text if text is not None else index.display_name(rid))
    return f"[{shown}]({index.href(rid, anchor)})"


def link_year(year: int) -> str:
    return f"[{year}]({Index.year_href(year)})"

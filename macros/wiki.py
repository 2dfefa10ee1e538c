"""The pipeline in one call: load → validate (and check quotes) → index. No MkDocs imports."""

from __future__ import annotations

import gc
from pathlib import Path

from .index import Index
from .load import load
from .quotes import check_quotes
from .validate import validate


def build_index(
    data_dir: Path, root: Path | None = None, archive: Path | None = None, *, file_urls: bool = False
) -> Index:
    """Read and check every data file; raise :class:`~macros.errors.DataErrors` with all problems.

    With ``archive`` (a folder of source texts), quotes not found verbatim in
    their source are errors too. ``file_urls``: see :attr:`Index.file_urls`.
    """
    # Loading builds hundreds of thousands of small objects that all live until the end:
    # the cyclic garbage collector would scan them again and again for nothing (about 60 %
    # of the validation time at 10,000 events), so it pauses while they are built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        raws, errors = load(data_dir, root)
        if archive is not None:
            errors = [*errors, *check_quotes(raws, archive)]
        return Index(validate(raws, errors), file_urls=file_urls)
    finally:
        if enabled:
            gc.enable()


def source_coverage(index: Index) -> list[tuple[str, int, int, bool]]:
    """Per source: (id, records citing it, citations, archived?)."""
    rows = []
    for source in index.kb.sources:
        cites = index.citing.get(source.id, [])
        rows.append((source.id, len({rid for rid, _ in cites}), len(cites), bool(source.archive)))
    return rows

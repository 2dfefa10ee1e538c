"""The quote check: every quote must occur verbatim in its source's archived text.

Whitespace is ignored (line breaks in the archive do not matter); quotation
marks must be as in the text (curly or straight), so a quote is never
silently "corrected".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .index import Index
from .model import Citation

ARCHIVE_ENV = "WIKI_ARCHIVE"


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class QuoteProblem:
    record: str
    citation: Citation
    reason: str

    def describe(self, index: Index) -> str:
        path, line = index.kb.origins.get(self.record, ("?", 0))
        return f"{path}:{line}: {index.kind_of.get(self.record, 'record')} '{self.record}': {self.reason}"


def resolve_archive(configured: str | None, root: Path) -> Path | None:
    """The archive folder: $WIKI_ARCHIVE, else the configured path (relative to ``root``)."""
    value = os.environ.get(ARCHIVE_ENV) or configured
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else (root / path)


def check_quotes(index: Index, archive: Path) -> Iterator[QuoteProblem]:
    texts: dict[str, str | None] = {}
    for source in index.kb.sources:
        if source.archive:
            file = archive / source.archive
            texts[source.id] = squash(file.read_text(encoding="utf-8")) if file.is_file() else None
    for source_id, citations in sorted(index.citing.items()):
        text = texts.get(source_id)
        source = index.source(source_id)
        for record, citation in citations:
            if not source.archive:
                continue  # not archived: reported as unchecked by coverage(), not an error
            if text is None:
                yield QuoteProblem(record, citation, f"archive file '{source.archive}' of source '{source_id}' not found in {archive}")
            elif squash(citation.quote) not in text:
                yield QuoteProblem(
                    record, citation,
                    f"quote not found verbatim in source '{source_id}': \"{citation.quote}\" "
                    "(copy it exactly from the archived text; only whitespace may differ)",
                )


def coverage(index: Index) -> list[tuple[str, int, int, bool]]:
    """Per source: (id, records citing it, citations, archived?)."""
    rows = []
    for source in index.kb.sources:
        cites = index.citing.get(source.id, [])
        rows.append((source.id, len({rid for rid, _ in cites}), len(cites), bool(source.archive)))
    return rows

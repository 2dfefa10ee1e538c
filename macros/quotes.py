"""The quote check: every quote must occur verbatim in its source's archived text.

Whitespace is ignored (line breaks in the archive do not matter); quotation
marks must be as in the text (curly or straight), so a quote is never
silently "corrected".  The check reads the raw YAML, so it names the exact
line of each citation and works even while other data errors remain.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import DataError
from .load import RawRecord
from .yamlload import LineDict, LineList

ARCHIVE_ENV = "WIKI_ARCHIVE"
SAFE_ARCHIVE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.txt")
REQUIRE_ENV = "WIKI_REQUIRE_ARCHIVE"


def squash(text: str) -> str:
    return " ".join(text.split())


def resolve_archive(configured: str | None, root: Path) -> Path | None:
    """The archive folder: $WIKI_ARCHIVE, else the configured path (relative to ``root``)."""
    value = os.environ.get(ARCHIVE_ENV) or configured
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else (root / path)


def archive_required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def citations_in(record: LineDict) -> Iterator[LineDict]:
    """Every citation of a raw record: its ``citations`` and those of its ``facts``
    (the only places the model allows them), as mappings with a ``source`` and a ``quote``."""
    lists = [record.get("citations")]
    facts = record.get("facts")
    if isinstance(facts, LineList):
        lists.extend(fact.get("citations") for fact in facts if isinstance(fact, LineDict))
    for items in lists:
        if isinstance(items, LineList):
            for item in items:
                if (
                    isinstance(item, LineDict)
                    and isinstance(item.get("source"), str)
                    and isinstance(item.get("quote"), str)
                ):
                    yield item


def check_quotes(records: Sequence[RawRecord], archive: Path) -> list[DataError]:
    """A :class:`DataError` for each quote not found in its source's archived text."""
    texts: dict[str, str | None] = {}
    files: dict[str, str] = {}
    errors = []
    for record in records:
        name = record.raw.get("archive")
        if record.kind != "source" or not isinstance(record.raw.get("id"), str) or not isinstance(name, str):
            continue
        if not SAFE_ARCHIVE_NAME.fullmatch(name):
            continue  # validation reports the bad name; never open paths outside the archive
        files[record.raw["id"]] = name
        path = archive / name
        try:
            texts[record.raw["id"]] = squash(path.read_text(encoding="utf-8")) if path.is_file() else None
        except UnicodeDecodeError as exc:
            texts[record.raw["id"]] = ""
            errors.append(
                DataError(
                    record.path,
                    record.raw.key_lines.get("archive", record.line),
                    f"archive file '{name}' is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}): "
                    "save the archived text as UTF-8",
                    record.label,
                )
            )
    for record in records:
        for citation in citations_in(record.raw):
            source = citation["source"]
            if source not in files:
                continue  # unknown sources are reported by validation; unarchived ones are listed by coverage
            text = texts[source]
            if text == "":
                continue  # undecodable archive, reported once above
            if text is None:
                message = f"archive file '{files[source]}' of source '{source}' is not in {archive}"
            elif citation["quote"] not in text and squash(citation["quote"]) not in text:
                # (the text is squashed: most quotes are found as they are, without squashing them)
                message = (
                    f"quote not found verbatim in source '{source}': \"{squash(citation['quote'])}\" "
                    "(copy it exactly from the archived text; only whitespace may differ)"
                )
            else:
                continue
            errors.append(DataError(record.path, citation.key_lines.get("quote", citation.line), message, record.label))
    return errors

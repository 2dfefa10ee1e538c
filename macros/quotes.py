"""The quote check: every quote must occur verbatim in its source's archived text.

Whitespace is ignored (line breaks in the archive do not matter); quotation
marks must be as in the text (curly or straight), so a quote is never
silently "corrected".  The check reads the raw YAML, so it names the exact
line of each citation and works even while other data errors remain.
"""

from __future__ import annotations

import difflib
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


def nearest_passage(quote: str, text: str) -> str:
    """The passage of ``text`` (squashed) most like ``quote``: as long as the quote, around the
    longest stretch they share, widened to whole words."""
    quote = squash(quote)
    match = difflib.SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
    if match.size < 4:
        return ""
    start = max(0, match.a - match.b)
    end = min(len(text), start + len(quote))
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return text[start:end]


def check_quotes(records: Sequence[RawRecord], archive: Path) -> list[DataError]:
    """A :class:`DataError` for each quote not found in its source's archived text, and one at
    each source whose archive file is missing or unreadable (with how many quotes that leaves
    unchecked)."""
    texts: dict[str, str | None] = {}
    sources: dict[str, RawRecord] = {}
    errors = []
    for record in records:
        name = record.raw.get("archive")
        if record.kind != "source" or not isinstance(record.raw.get("id"), str) or not isinstance(name, str):
            continue
        if not SAFE_ARCHIVE_NAME.fullmatch(name):
            continue  # validation reports the bad name; never open paths outside the archive
        sources[record.raw["id"]] = record
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
    unchecked: dict[str, int] = {}
    for record in records:
        for citation in citations_in(record.raw):
            source = citation["source"]
            if source not in sources:
                continue  # unknown sources are reported by validation; unarchived ones are listed by coverage
            text = texts[source]
            if text is None:
                unchecked[source] = unchecked.get(source, 0) + 1
                continue  # reported once, at the source, below
            if text == "" or citation["quote"] in text or squash(citation["quote"]) in text:
                continue  # (an undecodable archive is reported above)
            # (the text is squashed: most quotes are found as they are, without squashing them)
            nearest = nearest_passage(citation["quote"], text)
            message = (
                f"quote not found verbatim in source '{source}': \"{squash(citation['quote'])}\" "
                + (f'(nearest passage: "{nearest}"; ' if nearest else "(")
                + "copy it exactly from the archived text; only whitespace may differ)"
            )
            errors.append(DataError(record.path, citation.key_lines.get("quote", citation.line), message, record.label))
    for source, count in unchecked.items():
        record = sources[source]
        errors.append(
            DataError(
                record.path,
                record.raw.key_lines.get("archive", record.line),
                f"archive file '{record.raw['archive']}' is not in {archive}: the {count} quote"
                f"{'s' if count != 1 else ''} citing this source cannot be checked "
                "(add the text there, or correct the file name)",
                record.label,
            )
        )
    return errors

"""The quote check, as a pure function over raw records and an archive folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.load import RawRecord
from macros.quotes import check_quotes
from macros.yamlload import parse_yaml

ARCHIVED = "The convoy was   attacked\nnear the “old” well on 7 August.\n"


def _records(quote: str) -> list[RawRecord]:
    source = parse_yaml("id: gazette\narchive: gazette.txt\n")
    event = parse_yaml("id: convoy-attack\ncitations:\n  - source: gazette\n    quote: PLACEHOLDER\n")
    event["citations"][0]["quote"] = quote
    return [RawRecord("source", "data/sources.yml", source), RawRecord("event", "data/events/x.yml", event)]


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("The convoy was attacked", True),
        ("attacked near the “old” well", True),  # a line break in the archive is a space
        ("The convoy  was\n  attacked", True),  # and so are runs of whitespace in the quote
        ("  on 7 August.  ", True),
        ('attacked near the "old" well', False),  # quotation marks are never "corrected"
        ("The convoy was attacked at dawn", False),
        ("the convoy was attacked", False),  # nor is case
    ],
)
def test_a_quote_must_occur_in_its_archived_source(tmp_path: Path, quote: str, found: bool) -> None:
    (tmp_path / "gazette.txt").write_text(ARCHIVED, encoding="utf-8")
    errors = check_quotes(_records(quote), tmp_path)
    if found:
        assert errors == []
    else:
        assert [(e.path, e.line) for e in errors] == [("data/events/x.yml", 4)]
        assert "quote not found verbatim in source 'gazette'" in errors[0].message

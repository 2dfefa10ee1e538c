"""Bad-data corpus: each case is the fixture knowledge base with exactly one change.

Every case must be refused with ``path:line: record: message`` errors that name the
right file and line, never with a Python traceback, and (for the real CLI) without
touching an existing ``site/`` folder.

* ``test_in_process`` runs every case through :func:`macros.wiki.build_index` and
  checks the exact list of errors (file, line, key phrase of the message).
* ``test_cli_mkdocs_build`` runs ``mkdocs build --strict`` in a subprocess for a few
  representative cases, into a site folder that already holds a marker file.
* ``test_cli_check`` runs ``python -m macros.check`` for the same cases.

Cases that reveal an engine bug carry its description and are strict xfails where the
bug shows (``bug_scope="exact"``: only the exact error list is wrong, the real error is
still reported, which ``test_real_error_reported_despite_known_bug`` checks).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.errors import DataError, DataErrors
from macros.quotes import squash
from macros.wiki import build_index
from tests.conftest import DOCS_CLI

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"
FIXTURE_DATA = FIXTURE_KB / "data"
FIXTURE_ARCHIVE = FIXTURE_KB / "archive"
VENV_BIN = Path(sys.executable).parent

Mutation = Callable[[Path], None]  # receives the case's base folder (holding data/ and archive/)


# -- mutations: the one change each case makes -------------------------------------


def sub(rel: str, old: str, new: str) -> Mutation:
    """Replace the single occurrence of ``old`` in ``rel`` (relative to the base folder)."""

    def apply(base: Path) -> None:
        path = base / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{rel}: {old!r} occurs {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return apply


def sub_bytes(rel: str, old: bytes, new: bytes) -> Mutation:
    def apply(base: Path) -> None:
        path = base / rel
        data = path.read_bytes()
        assert data.count(old) == 1, f"{rel}: {old!r} occurs {data.count(old)} times"
        path.write_bytes(data.replace(old, new))

    return apply


def append(rel: str, text: str) -> Mutation:
    def apply(base: Path) -> None:
        path = base / rel
        existing = path.read_text(encoding="utf-8")
        assert existing.endswith("\n")
        path.write_text(existing + text, encoding="utf-8")

    return apply


def new_file(rel: str, content: str | bytes | Callable[[], bytes]) -> Mutation:
    def apply(base: Path) -> None:
        path = base / rel
        assert not path.exists(), f"{rel} already exists"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = content() if callable(content) else content
        if isinstance(body, str):
            path.write_text(body, encoding="utf-8")
        else:
            path.write_bytes(body)

    return apply


def crlf(change: Mutation, rel: str) -> Mutation:
    """``change``, then Windows line endings for the whole file: lines must still be counted right."""

    def apply(base: Path) -> None:
        change(base)
        path = base / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    return apply


def both(*changes: Mutation) -> Mutation:
    """Several changes at once (an unreadable file and an error elsewhere, say)."""

    def apply(base: Path) -> None:
        for change in changes:
            change(base)

    return apply


def reencode(rel: str, encoding: str) -> Mutation:
    """The file saved in another encoding (as a Windows editor may do)."""

    def apply(base: Path) -> None:
        path = base / rel
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return apply


def link_outside(rel: str) -> Mutation:
    """A symbolic link in data/ to a file outside it (a valid data file, to be published)."""

    def apply(base: Path) -> None:
        outside = base / "outside.yml"
        outside.write_text("people:\n  - id: secret-person\n", encoding="utf-8")
        (base / rel).symlink_to(outside)

    return apply


def ten_megabytes() -> bytes:
    line = b"# padding padding padding padding padding padding padding padding padding\n"
    return b"events:\n" + line * (10 * 1024 * 1024 // len(line) + 1)


def alias_bomb() -> str:
    # the "billion laughs": nine levels of nine aliases each
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


def forty_one_words_from_alpha() -> str:
    text = squash((FIXTURE_ARCHIVE / "alpha.txt").read_text(encoding="utf-8"))
    return " ".join(text.split()[:41])


DEPTH = 5000
DEEP_LIST = "[" * DEPTH + "]" * DEPTH
DEEP_MAP = "{a: " * DEPTH + "1" + "}" * DEPTH

PERSON_NAMED_NORTHERN_FRONT = """\
  - id: northern-front
    name: Someone else
    citations:
      - source: alpha-gazette
        quote: The Northern Front
"""
GROUP_WITH_ID_INDEX = """\
  - id: index
    name: Index Group
    kind: armed-group
    citations:
      - source: alpha-gazette
        quote: The Northern Front
"""
EVENT_WITH_TAKEN_ID = """\
  - id: riverton-workers-kidnapping
    date: 2020-03-02
    title: Another event
    type: other
    summary: Something else.
    citations:
      - source: alpha-gazette
        quote: The Northern Front
"""
RELATION = """\
  - id: {id}
    type: {type}
    subject: {subject}
    object: {object}
    citations:
      - source: alpha-gazette
        quote: The Northern Front
"""


# -- the corpus ----------------------------------------------------------------------

G = "data/groups.yml"
P = "data/people.yml"
PL = "data/places.yml"
R = "data/relations.yml"
S = "data/sources.yml"
E19 = "data/events/2019.yml"
E20 = "data/events/2020.yml"


@dataclass(frozen=True)
class Case:
    name: str
    change: Mutation
    #: every error expected, in the reported (sorted) order: (file, line, key phrase)
    errors: tuple[tuple[str, int, str], ...]
    #: also run through the real CLIs (mkdocs build --strict, python -m macros.check)
    cli: bool = False
    #: an engine bug: the case is expected to fail (strict xfail) until it is fixed
    bug: str = ""
    #: "all": every test of the case shows the bug; "exact": only the exact list of errors does
    #: (the real error is still reported, the CLI still fails cleanly)
    bug_scope: str = "all"


CASES: list[Case] = [
    # --- YAML syntax and the YAML features the loader refuses (in an events file: nothing refers to events) --
    Case(
        "yaml-syntax-mapping-value",
        sub(E20, "title: Attack on Riverton market", "title: Attack: on Riverton market"),
        ((E20, 4, "YAML syntax error: mapping values are not allowed"),),
        cli=True,
    ),
    Case(
        "yaml-syntax-unclosed-flow-sequence",
        sub(E20, "places: [riverton]", "places: [riverton"),
        ((E20, 7, "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence"),),
    ),
    Case(
        "yaml-syntax-bad-indentation",
        sub(E20, "    type: attack\n", "      type: attack\n"),
        ((E20, 5, "YAML syntax error: mapping values are not allowed"),),
    ),
    Case(
        "tab-indentation",
        sub(E20, "    type: attack\n", "\ttype: attack\n"),
        ((E20, 5, "YAML syntax error: a tab character is used for indentation"),),
    ),
    Case(
        "duplicate-key-in-record",
        sub(E20, "    type: attack\n", "    type: attack\n    title: Again\n"),
        ((E20, 6, "duplicate key 'title' (first given on line 4)"),),
    ),
    Case(
        "duplicate-top-level-key",
        append(E19, "events: []\n"),
        ((E19, 14, "duplicate key 'events' (first given on line 1)"),),
    ),
    Case(
        "alias-bomb",
        new_file("data/bomb.yml", alias_bomb()),
        (("data/bomb.yml", 1, "anchor '&a' is not allowed"),),
        cli=True,
    ),
    Case(
        "alias-to-undefined-anchor",
        sub(E20, "places: [riverton]", "places: *where"),
        ((E20, 6, "alias '*where' is not allowed"),),
    ),
    Case(
        "anchor-on-a-value",
        sub(E20, "places: [riverton]", "places: &where [riverton]"),
        ((E20, 6, "anchor '&where' is not allowed"),),
    ),
    Case(
        "python-object-tag",
        sub(E20, "title: Attack on Riverton market", 'title: !!python/object/apply:os.system ["echo pwned"]'),
        ((E20, 4, "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),),
    ),
    Case(
        "local-tag",
        sub(E20, "summary: The Northern Front", "summary: !include The Northern Front"),
        ((E20, 17, "tag '!include' is not allowed"),),
    ),
    Case(
        "second-yaml-document",
        append(E19, "---\nevents: []\n"),
        ((E19, 14, "a second YAML document ('---') is not allowed"),),
    ),
    Case(
        "complex-mapping-key",
        sub(E20, "    type: attack\n", "    type: attack\n    ? [a, b]\n    : x\n"),
        ((E20, 6, "a mapping key must be a plain word"),),
    ),
    Case(
        "nul-character",
        sub_bytes(E20, b"title: Attack on Riverton", b"title: Attack on\x00Riverton"),
        ((E20, 4, "control characters are not allowed"),),
    ),
    # --- one unreadable file hides its records: references to them must not all become errors ----------
    Case(
        "yaml-error-in-groups-file",
        sub(G, "name: Northern Front\n", "name: Northern Front: the\n"),
        ((G, 3, "YAML syntax error: mapping values are not allowed"),),
        cli=True,
    ),
    Case(
        "non-utf8-byte-in-people-file",
        sub_bytes(P, b"name: Jane Doe", b"name: Jan\xe9 Doe"),
        ((P, 3, "not valid UTF-8 (byte 0xe9)"),),
    ),
    Case(
        "duplicate-top-level-key-in-sources",
        append(S, "sources: []\n"),
        ((S, 18, "duplicate key 'sources' (first given on line 2)"),),
    ),
    Case(
        # crashed: sorting a FileError among DataErrors
        "groups-file-utf16-and-an-unknown-place",
        both(reencode(G, "utf-16"), sub(E19, "places: [riverton]", "places: [rivertown]")),
        (
            (G, 1, "the file cannot be read: it is saved as UTF-16"),
            (
                G,
                1,
                "while this file cannot be read, 1 referenced id defined nowhere else could not be checked: 'rivertown'",
            ),
        ),
        cli=True,
    ),
    Case(
        "groups-file-utf16-alone",
        reencode(G, "utf-16"),
        ((G, 1, "the file cannot be read: it is saved as UTF-16"),),
    ),
    Case(
        "groups-file-utf16-without-byte-order-mark",
        reencode(G, "utf-16-le"),
        (
            (G, 1, "control characters are not allowed"),
            (
                G,
                1,
                "3 referenced ids defined nowhere else could not be checked: 'desert-brigade', 'northern-front', 'old-movement'",
            ),
        ),
    ),
    Case(
        "groups-file-tab-and-an-unknown-place",
        both(
            sub(G, "    kind: armed-group\n", "\tkind: armed-group\n"),
            sub(E19, "places: [riverton]", "places: [rivertown]"),
        ),
        (
            (G, 38, "a tab character is used for indentation"),
            (G, 38, "1 referenced id defined nowhere else could not be checked: 'rivertown'"),
        ),
    ),
    Case(
        "symlink-to-a-file-outside-data",
        link_outside("data/leak.yml"),
        (("data/leak.yml", 1, "is a symbolic link to a file outside the data folder"),),
        cli=True,
    ),
    Case(
        "unclosed-quote-reported-where-it-opens",
        sub(E20, "title: Attack on Riverton market", 'title: "Attack on Riverton market'),
        ((E20, 4, "the quotation mark opened on this line is not closed where the text ends"),),
        cli=True,
    ),
    Case(
        "unclosed-quote-at-the-end-of-a-file",
        sub(E19, "quote: In 2019 gunmen", 'quote: "In 2019 gunmen'),
        ((E19, 13, "the quotation mark opened on this line is never closed"),),
    ),
    # --- the shape of a file ---------------------------------------------------------------
    Case("empty-file", new_file("data/events/2021.yml", ""), (("data/events/2021.yml", 1, "file is empty"),)),
    Case(
        "comments-only-file",
        new_file("data/events/2021.yml", "# nothing yet\n# still nothing\n"),
        (("data/events/2021.yml", 1, "file is empty"),),
    ),
    Case(
        "file-is-a-list",
        new_file("data/extra.yml", "- id: x\n  name: y\n"),
        (("data/extra.yml", 1, "the file is a list; it must be a mapping"),),
    ),
    Case(
        "file-is-a-scalar",
        new_file("data/extra.yml", "just some text\n"),
        (("data/extra.yml", 1, "the file is a single value; it must be a mapping"),),
    ),
    Case(
        "non-utf8-byte",
        sub_bytes(E20, b"title: Attack on Riverton", b"title: Attack on Rivert\xf3n"),
        ((E20, 4, "not valid UTF-8 (byte 0xf3)"),),
        cli=True,
    ),
    Case(
        "utf16-file",
        new_file("data/extra.yml", "people: []\n".encode("utf-16")),
        (("data/extra.yml", 1, "the file cannot be read: it is saved as UTF-16"),),
    ),
    Case(
        "ten-megabyte-file",
        new_file("data/events/big.yml", ten_megabytes),
        (("data/events/big.yml", 1, "file is 10.0 MB, over the 4 MB limit"),),
        cli=True,
    ),
    Case(
        "deeply-nested-list",
        sub(P, "summary: Founder and leader of the Northern Front.", f"summary: {DEEP_LIST}"),
        ((P, 5, "'summary' must be text, not a list"),),
    ),
    Case(
        "deeply-nested-mapping",
        sub(P, "summary: Founder and leader of the Northern Front.", f"summary: {DEEP_MAP}"),
        ((P, 5, "'summary' must be text, not a mapping"),),
    ),
    Case(
        "unknown-kind", sub(E19, "events:\n", "event:\n"), ((E19, 1, "unknown kind 'event' (did you mean 'events'?)"),)
    ),
    Case(
        "two-kinds-in-one-file",
        append(P, "groups: []\n"),
        ((P, 1, "a data file holds one kind of record, this one has 2 keys"),),
    ),
    Case(
        "kind-is-not-a-list",
        new_file("data/extra.yml", "events:\n  id: x\n"),
        (("data/extra.yml", 1, "'events' must be a list of records"),),
    ),
    Case(
        "record-is-not-a-mapping",
        sub(E19, "events:\n", "events:\n  - just text\n"),
        ((E19, 2, "each event must be a mapping of fields, not str"),),
    ),
    # --- types and fields ----------------------------------------------------------------------
    Case(
        "wrong-type-list-for-text",
        sub(G, "name: Northern Front\n", "name: [a, b]\n"),
        ((G, 3, "'name' must be text, not a list"),),
    ),
    Case(
        "wrong-type-number-for-text",
        sub(G, "name: Northern Front\n", "name: 2012\n"),
        ((G, 3, "'name' must be text, not a number: quote it"),),
    ),
    Case(
        "wrong-type-text-for-bool",
        sub(P, "    aliases: [J. Doe]\n", "    aliases: [J. Doe]\n    unnamed: maybe\n"),
        ((P, 5, "'unnamed' must be true or false"),),
    ),
    Case(
        "wrong-type-text-for-count",
        sub(E20, "killed: 4", "killed: four"),
        ((E20, 12, "'casualties[0].killed': 'four' is not a count"),),
    ),
    Case(
        "fractional-count",
        sub(E20, "wounded: 7", "wounded: 6.5"),
        ((E20, 16, "'casualties[2].wounded': 6.5 is not a count"),),
    ),
    Case(
        "wrong-type-float-for-date",
        sub(E20, "date: 2020-03-01", "date: 2020.5"),
        ((E20, 3, "'date': a date must be text"),),
    ),
    Case(
        "unknown-field",
        sub(G, "    kind: armed-group\n", "    kind: armed-group\n    colour: red\n"),
        ((G, 39, "unknown field 'colour'"),),
    ),
    Case(
        "misspelt-required-field",
        sub(E20, "    title: Attack", "    titel: Attack"),
        ((E20, 2, "missing required field 'title'"), (E20, 4, "unknown field 'titel' (did you mean 'title'?)")),
    ),
    Case(
        "unknown-field-in-citation",
        sub(E20, "locator: paragraph 2", "locater: paragraph 2"),
        ((E20, 21, "unknown field 'citations[0].locater' (did you mean 'locator'?)"),),
    ),
    Case("bad-enum", sub(G, "kind: jihadist-group", "kind: jihadist"), ((G, 6, "'kind' is 'jihadist', not one of:"),)),
    Case(
        "bad-language-code",
        sub(S, "    language: en\n    url:", "    language: English\n    url:"),
        ((S, 8, "'language' is 'English', which does not have the expected form"),),
    ),
    Case("empty-title", sub(E20, "title: Attack on Riverton market", 'title: ""'), ((E20, 4, "'title' is empty"),)),
    Case(
        "title-too-long",
        sub(E20, "title: Attack on Riverton market", "title: " + "x" * 301),
        ((E20, 4, "'title' is too long (301 characters, at most 300)"),),
    ),
    Case(
        "summary-of-a-megabyte",
        sub(E20, "summary: The Northern Front", "summary: " + "word " * 200_000 + "The"),
        ((E20, 17, "'summary' is too long"),),
    ),
    Case(
        "coordinates-out-of-range",
        sub(PL, "{lat: 16.5, lon: -3.0}", "{lat: 95, lon: -3.0}"),
        ((PL, 13, "'coords.lat' is 95"),),
    ),
    # --- citations and quotes ------------------------------------------------------------------
    Case(
        "missing-citations",
        sub(
            P,
            "    citations:\n      - source: alpha-gazette\n"
            '        quote: "Its leader, Jane Doe, founded the group in 2012."\n',
            "",
        ),
        ((P, 2, "missing 'citations'"),),
    ),
    Case(
        "empty-citations",
        sub(
            P,
            "    citations:\n      - source: alpha-gazette\n"
            '        quote: "Its leader, Jane Doe, founded the group in 2012."\n',
            "    citations: []\n",
        ),
        ((P, 6, "'citations' is empty"),),
    ),
    Case(
        "unknown-source",
        sub(P, "source: alpha-gazette", "source: alpha-gazete"),
        ((P, 7, "unknown source 'alpha-gazete' (did you mean 'alpha-gazette'?)"),),
    ),
    Case(
        "citation-names-a-group",
        sub(P, "source: alpha-gazette", "source: northern-front"),
        ((P, 7, "'northern-front' is a group, not a source"),),
    ),
    Case(
        "quote-not-in-source",
        sub(P, "Its leader, Jane Doe, founded", "Its leader, John Doe, founded"),
        ((P, 8, "quote not found verbatim in source 'alpha-gazette'"),),
        cli=True,
    ),
    Case(
        "quote-over-40-words",
        sub(P, '"Its leader, Jane Doe, founded the group in 2012."', f'"{forty_one_words_from_alpha()}"'),
        ((P, 8, "'citations[0].quote': quote is 41 words long; quote at most 40 words"),),
    ),
    Case(
        "archive-file-missing",
        sub(S, "archive: beta.txt", "archive: gone.txt"),
        ((S, 17, "archive file 'gone.txt' is not in"),),
        cli=True,
    ),
    Case(
        "archive-file-missing-counts-its-quotes",
        sub(S, "archive: beta.txt", "archive: gone.txt"),
        ((S, 17, "the 4 quotes citing this source cannot be checked"),),
    ),
    Case(
        "quote-not-found-shows-nearest-passage",
        sub(P, "Its leader, Jane Doe, founded", "Its leader, Jane Doe, created"),
        ((P, 8, 'nearest passage: "Its leader, Jane Doe, founded the group in 2012."'),),
    ),
    Case(
        "archive-path-traversal",
        sub(S, "archive: alpha.txt", "archive: ../archive/alpha.txt"),
        ((S, 10, "'archive' is '../archive/alpha.txt', which does not have the expected form"),),
    ),
    Case(
        "archive-text-not-utf8",
        sub_bytes("archive/beta.txt", b"Beta Review", b"B\xe9ta Review"),
        ((S, 17, "not valid UTF-8"),),
        cli=True,
    ),
    # --- references of every kind ------------------------------------------------------------
    Case(
        "dangling-event-place",
        sub(E19, "places: [riverton]", "places: [rivertown]"),
        ((E19, 6, "unknown place 'rivertown' (did you mean 'riverton'?)"),),
    ),
    Case(
        "dangling-actor-group",
        sub(E19, "group: desert-brigade", "group: desert-brigde"),
        ((E19, 8, "unknown group 'desert-brigde' (did you mean 'desert-brigade'?)"),),
        cli=True,
    ),
    Case(
        "dangling-actor-person",
        sub(E20, "- group: northern-front", "- person: john-doe"),
        ((E20, 8, "unknown person 'john-doe'"),),
    ),
    Case(
        "dangling-relation-subject",
        sub(
            R,
            "subject: jane-doe\n    object: northern-front\n    citations:",
            "subject: jane-dough\n    object: northern-front\n    citations:",
        ),
        ((R, 12, "unknown group or person 'jane-dough' (did you mean 'jane-doe'?)"),),
    ),
    Case(
        "dangling-relation-object",
        sub(R, "object: old-movement", "object: old-movment"),
        ((R, 5, "unknown group 'old-movment' (did you mean 'old-movement'?)"),),
    ),
    Case(
        "dangling-place-within",
        sub(PL, "within: northland", "within: southland"),
        ((PL, 12, "unknown place 'southland'"),),
    ),
    Case(
        "dangling-fact-about",
        sub(G, "about: [riverton]", "about: [riverside]"),
        ((G, 23, "unknown group or person or place or event 'riverside'"),),
    ),
    Case(
        "event-place-is-a-group",
        sub(E19, "places: [riverton]", "places: [desert-brigade]"),
        ((E19, 6, "'desert-brigade' is a group, not a place (as 'places[0]' needs)"),),
    ),
    Case(
        "actor-group-is-a-place",
        sub(E19, "group: desert-brigade", "group: riverton"),
        ((E19, 8, "'riverton' is a place, not a group (as 'actors[0].group' needs)"),),
    ),
    Case(
        "relation-wrong-subject-kind",
        sub(
            R,
            "subject: jane-doe\n    object: northern-front\n    citations:",
            "subject: desert-brigade\n    object: northern-front\n    citations:",
        ),
        ((R, 12, "'leader-of' needs a person as subject, but 'desert-brigade' is a group"),),
    ),
    Case(
        "relation-object-is-a-person",
        sub(R, "object: desert-brigade", "object: jane-doe"),
        ((R, 28, "'jane-doe' is a person, not a group (as 'object' needs)"),),
    ),
    Case(
        "relation-to-itself",
        sub(R, "object: desert-brigade", "object: northern-front"),
        ((R, 25, "a relation links two different records"),),
    ),
    Case(
        "place-within-itself",
        sub(PL, "within: northland", "within: riverton"),
        ((PL, 12, "a place cannot lie within itself"),),
    ),
    Case(
        "crlf-file-with-dangling-place",
        crlf(sub(E19, "places: [riverton]", "places: [rivertown]"), E19),
        ((E19, 6, "unknown place 'rivertown'"),),
    ),
    # --- ids -------------------------------------------------------------------------------------
    Case(
        "duplicate-id-across-kinds",
        append(P, PERSON_NAMED_NORTHERN_FRONT),
        ((P, 9, "id 'northern-front' is already used by group at data/groups.yml:2"),),
        cli=True,
    ),
    Case(
        "duplicate-id-across-files",
        append(E20, EVENT_WITH_TAKEN_ID),
        ((E20, 24, "id 'riverton-workers-kidnapping' is already used by event at data/events/2019.yml:2"),),
    ),
    Case(
        "reserved-id-index",
        append(G, GROUP_WITH_ID_INDEX),
        ((G, 42, "'index'"),),
        cli=True,
    ),
    Case(
        "bad-id",
        sub(E19, "id: riverton-workers-kidnapping", "id: Riverton_Workers"),
        ((E19, 2, "'id' is 'Riverton_Workers', not a valid id"),),
    ),
    Case(
        "id-too-long",
        sub(E19, "id: riverton-workers-kidnapping", "id: " + "-".join(["abcdefghi"] * 9)),
        ((E19, 2, "'id' is too long (89 characters, at most 80)"),),
    ),
    # --- dates -------------------------------------------------------------------------------------
    Case(
        "invalid-date-feb-30",
        sub(E20, "date: 2020-03-01", "date: 2015-02-30"),
        ((E20, 3, "'date': '2015-02-30' is not a real calendar date"),),
    ),
    Case(
        "invalid-month",
        sub(E20, "date: 2020-03-01", "date: 2020-13-01"),
        ((E20, 3, "'date': '2020-13-01' is not a real calendar date"),),
    ),
    Case(
        "date-in-words",
        sub(E20, "date: 2020-03-01", "date: 1 March 2020"),
        ((E20, 3, "'date': '1 March 2020' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),),
    ),
    Case(
        "date-range-ends-before-start",
        sub(E20, "date: 2020-03-01", "date: 2020/2019"),
        ((E20, 3, "'date': '2020/2019' ends before it starts"),),
    ),
    Case(
        "relation-end-before-start",
        sub(
            R,
            "    start: 2012\n    citations:\n      - source: alpha-gazette\n        quote: split from",
            "    start: 2012\n    end: 2010\n    citations:\n      - source: alpha-gazette\n        quote: split from",
        ),
        ((R, 7, "ends (2010) before it starts (2012)"),),
    ),
    Case(
        "date-year-0000",
        sub(E20, "date: 2020-03-01", "date: 0000"),
        ((E20, 3, "'0000' is not a date: the year must be 1–9999"),),
        cli=True,
    ),
    Case(
        "date-year-0000-quoted",
        sub(E20, "date: 2020-03-01", 'date: "0000-03"'),
        ((E20, 3, "'0000-03' is not a date: the year must be 1–9999"),),
    ),
    Case(
        "date-five-digit-year",
        sub(E20, "date: 2020-03-01", "date: 20200-03-01"),
        ((E20, 3, "the year must be 1–9999"),),
    ),
    # (each of the next dates crashed a build: the day after 9999-12-31 does not exist)
    Case(
        "event-dated-9999-12",
        sub(E20, "date: 2020-03-01", "date: 9999-12"),
        ((E20, 3, "'date' is 9999-12, after today"),),
        cli=True,
    ),
    Case(
        "range-open-after-9999-12",
        sub(E20, "date: 2020-03-01", "date: 9999-12/.."),
        ((E20, 3, "'date' is 9999-12/.., after today"),),
    ),
    Case(
        "fact-as-of-9999-12",
        sub(G, '        value: "2012"\n', '        value: "2012"\n        as_of: 9999-12\n'),
        ((G, 11, "'facts[0].as_of' is 9999-12, after today"),),
    ),
    Case(
        "relation-ends-9999-12",
        sub(
            R,
            "    start: 2012\n    citations:\n      - source: alpha-gazette\n        quote: split from",
            "    start: 2012\n    end: 9999-12\n    citations:\n      - source: alpha-gazette\n        quote: split from",
        ),
        ((R, 7, "'end' is 9999-12, after today"),),
    ),
    # --- dates in the future: the wiki records what happened ---------------------------------------
    Case(
        "event-in-the-future",
        sub(E20, "date: 2020-03-01", "date: 2099-01-01"),
        ((E20, 3, "'date' is 2099-01-01, after today"),),
        cli=True,
    ),
    Case(
        "source-published-in-the-future",
        sub(S, "published: 2020-03-03", "published: 2090-03-03"),
        ((S, 7, "'published' is 2090-03-03, after today"),),
    ),
    Case(
        # passed the check, then crashed the build writing sitemap.xml.gz after wiping the site
        "added-after-2106",
        sub(G, "    kind: armed-group\n", "    kind: armed-group\n    added: 2107-01-01\n"),
        ((G, 39, "'added' is 2107-01-01, after today"),),
        cli=True,
    ),
    Case(
        "updated-in-the-future",
        sub(E19, "    date: 2019\n", "    date: 2019\n    updated: 2999-01-01\n"),
        ((E19, 4, "'updated' is 2999-01-01, after today"),),
    ),
    # --- cycles: a group cannot descend from itself, a place cannot lie within itself ---------------
    Case(
        "split-from-both-ways",
        append(
            R,
            RELATION.format(id="old-split-from-nf", type="split-from", subject="old-movement", object="northern-front"),
        ),
        ((R, 34, "the 'split-from' relations form a loop: northern-front → old-movement → northern-front"),),
        cli=True,
    ),
    Case(
        "merged-into-three-way-loop",
        append(
            R,
            RELATION.format(id="nf-into-om", type="merged-into", subject="northern-front", object="old-movement")
            + RELATION.format(id="om-into-db", type="merged-into", subject="old-movement", object="desert-brigade")
            + RELATION.format(id="db-into-nf", type="merged-into", subject="desert-brigade", object="northern-front"),
        ),
        (
            (
                R,
                48,
                "'merged-into' relations form a loop: desert-brigade → northern-front → old-movement → desert-brigade",
            ),
        ),
    ),
    Case(
        "successor-of-both-ways",
        append(
            R,
            RELATION.format(id="db-after-om", type="successor-of", subject="desert-brigade", object="old-movement")
            + RELATION.format(id="om-after-db", type="successor-of", subject="old-movement", object="desert-brigade"),
        ),
        ((R, 41, "'successor-of' relations form a loop"),),
    ),
    Case(
        "place-within-loop",
        sub(PL, "    kind: country\n", "    kind: country\n    within: riverton\n"),
        ((PL, 13, "'within' goes round in a loop: northland → riverton → northland"),),
        cli=True,
    ),
    # --- figures -----------------------------------------------------------------------------------
    Case(
        "negative-casualties",
        sub(E20, "killed: 4", "killed: -4"),
        ((E20, 12, "'casualties[0].killed': -4 is not a count"),),
    ),
    Case(
        "absurd-casualty-count",
        sub(E20, "killed: 4", "killed: " + "1" + "0" * 30),
        ((E20, 12, "is not a plausible count (at most 100,000 here)"),),
        cli=True,
    ),
    Case(
        "absurd-casualty-range",
        sub(E20, "killed: 4", "killed: {min: 4, max: 4000000}"),
        ((E20, 12, "4,000,000 is not a plausible count"),),
    ),
    Case(
        "absurd-figure",
        sub(
            E19,
            "    summary: Gunmen",
            "    figures:\n      - measure: ransom\n        value: 10000000000000\n    summary: Gunmen",
        ),
        ((E19, 12, "10,000,000,000,000 is not a plausible count (at most 1,000,000,000,000 here)"),),
    ),
    Case(
        "casualty-range-min-over-max",
        sub(E20, "killed: 4", "killed: {min: 5, max: 3}"),
        ((E20, 12, "'casualties[0].killed': range min 5 is larger than max 3"),),
    ),
    Case(
        "casualties-without-figures",
        sub(E20, "      - category: unspecified\n        wounded: 7\n", "      - category: unspecified\n"),
        ((E20, 15, "'casualties[2]': give 'killed' or 'wounded' (or both)"),),
    ),
    Case(
        "actor-with-group-and-person",
        sub(E20, "      - group: northern-front\n", "      - group: northern-front\n        person: jane-doe\n"),
        ((E20, 8, "'actors[0]': an actor names exactly one of 'group' or 'person'"),),
    ),
    # --- URLs --------------------------------------------------------------------------------------
    Case(
        "javascript-url",
        sub(S, "url: https://alpha.example.org/riverton", "url: javascript:alert(1)"),
        ((S, 9, "'url' is 'javascript:alert(1)': only http:// and https:// addresses are allowed"),),
    ),
    Case(
        "data-url",
        sub(S, "url: https://alpha.example.org/riverton", 'url: "data:text/html,<script>alert(1)</script>"'),
        ((S, 9, "only http:// and https:// addresses are allowed"),),
    ),
    Case(
        "url-breaking-out-of-attribute",
        sub(
            S, "url: https://alpha.example.org/riverton", "url: 'https://alpha.example.org/x\" onmouseover=\"alert(1)'"
        ),
        ((S, 9, "only http:// and https:// addresses are allowed"),),
    ),
]

#: the ids shown by pytest: the position in the corpus, the corpus size and the case name
CASE_IDS = [f"{n:02d}of{len(CASES)}-{case.name}" for n, case in enumerate(CASES, start=1)]
CLI_CASES = [(case_id, case) for case_id, case in zip(CASE_IDS, CASES, strict=True) if case.cli]


def params(cases: list[tuple[str, Case]], *, exact: bool) -> list[object]:
    """pytest params; cases with a known engine bug are strict xfails where the bug shows."""
    out = []
    for case_id, case in cases:
        shows = bool(case.bug) and (exact or case.bug_scope == "all")
        marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if shows else []
        out.append(pytest.param(case, id=case_id, marks=marks))
    return out


def test_corpus_size() -> None:
    assert len(CASES) >= 40
    assert len(set(CASE_IDS)) == len(CASES)
    assert len(CLI_CASES) >= 5


def make_base(tmp_path: Path, case: Case) -> Path:
    """A fresh copy of the fixture knowledge base with the case's one change."""
    base = tmp_path / "kb"
    shutil.copytree(FIXTURE_DATA, base / "data")
    shutil.copytree(FIXTURE_ARCHIVE, base / "archive")
    case.change(base)
    return base


def test_fixture_copy_is_valid(tmp_path: Path) -> None:
    """The starting point is clean, so every error below comes from the one change."""
    base = make_base(tmp_path, Case("unchanged", lambda _base: None, ()))
    build_index(base / "data", base, base / "archive")


LINE_FORMAT = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+): (?:(?P<record>[a-z]+ (?:'[^']*'|at line \d+)): )?(?P<message>.+)$"
)


def errors_of(tmp_path: Path, case: Case) -> DataErrors:
    base = make_base(tmp_path, case)
    with pytest.raises(DataErrors) as caught:
        build_index(base / "data", base, base / "archive")
    return caught.value


@pytest.mark.parametrize("case", params(list(zip(CASE_IDS, CASES, strict=True)), exact=True))
def test_in_process(tmp_path: Path, case: Case) -> None:
    """Exactly the expected errors: file, line and a key phrase of each message."""
    caught = errors_of(tmp_path, case)
    errors: list[DataError] = caught.errors
    got = [(e.path, e.line, e.message) for e in errors]
    assert len(errors) == len(case.errors), f"expected {len(case.errors)} error(s), got:\n" + caught.report()
    for (path, line, message), (want_path, want_line, phrase) in zip(got, case.errors, strict=True):
        assert (path, line) == (want_path, want_line), caught.report()
        assert phrase in message, caught.report()
    for error in errors:
        text = str(error)
        assert "\n" not in text, text
        match = LINE_FORMAT.match(text)
        assert match, f"not 'path:line: record: message': {text!r}"


# -- the real command lines ----------------------------------------------------------------


def cli_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        WIKI_DATA=str(base / "data"),
        WIKI_ARCHIVE=str(base / "archive"),
        NO_MKDOCS_2_WARNING="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_reported(output: str, case: Case) -> None:
    assert "Traceback" not in output, output
    for rel, line, _phrase in case.errors:
        pattern = rf"^.*{re.escape(rel)}:{line}: "
        assert re.search(pattern, output, re.MULTILINE), f"no line matching {pattern!r} in:\n{output}"


@pytest.mark.build
@pytest.mark.parametrize("case", params(CLI_CASES, exact=False))
def test_cli_mkdocs_build(tmp_path: Path, case: Case) -> None:
    base = make_base(tmp_path, case)
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "MARKER.txt").write_text("built before; must survive a failed build\n", encoding="utf-8")
    (site / "old" / "index.html").write_bytes(b"<h1>previous build</h1>\n")
    before = snapshot(site)
    proc = subprocess.run(
        [str(DOCS_CLI), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=cli_env(base),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert_reported(output, case)
    assert snapshot(site) == before, "the failed build changed the existing site folder"


@pytest.mark.parametrize("case", params(CLI_CASES, exact=False))
def test_cli_check(tmp_path: Path, case: Case) -> None:
    base = make_base(tmp_path, case)
    proc = subprocess.run(
        [sys.executable, "-m", "macros.check", "--data", str(base / "data"), "--archive", str(base / "archive")],
        cwd=ROOT,
        env=cli_env(base),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert_reported(output, case)
    assert "data errors: the data does not pass the check" in output or "1 data error: the data" in output, output
    # every reported error line has the documented shape (absolute paths: data is outside the project)
    lines = [line for line in proc.stderr.splitlines() if re.match(r"^\S+:\d+: ", line)]
    assert lines, output
    if not case.bug:
        assert len(lines) == len(case.errors), output


def test_check_says_how_many_quotes_it_could_not_check(tmp_path: Path) -> None:
    """A source without an archived text: its quotes are counted as not checked, never as found."""
    base = make_base(tmp_path, Case("no-archive", sub(S, "    archive: beta.txt\n", ""), ()))
    proc = subprocess.run(
        [sys.executable, "-m", "macros.check", "--data", str(base / "data"), "--archive", str(base / "archive")],
        cwd=ROOT,
        env=cli_env(base),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "quotes: 12 checked, every one found verbatim in its source; 4 not checked\n" in proc.stdout
    assert proc.stderr == (
        "warning: 4 quotes could not be checked: no archive file for beta-review (4); add 'archive:' to these sources\n"
    )


def test_the_last_day_a_date_can_mean_is_computed_without_overflow() -> None:
    """`9999-12` crashed the sort (the day after 31 December 9999 does not exist)."""
    import datetime

    from macros.dates import parse_date

    for text in ("9999-12", "9999", "9999-12-31", "9999-11", "2015-12"):
        date = parse_date(text)
        assert date.latest >= date.earliest
    assert parse_date("9999-12").latest == datetime.date(9999, 12, 31)
    assert parse_date("2015-02").latest == datetime.date(2015, 2, 28)

"""Shared fixtures: the fixture knowledge base and record builders."""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from macros.index import Index
from macros.model import Event, Group, Person, Place, Relation, Source
from macros.validate import KnowledgeBase
from macros.wiki import build_index

# Under ProperDocs (the fork of MkDocs 1.6 that tools/properdocs-check builds with), `mkdocs`
# is not installed and ProperDocs answers its imports, as its own command line does.
if importlib.util.find_spec("mkdocs") is None and importlib.util.find_spec("properdocs") is not None:
    import properdocs.replacement  # noqa: F401

    # and, as its command line does, what is logged as "mkdocs.*" reaches its loggers (and --strict)
    logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")

ROOT = Path(__file__).resolve().parent.parent
#: The command line that builds the site: mkdocs, or properdocs where it stands in for it.
DOCS_CLI = next(
    (p for p in (Path(sys.executable).parent / n for n in ("mkdocs", "properdocs")) if p.exists()),
    Path(sys.executable).parent / "mkdocs",
)
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"
FIXTURE_DATA = FIXTURE_KB / "data"
FIXTURE_ARCHIVE = FIXTURE_KB / "archive"
REAL_DATA = ROOT / "data"
IN_CI = os.environ.get("CI") == "1" or os.environ.get("WIKI_REQUIRE_ARCHIVE") == "1"


@pytest.fixture(scope="session")
def fixture_index() -> Index:
    return build_index(FIXTURE_DATA, FIXTURE_KB)


# -- builders: a valid record with any field overridden ----------------------

CITE = [{"source": "src", "quote": "a quote"}]


def make_source(**overrides: Any) -> Source:
    fields: dict[str, Any] = {
        "id": "src",
        "title": "A source",
        "publisher": "Pub",
        "published": "2015-08-12",
        "language": "en",
    }
    return Source.model_validate(fields | overrides)


def make_group(**overrides: Any) -> Group:
    fields: dict[str, Any] = {"id": "grp", "name": "A group", "kind": "jihadist-group", "citations": CITE}
    return Group.model_validate(fields | overrides)


def make_person(**overrides: Any) -> Person:
    fields: dict[str, Any] = {"id": "someone", "name": "Some One", "citations": CITE}
    return Person.model_validate(fields | overrides)


def make_place(**overrides: Any) -> Place:
    fields: dict[str, Any] = {"id": "town", "name": "A town", "kind": "town", "citations": CITE}
    return Place.model_validate(fields | overrides)


def make_event(**overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "id": "evt",
        "date": "2015-08-07",
        "title": "An event",
        "type": "attack",
        "summary": "Something happened.",
        "citations": CITE,
    }
    return Event.model_validate(fields | overrides)


def make_relation(**overrides: Any) -> Relation:
    fields: dict[str, Any] = {"id": "rel", "type": "allied-with", "subject": "grp", "object": "grp2", "citations": CITE}
    return Relation.model_validate(fields | overrides)


def make_index(*records: Any, sources: tuple[Source, ...] | None = None) -> Index:
    """An index over the given records plus the default source."""
    by_kind: dict[str, list[Any]] = {}
    for record in records:
        by_kind.setdefault(record.KIND, []).append(record)
    kb = KnowledgeBase(
        sources=sources if sources is not None else (make_source(),),
        groups=tuple(by_kind.get("group", ())),
        people=tuple(by_kind.get("person", ())),
        places=tuple(by_kind.get("place", ())),
        events=tuple(by_kind.get("event", ())),
        relations=tuple(by_kind.get("relation", ())),
    )
    return Index(kb)


# -- a real build of the fixture knowledge base, shared by end-to-end tests ------


def reproducible(rel: str) -> bool:
    """Whether a site file is the same, byte for byte, in every build of the same pages: all
    but Pagefind's filter and metadata indexes and the entry file that names them, which
    Pagefind 1.5 still writes in an arbitrary order (its issue #638: the page fragments,
    most of its files, are stable since 1.3)."""
    name = rel.rpartition("/")[2]
    return not (
        rel.startswith("pagefind/filter/") or name.endswith(".pf_meta") or rel == "pagefind/pagefind-entry.json"
    )


def build_site(site_dir: Path, data_dir: Path = FIXTURE_DATA, archive: Path = FIXTURE_ARCHIVE, **wiki: Any) -> None:
    """Build the wiki with MkDocs in-process, strict, into ``site_dir``; ``wiki`` adds settings
    to ``extra.wiki`` (``jobs=1``, say)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = os.environ.get("WIKI_ARCHIVE")
    os.environ["WIKI_ARCHIVE"] = str(archive)  # the archive setting wins over mkdocs.yml's
    try:
        config = load_config(
            config_file=str(ROOT / "mkdocs.yml"),
            site_dir=str(site_dir),
            strict=True,
            extra={"wiki": {"data_dir": str(data_dir), "archive_dir": str(archive), **wiki}},
        )
        build(config)
    finally:
        if saved is None:
            os.environ.pop("WIKI_ARCHIVE", None)
        else:
            os.environ["WIKI_ARCHIVE"] = saved


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture knowledge base built once per test session; returns the site folder."""
    site = tmp_path_factory.mktemp("site")
    build_site(site)
    return site


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline edition of the real data (macros/offline.py, as `make offline` makes it),
    unzipped: its ``sahel-wiki`` folder."""
    import zipfile

    from macros.offline import FOLDER, build_edition

    tmp = tmp_path_factory.mktemp("offline")
    archive = ROOT.parent / "shared" / "sources"
    env = dict(os.environ, WIKI_DATA=str(REAL_DATA), NO_MKDOCS_2_WARNING="1")
    env["WIKI_ARCHIVE"] = str(archive if archive.is_dir() else tmp / "no-archive")
    edition = build_edition(ROOT, tmp / "sahel-wiki-offline.zip", env)
    with zipfile.ZipFile(edition.path) as unzipped:
        unzipped.extractall(tmp / "unzipped")
    return tmp / "unzipped" / FOLDER

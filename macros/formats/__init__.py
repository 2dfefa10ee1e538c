"""Downloads shaped for researchers' tools, each made by a pure function of the index.

* :mod:`.bibliography`: ``sources.bib`` (BibTeX), ``sources.json`` (CSL-JSON), ``sources.ris``;
* :mod:`.geo`: ``places.geojson`` and ``events.geojson`` (RFC 7946);
* :mod:`.fieldcsv`: ``events-acled-style.csv`` and ``events-ucdp-style.csv``;
* :mod:`.sqlite`: ``sahel-wiki.sqlite`` and its Datasette ``metadata.json``;
* :mod:`.atom`: ``feed/atom.xml``, the update feed (Atom 1.0);
* :mod:`.meta`: the Highwire ``citation_*``, Dublin Core and Open Graph tags of every page.

:func:`research_files` names every file (path under the site → a function that makes it),
so that the hook registers them at once and each is made only where it is written.
No MkDocs imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..index import Index
from ..schema import SCHEMA_DIR
from . import atom, bibliography, fieldcsv, geo, sqlite
from .atom import FEED_PATH, FEED_SITEMAP

#: Hand-written JSON Schemas of the JSON outputs above (schema/), published beside the data's.
SCHEMAS = ("csl-data.schema.json", "geojson.schema.json", "datasette-metadata.schema.json")


def research_files(index: Index, site_url: str) -> dict[str, Callable[[], str | bytes]]:
    """Path under the site → a function that makes the file (text, or bytes for SQLite)."""
    files: dict[str, Callable[[], str | bytes]] = {
        "downloads/sources.bib": partial(bibliography.bibtex, index, site_url),
        "downloads/sources.json": partial(bibliography.csl_json, index, site_url),
        "downloads/sources.ris": partial(bibliography.ris, index, site_url),
        "downloads/places.geojson": partial(geo.places_geojson, index, site_url),
        "downloads/events.geojson": partial(geo.events_geojson, index, site_url),
        "downloads/csv/events-acled-style.csv": partial(fieldcsv.acled_csv, index, site_url),
        "downloads/csv/events-ucdp-style.csv": partial(fieldcsv.ucdp_csv, index, site_url),
        "downloads/sahel-wiki.sqlite": partial(sqlite.database, index, site_url),
        "downloads/metadata.json": partial(sqlite.datasette_metadata, index, site_url),
        FEED_PATH: partial(atom.feed, index, site_url),
    }
    for name in SCHEMAS:
        files[f"downloads/schema/{name}"] = partial(_read, SCHEMA_DIR / name)
    return files


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_SIZE_MARK = re.compile(r'<span class="wiki-size" data-file="([^"<>]+)">[^<]*</span>')


def size_text(size: int) -> str:
    """'812 bytes', '14 KB', '2.3 MB' (1 KB = 1,000 bytes, as file managers count today),
    with a no-break space."""
    if size < 1000:
        return f"{size}\u00a0bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f}\u00a0KB"
    return f"{size / 1_000_000:.1f}\u00a0MB"


def fill_sizes(html: str, size_of: Callable[[str], int | None]) -> str:
    """Write each file's size into the downloads page's ``<span class="wiki-size" data-file=…>``
    marks (a file that is not there keeps the mark's own text)."""

    def fill(match: re.Match[str]) -> str:
        size = size_of(match[1])
        if size is None:
            return match[0]
        return f'<span class="wiki-size" data-file="{match[1]}">{size_text(size)}</span>'

    return _SIZE_MARK.sub(fill, html)


__all__ = ["FEED_PATH", "FEED_SITEMAP", "fill_sizes", "research_files", "size_text"]

"""Search: what each page tells the search index, the Pagefind run after the build, and the
small title index that the offline edition searches instead. No MkDocs imports.

Pagefind (https://pagefind.app) indexes the built HTML into chunks that the browser fetches
per query, so no visitor downloads the whole index. The page template
(``overrides/main.html``) marks the article body ``data-pagefind-body`` and writes the
:class:`PageSearch` of each page into it: the names and aliases of an entity as weighted
text (an alias finds its entity first), and the facets (``data-pagefind-filter``), the date
to sort by (``data-pagefind-sort``) and the result line's metadata (``data-pagefind-meta``).

From ``file://`` a browser cannot fetch Pagefind's chunks, so the offline edition carries
:func:`offline_index_js` instead: titles, names, a summary and the same facets of every
record's page, in one script the search box loads when it opens.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .export import search_terms
from .index import Index, primary_year
from .model import Event, Relation, Source
from .render.text import label

#: Facet keys (``data-pagefind-filter`` names and URL parameters) and their labels.
FACETS = {"kind": "Kind", "year": "Year", "group": "Group involved", "type": "Event type"}
KIND_LABELS = {
    "group": "Group",
    "person": "Person",
    "place": "Place",
    "event": "Event",
    "source": "Source",
    "year": "Year",
}
#: Parts of an article that are not its text: permalink marks, footnote marks and back-links
#: (Pagefind leaves out SVG drawings, nav, forms and scripts by itself; the "Cite this" boxes
#: are marked data-pagefind-ignore).
EXCLUDE_SELECTORS = ".headerlink, .footnote-ref, .footnote-backref, .wiki-map-figure"
#: Generated pages that only list what the record pages say (chronology, the indexes of each
#: kind, contested facts, map, relations, statistics, what's new): left out of the index, so a
#: query finds the record itself rather than every list that names it (and these long pages
#: no longer swell the index chunks and result fragments a first search loads).
LISTING_KINDS = frozenset({"index", "chronology", "contested", "map", "statistics", "relations", "changelog"})
#: Folder of the Pagefind bundle under the site.
BUNDLE = "pagefind"
#: Files of Pagefind's own search interfaces, which the wiki does not use (assets/search.js
#: talks to pagefind.js): left out of the site.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
#: Longest run of years an event is filed under (a far-future or open range stays small).
MAX_YEARS = 40
_YEAR_PAGE = re.compile(r"^years/(\d{1,4})(?:-part-\d+)?\.md$")


@dataclass(frozen=True, slots=True)
class PageSearch:
    """What the search index learns about one page, beyond its text."""

    title: str
    kind: str  # a KIND_LABELS value
    names: tuple[str, ...] = ()  # every name of an entity, ranked above the text
    filters: tuple[tuple[str, str], ...] = ()  # (facet key, value), a key may repeat
    date: str = ""  # the date shown in a result, as the wiki displays it
    sort_date: str = ""  # ISO day to sort by ('' for pages without an event date)
    summary: str = ""
    filter_map: dict[str, tuple[str, ...]] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        grouped: dict[str, list[str]] = {}
        for key, value in self.filters:
            grouped.setdefault(key, []).append(value)
        object.__setattr__(self, "filter_map", {k: tuple(v) for k, v in grouped.items()})


def _years(event: Event) -> list[int]:
    span = event.date.years
    if len(span) > MAX_YEARS:
        return [primary_year(event.date)]
    return list(span)


def page_search(index: Index, uri: str) -> PageSearch | None:
    """The search data of the generated page at ``uri`` (None for other pages)."""
    year_page = _YEAR_PAGE.match(uri)
    if year_page:
        year = int(year_page.group(1))
        count = len(index.events_by_year.get(year, ()))
        return PageSearch(
            title=str(year),
            kind=KIND_LABELS["year"],
            filters=(("kind", KIND_LABELS["year"]), ("year", str(year))),
            date=str(year),
            sort_date=f"{year:04d}-01-01",
            summary=f"{count} event{'s' if count != 1 else ''} listed under {year}.",
        )
    rid = index.record_at(uri)
    if rid is None:
        return None
    record = index.by_id[rid]
    kind = KIND_LABELS[record.KIND]
    filters: list[tuple[str, str]] = [("kind", kind)]
    if isinstance(record, Event):
        filters += [("year", str(y)) for y in _years(record)]
        groups = dict.fromkeys(a.group for a in record.actors if a.group and a.group in index.by_id)
        filters += [("group", index.display_name(g)) for g in groups]
        filters.append(("type", label(record.type.value)))
        return PageSearch(
            title=record.title,
            kind=kind,
            filters=tuple(filters),
            date=record.date.display(),
            sort_date=record.date.earliest.isoformat(),
            summary=record.summary,
        )
    if isinstance(record, Source):
        return PageSearch(
            title=record.title,
            kind=kind,
            filters=tuple(filters),
            date=f"published {record.published.display()}",
            summary=" ".join(filter(None, [record.publisher + ".", record.summary or ""])),
        )
    if isinstance(record, Relation):  # shown on its subject's page, never a page of its own
        return None
    return PageSearch(
        title=index.display_name(rid),
        kind=kind,
        names=tuple(search_terms(index, rid)),
        filters=tuple(filters),
        summary=record.summary or ", ".join(record.aliases),
    )


# -- the offline edition's index ------------------------------------------------------


def offline_pages(index: Index) -> Iterator[tuple[str, PageSearch]]:
    """(page source path, its search data) of every record's page and every year's page."""
    for kind in ("group", "person", "place", "event", "source"):
        for record in index.of_kind(kind):
            uri = index.page_uri(kind, record.id)
            found = page_search(index, uri)
            if found is not None:
                yield uri, found
    for year in index.years:
        uri = index.page_uri("year", str(year))
        found = page_search(index, uri)
        if found is not None:
            yield uri, found


def _clip(text: str, limit: int) -> str:
    """At most about ``limit`` characters, cut between words, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def offline_index_js(index: Index) -> str:
    """A classic script (a browser loads it from file://, where it cannot fetch JSON) that
    hands the search box every page's title, names, summary, facets and date."""
    pages = []
    for uri, found in offline_pages(index):
        item: dict[str, object] = {"u": index.link_url(uri), "t": found.title, "k": found.kind}
        if found.names:
            item["n"] = list(found.names)
        if found.summary:
            item["s"] = _clip(found.summary, 240)
        if found.date:
            item["d"] = found.date
        if found.sort_date:
            item["o"] = found.sort_date
        item["f"] = {key: list(values) for key, values in found.filter_map.items()}
        pages.append(item)
    text = json.dumps({"pages": pages}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inert inside a script: no '</script>' or '<!--' can close or confuse it.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.wikiSearchIndex = {text};\n"


# -- Pagefind ---------------------------------------------------------------------------


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message is one line."""


@dataclass(frozen=True, slots=True)
class Indexed:
    pages: int
    seconds: float


def pagefind_binary() -> Path:
    """The Pagefind executable of the ``pagefind[bin]`` wheel (or $PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError("the 'pagefind' package is not installed (pip install -r requirements.txt)") from None
    try:
        found = get_executable()
    except OSError as exc:
        raise SearchIndexError(f"no Pagefind binary: {exc}") from None
    if found is None:
        raise SearchIndexError("no Pagefind binary: install 'pagefind[bin]' (pip install -r requirements.txt)")
    return found


def build_search_index(site_dir: Path, timeout: float = 600.0) -> Indexed:
    """Index the built site with Pagefind into ``site_dir/pagefind``.

    The bundle is written beside the old one and swapped in only once complete, so a
    failure leaves the site as it was (with its previous index, if it had one). Raises
    :class:`SearchIndexError` with a one-line message.
    """
    binary = pagefind_binary()
    started = time.perf_counter()
    target = site_dir / BUNDLE
    fresh = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=site_dir))
    try:
        command = [
            str(binary),
            "--site",
            str(site_dir),
            "--output-path",
            str(fresh),
            "--exclude-selectors",
            EXCLUDE_SELECTORS,
            "--force-language",
            "en",
            "--silent",
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise SearchIndexError(f"Pagefind did not finish indexing {site_dir} within {timeout:.0f} s") from None
        except OSError as exc:
            raise SearchIndexError(f"Pagefind could not start ({binary}): {exc.strerror or exc}") from None
        if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
            output = " ".join((done.stderr or done.stdout or "no output").split())
            raise SearchIndexError(f"Pagefind failed (exit {done.returncode}): {output[:300]}")
        for name in UNUSED_FILES:
            (fresh / name).unlink(missing_ok=True)
        old = site_dir / f".pagefind-old-{fresh.name}"
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    pages = sum(1 for _ in (target / "fragment").iterdir()) if (target / "fragment").is_dir() else 0
    return Indexed(pages, time.perf_counter() - started)


#: Name of the thread that indexes the site under ``mkdocs serve``.
INDEXER_THREAD = "wiki-search-index"


def index_in_background(site_dir: Path, log: logging.Logger) -> threading.Thread:
    """Index the site in a thread of its own (``mkdocs serve``): the reloaded page shows at
    once, and search reads the new index once it is written, a second or so later. An
    indexer started by an earlier reload finishes first; the outcome is logged."""
    earlier = [t for t in threading.enumerate() if t.name == INDEXER_THREAD]

    def run() -> None:
        for thread in earlier:
            thread.join()
        try:
            done = build_search_index(site_dir)
        except SearchIndexError as exc:
            log.error("search index: %s", exc)
        else:
            log.info("search: Pagefind indexed %d pages in %.2f s, after the reload", done.pages, done.seconds)

    thread = threading.Thread(target=run, name=INDEXER_THREAD, daemon=True)
    thread.start()
    return thread


__all__ = [
    "BUNDLE",
    "FACETS",
    "LISTING_KINDS",
    "PageSearch",
    "SearchIndexError",
    "build_search_index",
    "index_in_background",
    "offline_index_js",
    "page_search",
]

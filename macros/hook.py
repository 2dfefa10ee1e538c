"""MkDocs hook: the build-time side of the wiki.

* ``on_files``: adds a generated page per record, year and index page, plus the
  downloads and the preview index, so MkDocs copies them and ``--strict``
  validates every link to them. Each page's finished Markdown is rendered
  once, by the pure functions of ``macros.render``, and staged on disk with the
  downloads, by several processes where it can (``macros.stage``). In a fresh
  build they are made in the background, by forked processes, while MkDocs goes
  on with the pages already written: ``on_page_read_source`` waits for a page
  until it is, and ``on_env`` (MkDocs has read every page, and copies the other
  files next) for the processes to finish and exit.
  It also freezes the objects made so far out of the garbage collector's passes
  until ``on_post_build`` (or ``on_build_error``);
* ``on_page_markdown``: gives each page its last-modified day from the data
  (for the sitemap, and reproducible builds) and its search data (names, facets, date:
  :func:`macros.search.page_search`) for the page template;
* ``on_page_content`` and ``on_post_page``: drop a generated page's Markdown
  once it is converted and its HTML once it is written (see :func:`release`);
  ``on_post_page`` also puts the JSON-LD description of a record in its page's head;
* ``on_post_build``: indexes the built site with Pagefind (:mod:`macros.search`) before it is
  published (under ``mkdocs serve``, in the background after the reload), except in the
  offline edition, which searches a small index made in ``on_files``;
* ``on_serve``: watches the configured data folder.

mkdocs-macros cannot create pages, hence this hook. It does not render the
generated pages either: their Markdown is final, and compiling each one as a
Jinja template cost about 5 % of the build for nothing (issue 6). mkdocs-macros
renders the hand-written pages, with the macros of ``macros.define_env``.
"""

from __future__ import annotations

import atexit
import gc
import html
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from macros import (
    DATA_ENV,
    DATA_VARIABLE,
    INDEX_VARIABLE,
    SITE_VARIABLE,
    is_offline,
    is_serving,
    last_good_dir,
    log,
    offline_zip,
    project_root,
    searches_titles,
    settings,
    snapshot,
    staging_dir,
)
from macros.export import csv_tables, jsonld, knowledge_base_json, previews_json, script_tag
from macros.formats import FEED_PATH, FEED_SITEMAP, fill_sizes, research_files
from macros.formats.atom import sitemap_stub
from macros.formats.meta import page_meta
from macros.index import Index
from macros.offline import ZIP_URI
from macros.pages import PageSpec, plan
from macros.publish import building_dir, publish
from macros.render import SiteInfo, render_page
from macros.schema import render_all
from macros.search import (
    LISTING_KINDS,
    SearchIndexError,
    build_search_index,
    index_in_background,
    offline_index_js,
    page_search,
)
from macros.stage import Background, StagingError, default_jobs, stage, start

DOWNLOADS = "downloads"
#: Key under which on_files keeps the pages being rendered in the background, for the later events.
BACKGROUND_VARIABLE = "wiki_background"
#: Key under which on_config keeps the site folder that on_post_build publishes the build to.
PUBLISH_VARIABLE = "wiki_publish_to"

#: Front matter of every generated page. ``render_macros: false`` wins over mkdocs-macros'
#: ``render_by_default: true`` too, so text from the data is never run as a Jinja template,
#: whatever the macros plugin's settings; ``wiki_generated`` marks the page as the hook's.
GENERATED_FRONT_MATTER = "---\nrender_macros: false\nwiki_generated: true\n---\n"
#: The same, for a page that only lists what the record pages say (left out of the search index).
LISTING_FRONT_MATTER = "---\nrender_macros: false\nwiki_generated: true\nwiki_listing: true\n---\n"


def _variables(config: Any) -> Any:
    """What define_env shared through mkdocs-macros' variables."""
    plugin = config.plugins.get("macros")
    variables = plugin.variables if plugin is not None else {}
    if not isinstance(variables.get(INDEX_VARIABLE), Index):
        raise PluginError("the wiki hook needs the 'macros' plugin with 'modules: [macros]' in mkdocs.yml")
    return variables


def wiki_index(config: Any) -> Index:
    index: Index = _variables(config)[INDEX_VARIABLE]
    return index


def generated_files(
    index: Index, titles: bool = False, site_url: str = ""
) -> Iterator[tuple[str, Callable[[], str | bytes]]]:
    """Non-page files made from the data: (path under the site, a function that makes its
    content), so that the content is made only where and when it is written."""
    yield f"{DOWNLOADS}/sahel-wiki.json", partial(knowledge_base_json, index)
    if titles:  # the offline edition (or extra.wiki.search: titles) searches this, not Pagefind (macros.search)
        yield "assets/search-offline.js", partial(offline_index_js, index)
    yield "assets/previews.json", partial(previews_json, index)
    for name, make in csv_tables(index).items():
        yield f"{DOWNLOADS}/csv/{name}", make
    for name, text in render_all().items():  # a few KB, made at once
        yield f"{DOWNLOADS}/schema/{name}", partial(str, text)
    yield from research_files(index, site_url).items()
    yield FEED_SITEMAP, sitemap_stub  # what Material fetches for the feed's <link> (see macros.formats.atom)


@dataclass(frozen=True, slots=True)
class Staged:
    """A generated page or file: where MkDocs finds it, and how to make it."""

    uri: str  # path under docs/ (MkDocs' src_uri)
    target: Path  # where it is staged
    make: Callable[[], str | bytes]
    inclusion: InclusionLevel = InclusionLevel.UNDEFINED  # NOT_IN_NAV: a page left out of the nav


def jobs(config: Any) -> int:
    """Processes at work on the pages: ``extra.wiki.jobs`` (default: the cores, at most 4).
    In a fresh build, ``jobs - 1`` render them in the background (:func:`~macros.stage.start`)
    while this one runs MkDocs; else they share them out (:func:`~macros.stage.stage`), which
    uses one where forking is unsafe (a ``mkdocs serve`` reload)."""
    value = settings(config).get("jobs", default_jobs())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PluginError(f"extra.wiki.jobs in mkdocs.yml must be a whole number of at least 1, not {value!r}")
    return value


def page_source(index: Index, spec: PageSpec, site: SiteInfo) -> str:
    """The source MkDocs reads for a generated page: front matter and finished Markdown.
    A page that only lists what the record pages say is marked ``wiki_listing`` and left out
    of the search index (see :data:`macros.search.LISTING_KINDS`)."""
    front = LISTING_FRONT_MATTER if spec.kind in LISTING_KINDS else GENERATED_FRONT_MATTER
    return front + render_page(index, spec.kind, spec.key, site)


@event_priority(100)
def on_files(files: Files, config: Any) -> Files:
    variables = _variables(config)
    index: Index = variables[INDEX_VARIABLE]
    site: SiteInfo = variables[SITE_VARIABLE]
    # Everything made so far (the index above all) lives until the build ends: keep it out of
    # the garbage collector's full passes, which MkDocs' own objects set off again and again
    # (at 3,000 events they took 1.3 s of the build, 0.8 s once frozen), and out of the pages
    # a forked renderer would copy by touching it. Undone when the build ends (or fails).
    gc.freeze()
    staging = staging_dir(config)
    # Every generated page and file, staged on disk rather than held in memory until MkDocs
    # reads it (the JSON download alone is tens of MB for a large wiki), and rewritten only
    # when it changes: `mkdocs serve --dirty` (make serve) then rebuilds just those pages.
    items: list[Staged] = []
    for spec in plan(index):
        inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
        items.append(Staged(spec.uri, staging / "pages" / spec.uri, partial(page_source, index, spec, site), inclusion))
    for path, maker in generated_files(index, searches_titles(config), site.url):
        items.append(Staged(path, staging / "files" / path, maker))
    clashes = [item.uri for item in items if files.get_file_from_path(item.uri) is not None]
    if clashes:
        raise PluginError("these files in docs/ would hide generated ones; remove them: " + ", ".join(sorted(clashes)))

    def text_of(item: Staged) -> str | bytes:
        return item.make()

    def path_of(item: Staged) -> Path:
        return item.target

    processes = jobs(config)
    background = start(items, text_of, path_of, lambda item: item.uri, processes) if fresh_site(config) else None
    if background is None:
        with _as_plugin_error():
            stage(items, text_of, path_of, processes)
    else:
        variables[BACKGROUND_VARIABLE] = background
    for item in items:
        files.append(File.generated(config, item.uri, abs_src_path=str(item.target), inclusion=item.inclusion))
    edition = offline_zip(config)
    if not is_offline(config) and edition.is_file():  # made by `make offline`, published here
        files.append(File.generated(config, ZIP_URI, abs_src_path=str(edition)))
    return files


@contextmanager
def _as_plugin_error() -> Iterator[None]:
    """A failed renderer (:class:`~macros.stage.StagingError`) stops the build as MkDocs'
    own plugin error, with its one-line message and no traceback."""
    try:
        yield
    except StagingError as exc:
        raise PluginError(str(exc)) from None


def fresh_site(config: Any) -> bool:
    """Whether the site folder is empty (MkDocs emptied it before ``on_files``, or it is new).

    Only then may pages be rendered in the background: a dirty build (``--dirty``) skips a
    page whose source is older than its HTML, a test MkDocs makes before reading the page,
    so there every page must be written before ``on_files`` returns.
    """
    site_dir = Path(config.site_dir)
    return not site_dir.is_dir() or next(site_dir.iterdir(), None) is None


def _background(config: Any) -> Background | None:
    """The pages being rendered in the background, if any (none outside a build, either)."""
    variables = getattr(config.plugins.get("macros"), "variables", None)  # None before on_config
    background = variables.get(BACKGROUND_VARIABLE) if isinstance(variables, dict) else None
    return background if isinstance(background, Background) else None


def on_page_read_source(page: Page, config: Any) -> str | None:
    """Wait until a generated page rendered in the background is written; MkDocs then reads it."""
    background = _background(config)
    if background is not None:
        with _as_plugin_error():
            background.wait_for(page.file.src_uri)
    return None


@event_priority(100)
def on_env(env: Any, config: Any, files: Files) -> Any:
    """MkDocs has read every page: the background processes have written them all, and exit.
    The page templates get the search engine and the feed's address from here, so that the
    settings are read (and checked) in one place."""
    env.globals["wiki_search_engine"] = "titles" if searches_titles(config) else "pagefind"
    env.globals["wiki_feed_path"] = FEED_PATH
    background = _background(config)
    if background is not None:
        del _variables(config)[BACKGROUND_VARIABLE]
        with _as_plugin_error():
            background.finish()
    return env


@event_priority(-100)  # after every other plugin's on_config: the data has been read and checked
def on_config(config: Any) -> Any:
    """``mkdocs build`` writes the site into a folder beside it, published by on_post_build
    only if the build succeeds (see :mod:`macros.publish`). ``mkdocs serve`` builds into a
    folder of its own, and falls back to the last good build by itself (see on_serve)."""
    if is_serving(config):
        return config
    site = Path(config.site_dir).resolve()
    building = building_dir(site)
    shutil.rmtree(building, ignore_errors=True)  # left by a build that was killed
    atexit.register(shutil.rmtree, building, ignore_errors=True)  # by a build that fails (a no-op once published)
    _variables(config)[PUBLISH_VARIABLE] = site
    config.site_dir = str(building)
    return config


@event_priority(-100)  # last: whatever other plugins add to the site goes with it
def on_post_build(config: Any) -> None:
    gc.unfreeze()  # see on_files: what this build kept can be collected again
    variables = _variables(config)
    if is_serving(config):  # this data built: the version to fall back to from now on
        snapshot(variables[DATA_VARIABLE], last_good_dir(config))
    if is_serving(config) and not searches_titles(config):  # the reload need not wait for the index
        index_in_background(Path(config.site_dir), log)
    elif not searches_titles(config) and not _strict_warnings():  # the search index, before publishing
        try:
            done = build_search_index(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(f"search index: {exc}") from None
        log.info("search: Pagefind indexed %d pages in %.2f s", done.pages, done.seconds)
    site = variables.pop(PUBLISH_VARIABLE, None)
    if isinstance(site, Path) and not _strict_warnings():  # (with warnings, --strict aborts next)
        publish(Path(config.site_dir), site)
        config.site_dir = str(site)


def _strict_warnings() -> bool:
    """Whether ``--strict`` has counted a warning: MkDocs will abort the build after on_post_build."""
    counters = [*logging.getLogger("mkdocs").handlers, *logging.getLogger("properdocs").handlers]  # (its fork's)
    return any(isinstance(h, CountHandler) and h.get_counts() for h in counters)


def on_build_error(error: Exception) -> None:
    gc.unfreeze()


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    index = wiki_index(config)
    rid = index.record_at(page.file.src_uri)
    page.update_date = index.last_modified(rid)
    # For the page template (overrides/main.html): names, facets and date for the search index.
    # Set here, from the index, not in the page's front matter (YAML); the template escapes it.
    page.meta["wiki_search"] = page_search(index, page.file.src_uri)
    return markdown


def on_page_content(html_text: str, page: Page, config: Any, files: Files) -> str:
    if is_generated(page):
        page.markdown = ""  # converted, so no longer needed: see release()
    return html_text


def on_page_context(context: Any, page: Page, config: Any, nav: Any) -> Any:
    """The page's Highwire, Dublin Core and Open Graph tags (overrides/main.html writes them)."""
    index = wiki_index(config)
    title = config.site_name if page.is_homepage else html.unescape(page.title or config.site_name)
    url = page.canonical_url or page.url
    rid = index.record_at(page.file.src_uri)
    page.meta["wiki_meta"] = page_meta(index, rid, title, url, site_name=config.site_name)
    return context


def on_post_page(output: str, page: Page, config: Any) -> str:
    if is_generated(page):
        release(page)
    if page.file.src_uri == "downloads.md":  # every download is written by now: give their sizes
        output = fill_sizes(output, partial(_staged_size, staging_dir(config) / "files"))
    index = wiki_index(config)
    rid = index.record_at(page.file.src_uri)
    data = jsonld(index, rid, config.site_url or "") if rid else None
    if data is None:
        return output
    return output.replace("</head>", script_tag(data) + "\n</head>", 1)


def _staged_size(folder: Path, path: str) -> int | None:
    file = folder / path
    return file.stat().st_size if file.is_file() else None


def is_generated(page: Page) -> bool:
    """Whether the page is one of those :func:`on_files` made (see :data:`GENERATED_FRONT_MATTER`)."""
    return page.meta.get("wiki_generated") is True


def release(page: Page) -> None:
    """Drop a generated page's Markdown once it is converted and its HTML once it is written.

    MkDocs reads and converts every page before it writes the first, and keeps both texts
    until the end of the build; nothing needs them: the search index (Pagefind) reads the written
    HTML, and the anchor check after the build uses the page's anchor sets.
    At 10,000 events that is hundreds of MB of the build's peak memory (issue 6). The title
    stays, from the render (``Page.title`` wants ``markdown`` not to be None, hence "").
    """
    page.markdown = ""
    page.content = ""


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Watch the configured data folder too (``watch: [data]`` covers only the default one),
    and serve the last good data whenever a rebuild fails, whatever the failure: MkDocs would
    otherwise keep every request waiting until a build succeeds."""
    data_dir = (project_root(config) / settings(config).get("data_dir", "data")).resolve()
    watched = {Path(p).resolve() for p in config.watch}
    if data_dir.is_dir() and data_dir not in watched:
        server.watch(str(data_dir))
    server.builder = partial(build_or_fall_back, builder, last_good_dir(config))
    return server


def build_or_fall_back(builder: Callable[[], None], last_good: Path) -> None:
    """Run a ``mkdocs serve`` rebuild; if it fails, say why in one line and build again from
    the last data that built (``$WIKI_DATA``, which ``extra.wiki.data_dir`` reads)."""
    try:
        builder()
    except Exception as exc:  # any failure: the server must keep serving
        if not last_good.is_dir():
            raise
        log.debug("the failed rebuild", exc_info=exc)
        log.error("the rebuild failed (%s): serving the last good version until it is fixed", _one_line(exc))
        before = os.environ.get(DATA_ENV)
        os.environ[DATA_ENV] = str(last_good)
        try:
            builder()
        finally:
            if before is None:
                del os.environ[DATA_ENV]
            else:
                os.environ[DATA_ENV] = before


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

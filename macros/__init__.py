"""mkdocs-macros entry point: thin glue between MkDocs and the wiki pipeline.

``define_env`` runs at ``on_config``: it loads, validates and indexes the data
once per build, aborts the build with every data error if there are any, and
registers the macros that hand-written pages call (``docs/index.md``). The generated
pages do not go through Jinja: the hook (``macros.hook``) gives MkDocs their finished
Markdown.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import DataErrors
from .publish import published_site
from .quotes import archive_required, resolve_archive
from .wiki import build_index

log = logging.getLogger("mkdocs.plugins.wiki")

#: The environment variable that ``extra.wiki.data_dir`` reads in mkdocs.yml.
DATA_ENV = "WIKI_DATA"
#: Keys under which define_env shares the build's state with the hook (macros.hook).
INDEX_VARIABLE = "wiki_index"
DATA_VARIABLE = "wiki_data_dir"  # the data folder the build reads (under serve, maybe the last good copy)
SITE_VARIABLE = "wiki_site"


def settings(config: Any) -> dict[str, Any]:
    extra = config.get("extra") or {}
    return dict(extra.get("wiki") or {})


def project_root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def is_offline(config: Any) -> bool:
    """The offline edition (``extra.wiki.offline``, mkdocs-offline.yml): links to .html files,
    no Pagefind index (the small one of :func:`macros.search.offline_index_js` instead)."""
    return settings(config).get("offline") is True


#: Values of ``extra.wiki.search``.
SEARCH_ENGINES = ("pagefind", "titles")


def searches_titles(config: Any) -> bool:
    """Whether the search box searches one file of every record's title, names and summary
    (:func:`macros.search.offline_index_js`) rather than Pagefind's index of every page's text:
    always in the offline edition; else with ``extra.wiki.search: titles``, for a host that caps
    a site's files (Pagefind adds one per page: 32,000 files at 10,000 events, 16,000 without).
    A first search then loads the whole title index at once."""
    engine = settings(config).get("search", "pagefind")
    if engine not in SEARCH_ENGINES:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"extra.wiki.search in mkdocs.yml must be 'pagefind' or 'titles', not {engine!r}")
    return is_offline(config) or engine == "titles"


def offline_zip(config: Any) -> Path:
    """Where ``make offline`` writes the offline edition (``extra.wiki.offline_zip``), which a
    build publishes on the downloads page."""
    from .offline import ZIP_PATH  # not at the top: `python -m macros.offline` imports this package first

    return project_root(config) / str(settings(config).get("offline_zip", ZIP_PATH))


def staging_dir(config: Any) -> Path:
    """Where the build keeps its generated files before MkDocs copies them: outside the site,
    one folder per site folder (a rebuild overwrites the last one), in the system temp."""
    site = published_site(Path(config.site_dir).resolve())  # the same while it is built beside it
    digest = hashlib.sha1(str(site).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"sahel-wiki-{digest}"


def is_serving(config: Any) -> bool:
    """True under ``mkdocs serve``, which points site_url at the development server."""
    host, port = config.dev_addr
    return bool(config.site_url) and urlsplit(config.site_url).netloc == f"{host}:{port}"


def last_good_dir(config: Any) -> Path:
    """Where ``mkdocs serve`` keeps a copy of the last data that validated."""
    return staging_dir(config) / "last-good-data"


def snapshot(data_dir: Path, target: Path) -> None:
    """Keep a copy of data that built, to serve while a later edit has errors (or fails to build)."""
    if data_dir.resolve() == target.resolve():
        return  # the build served the copy itself
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns(".*"))


def define_env(env: Any) -> None:
    from mkdocs.exceptions import PluginError

    from .offline import edition_note
    from .render import SiteInfo
    from .render.home import home_macros

    config = env.conf
    root = project_root(config)
    options = settings(config)
    data_dir = root / options.get("data_dir", "data")
    archive = resolve_archive(options.get("archive_dir"), root)
    if archive is None or not archive.is_dir():
        if archive_required():
            raise PluginError(f"no archive of source texts at {archive}: the quote check cannot run")
        log.info("quote check skipped: no archive of source texts at %s", archive)
        archive = None
    serving = is_serving(config)
    last_good = last_good_dir(config)
    try:
        index = build_index(data_dir, root, archive, file_urls=not config.use_directory_urls)
    except DataErrors as exc:
        for error in exc.errors:
            log.error(str(error))
        count = len(exc.errors)
        shown = data_dir.relative_to(root) if data_dir.is_relative_to(root) else data_dir
        if not (serving and last_good.is_dir()):
            raise PluginError(
                f"{count} data error{'s' if count != 1 else ''} in {shown}: "
                "nothing was built; fix the lines above (or run 'make check')."
            ) from None
        # `mkdocs serve`: keep showing the last data that validated, rather than a server
        # that waits until the errors are fixed.
        log.warning("%d data error(s) in %s: serving the last good version until they are fixed", count, shown)
        index = build_index(last_good, root, archive, file_urls=not config.use_directory_urls)
        data_dir = last_good

    env.variables[INDEX_VARIABLE] = index
    env.variables[DATA_VARIABLE] = data_dir

    env.variables[SITE_VARIABLE] = SiteInfo(name=config.site_name, url=config.site_url or "")
    for name, func in home_macros(index).items():
        env.macro(func, name)
    edition = None if is_offline(config) else offline_zip(config)
    env.macro(lambda: edition_note(edition), "wiki_offline_edition")

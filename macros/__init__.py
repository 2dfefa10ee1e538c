"""mkdocs-macros entry point: thin glue between MkDocs and the wiki pipeline.

``define_env`` runs at ``on_config``: it loads, validates and indexes the data
once per build, aborts the build with every data error if there are any, and
registers the macros that generated page stubs and hand-written pages call.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .errors import DataErrors
from .quotes import archive_required, resolve_archive
from .wiki import build_index

log = logging.getLogger("mkdocs.plugins.wiki")

#: Keys under which define_env shares the build's state with the hook (macros.hook).
INDEX_VARIABLE = "wiki_index"
RENDERED_VARIABLE = "wiki_rendered"
SITE_VARIABLE = "wiki_site"


def settings(config: Any) -> dict[str, Any]:
    extra = config.get("extra") or {}
    return dict(extra.get("wiki") or {})


def project_root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def define_env(env: Any) -> None:
    from mkdocs.exceptions import PluginError

    from .render import SiteInfo, render_page
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
    try:
        index = build_index(data_dir, root, archive)
    except DataErrors as exc:
        for error in exc.errors:
            log.error(str(error))
        count = len(exc.errors)
        shown = data_dir.relative_to(root) if data_dir.is_relative_to(root) else data_dir
        raise PluginError(
            f"{count} data error{'s' if count != 1 else ''} in {shown}: "
            "nothing was built; fix the lines above (or run 'make check')."
        ) from None

    env.variables[INDEX_VARIABLE] = index

    site = SiteInfo(name=config.site_name, url=config.site_url or "")
    # The hook renders every page once at on_files (to version its stub); the macro hands
    # each page's Markdown over once and forgets it.
    rendered: dict[tuple[str, str], str] = {}
    env.variables[RENDERED_VARIABLE] = rendered
    env.variables[SITE_VARIABLE] = site

    def wiki_page(kind: str, key: str) -> str:
        """Markdown of one generated page (called from the page's stub)."""
        text = rendered.pop((kind, key), None)
        return text if text is not None else render_page(index, kind, key, site)

    env.macro(wiki_page)
    for name, func in home_macros(index).items():
        env.macro(func, name)

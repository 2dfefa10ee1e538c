"""A build never leaves the site folder worse than it found it.

MkDocs empties the site folder before it writes the new site, so a build that fails
half-way (a crash in a plugin, a theme template, the sitemap) would leave a site with
a few dozen files where a complete one stood. The hook (``macros.hook``) therefore has
MkDocs build into a sibling folder, :func:`building_dir`, and :func:`publish` swaps it
in only once the build has succeeded; a failed build leaves the old site as it was and
its half-built folder is removed when the process exits. Both folders are beside the
site, on the same file system, so the swap is two renames. No MkDocs imports.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def building_dir(site: Path) -> Path:
    """Where the site is built before it is published: beside it, hidden."""
    return site.with_name(f".{site.name}.building")


def published_site(folder: Path) -> Path:
    """The site a folder is built for: the inverse of :func:`building_dir` (else the folder)."""
    name = folder.name
    if name.startswith(".") and name.endswith(".building"):
        return folder.with_name(name[1 : -len(".building")])
    return folder


def publish(built: Path, site: Path) -> None:
    """Put the folder ``built`` in place of ``site`` (which may not exist yet; give it resolved,
    so that a site folder reached through a symbolic link stays where the link points)."""
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        try:
            site.rename(old)
        except OSError:  # a mount point, say: empty it and move the new files in instead
            _empty(site)
            for child in built.iterdir():
                child.rename(site / child.name)
            built.rmdir()
            return
    built.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()

"""The offline edition: the whole site built to open from a folder (file://), in one ZIP.

``python -m macros.offline`` (``make offline``) builds the site with ``mkdocs-offline.yml``
(``use_directory_urls: false``: every link names its ``.html`` file; no Pagefind index, the
small one of :func:`macros.search.offline_index_js` instead) and zips it as
``dist/sahel-wiki-offline.zip``, one folder ``sahel-wiki/`` with ``index.html`` at its top.
The ZIP is written beside the old one and swapped in only once complete. A later
``make build`` publishes it on the downloads page (:func:`edition_note`). No MkDocs imports.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.metadata
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Where ``make offline`` writes the edition, relative to the project.
ZIP_PATH = Path("dist") / "sahel-wiki-offline.zip"
#: Its address in the published site.
ZIP_URI = "downloads/sahel-wiki-offline.zip"
CONFIG = "mkdocs-offline.yml"
FOLDER = "sahel-wiki"
#: Files of a built site that mean nothing in a folder: the server's error page (with
#: addresses from the site's root) and the sitemap for search engines.
LEFT_OUT = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})


class OfflineError(Exception):
    """The edition could not be built; the message is one line."""


@dataclass(frozen=True, slots=True)
class Edition:
    path: Path
    size: int  # bytes
    files: int
    build_seconds: float
    total_seconds: float


def zip_site(site: Path, target: Path) -> int:
    """Zip the folder ``site`` as ``FOLDER/…`` into ``target`` (replaced only once complete),
    but for :data:`LEFT_OUT`; the number of files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkstemp(prefix=".offline-", suffix=".zip", dir=target.parent)[1])
    count = 0
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(site.rglob("*")):
                if path.is_file() and path.relative_to(site).as_posix() not in LEFT_OUT:
                    archive.write(path, f"{FOLDER}/{path.relative_to(site).as_posix()}")
                    count += 1
        partial.chmod(0o644)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _builder() -> str:
    """The module that builds the site: MkDocs, or ProperDocs (its drop-in fork, see README)
    in an environment that has only that."""
    try:
        importlib.metadata.distribution("mkdocs")  # not find_spec: ProperDocs answers `import mkdocs`
    except importlib.metadata.PackageNotFoundError:
        return "properdocs"
    return "mkdocs"


def build_edition(root: Path, target: Path, env: dict[str, str] | None = None) -> Edition:
    """Build the offline site in a temporary folder with MkDocs (a process of its own, which
    prints its own messages) and zip it into ``target``."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sahel-wiki-offline-") as tmp:
        site = Path(tmp) / FOLDER
        command = [sys.executable, "-m", _builder(), "build", "--strict", "-f", str(root / CONFIG), "-d", str(site)]
        done = subprocess.run(command, cwd=root, env=env, check=False)
        built = time.perf_counter() - started
        if done.returncode != 0:
            raise OfflineError(f"the offline build failed (mkdocs exit {done.returncode}); {target} was not changed")
        count = zip_site(site, target)
    return Edition(target, target.stat().st_size, count, built, time.perf_counter() - started)


def edition_note(path: Path | None) -> str:
    """The downloads page's line on the edition: a link with its size and date, or how to make
    it; in the edition itself (``path`` None), that this is it."""
    if path is None:
        return "You are reading the offline edition: this folder holds the whole wiki."
    if not path.is_file():
        return (
            "The offline edition is not part of this build: `make offline` makes it "
            f"(`{ZIP_PATH.as_posix()}`), and the next build publishes it here."
        )
    stat = path.stat()
    day = _dt.datetime.fromtimestamp(stat.st_mtime, tz=_dt.UTC).date()
    return (
        f"[sahel-wiki-offline.zip]({ZIP_URI}) ({stat.st_size / 1e6:.1f} MB, built {day.day} {day:%B %Y}): "
        "the whole wiki to read without a connection. Unzip it and open `sahel-wiki/index.html` "
        "in a browser; search works from the folder too (titles, names and summaries)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.offline", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=None, help=f"the ZIP to write (default: {ZIP_PATH})")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    target = (args.output or root / ZIP_PATH).resolve()
    try:
        edition = build_edition(root, target, dict(os.environ))
    except (OfflineError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"offline edition: {edition.path} ({edition.size / 1e6:.1f} MB, {edition.files} files; "
        f"built in {edition.build_seconds:.1f} s, zipped in {edition.total_seconds - edition.build_seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

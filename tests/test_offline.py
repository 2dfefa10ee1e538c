"""The offline edition (macros/offline.py, mkdocs-offline.yml): file links, the ZIP, its
publication on the downloads page, and a built edition whose every link opens from a folder."""

from __future__ import annotations

import os
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from macros.index import Index
from macros.offline import FOLDER, ZIP_URI, edition_note, zip_site
from tests.conftest import build_site, make_group, make_index, make_place


def test_raw_html_links_name_files_in_a_build_for_file_urls() -> None:
    kb = make_index(make_group(), make_place()).kb
    online, offline = Index(kb), Index(kb, file_urls=True)
    assert online.url_from("groups/grp.md", "town") == "../../places/town/"
    assert offline.url_from("groups/grp.md", "town") == "../places/town.html"
    assert offline.url_from("index.md", "grp", "relations") == "groups/grp.html#relations"
    # what readers are shown or cite stays the public site's address
    assert offline.page_url(offline.uri("grp")) == "groups/grp/"


def test_the_zip_holds_one_folder_and_replaces_the_old_one_only_when_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    (site / "groups").mkdir(parents=True)
    (site / "index.html").write_text("home", encoding="utf-8")
    (site / "404.html").write_text("not found", encoding="utf-8")
    (site / "groups" / "aqim.html").write_text("AQIM", encoding="utf-8")
    target = tmp_path / "dist" / "edition.zip"
    assert zip_site(site, target) == 2
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{FOLDER}/groups/aqim.html", f"{FOLDER}/index.html"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    before = target.read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "write", disk_full)
    with pytest.raises(OSError, match="disk full"):
        zip_site(site, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["edition.zip"]


def test_the_downloads_line_gives_size_and_date_or_how_to_make_it(tmp_path: Path) -> None:
    assert "You are reading the offline edition" in edition_note(None)
    missing = edition_note(tmp_path / "none.zip")
    assert "make offline" in missing and "](" not in missing
    edition = tmp_path / "edition.zip"
    edition.write_bytes(b"x" * 2_500_000)
    os.utime(edition, (1765000000, 1765000000))  # 6 December 2025, 05:46 UTC
    line = edition_note(edition)
    assert line.startswith(f"[sahel-wiki-offline.zip]({ZIP_URI}) (2.5 MB, built 6 December 2025)")


def test_an_online_build_publishes_the_edition_on_the_downloads_page(tmp_path: Path) -> None:
    edition = tmp_path / "edition.zip"
    edition.write_bytes(b"PK" + b"\0" * 1_200_000)
    build_site(tmp_path / "site", offline_zip=str(edition))
    assert (tmp_path / "site" / ZIP_URI).read_bytes() == edition.read_bytes()
    page = (tmp_path / "site" / "downloads" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a href="sahel-wiki-offline\.zip">sahel-wiki-offline\.zip</a> \(1\.2 MB, built \d+ \w+ \d{4}\)', page
    )


# -- a built offline edition (the real data) ---------------------------------------------------


#: <link rel=…> values that make the browser load the address
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}


class Links(HTMLParser):
    """Every address a page links to (``urls``) and every one it loads (``loads``)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name in ("href", "src", "xlink:href"):
            if a.get(name):
                self.urls.append(a[name])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and LOADING_RELS & set(a.get("rel", "").split()):
            self.loads.append(a.get("href", ""))


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.mark.build
def test_every_link_of_the_offline_edition_opens_a_file_of_the_folder(offline_site: Path) -> None:
    problems = []
    pages = sorted(offline_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        for url in links_of(page).urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                continue  # links out (a source's original address); nothing loads from there
            if url.startswith("#") or parts.scheme in ("mailto", "data"):
                continue
            if parts.scheme or parts.netloc or parts.path.startswith("/"):
                problems.append(f"{page.relative_to(offline_site)}: {url} (not in the folder)")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                problems.append(f"{page.relative_to(offline_site)}: {url} (no such file)")
    assert not problems, "\n".join(problems[:30])
    assert (offline_site / "assets" / "search-offline.js").is_file()
    assert not (offline_site / "pagefind").exists() and not (offline_site / ZIP_URI).exists()


@pytest.mark.build
def test_the_offline_edition_loads_nothing_from_elsewhere(offline_site: Path) -> None:
    offenders = []
    for page in offline_site.rglob("*.html"):
        offenders += [f"{page.relative_to(offline_site)}: {u}" for u in links_of(page).loads if urlsplit(u).netloc]
    assert not offenders, offenders[:10]

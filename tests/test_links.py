"""Links: a crawl of the built fixture site finds no broken internal link or anchor.

Every ``href``/``src`` that is relative, site-absolute or on the site's own address must
resolve to a file of the build, and every ``#fragment`` to an ``id`` in the target page.
Every citation (footnote) links to an existing source page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.build

SITE_URL = "https://sahel-wiki.example.org/"
LINK_ATTRS = {"href", "src", "xlink:href", "action", "poster", "data"}
BASE = "http://site.invalid/"  # stands for the site root when resolving relative URLs


@dataclass
class Link:
    page: str  # site-relative path of the page holding the link
    tag: str
    attr: str
    url: str
    footnote: str | None = None  # id of the footnote <li> the link is in


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    footnotes: dict[str, list[Link]] = field(default_factory=dict)


class Collector(HTMLParser):
    def __init__(self, rel: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.page = Page()
        self._footnote: str | None = None
        self._li_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        if tag == "li":
            if a.get("id", "").startswith("fn:"):
                self._footnote = a["id"]
                self._li_depth = 0
                self.page.footnotes[a["id"]] = []
            elif self._footnote is not None:
                self._li_depth += 1
        for attr in LINK_ATTRS & a.keys():
            if tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch"):
                continue
            link = Link(self.rel, tag, attr, a[attr], self._footnote)
            self.page.links.append(link)
            if self._footnote is not None:
                self.page.footnotes[self._footnote].append(link)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._footnote is not None:
            if self._li_depth == 0:
                self._footnote = None
            else:
                self._li_depth -= 1


def crawl(site: Path) -> dict[str, Page]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        collector = Collector(rel)
        collector.feed(path.read_text(encoding="utf-8"))
        collector.close()
        pages[rel] = collector.page
    return pages


def target(link_page: str, url: str) -> tuple[str, str] | None:
    """(site-relative file, fragment) an internal URL points at; None for other sites and schemes."""
    if url.startswith(SITE_URL):
        url = "/" + url[len(SITE_URL) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    page_dir = posixpath.dirname(link_page)
    resolved = urlsplit(urljoin(BASE + (page_dir + "/" if page_dir else ""), url))
    path = unquote(resolved.path)[1:]  # drop the leading '/'
    if path == "" or path.endswith("/"):
        path += "index.html"
    return posixpath.normpath(path) if path else "index.html", unquote(resolved.fragment)


def exists(site: Path, rel: str) -> bool:
    path = site / rel
    return path.is_file() or (path.is_dir() and (path / "index.html").is_file())


def internal_links(pages: dict[str, Page]) -> Iterator[tuple[Link, str, str]]:
    for page in pages.values():
        for link in page.links:
            resolved = target(link.page, link.url)
            if resolved is not None:
                yield link, *resolved


@pytest.fixture(scope="module")
def pages(fixture_site: Path) -> dict[str, Page]:
    return crawl(fixture_site)


def test_the_crawl_sees_the_site(pages: dict[str, Page]) -> None:
    assert len(pages) > 20
    assert sum(len(p.links) for p in pages.values()) > 200


def test_no_broken_internal_links(fixture_site: Path, pages: dict[str, Page]) -> None:
    broken = [
        f"{link.page}: <{link.tag} {link.attr}={link.url!r}> → {path} (missing)"
        for link, path, _ in internal_links(pages)
        if not exists(fixture_site, path)
    ]
    assert not broken, "\n".join(sorted(set(broken)))


def test_no_broken_anchors(fixture_site: Path, pages: dict[str, Page]) -> None:
    broken = []
    for link, path, fragment in internal_links(pages):
        if not fragment or not exists(fixture_site, path):
            continue
        page = path if path.endswith(".html") else posixpath.join(path, "index.html")
        if page not in pages:
            broken.append(f"{link.page}: {link.url!r}: #{fragment} points into {page}, which is not HTML")
        elif fragment not in pages[page].ids:
            broken.append(f"{link.page}: {link.url!r}: no id {fragment!r} in {page}")
    assert not broken, "\n".join(sorted(set(broken)))


def test_no_javascript_or_data_links(pages: dict[str, Page]) -> None:
    bad = [
        f"{link.page}: <{link.tag} {link.attr}={link.url!r}>"
        for page in pages.values()
        for link in page.links
        if urlsplit(link.url.strip()).scheme.lower() in ("javascript", "vbscript", "data")
    ]
    assert not bad, "\n".join(bad)


def test_every_citation_links_an_existing_source_page(fixture_site: Path, pages: dict[str, Page]) -> None:
    sources = {p for p in pages if p.startswith("sources/") and p != "sources/index.html"}
    assert sources, "no source pages were built"
    count = 0
    problems = []
    for rel, page in pages.items():
        for note, links in page.footnotes.items():
            count += 1
            targets = [target(rel, link.url) for link in links]
            to_sources = [t[0] for t in targets if t and t[0].startswith("sources/")]
            if len(to_sources) != 1:
                problems.append(f"{rel} #{note}: {len(to_sources)} links to a source page: {[x.url for x in links]}")
            elif to_sources[0] not in sources:
                problems.append(f"{rel} #{note}: {to_sources[0]} is not a source page of the build")
    assert count > 10, "the crawl found too few footnotes"
    assert not problems, "\n".join(problems)


def test_every_footnote_reference_has_its_footnote(pages: dict[str, Page]) -> None:
    problems = []
    for rel, page in pages.items():
        for link in page.links:
            if link.url.startswith(("#fn:", "#fnref")) and link.url[1:] not in page.ids:
                problems.append(f"{rel}: {link.url} has no target")
    assert not problems, "\n".join(problems)


def test_sitemap_lists_existing_pages(fixture_site: Path) -> None:
    import xml.etree.ElementTree as ET

    tree = ET.parse(fixture_site / "sitemap.xml")
    locs = [el.text or "" for el in tree.iter() if el.tag.endswith("loc")]
    assert locs
    missing = [loc for loc in locs if not exists(fixture_site, (target("index.html", loc) or ("", ""))[0])]
    assert not missing, missing

"""Injection corpus: hostile text in every data field must reach every output as inert text.

For each payload, a copy of the fixture knowledge base gets the payload in every text
field (names, aliases, titles, summaries, notes, fact texts and values, relation texts,
quotes and locators, source titles, publishers, authors and notes, figures, actor and
casualty notes), at the start, in the middle between the markers ``ZQ … QZ`` and at the
end of each value. The archive copy holds every quote, so the quote check passes. The
site is built for real (conftest.build_site) and every output is inspected.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.model import MAX_QUOTE_WORDS
from macros.yamlload import parse_yaml
from tests.conftest import FIXTURE_ARCHIVE, FIXTURE_DATA, build_site

pytestmark = pytest.mark.build

#: name → payload; the wrap below puts it at the start, middle and end of every text field
PAYLOADS: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "title-breakout": "</title><img src=x onerror=alert(1)>",
    "jinja-expression": "{{ 7*7 }}",
    "jinja-statement": "{% include 'x' %}",
    "markdown-link": "[x](javascript:alert(1))",
    "markdown-image": "![x](http://evil.example/x.png)",
    "javascript-url": "javascript:alert(1)",
    "table-pipe": "a | b",
    "html-comment": "<!-- x -->",
    "newline": "first line\n# second line",
    "emphasis": "*emphasis*",
    "footnote": "[^1]",
    "attr-list": "{ #id .class }",
    "html-entity": "&lt;img src=x onerror=alert(1)&gt;",
    "spreadsheet-formula": '=HYPERLINK("http://evil.example/","x")',
}


#: pages that show data text (relative to the site root)
PAGES = [
    "index.html",
    "groups/northern-front/index.html",
    "people/jane-doe/index.html",
    "places/riverton/index.html",
    "events/riverton-market-attack/index.html",
    "sources/alpha-gazette/index.html",
    "chronology/index.html",
    "groups/index.html",
    "people/index.html",
    "places/index.html",
    "events/index.html",
    "sources/index.html",
    "years/2020/index.html",
    "contested/index.html",
]


def marked(name: str) -> str:
    """The visible text of the middle copy of the payload: 'ZQ <payload, whitespace collapsed> QZ'."""
    return "ZQ " + " ".join(PAYLOADS[name].split()) + " QZ"


# -- the injected knowledge base ------------------------------------------------------------


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@dataclass
class Injector:
    payload: str
    quotes: list[str] = field(default_factory=list)

    def wrap(self, original: str = "") -> str:
        middle = f"ZQ {self.payload} QZ"
        return " ".join(p for p in (self.payload, original, middle, self.payload) if p)

    def citations(self, record: dict[str, Any]) -> None:
        for citation in record.get("citations", []):
            quote = self.wrap(citation["quote"])
            if len(quote.split()) > MAX_QUOTE_WORDS:
                quote = self.wrap()
            citation["quote"] = quote
            citation["locator"] = self.wrap(citation.get("locator", "paragraph 1"))
            self.quotes.append(quote)

    def record(self, kind: str, rec: dict[str, Any]) -> None:
        w = self.wrap
        self.citations(rec)
        if kind == "sources":
            for key in (
                "title",
                "publisher",
                "author",
                "title_note",
                "author_note",
                "date_note",
                "url_note",
                "summary",
                "note",
            ):
                rec[key] = w(rec.get(key, ""))
            if "url" in rec:  # valid http(s), but full of Markdown and attribute syntax
                rec["url"] = "https://alpha.example.org/x)](javascript:alert(1)){onclick=alert(1)}|*a*"
            return
        rec["note"] = w()
        if kind in ("groups", "people", "places"):
            rec["name"] = w(rec["name"])
            rec["aliases"] = [*rec.get("aliases", []), w()]
            rec["summary"] = w(rec.get("summary", ""))
            if kind == "groups":
                rec["short_name"] = w(rec.get("short_name", ""))
            for fact in rec.get("facts", []):
                self.citations(fact)
                fact["text"] = w(fact["text"])
                fact["note"] = w()
                if "value" in fact:
                    fact["value"] = w(fact["value"])
        elif kind == "events":
            rec["title"] = w(rec["title"])
            rec["summary"] = w(rec["summary"])
            rec["date_note"] = w()
            for actor in rec.get("actors", []):
                actor["note"] = w()
            for casualty in rec.get("casualties", []):
                casualty["note"] = w()
            rec["figures"] = [
                {
                    "measure": w("fighters"),
                    "value": 300,
                    "qualifier": "about",
                    "unit": w(),
                    "period": "2020",
                    "note": w(),
                }
            ]
        elif kind == "relations":
            rec["text"] = w()


def write_injected_kb(base: Path, payload: str) -> tuple[Path, Path]:
    """A copy of the fixture data with ``payload`` in every text field; returns (data, archive)."""
    injector = Injector(payload)
    data, archive = base / "data", base / "archive"
    for path in sorted(FIXTURE_DATA.rglob("*.yml")):
        root = plain(parse_yaml(path.read_text(encoding="utf-8")))
        ((kind, records),) = root.items()
        for rec in records:
            injector.record(kind, rec)
        dest = data / path.relative_to(FIXTURE_DATA)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(yaml.safe_dump(root, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    archive.mkdir(parents=True)
    for text in sorted(FIXTURE_ARCHIVE.glob("*.txt")):
        quotes = "\n".join(injector.quotes)
        (archive / text.name).write_text(text.read_text(encoding="utf-8") + "\n" + quotes + "\n", encoding="utf-8")
    return data, archive


@pytest.fixture(scope="session")
def injected_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """name → the site built from the knowledge base injected with that payload (built once)."""
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            base = tmp_path_factory.mktemp(f"inject-{name}")
            data, archive = write_injected_kb(base, PAYLOADS[name])
            build_site(base / "site", data, archive)
            built[name] = base / "site"
        return built[name]

    return get


def payload_params(bug_for: dict[str, str] | None = None) -> list[Any]:
    bug_for = bug_for or {}
    return [
        pytest.param(
            name,
            id=f"{n:02d}of{len(PAYLOADS)}-{name}",
            marks=[pytest.mark.xfail(strict=True, reason=bug_for[name])] if name in bug_for else [],
        )
        for n, name in enumerate(PAYLOADS, start=1)
    ]


# -- an HTML inspector that parses like a browser where it matters -------------------------------

#: A plain number (a negative longitude is a number to a spreadsheet, not a formula).
NUMBER = re.compile(r"-?\d+(\.\d+)?")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}


class Inspector(HTMLParser):
    """Collects active constructs, visible text and the raw <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.title: list[str] = []
        self.footnotes: list[list[str]] = []
        self._stack: list[str] = []
        self._skip = 0  # inside script/style/title: not visible body text
        self._in_title = False
        self._script: tuple[str, list[str]] | None = None
        self._em: list[str] | None = None
        self._footnote_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        for name, value in a.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event-handler attribute")
            if name in URL_ATTRS:
                squashed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
                if squashed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f'<{tag} {name}="{value}">')
        if tag == "img" and (a.get("src") in ("x", "") or "evil.example" in a.get("src", "")):
            self.problems.append(f"<img src={a.get('src')!r}> from data")
        if a.get("id") == "id" or "class" in a.get("class", "").split():
            self.problems.append(f"<{tag} id={a.get('id')!r} class={a.get('class')!r}> from attribute-list syntax")
        if tag == "title":
            self._in_title = True
            self.set_cdata_mode(tag)  # like a browser: text until </title>
        if tag in ("script", "style"):
            self._skip += 1
            if tag == "script":
                self._script = (a.get("type", ""), [])
        if tag == "em":
            self._em = []
        if tag == "li" and a.get("id", "").startswith("fn:"):
            self.footnotes.append([])
            self._footnote_depth = len(self._stack)
        if tag not in ("br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "path"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
            if tag == "script" and self._script is not None:
                kind, body = self._script
                content = "".join(body)
                if kind != "application/ld+json" and "alert(" in content:
                    self.problems.append(f"<script> running data: {content[:80]!r}")
                self._script = None
        if tag == "em" and self._em is not None:
            if "".join(self._em).strip() == "emphasis":
                self.problems.append("<em>emphasis</em> from Markdown in data")
            self._em = None
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if self._footnote_depth is not None and len(self._stack) <= self._footnote_depth:
            self._footnote_depth = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
            return
        if self._script is not None:
            self._script[1].append(data)
        if self._skip:
            return
        self.text.append(data)
        if self._em is not None:
            self._em.append(data)
        if self._footnote_depth is not None and self.footnotes:
            self.footnotes[-1].append(data)

    def handle_comment(self, data: str) -> None:
        if data.strip() == "x":
            self.problems.append("<!-- x --> became a real HTML comment")

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def inspect(text: str) -> Inspector:
    parser = Inspector()
    parser.feed(text)
    parser.close()
    return parser


def html_files(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


# -- HTML pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", payload_params())
def test_html_pages_are_inert(injected_site: Callable[[str], Path], name: str) -> None:
    """No script, event handler, image, javascript: link, comment or attribute from data, on any page."""
    site = injected_site(name)
    problems = []
    for page in html_files(site):
        for problem in inspect(page.read_text(encoding="utf-8")).problems:
            problems.append(f"{page.relative_to(site)}: {problem}")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("name", payload_params())
def test_title_element_is_escaped(injected_site: Callable[[str], Path], name: str) -> None:
    """The text between <title> and </title> is escaped: no raw '<' from data."""
    site = injected_site(name)
    problems = []
    for page in html_files(site):
        source = page.read_text(encoding="utf-8")
        # greedy on the line: '</title>' inside the data must not end the match early
        match = re.search(r"<title>(.*)</title>", source, re.IGNORECASE)
        if match and "<" in match.group(1):
            problems.append(f"{page.relative_to(site)}: <title>{match.group(1)}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("name", payload_params())
def test_payload_is_shown_as_text(injected_site: Callable[[str], Path], name: str) -> None:
    """Entity pages, chronology, index pages, year, contested and home show the payload literally."""
    site = injected_site(name)
    want = marked(name)
    missing = []
    for rel in PAGES:
        page = site / rel
        assert page.is_file(), rel
        if want not in inspect(page.read_text(encoding="utf-8")).visible:
            missing.append(rel)
    assert not missing, f"{want!r} is not visible as text on: {', '.join(missing)}"
    if name == "jinja-expression":
        for page in html_files(site):
            assert "ZQ 49 QZ" not in inspect(page.read_text(encoding="utf-8")).visible, page


@pytest.mark.parametrize("name", payload_params())
def test_citations_show_payload_as_text(injected_site: Callable[[str], Path], name: str) -> None:
    """Every footnote (quote, locator, source title, publisher, author) shows the payload literally."""
    site = injected_site(name)
    want = marked(name)
    for rel in [
        "groups/northern-front/index.html",
        "events/riverton-market-attack/index.html",
        "people/jane-doe/index.html",
    ]:
        found = inspect((site / rel).read_text(encoding="utf-8"))
        assert found.footnotes, f"{rel}: no footnotes found"
        for number, note in enumerate(found.footnotes, start=1):
            text = " ".join("".join(note).split())
            # quote + locator + source title + publisher (+ author): several copies each
            assert text.count(want) >= 4, f"{rel} footnote {number}: {text!r}"


def test_original_link_is_the_source_url(injected_site: Callable[[str], Path]) -> None:
    """A source URL full of Markdown syntax stays one http(s) link, percent-encoded."""
    site = injected_site("markdown-link")
    page = (site / "sources/alpha-gazette/index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(https?://alpha\.example\.org/[^"]*)"', page)
    assert hrefs, "no link to the original"
    for href in hrefs:
        assert "(" not in href and ")" not in href and "{" not in href, href


# -- the search index ------------------------------------------------------------------------


@pytest.mark.parametrize("name", payload_params())
def test_search_data_is_inert(injected_site: Callable[[str], Path], name: str) -> None:
    """What a page tells Pagefind (title, names, facets; the search box shows them) is
    escaped text in the page."""
    site = injected_site(name)
    page = (site / "groups" / "northern-front" / "index.html").read_text(encoding="utf-8")
    block = page[page.index("<div data-pagefind-body>") : page.index("<h1")]
    found = inspect(block)
    assert not found.problems, "\n".join(found.problems[:40])
    assert marked(name) in found.visible, f"{marked(name)!r} not found as text in the group page's search data"


@pytest.mark.parametrize("name", payload_params())
def test_offline_search_index_is_inert(tmp_path: Path, name: str) -> None:
    """The offline edition's index is one script assignment that no data text can end or
    break out of, and gives back the text as it is."""
    from macros.search import offline_index_js
    from macros.wiki import build_index

    data, _ = write_injected_kb(tmp_path, PAYLOADS[name])
    script = offline_index_js(build_index(data))
    assert not re.search(r"[<>&\u2028\u2029]", script)
    prefix = "window.wikiSearchIndex = "
    assert script.startswith(prefix) and script.endswith(";\n")
    pages = json.loads(script[len(prefix) : -2])["pages"]
    group = next(p for p in pages if p["u"] == "groups/northern-front/")
    assert any(marked(name) in " ".join(n.split()) for n in group["n"])


# -- other outputs -----------------------------------------------------------------------------


def json_ld_blocks(site: Path) -> Iterator[tuple[Path, str]]:
    for page in html_files(site):
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.DOTALL
        ):
            yield page, block


@pytest.mark.parametrize("name", payload_params())
def test_json_ld_is_inert(injected_site: Callable[[str], Path], name: str) -> None:
    site = injected_site(name)
    blocks = list(json_ld_blocks(site))
    if not blocks:
        pytest.skip('the site has no JSON-LD (<script type="application/ld+json">) yet')
    seen = False
    for page, block in blocks:
        assert "</" not in block and "<!--" not in block, f"{page}: JSON-LD could close its <script>: {block[:200]}"
        data = json.loads(block)  # must stay valid JSON
        seen = seen or "ZQ " in json.dumps(data, ensure_ascii=False)
    assert seen, "no data text reached the JSON-LD (fields not covered?)"


@pytest.mark.parametrize("name", payload_params())
def test_downloads_are_well_formed(injected_site: Callable[[str], Path], name: str) -> None:
    site = injected_site(name)
    downloads = site / "downloads"
    if not downloads.is_dir():
        pytest.skip("the site has no downloads/ folder yet")
    files = [p for p in sorted(downloads.rglob("*")) if p.is_file()]
    csv_files = [p for p in files if p.suffix == ".csv"]
    for path in files:
        if path.suffix in (".json", ".geojson"):
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml":
            ET.parse(path)
    cells: list[str] = []
    for path in csv_files:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        cells += [cell for row in rows for cell in row]
        width = len(rows[0])
        for number, row in enumerate(rows[1:], start=2):
            assert len(row) == width, f"{path.name}:{number}: {len(row)} cells, header has {width}"
            for cell in row:
                assert NUMBER.fullmatch(cell) or not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (
                    f"{path.name}:{number}: cell {cell[:60]!r} would run as a spreadsheet formula"
                )
    if csv_files:
        squashed = " ".join(PAYLOADS[name].split())
        assert any(squashed in cell for cell in cells), "payload not in any CSV cell"


@pytest.mark.parametrize("name", payload_params())
def test_other_files_are_well_formed(injected_site: Callable[[str], Path], name: str) -> None:
    """Every JSON, XML and SVG output parses; SVG has no script; data never reaches JS or CSS."""
    site = injected_site(name)
    checked = 0
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith("downloads/"):
            continue
        if path.suffix in (".json", ".geojson", ".webmanifest"):
            json.loads(path.read_text(encoding="utf-8"))
            checked += 1
        elif path.suffix in (".xml", ".svg"):
            tree = ET.parse(path)
            for element in tree.iter():
                assert not element.tag.endswith("script"), f"{rel}: <script>"
                assert not any(k.lower().startswith("on") for k in element.attrib), f"{rel}: event handler"
            checked += 1
        elif path.suffix in (".js", ".css"):
            assert "ZQ " not in path.read_text(encoding="utf-8", errors="replace"), f"{rel}: data text in code"
    assert checked >= 2  # at least the search index and the sitemap

"""Numbered citations: one collector per page, footnotes at the end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..dates import parse_date
from ..index import Index
from ..model import Citation
from .text import date_text, esc, safe_url


class Footnotes:
    """Hands out ``[^n]`` markers and renders the matching footnote definitions.

    The same (source, quote, locator) cited twice on a page gets one number.
    """

    def __init__(self, index: Index) -> None:
        self.index = index
        self._numbers: dict[tuple[str, str, str], int] = {}
        self._citations: list[Citation] = []

    def __call__(self, citations: Iterable[Citation]) -> str:
        marks = []
        for citation in citations:
            key = (citation.source, citation.quote, citation.locator or "")
            number = self._numbers.get(key)
            if number is None:
                self._citations.append(citation)
                number = self._numbers[key] = len(self._citations)
            marks.append(f"[^{number}]")
        return "".join(marks)

    def __len__(self) -> int:
        return len(self._citations)

    def definitions(self) -> str:
        return "\n".join(f"[^{n}]: {citation_text(self.index, c)}" for n, c in enumerate(self._citations, start=1))


def citation_text(index: Index, citation: Citation) -> str:
    """'“quote” — Title, Publisher, Author, 7 August 2015, locator. Original.'"""
    source = index.source(citation.source)
    parts = [f"[{esc(source.title)}]({index.href(source.id)})", esc(source.publisher)]
    if source.author:
        parts.append(esc(source.author))
    parts.append(date_text(source.published))
    if citation.locator:
        parts.append(esc(citation.locator))
    text = f"“{esc(citation.quote)}” — " + ", ".join(parts) + "."
    if source.url:
        text += f" [Original]({safe_url(source.url)}){{ .wiki-external }}"
    return text


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What a page needs to know about the site it is published on."""

    name: str = "Sahel Conflict Wiki"
    url: str = ""


def cite_this_page(index: Index, rid: str, site: SiteInfo) -> str:
    """An admonition telling readers how to cite the page (and to cite the sources for facts)."""
    url = (site.url.rstrip("/") + "/" if site.url else "/") + index.page_url(index.uri(rid))
    version = parse_date(index.last_modified(rid)).display()
    return (
        '!!! quote "How to cite this page"\n\n'
        f"    {esc(site.name)}, “{esc(index.display_name(rid))}”, {esc(url)} (version of {esc(version)}). "
        "For a fact, cite the original source given in its footnote."
    )


def with_cite_block(page: str, block: str) -> str:
    """Insert the block before the citations section (footnotes always end the page)."""
    marker = "## Citations { #citations }"
    if marker in page:
        return page.replace(marker, block + "\n\n" + marker, 1)
    return page.rstrip("\n") + "\n\n" + block + "\n"

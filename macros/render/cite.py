"""Numbered citations: one collector per page, footnotes at the end."""

from __future__ import annotations

import re
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


#: A footnote marker the wiki wrote (data text is escaped: its '[' always follows a backslash, or
#: is an entity in HTML attributes and SVG); at the start of a line followed by ': ' it is a definition.
_MARK = re.compile(r"(?<!\\)\[\^(\d+)\](: )?")


def in_reading_order(page: str) -> str:
    """Renumber a page's footnotes in the order their markers first appear in its text, and list the
    definitions in that order, so a reader meets [1], [2], [3] from the top."""
    order: dict[str, int] = {}
    definitions: dict[str, str] = {}
    lines = page.split("\n")
    for line in lines:
        first = _MARK.match(line)
        if first and first[2]:
            definitions[first[1]] = line[first.end() :]
            continue
        for mark in _MARK.finditer(line):
            order.setdefault(mark[1], len(order) + 1)
    for old in definitions:  # defined but never marked: keep it, after the others
        order.setdefault(old, len(order) + 1)
    if list(order) == [str(n) for n in range(1, len(order) + 1)]:
        return page

    def number(mark: re.Match[str]) -> str:
        return f"[^{order.get(mark[1], mark[1])}]{mark[2] or ''}"

    out: list[str] = []
    listed = False
    for line in lines:
        first = _MARK.match(line)
        if first and first[2]:
            if not listed:  # the definitions, once, in their new order
                out.extend(
                    f"[^{n}]: {_MARK.sub(number, definitions[old])}" for old, n in order.items() if old in definitions
                )
                listed = True
            continue
        out.append(_MARK.sub(number, line))
    return "\n".join(out)


def citation_text(index: Index, citation: Citation) -> str:
    """'“quote” — Title, Publisher, Author, 7 August 2015, locator. Original.'"""
    source = index.source(citation.source)
    parts = [f"[{esc(source.title)}]({index.href(source.id)})", esc(source.publisher)]
    if source.author:
        parts.append(esc(source.author))
    parts.append(date_text(source.published))
    if citation.locator:
        parts.append(esc(citation.locator))
    if _words(citation.quote) == _words(source.title):
        # The quote is only the title, which the source link already shows: say so, do not repeat it.
        return _with_original("Cited for its title: " + ", ".join(parts) + ".", source.url)
    text = f"{quoted(citation.quote)} — " + ", ".join(parts) + "."
    return _with_original(text, source.url)


def _words(text: str) -> str:
    return " ".join(text.strip(_QUOTE_MARKS + " .").casefold().split())


_QUOTE_MARKS = '“”"„«»'
_OPENING, _CLOSING = '“"„«', '”"»'


def quoted(quote: str) -> str:
    """A verbatim quote between quotation marks, escaped, with the marks shown once: a quote that is
    itself wholly quoted keeps its own pair; quotation marks inside a quote become single ones, as
    in any quotation within a quotation ('as a ‘second Afghanistan.’')."""
    text = " ".join(quote.split())
    if (
        len(text) > 1
        and text[0] in _OPENING
        and text[-1] in _CLOSING
        and not any(c in _QUOTE_MARKS for c in text[1:-1])
    ):
        text = text[1:-1]
    text = text.replace("“", "‘").replace("”", "’")
    return f"“{esc(text)}”"


def _with_original(text: str, url: str | None) -> str:
    if url:
        text += f" [Original]({safe_url(url)}){{ .wiki-external }}"
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

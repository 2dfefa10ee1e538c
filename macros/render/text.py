"""Escaping and small formatting helpers shared by every renderer.

Data text is untrusted.  :func:`esc` makes any string inert in Markdown *and*
HTML: ``&`` and ``<`` become entities, and every character Python-Markdown
gives meaning to (with the tables extension) gets a backslash.  Only
characters Python-Markdown accepts as escapes are escaped, otherwise the
backslash itself would show.  Newlines collapse to spaces, so a title can
never open a new block (list, heading, table row, HTML block).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from ..dates import WikiDate, describe
from ..model import Event, EventType, Figure, Qualifier, Range

#: Python-Markdown's ESCAPED_CHARS plus '|' (tables); '<' and '&' become entities.
_MARKDOWN = {ord(c): "\\" + c for c in "\\`*_{}[]()>#+-.!|"}
_MARKDOWN[ord("<")] = "&lt;"
_MARKDOWN[ord("&")] = "&amp;"


def esc(text: str) -> str:
    """Untrusted text → inert inline Markdown (one line)."""
    return " ".join(text.split()).translate(_MARKDOWN)


def attr(text: str) -> str:
    """Untrusted text → a safe HTML attribute value (for hand-built HTML only)."""
    return html.escape(" ".join(text.split()), quote=True).replace("[", "&#91;")


def safe_url(url: str) -> str:
    """A validated http(s) URL made safe inside a Markdown link destination."""
    return quote(url, safe=":/?#@!$&*+,;=%~-._[]")


def date_text(date: WikiDate | None) -> str:
    """A date at its real precision, escaped: '7 August 2015', 'c. 2010'."""
    return esc(date.display()) if date is not None else "date unknown"


def event_when(event: Event) -> str:
    """An event's date as plain text, read as what the record knows: 'by 12 August 2015 (date of
    report)'; a statistic's range is the period it counts ('since 2013, as of 16 June 2024')."""
    basis = event.date_basis.value if event.date_basis else None
    return describe(event.date, basis=basis, period=event.type is EventType.STATISTIC)


def event_date_text(event: Event) -> str:
    """:func:`event_when`, escaped for Markdown."""
    return esc(event_when(event))


def date_note_marker(note: str | None) -> str:
    """A small visible marker after a listed date whose accessible text is the record's date note
    (the note is also the hover title); ``""`` without a note."""
    if not note:
        return ""
    return (
        f' <span class="wiki-date-note" title="{attr(note)}"><span aria-hidden="true">note</span>'
        f'<span class="wiki-sr"> (date note: {esc(note)})</span></span>'
    )


def event_date_cell(event: Event) -> str:
    """An event's date where events are listed (tables, lists): the date and its note marker."""
    first, rank, last = event.date.sort_key()
    key = f"{first.isoformat()}.{rank}.{last.isoformat()}"  # wiki.js sorts by this, not by the words
    return f'<span data-sort="{key}">{event_date_text(event)}</span>' + date_note_marker(event.date_note)


def period_text(period: WikiDate) -> str:
    """The period a reported figure covers, escaped: 'since 2013, as of 16 June 2024'."""
    return esc(describe(period, period=True))


def count_text(count: int | Range) -> str:
    if isinstance(count, Range):
        return f"{count.min}–{count.max}"
    return f"{count:,}"


def ascii_fold(text: str) -> str:
    """'Touré' → 'Toure', 'Jamâ’ah' → "Jama'ah": the spelling people type into a search box."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 event', '1,277 events'; ``many`` for an irregular plural."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


def label(value: str) -> str:
    """'perpetrator-claimed' → 'Perpetrator claimed'."""
    return value.replace("-", " ").capitalize()


def join(parts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def table(headers: list[str], rows: Iterable[list[str]]) -> str:
    """A Markdown table; cells must already be escaped Markdown."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


_QUALIFIER_TEXT = {
    Qualifier.EXACT: "",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.OVER: "over ",
    Qualifier.ABOUT: "about ",
    Qualifier.UP_TO: "up to ",
    Qualifier.LESS_THAN: "less than ",
}


def figure_text(figure: Figure) -> str:
    """A reported figure's value as the source gives it, escaped: 'over 100 per month', '2–3'."""
    text = _QUALIFIER_TEXT[figure.qualifier] + count_text(figure.value)
    return text + (f" {esc(figure.unit)}" if figure.unit else "")

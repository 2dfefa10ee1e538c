"""Addresses for single facts, event rows, relations and contested values, and "Cite this fact".

An anchor is made from the data it marks, never from its position on the page, so that it
survives rebuilds and edits elsewhere: ``event-<id>`` and ``relation-<id>`` from the record's
stable id; ``fact-<topic>-<hash>`` from the fact's topic, value, date and first quote (a fact
has no id; the quote is verbatim, so it changes only when the fact itself does);
``contested-<topic>-<value>`` from the contested value.

Each anchor gets a small link to itself (shown on hover and focus), and a fact, relation or
contested value a ``<details>`` "Cite this fact" with a ready citation of the wiki's page at
that anchor and of the original source with its quote, as plain text and BibTeX. It reads
without JavaScript; ``assets/cite.js`` adds copy buttons; search (Pagefind) leaves the boxes
out. All inline HTML, one line, so that it sits in a list item or a table cell.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from ..dates import parse_date
from ..index import Index
from ..model import Citation, Fact
from .cite import SiteInfo
from .text import attr, esc


def slug(text: str, limit: int = 40) -> str:
    """'12,000 fighters' → '12-000-fighters': letters and digits of the text, plain ASCII."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].strip("-") or "x"


def fact_anchor(fact: Fact) -> str:
    first = fact.citations[0]
    key = "\x1f".join(
        [fact.topic, fact.value or "", fact.as_of.edtf() if fact.as_of else "", first.source, first.quote]
    )
    return f"fact-{fact.topic}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"


def fact_anchors(facts: Sequence[Fact]) -> dict[int, str]:
    """Position in ``facts`` → anchor; a fact identical to an earlier one gets '-2', '-3'."""
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for number, fact in enumerate(facts):
        base = fact_anchor(fact)
        seen[base] = seen.get(base, 0) + 1
        out[number] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return out


def event_anchor(event_id: str) -> str:
    return f"event-{event_id}"


def relation_anchor(relation_id: str) -> str:
    return f"relation-{relation_id}"


def contested_value_anchor(topic: str, as_of: str, value: str) -> str:
    """``contested-strength-12-000``, or with the day it held: ``contested-strength-2013-12-000``."""
    return f"contested-{topic}-" + (f"{slug(as_of)}-" if as_of else "") + slug(value)


def self_link(anchor: str, what: str) -> str:
    """The anchor, and a link to it that shows on hover and focus (CSS: assets/wiki.css)."""
    return (
        f'<a class="wiki-anchor" id="{attr(anchor)}" href="#{attr(anchor)}" aria-label="Link to this {attr(what)}"></a>'
    )


def cite_details(
    index: Index, rid: str, *, anchor: str, kind: str, what: str, citations: Sequence[Citation], site: SiteInfo
) -> str:
    """'Cite this fact' (``kind``: fact, relation, value): the wiki's page at ``anchor``, with
    ``what`` naming the fact, and each original source with its quote; plain text and BibTeX."""
    from ..formats.bibliography import bibtex_entry, tex  # formats imports the exporters, which import render

    page = index.page_url(index.uri(rid))
    url = (site.url.rstrip("/") + "/" if site.url else "/") + page + f"#{anchor}"
    version = parse_date(index.last_modified(rid))
    name = index.display_name(rid)
    wiki = f"{site.name}, “{name}”, {kind} “{what}”, {url} (version of {version.display()})."
    wiki_bib = (
        f"@misc{{sahel-wiki-{rid}-{anchor},\ntitle = {{{{{tex(name)}}}: {tex(what)}}},\n"
        f"publisher = {{{tex(site.name)}}},\nyear = {{{version.latest.year}}},\n"
        f"date = {{{version.latest.isoformat()}}},\nurl = {{{url}}}\n}}\n"
    )
    parts = [
        f'<details class="wiki-cite" data-pagefind-ignore="all"><summary>Cite this {esc(kind)}</summary>',
        f'<span class="wiki-cite-label">This wiki:</span> <code class="wiki-cite-text">{esc(wiki)}</code>',
    ]
    bib = [wiki_bib]
    for citation in citations:
        source = index.source(citation.source)
        by = f"{source.author}, " if source.author else ""
        at = f", {citation.locator}" if citation.locator else ""
        original = f" {source.url}" if source.url else ""
        text = (
            f"{by}“{source.title}”, {source.publisher}, {source.published.display()}{at}: “{citation.quote}”.{original}"
        )
        parts.append(
            f'<span class="wiki-cite-label">Original source:</span> <code class="wiki-cite-text">{esc(text)}</code>'
        )
        entry = bibtex_entry(index, source, site.url, short=True)
        if entry not in bib:
            bib.append(entry)
    # One Markdown line (it sits in a list item or a table cell): line breaks as character references.
    lines = [esc(line) for entry in bib for line in entry.splitlines()]
    parts.append(
        f'<span class="wiki-cite-label">BibTeX:</span> <code class="wiki-cite-bib">{"&#10;".join(lines)}</code>'
    )
    return "".join(parts) + "</details>"

"""The page of one source: publication facts and every quote the wiki takes from it."""

from __future__ import annotations

from ..index import Index
from ..model import Source
from .cite import quoted
from .entity import infobox
from .links import link_to
from .text import date_text, esc, plural, safe_url, table


def source_page(index: Index, sid: str) -> str:
    source = index.get(sid)
    assert isinstance(source, Source)
    rows = [("Title", esc(source.title) + (f" <br>*{esc(source.title_note)}*" if source.title_note else ""))]
    rows.append(("Publisher", esc(source.publisher)))
    author = esc(source.author) if source.author else "not named"
    if source.author_note:
        author += f" ({esc(source.author_note)})"
    rows.append(("Author", author))
    published = date_text(source.published)
    if source.date_note:
        published += f" <br>*{esc(source.date_note)}*"
    rows.append(("Published", published))
    rows.append(("Language", esc(source.language)))
    if source.url:
        link = f"[{esc(source.url)}]({safe_url(source.url)}){{ .wiki-external }}"
        rows.append(("Original", link + (f" <br>*{esc(source.url_note)}*" if source.url_note else "")))
    elif source.url_note:
        rows.append(("Original", f"*{esc(source.url_note)}*"))
    parts = [f"# {esc(source.title)}", "", infobox(rows, "Source"), ""]
    if source.summary:
        parts += [esc(source.summary), ""]
    if source.note:
        parts += [f"*Note (wiki):* {esc(source.note)}", ""]
    citing = index.citing.get(sid, [])
    records = sorted({rid for rid, _ in citing})
    parts += [
        "## Quoted in the wiki { #quoted }",
        "",
        f"{plural(len(citing), 'citation')} in {plural(len(records), 'record')} quote this source. "
        "Each quote is a short verbatim excerpt.",
        "",
    ]
    if citing:
        rows2 = [
            [
                link_to(index, rid),
                esc(index.kind_of[rid]),
                quoted(c.quote) + (f" ({esc(c.locator)})" if c.locator else ""),
            ]
            # in the order of what the table shows: the record's name, then the quote
            for rid, c in sorted(citing, key=lambda rc: (index.display_name(rc[0]).casefold(), rc[1].quote, rc[0]))
        ]
        parts += [table(["Record", "Kind", "Quote"], rows2), ""]
    return "\n".join(parts)

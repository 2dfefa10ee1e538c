"""The update feed: an Atom 1.0 document (RFC 4287) of the records added or changed.

One entry per record that has an ``added`` or ``updated`` day, newest first, at most
:data:`MAX_ENTRIES` (a feed reader polls it: it stays small; the what's-new page and the
downloads have everything). An entry's id names the record and the day, so a change made
on a later day is a new entry in the reader.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from ..dates import WikiDate
from ..index import Index
from ..model import Event, Relation, Source
from ..render.text import event_when
from .common import page_address, site_address

MAX_ENTRIES = 100
#: Where the feed is published. In a folder of its own, beside :func:`sitemap_stub`: every page
#: announces the feed (``<link rel="alternate">``, overrides/main.html), and Material's script
#: fetches ``sitemap.xml`` from the folder of every ``rel="alternate"`` link it finds, taking it
#: for a translation of the site (zensical/zensical#908, the same code as Material 9.8). For a
#: feed at the site's root that was the site's whole sitemap on every page view (170 KB
#: compressed at 10,000 events, more than the page itself); here it is the stub's 100 bytes.
FEED_PATH = "feed/atom.xml"
FEED_SITEMAP = "feed/sitemap.xml"
#: Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(text: str) -> str:
    """Untrusted text → XML character data on one line."""
    return escape(" ".join(_NOT_XML.sub("", text).split()))


FEED_TITLE = "Sahel Conflict Wiki: new and updated records"


def _stamp(date: WikiDate) -> str:
    """An RFC 3339 date-time: the last day the data's date allows, at midnight UTC."""
    return date.latest.isoformat() + "T00:00:00Z"


def _authority(site_url: str) -> str:
    return urlsplit(site_url).hostname or "sahel-wiki.invalid"


def _summary(record: object) -> str:
    if isinstance(record, Event):
        return f"{event_when(record)}. {record.summary}"
    if isinstance(record, Source):
        return f"{record.publisher}, {record.published.display()}. {record.summary or ''}".strip()
    if isinstance(record, Relation):
        return record.text or ""
    return getattr(record, "summary", None) or ""


def entries(index: Index) -> list[tuple[str, str, WikiDate]]:
    """(record id, 'Added' or 'Updated', day) for every dated record, newest first."""
    found = []
    for rid, record in index.by_id.items():
        added, updated = getattr(record, "added", None), getattr(record, "updated", None)
        day = updated or added
        if day is None:
            continue
        verb = "Updated" if updated is not None and (added is None or updated.edtf() != added.edtf()) else "Added"
        found.append((rid, verb, day))
    found.sort(key=lambda item: (item[2].latest, item[0]), reverse=True)
    return found[:MAX_ENTRIES]


def feed(index: Index, site_url: str) -> str:
    chosen = entries(index)
    authority = _authority(site_url)
    updated = _stamp(chosen[0][2]) if chosen else index.last_modified() + "T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"  <id>tag:{authority},2024:feed</id>",
        f"  <title>{escape(FEED_TITLE)}</title>",
        f"  <subtitle>The {MAX_ENTRIES} latest additions and changes, newest first.</subtitle>",
        f"  <updated>{updated}</updated>",
        "  <author><name>Sahel Conflict Wiki</name></author>",
        "  <rights>CC BY 4.0; quotes belong to their publishers.</rights>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(site_address(site_url, FEED_PATH))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(site_address(site_url, "whats-new/"))}/>',
    ]
    for rid, verb, day in chosen:
        record = index.by_id[rid]
        kind = index.kind_of[rid]
        anchor = "relations" if isinstance(record, Relation) else ""
        link = page_address(index, rid, site_url, anchor)
        lines += [
            "  <entry>",
            f"    <id>tag:{authority},{day.latest.isoformat()}:{kind}/{rid}</id>",
            f"    <title>{_text(f'{verb}: {index.display_name(rid)} ({kind})')}</title>",
            f"    <updated>{_stamp(day)}</updated>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
            f"    <category term={quoteattr(kind)}/>",
            f"    <summary>{_text(_summary(record))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap_stub() -> str:
    """An empty sitemap for :data:`FEED_SITEMAP` (see :data:`FEED_PATH`): Material reads it as
    "no pages in this alternate site" and does nothing more."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'

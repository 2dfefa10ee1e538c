"""The metadata reference managers read from a page's head.

Zotero's and Mendeley's page translators read Highwire Press ``citation_*`` tags first,
then Dublin Core ``DC.*``, then Open Graph. Every page describes itself (title, the wiki as
publisher, the day its content last changed, its address); a source's page describes the
*original* document in ``citation_*`` and ``DC.*`` instead (title, author, publisher,
publication date, original address), so that "save to Zotero" there saves the source, while
Open Graph keeps describing the wiki's page. Values are plain text: the template escapes them.
"""

from __future__ import annotations

from ..dates import WikiDate
from ..index import Index
from ..model import Source
from .common import main_point, plain_iso

#: (attribute, property name, value) of one <meta> element.
MetaTag = tuple[str, str, str]


def highwire_date(date: WikiDate) -> str:
    """Highwire's YYYY/MM/DD, at the date's precision ('2015/08/12', '2012/09', '2010')."""
    return iso_date(date).replace("-", "/")


def iso_date(date: WikiDate) -> str:
    """W3C-DTF (ISO 8601) at the date's precision, as Dublin Core wants: '2012-09'."""
    return plain_iso(main_point(date))


def page_meta(
    index: Index, rid: str | None, title: str, url: str, *, site_name: str, language: str = "en"
) -> list[MetaTag]:
    """The tags of one page; ``rid`` is the record the page shows, if any."""
    record = index.by_id.get(rid) if rid else None
    day = index.last_modified(rid)
    tags: list[MetaTag] = []
    if isinstance(record, Source):
        tags += source_meta(record)
    else:
        tags += [
            ("name", "citation_title", title),
            ("name", "citation_publisher", site_name),
            ("name", "citation_date", day.replace("-", "/")),
            ("name", "citation_publication_date", day.replace("-", "/")),
            ("name", "citation_public_url", url),
            ("name", "citation_language", language),
            ("name", "DC.title", title),
            ("name", "DC.publisher", site_name),
            ("name", "DC.date", day),
            ("name", "DC.identifier", url),
            ("name", "DC.language", language),
            ("name", "DC.type", "Text"),
            ("name", "DC.format", "text/html"),
            ("name", "DC.rights", "CC BY 4.0"),
        ]
    tags += [
        ("property", "og:type", "website"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:url", url),
    ]
    return [tag for tag in tags if tag[2]]


def source_meta(source: Source) -> list[MetaTag]:
    """The original document's own reference."""
    tags: list[MetaTag] = [("name", "citation_title", source.title)]
    if source.author:
        tags.append(("name", "citation_author", source.author))
    tags += [
        ("name", "citation_publisher", source.publisher),
        ("name", "citation_publication_date", highwire_date(source.published)),
        ("name", "citation_date", highwire_date(source.published)),
        ("name", "citation_language", source.language),
    ]
    if source.url:
        tags.append(("name", "citation_public_url", source.url))
    tags += [("name", "DC.title", source.title)]
    if source.author:
        tags.append(("name", "DC.creator", source.author))
    tags += [
        ("name", "DC.publisher", source.publisher),
        ("name", "DC.date", iso_date(source.published)),
        ("name", "DC.language", source.language),
        ("name", "DC.type", "Text"),
    ]
    if source.url:
        tags.append(("name", "DC.identifier", source.url))
    return tags

"""The wiki's sources for reference managers: BibTeX, CSL-JSON and RIS.

Each entry describes the *original* document (its title, author, publisher, date, address),
with the wiki's page about it in a note, so that a researcher cites what was read.
Formats as their specifications give them: BibTeX/biblatex ``@misc`` (fields both
understand, plus biblatex's ``date``), CSL-JSON (the citation-style-language schema's
``csl-data.json``), RIS (tag, two spaces, hyphen, space, value; CRLF line ends).
"""

from __future__ import annotations

import json
from typing import Any

from ..dates import Interval, Point
from ..index import Index
from ..model import Source
from .common import date_parts, main_point, page_address, plain_iso

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Characters with a meaning in (La)TeX → their literal form.
_TEX = {
    ord("\\"): r"\textbackslash{}",
    ord("{"): r"\{",
    ord("}"): r"\}",
    ord("&"): r"\&",
    ord("%"): r"\%",
    ord("$"): r"\$",
    ord("#"): r"\#",
    ord("_"): r"\_",
    ord("^"): r"\textasciicircum{}",
    ord("~"): r"\textasciitilde{}",
}


def tex(text: str) -> str:
    """Untrusted text → a BibTeX field value that cannot close its braces or run TeX."""
    return " ".join(text.split()).translate(_TEX)


def _tex_url(url: str) -> str:
    # A validated http(s) address has no spaces or quotes; braces and % are percent-encoded so
    # that the field stays balanced and url-package safe.
    return url.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _note(index: Index, source: Source, site_url: str) -> str:
    return f"Cited in the Sahel Conflict Wiki: {page_address(index, source.id, site_url)}"


def bibtex_entry(index: Index, source: Source, site_url: str, *, short: bool = False) -> str:
    """One ``@misc`` entry; ``short`` leaves out the language and the note (for "Cite this")."""
    point = main_point(source.published)
    fields: list[tuple[str, str]] = [("title", "{" + tex(source.title) + "}")]
    if source.author:
        # A name with ' and ' would read as two authors: keep it whole.
        author = tex(source.author)
        fields.append(("author", "{" + author + "}" if " and " in f" {author} " else author))
    fields.append(("publisher", tex(source.publisher)))
    fields.append(("year", str(point.year)))
    if point.month:
        fields.append(("month", _MONTHS[point.month - 1]))
    # biblatex's ISO 8601 date (a range as start/end). Its EDTF "~" for circa would read as a
    # TeX space to other BibTeX readers: an approximate date says so in the note instead.
    date = source.published
    points = [date] if isinstance(date, Point) else [date.start, date.end] if date.start and date.end else []
    if points:
        fields.append(("date", "/".join(plain_iso(p) for p in points if p is not None)))
    approximate = any(p is not None and (p.approximate or p.uncertain) for p in points)
    if source.url:
        fields.append(("url", _tex_url(source.url)))
    if short:
        return _entry(source.id, fields)
    fields.append(("language", source.language))
    note = _note(index, source, site_url) + (f". Date approximate: {date.display()}" if approximate else "")
    fields.append(("note", tex(note)))
    return _entry(source.id, fields)


def _entry(key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def bibtex(index: Index, site_url: str) -> str:
    header = "% Sources of the Sahel Conflict Wiki (BibTeX; UTF-8). Entries describe the original documents.\n\n"
    return header + "\n".join(bibtex_entry(index, s, site_url) for s in index.kb.sources)


def _csl_date(source: Source) -> dict[str, Any]:
    date = source.published
    if isinstance(date, Point):
        out: dict[str, Any] = {"date-parts": [date_parts(date)]}
        if date.approximate or date.uncertain:
            out["circa"] = True
        return out
    assert isinstance(date, Interval)
    if date.start and date.end:
        out = {"date-parts": [date_parts(date.start), date_parts(date.end)]}
        if any(p.approximate or p.uncertain for p in (date.start, date.end)):
            out["circa"] = True
        return out
    return {"literal": date.display()}  # an open range has no date-parts form


def csl_item(index: Index, source: Source, site_url: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": source.id,
        "type": "webpage",
        "title": source.title,
        "publisher": source.publisher,
        "container-title": source.publisher,
        "issued": _csl_date(source),
        "language": source.language,
        "note": _note(index, source, site_url),
    }
    if source.author:
        item["author"] = [{"literal": source.author}]  # the data does not split names
    if source.url:
        item["URL"] = source.url
    if source.summary:
        item["abstract"] = source.summary
    return item


def csl_json(index: Index, site_url: str) -> str:
    items = [csl_item(index, s, site_url) for s in index.kb.sources]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}\r\n"


def ris_entry(index: Index, source: Source, site_url: str) -> str:
    point = main_point(source.published)
    lines = [_ris_line("TY", "ELEC"), _ris_line("ID", source.id), _ris_line("TI", source.title)]
    if source.author:
        lines.append(_ris_line("AU", source.author))
    lines.append(_ris_line("PB", source.publisher))
    lines.append(_ris_line("T2", source.publisher))
    lines.append(_ris_line("PY", f"{point.year:04d}"))
    # RIS dates: YYYY/MM/DD/other, empty parts kept; the qualifier goes to "other".
    day = f"{point.year:04d}/{point.month or 0:02d}/{point.day or 0:02d}/".replace("/00", "/")
    lines.append(_ris_line("DA", day + ("circa" if point.approximate else "")))
    if source.url:
        lines.append(_ris_line("UR", source.url))
    lines.append(_ris_line("LA", source.language))
    if source.summary:
        lines.append(_ris_line("AB", source.summary))
    lines.append(_ris_line("N1", _note(index, source, site_url)))
    lines.append("ER  - \r\n")
    return "".join(lines)


def ris(index: Index, site_url: str) -> str:
    return "\r\n".join(ris_entry(index, s, site_url) for s in index.kb.sources)

"""'What's new': records grouped by the day they were added to the wiki."""

from __future__ import annotations

from collections import defaultdict

from ..index import Index
from ..model import Event, Source
from .links import link_to
from .text import date_text, esc, event_date_cell, plural


def changelog_page(index: Index, limit_days: int = 30) -> str:
    """Sources and events by date of addition (newest first); records without one by event date."""
    from ..formats.atom import FEED_PATH  # formats imports render: here, not at the top

    added: dict[str, list[Event | Source]] = defaultdict(list)
    undated: list[Event] = []
    records: list[Event | Source] = [*index.kb.sources, *index.events]
    for record in records:
        if record.added is not None:
            added[record.added.edtf()].append(record)
        elif isinstance(record, Event):
            undated.append(record)
    parts = [
        "# What's new",
        "",
        "Sources and events by the day they were added to the wiki, newest first. "
        "Each record's own page shows its full citations.",
        "",
        f"Follow the additions and changes in a feed reader: [the update feed (Atom)](/{FEED_PATH}).",
        "",
    ]
    for day in sorted(added, reverse=True)[:limit_days]:
        records = added[day]
        sources = [r for r in records if isinstance(r, Source)]
        events = [r for r in records if isinstance(r, Event)]
        parts += [f"## Added {date_text(records[0].added)} {{ #added-{day} }}", ""]
        if sources:
            parts.append(f"**{plural(len(sources), 'source')}:** " + ", ".join(link_to(index, s.id) for s in sources))
            parts.append("")
        if events:
            parts.append(f"**{plural(len(events), 'event')}:**")
            parts.append("")
            parts += [f"- {event_date_cell(e)}: {link_to(index, e.id)}" for e in events]
            parts.append("")
    if undated:
        parts += ["## Without a recorded date of addition { #undated }", ""]
        parts += [f"- {event_date_cell(e)}: {link_to(index, e.id)}" for e in undated[-50:][::-1]]
        parts.append("")
    if not added and not undated:
        parts.append(esc("Nothing has been added yet."))
    return "\n".join(parts)

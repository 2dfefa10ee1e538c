"""The page of one event."""

from __future__ import annotations

from collections import defaultdict

from ..index import Index, primary_year
from ..model import Casualties, Event
from .cite import Footnotes
from .common import citations_section, role_text
from .entity import infobox
from .links import link_to, link_year
from .maps import locator_map
from .text import count_text, esc, event_date_text, figure_text, join, label, period_text, table


def casualty_text(items: list[Casualties], field: str) -> str:
    parts = []
    for item in items:
        count = getattr(item, field)
        if count is None:
            continue
        text = f"{count_text(count)} {esc(item.category.value)}"
        if item.note:
            text += f" ({esc(item.note)})"
        parts.append(text)
    return join(parts)


def event_page(index: Index, rid: str) -> str:
    event = index.get(rid)
    assert isinstance(event, Event)
    cite = Footnotes(index)
    when = event_date_text(event)
    if event.date_note:
        when += f" <br>*{esc(event.date_note)}*"
    rows = [("Date", when), ("Type", esc(label(event.type.value)))]
    if event.places:
        rows.append(("Places", join(link_to(index, p) for p in event.places)))
    by_role: dict[str, list[str]] = defaultdict(list)
    for actor in event.actors:
        by_role[actor.role.value].append(link_to(index, actor.ref))
    for role, links in by_role.items():
        rows.append((esc(role_text(role).capitalize()), join(links)))
    rows.append(("Killed", casualty_text(event.casualties, "killed")))
    rows.append(("Wounded", casualty_text(event.casualties, "wounded")))
    rows.append(("Year", link_year(primary_year(event.date))))

    figure = locator_map(index, event.places, index.uri(rid))
    parts = [f"# {esc(event.title)}", "", esc(event.summary) + cite(event.citations), ""]
    parts += [infobox(rows, esc(label(event.type.value)), figure), ""]
    if event.note:
        parts += [f"*Note (wiki):* {esc(event.note)}", ""]
    if event.figures:
        frows = []
        for fig in event.figures:
            value = figure_text(fig)
            frows.append([esc(fig.measure), value, period_text(fig.period) if fig.period else "—", esc(fig.note or "")])
        parts += ["## Figures reported { #figures }", "", table(["Measure", "Value", "Period", "Note"], frows), ""]
    if event.actors:
        arows = [
            [link_to(index, a.ref), esc(index.kind_of[a.ref]), esc(role_text(a.role.value)), esc(a.note or "")]
            for a in event.actors
        ]
        parts += ["## Who was involved { #involved }", "", table(["Name", "Kind", "Role", "Note"], arows), ""]
    section = citations_section(cite)
    if section:
        parts.append(section)
    return "\n".join(parts) + "\n"

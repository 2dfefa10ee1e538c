"""Build-time bar charts: inline SVG plus a Markdown table of the same numbers.

No JavaScript and no third-party requests: every chart is an inline
``<svg role="img">`` named by its ``<title>`` and ``<desc>``.  Colours come
only from CSS classes (``wiki-series-0`` ... in ``docs/assets/wiki.css``), so
the light and dark schemes both work; each series also has its own fill
pattern (solid, hatched, dotted, ...) so colour is never the only cue.  Every
chart is followed by a table, so every figure is also text.

All functions are pure: they take the :class:`~macros.index.Index` (or plain
numbers) and return strings, the same input giving the same string.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..index import Index
from ..model import CasualtyCategory, EventType, Group, Range
from .links import link_to, link_year
from .text import esc, event_date_text, figure_text, label, period_text, plural, table

#: Number of distinct series styles (classes and patterns) before they repeat.
SERIES_STYLES = 8
#: Average glyph width as a share of the font size, to size labels without a font.
GLYPH = 0.6

#: Roles that name a group as (alleged) author of an event.
PERPETRATOR_ROLES = frozenset({"perpetrator", "claimed", "suspected", "attributed"})


# --------------------------------------------------------------------------
# SVG helpers (shared with graph.py)
# --------------------------------------------------------------------------


def svg_text(text: str) -> str:
    """Untrusted text → inert SVG/XML text or attribute value (one line).

    Besides the XML specials, braces become character references so the
    output can never be read as a Jinja expression either.
    """
    escaped = html.escape(" ".join(text.split()), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;")


def svg_id(prefix: str, *parts: object) -> str:
    """A deterministic id for ``<pattern>``/``<marker>`` elements, unique per content."""
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def num(value: float) -> str:
    """1234 → '1,234'; 2.5 → '2.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    return len(text) * size * GLYPH


def truncate(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _f(value: float) -> str:
    """A coordinate, short and stable."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ticks(top: float, target: int = 5, integer: bool = True) -> list[float]:
    """Round axis ticks from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 × 10^n."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            step = factor * magnitude
            break
    if integer:
        step = max(1.0, float(math.ceil(step)))
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 6) for i in range(count + 1)]


def _pattern(pid: str, i: int, style: int) -> str:
    """The fill of series ``i`` in style ``style``: a coloured tile (class ``wiki-swatch-N``) plus a texture."""
    tile = f'<rect width="8" height="8" class="wiki-swatch-{style}"/>'
    marks = [
        "",  # solid
        '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" class="wiki-hatch"/>',  # diagonal /
        '<circle cx="4" cy="4" r="1.6" class="wiki-dot"/>',  # dots
        '<path d="M0,4 h8" class="wiki-hatch"/>',  # horizontal lines
        '<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" class="wiki-hatch"/>',  # diagonal \
        '<path d="M4,0 v8" class="wiki-hatch"/>',  # vertical lines
        '<path d="M0,4 h8 M4,0 v8" class="wiki-hatch"/>',  # grid
        '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4 M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" class="wiki-hatch"/>',
    ][style]
    return f'<pattern id="{pid}-{i}" width="8" height="8" patternUnits="userSpaceOnUse">{tile}{marks}</pattern>'


def _legend(pid: str, names: Sequence[str], styles: Sequence[int], at: tuple[float, float]) -> tuple[list[str], float]:
    """Legend items flowing left to right from ``at`` = (width, y); returns the SVG lines and the y below it."""
    width, y = at
    x = 0.0
    parts: list[str] = ['<g class="wiki-legend">']
    size = 12.0
    for i, name in enumerate(names):
        shown = truncate(name, 48)
        item = 16 + text_width(shown, size) * 0.92 + 18
        if x > 0 and x + item > width:
            x, y = 0.0, y + 18
        parts.append(
            f'<rect x="{_f(x)}" y="{_f(y - 10)}" width="12" height="12" '
            f'class="wiki-bar wiki-series-{styles[i]}" fill="url(#{pid}-{i})"/>'
            f'<text x="{_f(x + 16)}" y="{_f(y)}">{svg_text(shown)}</text>'
        )
        x += item
    parts.append("</g>")
    return parts, y + 14


def svg_open(
    pid: str,
    title: str,
    desc: str,
    *,
    size: tuple[float, float],
    cls: str,
    role: str | None = "img",
    min_width: float = 0,
) -> str:
    """The opening ``<svg>`` with its accessible name and description; sized by ``viewBox``.
    ``role=None`` for a drawing that holds links: ``img`` would hide them from assistive
    technology, ``group`` is not allowed on ``<svg>``; without a role it is a graphics
    document whose links stay in the tab order."""
    width, height = size
    style = f"max-width:{_f(width)}px" + (f";min-width:{_f(min_width)}px" if min_width else "")
    role_attribute = f' role="{role}"' if role else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}"{role_attribute} '
        f'aria-labelledby="{pid}-title {pid}-desc" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" style="{style}">'
        f'<title id="{pid}-title">{svg_text(title)}</title><desc id="{pid}-desc">{svg_text(desc)}</desc>'
    )


# --------------------------------------------------------------------------
# The generic bar chart
# --------------------------------------------------------------------------


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    desc: str = "",
    stacked: bool = True,
    horizontal: bool = False,
    unit: str = "",
    width: float = 720,
    integer: bool = True,
    styles: Sequence[int] | None = None,
    upper: Sequence[float] | None = None,
    missing: Sequence[bool] | None = None,
    fit: str = "",
) -> str:
    """An inline SVG bar chart; ``""`` when there is nothing to draw.

    For a stacked chart, ``upper`` gives each label's highest reading where the data
    is a range (the bars show the lowest): a range mark is drawn up to it and the label reads
    "low–high". ``missing`` marks labels that have no figure at all: they read "no figure"
    rather than standing at zero.

    ``labels`` name the bars (categories on the axis); ``series`` maps each
    series name to one value per label.  With ``stacked`` the series of one
    label are stacked, otherwise they stand side by side.  ``horizontal`` draws
    one row per label (for long labels such as group names).  ``styles`` gives
    each series its style number (class ``wiki-series-N`` and pattern), so that a
    category keeps its look across charts; by default the series are numbered.
    ``fit`` ("wide" or "narrow", see :func:`bar_charts`) draws it at 1:1 for that screen.
    """
    names = list(series)
    values = [[max(float(v), 0.0) for v in series[n]] for n in names]
    if not labels or not names:
        return ""
    for name, row in zip(names, values, strict=True):
        if len(row) != len(labels):
            raise ValueError(f"series {name!r} has {len(row)} values for {len(labels)} labels")
    totals = [sum(col) for col in zip(*values, strict=True)]
    highs = [max(float(h), t) for h, t in zip(upper, totals, strict=True)] if upper is not None else totals
    peak = max(highs) if stacked else max(max(row) for row in values)
    if peak <= 0:
        return ""
    style_of = [s % SERIES_STYLES for s in styles] if styles is not None else list(range(len(names)))
    if len(style_of) != len(names):
        raise ValueError(f"{len(style_of)} styles for {len(names)} series")
    gaps = list(missing) if missing is not None else [False] * len(labels)
    pid = svg_id("wc", title, list(labels), names, values, stacked, horizontal, style_of, highs, gaps, width)
    ticks = nice_ticks(max(peak, 4.0) if integer else peak, integer=integer)  # small counts look small
    scale_top = ticks[-1]
    if not desc:
        desc = f"Bar chart of {', '.join(names)} for {len(labels)} categories; the figures are in the table below."
    parts: list[str] = []
    defs = "<defs>" + "".join(_pattern(pid, i, style_of[i]) for i in range(len(names))) + "</defs>"
    title_y = 16.0
    parts.append(f'<text x="0" y="{_f(title_y)}" class="wiki-chart-title">{svg_text(title)}</text>')
    y = title_y + 24
    if len(names) > 1:
        legend, y = _legend(pid, names, style_of, (width, y))
        parts.extend(legend)
    if unit:
        parts.append(f'<text x="0" y="{_f(y)}" class="wiki-axis-label">{svg_text(unit)}</text>')
        y += 10
    top = y + 4

    def tooltip(i: int, j: int) -> str:
        return f"<title>{svg_text(f'{labels[i]} · {names[j]}: {num(values[j][i])}')}</title>"

    plot = _Plot(
        pid, labels, names, values, totals, ticks, scale_top, stacked, width, top, tooltip, style_of, highs, gaps
    )
    body, height = _horizontal(plot) if horizontal else _vertical(plot)
    parts.extend(body)
    cls = f"wiki-chart-svg wiki-chart-{fit}" if fit else "wiki-chart-svg"
    head = svg_open(pid, title, desc, size=(width, height), cls=cls, min_width=width if fit else 0)
    return "\n".join([head, defs, *parts, "</svg>"])


#: The widths :func:`bar_charts` draws a chart at: Material's article column at a 1366 px wide
#: window, and a 390 px wide phone's.
WIDE, NARROW = 680.0, 358.0


def bar_charts(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]], **options: Any) -> str:
    """A bar chart drawn twice, for a desktop column and for a phone; docs/assets/wiki.css shows
    the one that fits, at 1:1, so its text is never scaled below 11 px (the narrow one is a few KB)."""
    wide = bar_chart(title, labels, series, width=WIDE, fit="wide", **options)
    return wide and wide + "\n" + bar_chart(title, labels, series, width=NARROW, fit="narrow", **options)


@dataclass(frozen=True, slots=True)
class _Plot:
    """Everything the two bar layouts need."""

    pid: str
    labels: Sequence[str]
    names: list[str]
    values: list[list[float]]
    totals: list[float]
    ticks: list[float]
    scale_top: float
    stacked: bool
    width: float
    top: float
    tooltip: Callable[[int, int], str]
    styles: list[int]
    highs: list[float]  # per label: the top of its range mark (= its total when it is no range)
    missing: list[bool]  # per label: no figure at all


Box = tuple[float, float, float, float]  # x, y, width, height


def _bar(plot: _Plot, j: int, box: Box, tip: str) -> str:
    x, y, w, h = box
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" '
        f'class="wiki-bar wiki-series-{plot.styles[j]}" fill="url(#{plot.pid}-{j})">{tip}</rect>'
    )


def _segments(plot: _Plot, i: int, scale: float) -> Iterator[tuple[int, float, float]]:
    """The bars of category ``i``, in either layout: (series, start, length) in pixels along the
    value axis. A bar starts where the one before it ends when the bars are stacked, at the axis
    otherwise; series without a value have none."""
    start = 0.0
    for j in range(len(plot.names)):
        v = plot.values[j][i]
        if v <= 0:
            continue
        length = v / plot.scale_top * scale
        yield j, start, length
        if plot.stacked:
            start += length


def _vertical(plot: _Plot) -> tuple[list[str], float]:
    labels, names, values, totals = plot.labels, plot.names, plot.values, plot.totals
    ticks, scale_top, stacked, width, top = plot.ticks, plot.scale_top, plot.stacked, plot.width, plot.top
    size = 11.0
    left = max(text_width(num(t), size) for t in ticks) + 10
    plot_w = width - left - 4
    plot_h = 220.0
    bottom = top + plot_h
    band = plot_w / len(labels)
    inner = min(band * 0.72, 56.0 if stacked else 26.0 * len(names))  # width of a bar or of a group of bars
    parts: list[str] = ['<g class="wiki-grid">']
    for t in ticks:
        ty = bottom - t / scale_top * plot_h
        parts.append(f'<line x1="{_f(left)}" x2="{_f(width - 4)}" y1="{_f(ty)}" y2="{_f(ty)}"/>')
    parts.append("</g>")
    parts.append('<g class="wiki-tick-labels" text-anchor="end">')
    for t in ticks:
        parts.append(f'<text x="{_f(left - 6)}" y="{_f(bottom - t / scale_top * plot_h + 4)}">{num(t)}</text>')
    parts.append("</g>")
    shown = [truncate(lab, 14) for lab in labels]
    label_w = max(text_width(s, size) for s in shown) + 6
    step = max(1, math.ceil(label_w / band))
    parts.append('<g class="wiki-bars">')
    sub = inner / len(names)
    for i in range(len(labels)):
        bx = left + i * band + (band - inner) / 2
        for j, start, h in _segments(plot, i, plot_h):
            box = (bx, bottom - start - h, inner, h) if stacked else (bx + j * sub, bottom - h, sub, h)
            parts.append(_bar(plot, j, box, plot.tooltip(i, j)))
    parts.append("</g>")
    # values on top of the bars where they fit
    parts.append('<g class="wiki-value-labels" text-anchor="middle">')
    for i in range(len(labels)):
        cx = left + (i + 0.5) * band
        if stacked:
            high = plot.highs[i]
            shown_value = _range_text(totals[i], high)
            if high > 0 and text_width(shown_value, 10) <= band:
                ty = bottom - high / scale_top * plot_h - 3
                parts.append(f'<text x="{_f(cx)}" y="{_f(ty)}">{svg_text(shown_value)}</text>')
        else:
            for j in range(len(names)):
                v = values[j][i]
                if v > 0 and text_width(num(v), 10) <= sub + 2:
                    sx = left + i * band + (band - inner) / 2 + (j + 0.5) * sub
                    ty = bottom - v / scale_top * plot_h - 3
                    parts.append(f'<text x="{_f(sx)}" y="{_f(ty)}">{num(v)}</text>')
    parts.append("</g>")
    parts.extend(_range_marks(plot, left, band, bottom, plot_h))
    parts.append(f'<line class="wiki-axis" x1="{_f(left)}" x2="{_f(width - 4)}" y1="{_f(bottom)}" y2="{_f(bottom)}"/>')
    parts.append('<g class="wiki-tick-labels" text-anchor="middle">')
    for i, text in enumerate(shown):
        cx = left + (i + 0.5) * band
        parts.append(f'<line class="wiki-axis" x1="{_f(cx)}" x2="{_f(cx)}" y1="{_f(bottom)}" y2="{_f(bottom + 4)}"/>')
        if i % step == 0:
            parts.append(f'<text x="{_f(cx)}" y="{_f(bottom + 17)}">{svg_text(text)}</text>')
    parts.append("</g>")
    return parts, bottom + 24


def _range_text(low: float, high: float) -> str:
    return num(low) if high <= low else f"{num(low)}–{num(high)}"


def _range_marks(plot: _Plot, left: float, band: float, bottom: float, plot_h: float) -> list[str]:
    """A vertical range mark from each stacked bar's low total up to its high reading, with caps;
    and "no figure", written up the band, where a label has none."""
    parts: list[str] = []
    for i, (low, high) in enumerate(zip(plot.totals, plot.highs, strict=True)):
        cx = left + (i + 0.5) * band
        if high > low:
            y1, y2 = bottom - low / plot.scale_top * plot_h, bottom - high / plot.scale_top * plot_h
            tip = f"<title>{svg_text(f'{plot.labels[i]}: {_range_text(low, high)} (the sources give a range)')}</title>"
            parts.append(
                f'<path class="wiki-range" d="M{_f(cx)},{_f(y1)} V{_f(y2)} M{_f(cx - 5)},{_f(y2)} '
                f'h10 M{_f(cx - 5)},{_f(y1)} h10">{tip}</path>'
            )
        if plot.missing[i]:
            parts.append(
                f'<text class="wiki-no-figure" transform="translate({_f(cx + 3)},{_f(bottom - 4)}) rotate(-90)">'
                "no figure</text>"
            )
    return ["<g>", *parts, "</g>"] if parts else []


def _horizontal(plot: _Plot) -> tuple[list[str], float]:
    labels, names, values, totals = plot.labels, plot.names, plot.values, plot.totals
    ticks, scale_top, stacked, width, top = plot.ticks, plot.scale_top, plot.stacked, plot.width, plot.top
    size = 12.0
    shown = [truncate(lab, 30) for lab in labels]
    left = min(max(text_width(s, size) for s in shown) + 10, width * 0.4)
    right = max(text_width(_range_text(t, h), 11) for t, h in zip(totals, plot.highs, strict=True)) + 12
    plot_w = width - left - right
    row = 24.0 if stacked else max(24.0, 10.0 * len(names) + 8)
    plot_top = top + 4
    bottom = plot_top + row * len(labels)
    parts: list[str] = ['<g class="wiki-grid">']
    for t in ticks:
        tx = left + t / scale_top * plot_w
        parts.append(f'<line x1="{_f(tx)}" x2="{_f(tx)}" y1="{_f(plot_top)}" y2="{_f(bottom)}"/>')
    parts.append("</g>")
    parts.append('<g class="wiki-category-labels" text-anchor="end">')
    for i, text in enumerate(shown):
        cy = plot_top + (i + 0.5) * row
        tip = f"<title>{svg_text(labels[i])}</title>" if text != labels[i] else ""
        parts.append(f'<text x="{_f(left - 6)}" y="{_f(cy + 4)}">{svg_text(text)}{tip}</text>')
    parts.append("</g>")
    parts.append('<g class="wiki-bars">')
    inner, sub = row * 0.64, (row - 8) / len(names)
    for i in range(len(labels)):
        y0 = plot_top + i * row
        for j, start, w in _segments(plot, i, plot_w):
            box = (left + start, y0 + (row - inner) / 2, w, inner) if stacked else (left, y0 + 4 + j * sub, w, sub)
            parts.append(_bar(plot, j, box, plot.tooltip(i, j)))
    parts.append("</g>")
    parts.append('<g class="wiki-value-labels">')
    for i in range(len(labels)):
        if stacked:
            high, cy = plot.highs[i], plot_top + (i + 0.5) * row
            if high > totals[i]:  # a range the sources leave open: a mark from the low to the high reading
                x1, x2 = left + totals[i] / scale_top * plot_w, left + high / scale_top * plot_w
                reading = f"{labels[i]}: {_range_text(totals[i], high)} (the sources give a range)"
                tip = f"<title>{svg_text(reading)}</title>"
                parts.append(
                    f'<path class="wiki-range" d="M{_f(x1)},{_f(cy)} H{_f(x2)} M{_f(x1)},{_f(cy - 5)} v10 '
                    f'M{_f(x2)},{_f(cy - 5)} v10">{tip}</path>'
                )
            if high > 0:
                tx = left + high / scale_top * plot_w + 4
                parts.append(f'<text x="{_f(tx)}" y="{_f(cy + 4)}">{svg_text(_range_text(totals[i], high))}</text>')
        else:
            for j in range(len(names)):
                v = values[j][i]
                if v > 0:
                    tx = left + v / scale_top * plot_w + 4
                    ty = plot_top + i * row + 4 + (j + 0.5) * sub + 3.5
                    parts.append(f'<text x="{_f(tx)}" y="{_f(ty)}">{num(v)}</text>')
    parts.append("</g>")
    parts.append(f'<line class="wiki-axis" x1="{_f(left)}" x2="{_f(left)}" y1="{_f(plot_top)}" y2="{_f(bottom)}"/>')
    parts.append('<g class="wiki-tick-labels" text-anchor="middle">')
    for t in ticks:
        tx = left + t / scale_top * plot_w
        parts.append(f'<text x="{_f(tx)}" y="{_f(bottom + 15)}">{num(t)}</text>')
    parts.append("</g>")
    return parts, bottom + 22


def chart_block(svg: str, *after: str) -> str:
    """The SVG as a raw HTML block, then the Markdown that follows it (note, table).

    Without an SVG (nothing to draw, e.g. every figure is 0) only the Markdown is left.
    """
    if "\n\n" in svg:  # a blank line would end the raw HTML block early
        raise ValueError("an SVG chart must not contain blank lines")
    head = [f'<div class="wiki-chart">\n{svg}\n</div>'] if svg else []
    return "\n\n".join([*head, *[a for a in after if a]])


# --------------------------------------------------------------------------
# Charts of the knowledge base
# --------------------------------------------------------------------------


def _year_span(years: Sequence[int]) -> list[int]:
    """Every year from the first to the last, so gaps show as empty bars."""
    return list(range(min(years), max(years) + 1)) if years else []


def _span_text(years: Sequence[int]) -> str:
    return f"in {years[0]}" if years[0] == years[-1] else f"{years[0]} to {years[-1]}"


def _year_cell(index: Index, year: int) -> str:
    return link_year(year) if year in index.events_by_year else str(year)


def events_per_year(index: Index) -> str:
    """Number of events per year (by the year each event is listed under); ``""`` without events."""
    years = _year_span(index.years)
    if not years:
        return ""
    counts = [len(index.events_by_year.get(y, [])) for y in years]
    total = sum(counts)
    title = "Events per year"
    desc = (
        f"Bar chart of the number of events in the wiki per year, {_span_text(years)}: "
        f"{plural(total, 'event')} in all. The same figures are in the table below."
    )
    svg = bar_charts(title, [str(y) for y in years], {"Events": counts}, desc=desc, unit="events")
    rows = [[_year_cell(index, y), esc(num(c))] for y, c in zip(years, counts, strict=True)]
    rows.append(["**Total**", f"**{esc(num(total))}**"])
    note = "Events are counted under the year they are listed under (the first year of a date range)."
    return chart_block(svg, note, table(["Year", "Events"], rows))


def killed_per_year(index: Index) -> str:
    """People killed per year by casualty category, summed over the single events that report a
    figure (statistics, which report totals, are listed apart by :func:`reported_deaths`).

    A ``{min, max}`` range is drawn as its minimum with a range mark up to its maximum; the table
    shows "min–max". A year without any figure reads "no figure", never 0. Returns ``""`` when no
    event reports anyone killed.
    """
    low: dict[tuple[int, CasualtyCategory], int] = defaultdict(int)
    high: dict[tuple[int, CasualtyCategory], int] = defaultdict(int)
    counted: dict[int, int] = defaultdict(int)
    for year, events in index.events_by_year.items():
        for event in events:
            if event.type is EventType.STATISTIC:
                continue
            reported = False
            for item in event.casualties:
                if item.killed is None:
                    continue
                reported = True
                key = (year, item.category)
                if isinstance(item.killed, Range):
                    low[key] += item.killed.min
                    high[key] += item.killed.max
                else:
                    low[key] += item.killed
                    high[key] += item.killed
            if reported:
                counted[year] += 1
    if not counted:
        return ""
    years = _year_span(sorted(counted))
    categories = [c for c in CasualtyCategory if any((y, c) in low for y in years)]
    series = {label(c.value): [low.get((y, c), 0) for y in years] for c in categories}
    title = "People killed per year, in single events"
    total_low = sum(low.values())
    total_high = sum(high.values())
    total_text = num(total_low) if total_low == total_high else f"{num(total_low)} to {num(total_high)}"
    gaps = [counted.get(y, 0) == 0 for y in years]
    desc = (
        f"Stacked bar chart of people killed per year by category in single events, {_span_text(years)}: "
        f"{total_text} killed in {plural(sum(counted.values()), 'event')} that report a figure. Where a source "
        "gives a range the bar shows its lower figure and a mark reaches the higher one; years without any "
        f"figure ({sum(gaps)}) are marked 'no figure'. The same figures are in the table below."
    )
    styles = [list(CasualtyCategory).index(c) for c in categories]  # a category looks the same in every chart
    uppers = [sum(high.get((y, c), 0) for c in categories) for y in years]
    svg = bar_charts(
        title,
        [str(y) for y in years],
        series,
        desc=desc,
        unit="people killed (reported)",
        styles=styles,
        upper=uppers,
        missing=gaps,
    )

    def cell(lo: int, hi: int, has: bool, absent: str = "—") -> str:
        if not has:
            return absent
        return esc(num(lo) if lo == hi else f"{num(lo)}–{num(hi)}")

    rows = []
    for y in years:
        row = [_year_cell(index, y)]
        for c in categories:
            row.append(cell(low.get((y, c), 0), high.get((y, c), 0), (y, c) in low))
        y_low = sum(low.get((y, c), 0) for c in categories)
        y_high = sum(high.get((y, c), 0) for c in categories)
        row += [cell(y_low, y_high, counted.get(y, 0) > 0, "no figure"), esc(num(counted.get(y, 0)))]
        rows.append(row)
    totals = ["**Total**"]
    for c in categories:
        c_low = sum(low.get((y, c), 0) for y in years)
        c_high = sum(high.get((y, c), 0) for y in years)
        totals.append(f"**{cell(c_low, c_high, True)}**")
    totals += [f"**{cell(total_low, total_high, True)}**", f"**{esc(num(sum(counted.values())))}**"]
    rows.append(totals)
    headers = ["Year", *(esc(label(c.value)) for c in categories), "Total", "Events counted"]
    note = (
        "Counted: people reported killed in single events, by year. Not counted: events without a "
        "figure, and reported totals (listed below), which would count the same deaths twice. "
        "A range reads “min–max”; “—” and “no figure” mean the wiki has no figure."
    )
    return chart_block(svg, note, compact(table(headers, rows)))


def compact(markdown_table: str) -> str:
    """A table set tighter (docs/assets/wiki.css), so that all its columns fit at 1366 px."""
    return f'<div class="wiki-compact" markdown>\n\n{markdown_table}\n\n</div>'


#: Measures of reported figures that count deaths.
_DEATHS = re.compile(r"\b(killed|deaths?|dead|died|fatalities)\b", re.IGNORECASE)


def reported_deaths(index: Index) -> str:
    """Death tolls the sources report as totals over a period (statistics), each at the precision
    of its own period; ``""`` without any. They are not added to the single-event counts."""
    rows = []
    for event in index.events:
        for figure in event.figures:
            if event.type is not EventType.STATISTIC or not _DEATHS.search(figure.measure):
                continue
            if (figure.unit or "").strip() in ("percent", "%"):
                continue
            period = period_text(figure.period) if figure.period else event_date_text(event)
            rows.append(
                [
                    esc(figure.measure[:1].upper() + figure.measure[1:]),
                    figure_text(figure),
                    period,
                    link_to(index, event.id),
                ]
            )
    if not rows:
        return ""
    note = (
        "Totals as the sources report them, each for its own period (a range whose end is the day of "
        "the report reads “since …, as of …”). They overlap one another and the single events above, "
        "so they are not added up."
    )
    return note + "\n\n" + compact(table(["What is counted", "Reported", "Period", "Recorded as"], rows))


def events_per_group(index: Index, top: int = 15) -> str:
    """The ``top`` groups with the most events, split by role; ``""`` when no group takes part in an event."""
    rows_data: list[tuple[int, str, int, int]] = []  # (-events, group id, as perpetrator, other)
    for group in index.kb.groups:
        events = index.events_of.get(group.id, [])
        if not events:
            continue
        perpetrator = sum(1 for e in events if PERPETRATOR_ROLES.intersection(index.roles_in.get((e.id, group.id), [])))
        rows_data.append((-len(events), group.id, perpetrator, len(events) - perpetrator))
    if not rows_data:
        return ""
    rows_data.sort(key=lambda r: (r[0], index.name(r[1]).casefold(), r[1]))
    shown = rows_data[:top]
    names = []
    for _, gid, _, _ in shown:
        record = index.get(gid)
        assert isinstance(record, Group)
        names.append(record.short_name or record.name)
    perpetrator_name = "As perpetrator (incl. claimed or suspected)"
    other_name = "In another role"
    series = {perpetrator_name: [r[2] for r in shown], other_name: [r[3] for r in shown]}
    title = f"Events per group (top {len(shown)})" if len(rows_data) > len(shown) else "Events per group"
    desc = (
        f"Horizontal stacked bar chart of the {plural(len(shown), 'group')} with the most events in the wiki, "
        "split into events where the group is named as perpetrator (including claimed, suspected or "
        "attributed) and events where it has another role; the same figures are in the table below."
    )
    svg = bar_charts(title, names, series, desc=desc, horizontal=True, unit="events")
    rows = [[link_to(index, gid), esc(num(p)), esc(num(o)), esc(num(p + o))] for _, gid, p, o in shown]
    note = (
        f"{plural(len(rows_data), 'group')} take{'s' if len(rows_data) == 1 else ''} part in at least one event"
        + (f"; the {len(shown)} with the most are shown." if len(rows_data) > len(shown) else ".")
        + " An event counts once per group; “as perpetrator” includes claimed, suspected and attributed attacks."
    )
    headers = ["Group", "As perpetrator", "Other role", "Events"]
    return chart_block(svg, note, table(headers, rows))


__all__ = [
    "bar_chart",
    "bar_charts",
    "chart_block",
    "events_per_group",
    "events_per_year",
    "killed_per_year",
    "nice_ticks",
    "reported_deaths",
    "svg_id",
    "svg_open",
    "svg_text",
]

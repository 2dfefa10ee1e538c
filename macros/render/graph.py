"""Relation graphs: a group's neighbourhood and the whole network, as inline SVG.

The layout is a small, deterministic layered ("Sugiyama") layout computed at
build time: time runs left to right along lineage relations (a splinter stands
right of the group it split from, a merger right of its parts), and every other
relation is drawn from its subject (left) to its object (right).  Cycles are
broken by a depth-first search, layers come from longest paths, edges spanning
several layers pass through dummy points, the order within a layer comes from
barycentre sweeps, and vertical positions from an isotonic (pool adjacent
violators) fit, so the same data always gives the same picture.

Nodes are links (relative URLs from :meth:`Index.url_from`, because MkDocs does
not rewrite raw HTML); colours come only from CSS classes in
``docs/assets/charts.css``.  Each graph is followed by a Markdown table of the
same relations for screen readers and for readers who prefer text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..index import Index, sort_key
from ..model import Group, Relation, RelationType
from .charts import svg_id, svg_open, svg_text, text_width, truncate
from .common import RELATION_LABELS, span_text
from .text import esc, table

#: Relation types that describe where a group comes from; the neighbourhood graph follows them one hop further.
LINEAGE = frozenset({
    RelationType.SPLIT_FROM,
    RelationType.MERGED_INTO,
    RelationType.SUCCESSOR_OF,
    RelationType.PART_OF,
    RelationType.AFFILIATE_OF,
})
#: Types whose object comes first in time, so it is drawn left of the subject.
OBJECT_FIRST = frozenset({RelationType.SPLIT_FROM, RelationType.SUCCESSOR_OF})
#: At most this many nodes in a neighbourhood graph (the extra lineage hop stops there).
MAX_NEIGHBOURHOOD = 30

_PAD = 8.0  # around the drawing
_LINE = 15.0  # line height in nodes
_EDGE_FONT = 10.5
_LABEL_LINE = 12.0


@dataclass(slots=True)
class _Node:
    id: str
    lines: list[str]
    tip: str
    href: str | None
    cls: str
    width: float
    height: float
    dummy: bool = False
    layer: int = 0
    top: float = 0.0
    x: float = 0.0

    @property
    def mid(self) -> float:
        return self.top + self.height / 2


@dataclass(slots=True)
class _Edge:
    a: str  # the end drawn on the left
    b: str  # the end drawn on the right
    relations: list[Relation]
    chain: list[str] = field(default_factory=list)  # a, dummies..., b


@dataclass(frozen=True, slots=True)
class _Style:
    node_width: float
    font: float
    chars: int
    max_lines: int
    dates: bool  # edge labels carry the dates
    min_gap: float


EGO = _Style(node_width=164, font=12, chars=21, max_lines=3, dates=True, min_gap=70)
WHOLE = _Style(node_width=122, font=11, chars=17, max_lines=2, dates=False, min_gap=56)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def group_graph(index: Index, rid: str, from_uri: str, extra_hop: bool = True) -> str:
    """The relations of ``rid`` (and, with ``extra_hop``, the lineage of its lineage neighbours).

    Returns Markdown: the SVG in a ``<div class="wiki-graph">`` raw HTML block,
    then a table of the same relations; ``""`` when ``rid`` has no relations.
    ``from_uri`` is the source path of the page the graph is shown on
    (e.g. ``groups/aqim.md``): node links are relative to it.
    """
    relations = _neighbourhood(index, rid, extra_hop)
    if not relations:
        return ""
    name = index.display_name(rid)
    ends = {r.subject for r in relations} | {r.object for r in relations}
    title = f"Relations of {name}"
    desc = (
        f"Diagram of {_plural(len(relations), 'relation')} between {name} and "
        f"{_plural(len(ends) - 1, 'other group or person', 'other groups or people')}, "
        "drawn from earlier (left) to later (right) along splits, mergers and successions; "
        "arrows point from subject to object. The same relations are listed in the table below."
    )
    svg = _graph_svg(index, relations, from_uri, EGO, title=title, desc=desc, self_id=rid)
    return _block(svg, _relation_table(index, relations))


def whole_graph(index: Index, from_uri: str) -> str:
    """Every group that has a relation with another group; ``""`` when there is none.

    Relations with people (leaders, founders, members) are left out: they are
    on each group's page.
    """
    relations = [
        r
        for r in sorted(index.kb.relations, key=lambda r: sort_key(r.start, r.id))
        if index.kind_of.get(r.subject) == "group" and index.kind_of.get(r.object) == "group"
    ]
    if not relations:
        return ""
    ends = {r.subject for r in relations} | {r.object for r in relations}
    title = "Relations between groups"
    desc = (
        f"Network diagram of {_plural(len(relations), 'relation')} between {_plural(len(ends), 'group')}, "
        "drawn from earlier (left) to later (right) along splits, mergers and successions; arrows point "
        "from subject to object and groups are shown by their acronym where they have one. "
        "The same relations are listed in the table below."
    )
    svg = _graph_svg(index, relations, from_uri, WHOLE, title=title, desc=desc, self_id=None)
    return _block(svg, _relation_table(index, relations))


# --------------------------------------------------------------------------
# Which relations
# --------------------------------------------------------------------------


def _neighbourhood(index: Index, rid: str, extra_hop: bool) -> list[Relation]:
    first = list(index.relations_of.get(rid, []))
    chosen: dict[str, Relation] = {r.id: r for r in first}
    if extra_hop:
        nodes = {rid} | {r.subject for r in first} | {r.object for r in first}
        hop = list(dict.fromkeys(_other(r, rid) for r in first if r.type in LINEAGE))
        for other in hop:
            for relation in index.relations_of.get(other, []):
                if relation.type not in LINEAGE or relation.id in chosen:
                    continue
                new = {relation.subject, relation.object} - nodes
                if len(nodes) + len(new) > MAX_NEIGHBOURHOOD:
                    continue
                chosen[relation.id] = relation
                nodes |= new
    return sorted(chosen.values(), key=lambda r: sort_key(r.start, r.id))


def _other(relation: Relation, rid: str) -> str:
    return relation.object if relation.subject == rid else relation.subject


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (plural or noun + 's')}"


def when_text(relation: Relation) -> str:
    """Plain (unescaped) dates of a relation: '2012', '2012–2014', 'since 2013', 'until 2021'."""
    start, end = relation.start, relation.end
    if start and end:
        return start.display() if start == end else f"{start.display()}–{end.display()}"
    if start:
        return start.display()
    if end:
        return f"until {end.display()}"
    return ""


def _verb(relation: Relation) -> str:
    return RELATION_LABELS[relation.type][0].lower()


def _wrap(text: str, chars: int, max_lines: int) -> list[str] | None:
    """Greedy word wrap; ``None`` when the text needs more than ``max_lines`` lines."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= chars:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word if len(word) <= chars else truncate(word, chars)
    if current:
        lines.append(current)
    return lines if len(lines) <= max_lines else None


def _node_lines(index: Index, rid: str, style: _Style) -> list[str]:
    record = index.get(rid)
    name = index.name(rid)
    short = record.short_name if isinstance(record, Group) else None
    choices = [short, name] if short and not style.dates else [name, short]
    for text in choices:
        if text:
            lines = _wrap(text, style.chars, style.max_lines)
            if lines is not None:
                return lines
    forced = _wrap(truncate(name, style.chars * style.max_lines), style.chars, style.max_lines + 1) or [name]
    kept = forced[: style.max_lines]
    if len(forced) > style.max_lines:
        kept[-1] = truncate(kept[-1] + " …", style.chars)
    return kept


def _edge_label(relations: Sequence[Relation], style: _Style) -> list[str]:
    """'split from, 2012' per relation (at most two), on two lines where one is too long."""
    lines: list[str] = []
    for relation in relations[:2]:
        verb, when = _verb(relation), when_text(relation) if style.dates else ""
        if not when:
            lines.append(verb)
        elif len(verb) + len(when) + 2 <= 24:
            lines.append(f"{verb}, {when}")
        else:
            lines += [f"{verb},", when]
    if len(relations) > 2:
        lines.append(f"+{len(relations) - 2} more")
    return [truncate(line, 26) for line in lines]


def _edge_tip(index: Index, relation: Relation) -> str:
    when = when_text(relation)
    text = f"{index.name(relation.subject)} {_verb(relation)} {index.name(relation.object)}"
    return f"{text} ({when})" if when else text


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def _before_after(relation: Relation) -> tuple[str, str]:
    """(left end, right end) of a relation in the drawing."""
    if relation.type in OBJECT_FIRST:
        return relation.object, relation.subject
    return relation.subject, relation.object


def _components(order: list[str], edges: list[_Edge]) -> list[list[str]]:
    near: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        near[edge.a].append(edge.b)
        near[edge.b].append(edge.a)
    seen: set[str] = set()
    result: list[list[str]] = []
    for start in order:
        if start in seen:
            continue
        component: list[str] = []
        stack = [start]
        seen.add(start)
        while stack:  # depth-first, neighbours in the given order: related nodes stay together
            node = stack.pop()
            component.append(node)
            for other in reversed(near[node]):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        result.append(component)
    result.sort(key=lambda c: -len(c))  # stable: equal sizes keep their order
    return result


def _layers(nodes: list[str], edges: list[_Edge]) -> dict[str, int]:
    """Layer of each node: cycles broken depth-first, longest path, sources pulled right."""
    rank = {n: i for i, n in enumerate(nodes)}
    out: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        out[edge.a].append(edge.b)
    for targets in out.values():
        targets.sort(key=rank.__getitem__)
    # depth-first search; an edge to a node on the stack closes a cycle and is ignored
    state: dict[str, int] = {}
    dag: dict[str, list[str]] = defaultdict(list)
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, i = stack.pop()
            if i < len(out[node]):
                stack.append((node, i + 1))
                nxt = out[node][i]
                if state.get(nxt) == 1:
                    continue  # back edge
                dag[node].append(nxt)
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
    preds: dict[str, list[str]] = defaultdict(list)
    for node, targets in dag.items():
        for t in targets:
            preds[t].append(node)
    # topological order (Kahn), ties in the given order
    indegree = {n: len(set(preds[n])) for n in nodes}
    ready = [n for n in nodes if indegree[n] == 0]
    topo: list[str] = []
    while ready:
        ready.sort(key=rank.__getitem__)
        node = ready.pop(0)
        topo.append(node)
        for t in dict.fromkeys(dag[node]):
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    layer: dict[str, int] = {}
    for node in topo:
        layer[node] = max((layer[p] + 1 for p in preds[node]), default=0)
    for node in reversed(topo):  # a node with no predecessor sits just before its first successor
        if not preds[node] and dag[node]:
            layer[node] = min(layer[t] for t in dag[node]) - 1
    low = min(layer.values())
    return {n: layer[n] - low for n in nodes}


def _crossings(rows: list[list[str]], edges: list[_Edge]) -> int:
    pos = {n: i for row in rows for i, n in enumerate(row)}
    level = {n: li for li, row in enumerate(rows) for n in row}
    segments: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for edge in edges:
        for u, v in zip(edge.chain, edge.chain[1:], strict=False):
            segments[level[u]].append((pos[u], pos[v]))
    total = 0
    for segs in segments.values():
        for i, (a1, b1) in enumerate(segs):
            for a2, b2 in segs[i + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def _order(rows: list[list[str]], edges: list[_Edge]) -> list[list[str]]:
    """Barycentre sweeps (down and up), keeping the order with the fewest crossings."""
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        for u, v in zip(edge.chain, edge.chain[1:], strict=False):
            down[u].append(v)
            up[v].append(u)
    best = [list(r) for r in rows]
    best_cross = _crossings(best, edges)
    current = [list(r) for r in rows]
    for sweep in range(8):
        forward = sweep % 2 == 0
        indices = range(1, len(current)) if forward else range(len(current) - 2, -1, -1)
        for li in indices:
            ref_row = current[li - 1] if forward else current[li + 1]
            ref = {n: i for i, n in enumerate(ref_row)}
            near = up if forward else down
            row = current[li]
            keys: dict[str, tuple[float, int]] = {}
            for i, n in enumerate(row):
                linked = [ref[m] for m in near[n] if m in ref]
                keys[n] = (sum(linked) / len(linked) if linked else float(i), i)
            current[li] = sorted(row, key=keys.__getitem__)
        cross = _crossings(current, edges)
        if cross < best_cross:
            best, best_cross = [list(r) for r in current], cross
    return best


def _isotonic(desired: list[float], heights: list[float], gap: float) -> list[float]:
    """Tops closest (least squares) to ``desired`` keeping the order and a ``gap`` between boxes."""
    offsets: list[float] = []
    acc = 0.0
    for h in heights:
        offsets.append(acc)
        acc += h + gap
    targets = [d - o for d, o in zip(desired, offsets, strict=True)]
    blocks: list[list[float]] = []  # [sum, count]
    for t in targets:
        blocks.append([t, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    values: list[float] = []
    for total, count in blocks:
        values.extend([total / count] * int(count))
    return [v + o for v, o in zip(values, offsets, strict=True)]


def _place(rows: list[list[str]], nodes: dict[str, _Node], edges: list[_Edge], gap: float) -> None:
    """Vertical positions: each node near the mean of its neighbours, in its layer's order."""
    near: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        for u, v in zip(edge.chain, edge.chain[1:], strict=False):
            near[u].append(v)
            near[v].append(u)
    for row in rows:
        top = 0.0
        for n in row:
            nodes[n].top = top
            top += nodes[n].height + gap
    tallest = max(sum(nodes[n].height + gap for n in row) for row in rows)
    for row in rows:  # centre each layer on the tallest one to start with
        height = sum(nodes[n].height + gap for n in row)
        for n in row:
            nodes[n].top += (tallest - height) / 2
    sequence = list(range(len(rows))) + list(range(len(rows) - 2, -1, -1))
    for _ in range(4):
        for li in sequence:
            row = rows[li]
            desired = []
            for n in row:
                linked = [nodes[m].mid for m in near[n]]
                mid = sum(linked) / len(linked) if linked else nodes[n].mid
                desired.append(mid - nodes[n].height / 2)
            tops = _isotonic(desired, [nodes[n].height for n in row], gap)
            for n, t in zip(row, tops, strict=True):
                nodes[n].top = t


def _layout(nodes: dict[str, _Node], edges: list[_Edge], order: list[str], style: _Style, gap_x: float) -> float:
    """Set ``layer``, ``x`` and ``top`` of every node (adding dummies); returns the total height."""
    y_offset = 0.0
    for component in _components(order, edges):
        members = set(component)
        comp_edges = [e for e in edges if e.a in members]
        layer = _layers(component, comp_edges)
        for n in component:
            nodes[n].layer = layer[n]
        rows: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
        for n in component:
            rows[layer[n]].append(n)
        for edge in comp_edges:
            la, lb = nodes[edge.a].layer, nodes[edge.b].layer
            lo, hi = (edge.a, edge.b) if la <= lb else (edge.b, edge.a)
            chain = [lo]
            for li in range(min(la, lb) + 1, max(la, lb)):
                dummy = f"~{edge.a}~{edge.b}~{li}"
                nodes[dummy] = _Node(dummy, [], "", None, "", 0.0, 10.0, dummy=True, layer=li)
                rows[li].append(dummy)
                chain.append(dummy)
            chain.append(hi)
            edge.chain = chain
        _grow(nodes, comp_edges)
        rows = _order(rows, comp_edges)
        _place(rows, nodes, comp_edges, gap=16.0)
        placed = [nodes[n] for row in rows for n in row]
        low = min(n.top for n in placed)
        for node in placed:
            node.top += y_offset - low
            node.x = _PAD + node.layer * (style.node_width + gap_x)
        y_offset = max(n.top + n.height for n in placed) + 28.0
    return y_offset - 28.0


def _grow(nodes: dict[str, _Node], edges: list[_Edge]) -> None:
    """Make nodes tall enough for the edges meeting each of their sides."""
    sides: dict[tuple[str, int], int] = defaultdict(int)
    for edge in edges:
        sides[(edge.chain[0], 1)] += 1
        sides[(edge.chain[-1], 0)] += 1
    for (n, _), count in sides.items():
        nodes[n].height = max(nodes[n].height, (count + 1) * 9.0)


def _ports(nodes: dict[str, _Node], edges: list[_Edge]) -> dict[tuple[int, int], float]:
    """The y where edge i meets its first (0) or last (1) node, spread along the node's side."""
    sides: dict[tuple[str, int], list[tuple[float, int, int]]] = defaultdict(list)
    for i, edge in enumerate(edges):
        first, last = edge.chain[0], edge.chain[-1]
        sides[(first, 1)].append((nodes[edge.chain[1]].mid, i, 0))
        sides[(last, 0)].append((nodes[edge.chain[-2]].mid, i, 1))
    ports: dict[tuple[int, int], float] = {}
    for (n, _), items in sides.items():
        items.sort()
        node = nodes[n]
        for k, (_, i, end) in enumerate(items):
            ports[(i, end)] = node.top + (k + 1) * node.height / (len(items) + 1)
    return ports


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _graph_svg(
    index: Index,
    relations: list[Relation],
    from_uri: str,
    style: _Style,
    *,
    title: str,
    desc: str,
    self_id: str | None,
) -> str:
    # nodes in a stable order: the group itself first, then by first relation date
    order: list[str] = [self_id] if self_id else []
    for relation in relations:
        order.extend(_before_after(relation))
    order = list(dict.fromkeys(order))
    nodes: dict[str, _Node] = {}
    for rid in order:
        lines = _node_lines(index, rid, style)
        kind = index.kind_of.get(rid, "group")
        cls = f"wiki-node wiki-node-{kind}" + (" wiki-node-self" if rid == self_id else "")
        href = None if rid == self_id else index.url_from(from_uri, rid)
        height = max(len(lines) * _LINE + 12, 34.0)
        nodes[rid] = _Node(rid, lines, index.display_name(rid), href, cls, style.node_width, height)
    # one drawn edge per pair of nodes, with all their relations
    pairs: dict[tuple[str, str], list[Relation]] = {}
    for relation in relations:
        a, b = _before_after(relation)
        key = (a, b) if (b, a) not in pairs else (b, a)
        pairs.setdefault(key, []).append(relation)
    edges = [_Edge(a, b, rels) for (a, b), rels in pairs.items()]
    labels = [_edge_label(e.relations, style) for e in edges]
    widest = max((text_width(line, _EDGE_FONT) for lines in labels for line in lines), default=0.0)
    gap_x = max(style.min_gap, widest + 30)
    height = _layout(nodes, edges, order, style, gap_x)
    real = [n for n in nodes.values() if not n.dummy]
    width = max(n.x + n.width for n in real) + _PAD
    height += 2 * _PAD
    for node in nodes.values():
        node.top += _PAD
    pid = svg_id("wg", title, [r.id for r in relations], from_uri)
    ports = _ports(nodes, edges)
    out = [
        "<defs>"
        f'<marker id="{pid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="wiki-arrow"/></marker></defs>',
        '<g class="wiki-edges" aria-hidden="true">',
    ]
    label_boxes: list[tuple[str, list[str], float, float, bool]] = []  # anchor, lines, x, baseline y, below
    side_count: dict[tuple[str, int], int] = defaultdict(int)
    for edge in edges:
        side_count[(edge.chain[0], 1)] += 1
        side_count[(edge.chain[-1], 0)] += 1
    for i, edge in enumerate(edges):
        path = _edge_path(nodes, edge, ports[(i, 0)], ports[(i, 1)])
        left_is_a = edge.chain[0] == edge.a
        forward = any(r.subject == edge.a for r in edge.relations)  # an arrow towards b
        backward = any(r.subject == edge.b for r in edge.relations)
        at_end = forward if left_is_a else backward
        at_start = backward if left_is_a else forward
        markers = (f' marker-end="url(#{pid}-arrow)"' if at_end else "") + (
            f' marker-start="url(#{pid}-arrow)"' if at_start else ""
        )
        classes = " ".join(dict.fromkeys(f"wiki-rel-{r.type.value}" for r in edge.relations))
        tips = "; ".join(_edge_tip(index, r) for r in edge.relations)
        out.append(f'<path d="{path}" class="wiki-edge {classes}"{markers}><title>{svg_text(tips)}</title></path>')
        # the label goes near the end with fewer edges (away from a fan's centre)
        first, last = nodes[edge.chain[0]], nodes[edge.chain[-1]]
        near_last = side_count[(last.id, 0)] <= side_count[(first.id, 1)]
        if near_last:
            y, other_y = ports[(i, 1)], nodes[edge.chain[-2]].mid if len(edge.chain) > 2 else ports[(i, 0)]
            x, anchor = last.x - 12, "end"
        else:
            y, other_y = ports[(i, 0)], nodes[edge.chain[1]].mid if len(edge.chain) > 2 else ports[(i, 1)]
            x, anchor = first.x + first.width + 6, "start"
        label_boxes.append((anchor, labels[i], x, y, other_y < y - 1))
    out.append("</g>")
    labels_placed = _labels(label_boxes)
    out.extend(_labels_svg(labels_placed))
    out.append('<g class="wiki-nodes">')
    for rid in order:
        out.append(_node_svg(nodes[rid], style))
    out.append("</g>")
    # labels may reach above the first node or below the last: grow the picture to fit
    above = min([0.0, *(top - _PAD for _, _, _, top in labels_placed)])
    below = max([height, *(top + len(lines) * _LABEL_LINE + _PAD for _, lines, _, top in labels_placed)])
    head = svg_open(
        pid, title, desc, size=(width, below - above), role="group", min_width=width * 0.72,
        cls=f"wiki-graph-svg wiki-graph-{'ego' if self_id else 'all'}",
    )
    shift = f'<g transform="translate(0 {_f(-above)})">' if above < 0 else "<g>"
    return "\n".join([head, shift, *out, "</g>", "</svg>"])


def _edge_path(nodes: dict[str, _Node], edge: _Edge, y_start: float, y_end: float) -> str:
    points: list[tuple[float, float]] = []
    first, last = nodes[edge.chain[0]], nodes[edge.chain[-1]]
    points.append((first.x + first.width, y_start))
    for dummy in edge.chain[1:-1]:
        node = nodes[dummy]
        points.append((node.x, node.mid))
        points.append((node.x + (last.width or first.width), node.mid))
    points.append((last.x, y_end))
    d = [f"M{_f(points[0][0])},{_f(points[0][1])}"]
    for k in range(1, len(points)):
        (x0, y0), (x1, y1) = points[k - 1], points[k]
        if k % 2 == 1:  # across a gap between layers
            mx = (x0 + x1) / 2
            d.append(f"C{_f(mx)},{_f(y0)} {_f(mx)},{_f(y1)} {_f(x1)},{_f(y1)}")
        else:  # through a layer, at a dummy
            d.append(f"L{_f(x1)},{_f(y1)}")
    return " ".join(d)


def _labels(boxes: list[tuple[str, list[str], float, float, bool]]) -> list[tuple[str, list[str], float, float]]:
    """Edge labels beside the line, on the outer side of its curve, nudged apart where they meet.

    Returns (anchor, lines, x, top) per label.
    """
    placed: list[tuple[str, list[str], float, float]] = []  # anchor, lines, x, top
    for anchor, lines, x, y, below in boxes:
        h = len(lines) * _LABEL_LINE
        top = y + 3 if below else y - 3 - h
        placed.append((anchor, lines, x, top))
    columns: dict[tuple[str, float], list[int]] = defaultdict(list)
    for i, (anchor, _, x, _) in enumerate(placed):
        columns[(anchor, round(x, 1))].append(i)
    tops = [p[3] for p in placed]
    for members in columns.values():
        members.sort(key=lambda i: (tops[i], i))
        for k in range(1, len(members)):
            prev, cur = members[k - 1], members[k]
            bottom = tops[prev] + len(placed[prev][1]) * _LABEL_LINE + 2
            tops[cur] = max(tops[cur], bottom)
    return [(anchor, lines, x, top) for (anchor, lines, x, _), top in zip(placed, tops, strict=True)]


def _labels_svg(labels: list[tuple[str, list[str], float, float]]) -> Iterable[str]:
    yield '<g class="wiki-edge-labels" aria-hidden="true">'
    for anchor, lines, x, top in labels:
        spans = "".join(
            f'<tspan x="{_f(x)}" y="{_f(top + (k + 1) * _LABEL_LINE - 3)}">{svg_text(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        yield f'<text text-anchor="{anchor}">{spans}</text>'
    yield "</g>"


def _node_svg(node: _Node, style: _Style) -> str:
    radius = node.height / 2 if "wiki-node-person" in node.cls else 6
    cx = node.x + node.width / 2
    first = node.mid - (len(node.lines) - 1) * _LINE / 2 + style.font * 0.35
    spans = "".join(
        f'<tspan x="{_f(cx)}" y="{_f(first + k * _LINE)}">{svg_text(line)}</tspan>' for k, line in enumerate(node.lines)
    )
    body = (
        f'<rect x="{_f(node.x)}" y="{_f(node.top)}" width="{_f(node.width)}" height="{_f(node.height)}" '
        f'rx="{_f(min(radius, 17))}" class="{node.cls}"/>'
        f'<text text-anchor="middle" class="wiki-node-text" font-size="{_f(style.font)}">{spans}</text>'
    )
    tip = f"<title>{svg_text(node.tip)}</title>"
    if node.href is None:
        return f'<g class="wiki-node-current" aria-current="page">{tip}{body}</g>'
    return f'<a href="{svg_text(node.href)}">{tip}{body}</a>'


# --------------------------------------------------------------------------
# Table and block
# --------------------------------------------------------------------------


def _link(index: Index, rid: str) -> str:
    return f"[{esc(index.display_name(rid))}]({index.href(rid)})"


def _relation_table(index: Index, relations: Sequence[Relation]) -> str:
    rows = [
        [_link(index, r.subject), esc(RELATION_LABELS[r.type][0]), _link(index, r.object), span_text(r) or "—"]
        for r in relations
    ]
    return table(["From", "Relation", "To", "When"], rows)


def _block(svg: str, table_md: str) -> str:
    if "\n\n" in svg:
        raise ValueError("a graph must not contain blank lines")
    return f'<div class="wiki-graph">\n{svg}\n</div>\n\n{table_md}'


__all__ = ["LINEAGE", "group_graph", "when_text", "whole_graph"]

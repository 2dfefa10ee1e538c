"""Relation graphs: a group's neighbourhood and the whole network, as inline SVG.

The layout is a small, deterministic layered ("Sugiyama") layout computed at
build time.  Time runs left to right along the relations that have a time
order (a splinter stands right of the group it split from, a merger right of
its parts, a successor right of its predecessor); these "hard" relations fix
the layers, by longest path after cycles are broken depth first.  Every other
relation (alliance, rivalry, affiliation, membership, ...) is "soft": it only
pulls its object one layer right of its subject where that is possible.  Edges
spanning several layers pass through dummy points, the order within a layer
comes from barycentre sweeps, and vertical positions from an isotonic (pool
adjacent violators) fit, so the same data always gives the same picture.

Nodes are links (relative URLs from :meth:`Index.url_from`, because MkDocs
does not rewrite raw HTML); colours come only from CSS classes in
``docs/assets/charts.css``.  Each graph is followed by a Markdown table of the
same relations, for screen readers and for readers who prefer text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..index import Index, sort_key
from ..model import Group, Relation, RelationType
from .charts import svg_id, svg_open, svg_text, truncate
from .common import RELATION_LABELS, span_text
from .text import esc, plural, table

#: Relation types that describe where a group comes from; the neighbourhood graph follows them one hop further.
LINEAGE = frozenset(
    {
        RelationType.SPLIT_FROM,
        RelationType.MERGED_INTO,
        RelationType.SUCCESSOR_OF,
        RelationType.PART_OF,
        RelationType.AFFILIATE_OF,
    }
)
#: Relation types with a time order; they alone decide the layers (columns).
HARD = frozenset({RelationType.SPLIT_FROM, RelationType.MERGED_INTO, RelationType.SUCCESSOR_OF})
#: Types whose object comes first in time, so it is drawn left of the subject.
OBJECT_FIRST = frozenset({RelationType.SPLIT_FROM, RelationType.SUCCESSOR_OF})
#: Compact edge labels of the whole network.
SHORT_LABELS: dict[RelationType, str] = {
    RelationType.SPLIT_FROM: "split from",
    RelationType.MERGED_INTO: "merged into",
    RelationType.AFFILIATE_OF: "affiliate of",
    RelationType.ALLIED_WITH: "allied",
    RelationType.RIVAL_OF: "rival of",
    RelationType.SUCCESSOR_OF: "succeeds",
    RelationType.PART_OF: "part of",
    RelationType.MEMBER_OF: "member of",
    RelationType.LEADER_OF: "leads",
    RelationType.FOUNDER_OF: "founded",
}
#: At most this many nodes in a neighbourhood graph (the extra lineage hop stops there).
MAX_NEIGHBOURHOOD = 30
#: At most this many of a group's own relations in its graph. A busy group's graph draws its
#: first relations by date, while both limits hold, so that it stays readable and its page
#: small (at 10,000 synthetic events one group had 518 relations: a 250 KB drawing).
MAX_DRAWN = 60

_PAD = 8.0  # around the drawing
_LABEL_GLYPH = 0.56  # average glyph width of edge labels (mostly lower case), per font size
_LEFT, _RIGHT = 0, 1

#: The whole-conflict graph draws at most this many groups (the most connected).
WHOLE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class _Style:
    node_width: float
    font: float  # node names
    line: float  # line height of node names
    chars: int  # per line of a node name
    max_lines: int
    dates: bool  # edge labels carry the dates (else short labels)
    label_font: float
    min_gap: float  # between layers
    row_gap: float  # between nodes of a layer
    prefer_short_name: bool


EGO = _Style(
    node_width=132,
    font=12,
    line=14.5,
    chars=17,
    max_lines=3,
    dates=True,
    label_font=10,
    min_gap=60,
    row_gap=20,
    prefer_short_name=False,
)
WHOLE = _Style(
    node_width=120,
    font=11,
    line=13,
    chars=17,
    max_lines=3,
    dates=False,
    label_font=10,
    min_gap=48,
    row_gap=14,
    prefer_short_name=True,
)


@dataclass(frozen=True, slots=True)
class _Rel:
    """What the drawing shows of a relation, read from it and the index beforehand."""

    id: str
    subject: str
    object: str
    type: RelationType
    ends: tuple[str, str]  # (left, right): see _before_after
    when: str  # see when_text
    tip: str  # see _edge_tip


@dataclass(frozen=True, slots=True)
class _NodeSpec:
    """What the drawing shows of a node, read from the index beforehand."""

    id: str
    lines: tuple[str, ...]
    tip: str
    href: str | None
    cls: str


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
    a: str  # the end preferably drawn on the left
    b: str  # the end preferably drawn on the right
    relations: list[_Rel]
    hard: bool  # a time-ordered relation: b is in a later layer than a
    chain: list[str] = field(default_factory=list)  # left end, dummies..., right end
    same: bool = False  # both ends in one layer: an arc on their right

    def ends(self) -> tuple[tuple[str, int], tuple[str, int]]:
        """(node, side) where the edge leaves and enters."""
        return (self.chain[0], _RIGHT), (self.chain[-1], _RIGHT if self.same else _LEFT)

    def segments(self) -> Iterable[tuple[str, str]]:
        """Consecutive (left, right) points of the chain across layers."""
        if not self.same:
            yield from zip(self.chain, self.chain[1:], strict=False)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def group_graph(index: Index, rid: str, from_uri: str, extra_hop: bool = True, with_table: bool = True) -> str:
    """The relations of ``rid`` and, with ``extra_hop``, one more lineage step beyond its lineage neighbours.

    Returns Markdown: the SVG in a ``<div class="wiki-graph">`` raw HTML block,
    then a table of the same relations; ``""`` when ``rid`` has no relations.
    ``from_uri`` is the source path of the page the graph is shown on
    (e.g. ``groups/aqim.md``): node links are relative to it.  Leave out the
    table (``with_table=False``) only where the page lists the same relations
    elsewhere: it is the text equivalent of the picture.
    """
    relations, left_out = _neighbourhood(index, rid, extra_hop)
    if not relations:
        return ""
    name = index.display_name(rid)
    ends = {r.subject for r in relations} | {r.object for r in relations}
    title = f"Relations of {name}"
    capped = (
        f" Only the first {len(relations)} of its {len(relations) + left_out} relations, by date, are drawn; "
        "every relation is in the relations download."
        if left_out
        else ""
    )
    desc = (
        f"Diagram of {plural(len(relations), 'relation')} between {name} and "
        f"{plural(len(ends) - 1, 'other group or person', 'other groups or people')}, "
        "drawn from earlier (left) to later (right) along splits, mergers and successions; "
        "arrows point from subject to object. The same relations are listed in the table below." + capped
    )
    svg = _graph_svg(index, relations, from_uri, EGO, title=title, desc=desc, self_id=rid)
    note = f"\n\n{esc(capped.strip())}" if capped else ""
    return _block(svg, (_relation_table(index, relations) if with_table else "") + note)


def whole_graph(index: Index, from_uri: str, with_table: bool = True) -> str:
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
    left_out = ""
    if len(ends) > WHOLE_LIMIT:
        # A readable (and small) page: the most connected groups only; every relation
        # is still on its groups' pages and in the relations download.
        degree: dict[str, int] = {}
        for r in relations:
            degree[r.subject] = degree.get(r.subject, 0) + 1
            degree[r.object] = degree.get(r.object, 0) + 1
        keep = set(sorted(ends, key=lambda g: (-degree[g], g))[:WHOLE_LIMIT])
        total = len(ends)
        relations = [r for r in relations if r.subject in keep and r.object in keep]
        ends = {r.subject for r in relations} | {r.object for r in relations}
        left_out = (
            f" Only the {len(ends)} most connected of the {total} groups are drawn; every relation is listed "
            "on its groups' pages and in the relations download."
        )
    title = "Relations between groups"
    desc = (
        f"Network diagram of {plural(len(relations), 'relation')} between {plural(len(ends), 'group')}, "
        "drawn from earlier (left) to later (right) along splits, mergers and successions; arrows point "
        "from subject to object and groups are shown by their acronym where they have one. "
        "The same relations are listed, with their dates, in the table below." + left_out
    )
    svg = _graph_svg(index, relations, from_uri, WHOLE, title=title, desc=desc, self_id=None)
    note = f"\n\n{esc(left_out.strip())}" if left_out else ""
    return _block(svg, (_relation_table(index, relations) if with_table else "") + note)


# --------------------------------------------------------------------------
# Which relations
# --------------------------------------------------------------------------


def _neighbourhood(index: Index, rid: str, extra_hop: bool) -> tuple[list[Relation], int]:
    """The relations of ``rid`` to draw, and how many of its own are left out.

    Its relations by date, as long as the graph stays within :data:`MAX_NEIGHBOURHOOD` nodes
    and :data:`MAX_DRAWN` relations; if they all fit and with ``extra_hop``, also, for each
    lineage neighbour, its own lineage relations that lead further away from ``rid``
    (ancestors of ancestors, descendants of descendants), while the nodes still fit.
    """
    own = index.relations_of.get(rid, [])
    chosen: dict[str, Relation] = {}
    nodes = {rid}
    for relation in own:  # a prefix: the page's table of relations lists the first ones too
        new = {relation.subject, relation.object} - nodes
        if len(chosen) == MAX_DRAWN or len(nodes) + len(new) > MAX_NEIGHBOURHOOD:
            break
        chosen[relation.id] = relation
        nodes |= new
    first = list(chosen.values())
    left_out = len(own) - len(first)
    if extra_hop and not left_out:
        for relation in first:
            if relation.type not in LINEAGE:
                continue
            other = _other(relation, rid)
            left = _before_after(relation)[0] == other  # the neighbour lies left of rid
            for further in index.relations_of.get(other, []):
                if further.type not in LINEAGE or further.id in chosen:
                    continue
                if (_before_after(further)[1] == other) != left:
                    continue  # it leads back towards rid's side
                new = {further.subject, further.object} - nodes
                if len(nodes) + len(new) > MAX_NEIGHBOURHOOD:
                    continue
                chosen[further.id] = further
                nodes |= new
    return sorted(chosen.values(), key=lambda r: sort_key(r.start, r.id)), left_out


def _other(relation: Relation, rid: str) -> str:
    return relation.object if relation.subject == rid else relation.subject


def _before_after(relation: Relation) -> tuple[str, str]:
    """(left end, right end) of a relation in the drawing."""
    if relation.type in OBJECT_FIRST:
        return relation.object, relation.subject
    return relation.subject, relation.object


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------


def when_text(relation: Relation) -> str:
    """Plain (unescaped) dates of a relation: '2012', '2012–2014', 'until 2021'."""
    start, end = relation.start, relation.end
    if start and end:
        return start.display() if start == end else f"{start.display()}–{end.display()}"
    if start:
        return start.display()
    if end:
        return f"until {end.display()}"
    return ""


def _verb(relation: Relation | _Rel) -> str:
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
    """The name, wrapped; the acronym where the name does not fit (or first, in the whole network)."""
    record = index.get(rid)
    name = index.name(rid)
    short = record.short_name if isinstance(record, Group) else None
    for text in [short, name] if style.prefer_short_name else [name, short]:
        if text:
            lines = _wrap(text, style.chars, style.max_lines)
            if lines is not None:
                return lines
    words = _wrap(name, style.chars, len(name)) or [truncate(name, style.chars)]
    kept = words[: style.max_lines]
    if len(words) > style.max_lines:  # the next word does not fit on the last line: cut it with an ellipsis
        kept[-1] = truncate(f"{kept[-1]} {words[style.max_lines]}", style.chars)
    return kept


def _edge_label(relations: Sequence[_Rel], style: _Style) -> list[str]:
    """'split from, 2012' for one relation (the date only where the style shows dates);
    the different verbs, without dates, for several relations between the same two nodes."""
    width = 15  # characters per line
    if len(relations) == 1 and style.dates:
        verb, when = _verb(relations[0]), relations[0].when
        if not when:
            return [verb]
        if len(verb) + len(when) + 2 <= width:
            return [f"{verb}, {when}"]
        start, dash, end = when.partition("–")
        if len(when) > width and dash:  # a long span on two lines
            return [f"{verb},", truncate(start + dash, 24), truncate(end, 24)]
        return [f"{verb},", truncate(when, 24)]
    names = SHORT_LABELS if not style.dates else {r.type: _verb(r) for r in relations}
    verbs = list(dict.fromkeys(names[r.type] for r in relations))
    text = ", ".join(verbs[:3]) + (", …" if len(verbs) > 3 else "")
    return _wrap(text, width, 3) or [truncate(text, width)]


def _edge_tip(index: Index, relation: Relation) -> str:
    when = when_text(relation)
    text = f"{index.name(relation.subject)} {_verb(relation)} {index.name(relation.object)}"
    return f"{text} ({when})" if when else text


# --------------------------------------------------------------------------
# Layout: layers
# --------------------------------------------------------------------------


def _components(order: Sequence[str], edges: Iterable[_Edge]) -> list[list[str]]:
    """Connected components, each in depth-first order from its first node in ``order``."""
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
        while stack:
            node = stack.pop()
            component.append(node)
            for other in reversed(near[node]):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        result.append(component)
    return result


def _hard_layers(nodes: list[str], edges: list[_Edge]) -> dict[str, int]:
    """Layers along hard edges: cycles broken depth first, longest path, sources pulled right."""
    rank = {n: i for i, n in enumerate(nodes)}
    out: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        out[edge.a].append(edge.b)
    for targets in out.values():
        targets.sort(key=rank.__getitem__)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    dag: dict[str, list[str]] = defaultdict(list)
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, i = stack.pop()
            if i >= len(out[node]):
                state[node] = 2
                continue
            stack.append((node, i + 1))
            nxt = out[node][i]
            if state.get(nxt) == 1:
                continue  # closes a cycle: ignored for layering
            dag[node].append(nxt)
            if nxt not in state:
                state[nxt] = 1
                stack.append((nxt, 0))
    preds: dict[str, list[str]] = defaultdict(list)
    for node, targets in dag.items():
        for t in targets:
            preds[t].append(node)
    indegree = {n: len(preds[n]) for n in nodes}
    ready = [n for n in nodes if indegree[n] == 0]
    topo: list[str] = []
    while ready:
        ready.sort(key=rank.__getitem__)
        node = ready.pop(0)
        topo.append(node)
        for t in dag[node]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    layer: dict[str, int] = {}
    for node in topo:
        layer[node] = max((layer[p] + 1 for p in preds[node]), default=0)
    for node in reversed(topo):  # a node with no predecessor sits just before its first successor
        if not preds[node] and dag[node]:
            layer[node] = min(layer[t] for t in dag[node]) - 1
    return layer


def _soft_cost(step: int) -> float:
    """Cost of a soft edge whose right end lies ``step`` layers right of its left end."""
    return {1: 0.0, -1: 0.5, 0: 0.9}.get(step, abs(step) - 1 + (0.5 if step < 0 else 0.0) + 0.2)


def _layers(component: list[str], edges: list[_Edge]) -> dict[str, int]:
    """Layers of one connected component: hard parts laid out alone, then shifted into place."""
    hard = [e for e in edges if e.hard]
    parts = _components(component, hard)
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    base: dict[str, int] = {}
    for part in parts:
        members = set(part)
        layer = _hard_layers(part, [e for e in hard if e.a in members])
        low = min(layer.values())
        base.update({n: v - low for n, v in layer.items()})
    soft_of: dict[int, list[_Edge]] = defaultdict(list)
    for edge in edges:
        if not edge.hard:
            soft_of[part_of[edge.a]].append(edge)
            soft_of[part_of[edge.b]].append(edge)
    # place the largest hard part first, then each part linked to the placed ones, breadth first
    first = min(range(len(parts)), key=lambda i: (-len(parts[i]), i))
    placed: dict[str, int] = {n: base[n] for n in parts[first]}
    queue = [first]
    done = {first}
    while queue:
        current = queue.pop(0)
        for edge in soft_of[current]:
            for end in (edge.a, edge.b):
                i = part_of[end]
                if i in done:
                    continue
                done.add(i)
                queue.append(i)
                links = [e for e in soft_of[i] if (e.a in placed) != (e.b in placed)]
                span = max(placed.values()) - min(placed.values()) + max(base[n] for n in parts[i]) + 2
                best = min(
                    range(-span, span + 1),
                    key=lambda s: (sum(_soft_cost(_step(e, placed, base, s)) for e in links), abs(s), s),
                )
                placed.update({n: base[n] + best for n in parts[i]})
    low = min(placed.values())
    return {n: placed[n] - low for n in component}


def _step(edge: _Edge, placed: dict[str, int], base: dict[str, int], shift: int) -> int:
    """Layers from the edge's left end to its right end when the unplaced part moves by ``shift``."""

    def at(n: str) -> int:
        return placed[n] if n in placed else base[n] + shift

    return at(edge.b) - at(edge.a)


# --------------------------------------------------------------------------
# Layout: order and positions
# --------------------------------------------------------------------------


def _crossings(rows: list[list[str]], edges: list[_Edge]) -> int:
    pos = {n: i for row in rows for i, n in enumerate(row)}
    level = {n: li for li, row in enumerate(rows) for n in row}
    segments: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for edge in edges:
        for u, v in edge.segments():
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
        for u, v in edge.segments():
            down[u].append(v)
            up[v].append(u)
    best = [list(r) for r in rows]
    best_cross = _crossings(best, edges)
    current = [list(r) for r in rows]
    for sweep in range(12):
        forward = sweep % 2 == 0
        indices = range(1, len(current)) if forward else range(len(current) - 2, -1, -1)
        for li in indices:
            ref = {n: i for i, n in enumerate(current[li - 1] if forward else current[li + 1])}
            near = up if forward else down
            keys: dict[str, tuple[float, int]] = {}
            for i, n in enumerate(current[li]):
                linked = [ref[m] for m in near[n] if m in ref]
                keys[n] = (sum(linked) / len(linked) if linked else float(i), i)
            current[li] = sorted(current[li], key=keys.__getitem__)
        cross = _crossings(current, edges)
        if cross < best_cross:
            best, best_cross = [list(r) for r in current], cross
    return best


def _isotonic(desired: list[float], heights: list[float], gap: float) -> list[float]:
    """Tops closest (least squares) to ``desired`` that keep the order and a ``gap`` between boxes."""
    offsets: list[float] = []
    acc = 0.0
    for h in heights:
        offsets.append(acc)
        acc += h + gap
    blocks: list[list[float]] = []  # pooled [sum, count]
    for d, o in zip(desired, offsets, strict=True):
        blocks.append([d - o, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    values: list[float] = []
    for total, count in blocks:
        values.extend([total / count] * round(count))
    return [v + o for v, o in zip(values, offsets, strict=True)]


def _place(rows: list[list[str]], nodes: dict[str, _Node], edges: list[_Edge], gap: float) -> None:
    """Vertical positions: each node near the mean of its neighbours, in its layer's order."""
    near: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        for u, v in edge.segments():
            near[u].append(v)
            near[v].append(u)
    tallest = max(sum(nodes[n].height + gap for n in row) for row in rows)
    for row in rows:  # start with every layer centred on the tallest one
        top = (tallest - sum(nodes[n].height + gap for n in row)) / 2
        for n in row:
            nodes[n].top = top
            top += nodes[n].height + gap
    sequence = list(range(len(rows))) + list(range(len(rows) - 2, -1, -1))
    for _ in range(4):
        for li in sequence:
            row = rows[li]
            desired = []
            for n in row:
                linked = [nodes[m].mid for m in near[n]]
                mid = sum(linked) / len(linked) if linked else nodes[n].mid
                desired.append(mid - nodes[n].height / 2)
            for n, t in zip(row, _isotonic(desired, [nodes[n].height for n in row], gap), strict=True):
                nodes[n].top = t


def _layout(nodes: dict[str, _Node], edges: list[_Edge], order: list[str], style: _Style, gap_x: float) -> float:
    """Set ``layer``, ``x`` and ``top`` of every node (adding dummies); returns the total height.

    Connected components are laid out separately, the largest first, and packed on
    shelves as wide as the widest one (small components side by side).
    """
    blocks: list[tuple[list[_Node], int, float]] = []  # nodes, columns, height
    components = sorted(_components(order, edges), key=lambda c: -len(c))
    for component in components:
        members = set(component)
        comp_edges = [e for e in edges if e.a in members]
        layer = _layers(component, comp_edges)
        rows: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
        for n in component:
            nodes[n].layer = layer[n]
            rows[layer[n]].append(n)
        for edge in comp_edges:
            la, lb = layer[edge.a], layer[edge.b]
            left, right = (edge.a, edge.b) if la <= lb else (edge.b, edge.a)
            edge.same = la == lb
            chain = [left]
            for li in range(min(la, lb) + 1, max(la, lb)):
                dummy = f"~{edge.a}~{edge.b}~{li}"
                nodes[dummy] = _Node(dummy, [], "", None, "", 0.0, 8.0, dummy=True, layer=li)
                rows[li].append(dummy)
                chain.append(dummy)
            chain.append(right)
            edge.chain = chain
        _grow(nodes, comp_edges)
        rows = _order(rows, comp_edges)
        _place(rows, nodes, comp_edges, gap=style.row_gap)
        placed = [nodes[n] for row in rows for n in row]
        low = min(n.top for n in placed)
        for node in placed:
            node.top -= low
        blocks.append((placed, len(rows), max(n.top + n.height for n in placed)))
    capacity = max(columns for _, columns, _ in blocks)
    shelf_top, shelf_height, column = 0.0, 0.0, 0
    for placed, columns, height in blocks:
        if column and column + columns > capacity:  # start a new shelf
            shelf_top, shelf_height, column = shelf_top + shelf_height + 26.0, 0.0, 0
        for node in placed:
            node.top += shelf_top
            node.x = _PAD + (column + node.layer) * (style.node_width + gap_x)
        shelf_height = max(shelf_height, height)
        column += columns
    return shelf_top + shelf_height


def _grow(nodes: dict[str, _Node], edges: list[_Edge]) -> None:
    """Make nodes tall enough for the edges meeting each of their sides."""
    sides: dict[tuple[str, int], int] = defaultdict(int)
    for edge in edges:
        for end in edge.ends():
            sides[end] += 1
    for (n, _), count in sides.items():
        nodes[n].height = max(nodes[n].height, (count + 1) * 8.0)


def _ports(nodes: dict[str, _Node], edges: list[_Edge]) -> dict[tuple[int, int], float]:
    """The y where edge i leaves (0) and enters (1), spread along the node's side in the order of the other ends."""
    sides: dict[tuple[str, int], list[tuple[float, int, int]]] = defaultdict(list)
    for i, edge in enumerate(edges):
        start, end = edge.ends()
        toward_start = nodes[edge.chain[1]] if not edge.same else nodes[edge.chain[-1]]
        toward_end = nodes[edge.chain[-2]] if not edge.same else nodes[edge.chain[0]]
        sides[start].append((toward_start.mid, i, 0))
        sides[end].append((toward_end.mid, i, 1))
    ports: dict[tuple[int, int], float] = {}
    for (n, _), items in sides.items():
        items.sort()
        node = nodes[n]
        for k, (_, i, which) in enumerate(items):
            ports[(i, which)] = node.top + (k + 1) * node.height / (len(items) + 1)
    return ports


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


_Label = tuple[str, list[str], float, float]  # anchor, lines, x, top


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
    """Read from the index what the drawing shows, then draw it (:func:`_drawing`)."""
    # nodes in a stable order: the group itself first, then by first relation date
    order: list[str] = [self_id] if self_id else []
    for relation in relations:
        order.extend(_before_after(relation))
    nodes = tuple(
        _NodeSpec(
            rid,
            tuple(_node_lines(index, rid, style)),
            index.display_name(rid),
            None if rid == self_id else index.url_from(from_uri, rid),
            f"wiki-node wiki-node-{index.kind_of.get(rid, 'group')}" + (" wiki-node-self" if rid == self_id else ""),
        )
        for rid in dict.fromkeys(order)
    )
    rels = tuple(
        _Rel(r.id, r.subject, r.object, r.type, _before_after(r), when_text(r), _edge_tip(index, r)) for r in relations
    )
    pid = svg_id("wg", title, [r.id for r in relations], from_uri)
    return _drawing(nodes, rels, style, title, desc, pid, "ego" if self_id else "all")


#: Drawings kept: one per group or person with relations (a wiki of 10,000 events has
#: 1,829, 11 MB of SVG in all). A drawing depends only on its arguments, so ``mkdocs serve``,
#: which re-renders every page on each reload, lays out again only the graphs whose names,
#: links or relations changed (the layout is most of the time of a group page).
DRAWING_CACHE = 4096


@lru_cache(maxsize=DRAWING_CACHE)
def _drawing(  # noqa: PLR0917
    specs: tuple[_NodeSpec, ...],
    relations: tuple[_Rel, ...],
    style: _Style,
    title: str,
    desc: str,
    pid: str,
    variant: str,  # "ego" (one group's graph) or "all"
) -> str:
    """The SVG of a graph: a pure function of what :func:`_graph_svg` read from the index."""
    order = [spec.id for spec in specs]
    nodes: dict[str, _Node] = {}
    for spec in specs:
        height = max(len(spec.lines) * style.line + 12, 32.0)
        nodes[spec.id] = _Node(spec.id, list(spec.lines), spec.tip, spec.href, spec.cls, style.node_width, height)
    # one drawn edge per pair of nodes, carrying all their relations; a hard relation sets the direction
    pairs: dict[frozenset[str], list[_Rel]] = {}
    for relation in relations:
        pairs.setdefault(frozenset((relation.subject, relation.object)), []).append(relation)
    edges: list[_Edge] = []
    for rels in pairs.values():
        hard = [r for r in rels if r.type in HARD]
        a, b = (hard or rels)[0].ends
        edges.append(_Edge(a, b, rels, hard=bool(hard)))
    label_lines = [_edge_label(e.relations, style) for e in edges]
    widest = max((len(line) * style.label_font * _LABEL_GLYPH for lines in label_lines for line in lines), default=0)
    gap_x = max(style.min_gap, widest + 26)
    height = _layout(nodes, edges, order, style, gap_x) + 2 * _PAD
    for node in nodes.values():
        node.top += _PAD
    width = max(n.x + n.width for n in nodes.values() if not n.dummy) + _PAD
    ports = _ports(nodes, edges)
    side_count: dict[tuple[str, int], int] = defaultdict(int)
    for edge in edges:
        for end in edge.ends():
            side_count[end] += 1

    out = [
        "<defs>"
        f'<marker id="{pid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="wiki-arrow"/></marker></defs>',
        '<g class="wiki-edges" aria-hidden="true">',
    ]
    wanted: list[tuple[list[str], list[_Spot]]] = []
    for i, edge in enumerate(edges):
        y0, y1 = ports[(i, 0)], ports[(i, 1)]
        first, last = nodes[edge.chain[0]], nodes[edge.chain[-1]]
        at_end = any(r.subject == first.id for r in edge.relations)  # an arrow pointing at the last node
        at_start = any(r.subject == last.id for r in edge.relations)
        markers = (f' marker-end="url(#{pid}-arrow)"' if at_end else "") + (
            f' marker-start="url(#{pid}-arrow)"' if at_start else ""
        )
        classes = " ".join(dict.fromkeys(f"wiki-rel-{r.type.value}" for r in edge.relations))
        tips = "; ".join(r.tip for r in edge.relations)
        if edge.same:
            right = first.x + first.width
            bulge = 16 + min(abs(y1 - y0), 240) * 0.15
            out_x = _f(right + bulge)
            path = f"M{_f(right)},{_f(y0)} C{out_x},{_f(y0)} {out_x},{_f(y1)} {_f(right)},{_f(y1)}"
            mid = (y0 + y1) / 2
            spot = right + bulge * 0.75 + 4
            wanted.append(
                (label_lines[i], [_Spot("start", spot, mid + 6, False, 0), _Spot("start", spot, mid - 6, True, 0)])
            )
        else:
            path = _edge_path(nodes, edge, y0, y1, style.node_width)
            # the label goes best near the end with fewer edges (away from a fan's centre),
            # on the outer side of the curve
            prefer_last = side_count[(last.id, _LEFT)] <= side_count[(first.id, _RIGHT)]
            before_last = nodes[edge.chain[-2]].mid if len(edge.chain) > 2 else y0
            after_first = nodes[edge.chain[1]].mid if len(edge.chain) > 2 else y1
            rising = (after_first < y0 - 1, before_last < y1 - 1)
            wanted.append((label_lines[i], _spots(first, last, (y0, y1), prefer_last=prefer_last, rising=rising)))
        out.append(f'<path d="{path}" class="wiki-edge {classes}"{markers}><title>{svg_text(tips)}</title></path>')
    out.append("</g>")
    labels = _labels(wanted, style, nodes.values())
    out.extend(_labels_svg(labels, style))
    out.append('<g class="wiki-nodes">')
    out.extend(_node_svg(nodes[rid], style) for rid in order)
    out.append("</g>")
    # labels may reach above the first node or below the last: grow the picture to fit
    line = style.label_font + 2
    above = min([0.0, *(top - _PAD for _, _, _, top in labels)])
    below = max([height, *(top + len(lines) * line + _PAD for _, lines, _, top in labels)])
    head = svg_open(
        pid,
        title,
        desc,
        size=(width, below - above),
        role=None,  # it holds links (see svg_open)
        min_width=width * 0.8,
        cls=f"wiki-graph-svg wiki-graph-{variant}",
    )
    shift = f'<g transform="translate(0 {_f(-above)})">' if above < 0 else "<g>"
    return "\n".join([head, shift, *out, "</g>", "</svg>"])


def _edge_path(nodes: dict[str, _Node], edge: _Edge, y_start: float, y_end: float, column: float) -> str:
    first, last = nodes[edge.chain[0]], nodes[edge.chain[-1]]
    points: list[tuple[float, float]] = [(first.x + first.width, y_start)]
    for dummy in edge.chain[1:-1]:
        node = nodes[dummy]
        points += [(node.x, node.mid), (node.x + column, node.mid)]
    points.append((last.x, y_end))
    d = [f"M{_f(points[0][0])},{_f(points[0][1])}"]
    for k in range(1, len(points)):
        (x0, y0), (x1, y1) = points[k - 1], points[k]
        if k % 2 == 1:  # across the gap between two layers
            mx = (x0 + x1) / 2
            d.append(f"C{_f(mx)},{_f(y0)} {_f(mx)},{_f(y1)} {_f(x1)},{_f(y1)}")
        else:  # straight through a layer, past its nodes
            d.append(f"L{_f(x1)},{_f(y1)}")
    return " ".join(d)


@dataclass(frozen=True, slots=True)
class _Spot:
    """A place where an edge label may go: beside the line at ``(x, y)``, above it or below."""

    anchor: str  # 'start': the label begins at x; 'end': it ends at x
    x: float
    y: float
    below: bool
    penalty: float  # how much worse than the best spot, in units of vertical displacement


def _spots(
    first: _Node, last: _Node, ports: tuple[float, float], *, prefer_last: bool, rising: tuple[bool, bool]
) -> list[_Spot]:
    """Label spots of an edge between layers: at either end, on the outer or inner side of its curve.

    ``ports`` are the y of the line at the first and the last node; ``rising`` says, for each end,
    whether the line comes to it from above.
    """
    y0, y1 = ports
    at_last = [_Spot("end", last.x - 10, y1, rising[1], 0), _Spot("end", last.x - 10, y1, not rising[1], 8)]
    at_first = [
        _Spot("start", first.x + first.width + 6, y0, rising[0], 0),
        _Spot("start", first.x + first.width + 6, y0, not rising[0], 8),
    ]
    if prefer_last:
        return [*at_last, *(_Spot(s.anchor, s.x, s.y, s.below, s.penalty + 10) for s in at_first)]
    return [*at_first, *(_Spot(s.anchor, s.x, s.y, s.below, s.penalty + 10) for s in at_last)]


def _labels(wanted: list[tuple[list[str], list[_Spot]]], style: _Style, nodes: Iterable[_Node]) -> list[_Label]:
    """Place each edge label at the best of its spots, moved up or down as little as possible,
    so that it covers neither a node nor another label (or, failing that, as little as possible)."""
    line = style.label_font + 2
    blocked = [(n.x - 2, n.top - 2, n.x + n.width + 2, n.top + n.height + 2) for n in nodes if not n.dummy]
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i][1][0].y, wanted[i][1][0].x, i))
    result: dict[int, _Label] = {}
    for i in order:
        lines, spots = wanted[i]
        height = len(lines) * line
        width = max(len(text) for text in lines) * style.label_font * 0.58
        best: tuple[float, float, _Label, tuple[float, float, float, float]] | None = None
        for spot in spots:
            left = spot.x if spot.anchor == "start" else spot.x - width
            right = left + width
            top = spot.y + 2 if spot.below else spot.y - 2 - height
            reach_top, reach_bottom = top - 61, top + height + 61  # everything the search can touch
            # The boxes within reach, each with the width it shares with the label, which moving
            # the label up or down does not change: the overlap of two boxes, taken apart, as
            # labels are placed on every group page of a large wiki and the search is quadratic.
            # (Each plain comparison first is implied by the exact test after it: it only skips
            # the boxes that test would reject. Boxes have no negative sizes.)
            near = []
            for o_left, o_top, o_right, o_bottom in blocked:
                if right > o_left and o_right > left and reach_bottom > o_top and o_bottom > reach_top:
                    shared = min(right, o_right) - max(left, o_left)
                    if shared > 0 and min(reach_bottom, o_bottom) - max(reach_top, o_top) > 0:
                        near.append((shared, o_top, o_bottom))
            for step in range(21):
                free = False
                for delta in (step * 3.0, -step * 3.0) if step else (0.0,):
                    box = (left, top + delta, right, top + delta + height)
                    box_top, box_bottom = box[1], box[3]
                    overlap = sum(
                        shared * (min(box_bottom, o_bottom) - max(box_top, o_top))
                        for shared, o_top, o_bottom in near
                        if box_bottom > o_top and o_bottom > box_top
                    )
                    score = (overlap, spot.penalty + abs(delta) + (0.5 if (delta > 0) != spot.below else 0))
                    if best is None or score < best[:2]:
                        best = (*score, (spot.anchor, lines, spot.x, top + delta), box)
                    free = free or overlap == 0
                if free:
                    break  # moving further only costs more
        assert best is not None
        result[i] = best[2]
        blocked.append(best[3])
    return [result[i] for i in range(len(wanted))]


def _labels_svg(labels: list[_Label], style: _Style) -> Iterable[str]:
    line = style.label_font + 2
    yield f'<g class="wiki-edge-labels" aria-hidden="true" font-size="{_f(style.label_font)}">'
    for anchor, lines, x, top in labels:
        spans = "".join(
            f'<tspan x="{_f(x)}" y="{_f(top + (k + 1) * line - 2.5)}">{svg_text(text)}</tspan>'
            for k, text in enumerate(lines)
        )
        yield f'<text text-anchor="{anchor}">{spans}</text>'
    yield "</g>"


def _node_svg(node: _Node, style: _Style) -> str:
    radius = node.height / 2 if "wiki-node-person" in node.cls else 6
    cx = node.x + node.width / 2
    first = node.mid - (len(node.lines) - 1) * style.line / 2 + style.font * 0.35
    spans = "".join(
        f'<tspan x="{_f(cx)}" y="{_f(first + k * style.line)}">{svg_text(text)}</tspan>'
        for k, text in enumerate(node.lines)
    )
    body = (
        f'<rect x="{_f(node.x)}" y="{_f(node.top)}" width="{_f(node.width)}" height="{_f(node.height)}" '
        f'rx="{_f(min(radius, 16))}" class="{node.cls}"/>'
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
    if "\n\n" in svg:  # a blank line would end the raw HTML block early
        raise ValueError("a graph must not contain blank lines")
    return f'<div class="wiki-graph">\n{svg}\n</div>' + (f"\n\n{table_md}" if table_md else "")


__all__ = ["HARD", "LINEAGE", "group_graph", "when_text", "whole_graph"]

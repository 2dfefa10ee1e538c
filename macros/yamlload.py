"""Strict YAML reading that remembers where every value came from.

PyYAML's constructors silently keep the last of two duplicate keys, expand
aliases (an "alias bomb" of a few lines becomes gigabytes) and forget line
numbers.  We therefore drive PyYAML's event parser (libyaml when available)
ourselves and build plain Python values with:

* :class:`LineDict` / :class:`LineList`, which remember the line of each key
  and item, so a validation error anywhere can name ``file:line``;
* duplicate keys, anchors, aliases, tags and multi-document files refused;
* YAML 1.2 core scalars only: ``yes``/``no`` stay text, and dates such as
  ``2015-08-07`` stay text (the wiki's own date parser keeps their precision).

ruamel.yaml also keeps line numbers but is several times slower than libyaml
and still needs the same duplicate/alias policy on top, hence this module.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # libyaml is bundled in PyYAML's wheels; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = ["LineDict", "LineList", "YamlError", "line_of", "parse_yaml"]

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class YamlError(Exception):
    """A problem in the YAML text itself, at a 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


_WORDS: dict[str, Any] = dict.fromkeys(_NULL) | _BOOL


def _scalar(event: Any) -> Any:
    value: str = event.value
    if not event.implicit[0]:  # quoted or block scalar: always text
        return value
    if value in _WORDS:
        return _WORDS[value]
    first = value[:1]
    if first.isdigit() or first in ("-", "+", "."):  # only then can it be a number
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


def _build(loader: Any) -> Any:
    """Turn the parser's events into LineDict/LineList/scalars, without recursion.

    This loop runs once per YAML node of every data file (about a million at
    10,000 events), so it is written flat: no helper calls on the common path.
    """
    get = loader.get_event
    get()  # StreamStartEvent
    if loader.check_event(yaml.StreamEndEvent):
        return None
    get()  # DocumentStartEvent
    scalar, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end, alias = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent
    root: Any = None
    containers: list[Any] = []  # open LineDicts and LineLists, innermost last
    keys: list[str | None] = []  # per container: the mapping key awaiting its value (None: expecting a key)
    while True:
        event = get()
        kind = event.__class__
        if kind is map_end or kind is seq_end:
            containers.pop()
            keys.pop()
            if not containers:
                break
            continue
        line = event.start_mark.line + 1
        if kind is alias:
            raise YamlError(line, f"alias '*{event.anchor}' is not allowed: write the value out in full")
        if kind is not scalar and kind is not map_start and kind is not seq_start:  # pragma: no cover
            raise YamlError(line, f"unexpected YAML event {kind.__name__}")
        if event.anchor is not None:
            raise YamlError(line, f"anchor '&{event.anchor}' is not allowed: write the value out in full")
        if event.tag is not None and event.tag != "!":
            raise YamlError(line, f"tag '{event.tag}' is not allowed: remove it and write a plain value")
        top = containers[-1] if containers else None
        if top is not None and top.__class__ is LineDict and keys[-1] is None:
            if kind is not scalar:
                raise YamlError(line, "a mapping key must be a plain word, not a list or mapping")
            key = event.value
            if key in top:
                raise YamlError(
                    line,
                    f"duplicate key '{key}' (first given on line {top.key_lines[key]}): "
                    "keep one of them; YAML would silently drop the first",
                )
            top.key_lines[key] = line
            keys[-1] = key
            continue
        value: Any = _scalar(event) if kind is scalar else LineDict(line) if kind is map_start else LineList(line)
        if top is None:
            root = value
        elif top.__class__ is LineList:
            top.append(value)
            top.item_lines.append(line)
        else:
            top[keys[-1]] = value
            keys[-1] = None
        if kind is not scalar:
            containers.append(value)
            keys.append(None)
        elif top is None:
            break  # the document is a single scalar
    get()  # DocumentEndEvent
    if not loader.check_event(yaml.StreamEndEvent):
        nxt = get()
        raise YamlError(
            nxt.start_mark.line + 1,
            "a second YAML document ('---') is not allowed: one file holds one mapping",
        )
    return root


def _describe(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark
    if mark is not None:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: len(line) - len(line.lstrip())] or ("tab" in problem and "\t" in line):
            return "YAML syntax error: a tab character is used for indentation; indent with spaces"
    context = f" {exc.context}" if exc.context else ""
    return f"YAML syntax error: {problem}{context}"


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raise :class:`YamlError` (with a line) on any problem."""
    loader = _Loader(text)
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(mark.line + 1 if mark else 1, _describe(exc, text)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlError(
            line, f"control characters are not allowed in YAML: remove the character {exc.character!r}"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def line_of(root: Any, loc: tuple[int | str, ...], default: int) -> int:
    """The line of the deepest value along ``loc`` that we know a line for."""
    line = getattr(root, "line", default)
    node = root
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        line = getattr(node, "line", line)
    return line

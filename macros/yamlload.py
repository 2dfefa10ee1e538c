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


#: The first characters of a number (and of some text, such as ``-x`` or ``.5 km``).
_NUMBER_START = frozenset("0123456789-+.")


def _number(text: str) -> Any:
    """A plain scalar that starts like a number (:data:`_NUMBER_START`): an integer or a
    float under the YAML 1.2 core schema, else the text itself."""
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _refuse_properties(event: Any) -> None:
    """Anchors, tags other than the non-specific ``!``, and aliases are refused."""
    line = event.start_mark.line + 1
    if event.__class__ is yaml.AliasEvent:
        raise YamlError(line, f"alias '*{event.anchor}' is not allowed: write the value out in full")
    if event.anchor is not None:
        raise YamlError(line, f"anchor '&{event.anchor}' is not allowed: write the value out in full")
    if event.tag is not None and event.tag != "!":
        raise YamlError(line, f"tag '{event.tag}' is not allowed: remove it and write a plain value")


def _build(loader: Any) -> Any:
    """Turn the parser's events into LineDict/LineList/scalars, without recursion.

    This loop runs once per YAML node of every data file (about a million at
    10,000 events), so it is written flat, with the open container's state in
    local variables (``top``, whether it is a mapping, the key awaiting its
    value) and a stack only for the enclosing ones; the line of a node is read
    only where it is kept (keys, list items, containers).
    """
    get = loader.get_event
    get()  # StreamStartEvent
    if loader.check_event(yaml.StreamEndEvent):
        return None
    get()  # DocumentStartEvent
    scalar, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    words, number, number_start = _WORDS, _number, _NUMBER_START
    root: Any = None
    top: Any = None  # the open LineDict or LineList (None: at the document's root)
    in_map = False  # whether top is a LineDict
    key: str | None = None  # in a mapping: the key awaiting its value (None: a key comes next)
    enclosing: list[tuple[Any, bool, str | None]] = []  # (top, in_map, key) of the containers around top
    while True:
        event = get()
        kind = event.__class__
        if kind is scalar:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _refuse_properties(event)
            text: str = event.value
            if in_map and key is None:
                if text in top:
                    raise YamlError(
                        event.start_mark.line + 1,
                        f"duplicate key '{text}' (first given on line {top.key_lines[text]}): "
                        "keep one of them; YAML would silently drop the first",
                    )
                top.key_lines[text] = event.start_mark.line + 1
                key = text
                continue
            # YAML 1.2 core schema: quoted and block scalars (implicit[0] false) are always text;
            # a plain one is null, a boolean, a number, or else text.
            if not event.implicit[0]:
                value: Any = text
            elif text in words:
                value = words[text]
            elif text[:1] in number_start:
                value = number(text)
            else:
                value = text
            if in_map:
                top[key] = value
                key = None
            elif top is not None:
                top.append(value)
                top.item_lines.append(event.start_mark.line + 1)
            else:
                root = value  # the document is a single scalar
                break
        elif kind is map_start or kind is seq_start:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _refuse_properties(event)
            line = event.start_mark.line + 1
            if in_map and key is None:
                raise YamlError(line, "a mapping key must be a plain word, not a list or mapping")
            container: Any = LineDict(line) if kind is map_start else LineList(line)
            if in_map:
                top[key] = container
            elif top is not None:
                top.append(container)
                top.item_lines.append(line)
            else:
                root = container
            enclosing.append((top, in_map, None))
            top, in_map, key = container, kind is map_start, None
        elif kind is map_end or kind is seq_end:
            top, in_map, key = enclosing.pop()
            if top is None:
                break
        else:  # an alias, or an event that cannot occur inside a document
            if kind is not yaml.AliasEvent:  # pragma: no cover - libyaml never sends one here
                raise YamlError(event.start_mark.line + 1, f"unexpected YAML event {kind.__name__}")
            _refuse_properties(event)
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


#: A line that looks like a mapping key (``  title: ...`` or ``- id: ...``).
_KEY_LINE = re.compile(r"\s*(?:-\s+)?[A-Za-z_][\w-]*:(?:\s|$)")


def _unclosed_quote(text: str) -> tuple[int, int] | None:
    """(first, last line) of a quoted text that swallowed lines that look like keys: a quote
    left open, which YAML only notices where the next quotation mark closes it, lines later."""
    lines = text.splitlines()
    loader = _Loader(text)
    try:
        while not loader.check_token(yaml.StreamEndToken):
            token = loader.get_token()
            if token.__class__ is yaml.ScalarToken and token.style in ('"', "'"):
                first, last = token.start_mark.line, token.end_mark.line
                if any(_KEY_LINE.match(line) for line in lines[first + 1 : last + 1]):
                    return first + 1, last + 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raise :class:`YamlError` (with a line) on any problem."""
    loader = _Loader(text)
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as exc:
        if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
            line = exc.context_mark.line + 1  # runs to the end of the file: report where it opened
            raise YamlError(line, "YAML syntax error: the quotation mark opened on this line is never closed") from None
        unclosed = _unclosed_quote(text)
        if unclosed is not None:
            raise YamlError(
                unclosed[0],
                f"YAML syntax error: the quotation mark opened on this line is not closed where the text "
                f"ends, so the quoted text runs on to line {unclosed[1]}: close it on this line",
            ) from None
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

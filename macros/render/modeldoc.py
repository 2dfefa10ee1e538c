"""The data-model page, generated from the pydantic models so it cannot drift."""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..model import KINDS, SLUG_PATTERN, Actor, Casualties, Citation, Coordinates, Fact, Figure, Range
from .text import esc, table

NESTED: list[type[BaseModel]] = [Citation, Fact, Actor, Casualties, Figure, Range, Coordinates]


def type_text(annotation: Any) -> str:
    """A reader's name for a field type: 'list of id (place)', 'date', 'one of: attack, …'."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        refs = [m for m in meta if type(m).__name__ == "Ref"]
        if refs:
            return f"id ({' or '.join(refs[0].kinds)})"
        if any(getattr(m, "func", None) and "date" in getattr(m.func, "__name__", "") for m in meta):
            return "date (EDTF)"
        if any(getattr(m, "pattern", None) == SLUG_PATTERN for m in meta):
            return "id"
        if any(getattr(m, "func", None) and "count" in getattr(m.func, "__name__", "") for m in meta):
            return "count (number or {min, max})"
        return type_text(base)
    if origin in (list, tuple):
        return "list of " + type_text(args[0]) if args else "list"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
        return " or ".join(dict.fromkeys(type_text(a) for a in args))
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "one of: " + ", ".join(str(m.value) for m in annotation)
        if issubclass(annotation, BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        return {"str": "text", "int": "whole number", "float": "number", "bool": "true/false"}.get(
            annotation.__name__, annotation.__name__
        )
    return str(annotation)


def first_line(model: type[BaseModel]) -> str:
    return next(iter((model.__doc__ or "").strip().splitlines()), "").replace("``", "")


def model_table(model: type[BaseModel]) -> str:
    rows = []
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = typing.Annotated[(annotation, *info.metadata)]
        required = "yes" if info.is_required() else "no"
        rows.append([f"`{name}`", type_text(annotation), required, esc(info.description or "")])
    return table(["Field", "Type", "Required", "Meaning"], rows)


def data_model_page() -> str:
    parts = [
        "# Data model",
        "",
        "Generated from the models in `macros/model.py` at every build, so it always matches what the "
        "validator accepts. Each YAML file under `data/` holds one kind of record under one key "
        "(`events:`, `groups:`, …). Ids are lowercase words joined by hyphens and are unique across the "
        "whole knowledge base. Unknown fields are errors, so typos are caught.",
        "",
        "The same rules are published as JSON Schema in `schema/` (and in the downloads), which editors "
        "with a YAML language server use for completion and inline errors. A few rules only the validator "
        "checks: that every referenced id exists and is of the right kind, that ids are unique, that dates "
        "are real calendar dates and ranges end after they start, that quotes are at most 40 words and "
        "occur verbatim in the archived source, and that placeholders such as `CHANGE ME` are filled in.",
        "",
    ]
    for key, model in KINDS.items():
        parts += [f"## {key.capitalize()} {{ #{key} }}", "", esc(first_line(model)), "", model_table(model), ""]
    parts += ["## Parts of records { #parts }", ""]
    for nested in NESTED:
        parts += [
            f"### {nested.__name__} {{ #{nested.__name__.lower()} }}",
            "",
            esc(first_line(nested)),
            "",
            model_table(nested),
            "",
        ]
    parts += [
        "## Dates { #dates }",
        "",
        "Dates keep their real precision (a subset of the Extended Date/Time Format):",
        "",
        table(
            ["Write", "Means", "Shown as"],
            [
                ["`2012`", "the year only", "2012"],
                ["`2012-08`", "the month only", "August 2012"],
                ["`2015-08-07`", "the day", "7 August 2015"],
                ["`2010~`", "approximately", "c. 2010"],
                ["`2010?`", "uncertain", "2010 (uncertain)"],
                ["`2012-08/2012-09`", "a range", "August–September 2012"],
                ["`2013/..`", "open-ended range", "since 2013"],
            ],
        ),
        "",
    ]
    return "\n".join(parts)

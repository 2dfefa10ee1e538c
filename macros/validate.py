"""Step 2 of the pipeline: raw YAML records → typed records, or every error.

Three passes, all of which report instead of stopping:

1. each record against its pydantic model (types, required and unknown
   fields, id format, dates, figures);
2. ids unique across the whole knowledge base;
3. every reference field (marked :class:`~macros.model.Ref` in the model)
   resolving to a record of the right kind, with a "did you mean".
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from . import plausible
from .dates import Point
from .errors import DataError, DataErrors, FileError, did_you_mean
from .load import RawRecord
from .model import KINDS, PLACEHOLDER, Event, Group, Model, Person, Place, Ref, Relation, Source
from .yamlload import LineDict, LineList, line_of

#: Ids that would collide with generated pages (``groups/index.md`` is the list of groups).
RESERVED_IDS = frozenset({"index"})
#: Kind given to ids found in unreadable files.
SALVAGED = "?"

_MODEL_OF_KIND: dict[str, type[Model]] = {m.KIND: m for m in KINDS.values()}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class KnowledgeBase:
    """Every validated record, by kind, in file order; plus where each was defined."""

    sources: tuple[Source, ...] = ()
    groups: tuple[Group, ...] = ()
    people: tuple[Person, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Pass 1: models
# --------------------------------------------------------------------------


def _loc_text(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _field_names(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The allowed field names of the (sub)model at ``loc``, for 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        info = fields.get(part) if isinstance(fields, dict) else None
        if info is None:
            return []
        current = next(_submodels(info.annotation), None)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _submodels(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _submodels(arg)


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return {"bool": "true/false", "int": "a number", "float": "a number", "str": "text"}.get(
        type(value).__name__, type(value).__name__
    )


def _describe(err: Any, model: type[BaseModel]) -> str:
    """A pydantic error → a sentence that says what to do."""
    loc = tuple(err["loc"])
    where = _loc_text(loc)
    name = str(loc[-1]) if loc else ""
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        if name == "citations":
            return (
                "missing 'citations': every record needs at least one "
                '{source: <source id>, quote: "<short verbatim excerpt>"}'
            )
        return f"missing required field '{where}'"
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        hint = did_you_mean(name, allowed) or (f" (allowed: {', '.join(allowed)})" if allowed else "")
        return f"unknown field '{where}'{hint}"
    if kind == "too_short" and name == "citations":
        return "'citations' is empty: add at least one {source: <source id>, quote: \"…\"}"
    if kind == "enum":
        expected = [e.strip(" '") for e in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        expected = [e for e in expected if e]
        return f"'{where}' is '{given}', not one of: {', '.join(expected)}{did_you_mean(str(given), expected)}"
    if kind == "string_pattern_mismatch":
        if name in ("id", "source", "subject", "object", "within", "topic") or isinstance(loc[-1], int):
            return (
                f"'{where}' is '{given}', not a valid id: use lowercase letters, digits and single "
                "hyphens, e.g. 'byblos-hotel-attack'"
            )
        if name == "url":
            return f"'url' is '{given}': only http:// and https:// addresses are allowed"
        return f"'{where}' is '{given}', which does not have the expected form ({ctx.get('pattern', '')})"
    if kind in ("string_type", "string_sub_type"):
        return f"'{where}' must be text, not {_type_name(given)}" + (
            ": quote it" if not isinstance(given, dict | list) else ""
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{where}' must be a whole number, not {given!r}"
    if kind in ("float_type", "float_parsing"):
        return f"'{where}' must be a number, not {given!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{where}' must be true or false, not {given!r}"
    if kind in ("list_type",):
        return f"'{where}' must be a list (items starting with '- ')"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{where}' must be a mapping of fields, not {_type_name(given)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return f"'{where}' is {given!r}: {err['msg'].lower()}"
    if kind == "string_too_short":
        return f"'{where}' is empty: give a value or remove the field"
    if kind == "string_too_long":
        return f"'{where}' is too long ({len(str(given))} characters, at most {ctx.get('max_length')})"
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
        return f"'{where}': {message}" if where else message
    return f"'{where}': {err['msg']}" if where else str(err["msg"])


def _placeholders(raw: RawRecord) -> Iterator[DataError]:
    """Scaffolded records (python -m macros.new) carry placeholders that must be replaced."""
    stack: list[Any] = [raw.raw]
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            for key, value in node.items():
                if isinstance(value, str) and PLACEHOLDER in value:
                    yield DataError(
                        raw.path,
                        node.key_lines[key],
                        f"'{key}' still holds the placeholder '{PLACEHOLDER}': fill it in",
                        raw.label,
                    )
                else:
                    stack.append(value)
        elif isinstance(node, LineList):
            for value, line in zip(node, node.item_lines, strict=True):
                if isinstance(value, str) and PLACEHOLDER in value:
                    yield DataError(
                        raw.path,
                        line,
                        f"a list item still holds the placeholder '{PLACEHOLDER}': fill it in",
                        raw.label,
                    )
                else:
                    stack.append(value)


def _check_models(raws: Sequence[RawRecord]) -> tuple[list[tuple[RawRecord, Any]], list[DataError]]:
    good: list[tuple[RawRecord, Any]] = []
    errors: list[DataError] = []
    for raw in raws:
        if raw.maybe_placeholder:
            errors.extend(_placeholders(raw))
        model = _MODEL_OF_KIND[raw.kind]
        try:
            good.append((raw, model.model_validate(raw.raw)))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                line = line_of(raw.raw, tuple(err["loc"]), raw.line)
                errors.append(DataError(raw.path, line, _describe(err, model), raw.label))
    return good, errors


# --------------------------------------------------------------------------
# Pass 3: references
# --------------------------------------------------------------------------


def _ref_in(annotation: Any) -> Ref | None:
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, Ref):
            return meta
    for arg in typing.get_args(annotation):
        found = _ref_in(arg)
        if found:
            return found
    return None


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, Ref | None, type[BaseModel] | None], ...]:
    """For each field that can hold references: (name, its Ref, or the submodel to look into)."""
    plan = []
    for name, info in model.model_fields.items():
        ref = next((m for m in info.metadata if isinstance(m, Ref)), None) or _ref_in(info.annotation)
        sub = next(_submodels(info.annotation), None)
        if ref or (sub and _plan(sub)):
            plan.append((name, ref, sub))
    return tuple(plan)


def references(
    model: type[BaseModel], raw: Any, loc: tuple[int | str, ...] = ()
) -> Iterator[tuple[tuple[int | str, ...], Ref, str]]:
    """Every (location, Ref, id) in a raw record, found from the model's Ref markers.

    It reads the raw YAML rather than the validated record so that records
    which failed validation still have their references checked.
    """
    for name, ref, sub in _plan(model):
        value = raw.get(name) if isinstance(raw, dict) else None
        if value is None:
            continue
        items = enumerate(value) if isinstance(value, list) else ((None, value),)
        for index, item in items:
            where = loc + ((name,) if index is None else (name, index))
            if ref is not None and isinstance(item, str):
                yield where, ref, item
            elif sub is not None and isinstance(item, dict):
                yield from references(sub, item, where)


_ARTICLE = {
    "event": "an event",
    "group": "a group",
    "person": "a person",
    "place": "a place",
    "source": "a source",
    "relation": "a relation",
}


def _check_references(
    raws: Sequence[RawRecord],
    good: Sequence[tuple[RawRecord, Any]],
    kind_of: dict[str, str],
    unchecked: set[str] | None = None,
) -> list[DataError]:
    """Reference errors. With ``unchecked`` (a file could not be read, so any id may be one of
    its records), an unknown id is added to it instead of being reported."""
    errors: list[DataError] = []
    ids_by_kind: dict[str, list[str]] = {}
    for rid, kind in kind_of.items():
        ids_by_kind.setdefault(kind, []).append(rid)
    for raw in raws:
        for loc, ref, target in references(_MODEL_OF_KIND[raw.kind], raw.raw):
            found = kind_of.get(target)
            if found in ref.kinds or found == SALVAGED:
                continue
            wanted = " or ".join(ref.kinds)
            line = line_of(raw.raw, loc, raw.line)
            if found is None and unchecked is not None:
                unchecked.add(target)
                continue
            if found is None:
                candidates = [i for k in ref.kinds for i in ids_by_kind.get(k, ())]
                message = f"unknown {wanted} '{target}'{did_you_mean(target, candidates)}"
            else:
                message = f"'{target}' is {_ARTICLE.get(found, found)}, not {_ARTICLE.get(ref.kinds[0], wanted)}" + (
                    f" (as '{_loc_text(loc)}' needs)"
                )
            errors.append(DataError(raw.path, line, message, raw.label))
    for raw, record in good:
        if isinstance(record, Relation):
            subject_kinds, _ = record.ends
            # Objects are always groups (checked above); a subject that is a group or a person
            # may still be the wrong one of the two for this type of relation.
            for end, ids, allowed in (("subject", record.subject, subject_kinds),):
                found = kind_of.get(ids)
                if found in ("group", "person") and found not in allowed:
                    errors.append(
                        DataError(
                            raw.path,
                            line_of(raw.raw, (end,), raw.line),
                            f"'{record.type}' needs {' or '.join(_ARTICLE[k] for k in allowed)} as {end}, "
                            f"but '{ids}' is {_ARTICLE.get(found, found)}",
                            raw.label,
                        )
                    )
        if isinstance(record, Place) and record.within == record.id:
            errors.append(
                DataError(
                    raw.path, line_of(raw.raw, ("within",), raw.line), "a place cannot lie within itself", raw.label
                )
            )
    return errors


def _unchecked_references(unreadable: Sequence[FileError], ids: set[str]) -> DataError:
    """One error, at the first unreadable file, naming the ids that could not be checked."""
    first = min(unreadable, key=lambda e: (e.path, e.line))
    names = sorted(ids)
    shown = ", ".join(f"'{i}'" for i in names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    files = "this file" if len(unreadable) == 1 else f"the {len(unreadable)} files that cannot be read"
    return DataError(
        first.path,
        first.line,
        f"while {files} cannot be read, {len(names)} referenced id{'s' if len(names) != 1 else ''} "
        f"defined nowhere else could not be checked: {shown} (fix the file; they are checked then)",
    )


# --------------------------------------------------------------------------
# Pass 4: a report's day is not an event's day
# --------------------------------------------------------------------------


def _check_report_days(good: Sequence[tuple[RawRecord, Any]]) -> Iterator[DataError]:
    """An event dated to the very day its only source was published is usually dated by the
    report, not by the event: the record must say which (``date_basis``)."""
    published = {r.id: r.published for _raw, r in good if isinstance(r, Source)}
    for raw, record in good:
        if not isinstance(record, Event) or record.date_basis is not None:
            continue
        date, sources = record.date, {c.source for c in record.citations}
        if not (isinstance(date, Point) and date.day) or len(sources) != 1:
            continue
        sid = next(iter(sources))
        if published.get(sid) == date:
            yield DataError(
                raw.path,
                line_of(raw.raw, ("date",), raw.line),
                f"date {date.edtf()} is the publication day of its only source '{sid}'; if the source only "
                f"reports it by then, write date: ../{date.edtf()} (or START/{date.edtf()}) and date_basis: report; "
                "if the source dates the event itself to that day, add date_basis: event",
                raw.label,
            )


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def validate(raws: Sequence[RawRecord], errors: Sequence[DataError] = ()) -> KnowledgeBase:
    """Validate every raw record; raise :class:`DataErrors` with all problems, or return the base."""
    all_errors = list(errors)
    good, model_errors = _check_models(raws)
    all_errors.extend(model_errors)

    kind_of: dict[str, str] = {}
    first_seen: dict[str, RawRecord] = {}
    unique: list[tuple[RawRecord, Any]] = []
    for raw, record in good:
        if record.id in RESERVED_IDS:
            all_errors.append(
                DataError(
                    raw.path,
                    line_of(raw.raw, ("id",), raw.line),
                    f"id '{record.id}' is reserved (it names the list page of each kind): choose another",
                    raw.label,
                )
            )
            continue
        previous = first_seen.get(record.id)
        if previous is not None:
            all_errors.append(
                DataError(
                    raw.path,
                    line_of(raw.raw, ("id",), raw.line),
                    f"id '{record.id}' is already used by {previous.kind} at {previous.path}:{previous.line}: "
                    "ids are unique across the whole knowledge base; choose another",
                    raw.label,
                )
            )
            continue
        first_seen[record.id] = raw
        kind_of[record.id] = raw.kind
        unique.append((raw, record))
    # Ids of records that failed pass 1 still count as known, so one typo does not
    # cascade into "unknown id" errors everywhere it is referred to.
    for raw in raws:
        rid = raw.raw.get("id")
        if isinstance(rid, str) and rid not in kind_of:
            kind_of[rid] = raw.kind

    # Ids in files that could not be read at all: references to them are not errors too; nor,
    # while a file cannot be read, are references to ids found nowhere (one line says how many).
    unreadable = [error for error in errors if isinstance(error, FileError)]
    for error in unreadable:
        for rid in error.salvaged:
            kind_of.setdefault(rid, SALVAGED)
    unchecked: set[str] | None = set() if unreadable else None
    all_errors.extend(_check_references(raws, unique, kind_of, unchecked))
    if unchecked:
        all_errors.append(_unchecked_references(unreadable, unchecked))
    all_errors.extend(plausible.check(unique))
    all_errors.extend(_check_report_days(unique))
    if all_errors:
        raise DataErrors(all_errors)

    by_kind: dict[str, list[Any]] = {}
    for _raw, record in unique:
        by_kind.setdefault(record.KIND, []).append(record)
    return KnowledgeBase(
        sources=tuple(by_kind.get("source", ())),
        groups=tuple(by_kind.get("group", ())),
        people=tuple(by_kind.get("person", ())),
        places=tuple(by_kind.get("place", ())),
        events=tuple(by_kind.get("event", ())),
        relations=tuple(by_kind.get("relation", ())),
        origins={record.id: (raw.path, raw.line) for raw, record in unique},
    )

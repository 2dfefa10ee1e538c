"""Step 1 of the pipeline: find the YAML files under ``data/`` and read them.

Each file is one mapping with a single key naming its kind (``events:``,
``groups:``, ...) whose value is a list of records.  Reading never stops at
the first bad file: every problem becomes a :class:`DataError`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, FileError, did_you_mean
from .model import KIND_OF_KEY, PLACEHOLDER
from .yamlload import LineDict, LineList, YamlError, parse_yaml

#: Larger files are refused before parsing: split them (e.g. one file per year).
MAX_FILE_BYTES = 4 * 1024 * 1024
DATA_SUFFIXES = (".yml", ".yaml")
_ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?\s*(?:#.*)?$", re.MULTILINE)


#: Byte-order marks of the encodings an editor may save a file in by mistake, longest first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _foreign_encoding(data: bytes) -> tuple[str, str] | None:
    """(codec, name) of a file that starts with a UTF-16 or UTF-32 byte-order mark."""
    return next(((codec, name) for bom, codec, name in _BOMS if data.startswith(bom)), None)


def salvage_ids(data: bytes) -> tuple[str, ...]:
    """The ids an unreadable file seems to define (``id: x`` lines), so that references
    to them are not reported as unknown as well."""
    foreign = _foreign_encoding(data)
    text = data.decode(foreign[0] if foreign else "utf-8", errors="replace")
    return tuple(_ID_LINE.findall(text))


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read from YAML, before validation."""

    kind: str  # "event", "group", ...
    path: str  # as shown in messages, relative to the project
    raw: LineDict
    maybe_placeholder: bool = True  # False when the file's text has no scaffolding placeholder

    @property
    def line(self) -> int:
        return self.raw.line

    @property
    def label(self) -> str:
        rid = self.raw.get("id")
        return f"{self.kind} '{rid}'" if isinstance(rid, str) and rid else f"{self.kind} at line {self.line}"


def data_files(data_dir: Path) -> list[Path]:
    """Every YAML file under ``data_dir`` in a stable order (hidden folders skipped)."""
    return sorted(
        p
        for p in data_dir.rglob("*")
        if p.suffix in DATA_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    )


def _decode(data: bytes, shown: str) -> tuple[str | None, FileError | None]:
    foreign = _foreign_encoding(data)
    if foreign:
        message = f"the file cannot be read: it is saved as {foreign[1]} (it starts with a byte-order mark)"
        return None, FileError(shown, 1, f"{message}: save it as UTF-8", salvaged=salvage_ids(data))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"the file cannot be read: not valid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8"
        return None, FileError(shown, line, message, salvaged=salvage_ids(data))


def read_file(path: Path, shown: str) -> tuple[list[RawRecord], list[DataError]]:
    """Read one data file into raw records, or the errors that prevent it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # enough to tell it is too large
    except OSError as exc:
        return [], [FileError(shown, 1, f"the file cannot be read ({exc.strerror or exc})")]
    if size > MAX_FILE_BYTES:
        return [], [
            FileError(
                shown,
                1,
                f"file is {size / 1_048_576:.1f} MB, over the {MAX_FILE_BYTES // 1_048_576} MB "
                "limit for one data file: split it (for example one file per year)",
                salvaged=salvage_ids(data),
            )
        ]
    text, error = _decode(data, shown)
    if error or text is None:
        return [], [error] if error else []
    try:
        root = parse_yaml(text)
    except YamlError as exc:
        return [], [FileError(shown, exc.line, exc.message, salvaged=salvage_ids(data))]
    if root is None:
        return [], [DataError(shown, 1, "file is empty: add records under a key such as 'events:' or delete it")]
    if not isinstance(root, LineDict):
        what = "a list" if isinstance(root, LineList) else "a single value"
        return [], [
            DataError(
                shown,
                getattr(root, "line", 1),
                f"the file is {what}; it must be a mapping with one key naming the kind of its "
                f"records, e.g. 'events:' followed by a list",
            )
        ]
    errors: list[DataError] = []
    records: list[RawRecord] = []
    maybe_placeholder = PLACEHOLDER in text
    if len(root) != 1:
        keys = ", ".join(f"'{k}'" for k in root)
        errors.append(
            DataError(
                shown,
                root.line,
                f"a data file holds one kind of record, this one has {len(root)} keys ({keys}): "
                "move each kind to its own file",
            )
        )
    for key, value in root.items():
        line = root.key_lines[key]
        if key not in KIND_OF_KEY:
            allowed = ", ".join(KIND_OF_KEY)
            errors.append(
                DataError(shown, line, f"unknown kind '{key}'{did_you_mean(key, KIND_OF_KEY)}: use one of {allowed}")
            )
            continue
        if not isinstance(value, LineList):
            errors.append(DataError(shown, line, f"'{key}' must be a list of records (each starting with '- id:')"))
            continue
        kind = KIND_OF_KEY[key]
        for item, item_line in zip(value, value.item_lines, strict=True):
            if isinstance(item, LineDict):
                records.append(RawRecord(kind, shown, item, maybe_placeholder))
            else:
                errors.append(
                    DataError(shown, item_line, f"each {kind} must be a mapping of fields, not {type(item).__name__}")
                )
    return records, errors


def load(data_dir: Path, root: Path | None = None) -> tuple[list[RawRecord], list[DataError]]:
    """Read every data file; paths in messages are relative to ``root``."""
    if not data_dir.is_dir():
        return [], [DataError(str(data_dir), 0, "data folder not found: create it or set extra.wiki.data_dir")]
    base = root or data_dir.parent
    records: list[RawRecord] = []
    errors: list[DataError] = []
    inside = data_dir.resolve()
    for path in data_files(data_dir):
        try:
            shown = path.relative_to(base).as_posix()
        except ValueError:
            shown = path.as_posix()
        if not path.resolve().is_relative_to(inside):
            # Followed, it would publish whatever file it points to (a key, another project's data).
            message = "is a symbolic link to a file outside the data folder: copy the file into data/ instead"
            errors.append(FileError(shown, 1, message))
            continue
        got, bad = read_file(path, shown)
        records.extend(got)
        errors.extend(bad)
    return records, errors

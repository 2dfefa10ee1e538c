"""The pipeline in one call: load → validate → index (no MkDocs imports)."""

from __future__ import annotations

from pathlib import Path

from .index import Index
from .load import load
from .validate import validate


def build_index(data_dir: Path, root: Path | None = None) -> Index:
    """Read and check every data file; raise :class:`~macros.errors.DataErrors` with all problems."""
    raws, errors = load(data_dir, root)
    return Index(validate(raws, errors))

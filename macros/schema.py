"""JSON Schema of every data file kind, generated from the models (never written by hand).

``python -m macros.schema`` writes ``schema/<kind>.schema.json``; a test fails
when the committed files differ from what the models produce.  Editors with a
YAML language server read them through the ``# yaml-language-server: $schema=``
line at the top of each data file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .model import KINDS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


def file_schema(key: str) -> dict[str, Any]:
    """The schema of a data file holding records of one kind under ``key``."""
    model = KINDS[key]
    record = model.model_json_schema(mode="validation")
    defs = record.pop("$defs", {})
    defs[model.__name__] = record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://sahel-wiki.example.org/schema/{key}.schema.json",
        "title": f"Sahel Conflict Wiki data file: {key}",
        "description": f"A YAML file under data/ holding a list of {key} records.",
        "type": "object",
        "properties": {key: {"type": "array", "items": {"$ref": f"#/$defs/{model.__name__}"}}},
        "required": [key],
        "additionalProperties": False,
        "$defs": defs,
    }


def render_all() -> dict[str, str]:
    """File name → JSON text, for every kind."""
    return {f"{key}.schema.json": json.dumps(file_schema(key), indent=2, ensure_ascii=False) + "\n" for key in KINDS}


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, text in render_all().items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote schema/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

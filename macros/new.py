"""``python -m macros.new event|source|group|person|place|relation``: scaffold a record.

Appends a record with every required field to a data file (creating the file
with its schema line if needed). Placeholders read ``CHANGE ME``; the
validator refuses them, so a half-filled record can never be published.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .model import PLACEHOLDER, SLUG_PATTERN

TEMPLATES = {
    "event": """\
  - id: {id}
    date: "{date}"              # 2015, 2015-08, 2015-08-07, 2010~ (about), 2012-08/2012-09 (range)
    title: "{ph}: a short title in your own words"
    type: attack                # see the data model page for the list
    places: []                  # place ids, e.g. [mali]
    actors: []                  # e.g. - {{group: aqim, role: claimed}}
    summary: "{ph}: what happened, in your own words"
    citations:
      - source: {source}
        quote: "{ph}: a short verbatim excerpt (at most 40 words)"
    added: {today}
""",
    "source": """\
  - id: {id}
    title: "{ph}: the title as published"
    publisher: "{ph}"
    published: "{date}"         # at its real precision; explain an inferred date in date_note
    url: null                   # https://... when known
    language: en
    archive: null               # file name of the archived text, for the quote check
    added: {today}
""",
    "group": """\
  - id: {id}
    name: "{ph}"
    aliases: []
    kind: jihadist-group        # see the data model page for the list
    summary: "{ph}: one or two sentences in your own words"
    citations:
      - source: {source}
        quote: "{ph}: a short verbatim excerpt"
    added: {today}
""",
    "person": """\
  - id: {id}
    name: "{ph}"
    aliases: []
    summary: "{ph}: one or two sentences in your own words"
    citations:
      - source: {source}
        quote: "{ph}: a short verbatim excerpt"
    added: {today}
""",
    "place": """\
  - id: {id}
    name: "{ph}"
    kind: town
    within: null                # id of the region or country
    coords: {{lat: 0.0, lon: 0.0}}  # {ph}: approximate coordinates
    citations:
      - source: {source}
        quote: "{ph}: a short verbatim excerpt"
    added: {today}
""",
    "relation": """\
  - id: {id}
    type: allied-with           # split-from, merged-into, affiliate-of, allied-with, rival-of, ...
    subject: {ph_id}
    object: {ph_id}
    start: null
    citations:
      - source: {source}
        quote: "{ph}: a short verbatim excerpt"
    added: {today}
""",
}
KEYS = {
    "event": "events",
    "source": "sources",
    "group": "groups",
    "person": "people",
    "place": "places",
    "relation": "relations",
}
DEFAULT_FILES = {
    "source": "data/sources.yml",
    "group": "data/groups.yml",
    "person": "data/people.yml",
    "place": "data/places.yml",
    "relation": "data/relations.yml",
}


def scaffold(kind: str, rid: str, date: str, source: str, today: str) -> str:
    return TEMPLATES[kind].format(id=rid, date=date, source=source, today=today, ph=PLACEHOLDER, ph_id="change-me")


def main(argv: list[str] | None = None) -> int:
    import datetime as dt

    parser = argparse.ArgumentParser(prog="python -m macros.new", description=__doc__)
    parser.add_argument("kind", choices=sorted(TEMPLATES))
    parser.add_argument("--id", required=True, help="the new record's id (lowercase words joined by hyphens)")
    parser.add_argument("--date", default="", help="event date or source publication date")
    parser.add_argument("--source", default="change-me", help="id of the source you cite")
    parser.add_argument("--file", help="data file to append to (default: by kind; events: data/events/<year>.yml)")
    args = parser.parse_args(argv)
    if not re.fullmatch(SLUG_PATTERN, args.id):
        parser.error(f"--id '{args.id}' is not a valid id: use lowercase letters, digits and single hyphens")
    if args.file:
        path = Path(args.file)
    elif args.kind == "event":
        year = args.date[:4] if re.match(r"\d{4}", args.date) else "undated"
        path = Path("data/events") / f"{year}.yml"
    else:
        path = Path(DEFAULT_FILES[args.kind])
    key = KEYS[args.kind]
    text = scaffold(args.kind, args.id, args.date or PLACEHOLDER, args.source, dt.date.today().isoformat())
    if not path.exists():
        depth = "../" * (len(path.parts) - 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# yaml-language-server: $schema={depth}schema/{key}.schema.json\n{key}:\n", encoding="utf-8")
    existing = path.read_text(encoding="utf-8")
    if not re.search(rf"^{key}:", existing, re.MULTILINE):
        print(f"error: {path} does not hold '{key}:' records; use --file", file=sys.stderr)
        return 2
    # Right after the last record: blank lines or spaces at the end of the file are dropped.
    path.write_text(existing.rstrip() + "\n" + text, encoding="utf-8")
    article = "an" if args.kind[0] in "aeiou" else "a"
    print(f"added {article} {args.kind} '{args.id}' to {path}: replace every '{PLACEHOLDER}', then run 'make check'")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m macros.check``: validate the data and the quotes, print ``path:line`` errors.

Exit status: 0 when everything checks, 1 when there is a data error or a quote
that is not in its source, 2 for a usage problem.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import DataErrors
from .quotes import ARCHIVE_ENV, check_quotes, coverage, resolve_archive
from .wiki import build_index

DEFAULT_ARCHIVE = "../shared/sources"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.check", description=__doc__)
    parser.add_argument("--data", default=os.environ.get("WIKI_DATA", "data"), help="data folder (default: data)")
    parser.add_argument(
        "--archive", default=None,
        help=f"folder with the archived source texts (default: ${ARCHIVE_ENV} or {DEFAULT_ARCHIVE})",
    )
    parser.add_argument(
        "--require-archive", action="store_true", default=os.environ.get("WIKI_REQUIRE_ARCHIVE") == "1",
        help="fail if the archive is missing (set in CI)",
    )
    parser.add_argument("--coverage", action="store_true", help="print how many records cite each source")
    args = parser.parse_args(argv)

    root = Path.cwd()
    data = Path(args.data)
    try:
        index = build_index(data if data.is_absolute() else root / data, root)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1

    status = 0
    archive = resolve_archive(args.archive or DEFAULT_ARCHIVE, root)
    if archive is None or not archive.is_dir():
        message = f"quote check skipped: no archive folder at {archive} (set {ARCHIVE_ENV})"
        if args.require_archive:
            print(f"error: {message}", file=sys.stderr)
            status = 1
        else:
            print(f"notice: {message}", file=sys.stderr)
    else:
        problems = list(check_quotes(index, archive))
        for problem in problems:
            print(problem.describe(index), file=sys.stderr)
        if problems:
            print(f"{len(problems)} quote(s) not found in their sources.", file=sys.stderr)
            status = 1
    kb = index.kb
    print(
        f"checked {len(kb.sources)} sources, {len(kb.groups)} groups, {len(kb.people)} people, "
        f"{len(kb.places)} places, {len(kb.events)} events, {len(kb.relations)} relations"
        + (" — all good" if status == 0 else "")
    )
    if args.coverage:
        print("\ncitations per source:")
        for sid, records, cites, archived in coverage(index):
            print(f"  {sid:45} {records:4} records {cites:5} citations{'' if archived else '  (not archived: quotes unchecked)'}")
    return status


if __name__ == "__main__":
    sys.exit(main())

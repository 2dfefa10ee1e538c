"""``python -m macros.check``: validate the data and the quotes, print ``path:line`` errors.

Exit status: 0 when everything checks, 1 when there is a data error or a quote
that is not in its source, 2 for a usage problem.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import DataErrors
from .quotes import ARCHIVE_ENV, archive_required, resolve_archive
from .wiki import build_index, source_coverage

DEFAULT_ARCHIVE = "../shared/sources"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.check", description=__doc__)
    parser.add_argument("--data", default=os.environ.get("WIKI_DATA", "data"), help="data folder (default: data)")
    parser.add_argument(
        "--archive",
        default=None,
        help=f"folder with the archived source texts (default: ${ARCHIVE_ENV} or {DEFAULT_ARCHIVE})",
    )
    parser.add_argument(
        "--require-archive",
        action="store_true",
        default=archive_required(),
        help="fail if the archive folder is missing (CI sets WIKI_REQUIRE_ARCHIVE=1)",
    )
    parser.add_argument("--coverage", action="store_true", help="print how many records cite each source")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    root = Path.cwd()
    data = Path(args.data)
    # An explicit --archive wins; otherwise $WIKI_ARCHIVE, otherwise the default beside the project.
    archive = (root / args.archive) if args.archive else resolve_archive(DEFAULT_ARCHIVE, root)
    if archive is None or not archive.is_dir():
        if args.require_archive:
            print(
                f"error: no archive folder at {archive}: set {ARCHIVE_ENV} to the folder of source texts",
                file=sys.stderr,
            )
            return 1
        print(f"notice: quote check skipped, no archive folder at {archive} (set {ARCHIVE_ENV})", file=sys.stderr)
        archive = None
    try:
        index = build_index(data if data.is_absolute() else root / data, root, archive)
    except DataErrors as exc:
        print(exc.report("the data does not pass the check"), file=sys.stderr)
        return 1
    kb = index.kb
    coverage = source_coverage(index)
    checked = sum(cites for _sid, _records, cites, archived in coverage if archived) if archive else 0
    unarchived = [(sid, cites) for sid, _records, cites, archived in coverage if cites and not archived]
    unchecked = sum(cites for _sid, _records, cites, _archived in coverage) - checked
    print(
        f"ok: {len(kb.sources)} sources, {len(kb.groups)} groups, {len(kb.people)} people, "
        f"{len(kb.places)} places, {len(kb.events)} events, {len(kb.relations)} relations"
        f" ({time.perf_counter() - started:.2f} s)"
    )
    found = f"{checked} checked, every one found verbatim in its source" if checked else "none checked"
    print(f"quotes: {found}" + (f"; {unchecked} not checked" if unchecked else ""))
    if archive and unarchived:
        listed = ", ".join(f"{sid} ({cites})" for sid, cites in unarchived)
        print(
            f"warning: {unchecked} quote{'s' if unchecked != 1 else ''} could not be checked: "
            f"no archive file for {listed}; add 'archive:' to these sources",
            file=sys.stderr,
        )
    if args.coverage:
        print("\nrecords and citations per source:")
        for sid, records, cites, archived in coverage:
            flag = "" if archived else "  (no archive: quotes unchecked)"
            print(f"  {sid:42} {records:5} records {cites:6} citations{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

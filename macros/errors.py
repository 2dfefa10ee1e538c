"""Data errors: collected, sorted, reported once as ``path:line: record: message``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class DataError:
    """One problem in the data, located in a file and line."""

    path: str
    line: int
    message: str
    record: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}: {self.record}: {self.message}" if self.record else f"{where}: {self.message}"


@dataclass(frozen=True, order=True, slots=True)
class FileError(DataError):
    """A whole file that could not be read; ``salvaged`` holds the ids it seems to define,
    so that references to them are not reported as unknown as well."""

    salvaged: tuple[str, ...] = field(default=(), compare=False)


class DataErrors(Exception):
    """Raised once with every problem found; nothing is built."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        # One order for every kind of error (a FileError among DataErrors too): by place, then text.
        self.errors = sorted(set(errors), key=sort_key)
        super().__init__(self.report())

    def report(self, outcome: str = "nothing was built") -> str:
        """Every error, then one line counting them; ``outcome`` says what that stopped."""
        count = len(self.errors)
        lines = [str(e) for e in self.errors]
        lines.append(f"{count} data error{'s' if count != 1 else ''}: {outcome}; fix the lines above.")
        return "\n".join(lines)


def sort_key(error: DataError) -> tuple[str, int, str, str]:
    return (error.path, error.line, error.message, error.record)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

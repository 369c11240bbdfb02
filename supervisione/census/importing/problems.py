"""What is wrong with a file: a problem per cell, and the log that keeps the first ones of a large file."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from supervisione.census.importing.columns import COLUMNS
from supervisione.lib.spreadsheets.limits import SpreadsheetError


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


# The file cannot be read at all (not a spreadsheet, no header, no rows, past a limit): an Italian message.
# The spreadsheet reader's own error, so that its refusals (limits, broken archives) are caught as the rest.
ImportFileError = SpreadsheetError

# The problems a report keeps, first in the sheet's order; the others are counted by column.
ERRORS_KEPT = 500


class ProblemLog:
    """Every problem of a file counted, the first ``ERRORS_KEPT`` in sheet order kept, the rest counted by column.

    A file of 50,000 wrong rows has a million problems: listing them all took gigabytes and helped no one, while
    the rows that have one must all be known (they are not imported)."""

    def __init__(self, keep: int = ERRORS_KEPT) -> None:
        self.keep = keep
        self.count = 0
        self.rows: set[int] = set()
        self.not_listed: dict[str, int] = defaultdict(int)
        self._kept: list[tuple[tuple[int, int, str], Problem]] = []

    def add(self, problem: Problem) -> None:
        self.count += 1
        self.rows.add(problem.row)
        key = _problem_key(problem)
        if len(self._kept) == self.keep and key >= self._kept[-1][0]:
            self.not_listed[problem.column] += 1
            return
        bisect.insort(self._kept, (key, problem), key=lambda item: item[0])
        if len(self._kept) > self.keep:
            _key, dropped = self._kept.pop()
            self.not_listed[dropped.column] += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def problems(self) -> list[Problem]:
        """The problems kept, in the order of the sheet (row, then column as in the layout)."""
        return [problem for _key, problem in self._kept]


_COLUMN_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}


def _problem_key(problem: Problem) -> tuple[int, int, str]:
    return (problem.row, _COLUMN_ORDER.get(problem.column, len(_COLUMN_ORDER)), problem.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=_problem_key)

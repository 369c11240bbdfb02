"""What is wrong with a file: the file as a whole, or a problem on a row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet shows it; 0: the file as a whole
    column: str
    message: str


class ImportFileError(Exception):
    """The file cannot be read as a ledger export: an Italian sentence that says why."""

"""The front door: a reader of rows for a file, XLSX or CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Literal, Protocol

from supervisione.lib.spreadsheets.csv_file import CsvReader
from supervisione.lib.spreadsheets.limits import Deadline, Limits
from supervisione.lib.spreadsheets.rows import Row
from supervisione.lib.spreadsheets.xlsx import XlsxReader

Kind = Literal["xlsx", "csv"]


class RowReader(Protocol):
    """Rows of text, the header first; set ``wanted`` and ``percent`` after reading the header."""

    wanted: frozenset[int] | None  # the column indexes to read below the header (None: every column)
    percent: frozenset[int]  # columns whose numbers formatted as a percentage read as "50%"

    def rows(self) -> Iterator[Row]: ...


def open_rows(source: IO[bytes], kind: Kind, limits: Limits, *, sheet: str = "") -> RowReader:
    """A reader of ``source`` (seekable): the named sheet of an XLSX (or its first), or a CSV."""
    deadline = Deadline(limits.seconds)
    if kind == "xlsx":
        return XlsxReader(source, limits, deadline, sheet)
    return CsvReader(source, limits, deadline)


def guess_kind(head: bytes) -> Kind:
    return "xlsx" if head.startswith(b"PK\x03\x04") else "csv"

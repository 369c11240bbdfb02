"""The handlers expat calls for a worksheet: the rows that exist, each with its cells as parsed."""

from __future__ import annotations

from collections import deque

from supervisione.lib.spreadsheets.limits import (
    MAX_COLUMNS,
    MAX_DEPTH,
    UNREADABLE_XLSX,
    SpreadsheetError,
    too_many_columns,
)
from supervisione.lib.spreadsheets.rows import RowCounter
from supervisione.lib.spreadsheets.xlsx_archive import local_name

# A cell as parsed: column, type (the t attribute), style index (s), the text of <v> or of the inline string.
Cell = tuple[int, str, int, str | None]


# What a cell holds when its text passed the limit while it was parsed (refused if its column is read).
TOO_LONG = "\x00too long\x00"


class SheetParser:
    """expat's handlers for a worksheet: each row that exists becomes (number, its cells as parsed).

    Called for every element and text of the sheet, so kept short: no tree, no conversion (the reader converts
    the cells of the columns it reads when it takes the row). A cell's text stops being kept past the limit; a
    cell of a column read is refused there and then (before the header is taken, which columns are read is not
    known yet: the reader refuses such a cell when it takes its row)."""

    def __init__(self, reader: RowCounter) -> None:
        self.reader = reader
        self.limit = reader.limits.cell_chars
        self.ready: deque[tuple[int, list[Cell]]] = deque()
        self.names: dict[str, str] = {}
        self.depth = 0
        self.number = 0
        self.column = -1
        self.cells: list[Cell] = []
        self.type = "n"
        self.style = 0
        self.parts: list[str] = []
        self.length = 0
        self.inline = False  # the cell has an inline string (<is>)
        self.capture = False  # inside <v>, or inside a <t> of the inline string but not of its phonetic reading
        self.in_inline = False
        self.phonetic = 0

    def _local(self, tag: str) -> str:
        local = self.names.get(tag)
        if local is None:
            local = local_name(tag)
            if len(self.names) < 64:
                self.names[tag] = local
        return local

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SpreadsheetError(UNREADABLE_XLSX)
        local = self._local(tag)
        if local == "c":
            reference = attributes.get("r")
            try:
                self.column = _column_index(reference) if reference else self.column + 1
                self.style = int(attributes.get("s") or 0)
            except ValueError as error:
                raise SpreadsheetError(UNREADABLE_XLSX) from error
            if self.number == 1 and self.column >= MAX_COLUMNS:
                raise SpreadsheetError(too_many_columns())
            self.type = attributes.get("t", "n")
            self.parts = []
            self.length = 0
            self.inline = False
        elif local == "v":
            self.capture = self.type != "inlineStr"
        elif local == "is":
            self.in_inline = self.inline = self.type == "inlineStr"
        elif local == "t":
            self.capture = self.in_inline and not self.phonetic
        elif local == "rPh":
            self.phonetic += 1
        elif local == "row":
            reference = attributes.get("r")
            try:
                self.number = _row_number(reference) if reference else self.number + 1
            except ValueError as error:
                raise SpreadsheetError(UNREADABLE_XLSX) from error
            self.column = -1
            self.cells = []

    def end(self, tag: str) -> None:
        self.depth -= 1
        local = self._local(tag)
        if local in {"v", "t"}:
            self.capture = False
        elif local == "c":
            if self.length > self.limit:
                raw: str | None = TOO_LONG
            elif self.type == "inlineStr":
                raw = "".join(self.parts) if self.inline else None
            else:
                raw = "".join(self.parts)
            self.cells.append((self.column, self.type, self.style, raw))
        elif local == "is":
            self.in_inline = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "row":
            self.ready.append((self.number, self.cells))
            self.cells = []

    def text(self, data: str) -> None:
        if self.capture:
            self.length += len(data)
            if self.length <= self.limit:
                self.parts.append(data)
            elif self.number == 1 or ((wanted := self.reader.wanted) is not None and self.column in wanted):
                raise self.reader.too_long(self.number, self.column)


def _column_index(reference: str) -> int:
    """``"AB12"`` -> 27 (zero-based); raises ValueError."""
    letters = reference.rstrip("0123456789")
    found = _COLUMNS.get(letters)
    if found is not None:
        return found
    index = _parse_column(reference)
    if len(_COLUMNS) < 16384:
        _COLUMNS[letters] = index
    return index


_COLUMNS: dict[str, int] = {}


def _parse_column(reference: str) -> int:
    index = 0
    for position, char in enumerate(reference):
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            if position == 0 or not reference[position:].isdigit():
                raise ValueError(reference)
            break
    if not 1 <= index <= 16384:
        raise ValueError(reference)
    return index - 1


def _row_number(reference: str) -> int:
    try:
        return int(reference)
    except ValueError:
        number = float(reference)
        if not number.is_integer():
            raise
        return int(number)

"""The CSV reader: the file decoded and parsed as a stream, one bounded record at a time."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO, BinaryIO, cast

from supervisione.lib.exports import restore
from supervisione.lib.spreadsheets.limits import (
    MAX_COLUMNS,
    Deadline,
    Limits,
    SpreadsheetError,
    thousands,
    too_many_columns,
)
from supervisione.lib.spreadsheets.rows import Row, RowCounter


class CsvReader(RowCounter):
    def __init__(self, source: IO[bytes], limits: Limits, deadline: Deadline) -> None:
        super().__init__(limits, deadline)
        self.source = source
        # A record (a line, or several inside quotes) may hold this much: every column of the census at its
        # limit and as many again of columns that are ignored.
        self.max_record = 40 * limits.cell_chars

    def _encoding(self) -> tuple[str, str]:
        """As the whole file decodes: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
        self.source.seek(0)
        if self.source.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig", "replace"
        for encoding in ("utf-8", "cp1252"):
            decoder = codecs.getincrementaldecoder(encoding)()
            self.source.seek(0)
            try:
                while chunk := self.source.read(1024 * 1024):
                    decoder.decode(chunk)
                    self.deadline.check()
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding, "strict"
        return "latin-1", "strict"

    def rows(self) -> Iterator[Row]:
        encoding, errors = self._encoding()
        self.source.seek(0)
        text = io.TextIOWrapper(cast(BinaryIO, self.source), encoding=encoding, errors=errors, newline="")
        try:
            yield from self._records(text)
        finally:
            text.detach()  # the caller's file stays open

    def _records(self, text: io.TextIOWrapper) -> Iterator[Row]:
        lines = _Lines(text, self.max_record)
        first = next(lines, "")
        lines.pending = 0
        reader = csv.reader(_prepend(first, lines), delimiter=_delimiter(first))
        number = 0
        try:
            for record in reader:
                number += 1
                lines.pending = 0
                lines.row = number + 1
                cells = self._cells(number, record)
                if number == 1:
                    self.header = cells
                self._count(number, cells)
                yield number, cells
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise SpreadsheetError(
                    f"Alla riga {number + 1} del file CSV una cella ha più di {thousands(self.limits.cell_chars)} "
                    "caratteri, il massimo per una cella: controlla che le virgolette siano chiuse, e di non avervi "
                    "incollato un testo per errore."
                ) from error
            raise SpreadsheetError(
                f"Il file CSV non si può leggere alla riga {reader.line_num}: controlla che sia un CSV separato da «;» "
                "o «,», con le virgolette chiuse."
            ) from error

    def _cells(self, number: int, record: list[str]) -> list[str]:
        if number == 1:
            if len(record) > MAX_COLUMNS:
                raise SpreadsheetError(too_many_columns())
            wanted = None
        else:
            wanted = self.wanted
        cells = []
        for index, cell in enumerate(record):
            if wanted is not None and index not in wanted:
                cells.append("")
                continue
            if len(cell) > self.limits.cell_chars:
                raise self.too_long(number, index)
            # A text cell our own CSV exports neutralised (a quote before "=", "+"...) reads back as it was.
            cells.append(" ".join(restore(cell).split()))
        return cells


class _Lines:
    """The lines of a text for csv.reader, refusing a record (lines since ``pending`` was reset) too long."""

    def __init__(self, text: io.TextIOWrapper, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.pending = 0
        self.row = 1

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit + 1 - self.pending)
        if not line:
            raise StopIteration
        self.pending += len(line)
        if self.pending > self.limit:
            raise SpreadsheetError(
                f"La riga {self.row} del file CSV è più lunga di {thousands(self.limit)} caratteri: controlla che le "
                "virgolette siano chiuse, e di non avervi incollato un testo per errore."
            )
        return line


def _prepend(first: str, lines: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from lines


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"

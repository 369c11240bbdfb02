"""What both readers share: a row, counting the rows with data, and the text a cell holds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from supervisione.lib.spreadsheets.limits import Deadline, Limits, SpreadsheetError, thousands

Row = tuple[int, list[str]]


def _decimal_text(value: float | Decimal) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return f"{number.normalize():f}"


def cell_text(value: Any, percent: bool = False) -> str:
    """A cell's value as the text a person reads in it (dates as ISO, numbers without trailing zeros)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, int | float):
        if percent:
            return _decimal_text(Decimal(str(value)) * 100) + "%"
        return _decimal_text(value)
    return " ".join(str(value).split())


class RowCounter:
    """What both readers share: counting the rows with data, and the length of the cells they keep."""

    def __init__(self, limits: Limits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        self.wanted: frozenset[int] | None = None
        self.percent: frozenset[int] = frozenset()
        self.header: list[str] = []
        self._data_rows = 0
        self._seen = 0  # rows, empty ones too

    def _column_name(self, index: int) -> str:
        if index < len(self.header) and self.header[index].strip():
            return f"«{self.header[index].strip()}»"
        return _column_letter(index)

    def too_long(self, row: int, index: int) -> SpreadsheetError:
        limit = thousands(self.limits.cell_chars)
        return SpreadsheetError(
            f"Alla riga {row} la cella della colonna {self._column_name(index)} ha più di {limit} caratteri, il "
            "massimo per una cella: controlla di non avervi incollato un testo per errore."
        )

    def _count(self, number: int, cells: list[str]) -> None:
        self.deadline.check()
        self._seen += 1
        if self._seen > 4 * self.limits.rows + 10_000:
            # Empty rows cost little each, but millions of them (a CSV of newlines) take seconds for nothing.
            raise SpreadsheetError(
                f"Il file ha più di {thousands(4 * self.limits.rows + 10_000)} righe, contando quelle vuote: togli le "
                "righe vuote (per esempio in fondo al foglio) e caricalo di nuovo."
            )
        if number == 1 or not any(cells):
            return
        self._data_rows += 1
        if self._data_rows > self.limits.rows:
            raise SpreadsheetError(
                f"Il file ha più di {thousands(self.limits.rows)} righe di dati, il massimo per un file: dividilo in "
                "più file (per esempio uno per ente) e importali uno dopo l'altro. Le posizioni già importate che "
                "non sono nel file successivo restano come sono."
            )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}"

"""Every table of a dashboard as CSV (separated by «;», UTF-8 with BOM, Italian numbers and dates, as Excel in
Italian opens it) and as XLSX (numbers as numbers, dates as dates, Italian headers)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from supervisione.lib.exports import (
    DATE_FORMAT,
    EURO_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    NOTE_FONT,
    SUBTITLE_FONT,
    csv_bytes,
    put,
    style_header,
    workbook_bytes,
)
from supervisione.lib.italian import number_text

from .tables import Cell, Column, Table

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = {
    "hours": HOURS_FORMAT,
    "euro": EURO_FORMAT,
    "percent": INTEGER_FORMAT,
    "score": "0.0",
    "int": INTEGER_FORMAT,
    "date": DATE_FORMAT,
}


def csv_text(value: Cell, kind: str) -> str:
    """A cell as CSV text: Italian dates and decimals, euro to the cent."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        # No thousands dots: a spreadsheet reads "1234,50" back as a number.
        return number_text(value, 2 if kind == "euro" else None, grouped=False)
    return str(value)


def csv_cell(column: Column, value: Cell) -> str:
    return csv_text(value, column.kind)


def table_csv(table: Table) -> bytes:
    header = [column.header for column in table.columns]
    rows = ([csv_cell(column, value) for column, value in zip(table.columns, row, strict=True)] for row in table.rows)
    return csv_bytes([header, *rows])


def _xlsx_value(value: Cell) -> str | int | float | datetime.date | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_table(sheet: Worksheet, table: Table, *, first_row: int = 1) -> int:
    """The table from ``first_row`` (title, header, rows); returns the next free row."""
    put(sheet, first_row, 1, table.title).font = SUBTITLE_FONT
    header_row = first_row + 1
    for index, column in enumerate(table.columns, start=1):
        put(sheet, header_row, index, column.header)
        # Tables share a sheet (the POA monitoring): a column is as wide as its widest header.
        width = max(12, min(60, len(column.header) + 2))
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)
    style_header(sheet, header_row, len(table.columns))
    number = header_row
    for number, row in enumerate(table.rows, start=header_row + 1):
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = put(sheet, number, index, _xlsx_value(value))
            if column.kind in FORMATS and value is not None:
                cell.number_format = FORMATS[column.kind]
    next_row = number + 2
    if table.note:
        put(sheet, next_row - 1, 1, table.note).font = NOTE_FONT
        next_row += 1
    return next_row


def tables_xlsx(tables: Iterable[Table]) -> bytes:
    """One sheet per table, named after it."""
    workbook = Workbook()
    default = workbook.active
    assert default is not None  # noqa: S101  (a new workbook has one sheet)
    workbook.remove(default)
    titles = []
    for table in tables:
        titles.append(table.title)
        sheet = workbook.create_sheet(table.slug[:31])
        write_table(sheet, table)
        sheet.freeze_panes = "A3"
    return workbook_bytes(workbook, title=" · ".join(titles)[:200])

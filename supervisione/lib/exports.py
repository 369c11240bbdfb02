"""Cells of the CSV and XLSX files the application writes: text users typed stays text.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, and some read a leading
tab or carriage return past it. A name typed (or imported) as ``=HYPERLINK("http://…"&C2,"Apri")`` would then
open in Excel as a live link that sends the row's data away when clicked; ``-2+3+cmd|' /C calc'!A0`` is the
older DDE trick (CSV or formula injection, OWASP). So every writer goes through this module:

- CSV (``csv_bytes``): a text cell that begins with one of those characters gets a single quote in front
  (OWASP's rule); Excel and LibreOffice then show it as text. Plain numbers (``-12,50``) are left alone: they
  are numbers, never formulas.
- XLSX (``put``, ``append``, ``workbook_bytes``): a ``str`` is written as a text cell (openpyxl would otherwise
  store any string beginning with ``=`` as a formula) with Excel's "quote prefix" flag when it begins with one
  of those characters, so that the text is kept exactly, shows as typed and stays text when a user edits the
  cell. Characters XML cannot hold (control characters) are dropped instead of failing the export.
  ``workbook_bytes`` checks every cell again before saving, so a cell written without ``put`` cannot carry a
  formula either.

Numbers, dates and ``None`` pass unchanged: only strings are text.

Every workbook also looks the same (``style_header``, ``set_widths``, the fonts and the number formats below):
a bold white header on the blue of Bootstrap Italia, dates as dd/mm/yyyy, euro with cents, hours with up to
two decimals.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from docx.shared import Pt
from docx.table import Table as DocxTable
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A number as the exports write it (-12,50, 3.5, +7): no spreadsheet reads it as anything but a number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: it begins (maybe after spaces or line breaks)
    with one of ``FORMULA_STARTS`` and is not a plain number."""
    if not text:
        return False
    stripped = text.lstrip(" \n")
    if not stripped or not (text.startswith(FORMULA_STARTS) or stripped.startswith(FORMULA_STARTS)):
        return False
    return _PLAIN_NUMBER.fullmatch(stripped) is None


def _needs_quote(text: str) -> bool:
    # Text that already begins with quotes before a formula gets one more, so that ``restore`` can tell it
    # from a quote this module put: "'=1" typed by a user comes back as "'=1", not as "=1".
    return is_formula_like(text.lstrip(QUOTE))


def neutralise(text: str) -> str:
    """``text`` for a CSV cell: a single quote in front when a spreadsheet could read it as a formula."""
    return QUOTE + text if _needs_quote(text) else text


def restore(text: str) -> str:
    """The inverse of ``neutralise``, for files read back (a census exported to CSV and imported again)."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """CSV separated by «;», CRLF line ends, UTF-8 with a BOM (as Excel in Italian opens it), text neutralised.

    Cells are written as given: the caller formats numbers and dates (Italian style) before."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- How workbooks look ----------------------------------------------------------------------------------

# The workbooks' own font: a Font without a name makes LibreOffice fall back to its default serif.
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0066CC")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)  # the title of a sheet
SUBTITLE_FONT = Font(name=FONT_NAME, bold=True, size=12)  # the title of a table or section within a sheet
LABEL_FONT = Font(name=FONT_NAME, bold=True)  # the label of a "label, value" row, a total
NOTE_FONT = Font(name=FONT_NAME, italic=True, size=9)
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
EURO_FORMAT = "#,##0.00 €"
HOURS_FORMAT = "#,##0.0#"  # 16,0 and 1,67: never a bare decimal separator ("16,")
INTEGER_FORMAT = "0"


HOURS = "hours"  # a column's kind for write_table
EURO = "euro"
COLUMN_FORMATS = {HOURS: HOURS_FORMAT, EURO: EURO_FORMAT}
HEADER_LINE_POINTS = 15


def write_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    start: int = 1,
    formats: Sequence[str | None] | None = None,
) -> int:
    """A header at row ``start`` and its rows below; returns the first row after the table.

    ``formats`` names each column's kind (HOURS, EURO or None). Without it a Decimal with two decimals is money and
    any other Decimal hours; with it, shares of hours may have two decimals as money does. Dates are dates. The
    header wraps in a row tall enough for its longest header (spreadsheet programs show one line otherwise)."""
    for column, header in enumerate(headers, start=1):
        put(sheet, start, column, header)
    style_header(sheet, start, len(headers))
    set_widths(sheet, widths)
    fit_row_height(sheet, start, headers, widths)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, start + offset, column, value)
            if isinstance(value, Decimal):
                if formats is None:
                    cell.number_format = EURO_FORMAT if value.as_tuple().exponent == -2 else HOURS_FORMAT
                else:
                    kind = formats[column - 1] if column <= len(formats) else None
                    if kind in COLUMN_FORMATS:
                        cell.number_format = COLUMN_FORMATS[kind]
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
    return start + len(rows) + 1


def fit_row_height(sheet: Worksheet, row: int, values: Sequence[Any], widths: Sequence[float]) -> None:
    """A wrapped row tall enough for its longest text: spreadsheet programs do not grow a row for wrapped text
    that openpyxl wrote (LibreOffice prints the lines over the next row's)."""
    lines = max(
        (
            math.ceil(len(str(value)) / max(width - 2, 1))
            for value, width in zip(values, widths, strict=False)
            if value is not None
        ),
        default=1,
    )
    sheet.row_dimensions[row].height = HEADER_LINE_POINTS * max(lines, 1)


def style_header(sheet: Worksheet, row: int, columns: int) -> None:
    """The header row of a table: cells 1 to ``columns`` of ``row`` bold and white on blue, wrapped."""
    for column in range(1, columns + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    """The widths of the first columns, in characters."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def xlsx_value(value: Any) -> Any:
    """A value openpyxl can store: strings lose the characters XML cannot hold; other values pass."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _as_text(cell: Cell | MergedCell) -> None:
    """A string cell stays a string (never a formula), flagged so that Excel keeps it text when edited."""
    value = cell.value
    if not isinstance(cell, Cell) or not isinstance(value, str):
        return
    cell.data_type = "s"
    if is_formula_like(value) and not cell.quotePrefix:
        cell.quotePrefix = True


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``sheet.cell(row, column, value)`` with text written as text."""
    cell = sheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):  # a merged cell holds no value; the sheets here merge none
        raise TypeError(f"Cell {row},{column} is merged.")
    cell.value = xlsx_value(value)
    _as_text(cell)
    return cell


def append(sheet: Worksheet, values: Sequence[Any]) -> int:
    """``sheet.append(values)`` with text written as text; returns the number of the row written."""
    sheet.append([xlsx_value(value) for value in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            _as_text(sheet.cell(row=row, column=column))
    return row


# A4 with openpyxl's default margins (0.7" each side) holds about this many characters of column width across:
# a sheet up to this wide prints portrait at full size, a wider one landscape, shrunk to the page's width.
PORTRAIT_CHARACTERS = 90
DEFAULT_COLUMN_WIDTH = 8.43  # a column without a width of its own, in characters (the spreadsheets' default)


def _printed_width(sheet: Worksheet) -> float:
    total = 0.0
    for index in range(1, sheet.max_column + 1):
        dimension = sheet.column_dimensions.get(get_column_letter(index))
        width = dimension.width if dimension is not None and dimension.customWidth else None
        total += width or DEFAULT_COLUMN_WIDTH
    return total


def _header_rows(sheet: Worksheet) -> list[int]:
    """The rows ``style_header`` styled: a table's header, white on blue from its first cell."""
    return [row for row, cells in enumerate(sheet.iter_rows(max_col=1), start=1) if cells[0].fill == HEADER_FILL]


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # a single & starts a code (&P, &A) in a page header


def fit_for_print(sheet: Worksheet, title: str = "") -> None:
    """How a sheet prints (LibreOffice and Excel read these settings): one page wide and as many long as it needs,
    portrait when its columns fit the width of an A4 page and landscape when they do not; the header of its table
    repeated at the top of every page (when the sheet holds one table: with several, each keeps its own); the
    document's title and the sheet's name above, the page number below. Without this a spreadsheet program cuts
    wide tables into pages of columns, with labels and their values on different sheets of paper."""
    wide = _printed_width(sheet) > PORTRAIT_CHARACTERS
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    headers = _header_rows(sheet)
    if len(headers) == 1:
        sheet.print_title_rows = f"{headers[0]}:{headers[0]}"
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None  # noqa: S101  (a worksheet always has one)
    assert footer is not None  # noqa: S101  (a worksheet always has one)
    header.left.text = _header_text(title)
    header.right.text = "&A"  # the sheet's name
    footer.center.text = "Pagina &P di &N"
    for part in (header.left, header.right, footer.center):
        part.size = 9


def workbook_bytes(workbook: Workbook, title: str = "") -> bytes:
    """The file, after making sure that no cell of any sheet holds a formula or formula-like text, each sheet set up
    for print (``fit_for_print``) with ``title`` (the document's, also in its properties) atop every page."""
    if title:
        workbook.properties.title = title
    for sheet in workbook.worksheets:
        fit_for_print(sheet, workbook.properties.title or "")
        for cells in sheet.iter_rows():
            for cell in cells:
                _as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Word tables ---------------------------------------------------------------------------------------------

CHARACTER_EM = 0.55  # the average width of a character, in ems, generous enough for the fonts that stand in for Calibri
CELL_PADDING_POINTS = 11.0  # Word's default cell margins, left and right (0.19 cm each)
LONGEST_LINE = 40  # characters: longer text wraps rather than widen its column further
LONGEST_WORD = 12  # characters: a column of text is at least this wide or as wide as its longest word
BOLD = 1.1  # a bold character is about this much wider
# Characters: no column narrower, so that a year, a code or a short header stays whole in the wider fonts that stand
# in for Calibri (LibreOffice drew "2025" as "202 / 5" in a column sized for four average characters).
SHORTEST = 6


def column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool], available: float, font_size: float
) -> list[float]:
    """The widths, in points, of a Word table's columns that share ``available`` points: every column at least as
    wide as its longest word up to ``LONGEST_WORD`` characters (a number whole), so that words seldom break; the
    rest shared out in proportion to how much longer each column's text is. Without widths Word and LibreOffice
    squeeze a table's columns to a few letters each."""

    def words(text: str) -> list[str]:
        return text.split() or [""]

    shortest: list[float] = []
    longest: list[float] = []
    for index, header in enumerate(headers):
        texts = [row[index] for row in rows]
        cells = (
            [len(text) for text in texts]
            if numeric[index]
            else [min(len(word), LONGEST_WORD) for text in texts for word in words(text)]
        )
        # The header is bold (a little wider); a word longer than LONGEST_WORD may break rather than squeeze the rest.
        header_width = max(min(len(word), LONGEST_WORD) * BOLD for word in words(header))
        shortest.append(max([header_width, *cells, SHORTEST]))
        longest.append(max(shortest[-1], min(LONGEST_LINE, max([len(header), *map(len, texts)]))))
    character = font_size * CHARACTER_EM
    room = available - CELL_PADDING_POINTS * len(headers)
    least = [width * character for width in shortest]
    most = [width * character for width in longest]
    if sum(least) >= room:  # the words alone do not fit: everything shrinks alike
        return [width * room / sum(least) + CELL_PADDING_POINTS for width in least]
    spare = room - sum(least)
    wanted = sum(high - low for low, high in zip(least, most, strict=True))
    if wanted <= spare:  # every column fits on one line: the spare room in proportion to the widths
        return [high * room / sum(most) + CELL_PADDING_POINTS for high in most]
    return [low + (high - low) * spare / wanted + CELL_PADDING_POINTS for low, high in zip(least, most, strict=True)]


def fit_docx_table(table: DocxTable, numeric: Sequence[bool], available: float, font_size: float) -> None:
    """A python-docx table with fixed column widths (``column_widths``) on its grid and on every cell: LibreOffice
    reads the grid, Word the cells."""
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    widths = column_widths(rows[0], rows[1:], numeric, available, font_size)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Pt(width)

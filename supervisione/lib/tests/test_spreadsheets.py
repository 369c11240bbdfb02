"""The spreadsheet reader: hostile files refused quickly and cheaply, ordinary ones read as openpyxl reads them."""

from __future__ import annotations

import datetime
import io
import signal
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from supervisione.census.importing.columns import HEADERS
from supervisione.lib.spreadsheets.limits import Limits, SpreadsheetError
from supervisione.lib.spreadsheets.reading import guess_kind, open_rows
from supervisione.lib.spreadsheets.rows import cell_text
from supervisione.testing import hostile_files

LIMITS = Limits(rows=50_000, cell_chars=5_000, xlsx_bytes=100 * 1024 * 1024, xlsx_ratio=100, seconds=20)


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail the test instead of waiting for minutes (the code before issue 13 took that long)."""

    def timeout(*_args: Any) -> None:
        raise AssertionError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read(content: bytes, limits: Limits = LIMITS, wanted: frozenset[int] | None = None) -> list[tuple[int, list[str]]]:
    reader = open_rows(io.BytesIO(content), guess_kind(content), limits)
    rows = []
    for number, cells in reader.rows():
        if number == 1 and wanted is not None:
            reader.wanted = wanted
        rows.append((number, cells))
    return rows


def refused(content: bytes, match: str, limits: Limits = LIMITS, *, seconds: int = 10) -> None:
    with within(seconds), pytest.raises(SpreadsheetError, match=match):
        read(content, limits, frozenset(range(len(HEADERS))))


def test_it_reads_the_rows_that_exist_not_the_dimension_the_sheet_declares() -> None:
    content = hostile_files.declared_maximal_dimension(["Rossi", "Anna"])
    assert len(content) < 2500
    with within(5):
        rows = read(content)
    assert rows == [(1, HEADERS), (2, ["Rossi", "Anna"])]


def test_it_refuses_a_zip_bomb_before_inflating_it() -> None:
    content = hostile_files.huge_cell(50 * 1024 * 1024)
    assert len(content) < 100_000
    tracemalloc.start()
    try:
        refused(content, "più di 100 volte più grande")
        assert tracemalloc.get_traced_memory()[1] < 5 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_it_refuses_an_archive_larger_than_the_limit_once_inflated() -> None:
    content = hostile_files.many_shared_strings(200_000)  # 3.6 MB of strings, compressed about 7 times
    refused(content, "una volta decompresso, supera 2 MB", Limits(**{**LIMITS.__dict__, "xlsx_bytes": 2 * 1024 * 1024}))


def test_it_keeps_shared_strings_compactly() -> None:
    content = hostile_files.many_shared_strings(150_000)
    tracemalloc.start()
    try:
        assert read(content)[0] == (1, HEADERS)
        # 150,000 Python strings would take 10 MB; as UTF-8 blocks they take 0.6 MB, and 0.6 MB of offsets.
        assert tracemalloc.get_traced_memory()[1] < 4 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_it_refuses_a_cell_longer_than_the_limit_without_holding_it() -> None:
    # 600,000 characters compress too well to pass the ratio limit: allow it, to reach the cell limit.
    limits = Limits(**{**LIMITS.__dict__, "xlsx_ratio": 10_000})
    tracemalloc.start()
    try:
        refused(hostile_files.huge_cell(600_000), "riga 2 la cella della colonna «Cognome» ha più di 5.000", limits)
        refused(
            hostile_files.huge_cell(6_000, column=1), "riga 2 la cella della colonna «Nome» ha più di 5.000", limits
        )
        assert tracemalloc.get_traced_memory()[1] < 5 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_it_reads_a_long_cell_of_a_column_it_ignores_without_complaint() -> None:
    content = hostile_files.huge_cell(6_000, column=30)
    assert read(content, Limits(**{**LIMITS.__dict__, "xlsx_ratio": 10_000}), frozenset(range(16)))[1] == (2, [])


def test_it_refuses_a_cell_of_a_million_formatting_runs_quickly_and_cheaply() -> None:
    content = hostile_files.rich_runs(1_000_000)  # openpyxl: 480 MB and 13 s
    assert len(content) < 50_000
    tracemalloc.start()
    try:
        # Refused at the 5,001st character, not after the millionth run.
        limits = Limits(**{**LIMITS.__dict__, "xlsx_ratio": 10_000})
        refused(content, "riga 2 la cella della colonna «Cognome» ha più di 5.000", limits, seconds=5)
        assert tracemalloc.get_traced_memory()[1] < 5 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_it_refuses_deep_nesting_and_entity_declarations() -> None:
    refused(hostile_files.deep_nesting(100_000), "non si può leggere")
    refused(hostile_files.entity_expansion(), "non si può leggere")


def test_it_refuses_more_rows_than_the_limit_as_soon_as_it_sees_them() -> None:
    limits = Limits(**{**LIMITS.__dict__, "rows": 3})
    rows = [hostile_files.cells(number, ["Rossi", "Anna"]) for number in range(2, 7)]
    refused(hostile_files.workbook(hostile_files.header_and(*rows)), "più di 3 righe di dati", limits)
    refused(b"".join(hostile_files.csv_rows(5)), "più di 3 righe di dati", limits)
    assert len(read(b"".join(hostile_files.csv_rows(3)), limits)) == 4


def test_it_refuses_millions_of_empty_rows_without_reading_them_all() -> None:
    header = ";".join(HEADERS).encode() + b"\r\n"
    limits = Limits(**{**LIMITS.__dict__, "rows": 10})
    refused(header + b";;\r\n" * 1_000_000, "più di 10.040 righe, contando quelle vuote", limits, seconds=5)
    empty_rows = (f'<row r="{number}"/>'.encode() for number in range(2, 20_000))
    refused(hostile_files.workbook(hostile_files.header_and(*empty_rows)), "contando quelle vuote", limits)


def test_it_refuses_a_csv_with_a_gigantic_cell() -> None:
    header = ";".join(HEADERS).encode()
    refused(header + b"\r\nRossi;" + b"a" * 25_000_000 + b"\r\n", "La riga 2 del file CSV è più lunga di 200.000")
    refused(header + b'\r\nRossi;"' + b"a\r\n" * 100_000, "riga 2 del file CSV una cella ha più di 5.000")
    refused(header + b"\r\nRossi;" + b"a" * 6_000 + b"\r\n", "riga 2 la cella della colonna «Nome» ha più di 5.000")


def test_it_stops_at_the_time_limit() -> None:
    with pytest.raises(SpreadsheetError, match="superato il limite di 0 secondi"):
        read(b"".join(hostile_files.csv_rows(10)), Limits(**{**LIMITS.__dict__, "seconds": 0}))


def test_it_refuses_an_archive_of_too_many_members() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(1001):
            archive.writestr(f"{number}.xml", "")
    refused(buffer.getvalue(), "troppe parti interne")


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")  # openpyxl, about the minimal styles
def test_it_reads_cells_as_openpyxl_does() -> None:
    """Types, formats, dates in both calendars, inline and shared strings, rich text with a phonetic reading."""
    shared = [
        f'<?xml version="1.0"?><sst xmlns="{hostile_files.MAIN}">'.encode(),
        b"<si><t> Comune  di\nMaglie </t></si>",
        (
            b'<si><r><t>Rossi</t></r><r><rPr><b/></rPr><t xml:space="preserve"> Bianchi</t></r>'
            b"<rPh sb='0' eb='1'><t>ignored</t></rPh></si>"
        ),
        b"<si><t>a_x005F_b</t></si>",
        b"</sst>",
    ]
    row = (
        b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c>'
        b'<c r="D2" s="1"><v>44256</v></c><c r="E2" s="2"><v>0.5</v></c><c r="F2"><v>1234.0</v></c>'
        b'<c r="G2" t="b"><v>1</v></c><c r="H2" t="str"><f>A1</f><v>formula</v></c><c r="I2" t="e"><v>#N/A</v></c>'
        b'<c r="K2" s="1"><v>0.5</v></c><c r="L2" t="d"><v>2021-03-01T00:00:00</v></c>'
        b'<c r="N2" s="2"><v>0.25</v></c></row>'
        b'<row><c t="inlineStr"><is><t>no r attributes</t></is></c><c><v>7</v></c></row>'
    )
    for date1904 in (False, True):
        content = hostile_files.workbook(hostile_files.header_and(row), shared, date1904=date1904)
        reader = open_rows(io.BytesIO(content), "xlsx", LIMITS)
        ours = []
        for number, cells in reader.rows():
            if number == 1:
                reader.percent = frozenset({4})
            ours.append(cells)
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        theirs = [
            [
                cell_text(cell.value, index == 4 and number > 1 and "%" in cell.number_format)
                for index, cell in enumerate(r)
            ]
            for number, r in enumerate(sheet.iter_rows(), start=1)
            if number > 1
        ]
        assert ours[1:] == theirs
        assert ours[1][3] == ("2025-03-02" if date1904 else "2021-03-01")
        assert (ours[1][4], ours[1][13]) == ("50%", "0.25")


def test_it_leaves_as_text_what_openpyxl_would_fail_on() -> None:
    row = (
        b'<row r="2"><c r="A2"><v>1e400</v></c><c r="B2"><v>99999999999999999999</v></c>'
        b'<c r="C2" t="b"><v>x</v></c></row>'
    )
    assert read(hostile_files.workbook(hostile_files.header_and(row)))[1] == (2, ["1e400", "99999999999999999999", "x"])


def test_it_reads_what_openpyxl_writes() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Testo", "Numero", "Data", "Vero"])
    sheet.append(["àèìòù €", 18.5, datetime.date(2021, 3, 1), True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read(buffer.getvalue())[1] == (2, ["àèìòù €", "18.5", "2021-03-01", "sì"])

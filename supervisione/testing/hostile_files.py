"""Spreadsheets built to exhaust a server, made on the spot for the tests and the benchmark (issue 13).

Each is a handful of kilobytes on disk however much it claims or inflates to: members are written to the
zip as streams, so even the benchmark's gigabyte cell never sits in memory here.
"""

from __future__ import annotations

import io
import itertools
import string
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from supervisione.census.importing.columns import HEADERS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
# Cell formats: 0 general, 1 a date (14, d/m/yyyy), 2 a percentage (9, 0%).
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="9" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def workbook(sheet: Iterable[bytes], shared_strings: Iterable[bytes] | None = None, *, date1904: bool = False) -> bytes:
    """An XLSX whose sheet is the XML ``sheet`` yields (and whose shared strings, if any, ``shared_strings``)."""
    properties = '<workbookPr date1904="1"/>' if date1904 else ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f"{properties}"
            '<sheets><sheet name="Personale" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        _stream(archive, "xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            _stream(archive, "xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


def _stream(archive: zipfile.ZipFile, name: str, parts: Iterable[bytes]) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        for part in parts:
            member.write(part)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cells(number: int, values: Sequence[str]) -> bytes:
    """A row of inline strings."""
    return (
        f'<row r="{number}">'
        + "".join(
            f'<c r="{_letter(index)}{number}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
            for index, value in enumerate(values)
        )
        + "</row>"
    ).encode()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sheet(rows: Iterable[bytes], *, dimension: str = "") -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def header_and(*rows: bytes) -> Iterator[bytes]:
    return sheet([cells(1, HEADERS), *rows])


def declared_maximal_dimension(row: Sequence[str]) -> bytes:
    """1.7 KB: a header and one row, in a sheet that declares itself 1,048,576 rows by 16,384 columns."""
    return workbook(sheet([cells(1, HEADERS), cells(2, row)], dimension="A1:XFD1048576"))


def huge_cell(characters: int, column: int = 0) -> bytes:
    """A header and a row whose cell (of ``column``) is ``characters`` letters: inflates about 1,000 times."""
    block = b"a" * 1024 * 1024

    def row() -> Iterator[bytes]:
        yield f'<row r="2"><c r="{_letter(column)}2" t="inlineStr"><is><t>'.encode()
        left = characters
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
        yield b"</t></is></c></row>"

    return workbook(sheet(itertools.chain([cells(1, HEADERS)], row())))


def rich_runs(runs: int) -> bytes:
    """One cell made of ``runs`` formatting runs of one letter each: openpyxl builds an element for each."""
    unit = b"<r><t>a</t></r>" * 1000

    def row() -> Iterator[bytes]:
        yield b'<row r="2"><c r="A2" t="inlineStr"><is>'
        for _ in range(runs // 1000):
            yield unit
        yield b"</is></c></row>"

    return workbook(sheet(itertools.chain([cells(1, HEADERS)], row())))


def many_shared_strings(count: int) -> bytes:
    """A header and a row, and ``count`` distinct short shared strings that no cell uses (low compression)."""
    alphabet = string.ascii_letters + string.digits

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        words = itertools.islice(("".join(letters) for letters in itertools.product(alphabet, repeat=4)), count)
        for word_chunk in iter(lambda: list(itertools.islice(words, 10000)), []):
            yield "".join(f"<si><t>{word}</t></si>" for word in word_chunk).encode()
        yield b"</sst>"

    return workbook(header_and(), strings())


def deep_nesting(depth: int) -> bytes:
    return workbook(header_and(b"<x>" * depth + b"</x>" * depth))


def entity_expansion() -> bytes:
    """The billion laughs, in a sheet."""
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    return workbook(
        [lol, f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(), cells(1, HEADERS), b"</sheetData></worksheet>"]
    )


def csv_rows(rows: int, header: Sequence[str] = HEADERS) -> Iterator[bytes]:
    """A CSV of ``rows`` copies of one line (any line: the limit on rows comes before any check)."""
    yield (";".join(header) + "\r\n").encode()
    line = (";".join(["Rossi", "Anna"] + [""] * (len(header) - 2)) + "\r\n").encode()
    for _ in range(rows):
        yield line

"""The XLSX reader: the workbook's parts (relationships, sheets, styles, shared strings), then a sheet's rows."""

from __future__ import annotations

import math
import posixpath
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from supervisione.lib.spreadsheets.limits import (
    MAX_RELATIONSHIPS,
    MAX_SHEETS,
    MAX_STYLES,
    UNREADABLE_XLSX,
    Deadline,
    Limits,
    SpreadsheetError,
    thousands,
)
from supervisione.lib.spreadsheets.rows import Row, RowCounter, cell_text
from supervisione.lib.spreadsheets.xlsx_archive import Archive, local_name, resolve
from supervisione.lib.spreadsheets.xlsx_sheet import TOO_LONG, Cell, SheetParser


@dataclass(frozen=True)
class _Style:
    date: bool
    timedelta: bool
    percent: bool


_GENERAL = _Style(date=False, timedelta=False, percent=False)


class _Strings:
    """The shared strings, in blocks of UTF-8 with their end offsets: a few bytes each, whatever their number."""

    BLOCK = 1024

    def __init__(self) -> None:
        self._blocks: list[tuple[bytes, array[int]]] = []
        self._pending: list[bytes] = []
        self._count = 0

    def append(self, text: str) -> None:
        self._pending.append(text.encode("utf-8"))
        self._count += 1
        if len(self._pending) == self.BLOCK:
            self.close()

    def close(self) -> None:
        if self._pending:
            ends = array("I")  # 4 bytes an offset: a block holds at most 1,024 cut strings
            position = 0
            for data in self._pending:
                position += len(data)
                ends.append(position)
            self._blocks.append((b"".join(self._pending), ends))
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:
        block, position = divmod(index, self.BLOCK)
        data, ends = self._blocks[block]
        start = ends[position - 1] if position else 0
        return data[start : ends[position]].decode("utf-8")


class XlsxReader(RowCounter):
    def __init__(self, source: IO[bytes], limits: Limits, deadline: Deadline, sheet: str) -> None:
        super().__init__(limits, deadline)
        self.archive = Archive(source, limits, deadline)
        workbook = self._workbook_path()
        sheets, epoch_1904 = self._sheets(workbook)
        relationships = self._relationships(workbook)
        worksheets = [
            (name, relationships[rid][1])
            for name, rid in sheets
            if rid in relationships and relationships[rid][0].endswith("/worksheet")
            if relationships[rid][1] in self.archive.names
        ]
        if not worksheets:
            raise SpreadsheetError(UNREADABLE_XLSX)
        self.sheet_path = next((path for name, path in worksheets if name == sheet), worksheets[0][1])
        self.epoch = MAC_EPOCH if epoch_1904 else WINDOWS_EPOCH
        targets = dict(relationships.values())
        self.styles = self._styles(self._part(targets, "/styles", "xl/styles.xml"))
        self.strings = self._strings(self._part(targets, "/sharedStrings", "xl/sharedStrings.xml"))

    def _part(self, targets: dict[str, str], kind: str, default: str) -> str | None:
        found = next((path for rel_type, path in targets.items() if rel_type.endswith(kind)), default)
        return found if found in self.archive.names else None

    def _workbook_path(self) -> str:
        found = "xl/workbook.xml"

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal found
            if local_name(tag) == "Relationship" and attributes.get("Type", "").endswith("/officeDocument"):
                found = resolve("", attributes.get("Target", ""))

        if "_rels/.rels" in self.archive.names:
            self.archive.parse_all("_rels/.rels", start)
        if found not in self.archive.names:
            raise SpreadsheetError(UNREADABLE_XLSX)
        return found

    def _sheets(self, workbook: str) -> tuple[list[tuple[str, str]], bool]:
        sheets: list[tuple[str, str]] = []
        epoch_1904 = False

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal epoch_1904
            local = local_name(tag)
            if local == "sheet":
                if len(sheets) >= MAX_SHEETS:
                    raise SpreadsheetError(UNREADABLE_XLSX)
                rid = next((value for key, value in attributes.items() if local_name(key) == "id"), "")
                sheets.append((attributes.get("name", ""), rid))
            elif local == "workbookPr":
                epoch_1904 = attributes.get("date1904", "").lower() in {"1", "true"}

        self.archive.parse_all(workbook, start)
        return sheets, epoch_1904

    def _relationships(self, workbook: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, path in the archive) for the workbook's parts."""
        folder, filename = posixpath.split(workbook)
        rels = posixpath.join(folder, "_rels", filename + ".rels")
        found: dict[str, tuple[str, str]] = {}

        def start(tag: str, attributes: dict[str, str]) -> None:
            if local_name(tag) == "Relationship":
                if len(found) >= MAX_RELATIONSHIPS:
                    raise SpreadsheetError(UNREADABLE_XLSX)
                target = resolve(folder, attributes.get("Target", ""))
                found[attributes.get("Id", "")] = (attributes.get("Type", ""), target)

        if rels in self.archive.names:
            self.archive.parse_all(rels, start)
        return found

    def _styles(self, path: str | None) -> list[_Style]:
        """What each cell format (``s`` of a cell) means: date, duration, percentage (openpyxl's rules)."""
        if path is None:
            return []
        custom: dict[int, str] = {}
        format_ids: list[int] = []
        in_cell_formats = False

        def start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal in_cell_formats
            local = local_name(tag)
            try:
                if local == "numFmt":
                    if len(custom) >= MAX_STYLES:
                        raise SpreadsheetError(UNREADABLE_XLSX)
                    custom[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
                elif local == "cellXfs":
                    in_cell_formats = True
                elif local == "xf" and in_cell_formats:
                    if len(format_ids) >= MAX_STYLES:
                        raise SpreadsheetError(
                            f"Il file Excel ha più di {thousands(MAX_STYLES)} stili di cella: salvalo di nuovo "
                            "togliendo le formattazioni, oppure esportalo in CSV."
                        )
                    format_ids.append(int(attributes.get("numFmtId", "0")))
            except ValueError as error:
                raise SpreadsheetError(UNREADABLE_XLSX) from error

        def end(tag: str) -> None:
            nonlocal in_cell_formats
            if local_name(tag) == "cellXfs":
                in_cell_formats = False

        self.archive.parse_all(path, start, end)
        styles = []
        known: dict[int, _Style] = {}
        for format_id in format_ids:
            if format_id not in known:
                code = custom[format_id] if format_id in custom else BUILTIN_FORMATS.get(format_id)
                known[format_id] = _Style(
                    date=is_date_format(code), timedelta=is_timedelta_format(code), percent="%" in (code or "")
                )
            styles.append(known[format_id])
        return styles

    def _strings(self, path: str | None) -> _Strings:
        strings = _Strings()
        if path is None:
            return strings
        parts: list[str] = []
        length = 0
        capture = 0  # > 0 inside a <t> of the string (not of its phonetic reading, <rPh>)
        phonetic = 0
        limit = self.limits.cell_chars

        def start(tag: str, _attributes: dict[str, str]) -> None:
            nonlocal length, capture, phonetic
            local = local_name(tag)
            if local == "si":
                parts.clear()
                length = 0
            elif local == "rPh":
                phonetic += 1
            elif local == "t" and not phonetic:
                capture += 1

        def end(tag: str) -> None:
            nonlocal capture, phonetic
            local = local_name(tag)
            if local == "si":
                # openpyxl drops the escape of "_" the same way; a string over the limit is kept cut, longer
                # than any cell may be: it is refused if a cell that is read uses it.
                strings.append("".join(parts).replace("x005F_", ""))
            elif local == "rPh":
                phonetic -= 1
            elif local == "t" and capture:
                capture -= 1

        def text(data: str) -> None:
            nonlocal length
            if capture and length <= limit:
                parts.append(data[: limit + 1 - length])
                length += len(data)

        self.archive.parse_all(path, start, end, text)
        strings.close()
        return strings

    def rows(self) -> Iterator[Row]:
        sheet = SheetParser(self)
        last = 0
        chunks = self.archive.parse(self.sheet_path, sheet.start, sheet.end, sheet.text, counts_depth=True)
        for _chunk in chunks:
            while sheet.ready:
                number, parsed = sheet.ready.popleft()
                if number <= last:
                    continue  # a row out of order or repeated: openpyxl skips it too
                last = number
                cells = self._cells(number, parsed)
                if number == 1:
                    self.header = cells
                self._count(number, cells)
                yield number, cells

    def _cells(self, number: int, parsed: list[Cell]) -> list[str]:
        """The text of the cells read (only the wanted ones below the header), by column."""
        wanted = None if number == 1 else self.wanted
        texts: dict[int, str] = {}
        for column, kind, style_index, raw in parsed:
            if wanted is not None and column not in wanted:
                continue
            if raw is TOO_LONG:
                raise self.too_long(number, column)
            value = self._value(kind, style_index, raw)
            style = self.styles[style_index] if style_index < len(self.styles) else _GENERAL
            percent = column in self.percent and style.percent and isinstance(value, int | float) and number != 1
            text = cell_text(value, percent)
            if len(text) > self.limits.cell_chars:  # a shared string over the limit, kept cut
                raise self.too_long(number, column)
            if text:
                texts[column] = text
        cells = [""] * (max(texts) + 1 if texts else 0)
        for column, text in texts.items():
            cells[column] = text
        return cells

    def _value(self, kind: str, style_index: int, raw: str | None) -> Any:
        """The cell's value as openpyxl gives it with ``data_only`` (a formula's last computed value)."""
        if kind == "inlineStr" or not raw:
            return raw or None
        if kind == "n":
            number = _castthousands(raw)
            if number is None:
                return raw
            style = self.styles[style_index] if style_index < len(self.styles) else _GENERAL
            if style.date:
                try:
                    return from_excel(number, self.epoch, timedelta=style.timedelta)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError) as error:
                raise SpreadsheetError(UNREADABLE_XLSX) from error
        try:
            if kind == "b":
                return bool(int(raw))
            if kind == "d":
                return _from_iso(raw)
        except ValueError:
            return raw
        return raw  # "str" (a formula's text), "e" (an error such as #N/A)


# openpyxl's own reading of a date written as text (t="d"); its stubs leave it untyped.
_from_iso = cast(Callable[[str], Any], from_ISO8601)


def _castthousands(text: str) -> int | float | None:
    """As openpyxl reads a number; None for what is not a finite one (it would fail later)."""
    try:
        number: int | float = float(text) if "." in text or "E" in text or "e" in text else int(text)
    except ValueError:
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None
    return number

"""Reading the spreadsheets users send (XLSX, CSV) as rows of text, within limits.

A file that comes from outside is hostile until read: a 2 KB XLSX can declare a sheet of 17 billion cells, a
30 KB one can inflate to gigabytes (a zip bomb) or hold a million formatting runs in one cell, a CSV can be one
cell of 25 million characters. openpyxl's reader is not built for that (its read-only mode pads every row to
the declared dimension, parses the whole sheet when the dimension is missing, builds each row's element tree
and loads every shared string at once: a 30 KB file took 480 MB and 13 s), so imports read XLSX here:

- the archive is checked before anything is decompressed: number of members and size of its directory, the
  uncompressed size of every member and of all together, each large member's compression ratio;
- the XML is streamed through expat with handlers that build no tree: only the rows and cells that exist are
  read (the declared dimension is ignored), only the columns asked for are kept, every text is counted as it
  arrives, nesting and the length of any tag or text are bounded before expat holds them, and a document type
  declaration (the way to entity bombs) refuses the file;
- shared strings are kept as UTF-8 in blocks with their offsets, never as millions of Python strings;
- a CSV is decoded and parsed as a stream, one record at a time, each record bounded;
- both count the rows with data and check a deadline as they go.

Every refusal is a ``SpreadsheetError`` whose message, in Italian, says which limit the file passed and what to
do. openpyxl still provides the rules for what a number format means (dates, percentages) and the Excel date
conversion, so cells read here have the values openpyxl gave them.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import posixpath
import struct
import time
import zipfile
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, BinaryIO, Literal, Protocol, cast
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from supervisione.lib.exports import restore

Kind = Literal["xlsx", "csv"]
Row = tuple[int, list[str]]


def _number(value: float) -> str:
    """A count or size as Italians write it: 50.000."""
    return f"{value:,.0f}".replace(",", ".")


class SpreadsheetError(Exception):
    """The file is refused: an Italian sentence that says why and what to do."""


UNREADABLE_XLSX = "Il file Excel non si può leggere: salvalo di nuovo in formato .xlsx oppure esportalo in CSV."


@dataclass(frozen=True)
class Limits:
    """What one file may hold; ``supervisione.settings`` (IMPORT_*) gives the values in force."""

    rows: int  # rows with data below the header
    cell_chars: int  # characters in one cell that is read
    xlsx_bytes: int  # uncompressed size of all the members of an XLSX archive
    xlsx_ratio: int  # uncompressed / compressed size of one large member
    seconds: float  # reading and checking the whole file

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings  # noqa: PLC0415  (lib is importable without Django configured)

        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            xlsx_bytes=settings.IMPORT_MAX_XLSX_MB * 1024 * 1024,
            xlsx_ratio=settings.IMPORT_MAX_XLSX_RATIO,
            seconds=settings.IMPORT_MAX_SECONDS,
        )


# Not settings: no real workbook comes near them, and each only bounds the work of a hostile one.
MAX_MEMBERS = 1000  # an XLSX has a few dozen parts
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's central directory (about 100 bytes a member)
RATIO_FROM_BYTES = 1024 * 1024  # the compression ratio is checked on members larger than this
MAX_DEPTH = 64  # nesting of XML elements (a sheet needs 6)
MAX_SHEETS = 1000
MAX_STYLES = 65536  # Excel itself stops at 64,000 cell formats
MAX_RELATIONSHIPS = 10000
MAX_COLUMNS = 1000  # in the header row
CHUNK_BYTES = 16 * 1024


class Deadline:
    """The processor time a file may take to be read and checked, from the moment this is created.

    Processor time, not the clock's: what a hostile file costs is computation, and on a busy machine a valid file
    takes longer by the clock without costing more; it must not be refused because others are working."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.process_time() + seconds

    def check(self) -> None:
        if time.process_time() > self._end:
            raise SpreadsheetError(
                f"La lettura del file ha superato il limite di {_number(self.seconds)} secondi: il file è troppo "
                "grande o troppo complesso. Dividilo in più file, oppure esportalo in CSV."
            )


class RowReader(Protocol):
    """Rows of text, the header first; set ``wanted`` and ``percent`` after reading the header."""

    wanted: frozenset[int] | None  # the column indexes to read below the header (None: every column)
    percent: frozenset[int]  # columns whose numbers formatted as a percentage read as "50%"

    def rows(self) -> Iterator[Row]: ...


def open_rows(source: IO[bytes], kind: Kind, limits: Limits, *, sheet: str = "") -> RowReader:
    """A reader of ``source`` (seekable): the named sheet of an XLSX (or its first), or a CSV."""
    deadline = Deadline(limits.seconds)
    if kind == "xlsx":
        return _XlsxReader(source, limits, deadline, sheet)
    return _CsvReader(source, limits, deadline)


def guess_kind(head: bytes) -> Kind:
    return "xlsx" if head.startswith(b"PK\x03\x04") else "csv"


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


class _Rows:
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
        limit = _number(self.limits.cell_chars)
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
                f"Il file ha più di {_number(4 * self.limits.rows + 10_000)} righe, contando quelle vuote: togli le "
                "righe vuote (per esempio in fondo al foglio) e caricalo di nuovo."
            )
        if number == 1 or not any(cells):
            return
        self._data_rows += 1
        if self._data_rows > self.limits.rows:
            raise SpreadsheetError(
                f"Il file ha più di {_number(self.limits.rows)} righe di dati, il massimo per un file: dividilo in "
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


# --------------------------------------------------------------------------------------------------------
# XLSX


def _local(name: str) -> str:
    """A tag or attribute without its prefix: ``x:row`` and ``row`` are the same element of SpreadsheetML.

    Namespaces are not resolved (expat is faster without): the parts read here have one vocabulary each."""
    return name.rpartition(":")[2]


class _Archive:
    """The XLSX's zip, checked before any member is decompressed; members are read as guarded XML streams."""

    def __init__(self, source: IO[bytes], limits: Limits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        # Read from the end record alone: zipfile would build an object per member of the directory first.
        members, directory_bytes = _end_record(source)
        if members > MAX_MEMBERS or directory_bytes > MAX_DIRECTORY_BYTES:
            raise SpreadsheetError(
                f"Il file Excel contiene troppe parti interne (al massimo {_number(MAX_MEMBERS)}): non è un normale "
                "foglio di calcolo. Salvalo di nuovo da Excel o LibreOffice, oppure esportalo in CSV."
            )
        try:
            self.zip = zipfile.ZipFile(source)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            raise SpreadsheetError(UNREADABLE_XLSX) from error
        source.seek(0, io.SEEK_END)
        if sum(info.compress_size for info in infos) > source.tell():
            raise SpreadsheetError(UNREADABLE_XLSX)
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_FROM_BYTES and info.file_size > info.compress_size * limits.xlsx_ratio:
                raise SpreadsheetError(
                    f"Il file Excel contiene una parte che, decompressa, diventa più di {_number(limits.xlsx_ratio)} "
                    "volte più grande: capita con i file costruiti per bloccare i server (zip bomb), non con un "
                    "censimento. Salva di nuovo il file da Excel o LibreOffice, oppure esportalo in CSV."
                )
        if total > limits.xlsx_bytes:
            raise SpreadsheetError(
                f"Il file Excel, una volta decompresso, supera {_number(limits.xlsx_bytes / 1024 / 1024)} MB, il "
                "massimo per un file: togli i fogli, le immagini e le formattazioni che non servono, dividilo in più "
                "file oppure esportalo in CSV."
            )
        self.names = {info.filename for info in infos}
        # A tag or a text longer than this holds a cell over the limit even if every character took an entity
        # of ten bytes (&#1114111;); refusing it before expat sees it bounds what expat must hold.
        self.max_run = 10 * limits.cell_chars + 4096

    def parse(
        self,
        name: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
        *,
        counts_depth: bool = False,
    ) -> Iterator[None]:
        """Feed a member to expat chunk by chunk, pausing after each (the sheet hands over its rows there).

        The handlers are wrapped to bound the nesting of elements, unless they count it themselves
        (``counts_depth``: the sheet's, called millions of times, spare a call each)."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        depth = 0

        def on_start(tag: str, attributes: dict[str, str]) -> None:
            nonlocal depth
            depth += 1
            if depth > MAX_DEPTH:
                raise SpreadsheetError(UNREADABLE_XLSX)
            start(tag, attributes)

        def on_end(tag: str) -> None:
            nonlocal depth
            depth -= 1
            if end is not None:
                end(tag)

        def refuse(*_args: Any) -> None:
            raise SpreadsheetError(UNREADABLE_XLSX)

        parser.StartElementHandler = start if counts_depth else on_start
        parser.EndElementHandler = end if counts_depth else on_end
        if text is not None:
            parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        run = 0
        try:
            with self.zip.open(name) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    self.deadline.check()
                    run = self._check_runs(chunk, run)
                    parser.Parse(chunk)
                    yield
                parser.Parse(b"", True)  # noqa: FBT003  (expat takes it only by position)
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as error:
            # RuntimeError: an encrypted member; the others: a broken archive or XML.
            raise SpreadsheetError(UNREADABLE_XLSX) from error
        yield

    def parse_all(
        self,
        name: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        for _chunk in self.parse(name, start, end, text):
            pass

    def _check_runs(self, chunk: bytes, run: int) -> int:
        """The bytes since the last ``<`` after this chunk; refuses a run longer than ``max_run``."""
        first = chunk.find(b"<")
        if first < 0:
            run += len(chunk)
        else:
            longest = run + first
            if len(chunk) > self.max_run:
                longest = max(longest, *(len(part) for part in chunk[first:].split(b"<")))
            run = len(chunk) - chunk.rfind(b"<") - 1
            run = max(run, 0)
            if longest > self.max_run:
                raise self._long_text()
        if run > self.max_run:
            raise self._long_text()
        return run

    def _long_text(self) -> SpreadsheetError:
        return SpreadsheetError(
            f"Il file Excel contiene un testo più lungo di {_number(self.limits.cell_chars)} caratteri, il massimo "
            "per una cella: controlla di non avervi incollato un testo per errore."
        )


def _end_record(source: IO[bytes]) -> tuple[int, int]:
    """Members and size of the central directory, from the zip's end record (the last one in the file)."""
    source.seek(0, io.SEEK_END)
    size = source.tell()
    tail_size = min(size, 22 + 65535)
    source.seek(size - tail_size)
    tail = source.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise SpreadsheetError(UNREADABLE_XLSX)
    _disk, _start_disk, _here, members, directory_bytes, _offset = struct.unpack("<4H2L", tail[at + 4 : at + 20])
    source.seek(0)
    return members, directory_bytes


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


class _XlsxReader(_Rows):
    def __init__(self, source: IO[bytes], limits: Limits, deadline: Deadline, sheet: str) -> None:
        super().__init__(limits, deadline)
        self.archive = _Archive(source, limits, deadline)
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
            if _local(tag) == "Relationship" and attributes.get("Type", "").endswith("/officeDocument"):
                found = _resolve("", attributes.get("Target", ""))

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
            local = _local(tag)
            if local == "sheet":
                if len(sheets) >= MAX_SHEETS:
                    raise SpreadsheetError(UNREADABLE_XLSX)
                rid = next((value for key, value in attributes.items() if _local(key) == "id"), "")
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
            if _local(tag) == "Relationship":
                if len(found) >= MAX_RELATIONSHIPS:
                    raise SpreadsheetError(UNREADABLE_XLSX)
                target = _resolve(folder, attributes.get("Target", ""))
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
            local = _local(tag)
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
                            f"Il file Excel ha più di {_number(MAX_STYLES)} stili di cella: salvalo di nuovo "
                            "togliendo le formattazioni, oppure esportalo in CSV."
                        )
                    format_ids.append(int(attributes.get("numFmtId", "0")))
            except ValueError as error:
                raise SpreadsheetError(UNREADABLE_XLSX) from error

        def end(tag: str) -> None:
            nonlocal in_cell_formats
            if _local(tag) == "cellXfs":
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
            local = _local(tag)
            if local == "si":
                parts.clear()
                length = 0
            elif local == "rPh":
                phonetic += 1
            elif local == "t" and not phonetic:
                capture += 1

        def end(tag: str) -> None:
            nonlocal capture, phonetic
            local = _local(tag)
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
        sheet = _SheetParser(self)
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

    def _cells(self, number: int, parsed: list[_Cell]) -> list[str]:
        """The text of the cells read (only the wanted ones below the header), by column."""
        wanted = None if number == 1 else self.wanted
        texts: dict[int, str] = {}
        for column, kind, style_index, raw in parsed:
            if wanted is not None and column not in wanted:
                continue
            if raw is _TOO_LONG:
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
            number = _cast_number(raw)
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


# A cell as parsed: column, type (the t attribute), style index (s), the text of <v> or of the inline string.
_Cell = tuple[int, str, int, str | None]
# What a cell holds when its text passed the limit while it was parsed (refused if its column is read).
_TOO_LONG = "\x00too long\x00"


class _SheetParser:
    """expat's handlers for a worksheet: each row that exists becomes (number, its cells as parsed).

    Called for every element and text of the sheet, so kept short: no tree, no conversion (the reader converts
    the cells of the columns it reads when it takes the row). A cell's text stops being kept past the limit; a
    cell of a column read is refused there and then (before the header is taken, which columns are read is not
    known yet: the reader refuses such a cell when it takes its row)."""

    def __init__(self, reader: _XlsxReader) -> None:
        self.reader = reader
        self.limit = reader.limits.cell_chars
        self.ready: deque[tuple[int, list[_Cell]]] = deque()
        self.names: dict[str, str] = {}
        self.depth = 0
        self.number = 0
        self.column = -1
        self.cells: list[_Cell] = []
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
            local = _local(tag)
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
                raise SpreadsheetError(_too_many_columns())
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
                raw: str | None = _TOO_LONG
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


# openpyxl's own reading of a date written as text (t="d"); its stubs leave it untyped.
_from_iso = cast(Callable[[str], Any], from_ISO8601)


def _cast_number(text: str) -> int | float | None:
    """As openpyxl reads a number; None for what is not a finite one (it would fail later)."""
    try:
        number: int | float = float(text) if "." in text or "E" in text or "e" in text else int(text)
    except ValueError:
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None
    return number


def _row_number(reference: str) -> int:
    try:
        return int(reference)
    except ValueError:
        number = float(reference)
        if not number.is_integer():
            raise
        return int(number)


def _too_many_columns() -> str:
    return (
        f"La prima riga del file ha più di {_number(MAX_COLUMNS)} colonne: tieni solo quelle del censimento, oppure "
        "esporta il foglio in CSV."
    )


# --------------------------------------------------------------------------------------------------------
# CSV


class _CsvReader(_Rows):
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
                    f"Alla riga {number + 1} del file CSV una cella ha più di {_number(self.limits.cell_chars)} "
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
                raise SpreadsheetError(_too_many_columns())
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
                f"La riga {self.row} del file CSV è più lunga di {_number(self.limit)} caratteri: controlla che le "
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


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")

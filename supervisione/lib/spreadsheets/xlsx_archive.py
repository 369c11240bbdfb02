"""The XLSX's zip, checked before any member is decompressed, and its members read as guarded XML streams."""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from supervisione.lib.spreadsheets.limits import (
    MAX_DEPTH,
    MAX_DIRECTORY_BYTES,
    MAX_MEMBERS,
    RATIO_FROM_BYTES,
    UNREADABLE_XLSX,
    Deadline,
    Limits,
    SpreadsheetError,
    thousands,
)

CHUNK_BYTES = 16 * 1024


def local_name(name: str) -> str:
    """A tag or attribute without its prefix: ``x:row`` and ``row`` are the same element of SpreadsheetML.

    Namespaces are not resolved (expat is faster without): the parts read here have one vocabulary each."""
    return name.rpartition(":")[2]


class Archive:
    """The XLSX's zip, checked before any member is decompressed; members are read as guarded XML streams."""

    def __init__(self, source: IO[bytes], limits: Limits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        # Read from the end record alone: zipfile would build an object per member of the directory first.
        members, directory_bytes = end_record(source)
        if members > MAX_MEMBERS or directory_bytes > MAX_DIRECTORY_BYTES:
            raise SpreadsheetError(
                f"Il file Excel contiene troppe parti interne (al massimo {thousands(MAX_MEMBERS)}): non è un normale "
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
                    f"Il file Excel contiene una parte che, decompressa, diventa più di {thousands(limits.xlsx_ratio)} "
                    "volte più grande: capita con i file costruiti per bloccare i server (zip bomb), non con un "
                    "censimento. Salva di nuovo il file da Excel o LibreOffice, oppure esportalo in CSV."
                )
        if total > limits.xlsx_bytes:
            raise SpreadsheetError(
                f"Il file Excel, una volta decompresso, supera {thousands(limits.xlsx_bytes / 1024 / 1024)} MB, il "
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
            f"Il file Excel contiene un testo più lungo di {thousands(self.limits.cell_chars)} caratteri, il massimo "
            "per una cella: controlla di non avervi incollato un testo per errore."
        )


def end_record(source: IO[bytes]) -> tuple[int, int]:
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


def resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")

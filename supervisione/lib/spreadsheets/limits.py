"""What a file may hold and how long it may take: the refusal, the limits of the settings, the fixed bounds."""

from __future__ import annotations

import time
from dataclasses import dataclass


def thousands(value: float) -> str:
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


MAX_MEMBERS = 1000  # an XLSX has a few dozen parts
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's central directory (about 100 bytes a member)
RATIO_FROM_BYTES = 1024 * 1024  # the compression ratio is checked on members larger than this
MAX_DEPTH = 64  # nesting of XML elements (a sheet needs 6)
MAX_SHEETS = 1000
MAX_STYLES = 65536  # Excel itself stops at 64,000 cell formats
MAX_RELATIONSHIPS = 10000
MAX_COLUMNS = 1000  # in the header row


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
                f"La lettura del file ha superato il limite di {thousands(self.seconds)} secondi: il file è troppo "
                "grande o troppo complesso. Dividilo in più file, oppure esportalo in CSV."
            )


def too_many_columns() -> str:
    return (
        f"La prima riga del file ha più di {thousands(MAX_COLUMNS)} colonne: tieni solo quelle del censimento, "
        "oppure esporta il foglio in CSV."
    )

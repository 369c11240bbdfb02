"""Stage 1, reading: the file's header matched to the layout, then its rows as text keyed by column."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from supervisione.census import vocabulary
from supervisione.census.importing.columns import COLUMN_BY_KEY, COLUMNS, HEADER_KEYS
from supervisione.census.importing.problems import ImportFileError, Problem
from supervisione.lib.spreadsheets import reading
from supervisione.lib.spreadsheets.limits import Limits
from supervisione.lib.spreadsheets.reading import Kind, open_rows

RawRow = tuple[int, dict[str, str]]
# A file with more columns that are not in the layout is listed with the first of them.
IGNORED_COLUMNS_LISTED = 20


@dataclass
class Table:
    rows: list[RawRow]
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _map_headers(headers: Sequence[str]) -> tuple[dict[int, str], list[Problem], list[str]]:
    """Column index -> key, the problems (missing or repeated columns) and the ignored columns."""
    mapping: dict[int, str] = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        key = HEADER_KEYS.get(vocabulary.compact(header))
        if key is None:
            ignored.append(header.strip())
            continue
        if key in seen:
            problems.append(Problem(1, header.strip(), f"La colonna «{COLUMN_BY_KEY[key].header}» compare due volte."))
            continue
        seen[key] = index
        mapping[index] = key
    problems.extend(
        Problem(1, column.header, f"Manca la colonna «{column.header}».")
        for column in COLUMNS
        if column.required and column.key not in seen
    )
    notices = [
        f"La colonna «{name if len(name) <= 100 else name[:100] + '…'}» non è prevista: viene ignorata."
        for name in ignored[:IGNORED_COLUMNS_LISTED]
    ]
    if len(ignored) > IGNORED_COLUMNS_LISTED:
        more = len(ignored) - IGNORED_COLUMNS_LISTED
        notices.append(
            "Un'altra colonna non prevista viene ignorata."
            if more == 1
            else f"Altre {more} colonne non previste vengono ignorate."
        )
    return mapping, problems, notices


class TableReader:
    """A census file as it is read: the header's problems and notices at once, then the rows with data.

    Nothing but the current row is held: the file is read by ``supervisione.lib.spreadsheets`` within the
    limits of the settings (IMPORT_*), which refuses it with an ImportFileError as soon as it passes one."""

    def __init__(self, source: IO[bytes], kind: Kind, limits: Limits | None = None) -> None:
        self._reader = open_rows(source, kind, limits or Limits.from_settings(), sheet="Personale")
        self._rows = self._reader.rows()
        first = next(self._rows, None)
        if first is None or first[0] != 1 or not any(cell.strip() for cell in first[1]):
            raise ImportFileError(
                "La prima riga del file deve contenere l'intestazione delle colonne (Cognome, Nome, Codice fiscale...)."
            )
        self.mapping, self.problems, self.notices = _map_headers(first[1])
        # Below the header only the columns of the layout are read (all of them when the header is wrong: the
        # rows are only counted); only the hours can be a percentage.
        self._reader.wanted = None if self.problems else frozenset(self.mapping)
        self._reader.percent = frozenset(index for index, key in self.mapping.items() if key == "weekly_hours")
        self.count = 0

    def __iter__(self) -> Iterator[RawRow]:
        mapping = self.mapping
        for number, cells in self._rows:
            if not any(cells):
                continue
            self.count += 1
            yield number, {key: cells[index] if index < len(cells) else "" for index, key in mapping.items()}
        if not self.count:
            raise ImportFileError("Il file non contiene righe di dati sotto l'intestazione.")


def read_table(content: bytes, kind: Kind) -> Table:
    """The whole table at once (tests and small files; imports stream it with ``TableReader``)."""
    reader = TableReader(io.BytesIO(content), kind)
    return Table(rows=list(reader), problems=reader.problems, notices=reader.notices)


def guess_kind(content: bytes) -> Kind:
    return reading.guess_kind(content[:4])

"""Stage 1, reading: the file within limits, its header matched to the layout, then its rows as text keyed by
column."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from supervisione.funding.importing.columns import COLUMN_BY_KEY, COLUMNS, HEADER_KEYS, SHEET, compact
from supervisione.funding.importing.problems import ImportFileError
from supervisione.lib.spreadsheets.limits import Limits, SpreadsheetError, thousands
from supervisione.lib.spreadsheets.reading import guess_kind, open_rows

MAX_ROWS = 2000  # an ATS records a few dozen acts a year


@dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]
    columns: frozenset[str]
    notices: list[str] = field(default_factory=list)


def read_rows(content: bytes) -> Table:
    """The file's rows as text keyed by column; ``ImportFileError`` if it cannot be read, has no header or no row,
    lacks a required column or passes a limit."""
    limits = dataclasses.replace(Limits.from_settings(), rows=MAX_ROWS + 1)
    try:
        reader = open_rows(io.BytesIO(content), guess_kind(content[:4]), limits, sheet=SHEET)
        rows = reader.rows()
        first = next(rows, None)
        if first is None or first[0] != 1 or not any(cell.strip() for cell in first[1]):
            raise ImportFileError(
                "La prima riga del file deve contenere l'intestazione delle colonne (Codice ATS, Fase, Numero atto, "
                "Data, Importo...): scarica il modello per vederle."
            )
        mapping, notices = _map_headers(first[1])
        reader.wanted = frozenset(mapping)
        found: list[tuple[int, dict[str, str]]] = []
        for number, cells in rows:
            if not any(cells):
                continue
            if len(found) >= MAX_ROWS:
                raise ImportFileError(
                    f"Il file ha più di {thousands(MAX_ROWS)} atti, il massimo per un'importazione: dividilo in più "
                    "file (per esempio uno per anno) e importali uno dopo l'altro. Gli atti già importati restano."
                )
            found.append((number, {key: cells[index] if index < len(cells) else "" for index, key in mapping.items()}))
    except SpreadsheetError as error:
        raise ImportFileError(str(error)) from None
    if not found:
        raise ImportFileError("Il file non contiene righe di dati sotto l'intestazione.")
    return Table(found, frozenset(mapping.values()), notices)


def _map_headers(headers: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    problems: list[str] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        key = HEADER_KEYS.get(compact(header))
        if key is None:
            ignored.append(header.strip()[:100])
            continue
        if key in seen:
            problems.append(f"La colonna «{COLUMN_BY_KEY[key].header}» compare due volte.")
            continue
        seen.add(key)
        mapping[index] = key
    problems += [
        f"Manca la colonna «{column.header}»." for column in COLUMNS if column.required and column.key not in seen
    ]
    if problems:
        raise ImportFileError(" ".join(problems) + " Scarica il modello per vedere le colonne previste.")
    notices = [f"La colonna «{name}» non è prevista: viene ignorata." for name in ignored[:20]]
    if len(ignored) > 20:
        more = len(ignored) - 20
        notices.append(
            "Un'altra colonna non prevista viene ignorata."
            if more == 1
            else f"Altre {more} colonne non previste vengono ignorate."
        )
    return mapping, notices

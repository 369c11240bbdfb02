"""The results of a tenant's waves as rows: the same cells, hidden the same way, as the results page (one table,
``results.tenant_table``), one row per unit, round and scale. ``lines`` keeps each figure's type (the monitoring
dashboards show them in their own tables and spreadsheets); ``table_rows`` writes them as text for the CSV."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from supervisione.lib.italian import number_text
from supervisione.wellbeing.results import Cell, Table

HEADER: list[object] = [
    "Unità",
    "Rilevazione",
    "Scala",
    "Risposte",
    "Media",
    "IC 95 % da",
    "IC 95 % a",
    "Quota alla soglia o più (%)",
    "Nota",
]


@dataclass(frozen=True)
class Line:
    """One unit, round and scale; every figure None when the cell is hidden or has no result (``note`` says which)."""

    unit: str
    round_label: str
    scale: str
    n: int | None = None
    mean: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    share: Decimal | None = None  # at or above the scale's cut-off, 0-100, rounded to the unit
    note: str = ""


def rounded(value: float | None, decimals: int = 1) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, decimals))).quantize(Decimal(1).scaleb(-decimals))


def hidden_note(cell: Cell, k: int) -> str:
    return f"meno di {k} risposte: risultati non mostrati" if cell.small else "non mostrato"


def cell_lines(unit: str, label: str, cell: Cell, k: int) -> list[Line]:
    found: list[Line] = []
    for figure in cell.figures:
        title = figure.scale.title
        summary = figure.summary
        if cell.hidden:
            found.append(Line(unit, label, title, note=hidden_note(cell, k)))
        elif summary is None:
            found.append(Line(unit, label, title, note="nessun risultato"))
        else:
            share = rounded(summary.share_high, 0)
            mean, low, high = rounded(summary.mean), rounded(summary.low), rounded(summary.high)
            found.append(Line(unit, label, title, summary.n, mean, low, high, share))
    return found


def lines(table: Table) -> list[Line]:
    found: list[Line] = []
    for unit, cells in zip(table.units, table.cells, strict=True):
        for label, cell in zip(table.round_labels, cells, strict=True):
            found.extend(cell_lines(unit.name, label, cell, table.k))
    for label, cell in zip(table.round_labels, table.totals, strict=True):
        found.extend(cell_lines("Tutte le unità", label, cell, table.k))
    return found


def _text(value: Decimal | None, decimals: int) -> str:
    return "" if value is None else number_text(value, decimals)


def table_rows(table: Table) -> list[list[object]]:
    rows: list[list[object]] = [list(HEADER)]
    for line in lines(table):
        figures = [_text(line.mean, 1), _text(line.low, 1), _text(line.high, 1), _text(line.share, 0)]
        rows.append([line.unit, line.round_label, line.scale, "" if line.n is None else line.n, *figures, line.note])
    return rows

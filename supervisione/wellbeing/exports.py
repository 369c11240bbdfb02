"""The results of a tenant's waves as CSV: the same cells, hidden the same way, as the results page (one table,
``results.tenant_table``), one row per unit, round and scale."""

from __future__ import annotations

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


def _number(value: float | None, decimals: int = 1) -> str:
    return "" if value is None else number_text(Decimal(str(round(value, decimals))), decimals)


def _rows(unit: str, label: str, cell: Cell, table: Table) -> list[list[object]]:
    rows: list[list[object]] = []
    for figure in cell.figures:
        if cell.hidden:
            note = f"meno di {table.k} risposte: risultati non mostrati" if cell.small else "non mostrato"
            rows.append([unit, label, figure.scale.title, "", "", "", "", "", note])
            continue
        summary = figure.summary
        if summary is None:
            rows.append([unit, label, figure.scale.title, "", "", "", "", "", "nessun risultato"])
            continue
        share = _number(summary.share_high, 0) if summary.share_high is not None else ""
        values = [summary.n, _number(summary.mean), _number(summary.low), _number(summary.high), share, ""]
        rows.append([unit, label, figure.scale.title, *values])
    return rows


def table_rows(table: Table) -> list[list[object]]:
    rows: list[list[object]] = [list(HEADER)]
    for unit, cells in zip(table.units, table.cells, strict=True):
        for label, cell in zip(table.round_labels, cells, strict=True):
            rows.extend(_rows(unit.name, label, cell, table))
    for label, cell in zip(table.round_labels, table.totals, strict=True):
        rows.extend(_rows("Tutte le unità", label, cell, table))
    return rows

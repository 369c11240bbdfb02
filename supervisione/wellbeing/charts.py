"""The data of the results chart, as plain JSON for ``static/js/charts.js`` (Chart.js), passed through
``json_script``: each scale's mean per round with its 95 % interval, null where the cell is not shown. The page
has a table with the same figures. ``empty``: no round of the unit is shown (all hidden or still open), and the page
says so instead of drawing empty axes."""

from __future__ import annotations

from typing import Any

from supervisione.wellbeing.results import Cell, Table

Series = dict[str, Any]
COLORS = ["delivered", "minimum", "awaiting", "met", "plan"]


def trend_chart(table: Table, row: list[Cell]) -> dict[str, Any]:
    series: list[Series] = []
    for index, scale in enumerate(table.instrument.scales):
        color = COLORS[index % len(COLORS)]
        summaries = [cell.figures[index].summary for cell in row]
        series.append(
            {"label": scale.title, "data": [_round(s.mean if s else None) for s in summaries], "color": color}
        )
        series.append(
            {
                "label": f"{scale.title}: limite inferiore (IC 95 %)",
                "data": [_round(s.low if s else None) for s in summaries],
                "color": color,
                "dashed": True,
            }
        )
        series.append(
            {
                "label": f"{scale.title}: limite superiore (IC 95 %)",
                "data": [_round(s.high if s else None) for s in summaries],
                "color": color,
                "dashed": True,
            }
        )
    empty = all(value is None for one in series for value in one["data"])
    return {"kind": "line", "unit": "punti", "labels": table.round_labels, "series": series, "empty": empty}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)

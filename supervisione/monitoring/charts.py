"""The data of the charts, as plain JSON for ``static/js/charts.js`` (Chart.js), passed through
``json_script``. Each chart has a table with the same figures on the page (``tables``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .figures import Figures


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def cumulative_chart(figures: Figures) -> dict[str, Any]:
    rows = figures.cumulative()
    return {
        "kind": "line",
        "unit": "ore",
        "labels": [row.month.label for row in rows],
        "series": [
            {"label": "Piano", "data": [_number(row.planned) for row in rows], "color": "plan", "dashed": True},
            {
                "label": "Minimo LEPS",
                "data": [_number(row.minimum) for row in rows],
                "color": "minimum",
                "dashed": True,
            },
            {"label": "Erogate e in calendario", "data": [_number(row.booked) for row in rows], "color": "booked"},
            {"label": "Erogate", "data": [_number(row.delivered) for row in rows], "color": "delivered"},
        ],
    }


def groups_chart(figures: Figures) -> dict[str, Any]:
    rows = figures.leps_groups
    return {
        "kind": "hbar",
        "stacked": True,
        "unit": "ore",
        "labels": [row.group.name for row in rows],
        "series": [
            {"label": "Erogate", "data": [_number(row.delivered) for row in rows], "color": "delivered"},
            {"label": "Da confermare", "data": [_number(row.awaiting) for row in rows], "color": "awaiting"},
            {"label": "In calendario", "data": [_number(row.scheduled) for row in rows], "color": "booked"},
            {
                "label": "Mancanti al minimo",
                "data": [_number(row.compliance.missing if row.compliance else None) for row in rows],
                "color": "missing",
            },
        ],
    }


def plans_chart(figures: Figures) -> dict[str, Any]:
    rows = figures.plans
    series = [
        ("met", "Minimo raggiunto", "met"),
        ("on_track", "In linea", "on_track"),
        ("at_risk", "A rischio", "at_risk"),
        ("behind", "In ritardo", "behind"),
    ]
    return {
        "kind": "hbar",
        "stacked": True,
        "unit": "gruppi",
        "labels": [row.plan.tenant.name for row in rows],
        "series": [
            {"label": label, "data": [row.statuses.get(key, 0) for row in rows], "color": color}
            for key, label, color in series
        ],
    }


def spending_chart(figures: Figures) -> dict[str, Any]:
    lines = figures.spending
    return {
        "kind": "bar",
        "unit": "euro",
        "labels": [line.label for line in lines],
        "series": [
            {"label": "Fondi dei contratti", "data": [_number(line.committed) for line in lines], "color": "plan"},
            {
                "label": "Costo pianificato nell'anno",
                "data": [_number(line.planned) for line in lines],
                "color": "minimum",
            },
            {
                "label": "Maturato a oggi",
                "data": [_number(line.spent_to_date) for line in lines],
                "color": "delivered",
            },
        ],
    }

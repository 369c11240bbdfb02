"""Template filters of the results pages: scores in the Italian way, a table's rows with their units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from supervisione.lib.italian import number_text
from supervisione.wellbeing.results import Aggregate, Cell, Table

register = template.Library()


@register.filter
def points(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "-"
    return number_text(Decimal(str(round(value, decimals))), decimals)


@register.filter
def unit_rows(table: Table) -> list[tuple[Any, Any]]:
    return list(zip(table.units, table.cells, strict=True))


@register.filter
def named_rows(table: Aggregate) -> list[tuple[str, list[Cell]]]:
    return list(zip(table.names, table.cells, strict=True))


@register.filter
def at(items: list[Any], index: int) -> Any:
    return items[index]

"""Cells of the monitoring tables in Italian: hours "12,5", euro "1.234,56 €", percentages, dates, statuses (the
numbers written by ``lib.italian``; pages format single figures with the ``italian`` library)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from supervisione.lib.italian import count_text, euro_text, hours_text, number_text, percent_text

from ..tables import Cell, Column

register = template.Library()
DASH = "\u2013"  # en dash: no value

STATUS_CLASSES = {
    "met": "bg-success",
    "on_track": "bg-primary",
    "at_risk": "bg-warning",
    "behind": "bg-danger",
    "reached": "bg-success",  # a wellbeing objective (``wellbeing.objectives.Status``)
    "not_reached": "bg-danger",
}


def cell_text(column: Column, value: Cell) -> str:
    """The cell as plain text, a status by its words: what the page shows, for the PDF and Word reports."""
    if value is None or value == "":
        return DASH
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if column.kind == "euro" and isinstance(value, Decimal | int):
        return euro_text(Decimal(value))
    if column.kind == "hours" and isinstance(value, Decimal | int):
        return hours_text(Decimal(value), 2)
    if column.kind == "percent" and isinstance(value, Decimal | int):
        return percent_text(value)
    if column.kind == "score" and isinstance(value, Decimal | int):
        return number_text(value, 1)
    if isinstance(value, int):
        return count_text(value)
    return str(value)


@register.simple_tag
def cell(column: Column, value: Cell, status: str | None = None) -> str | SafeString:
    """The cell on a page: a status as a coloured badge, anything else as ``cell_text``."""
    if column.kind == "status" and value not in (None, ""):
        css = STATUS_CLASSES.get(status or "", "bg-secondary")
        return format_html('<span class="badge badge-status {}">{}</span>', css, value)
    return cell_text(column, value)


@register.filter
def status_class(status: str | None) -> str:
    return STATUS_CLASSES.get(status or "", "bg-secondary")

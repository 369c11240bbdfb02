"""Cells of the monitoring tables in Italian: hours "12,5", euro "1.234,56 €", percentages, dates, statuses (the
numbers written by ``lib.italian``; pages format single figures with the ``italian`` library)."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

from supervisione.lib.italian import count_text, euro_text, hours_text, number_text, percent_text

from ..tables import Cell, Column, Table

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


NUMERIC_HEADER = ' class="text-end"'


def _escape(value: object) -> str:
    """What the template writes for a value: ``conditional_escape`` without its lazy-string wrapper (Django's
    ``escape`` is ``html.escape``), a third of the table's time."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


@register.simple_tag
def table_html(table: Table, export_base: str = "") -> SafeString:
    """``monitoring/table.html`` written directly, the same markup to the byte (a test compares them): a dashboard
    has a dozen tables and hundreds of cells, and the template's loops, tags and includes cost more than the rest
    of the page's rendering together."""
    title = _escape(table.title)
    head = "".join(
        f'<th scope="col"{NUMERIC_HEADER if column.numeric else ""}>{_escape(column.header)}</th>'
        for column in table.columns
    )
    opening = (
        f'<div class="table-responsive" tabindex="0" role="region" aria-label="{title}">\n'
        f'<table class="table table-sm monitoring-table">\n  <caption>{title}</caption>\n'
        f"  <thead><tr>{head}</tr></thead>\n  <tbody>\n    "
    )
    parts = [opening]
    statuses = table.statuses or [None] * len(table.rows)
    for row, status in zip(table.rows, statuses, strict=True):
        cells = []
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            text = _escape(cell(column, value, status))
            if index == 0:
                cells.append(f'<th scope="row">{text}</th>')
            elif column.numeric:
                cells.append(f'<td class="text-end text-nowrap">{text}</td>')
            elif column.kind == "wide":
                cells.append(f'<td class="cell-wide">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        parts.append(f"\n    <tr>{''.join(cells)}</tr>\n    ")
    if not table.rows:
        empty = "Nessun dato per i filtri scelti."
        parts.append(f'\n    <tr><td colspan="{len(table.columns)}" class="text-muted">{empty}</td></tr>\n    ')
    base, slug = _escape(export_base), _escape(table.slug)
    note = f"{_escape(table.note)} " if table.note else ""
    parts.append(
        "\n  </tbody>\n</table>\n</div>\n"
        f'<p class="small text-muted">{note}Scarica la tabella: '
        f'<a href="{base}&amp;tabella={slug}&amp;formato=csv" download>CSV</a> · '
        f'<a href="{base}&amp;tabella={slug}&amp;formato=xlsx" download>Excel</a></p>\n'
    )
    return mark_safe("".join(parts))  # noqa: S308  (every value above is escaped)

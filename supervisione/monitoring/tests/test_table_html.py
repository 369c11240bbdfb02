"""``table_html`` writes the same markup as ``monitoring/table.html``, to the byte, for every table of every dashboard
and for the edge cases (escaping, badges, empty tables, notes)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string

from supervisione.monitoring.tables import Column, Table
from supervisione.monitoring.templatetags.monitoring import table_html

from .conftest import Year
from .test_pages import PAGES

BASE = "/monitoraggio/ats/X/?anno=2026&periodo=s2"


def _template(table: Table, export_base: str) -> str:
    return render_to_string("monitoring/table.html", {"table": table, "export_base": export_base})


def test_it_writes_what_the_template_writes_for_edge_cases() -> None:
    columns = [
        Column('Gruppo <A1> & "altro"'),
        Column("Ore", "hours"),
        Column("Euro", "euro"),
        Column("%", "percent"),
        Column("Punteggio", "score"),
        Column("Incontri", "int"),
        Column("Stato", "status"),
        Column("Note", "wide"),
        Column("Dal", "date"),
    ]
    rows: list[list[Any]] = [
        ["D'Annunzio <b>", Decimal("12.5"), Decimal("1234.56"), 80, Decimal("62.5"), 1200, "A rischio", "a & b", None],
        ["", None, 0, None, None, 0, "", "", datetime.date(2026, 3, 1)],
    ]
    tables = [
        Table("gruppi", 'Titolo <con> & "virgolette"', columns, rows, ["at_risk", None], note="Nota <i> & co."),
        Table("vuota", "Vuota", columns[:3]),
        Table("senza-stati", "Senza stati", columns[:2], [["x", 1], ["y", Decimal("0.25")]]),
    ]
    for table in tables:
        for base in (BASE, "", '/a?b=<c>&d="e"'):
            assert table_html(table, base) == _template(table, base)


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_it_writes_what_the_template_writes_for_every_dashboard_table(
    persona: str, path: str, year: Year, on_today: datetime.date, client_for: Any
) -> None:
    url = path.format(supervisor=year.cal.supervisor.pk, marco=year.cal.marco.pk, group=year.cal.group.pk)
    response = client_for(persona).get(url)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    tables = [table for section in dashboard.sections for table in section.tables]
    assert tables
    base = f"{dashboard.url}?{dashboard.form.query()}"
    page = response.content.decode()
    for table in tables:
        expected = _template(table, base)
        assert table_html(table, base) == expected
        assert expected in page

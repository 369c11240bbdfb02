"""The wellbeing results in the half-yearly report and the dashboard's hours (issue 19.5), read back from the PDF
and the Word file: the waves closed within the period against the year's baseline, the objectives' status, the
same cells hidden as on the wellbeing results page, and a hidden cell's figure nowhere.

The year (``conftest.year``): the A1 group of Casarano had 2 h confirmed on 13/01, 10/02, 10/03, 14/04, 12/05 and
1 h of A2 on 19/02; the équipe 2 h on 12/03 and 11/06. Waves of 2026: the A1 group's baseline (6 answers at 50)
closes in January and its follow-up (6 at 25) in June; the équipe's baseline has 4 answers (hidden, with the A1
baseline as its complement) whose mean, 68.75, must never be printed; its follow-up (5 at 25) closes in June.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from supervisione.monitoring.wellbeing_results import hours_table, tenant_series
from supervisione.wellbeing.hours import hours_by_waves
from supervisione.wellbeing.models import Objective, Wave
from supervisione.wellbeing.tests import factories

from .conftest import Year
from .documents import prepared

BASE = "/monitoraggio/partenariati/POGGIARDO-114/"
D = datetime.date
HIDDEN_MEAN = ("68,8", "68.8", "68,7", "68.7")  # the équipe's baseline, (100 + 75 + 75 + 25) / 4


def _wave(year: Year, group: Any, round: int, opens: D, closes: D, scores: list[int]) -> Wave:
    wave = factories.wave(year.cal.world.partnership, group=group, round=round, opens_on=opens, closes_on=closes)
    factories.answers(wave, scores)
    wave.closed = True
    wave.save(update_fields=["closed"])
    return wave


@pytest.fixture
def waves(year: Year) -> list[Wave]:
    a1, equipe = year.cal.group, year.cal.equipe_group
    return [
        _wave(year, a1, 0, D(2026, 1, 5), D(2026, 1, 20), [50] * 6),
        _wave(year, a1, 1, D(2026, 6, 1), D(2026, 6, 20), [25] * 6),
        _wave(year, equipe, 0, D(2026, 1, 5), D(2026, 1, 20), [100, 75, 75, 25]),
        _wave(year, equipe, 1, D(2026, 6, 1), D(2026, 6, 20), [25] * 5),
    ]


def _objectives(year: Year) -> None:
    partnership = year.cal.world.partnership
    Objective.objects.create(
        partnership=partnership,
        title="Prevenire e contrastare il burn out",
        source="Piano Sociale di Zona",
        year=2026,
        scale_key="work",
        kind="share_falls",
    )
    Objective.objects.create(
        partnership=partnership,
        title="Burn-out legato agli utenti contenuto",
        year=2026,
        scale_key="client",
        kind="mean_at_most",
        target=Decimal(20),
    )


def _report(client: Any, period: str, fmt: str) -> bytes:
    return prepared(client, f"{BASE}relazione/?anno=2026&periodo={period}", fmt)


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _docx(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def test_the_half_year_report_compares_the_follow_up_with_the_baseline_and_hides_the_small_cell(
    year: Year, waves: list[Wave], on_today: D, client_for: Any
) -> None:
    _objectives(year)
    client = client_for("coordinator")
    text = _pdf_text(_report(client, "s1", "pdf"))
    assert "Benessere degli operatori" in text
    assert "2026: rilevazione iniziale e follow-up 1 a confronto, tutte le unità insieme." in text
    assert "Prevenire e contrastare il burn out" in text
    for figure in HIDDEN_MEAN:
        assert figure not in text
    paragraphs, tables = _docx(_report(client, "s1", "docx"))
    assert "Benessere degli operatori" in paragraphs
    change = next(table for table in tables if table[0][0] == "Scala")
    # All units pooled: 10 at the baseline (the complement hides the A1 cell, not the total), 11 at follow-up 1.
    work = next(row for row in change if row[0] == "Burnout legato al lavoro")
    assert work[1] == "10"
    assert work[4] == "11"
    assert work[5] == "25,0"
    objectives = next(table for table in tables if table[0][:2] == ["Anno", "Obiettivo"])
    statuses = {row[1]: row[7] for row in objectives[1:]}
    assert statuses == {  # the year was not over at the half-year's end: provisional
        "Prevenire e contrastare il burn out": "finora raggiunto",
        "Burn-out legato agli utenti contenuto": "finora non raggiunto",
    }
    cells = " ".join(cell for table in tables for row in table for cell in row)
    for figure in HIDDEN_MEAN:
        assert figure not in cells
        assert figure not in paragraphs


def test_a_half_year_without_a_closed_wave_says_so(year: Year, waves: list[Wave], on_today: D, client_for: Any) -> None:
    text = _pdf_text(_report(client_for("coordinator"), "s2", "pdf"))
    assert (
        "Nessuna rilevazione anonima sul burn-out (Copenhagen Burnout Inventory) si è chiusa nel periodo (secondo "
        "semestre (luglio-dicembre) 2026)" in text
    )


def test_an_objective_on_a_hidden_total_is_not_assessable_in_the_report(
    year: Year, on_today: D, client_for: Any
) -> None:
    """A single unit of 4 at the baseline: its column total is the cell itself, hidden; the objective cannot say
    whether it fell, and the report prints no figure of it."""
    a1 = year.cal.group
    _wave(year, a1, 0, D(2026, 1, 5), D(2026, 1, 20), [100, 75, 75, 25])
    _wave(year, a1, 1, D(2026, 6, 1), D(2026, 6, 20), [25] * 6)
    _objectives(year)
    paragraphs, tables = _docx(_report(client_for("coordinator"), "s1", "docx"))
    objectives = next(table for table in tables if table[0][:2] == ["Anno", "Obiettivo"])
    row = next(row for row in objectives if row[1] == "Prevenire e contrastare il burn out")
    assert row[7] == "non valutabile"
    assert row[8].startswith("rilevazione iniziale: totale non mostrato (meno di 5 risposte")
    assert row[5] == "\u2013"
    cells = " ".join(cell for table in tables for row in table for cell in row)
    for figure in HIDDEN_MEAN:
        assert figure not in cells
        assert figure not in paragraphs


def test_a_referent_who_does_not_read_the_results_gets_no_chapter(
    year: Year, waves: list[Wave], on_today: D, client_for: Any
) -> None:
    text = _pdf_text(_report(client_for("referent"), "s1", "pdf"))
    assert "Benessere degli operatori" not in text


def test_hours_received_before_each_wave(year: Year, waves: list[Wave]) -> None:
    a1_base, a1_follow, equipe_base, equipe_follow = waves
    hours = hours_by_waves(waves)
    # Before 05/01 nothing; before 01/06: A1 10 h + 1 h of A2 on the A1 group; the équipe 2 h (12/03).
    assert hours == {a1_base.pk: 0, a1_follow.pk: Decimal(11), equipe_base.pk: 0, equipe_follow.pk: Decimal(2)}
    whole = factories.wave(year.cal.world.partnership, round=0, opens_on=D(2026, 7, 1), closes_on=D(2026, 7, 9))
    assert hours_by_waves([whole]) == {whole.pk: Decimal(15)}


def test_the_dashboard_shows_the_hours_beside_the_shown_means(
    year: Year, waves: list[Wave], on_today: D, client_for: Any
) -> None:
    [series] = tenant_series(partnership_id=year.cal.world.partnership.pk)
    table = hours_table(series)
    rows = {(row[0], row[1]): row for row in table.rows}
    equipe = year.cal.equipe_group.name
    a1 = year.cal.group.name
    assert rows[(equipe, "Rilevazione iniziale")][2:6] == [0, None, None, None]
    assert "meno di 5 risposte" in str(rows[(equipe, "Rilevazione iniziale")][6])
    assert rows[(a1, "Follow-up 1")][2:4] == [Decimal(11), Decimal("25.0")]
    _objectives(year)
    page = client_for("coordinator").get(BASE, {"anno": "2026"}).content.decode()
    assert "Ore di supervisione ricevute e burn-out 2026" in page
    assert "Obiettivi sul burn-out: esito degli indicatori" in page
    assert '<span class="badge badge-status bg-success">finora raggiunto</span>' in page
    for figure in HIDDEN_MEAN:
        assert figure not in page


def test_a_half_year_with_the_baseline_alone_shows_it_once(
    year: Year, waves: list[Wave], on_today: D, client_for: Any
) -> None:
    """The baseline closed in January, the follow-up in June: a report of the first quarter has the baseline only."""
    paragraphs, tables = _docx(_report(client_for("coordinator"), "t1", "docx"))
    assert "2026: una sola rilevazione chiusa (rilevazione iniziale)." in paragraphs
    change = next(table for table in tables if table[0][0] == "Scala")
    assert change[0] == [
        "Scala",
        "Risposte, rilevazione iniziale",
        "Media, rilevazione iniziale",
        "Quota a 50 o più, rilevazione iniziale (%)",
        "Nota",
    ]

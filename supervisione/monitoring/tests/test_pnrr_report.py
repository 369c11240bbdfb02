"""The final report and the ReGiS extract of a PNRR project, read back from the files.

On the hand-computed year of ``conftest`` (POA 2026 of POGGIARDO-114, charged to the PNRR row of CUP
J81H22000130006, whose activities end on 30/06/2026), read on 01/10/2026, the project counts what was held up to
the end with a confirmed register:

- A1: 5 sessions of 2 h (13/01 to 12/05) = 10 h at 65 EUR = 650 EUR; A2: 1 h (19/02) at 60 = 60 EUR; A3: 2
  sessions of 2 h (12/03, 11/06) = 4 h at 70 = 280 EUR: 8 sessions, 15 h, 990 EUR accrued on 15,000 charged.
  A confirmed A1 session of 14/07, after the end, is not the project's.
- Planned for the project: the plan runs over 365 days, 181 of them to 30/06: A1 16 h -> 7.93, the A2 pool 15 h ->
  7.44, A3 6 h -> 2.98.
- People present at least once: Marco, Anna, Luca (A1, A2) and the educator Sara (A3): 4 of a target of 5 (80 %).
- LEPS on 01/10/2026: the A1 group, with 12 h held (the 14/07 session counts for its minimum, whoever pays) and 6 h
  in the calendar, is on track; the A3 équipe, 4 h held and 1 h to come against 6, is at risk (as in
  ``test_figures``).
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.funding.pnrr.queries import project_of
from supervisione.monitoring.pnrr_figures import project_figures
from supervisione.procurement.models import ContractFunding
from supervisione.testing.frozen import frozen
from supervisione.wellbeing import results as wellbeing_results
from supervisione.wellbeing.models import Wave
from supervisione.wellbeing.tests import factories as wellbeing_factories

from .conftest import Year
from .documents import prepared

CUP = "J81H22000130006"
TODAY = datetime.date(2026, 10, 1)
D = Decimal
DASH = "\u2013"  # an empty cell in the reports


PAGE = f"/partenariati/POGGIARDO-114/pnrr/{CUP}/relazione-finale/"


def _url(name: str, extension: str, cup: str = CUP) -> str:
    return reverse(f"monitoring:{name}", args=["POGGIARDO-114", cup, extension])


@pytest.fixture
def project(year: Year) -> Year:
    year.add(year.cal.group, datetime.date(2026, 7, 14))  # confirmed, charged to the CUP after the end
    ContractFunding.objects.filter(pk=year.cal.funding.pk).update(
        target_indicator="Operatori sociali supervisionati",
        target_value=5,
        closed_at=datetime.datetime(2026, 9, 15, 8, 0, tzinfo=datetime.UTC),
        closed_by=year.cal.world.coordinator,
    )
    return year


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@frozen(2026, 10, 1)
def test_the_figures_count_what_was_charged_up_to_the_end(project: Year) -> None:
    found = project_of(project.cal.world.partnership, CUP)
    assert found is not None
    data = project_figures(project.cal.world.partnership, found, TODAY)
    assert [(k.year, k.kind, k.sessions, k.delivered, k.planned) for k in data.kinds] == [
        (2026, "A1", 5, D(10), D("7.93")),
        (2026, "A2", 1, D(1), D("7.44")),
        (2026, "A3", 2, D(4), D("2.98")),
    ]
    assert (data.people, data.people_by_ambito, data.target_percent) == (4, [("Ambito di Casarano", 4)], 80)
    (money,) = data.money
    assert (money.charged, money.hours, money.accrued, money.residual) == (D(15000), D(15), D(990), D(14010))
    (leps,) = data.leps
    assert (leps.year, leps.as_of, leps.groups) == (2026, TODAY, 2)
    assert [(row.group.name, row.status) for row in leps.figures.leps_groups] == [
        ("Gruppo A1 Casarano", "on_track"),
        ("Équipe PUA Casarano", "at_risk"),
    ]
    assert data.start == datetime.date(2025, 2, 1)


@frozen(2026, 10, 1)
def test_the_pdf_and_the_word_file_carry_the_figures(project: Year, client_for: Any) -> None:
    content = prepared(client_for("coordinator"), PAGE, "pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for expected in (
        "Relazione finale del progetto PNRR · CUP J81H22000130006",
        "8 incontri svolti con registro confermato, 15 ore erogate su 18,35 pianificate",
        "Operatori sociali supervisionati: 4 persone supervisionate su un target di 5 (80 % del target)",
        "Imputato al CUP 15.000,00 €; maturato sulle ore erogate 990,00 €",
        "2026: 2 gruppi ed équipe con un minimo LEPS, 0 lo hanno raggiunto al 01/10/2026",
        "Fine ordinaria delle attività 30/06/2026",
        "Chiusura del progetto 15/09/2026 chiuso da",
        "Gruppo A1 Casarano",
        "si è chiusa nel periodo del progetto",
    ):
        assert expected in text, expected
    document = Document(io.BytesIO(prepared(client_for("referent"), PAGE, "docx")))
    paragraphs = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "6. Esiti sul benessere" in paragraphs
    money = next(table for table in document.tables if table.rows[0].cells[0].text == "Contratto")
    assert [cell.text for cell in money.rows[1].cells] == [
        "Supervisione Raggio di Sole",
        "B123456789",
        "20.000,00 €",
        "15.000,00 €",
        "15",
        "990,00 €",
        "14.010,00 €",
    ]
    hours = next(table for table in document.tables if table.rows[0].cells[0].text == "Anno")
    assert [cell.text for cell in hours.rows[1].cells] == [
        "2026",
        "A1 - gruppi monoprofessionali",
        "5",
        "7,93",
        "10",
        "126 %",
    ]


@frozen(2026, 10, 1)
def test_observers_read_counts_without_groups_or_names(project: Year, client_for: Any) -> None:
    text = _pdf_text(prepared(client_for("observer"), PAGE, "pdf"))
    assert "4 persone supervisionate" in text
    assert "Gruppo A1 Casarano" not in text
    assert "chiuso da" not in text
    assert str(project.cal.world.coordinator) not in text


@frozen(2026, 10, 1)
def test_the_regis_extract_marks_our_reading(project: Year, client_for: Any) -> None:
    response = client_for("coordinator").get(_url("pnrr_regis", "csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Sezione", "Voce", "Valore", "Unità", "Riferimento", "Campo ReGiS", "Tracciato"]
    assert {row[6] for row in rows[1:]} == {"nostra lettura, non ufficiale"}
    values = {(row[0], row[1], row[4][:14]): row[2] for row in rows[1:]}
    assert values[("Indicatori", "Operatori sociali supervisionati", "valore target")] == "5"
    assert values[("Indicatori", "Operatori sociali supervisionati", "valore consegu")] == "4"
    assert values[("Indicatori", "Ore di supervisione erogate", "su 18,35 ore p")] == "15"
    assert values[("Cronoprogramma", "Fine ordinaria delle attività", "")] == "30/06/2026"
    assert values[("Cronoprogramma", "Chiusura del progetto", "")] == "15/09/2026"
    assert values[("Spese", "Maturato sulle ore erogate", "CIG B123456789")] == "990,00"

    workbook = load_workbook(
        io.BytesIO(b"".join(client_for("referent").get(_url("pnrr_regis", "xlsx")).streaming_content))
    )
    sheet = workbook["ReGiS"]
    assert "nostra lettura del tracciato ReGiS" in str(sheet["A2"].value)
    found = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert found[("Spese", "Imputato al CUP")] == 15000
    assert found[("Cronoprogramma", "Avvio delle attività")] == datetime.datetime(2025, 2, 1)  # noqa: DTZ001  (openpyxl reads a date as a naive datetime)
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)


@frozen(2026, 10, 1)
def test_it_answers_by_role(project: Year, client_for: Any) -> None:
    for url, allowed in ((PAGE, 200), (_url("pnrr_final_report", "pdf"), 302), (_url("pnrr_regis", "csv"), 200)):
        statuses = {
            persona: client_for(persona).get(url).status_code
            for persona in ("coordinator", "referent", "observer", "supervisor", "outsider")
        }
        assert statuses == {
            "coordinator": allowed,
            "referent": allowed,
            "observer": allowed,
            "supervisor": 403,
            "outsider": 404,
        }
    assert client_for("coordinator").get(_url("pnrr_final_report", "docx"))["Location"] == PAGE
    assert client_for("coordinator").get(_url("pnrr_regis", "xlsx", "J81H22000139999")).status_code == 404
    assert client_for(None).get(_url("pnrr_regis", "xlsx")).status_code == 302


@frozen(2026, 10, 1)
def test_the_figures_take_a_fixed_number_of_queries(project: Year) -> None:
    partnership = project.cal.world.partnership

    def count() -> int:
        found = project_of(partnership, CUP)
        assert found is not None
        with CaptureQueriesContext(connection) as queries:
            project_figures(partnership, found, TODAY)
        return len(queries)

    before = count()
    for day in (3, 4, 5, 6):  # more sessions, people and an ATS
        project.add(project.cal.equipe_group, datetime.date(2026, 5, day), kind="A3", start=datetime.time(14))
    project.add(project.cal.group, datetime.date(2026, 2, 24), 1, kind="A2", supervisee=project.cal.anna)
    assert count() == before


@frozen(2026, 10, 1)
def test_an_exception_takes_the_project_to_its_date(project: Year, client_for: Any) -> None:
    """With an exception to 31/07/2026 the session of 14/07 is the project's: 6 A1 sessions, 12 h."""
    ContractFunding.objects.filter(pk=project.cal.funding.pk).update(
        exception_end=datetime.date(2026, 7, 31), exception_act="Nota del Ministero n. 12 del 10/06/2026"
    )
    found = project_of(project.cal.world.partnership, CUP)
    assert found is not None
    data = project_figures(project.cal.world.partnership, found, TODAY)
    assert next((k.kind, k.sessions, k.delivered) for k in data.kinds) == ("A1", 6, D(12))
    response = client_for("coordinator").get(_url("pnrr_regis", "csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    (exception,) = [row for row in rows if row[1] == "Fine in deroga"]
    assert (exception[2], exception[4]) == ("31/07/2026", "Nota del Ministero n. 12 del 10/06/2026")


def _wellbeing_units(project: Year, follow_up: dict[str, list[int]]) -> Wave:
    """Adriatico: 6 at baseline, a first follow-up, a second closed after the end of the activities (not the
    project's); Ionio: 7 at baseline, a first follow-up when given."""
    partnership = project.cal.world.partnership
    later: dict[str, Any] = {
        "opens_on": datetime.date(2025, 9, 1),
        "closes_on": datetime.date(2025, 9, 30),
        "closed": True,
    }
    after: dict[str, Any] = {
        "opens_on": datetime.date(2025, 12, 1),
        "closes_on": datetime.date(2026, 9, 30),
        "closed": True,
    }
    waves = []
    for name, baseline in (("Gruppo Adriatico", [75] * 6), ("Gruppo Ionio", [25] * 7)):
        group = wellbeing_factories.group(partnership, name)
        wave = wellbeing_factories.wave(partnership, group=group, closed=True)
        wellbeing_factories.answers(wave, baseline)
        waves.append(wave)
        if follow_up.get(name):
            wave = wellbeing_factories.wave(partnership, group=group, round=1, **later)
            wellbeing_factories.answers(wave, follow_up[name])
    wellbeing_factories.answers(wellbeing_factories.wave(partnership, group=waves[0].group, round=2, **after), [25] * 6)
    return waves[0]


def _wellbeing_table(client: Any) -> list[list[str]]:
    document = Document(io.BytesIO(prepared(client, PAGE, "docx")))
    table = next(table for table in document.tables if table.rows[0].cells[0].text == "Scala")
    return [[cell.text for cell in row.cells] for row in table.rows]


@frozen(2026, 10, 1)
def test_the_wellbeing_chapter_compares_baseline_and_last_follow_up_in_the_period(
    project: Year, client_for: Any
) -> None:
    """Ionio's follow-up (3) is hidden and Adriatico's (5) with it; the round's total (8) is shown, as on the page."""
    first = _wellbeing_units(project, {"Gruppo Adriatico": [50] * 5, "Gruppo Ionio": [50] * 3})
    page = wellbeing_results.tenant_table(wellbeing_results.tenant_waves(first))
    assert [cell.hidden for cell in page.totals] == [False, False, False]
    rows = _wellbeing_table(client_for("coordinator"))
    assert rows[0][1] == "Risposte, rilevazione iniziale"
    assert rows[0][4] == "Risposte, follow-up 1"  # not the second, closed after the end
    # Personal burn-out at baseline: (6 x 75 + 7 x 25) / 13 = 48.1, 6 of 13 at 50 or more; then 8 at 50.
    assert rows[1] == ["Burnout personale", "13", "48,1", "46 %", "8", "50,0", "100 %", DASH]
    client = client_for("coordinator")
    text = _pdf_text(prepared(client, PAGE, "pdf"))
    assert "2025: rilevazione iniziale e follow-up 1 a confronto, tutte le unità insieme." in text
    assert "Burnout personale 13 48,1 46 % 8 50,0 100 %" in text


@frozen(2026, 10, 1)
def test_the_wellbeing_chapter_hides_what_the_wellbeing_page_hides(project: Year, client_for: Any) -> None:
    """Adriatico's follow-up (4) is alone in its round: the page hides the round's total, and another total so
    that the grand total does not give it away; the report hides both."""
    first = _wellbeing_units(project, {"Gruppo Adriatico": [50] * 4})
    page = wellbeing_results.tenant_table(wellbeing_results.tenant_waves(first))
    hidden = [cell.hidden for cell in page.totals]
    assert hidden[:2] == [True, True]
    rows = _wellbeing_table(client_for("coordinator"))
    assert rows[1] == [
        "Burnout personale",
        *[DASH] * 6,
        "Rilevazione iniziale: non mostrato; Follow-up 1: non mostrato",
    ]
    text = _pdf_text(prepared(client_for("coordinator"), PAGE, "pdf"))
    assert "Burnout personale" in text
    assert "13 48,1" not in text


@frozen(2026, 10, 1)
def test_a_wave_closed_after_the_end_is_not_the_projects(project: Year, client_for: Any) -> None:
    partnership = project.cal.world.partnership
    late: dict[str, Any] = {
        "opens_on": datetime.date(2026, 7, 1),
        "closes_on": datetime.date(2026, 7, 31),
        "closed": True,
    }
    wave = wellbeing_factories.wave(partnership, group=wellbeing_factories.group(partnership, year=2026), **late)
    wellbeing_factories.answers(wave, [50] * 8)
    text = _pdf_text(prepared(client_for("coordinator"), PAGE, "pdf"))
    assert (
        "Nessuna rilevazione anonima sul burn-out (Copenhagen Burnout Inventory) del partenariato si è chiusa" in text
    )

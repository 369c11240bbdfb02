"""Exports read back: tables as CSV and XLSX, the half-yearly report as PDF and Word, the POA-layout monitoring,
the PNRR evidence pack and its manifest."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import docx
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.planning.models import A2Transfer

from .conftest import Year
from .documents import prepared

BASE = "/monitoraggio/partenariati/POGGIARDO-114/"


def _csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_it_exports_every_table_as_csv_with_italian_numbers(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    response = client.get(BASE, {"anno": "2026", "tabella": "gruppi", "formato": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="monitoraggio-poggiardo-114-2026-gruppi.csv"'
    rows = _csv(response.getvalue())
    assert rows[0][:6] == ["Gruppo o équipe", "Tipo", "Partecipanti", "Minimo LEPS", "Pianificate", "Erogate"]
    assert rows[1][:6] == ["Gruppo A1 Casarano", "A1", "3", "16", "16", "10"]
    assert rows[1][8] == "a rischio"
    spending = _csv(client.get(BASE, {"tabella": "spesa", "formato": "csv"}).getvalue())
    assert spending[1][1:5] == ["15000,00", "2360,00", "990,00", "990,00"]
    people = _csv(client.get(BASE, {"tabella": "persone", "formato": "csv"}).getvalue())
    assert ["Rizzo", "Anna", "Ambito di Casarano", "14", "10", "71,4", "no"] in people
    # Every table the page shows can be downloaded; an unknown one is not found.
    assert client.get(BASE, {"tabella": "nessuna", "formato": "csv"}).status_code == 404
    assert client.get(BASE, {"tabella": "gruppi", "formato": "pdf"}).status_code == 404
    # Observers never get a table of names.
    observer = client_for("observer")
    assert observer.get(BASE, {"tabella": "persone", "formato": "csv"}).status_code == 404


def test_it_exports_xlsx_with_numbers_as_numbers_and_dates_as_dates(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    response = client.get(BASE, {"tabella": "ore", "formato": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    assert sheet["A1"].value.startswith("Ore per tipo di supervisione")
    assert [cell.value for cell in sheet[2]][:5] == [
        "Tipo",
        "Minimo LEPS (anno)",
        "Pianificate (anno)",
        "Pianificate nel periodo",
        "Erogate",
    ]
    assert [cell.value for cell in sheet[3]][:5] == ["A1 - gruppi monoprofessionali", 16, 16, 16, 10]
    assert [cell.value for cell in sheet[7]][:5] == ["Totale", 37, 37, 37, 15]
    # A transfer's date is a date cell.
    A2Transfer.objects.create(source=year.cal.group, target=year.cal.equipe_group, hours=Decimal(2), reason="Prova")
    transfers = load_workbook(io.BytesIO(client.get(BASE, {"tabella": "spostamenti", "formato": "xlsx"}).getvalue()))
    row = list(transfers.active[3])  # type: ignore[index]  # an export has its sheet
    assert isinstance(row[0].value, datetime.datetime)
    assert row[0].number_format == "DD/MM/YYYY"
    assert row[3].value == 2


def test_it_writes_the_half_yearly_report_as_pdf_and_word(year: Year, on_today: datetime.date, client_for: Any) -> None:
    client = client_for("coordinator")
    pdf = prepared(client, f"{BASE}relazione/?anno=2026&periodo=s1", "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        "Relazione al Coordinamento Istituzionale",
        "Stato di attuazione",
        "Conformità LEPS",
        "Copertura",
        "Spesa per fonte",
        "Prossimi passi",
        "Primo semestre",
    ):
        assert expected in text, expected
    assert "Verdi" not in text
    assert "Rizzo" not in text
    assert "<span" not in text  # statuses in words, not the page's HTML badge
    assert "badge" not in text
    word = prepared(client, f"{BASE}relazione/?anno=2026", "docx")
    document = docx.Document(io.BytesIO(word))
    paragraphs = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Prossimi passi" in paragraphs
    assert "Équipe PUA Casarano: programmare almeno 1 ora in più entro il 31/12/2026." in paragraphs
    assert "1 persona è sotto l'80 % delle ore previste: senza recupero non otterrà" in paragraphs
    groups = document.tables[1]
    assert groups.rows[1].cells[0].text == "Gruppo A1 Casarano"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert not [text for text in cells if "<" in text], "raw HTML in a Word cell"
    status = [cell.text for cell in groups.columns[[c.text for c in groups.rows[0].cells].index("Stato")].cells]
    assert set(status[1:]) <= {"raggiunto", "in linea", "a rischio", "in ritardo", "\u2013"}, status
    assert client.post(f"{BASE}relazione/", {"formato": "odt"}).status_code == 400


def test_it_writes_the_monitoring_in_the_poa_layout(year: Year, on_today: datetime.date, client_for: Any) -> None:
    response = client_for("coordinator").get(f"/monitoraggio/piani/{year.plan.pk}/poa.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Monitoraggio del POA 2026: realizzato rispetto al pianificato"
    dates = [row[1] for row in values if row[0] == "Dati al"]
    assert [str(day)[:10] for day in dates] == ["2026-10-01"]
    a1 = next(row for row in values if row[0] == "Gruppo A1 Casarano" and row[5] is not None and row[2] == 16)
    assert a1[:8] == ["Gruppo A1 Casarano", 3, 16, 16, 10, -6, 63, "a rischio"]
    costs = next(row for row in values if row[0] and str(row[0]).startswith("PNRR"))
    assert costs[1:5] == [2360, 990, -1370, 15000]

"""Exports read back: tables as CSV and XLSX, the half-yearly report as PDF and Word, the POA-layout monitoring,
the PNRR evidence pack and its manifest."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.planning.models import A2Transfer
from supervisione.sessions.actions.registers import issue_register_document
from supervisione.sessions.models import SignedScan

from .conftest import Year

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
    pdf = client.get(f"{BASE}relazione/", {"anno": "2026", "periodo": "s1", "formato": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
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
    word = client.get(f"{BASE}relazione/", {"anno": "2026", "formato": "docx"})
    document = docx.Document(io.BytesIO(word.getvalue()))
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
    assert client.get(f"{BASE}relazione/", {"formato": "odt"}).status_code == 404


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


@pytest.fixture
def documents(year: Year, settings: Any) -> Year:
    """The final register of 13/01 issued and a signed scan of 10/02 uploaded."""
    january, february = year.sessions[0], year.sessions[1]
    issue_register_document(january, by=year.cal.world.supervisor)
    name = default_storage.save(f"fogli-firme/{february.pk}/scan.pdf", ContentFile(b"%PDF-1.4 firmato"))
    SignedScan.objects.create(
        session=february,
        file=name,
        original_name="foglio firme febbraio.pdf",
        content_type="application/pdf",
        size=16,
        sha256=hashlib.sha256(b"%PDF-1.4 firmato").hexdigest(),
    )
    return year


def _manifest(archive: zipfile.ZipFile) -> dict[str, tuple[int, str]]:
    rows = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8")[1:]), delimiter=";"))
    assert rows[0] == ["File", "Byte", "SHA-256"]
    return {row[0]: (int(row[1]), row[2]) for row in rows[1:] if row[1]}


def test_it_builds_the_evidence_pack_with_a_manifest_of_hashes(documents: Year, tmp_path: Path) -> None:
    output = tmp_path / "pacchetto.zip"
    out = io.StringIO()
    call_command(
        "evidence_pack",
        "--cup",
        "J81H22000130006",
        "--from",
        "2026-01-01",
        "--to",
        "31/03/2026",
        "-o",
        str(output),
        stdout=out,
    )
    assert "5 incontri" in out.getvalue()
    assert "4 incontri senza registro finale emesso" in out.getvalue()
    with zipfile.ZipFile(output) as archive:
        manifest = _manifest(archive)
        assert set(manifest) == set(archive.namelist()) - {"manifest.csv"}
        for name, (size, digest) in manifest.items():
            content = archive.read(name)
            assert (len(content), hashlib.sha256(content).hexdigest()) == (size, digest), name
        names = archive.namelist()
        registers = [name for name in names if name.startswith("registri/")]
        assert len(registers) == 1
        assert registers[0].startswith("registri/20260113-incontro-")
        assert [name for name in names if name.startswith("fogli-firmati/")] == [
            f"fogli-firmati/20260210-incontro-{documents.sessions[1].pk}-1-foglio-firme-febbraio.pdf"
        ]
        assert sorted(name for name in names if name.startswith("fogli-ore/")) == [
            "fogli-ore/longo-chiara-2026-01.pdf",
            "fogli-ore/longo-chiara-2026-02.pdf",
            "fogli-ore/longo-chiara-2026-03.pdf",
        ]
        indicators = dict(_csv(archive.read("indicatori.csv"))[1:])
        assert indicators["Assistenti sociali supervisionati"] == "3"
        assert indicators["Persone supervisionate (tutte le professioni)"] == "4"
        assert (indicators["Ore erogate A1 gruppo"], indicators["Ore erogate A2 individuale"]) == ("6", "1")
        assert (indicators["Ore erogate A3 équipe"], indicators["Incontri in totale"]) == ("2", "5")
        sessions = _csv(archive.read("incontri.csv"))
        assert len(sessions) == 6
        assert sessions[1][0] == "13/01/2026"
        contracts = _csv(archive.read("contratti.csv"))
        assert contracts[1][0] == "Supervisione Raggio di Sole"
        assert contracts[1][4] == "B123456789"


def test_it_refuses_a_wrong_cup_or_period_and_writes_nothing(year: Year, tmp_path: Path) -> None:
    output = tmp_path / "pacchetto.zip"
    with pytest.raises(CommandError, match="CUP non valido"):
        call_command("evidence_pack", "--cup", "XYZ", "--from", "2026-01-01", "--to", "2026-03-31", "-o", str(output))
    with pytest.raises(CommandError, match="viene prima"):
        call_command(
            "evidence_pack", "--cup", "J81H22000130006", "--from", "2026-03-01", "--to", "2026-01-31", "-o", str(output)
        )
    with pytest.raises(CommandError, match="Data non valida"):
        call_command(
            "evidence_pack", "--cup", "J81H22000130006", "--from", "ieri", "--to", "2026-01-31", "-o", str(output)
        )
    assert not output.exists()


def test_it_serves_the_evidence_pack_to_the_coordinator_from_the_form(
    documents: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    form = client.get(f"{BASE}pacchetto-pnrr/")
    assert form.status_code == 200
    assert b"J81H22000130006" in form.content
    wrong = client.get(f"{BASE}pacchetto-pnrr/", {"cup": "J81H22000130006", "start": "2026-03-31", "end": "2026-01-01"})
    assert wrong.status_code == 200
    assert "La data finale viene prima" in wrong.content.decode()
    response = client.get(
        f"{BASE}pacchetto-pnrr/", {"cup": "J81H22000130006", "start": "2026-01-01", "end": "2026-01-31"}
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as archive:
        assert len(_manifest(archive)) == len(archive.namelist()) - 1
        assert any(name.startswith("registri/") for name in archive.namelist())

"""The POA in the Multifondo layout: XLSX and PDF from the page, JSON/XLSX/PDF from ``manage.py export_poa``."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.planning import actions
from supervisione.planning.models import GroupKind, Plan
from supervisione.planning.tests import factories
from supervisione.testing.world import World


@pytest.fixture
def plan(world: World) -> Plan:
    plan = factories.ready_plan(world, social_workers={"PUG_MAGLIE": 9, "PUG_CASARANO": 8})
    equipe = plan.groups.get(kind=GroupKind.A3)
    equipe.planned_hours = Decimal(4)
    equipe.save(update_fields=["planned_hours"])
    return plan


def test_it_exports_an_xlsx_that_reads_back_with_every_section(plan: Plan, client_for: Any) -> None:
    response = client_for("coordinator").get(reverse("planning:plan_export", args=[plan.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="POA-2025-POGGIARDO-114-v1.xlsx"'
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == [
        "Intestazione",
        "Personale",
        "A1",
        "A2",
        "A3",
        "Supervisori",
        "Costi",
        "Per ATS",
        "Cronoprogramma",
        "Verifica",
    ]
    header = {row[0]: row[1] for row in workbook["Intestazione"].iter_rows(min_row=3, values_only=True)}
    assert header["Anno"] == 2025
    assert header["CUP"] == factories.CUP
    deadline = header["Da trasmettere entro"]
    assert isinstance(deadline, datetime.datetime)  # a date cell, read back as a naive datetime
    assert deadline.date() == datetime.date(2025, 3, 31)
    assert header["Assistenti sociali nel piano"] == 17
    a1 = list(workbook["A1"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2], row[3], row[4], row[5]) for row in a1] == [
        ("Gruppo A1 n. 1", 9, 16, 16, "Longo Chiara"),
        ("Gruppo A1 n. 2", 8, 16, 16, "Longo Chiara"),
    ]
    assert a1[0][8] == 1040  # 16 h x 65 EUR, a number the spreadsheet can add up
    a2 = list(workbook["A2"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[3], row[6]) for row in a2] == [
        ("Gruppo A1 n. 1", 9, 15, 900),
        ("Gruppo A1 n. 2", 8, 15, 900),
    ]
    a3 = list(workbook["A3"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[3], row[4]) for row in a3] == [("Équipe PUG_MAGLIE (Ambito di Maglie)", 6, 4)]
    staff = list(workbook["Personale"].iter_rows(min_row=2, values_only=True))
    assert ("Comune di Maglie", "Comune", "Tempo indeterminato", "Assistente sociale", 17, Decimal("17.00")) in [
        (*row[:5], Decimal(str(row[5])).quantize(Decimal("0.01"))) for row in staff
    ]
    costs = list(workbook["Costi"].iter_rows(min_row=2, values_only=True))
    assert costs[0][:3] == (f"PNRR M5C2 1.1.4 · CUP {factories.CUP}", 66, 4160)
    assert costs[-1][0] == "Totale"
    months = list(workbook["Cronoprogramma"].iter_rows(min_row=2, values_only=True))
    assert len(months) == 12
    assert months[0][0] == "Gennaio"
    checks = [row[1] for row in workbook["Verifica"].iter_rows(min_row=2, values_only=True)]
    assert "Équipe PUG_MAGLIE (Ambito di Maglie): 4 ore pianificate, il minimo LEPS è 6 (mancano 2 ore)." in checks


def test_the_xlsx_states_each_ats_part_adding_up_to_the_partnership(plan: Plan, client_for: Any) -> None:
    response = client_for("coordinator").get(reverse("planning:plan_export", args=[plan.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Per ATS"]
    assert "ripartito per numero di partecipanti" in sheet["A1"].value
    rows = list(sheet.iter_rows(min_row=4, max_row=7, values_only=True))
    # Group 1: 9 AS of Maglie; group 2: 8 of Casarano; the équipe of Maglie (4 h); 17 x 1 AS each, 65 EUR A1 rate.
    assert [(row[0], row[1], row[2], row[3], row[4], row[5]) for row in rows] == [
        ("Ambito di Casarano", "PUG_CASARANO", 8, 16, 15, 0),
        ("Ambito di Maglie", "PUG_MAGLIE", 9, 16, 15, 4),
        ("Ambito di Poggiardo", "PUG_POGGIARDO", 0, 0, 0, 0),
        ("Piano del partenariato", None, 17, 32, 30, 4),
    ]
    assert sum(Decimal(str(row[9])) for row in rows[:3]) == Decimal(str(rows[3][9])) == 4160
    sources = [row[:4] for row in sheet.iter_rows(min_row=9, values_only=True) if row[0]]
    assert sources[0] == ("ATS", "Fonte di finanziamento", "Ore", "Costo (EUR)")
    assert (
        "Piano del partenariato",
        f"PNRR M5C2 1.1.4 · CUP {factories.CUP}",
        66,
        4160,
    ) in sources


def test_the_json_part_of_each_ats_adds_up_and_a_referent_reads_only_his_own(plan: Plan, client_for: Any) -> None:
    def read(persona: str) -> dict[str, Any]:
        response = client_for(persona).get(reverse("planning:plan_export", args=[plan.pk, "json"]))
        data: dict[str, Any] = json.loads(response.getvalue())
        return data

    data = read("coordinator")
    split = data["per_ambito"]
    assert split["complete"] is True
    assert [part["ambito"] for part in split["parts"]] == ["PUG_CASARANO", "PUG_MAGLIE", "PUG_POGGIARDO"]
    assert sum(part["cost"] for part in split["parts"]) == split["total"]["cost"] == data["total_cost"] == 4160
    for kind in ("A1", "A2", "A3", "extra"):
        assert sum(part["hours"][kind] for part in split["parts"]) == split["total"]["hours"][kind]
    assert split["unassigned"] is None
    maglie = split["parts"][1]
    assert maglie["minimum"] == 16 + 15 + 6
    assert maglie["costs_by_source"][f"pnrr_114:{factories.CUP}"]["hours"] == 35
    # The referent of Maglie: his ATS's part only, and no total that would give away the others' by difference.
    mine = read("referent")["per_ambito"]
    assert [part["ambito"] for part in mine["parts"]] == ["PUG_MAGLIE"]
    assert (mine["complete"], mine["total"], mine["unassigned"]) == (False, None, None)
    assert "Sono indicate solo le parti degli ATS che puoi consultare." in mine["note"]


def test_it_exports_a_pdf_whose_text_has_the_plan(plan: Plan, client_for: Any) -> None:
    response = client_for("referent").get(reverse("planning:plan_export", args=[plan.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    text = " ".join(text.split())
    for expected in (
        "Piano Operativo Analitico (POA) 2025",
        "Versione non approvata",
        "A1 - gruppi monoprofessionali di assistenti sociali",
        "Gruppo A1 n. 1",
        "Longo Chiara",
        f"PNRR M5C2 1.1.4 · CUP {factories.CUP}",
        "mancano 2 ore",
        "Cronoprogramma indicativo",
        "9. Parte di ogni ATS",
        "Ambito di Maglie (PUG_MAGLIE)",
        "verificare i campi sul modulo",
    ):
        assert expected in text, expected


def test_it_exports_the_json_the_issue_asks_for_from_the_command(plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "poa.json"
    out = io.StringIO()
    call_command(
        "export_poa", "--partnership", "POGGIARDO-114", "--year", "2025", "--format", "json", "-o", target, stdout=out
    )
    assert "POA 2025 di Partenariato POGGIARDO-114, versione 1 (bozza)" in out.getvalue()
    data = json.loads(target.read_text())
    assert {
        "year",
        "partnership",
        "cup",
        "ambiti",
        "as_in_scope",
        "groups",
        "equipes",
        "hours",
        "supervisees_by_profession",
        "costs_by_source",
        "shortfalls",
    } <= set(data)
    assert (data["year"], data["partnership"], data["cup"]) == (2025, "POGGIARDO-114", factories.CUP)
    assert data["ambiti"] == ["PUG_CASARANO", "PUG_MAGLIE", "PUG_POGGIARDO"]
    assert (data["as_in_scope"], data["groups"], data["equipes"]) == (17, {"A1": 2, "A3": 1, "extra": 0}, 1)
    assert data["hours"] == {
        "A1": {"minimum": 32, "planned": 32},
        "A2": {"minimum": 30, "planned": 30},
        "A3": {"minimum": 6, "planned": 4},
        "extra": {"minimum": 0, "planned": 0},
    }
    assert data["supervisees_by_profession"] == {"assistente_sociale": 17, "educatore_professionale": 2}
    assert data["costs_by_source"][f"pnrr_114:{factories.CUP}"]["planned"] == 4160
    assert [item["kind"] for item in data["shortfalls"]] == ["hours_below_minimum"]
    assert data["shortfalls"][0]["required"] == 6


def test_it_exports_xlsx_and_pdf_files_and_a_given_version_from_the_command(
    world: World, plan: Plan, tmp_path: Path
) -> None:
    equipe = plan.groups.get(kind=GroupKind.A3)
    equipe.planned_hours = Decimal(6)
    equipe.save(update_fields=["planned_hours"])
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.new_version(plan, by=world.coordinator)
    for fmt in ("xlsx", "pdf"):
        target = tmp_path / f"poa.{fmt}"
        call_command(
            "export_poa",
            "--partnership",
            "POGGIARDO-114",
            "--year",
            "2025",
            "--format",
            fmt,
            "-o",
            target,
            "--plan-version",
            "1",
            stdout=io.StringIO(),
        )
        assert target.stat().st_size > 1000
    assert load_workbook(tmp_path / "poa.xlsx")["Intestazione"]["B5"].value == "Approvato"
    out = io.StringIO()
    call_command("export_poa", "--partnership", "POGGIARDO-114", "--year", "2025", "-o", "-", stdout=out)
    assert json.loads(out.getvalue())["version"] == 2  # without --plan-version: the version being worked on


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--partnership", "NESSUNO", "--year", "2025"], "Nessun partenariato con codice «NESSUNO»."),
        (["--ambito", "PUG_NESSUNO", "--year", "2025"], "Nessun ATS con codice «PUG_NESSUNO»."),
        (["--partnership", "POGGIARDO-114", "--year", "2019"], "non ha un POA 2019."),
        (["--partnership", "POGGIARDO-114", "--year", "2025", "--format", "pdf", "-o", "-"], "Sullo standard output"),
        (
            ["--partnership", "POGGIARDO-114", "--year", "2025", "-o", "/nessuna/cartella/poa.json"],
            "Non riesco a scrivere",
        ),
    ],
)
def test_it_explains_what_it_cannot_export(plan: Plan, arguments: list[str], message: str) -> None:
    if "-o" not in arguments:
        arguments = [*arguments, "-o", "-"]
    with pytest.raises(CommandError, match=message):
        call_command("export_poa", *arguments, stdout=io.StringIO())

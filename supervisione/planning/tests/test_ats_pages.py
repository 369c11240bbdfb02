"""The POA of each ATS and its filing on Multifondo through the HTTP client: who sees and changes what, the
exports read back, bad input refused in Italian with nothing changed, constant queries as groups grow."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.audit.models import AuditEntry
from supervisione.planning import actions
from supervisione.planning.ats_poa import split_plan
from supervisione.planning.models import Plan
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.testing.frozen import frozen
from supervisione.testing.world import PERSONAS, World

D = Decimal
PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
INVISIBLE = {"outsider", "nobody"}


def expect(ok: set[str], *, hidden: set[str] = INVISIBLE, code: int = 200) -> dict[str, int]:
    return {name: code if name in ok else 404 if name in hidden else 403 for name in PERSONA_NAMES}


@pytest.fixture
def plan(world: World) -> Plan:
    """16 AS (Casarano 9, Poggiardo 4, Maglie 3): group 2 has people of the three ATS; an équipe of Maglie."""
    factories.census_of(world, {"PUG_CASARANO": 9, "PUG_POGGIARDO": 4, "PUG_MAGLIE": 3}, equipes={"PUG_MAGLIE": 2})
    factories.contract(world)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    return plan


def _ats(plan: Plan, code: str = "PUG_MAGLIE") -> str:
    return reverse("planning:ats_poa", args=[plan.pk, code])


SEE_MAGLIE = set(PERSONA_NAMES) - INVISIBLE - {"supervisee"}  # the supervisee is of Casarano
EDIT_MAGLIE = {"admin", "coordinator", "referent"}
Url = Callable[[Plan], str]
PAGES: list[tuple[str, Url, dict[str, int]]] = [
    ("ats_poa_maglie", _ats, expect(SEE_MAGLIE, hidden=INVISIBLE | {"supervisee"})),
    (
        "ats_poa_casarano",
        lambda plan: _ats(plan, "PUG_CASARANO"),
        expect(set(PERSONA_NAMES) - INVISIBLE - {"referent"}, hidden=INVISIBLE | {"referent"}),
    ),
    (
        "ats_export_xlsx",
        lambda plan: reverse("planning:ats_poa_export", args=[plan.pk, "PUG_MAGLIE", "xlsx"]),
        expect(EDIT_MAGLIE, hidden=INVISIBLE | {"supervisee"}),
    ),
    (
        "ats_export_casarano",  # the PDF's rule is the same; rendering it is for the exports' test
        lambda plan: reverse("planning:ats_poa_export", args=[plan.pk, "PUG_CASARANO", "xlsx"]),
        expect({"admin", "coordinator"}, hidden=INVISIBLE | {"referent"}),
    ),
    (
        "filing",
        lambda _plan: reverse("planning:filing_detail", args=["PUG_MAGLIE", 2025]),
        expect(SEE_MAGLIE, hidden=INVISIBLE | {"supervisee"}),
    ),
    (
        "filing_edit",
        lambda _plan: reverse("planning:filing_edit", args=["PUG_MAGLIE", 2025]),
        expect(EDIT_MAGLIE, hidden=INVISIBLE | {"supervisee"}),
    ),
    (
        "partnership_filings",
        lambda _plan: reverse("planning:partnership_filings", args=["POGGIARDO-114"]),
        expect(set(PERSONA_NAMES) - INVISIBLE),
    ),
]


@pytest.mark.parametrize(("page", "url", "statuses"), PAGES, ids=[page for page, _url, _s in PAGES])
def test_each_persona_gets_what_its_role_allows(
    world: World, plan: Plan, client_for: Any, page: str, url: Url, statuses: dict[str, int]
) -> None:
    found = {persona: client_for(persona).get(url(plan)).status_code for persona in PERSONA_NAMES}
    assert found == statuses


def test_the_capofila_s_coordinator_sees_every_member_and_a_referent_only_its_ats(
    world: World, plan: Plan, client_for: Any
) -> None:
    url = reverse("planning:partnership_filings", args=["POGGIARDO-114"])
    coordinator = client_for("coordinator").get(url).content.decode()
    for name in ("Ambito di Poggiardo", "Ambito di Maglie", "Ambito di Casarano"):
        assert f"POA 2025 di {name}" in coordinator
    referent = client_for("referent").get(url).content.decode()
    assert "POA 2025 di Ambito di Maglie" in referent
    assert "Ambito di Casarano" not in referent
    plan_html = client_for("referent").get(plan.get_absolute_url()).content.decode()
    assert "POA di Ambito di Maglie" in plan_html
    assert "POA di Ambito di Casarano" not in plan_html
    coordinator_plan = client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    for name in ("Ambito di Poggiardo", "Ambito di Maglie", "Ambito di Casarano"):
        assert f"POA di {name}" in coordinator_plan


def test_the_ats_page_states_each_share_and_shows_names_only_to_those_who_may_read_them(
    world: World, plan: Plan, client_for: Any
) -> None:
    coordinator = client_for("coordinator").get(_ats(plan)).content.decode()
    assert "3 di 8 partecipanti: 37,5 %" in coordinator
    assert "3 di 3 partecipanti: 100 %" in coordinator
    assert "Cognome10 Nome10" in coordinator  # Maglie's first AS
    assert "1.147,50 €" in coordinator  # 390 + 337.50 + 420
    assert "scadenza non ancora fissata dal Ministero" in coordinator
    assert "il piano è in bozza e va trasmesso (entro il 31/03/2025)" in coordinator
    observer = client_for("observer").get(_ats(plan)).content.decode()
    assert "3 di 8 partecipanti: 37,5 %" in observer
    assert "Cognome" not in observer
    assert "Longo" not in observer
    assert "Esporta Excel" not in observer


def test_an_ats_alone_has_its_own_plan_as_its_poa(world: World, client_for: Any) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 4})
    plan = actions.create_plan(world.maglie, 2025, by=world.referent)
    html = client_for("referent").get(_ats(plan)).content.decode()
    assert "Ambito di Maglie ha un proprio piano: il POA dell'ATS è" in html
    assert f'href="{plan.get_absolute_url()}"' in html
    plan_html = client_for("referent").get(plan.get_absolute_url()).content.decode()
    assert "L'ATS ha un proprio piano: il suo POA è questo piano." in plan_html
    assert client_for("referent").get(_ats(plan, "PUG_CASARANO")).status_code == 404  # not in the plan
    assert client_for("coordinator").get(_ats(plan, "PUG_CASARANO")).status_code == 404


def test_the_exports_of_each_ats_read_back_and_add_up_to_the_partnership(
    world: World, plan: Plan, client_for: Any
) -> None:
    client = client_for("coordinator")
    totals = {"cost": D(0), "hours": D(0)}
    for code in ("PUG_CASARANO", "PUG_MAGLIE", "PUG_POGGIARDO"):
        response = client.get(reverse("planning:ats_poa_export", args=[plan.pk, code, "xlsx"]))
        assert response["Content-Disposition"] == f'attachment; filename="POA-2025-{code}-POGGIARDO-114-v1.xlsx"'
        workbook = load_workbook(io.BytesIO(response.getvalue()))
        assert workbook.sheetnames == [
            "Intestazione",
            "Personale",
            "A1",
            "A2",
            "A3",
            "Supervisori",
            "Costi",
            "Cronoprogramma",
            "Verifica",
        ]
        header = {row[0]: row[1] for row in workbook["Intestazione"].iter_rows(min_row=3, values_only=True)}
        assert header["Scadenza Multifondo"] == "scadenza non ancora fissata dal Ministero"
        costs = list(workbook["Costi"].iter_rows(min_row=2, values_only=True))
        assert costs[-1][0] == "Totale"
        totals["hours"] += D(str(costs[-1][1]))
        totals["cost"] += D(str(costs[-1][2]))
        if code == "PUG_MAGLIE":
            a1 = list(workbook["A1"].iter_rows(min_row=2, values_only=True))
            assert [(row[0], row[1], row[2], row[3], row[5], row[10]) for row in a1] == [
                ("Gruppo A1 n. 2", 3, 8, "3 di 8 partecipanti: 37,5 %", 6, 390)
            ]
            a2 = list(workbook["A2"].iter_rows(min_row=2, values_only=True))
            assert [(row[4], row[7]) for row in a2] == [(5.62, 337.5)]
    page = plan_page(plan)
    assert (totals["hours"], totals["cost"]) == (page.total_hours, page.total_cost)

    response = client.get(reverse("planning:ats_poa_export", args=[plan.pk, "PUG_CASARANO", "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    text = " ".join(text.split())
    for expected in (
        "Piano Operativo Analitico (POA) 2025 di Ambito di Casarano",
        "Versione non approvata",
        "1 di 8 partecipanti: 12,5 %",
        "8 di 8 partecipanti: 100 %",
        "2.182,50 €",
        "scadenza non ancora fissata dal Ministero",
        "metodo dei resti maggiori",
    ):
        assert expected in text, expected
    assert client.get(reverse("planning:ats_poa_export", args=[plan.pk, "PUG_CASARANO", "json"])).status_code == 404


@frozen(2025, 4, 2)
def test_a_filing_moves_through_the_page_and_refuses_bad_input_in_italian(
    world: World, plan: Plan, client_for: Any
) -> None:
    client = client_for("referent")
    url = reverse("planning:filing_status", args=["PUG_MAGLIE", 2025])
    page = client.get(reverse("planning:filing_detail", args=["PUG_MAGLIE", 2025])).content.decode()
    assert "Registra il nuovo stato" in page
    refused = [
        ({"status": "inviato", "on": "2025-04-01"}, "inviato non è tra quelle disponibili"),
        ({"status": "compilato", "on": "2025-04-03"}, "non può essere futura"),
        ({"status": "compilato", "on": "31/02/2025"}, "Inserisci una data valida"),
    ]
    for data, message in refused:
        response = client.post(url, {"lock_version": "0", **data})
        assert response.status_code == 200
        assert message in response.content.decode(), message
    response = client.post(url, {"status": "compilato", "on": "2025-04-01"})
    assert "La pagina è incompleta" in response.content.decode()
    assert not MultifondoFiling.objects.exists()

    response = client.post(url, {"lock_version": "0", "status": "compilato", "on": "2025-04-01"})
    assert response.status_code == 302
    filing = MultifondoFiling.objects.get()
    assert (filing.status, filing.status_on, filing.status_by, filing.lock_version) == (
        "compilato",
        datetime.date(2025, 4, 1),
        world.referent,
        1,
    )
    without_protocol = client.post(url, {"lock_version": "1", "status": "inviato", "on": "2025-04-02"})
    assert "Per registrare l&#x27;invio indica il numero di protocollo." in without_protocol.content.decode()
    stale = client.post(url, {"lock_version": "0", "status": "inviato", "on": "2025-04-02", "protocol": "MF-9"})
    assert "modificato da un altro utente" in stale.content.decode()
    assert MultifondoFiling.objects.get().status == "compilato"
    sent = client.post(url, {"lock_version": "1", "status": "inviato", "on": "2025-04-02", "protocol": "MF-9"})
    assert sent.status_code == 302
    assert MultifondoFiling.objects.get().protocol == "MF-9"
    detail = client.get(reverse("planning:filing_detail", args=["PUG_MAGLIE", 2025])).content.decode()
    assert "POA 2025 su Multifondo: inviato dal 02/04/2025" in detail  # the history
    assert "registrato da Referent" in detail
    observer = client_for("observer").get(reverse("planning:filing_detail", args=["PUG_MAGLIE", 2025]))
    assert "Referent" not in observer.content.decode()
    assert "Registra il nuovo stato" not in observer.content.decode()
    for persona in ("observer", "supervisor"):
        assert (
            client_for(persona).post(url, {"lock_version": "2", "status": "validato", "on": "2025-04-02"}).status_code
            == 403
        )
    assert MultifondoFiling.objects.get().status == "inviato"


@frozen(2025, 4, 2)
def test_the_protocol_and_the_start_declaration_are_edited_with_their_checks(
    world: World, plan: Plan, client_for: Any
) -> None:
    client = client_for("coordinator")
    url = reverse("planning:filing_edit", args=["PUG_MAGLIE", 2024])
    bad = client.post(url, {"start_declaration_protocol": "AVV-1", "note": "x"})
    assert "Indica la data della dichiarazione di avvio attività di cui dai il protocollo." in bad.content.decode()
    future = client.post(url, {"start_declaration_on": "2025-05-01"})
    assert "La data della dichiarazione non può essere futura." in future.content.decode()
    assert not MultifondoFiling.objects.exists()
    saved = client.post(url, {"start_declaration_on": "2024-02-10", "start_declaration_protocol": "AVV-1"})
    assert saved.status_code == 302
    filing = MultifondoFiling.objects.get()
    assert (filing.status, filing.start_declaration_on, filing.lock_version) == (
        "da_compilare",
        datetime.date(2024, 2, 10),
        1,
    )
    MultifondoFiling.objects.filter(pk=filing.pk).update(status=FilingStatus.SENT, protocol="MF-1")
    emptied = client.post(url, {"lock_version": "1", "protocol": "", "start_declaration_on": "2024-02-10"})
    assert "il protocollo dell&#x27;invio non si può togliere" in emptied.content.decode()
    assert MultifondoFiling.objects.get().protocol == "MF-1"
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(MultifondoFiling))
    assert list(entries.values_list("code", flat=True)) == ["planning.multifondofiling.created"]


def test_the_ats_page_reads_in_a_constant_number_of_queries_as_groups_grow(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 10, "PUG_CASARANO": 8}, equipes={"PUG_MAGLIE": 2})
    factories.contract(world)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    client = client_for("coordinator")
    client.get(_ats(plan))
    with django_assert_max_num_queries(40) as few:
        client.get(_ats(plan))
    small = plan.groups.count()
    factories.census_of(world, {"PUG_CASARANO": 60, "PUG_MAGLIE": 60}, equipes={"PUG_CASARANO": 3}, first_number=100)
    actions.delete_plan(plan, expected=plan.lock_version, by=world.coordinator)
    bigger = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    factories.assign_all(bigger, factories.supervisor(world, "Greco"))
    assert bigger.groups.count() >= 3 * small
    assert len(split_plan(plan_page(bigger)).part(world.maglie.pk).shares) > 3  # type: ignore[union-attr]  # Maglie has a part: asserted above
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(_ats(bigger)).content.decode()
    assert "Gruppo A1 n. 6" in page

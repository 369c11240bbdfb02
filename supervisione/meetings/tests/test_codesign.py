"""The sittings of a co-design table are meetings: recorded after the fact from the contract page («Registra una
seduta») or prepared to be convened, with the table's members as invitees; listed on the contract page through
the finder meetings registers; read by whoever reads the contract, 404 for everyone else."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.meetings import codesign
from supervisione.meetings.documents import minutes_docx, minutes_pdf
from supervisione.meetings.models import Meeting, MeetingStatus, Minutes
from supervisione.meetings.tests import factories
from supervisione.meetings.tests.demo_checks import pdf_text
from supervisione.procurement.codesign_sittings import record_sitting_url, table_sittings
from supervisione.procurement.models import CoDesignMember, CoDesignTable, Contract, Procedure
from supervisione.testing import factories as world_factories
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World

OPENED, APPROVED = datetime.date(2024, 10, 23), datetime.date(2025, 1, 14)


@pytest.fixture
def table(world: World) -> CoDesignTable:
    """Poggiardo's co-design table: the proposal approved on 14/01/2025; members: Maglie (which has an e-mail, under
    its referent's name), Casarano (no address) and the proposer (an e-mail)."""
    world.maglie.email = "udp@ambitomaglie.example.it"
    world.maglie.save(update_fields=["email"])
    world.casarano.email = world.casarano.pec = ""
    world.casarano.save(update_fields=["email", "pec"])
    proposer = world_factories.organisation(name="Raggio di Sole Onlus", email="progetti@raggio.example.it")
    contract = Contract.objects.create(
        partnership=world.partnership, title="Convenzione Raggio di Sole", procedure=Procedure.CO_DESIGN
    )
    made = CoDesignTable.objects.create(
        contract=contract,
        opened_on=OPENED,
        proposal_title="Supervisione per 56 assistenti sociali",
        proposer=proposer,
        proposal_approved_on=APPROVED,
    )
    CoDesignMember.objects.create(table=made, ambito=world.maglie, person_name="Paolo Greco", role="Referente")
    CoDesignMember.objects.create(table=made, ambito=world.casarano, role="Referente")
    CoDesignMember.objects.create(table=made, organisation=proposer, role="Proponente")
    return made


def url(table: CoDesignTable) -> str:
    return reverse("meetings:codesign_sitting_create", args=[table.contract_id])


def recorded_post(**fields: str) -> dict[str, str]:
    return {
        "held": "recorded",
        "title": "Tavolo di co-progettazione: seduta conclusiva",
        "date": "2025-01-14",
        "agenda": "Esame della proposta\nApprovazione della proposta",
        "modality": "in_presenza",
        "convened_by": "Il RUP della co-progettazione",
        **fields,
    }


@frozen(2026, 11, 10)
def test_it_records_a_past_sitting_with_the_members_present_and_the_approved_proposal(
    table: CoDesignTable, world: World, client_for: Any
) -> None:
    response = client_for("coordinator").post(url(table), recorded_post())
    meeting = Meeting.objects.get(codesign_table=table)
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert (meeting.status, meeting.start_time, meeting.end_time, meeting.place) == (
        MeetingStatus.RECORDED,
        None,
        None,
        "",
    )
    assert (meeting.partnership, meeting.ambito) == (world.partnership, None)
    invitees = {i.name: (i.ambito, i.email, i.attended) for i in meeting.invitees.all()}
    assert invitees == {
        "Paolo Greco": (world.maglie, "udp@ambitomaglie.example.it", True),
        "Raggio di Sole Onlus": (None, "progetti@raggio.example.it", True),
    }
    minutes = meeting.minutes
    assert not minutes.is_approved  # a draft to complete and approve
    assert minutes.others_present == world.casarano.name  # no address: among the others present
    decision = minutes.decisions.get()
    assert decision.text == "Approvata la proposta di Raggio di Sole Onlus: Supervisione per 56 assistenti sociali."
    assert decision.agenda_item == meeting.agenda_items.last()
    assert AuditEntry.objects.filter(code="meetings.meeting.created", object_id=str(meeting.pk)).exists()
    page = client_for("coordinator").get(meeting.get_absolute_url()).content.decode()
    assert "tenuta, registrata a posteriori" in page
    assert "Invia la convocazione" not in page
    assert "Lettera di convocazione" not in page
    assert table.contract.get_absolute_url() in page
    # The minutes, approved, read back without times or place.
    client_for("coordinator").post(
        reverse("meetings:minutes_approve", args=[meeting.pk]), {"lock_version": minutes.lock_version}
    )
    minutes = Minutes.objects.get(pk=minutes.pk)
    assert minutes.status == "approved"
    text = pdf_text(minutes_pdf(minutes))
    assert "Seduta registrata a posteriori" in text
    assert "dalle ore" not in text
    assert "Approvata la proposta di Raggio di Sole Onlus" in text
    assert minutes_docx(minutes)[:2] == b"PK"


@frozen(2026, 11, 10)
def test_it_prepares_a_future_sitting_to_convene_with_the_members_invited(
    table: CoDesignTable, world: World, client_for: Any
) -> None:
    client = client_for("coordinator")
    missing = client.post(url(table), recorded_post(held="convene", date="2026-12-01")).content.decode()
    assert "Indica l&#x27;ora di inizio." in missing
    assert "Indica almeno un firmatario." in missing
    assert "Per una riunione in presenza o mista indica il luogo." in missing
    assert not Meeting.objects.exists()
    response = client.post(
        url(table),
        recorded_post(
            held="convene",
            date="2026-12-01",
            title="Tavolo di co-progettazione: verifica",
            start_time="10:00",
            end_time="12:00",
            place="Ufficio di Piano di Poggiardo",
            signatory_lines="Il RUP | Lucia Martella",
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(codesign_table=table)
    assert meeting.status == MeetingStatus.DRAFT
    assert not Minutes.objects.filter(meeting=meeting).exists()
    assert {i.email for i in meeting.invitees.all()} == {"udp@ambitomaglie.example.it", "progetti@raggio.example.it"}
    assert not meeting.invitees.filter(attended=True).exists()
    client.post(reverse("meetings:convene", args=[meeting.pk]))
    assert len(mail.outbox) == 2
    assert "Tavolo di co-progettazione: verifica" in mail.outbox[0].subject


@frozen(2026, 11, 10)
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"date": "2024-10-01"}, "La seduta non può precedere l&#x27;apertura del tavolo (23/10/2024)."),
        ({"date": "2026-11-11"}, "Una seduta già tenuta non può avere una data futura."),
        ({"start_time": "10:00"}, "Indica entrambe le ore, o nessuna."),
        ({"held": ""}, "Scegli se la seduta si è già tenuta o si terrà."),
    ],
)
def test_it_refuses_a_wrong_sitting_and_changes_nothing(
    table: CoDesignTable, client_for: Any, fields: dict[str, str], error: str
) -> None:
    page = client_for("coordinator").post(url(table), recorded_post(**fields)).content.decode()
    assert error in page
    assert not Meeting.objects.exists()


@frozen(2026, 11, 10)
def test_a_recorded_sitting_is_never_convened_nor_cancelled(
    table: CoDesignTable, world: World, client_for: Any
) -> None:
    meeting = factories.sitting(table)
    factories.invitee(meeting, world.poggiardo)
    client = client_for("coordinator")
    client.post(reverse("meetings:convene", args=[meeting.pk]))
    client.post(reverse("meetings:cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.RECORDED
    assert mail.outbox == []
    assert client.get(reverse("meetings:letter", args=[meeting.pk])).status_code == 404
    # Its edit page asks for no times, place or signatory.
    edited = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "title": "Insediamento del tavolo",
            "date": "2024-10-23",
            "modality": "in_presenza",
            "convened_by": "Tavolo di co-progettazione",
            "agenda": "Insediamento",
            "lock_version": meeting.lock_version,
        },
    )
    assert edited.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Insediamento del tavolo"


# persona -> (the sitting's page, «Registra una seduta»): the contract's readers read it, its managers record;
# those who see the partnership but not its contracts get the contract's 403 on the form, 404 on the sitting.
EXPECTED = {
    "admin": (200, 200),
    "coordinator": (200, 200),
    "referent": (200, 403),  # Maglie's referent reads the partnership's contract, is not invited
    "supervisor": (404, 403),
    "supervisee": (404, 403),
    "observer": (404, 403),
    "national_observer": (404, 403),
    "outsider": (404, 404),
    "nobody": (404, 404),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_the_sittings_are_read_by_whoever_reads_the_contract(
    table: CoDesignTable, client_for: Any, persona: str
) -> None:
    meeting = factories.sitting(table)
    client = client_for(persona)
    detail = client.get(meeting.get_absolute_url()).status_code
    create = client.get(url(table)).status_code
    assert (detail, create) == EXPECTED[persona]
    contract_page = client.get(table.contract.get_absolute_url())
    if EXPECTED[persona][0] == 200:
        page = contract_page.content.decode()
        assert f'href="{meeting.get_absolute_url()}"' in page
        assert ("Registra una seduta" in page) == (EXPECTED[persona][1] == 200)
    else:
        assert contract_page.status_code in (403, 404)


def test_another_contracts_readers_do_not_read_the_sitting(world: World, client_for: Any) -> None:
    """Sittings of an ATS's own table: the referent of another ATS of the partnership gets 404."""
    contract = Contract.objects.create(ambito=world.casarano, title="Di Casarano", procedure=Procedure.CO_DESIGN)
    meeting = factories.sitting(CoDesignTable.objects.create(contract=contract, opened_on=OPENED))
    assert client_for("referent").get(meeting.get_absolute_url()).status_code == 404
    assert client_for("coordinator").get(meeting.get_absolute_url()).status_code == 200


def test_only_a_co_design_contract_with_a_table_records_sittings(world: World, client_for: Any) -> None:
    tender = Contract.objects.create(partnership=world.partnership, title="Gara", procedure=Procedure.MEPA)
    assert (
        client_for("coordinator").get(reverse("meetings:codesign_sitting_create", args=[tender.pk])).status_code == 404
    )
    untabled = Contract.objects.create(partnership=world.partnership, title="Senza", procedure=Procedure.CO_DESIGN)
    assert client_for("coordinator").get(url_for(untabled)).status_code == 404


def url_for(contract: Contract) -> str:
    return reverse("meetings:codesign_sitting_create", args=[contract.pk])


def test_the_finder_gives_the_sittings_in_date_order_in_one_query(
    table: CoDesignTable, django_assert_num_queries: Any
) -> None:
    final = factories.sitting(table, APPROVED, "Seduta conclusiva")
    factories.minutes(final)
    factories.sitting(table, OPENED, "Insediamento")
    with django_assert_num_queries(1):
        sittings = table_sittings(table)
    assert [(s.date, s.is_final, s.minutes) for s in sittings] == [
        (OPENED, False, "nessun verbale"),
        (APPROVED, True, "verbale in bozza"),
    ]
    assert record_sitting_url(table.contract) == url(table)
    assert sittings[1].url == final.get_absolute_url()


def test_members_sharing_an_address_are_invited_once(table: CoDesignTable, world: World) -> None:
    CoDesignMember.objects.create(table=table, ambito=world.maglie, person_name="Anna Bianchi", role="Referente")
    members = codesign.member_invitees(
        Meeting(codesign_table=table), list(table.members.select_related("ambito", "organisation")), present=True
    )
    assert [i.name for i in members.invitees] == ["Paolo Greco", "Raggio di Sole Onlus"]
    assert members.unreachable == [world.casarano.name, f"Anna Bianchi ({world.maglie.name}, Referente)"]

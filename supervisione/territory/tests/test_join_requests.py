"""An ATS joins a partnership only with its consent (or by an administrator's hand), one partnership at a time.

The attack of issue 13: as the coordinator of POGGIARDO-114, "aggiungi ATS" took PUG_SANSEVERO (of
SANSEVERO-114) and from then on its census. Now the coordinator only asks; the ATS answers.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.accounts.scopes import compute_scope
from supervisione.audit.models import AuditEntry
from supervisione.census.tests import factories as census_factories
from supervisione.territory.models import (
    Ambito,
    JoinRequest,
    JoinRequestStatus,
    Partnership,
    PartnershipMember,
)
from supervisione.testing.world import World

ADD = reverse("territory:member_add", args=["POGGIARDO-114"])


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _user(username: str, role: str, **where: Any) -> User:
    user = User.objects.create_user(username=username, first_name=username.title())
    RoleAssignment.objects.create(user=user, role=role, **where)
    return user


@pytest.fixture
def nuovo(world: World) -> Ambito:
    """An ATS of Puglia in no partnership, with its referent (``referente.nuovo``)."""
    ambito = Ambito.objects.create(code="PUG_NUOVO", name="Ambito Nuovo", region=world.puglia)
    _user("referente.nuovo", Role.REFERENT, ambito=ambito)
    return ambito


def _ask(client: Client, ambito: Ambito, joined_on: str = "2025-01-01", **extra: str) -> Any:
    return client.post(ADD, {"ambito": ambito.pk, "joined_on": joined_on, **extra})


def test_it_does_not_let_a_coordinator_annex_another_partnerships_ats(world: World, client_for: Any) -> None:
    campaign = census_factories.campaign(world.sansevero_partnership)
    client = client_for("coordinator")
    assert "Ambito Alto Tavoliere" in client.get(ADD).content.decode()  # may be asked, not taken
    page = _ask(client, world.sansevero).content.decode()
    assert not PartnershipMember.objects.filter(partnership=world.partnership, ambito=world.sansevero).exists()
    assert not JoinRequest.objects.exists()
    # The refusal names the other partnership and its period.
    assert (
        "fa già parte del partenariato Partenariato SANSEVERO-114 (SANSEVERO-114) dal 01/09/2022 al 31/12/2026" in page
    )
    assert client.get(reverse("territory:ambito_detail", args=["PUG_SANSEVERO"])).status_code == 404
    census_page = reverse("census:census_detail", args=[campaign.pk, "PUG_SANSEVERO"])
    assert client.get(census_page).status_code == 404
    assert world.sansevero.pk not in (compute_scope(world.coordinator).visible_ambito_ids or ())


def test_it_opens_nothing_until_the_ats_accepts_then_audits_both_sides(
    world: World, client_for: Any, nuovo: Ambito
) -> None:
    coordinator = client_for("coordinator")
    response = _ask(coordinator, nuovo, message="Delibera del Coordinamento n. 4")
    join_request = JoinRequest.objects.get(partnership=world.partnership, ambito=nuovo)
    assert response.status_code == 302
    assert response["Location"] == join_request.get_absolute_url()
    assert join_request.status == JoinRequestStatus.PENDING
    assert join_request.requested_by == world.coordinator
    assert not PartnershipMember.objects.filter(partnership=world.partnership, ambito=nuovo).exists()
    assert coordinator.get(reverse("territory:ambito_detail", args=["PUG_NUOVO"])).status_code == 404
    assert "Ambito Nuovo" in coordinator.get(world.partnership.get_absolute_url()).content.decode()

    referent = _login(User.objects.get(username="referente.nuovo"))
    home = referent.get(reverse("home:home")).content.decode()
    assert "Rispondi alla richiesta di adesione di Partenariato POGGIARDO-114" in home
    ambito_page = referent.get(reverse("territory:ambito_detail", args=["PUG_NUOVO"])).content.decode()
    assert join_request.get_absolute_url() in ambito_page
    request_page = referent.get(join_request.get_absolute_url()).content.decode()
    assert "Delibera del Coordinamento n. 4" in request_page
    assert "Accetta la richiesta" in request_page
    assert referent.post(reverse("territory:join_request_accept", args=[join_request.pk])).status_code == 302

    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED
    assert join_request.answered_by is not None
    assert join_request.answered_by.username == "referente.nuovo"
    member = PartnershipMember.objects.get(partnership=world.partnership, ambito=nuovo)
    assert member.joined_on == datetime.date(2025, 1, 1)
    assert coordinator.get(reverse("territory:ambito_detail", args=["PUG_NUOVO"])).status_code == 200
    entries = AuditEntry.objects.filter(partnership=world.partnership, ambito=nuovo)
    assert {(entry.action, entry.username) for entry in entries} >= {
        ("create", "coordinator"),  # the request
        ("update", "referente.nuovo"),  # its answer
        ("create", "referente.nuovo"),  # the membership
    }
    assert "Rispondi alla richiesta" not in referent.get(reverse("home:home")).content.decode()


def test_it_records_a_refusal_with_its_reason(world: World, client_for: Any, nuovo: Ambito) -> None:
    _ask(client_for("coordinator"), nuovo)
    join_request = JoinRequest.objects.get()
    referent = _login(User.objects.get(username="referente.nuovo"))
    url = reverse("territory:join_request_refuse", args=[join_request.pk])
    assert referent.post(url, {"note": "Il Coordinamento non ha deliberato"}).status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSED
    assert join_request.answer_note == "Il Coordinamento non ha deliberato"
    assert not PartnershipMember.objects.filter(ambito=nuovo).exists()
    assert AuditEntry.objects.filter(object_id=str(join_request.pk), action="update", username="referente.nuovo")
    page = client_for("coordinator").get(join_request.get_absolute_url()).content.decode()
    assert "Rifiutata" in page
    assert "Il Coordinamento non ha deliberato" in page
    # Once answered, it cannot be answered again.
    accept = referent.post(reverse("territory:join_request_accept", args=[join_request.pk]), follow=True)
    assert "La richiesta è già stata chiusa" in accept.content.decode()
    assert not PartnershipMember.objects.filter(ambito=nuovo).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", 403),  # asked; may not answer for the ATS it asked
        ("referent", 403),  # sees the partnership, answers only for Maglie
        ("supervisor", 403),
        ("supervisee", 403),
        ("observer", 403),
        ("national_observer", 403),
        ("outsider", 404),
        ("nobody", 404),
    ],
)
def test_it_lets_only_the_ats_answer(world: World, client_for: Any, nuovo: Ambito, persona: str, expected: int) -> None:
    _ask(client_for("coordinator"), nuovo)
    join_request = JoinRequest.objects.get()
    for action in ("join_request_accept", "join_request_refuse"):
        assert client_for(persona).post(reverse(f"territory:{action}", args=[join_request.pk])).status_code == expected
    assert client_for(persona).get(join_request.get_absolute_url()).status_code == (404 if expected == 404 else 200)
    join_request.refresh_from_db()
    assert join_request.is_pending
    assert not PartnershipMember.objects.filter(ambito=nuovo).exists()


def test_it_lets_the_coordinator_of_the_partnership_the_ats_leads_answer(
    world: World, client_for: Any, nuovo: Ambito
) -> None:
    led = Partnership.objects.create(
        code="NUOVO-114",
        name="Partenariato Nuovo",
        capofila=nuovo,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2024, 6, 30),
    )
    PartnershipMember.objects.create(partnership=led, ambito=nuovo)
    coordinator_of_led = _user("coordinatore.nuovo", Role.COORDINATOR, partnership=led)
    _ask(client_for("coordinator"), nuovo, joined_on="2024-07-01")
    join_request = JoinRequest.objects.get()
    answering = _login(coordinator_of_led)
    assert "Rispondi alla richiesta di adesione" in answering.get(reverse("home:home")).content.decode()
    assert answering.post(reverse("territory:join_request_accept", args=[join_request.pk])).status_code == 302
    assert PartnershipMember.objects.filter(partnership=world.partnership, ambito=nuovo).exists()
    # Its membership of the partnership that ended is closed on its last day, with an audit entry.
    old = PartnershipMember.objects.get(partnership=led, ambito=nuovo)
    assert old.left_on == datetime.date(2024, 6, 30)
    assert AuditEntry.objects.filter(object_id=str(old.pk), action="update", username="coordinatore.nuovo").exists()


def test_it_checks_the_overlap_again_when_the_ats_accepts(world: World, client_for: Any, nuovo: Ambito) -> None:
    _ask(client_for("coordinator"), nuovo)
    join_request = JoinRequest.objects.get()
    # Meanwhile an administrator puts the ATS in San Severo's partnership.
    add_sansevero = reverse("territory:member_add", args=["SANSEVERO-114"])
    assert client_for("admin").post(add_sansevero, {"ambito": nuovo.pk, "joined_on": "2023-01-01"}).status_code == 302
    referent = _login(User.objects.get(username="referente.nuovo"))
    page = referent.post(reverse("territory:join_request_accept", args=[join_request.pk]), follow=True)
    assert "fa già parte del partenariato Partenariato SANSEVERO-114" in page.content.decode()
    join_request.refresh_from_db()
    assert join_request.is_pending
    assert not PartnershipMember.objects.filter(partnership=world.partnership, ambito=nuovo).exists()


def test_it_refuses_an_overlap_to_administrators_too(world: World, client_for: Any) -> None:
    page = client_for("admin").post(ADD, {"ambito": world.sansevero.pk, "joined_on": "2025-01-01"}).content.decode()
    assert "fa già parte del partenariato Partenariato SANSEVERO-114" in page
    assert not PartnershipMember.objects.filter(partnership=world.partnership, ambito=world.sansevero).exists()


def test_it_refuses_a_day_outside_the_partnership_and_a_second_pending_request(
    world: World, client_for: Any, nuovo: Ambito
) -> None:
    client = client_for("coordinator")
    assert "successiva alla fine del partenariato (31/12/2026)" in _ask(client, nuovo, "2027-01-01").content.decode()
    assert "precede l&#x27;inizio del partenariato (01/09/2022)" in _ask(client, nuovo, "2020-01-01").content.decode()
    assert not JoinRequest.objects.exists()
    assert _ask(client, nuovo).status_code == 302
    assert "è già in attesa di risposta" in _ask(client, nuovo).content.decode()
    assert JoinRequest.objects.count() == 1


def test_it_lets_the_coordinator_withdraw_but_not_the_ats(world: World, client_for: Any, nuovo: Ambito) -> None:
    _ask(client_for("coordinator"), nuovo)
    join_request = JoinRequest.objects.get()
    url = reverse("territory:join_request_withdraw", args=[join_request.pk])
    assert _login(User.objects.get(username="referente.nuovo")).post(url).status_code == 403
    assert client_for("referent").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert client_for("coordinator").post(url).status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.WITHDRAWN


def test_it_never_shows_a_request_to_strangers(world: World, client_for: Any, nuovo: Ambito) -> None:
    _ask(client_for("coordinator"), nuovo)
    join_request = JoinRequest.objects.get()
    for persona in ("outsider", "nobody"):
        assert client_for(persona).get(join_request.get_absolute_url()).status_code == 404
    # Observers see the partnership's requests, not who made them.
    page = client_for("observer").get(join_request.get_absolute_url()).content.decode()
    assert "Ambito Nuovo" in page
    assert "Coordinator" not in page
    assert "Accetta la richiesta" not in page

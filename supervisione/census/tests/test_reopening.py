"""A validated census: its ATS's referent asks the coordinator to reopen it, by e-mail, recorded (issue 17.3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supervisione.audit.models import AuditEntry
from supervisione.census import reopening
from supervisione.census.actions import return_census
from supervisione.census.models import Census, CensusStatus
from supervisione.census.tests.factories import campaign, census_of
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World

BUTTON = "Chiedi di riaprire il censimento"


@pytest.fixture
def validated(world: World) -> Census:
    world.coordinator.email = "Coordinatore@Poggiardo.example.it"
    world.coordinator.save(update_fields=["email"])
    census = census_of(world)
    Census.objects.filter(pk=census.pk).update(
        status=CensusStatus.VALIDATED, submitted_at=timezone.now(), reviewed_at=timezone.now()
    )
    census.refresh_from_db()
    return census


def ask_url(census: Census) -> str:
    return reverse("census:census_ask_reopen", args=[census.campaign_id, census.ambito.code])


def requests_of(census: Census) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(code=reopening.REOPEN_REQUESTED, object_id=str(census.pk)))


@frozen(2024, 11, 12)
def test_the_referent_asks_to_reopen_and_the_coordinators_get_an_email_recorded_in_the_log(
    validated: Census, world: World, client_for: Any
) -> None:
    client = client_for("referent")
    page = client.get(validated.get_absolute_url()).content.decode()
    assert BUTTON in page
    assert "Il censimento validato è in sola lettura" in page
    response = client.post(ask_url(validated), {"note": "Due nuove assistenti sociali da novembre."}, follow=True)
    page = response.content.decode()
    assert "Richiesta di riapertura inviata al coordinatore: coordinatore@poggiardo.example.it" in page
    [message] = mail.outbox
    assert message.to == ["coordinatore@poggiardo.example.it"]
    assert message.subject == "Richiesta di riapertura: censimento «Ricognizione 2024» - Ambito di Maglie"
    assert "referente di Ambito di Maglie, chiede di riaprire il censimento" in message.body
    assert "Due nuove assistenti sociali da novembre." in message.body
    assert f"http://testserver{validated.get_absolute_url()}" in message.body
    [entry] = requests_of(validated)
    assert entry.user == world.referent
    assert entry.message == (
        "Chiesta la riapertura del censimento a coordinatore@poggiardo.example.it: "
        "Due nuove assistenti sociali da novembre."
    )
    # Asked once: the page says so instead of offering the button again.
    assert BUTTON not in page
    assert "ha chiesto di riaprire il censimento il 12/11/2024" in page


@frozen(2024, 11, 12)
def test_the_coordinator_sees_the_request_until_the_census_is_returned(
    validated: Census, world: World, client_for: Any
) -> None:
    client_for("referent").post(ask_url(validated), {"note": ""})
    coordinator = client_for("coordinator")
    assert "Riapri il censimento di Ambito di Maglie" in coordinator.get(reverse("home:home")).content.decode()
    page = coordinator.get(validated.get_absolute_url()).content.decode()
    assert "Restituiscilo per correzioni" in page
    assert BUTTON not in page  # the coordinator reopens, never asks
    return_census(validated, "Aggiornate le nuove assunzioni.", by=world.coordinator)
    assert "Riapri il censimento" not in coordinator.get(reverse("home:home")).content.decode()


@frozen(2024, 11, 12)
def test_a_new_campaign_answers_the_request(validated: Census, world: World, client_for: Any) -> None:
    client_for("referent").post(ask_url(validated), {"note": ""})
    assert [r.census for r in reopening.pending_in({world.partnership.pk})] == [validated]
    campaign(world.partnership, title="Ricognizione 2025")
    assert reopening.pending_in({world.partnership.pk}) == []
    assert "Riapri il censimento" not in client_for("coordinator").get(reverse("home:home")).content.decode()


@frozen(2024, 11, 12)
def test_only_a_validated_census_may_be_asked_and_only_with_someone_to_write_to(
    validated: Census, world: World, client_for: Any
) -> None:
    world.coordinator.email = ""
    world.coordinator.save(update_fields=["email"])
    page = client_for("referent").post(ask_url(validated), follow=True).content.decode()
    assert "Nessun coordinatore del partenariato Partenariato POGGIARDO-114 ha un indirizzo e-mail" in page
    Census.objects.filter(pk=validated.pk).update(status=CensusStatus.SUBMITTED)
    page = client_for("referent").post(ask_url(validated), follow=True).content.decode()
    assert "solo un censimento validato si chiede di riaprire" in page
    assert mail.outbox == []
    assert requests_of(validated) == []


@pytest.mark.parametrize(
    ("persona", "status"), [("coordinator", 403), ("observer", 403), ("supervisee", 404), ("outsider", 404)]
)
@frozen(2024, 11, 12)
def test_only_the_referent_of_that_ats_may_ask(validated: Census, client_for: Any, persona: str, status: int) -> None:
    assert client_for(persona).post(ask_url(validated)).status_code == status
    assert mail.outbox == []
    assert requests_of(validated) == []


@frozen(2024, 11, 12)
def test_the_referent_of_another_ats_of_the_partnership_may_not_ask(
    world: World, validated: Census, client_for: Any
) -> None:
    other = Census.objects.get(campaign=validated.campaign, ambito=world.casarano)
    Census.objects.filter(pk=other.pk).update(status=CensusStatus.VALIDATED, submitted_at=timezone.now())
    response = client_for("referent").post(ask_url(other))
    assert response.status_code in (403, 404)
    assert requests_of(other) == []

"""The coordinator's "Sollecita" on a late census: an e-mail to whoever answers for the ATS, recorded (issue 17.5)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from supervisione.audit.models import AuditEntry
from supervisione.census import reminders
from supervisione.census.models import Census, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.census.tests.factories import census_of
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World

LATE = datetime.date(2024, 10, 31)


@pytest.fixture
def late(world: World) -> Census:
    world.referent.email = "Referente.Maglie@example.it"
    world.referent.save(update_fields=["email"])
    return census_of(world, deadline=LATE)


def remind_url(census: Census) -> str:
    return reverse("census:census_remind", args=[census.campaign_id, census.ambito.code])


def reminded(census: Census) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(code=reminders.REMINDED, object_id=str(census.pk)))


@frozen(2024, 11, 12)
def test_the_coordinator_reminds_a_late_ats_by_email_and_it_is_recorded(
    late: Census, world: World, client_for: Any
) -> None:
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=LATE)
    ReferentDesignation.objects.create(
        request=request,
        ambito=world.maglie,
        full_name="Anna Neri",
        email="anna.neri@example.it",
        act_date=datetime.date(2024, 9, 1),
        answered_on=datetime.date(2024, 9, 2),
    )
    client = client_for("coordinator")
    response = client.post(remind_url(late), follow=True)
    page = response.content.decode()
    assert "Sollecito inviato a Ambito di Maglie" in page
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # The referent's account, the designated referent and the ATS's own address, once each.
    assert message.to == ["anna.neri@example.it", "pug_maglie@example.it", "referente.maglie@example.it"]
    assert message.subject == "Sollecito: censimento del personale «Ricognizione 2024» - Ambito di Maglie"
    assert "era da trasmettere entro il 31/10/2024 e non risulta ancora trasmesso" in message.body
    assert f"http://testserver{late.get_absolute_url()}" in message.body
    [entry] = reminded(late)
    assert entry.user == world.coordinator
    assert entry.message.startswith("Sollecito inviato a anna.neri@example.it")
    assert "ultimo sollecito 12/11/2024" in page


@frozen(2024, 11, 12)
def test_without_any_address_it_says_what_to_do_and_sends_nothing(late: Census, world: World, client_for: Any) -> None:
    world.referent.email = ""
    world.referent.save(update_fields=["email"])
    world.maglie.email = ""
    world.maglie.save(update_fields=["email"])
    page = client_for("coordinator").post(remind_url(late), follow=True).content.decode()
    assert "Nessun indirizzo a cui scrivere per Ambito di Maglie" in page
    assert mail.outbox == []
    assert reminded(late) == []


@frozen(2024, 11, 12)
def test_a_transmitted_census_needs_no_reminder(late: Census, client_for: Any) -> None:
    Census.objects.filter(pk=late.pk).update(status=CensusStatus.SUBMITTED, submitted_at=timezone.now())
    page = client_for("coordinator").post(remind_url(late), follow=True).content.decode()
    assert "non serve un sollecito" in page
    assert mail.outbox == []
    assert reminded(late) == []


@frozen(2024, 11, 12)
def test_a_reminder_that_cannot_be_sent_is_not_recorded(
    late: Census, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> int:
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(ConnectionRefusedError):
        client_for("coordinator").post(remind_url(late))
    assert reminded(late) == []


@pytest.mark.parametrize(("persona", "status"), [("referent", 403), ("observer", 403), ("outsider", 404)])
@frozen(2024, 11, 12)
def test_only_the_coordinator_may_remind(late: Census, client_for: Any, persona: str, status: int) -> None:
    assert client_for(persona).post(remind_url(late)).status_code == status
    assert mail.outbox == []
    assert reminded(late) == []


@frozen(2024, 11, 12)
def test_the_button_is_offered_to_the_coordinator_on_open_censuses_only(late: Census, client_for: Any) -> None:
    campaign_url = late.campaign.get_absolute_url()
    page = client_for("coordinator").get(campaign_url).content.decode()
    assert remind_url(late) in page
    assert client_for("coordinator").get(remind_url(late)).status_code == 405
    assert remind_url(late) not in client_for("referent").get(campaign_url).content.decode()
    Census.objects.filter(pk=late.pk).update(status=CensusStatus.VALIDATED, submitted_at=timezone.now())
    assert remind_url(late) not in client_for("coordinator").get(campaign_url).content.decode()

"""Waves from creation to closing: invitations with a personal single-use link, answers, reminders to those who
have not answered, the live response rate, and bad input that changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World
from supervisione.wellbeing.models import Answer, Comment, Invitation, Wave
from supervisione.wellbeing.tests import factories


def _link(message: mail.EmailMessage) -> str:
    line = next(line for line in message.body.splitlines() if "/benessere/questionario/" in line)
    return line.split("testserver", 1)[-1]


@frozen(2025, 1, 10)
def test_the_coordinator_creates_a_wave_for_a_group(world: World, client_for: Any) -> None:
    group = factories.group(world.partnership)
    response = client_for("coordinator").post(
        reverse("wellbeing:wave_create_partnership", args=[world.partnership.code]),
        {"instrument": "cbi-it", "group": group.pk, "round": "0", "opens_on": "13/01/2025", "closes_on": "14/02/2025"},
    )
    wave = Wave.objects.get()
    assert response.status_code == 302
    assert (wave.group, wave.instrument_key, wave.instrument_version, wave.created_by) == (
        group, "cbi-it", "1", world.coordinator,
    )  # fmt: skip
    assert AuditEntry.objects.filter(code="wellbeing.wave.created").count() == 1


@frozen(2025, 1, 10)
def test_a_wave_closing_before_it_opens_or_twice_the_same_is_refused(world: World, client_for: Any) -> None:
    url = reverse("wellbeing:wave_create_partnership", args=[world.partnership.code])
    client = client_for("coordinator")
    response = client.post(
        url, {"instrument": "cbi-it", "round": "0", "opens_on": "14/02/2025", "closes_on": "13/01/2025"}
    )
    assert "deve chiudere lo stesso giorno" in response.content.decode()
    factories.wave(world.partnership)
    response = client.post(
        url, {"instrument": "cbi-it", "round": "0", "opens_on": "13/01/2025", "closes_on": "14/02/2025"}
    )
    assert "esiste già" in response.content.decode()
    assert Wave.objects.count() == 1


@frozen(2025, 1, 20)
def test_an_invitee_answers_once_from_the_link_on_any_device(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership, group=factories.group(world.partnership))
    client = client_for("coordinator")
    response = client.post(
        reverse("wellbeing:invite", args=[wave.pk]), {"addresses": "anna@example.it\nBruno@Example.it, anna@example.it"}
    )
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.it", "bruno@example.it"]
    assert "anonime" in mail.outbox[0].body
    link = _link(mail.outbox[0])
    assert link.rsplit("/", 2)[-2] not in str(list(Invitation.objects.values_list("token_hash", flat=True)))
    anonymous = client_for(None)
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Le tue risposte sono anonime" in page.content.decode()
    answers = {f"q{number:02d}": "2" for number in range(1, 20)} | {"comment": "Grazie"}
    assert anonymous.post(link, answers).status_code == 200
    assert Answer.objects.filter(wave=wave).get().scores == {"personal": 50.0, "work": 50.0, "client": 50.0}
    assert not Comment.objects.exists()  # the CBI has no free text
    assert anonymous.get(link).status_code == 404  # single use
    assert anonymous.post(link, answers).status_code == 404
    assert Answer.objects.filter(wave=wave).count() == 1
    participation = client.get(reverse("wellbeing:wave_participation", args=[wave.pk])).content.decode()
    assert "1 risposta su 2 invitati (50 %)" in participation


@frozen(2025, 1, 20)
def test_an_empty_questionnaire_or_a_wrong_option_changes_nothing(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    factories.invitation(wave, token="link-personale")
    url = reverse("wellbeing:answer", args=["link-personale"])
    client = client_for(None)
    assert "Rispondi almeno a una domanda" in client.post(url, {}).content.decode()
    assert "Scegli una delle risposte proposte" in client.post(url, {"q01": "7"}).content.decode()
    assert not Answer.objects.exists()
    assert not Invitation.objects.get().answered


@frozen(2025, 1, 20)
def test_the_feedback_form_keeps_its_free_text_apart(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership, instrument_key="feedback-it")
    factories.invitation(wave, token="link-riscontro")
    client = client_for(None)
    url = reverse("wellbeing:answer", args=["link-riscontro"])
    assert "non validato" in client.get(url).content.decode()
    client.post(url, {"f1": "8", "f5": "9", "comment": "Più tempo per i casi"})
    assert Answer.objects.get().scores == {"heard": 8, "topics": None, "method": None, "relief": None, "overall": 9}
    assert Comment.objects.get().text == "Più tempo per i casi"


@frozen(2025, 1, 20)
def test_invalid_addresses_send_nothing(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    response = client_for("coordinator").post(
        reverse("wellbeing:invite", args=[wave.pk]), {"addresses": "anna@example.it\nnon-un-indirizzo"}
    )
    assert "Indirizzi non validi: non-un-indirizzo" in response.content.decode()
    assert not mail.outbox
    assert not Invitation.objects.exists()


@frozen(2025, 1, 27)
def test_a_reminder_goes_only_to_those_who_have_not_answered_with_a_new_link(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    factories.invitation(wave, "anna@example.it", token="vecchio-anna")
    factories.invitation(wave, "bruno@example.it", token="vecchio-bruno", answered=True)
    response = client_for("coordinator").post(reverse("wellbeing:remind", args=[wave.pk]), follow=True)
    assert "Sollecito inviato a 1 persona che non ha ancora risposto." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["anna@example.it"]]
    assert Invitation.objects.get(email="anna@example.it").reminded_on == datetime.date(2025, 1, 27)
    client = client_for(None)
    assert client.get(reverse("wellbeing:answer", args=["vecchio-anna"])).status_code == 404
    assert client.get(_link(mail.outbox[0])).status_code == 200
    assert AuditEntry.objects.filter(code="wellbeing.wave.reminded").count() == 1


@frozen(2025, 2, 20)
def test_a_closed_wave_takes_no_answers_and_is_closed_by_the_daily_command(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    factories.invitation(wave, token="tardi")
    assert client_for(None).get(reverse("wellbeing:answer", args=["tardi"])).status_code == 404
    call_command("close_wellbeing_waves")
    wave.refresh_from_db()
    assert wave.closed
    assert wave.invited_count == 1
    assert not Invitation.objects.exists()
    assert AuditEntry.objects.filter(code="wellbeing.wave.closed").count() == 1


@frozen(2025, 1, 20)
def test_the_home_page_lists_open_waves_with_their_response_rate(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo Zefiro"))
    factories.invitation(wave, "anna@example.it", answered=True)
    factories.invitation(wave, "bruno@example.it")
    page = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "Questionario aperto: Gruppo Zefiro" in page
    assert "1 risposta su 2 invitati" in page
    assert "Gruppo Zefiro" not in client_for("supervisee").get(reverse("home:home")).content.decode()

"""Answers from the personal link of the e-mail: no login, only that invitee of that meeting, recorded and
audited; a wrong link is a 404."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.meetings.models import Invitee, Response
from supervisione.meetings.tests import factories
from supervisione.testing.world import World


def _links(world: World, client_for: Any) -> tuple[list[Invitee], dict[str, str]]:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    factories.invitee(meeting, world.casarano, name="Carla Riva")
    client_for("coordinator").post(reverse("meetings:convene", args=[meeting.pk]))
    links = {}
    for message in mail.outbox:
        found = re.search(r"http://testserver(/riunioni/risposta/[^/\s]+/)", str(message.body))
        assert found is not None
        links[message.to[0]] = found.group(1)
    return list(meeting.invitees.all()), links


def test_it_records_the_answer_of_the_invitee_without_login(world: World, client_for: Any) -> None:
    invitees, links = _links(world, client_for)
    laura = next(invitee for invitee in invitees if invitee.name == "Laura Bianchi")
    anonymous = Client()
    page = anonymous.get(links[laura.email]).content.decode()
    assert "Gentile <strong>Laura Bianchi</strong>" in page
    response = anonymous.post(links[laura.email], {"response": Response.DECLINED, "note": "Partecipa la vice"})
    assert response.status_code == 200
    assert "Risposta registrata" in response.content.decode()
    laura.refresh_from_db()
    assert (laura.response, laura.response_note) == (Response.DECLINED, "Partecipa la vice")
    assert laura.responded_at is not None
    other = next(invitee for invitee in invitees if invitee.name == "Carla Riva")
    other.refresh_from_db()
    assert other.response == Response.PENDING  # one link answers for one invitee only
    entry = AuditEntry.objects.get(code="meetings.invitee.answered")
    assert entry.username == "sistema"
    assert entry.partnership_id == world.partnership.pk
    # The answer can change; the last one counts.
    anonymous.post(links[laura.email], {"response": Response.ATTENDING})
    laura.refresh_from_db()
    assert laura.response == Response.ATTENDING


def test_it_answers_404_to_a_wrong_link_and_refuses_a_bad_answer(world: World, client_for: Any) -> None:
    _invitees, links = _links(world, client_for)
    anonymous = Client()
    assert anonymous.get("/riunioni/risposta/un-link-inventato/").status_code == 404
    assert anonymous.post("/riunioni/risposta/un-link-inventato/", {"response": "attending"}).status_code == 404
    link = next(iter(links.values()))
    refused = anonymous.post(link, {"response": "forse"})
    assert "Scegli se parteciperai." in refused.content.decode()
    assert not Invitee.objects.exclude(response=Response.PENDING).exists()
    assert not AuditEntry.objects.filter(code="meetings.invitee.answered").exists()


def test_it_invalidates_the_old_link_when_the_update_is_sent(world: World, client_for: Any) -> None:
    invitees, links = _links(world, client_for)
    meeting = invitees[0].meeting
    meeting.refresh_from_db()
    meeting.start_time = datetime.time(10, 0)
    meeting.sequence += 1
    meeting.save()
    mail.outbox.clear()
    client_for("coordinator").post(reverse("meetings:convene", args=[meeting.pk]))
    assert len(mail.outbox) == 2
    assert Client().get(next(iter(links.values()))).status_code == 404


def test_it_refuses_answers_to_a_cancelled_meeting(world: World, client_for: Any) -> None:
    invitees, links = _links(world, client_for)
    client_for("coordinator").post(reverse("meetings:cancel", args=[invitees[0].meeting_id]))
    link = next(iter(links.values()))
    page = Client().get(link).content.decode()
    assert "La riunione è annullata: non serve rispondere." in page
    Client().post(link, {"response": Response.ATTENDING})
    assert not Invitee.objects.exclude(response=Response.PENDING).exists()

"""Requests and tasks born in a meeting or a letter: who sees them (the ATS asked and the convenors; outsiders
404), writes audited, bad input refused, one list with the Allegato 1 and census requests, and the reminders and
the digest of what is late by e-mail."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from docx import Document
from pypdf import PdfReader

from supervisione.audit.models import AuditEntry
from supervisione.census.models import ReferentDesignation, ReferentRequest
from supervisione.census.tests import factories as census_factories
from supervisione.lib import clock
from supervisione.meetings import requests
from supervisione.meetings.models import Meeting, Task, TaskStatus
from supervisione.meetings.tests import factories
from supervisione.monitoring.alerts import EVERYTHING, LATE_DAYS, collect, recipients
from supervisione.testing.frozen import frozen
from supervisione.testing.pages import form_data
from supervisione.testing.world import World

# persona -> (page of a request asked of Maglie in a Poggiardo meeting, its edit page)
EXPECTED = {
    "admin": (200, 200),
    "coordinator": (200, 200),
    "referent": (200, 403),
    "supervisor": (404, 404),
    "supervisee": (404, 404),
    "observer": (404, 404),
    "national_observer": (404, 404),
    "outsider": (404, 404),
    "nobody": (404, 404),
}


def _meeting(world: World) -> Meeting:
    return factories.meeting(world.partnership, invite=world.maglie)


@pytest.mark.parametrize("persona", EXPECTED)
def test_it_shows_a_request_to_the_ats_asked_and_the_convenors_only(
    world: World, client_for: Any, persona: str
) -> None:
    task = factories.task(_meeting(world), world.maglie, title="Trasmettere l'Allegato 2 di Maglie")
    client = client_for(persona)
    detail = client.get(reverse("meetings:task_detail", args=[task.pk])).status_code
    edit = client.get(reverse("meetings:task_edit", args=[task.pk])).status_code
    assert (detail, edit) == EXPECTED[persona]
    listed = escape(task.title) in client.get(reverse("meetings:task_list")).content.decode()
    assert listed == (EXPECTED[persona][0] == 200)


def test_it_hides_a_request_asked_of_another_ats_from_a_referent(world: World, client_for: Any) -> None:
    task = factories.task(_meeting(world), world.casarano, title="Richiesta a Casarano")
    client = client_for("referent")
    assert client.get(reverse("meetings:task_detail", args=[task.pk])).status_code == 404
    assert "Richiesta a Casarano" not in client.get(reverse("meetings:task_list")).content.decode()


@frozen(2023, 3, 8)
def test_it_creates_a_request_from_the_meeting_audited_and_refuses_one_without_owner(
    world: World, client_for: Any
) -> None:
    meeting = _meeting(world)
    client = client_for("coordinator")
    url = reverse("meetings:task_create_meeting", args=[meeting.pk])
    data = form_data(client.get(url).content.decode(), having="title")
    data.update(
        {"title": "Designare il referente", "done_means": "Arriva l'Allegato 1 con l'atto.", "deadline": "17/04/2023"}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Indica a chi è chiesta: un ATS o una persona." in response.content.decode()
    assert not Task.objects.exists()
    data["owner_ambito"] = str(world.maglie.pk)
    response = client.post(url, data)
    task = Task.objects.get()
    assert response.status_code == 302
    assert (task.meeting, task.partnership, task.owner_ambito, task.created_by) == (
        meeting,
        world.partnership,
        world.maglie,
        world.coordinator,
    )
    entry = AuditEntry.objects.get(object_id=str(task.pk), code="meetings.task.created")
    assert (entry.user, entry.partnership_id) == (world.coordinator, world.partnership.pk)
    assert "Designare il referente" in client.get(meeting.get_absolute_url()).content.decode()


@frozen(2023, 4, 18)
def test_it_closes_a_request_audited_and_then_refuses_changes(world: World, client_for: Any) -> None:
    task = factories.task(_meeting(world), world.maglie)
    client = client_for("coordinator")
    url = reverse("meetings:task_detail", args=[task.pk])
    page = client.get(url).content.decode()
    assert "In ritardo: la scadenza era il 17/04/2023." in page
    response = client.post(url, {"outcome": "done", "note": "Ricevuto con PEC del 18/04", "lock_version": "0"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_on, task.outcome_note) == (
        TaskStatus.DONE,
        datetime.date(2023, 4, 18),
        "Ricevuto con PEC del 18/04",
    )
    entry = AuditEntry.objects.get(object_id=str(task.pk), code="meetings.task.done")
    assert "fatta" in entry.message
    edit = client.get(reverse("meetings:task_edit", args=[task.pk]), follow=True).content.decode()
    assert "La richiesta è chiusa: non si può più modificare." in edit
    # The owner's referent reads it but may not close it.
    assert client_for("referent").post(url, {"outcome": "done", "lock_version": "1"}).status_code == 403


@frozen(2023, 4, 10)
def test_it_lists_the_referent_and_census_requests_of_each_ats_beside_the_tasks(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    meeting = _meeting(world)
    factories.task(meeting, world.maglie, title="Decisione sul co-finanziamento")
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2023, 4, 17))
    ReferentDesignation.objects.create(
        request=request,
        ambito=world.poggiardo,
        full_name="Lucia Martella",
        role="Responsabile dell'Ufficio di Piano",
        email="udp@example.it",
        act_number="Determina n. 1",
        act_date=datetime.date(2023, 4, 1),
        answered_on=datetime.date(2023, 4, 2),
    )
    census_factories.campaign(world.partnership, title="Ricognizione 2023", deadline=datetime.date(2023, 4, 17))
    rows = requests.request_rows(world.coordinator)
    owners = {(row.kind, row.owner, row.done) for row in rows}
    assert ("Referente (Allegato 1)", "Ambito di Poggiardo", True) in owners
    assert ("Referente (Allegato 1)", "Ambito di Maglie", False) in owners
    assert ("Censimento (Allegato 2)", "Ambito di Casarano", False) in owners
    assert ("Richiesta", "Ambito di Maglie", False) in owners
    # Maglie's referent sees Maglie's rows only.
    assert {row.owner for row in requests.request_rows(world.referent)} == {"Ambito di Maglie"}
    client = client_for("coordinator")
    client.get(reverse("meetings:task_list"))
    with django_assert_max_num_queries(30) as before:
        client.get(reverse("meetings:task_list"))
    for number in range(5):
        factories.task(meeting, world.casarano, title=f"Richiesta {number}")
    census_factories.campaign(world.partnership, title="Ricognizione bis", deadline=datetime.date(2023, 5, 17))
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert "Richiesta 4" in client.get(reverse("meetings:task_list")).content.decode()


def _alerts(today: datetime.date) -> list[str]:
    return [alert.title for alert in collect(today, EVERYTHING, kinds=("request",)) if "Allegato 2" in alert.title]


def test_it_reminds_from_remind_days_before_the_deadline_and_then_every_day_it_is_late(world: World) -> None:
    factories.task(_meeting(world), world.maglie, remind_days=7)  # due 17/04/2023
    assert _alerts(datetime.date(2023, 4, 9)) == []
    assert _alerts(datetime.date(2023, 4, 10)) == [
        "Trasmettere l'Allegato 2 (Ambito di Maglie): scade tra 7 giorni, il 17/04/2023"
    ]
    assert _alerts(datetime.date(2023, 4, 16)) == ["Trasmettere l'Allegato 2 (Ambito di Maglie): scade domani"]
    assert _alerts(datetime.date(2023, 4, 18)) == [
        "Trasmettere l'Allegato 2 (Ambito di Maglie): in ritardo di 1 giorno"
    ]
    assert _alerts(datetime.date(2023, 5, 17)) == [
        "Trasmettere l'Allegato 2 (Ambito di Maglie): in ritardo di 30 giorni"
    ]
    Task.objects.update(status=TaskStatus.CANCELLED, done_on=datetime.date(2023, 5, 1))
    assert _alerts(datetime.date(2023, 5, 17)) == []


def test_the_digest_stops_listing_a_late_request_as_the_census_and_referents_do(world: World, client_for: Any) -> None:
    """Late up to ``LATE_DAYS`` days after the deadline, as a missing census or Allegato 1, then no more every day
    (the requests page still lists it until it is done or cancelled)."""
    factories.task(_meeting(world), world.maglie)  # due 17/04/2023
    deadline = datetime.date(2023, 4, 17)
    last = deadline + datetime.timedelta(days=LATE_DAYS)
    assert _alerts(last) == [f"Trasmettere l'Allegato 2 (Ambito di Maglie): in ritardo di {LATE_DAYS} giorni"]
    assert _alerts(last + datetime.timedelta(days=1)) == []
    assert _alerts(datetime.date(2026, 12, 6)) == []  # not late by 1,300 days every day
    with frozen(2026, 12, 6):
        page = client_for("coordinator").get(reverse("meetings:task_list")).content.decode()
    assert "Trasmettere l&#x27;Allegato 2" in page


@frozen(2023, 4, 20)
def test_it_e_mails_the_late_requests_to_the_ats_asked_the_convenors_and_the_person_asked(
    world: World, settings: Any
) -> None:
    meeting = _meeting(world)
    factories.task(meeting, world.maglie)
    factories.task(meeting, world.casarano, title="Firmare la convenzione", owner_user=world.supervisor)
    for user in (world.coordinator, world.referent, world.supervisor):
        user.email = f"{user.username}@example.it"
        user.save(update_fields=["email"])
    people = recipients(collect(datetime.date(2023, 4, 20), kinds=("request",)))
    assert {user.username: sorted(a.title.split(" (")[0] for a in alerts) for user, alerts in people.items()} == {
        "coordinator": ["Firmare la convenzione", "Trasmettere l'Allegato 2"],
        "referent": ["Trasmettere l'Allegato 2"],
        "supervisor": ["Firmare la convenzione"],
    }
    call_command("monitoring_alerts", "--indirizzo", "https://supervisione.example.it/", stdout=io.StringIO())
    referent = next(message for message in mail.outbox if message.to == ["referent@example.it"])
    assert "Richieste in scadenza o in ritardo (1)" in referent.body
    assert "Trasmettere l'Allegato 2 (Ambito di Maglie): in ritardo di 3 giorni." in referent.body
    assert "Quando è fatta: Il censimento del personale è trasmesso." in referent.body
    task = Task.objects.get(owner_ambito=world.maglie)
    assert f"https://supervisione.example.it/riunioni/richieste/{task.pk}/" in referent.body
    supervisor = next(message for message in mail.outbox if message.to == ["supervisor@example.it"])
    assert "Firmare la convenzione" in supervisor.body
    assert "Allegato 2" not in supervisor.body


@frozen(2023, 4, 12)
def test_the_home_page_reminds_the_ats_asked_and_the_person_asked(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    factories.task(meeting, world.maglie, remind_days=7)  # due 17/04
    factories.task(meeting, world.maglie, title="Più avanti", deadline=datetime.date(2023, 6, 30))
    factories.task(meeting, None, title="Firmare la convenzione", owner_user=world.supervisor, remind_days=0)
    referent = client_for("referent").get("/").content.decode()
    assert "Trasmettere l&#x27;Allegato 2 (Ambito di Maglie)" in referent
    assert "Entro il 17/04/2023." in referent
    assert "Più avanti" not in referent
    assert "Firmare la convenzione" not in client_for("supervisor").get("/").content.decode()
    Task.objects.filter(title="Firmare la convenzione").update(deadline=datetime.date(2023, 4, 11))
    assert "Scaduta il 11/04/2023." in client_for("supervisor").get("/").content.decode()
    assert "Allegato 2" not in client_for("outsider").get("/").content.decode()
    # The coordinator who convened counts what is late on the partnership's requests.
    assert "1 richiesta in ritardo agli ATS o alle persone" in client_for("coordinator").get("/").content.decode()


def test_the_minutes_pdf_and_docx_list_the_requests_born_in_the_meeting(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    factories.minutes(meeting)
    factories.task(meeting, world.maglie, title="Designare il referente (Allegato 1)")
    factories.task(
        meeting,
        world.casarano,
        title="Richiesta annullata",
        status=TaskStatus.CANCELLED,
        done_on=datetime.date(2023, 4, 1),
    )
    client = client_for("coordinator")
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    pages = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # cells wrap their lines
    assert "Richieste" in text
    assert "Designare il referente (Allegato 1)" in text
    assert "17/04/2023" in text
    assert "Richiesta annullata" not in text
    docx = client.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Designare il referente (Allegato 1)" in cells
    assert "Ambito di Maglie" in cells
    assert "Richiesta annullata" not in cells


def test_it_asks_each_ats_still_to_decide_from_the_decision(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    minutes = factories.minutes(meeting)
    decision = minutes.decisions.create(text="Co-finanzia con la quota FNPS", per_ambito=True)
    for ambito in (world.poggiardo, world.maglie, world.casarano):
        decision.ambito_decisions.create(ambito=ambito, outcome="yes" if ambito == world.poggiardo else "pending")
    client = client_for("coordinator")
    url = reverse("meetings:decision_ask", args=[meeting.pk, decision.pk])
    past = client.post(url, {"deadline": "2000-01-01", "done_means": "Comunica la decisione."})
    assert "La scadenza è già passata" in past.content.decode()
    deadline = (clock.today() + datetime.timedelta(days=20)).isoformat()
    page = client.post(url, {"deadline": deadline, "done_means": "Comunica la decisione."}, follow=True).content
    assert "Create 2 richieste." in page.decode()
    assert sorted(Task.objects.filter(decision=decision).values_list("owner_ambito__code", flat=True)) == [
        "PUG_CASARANO",
        "PUG_MAGLIE",
    ]
    again = client.post(url, {"deadline": deadline, "done_means": "Comunica la decisione."}, follow=True).content
    assert "Nessuna richiesta creata" in again.decode()
    assert client_for("referent").post(url, {"deadline": deadline, "done_means": "x"}).status_code == 403
    assert client_for("outsider").get(url).status_code == 404

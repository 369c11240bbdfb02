"""Meetings: created and changed by whoever convenes them, with bad input refused in Italian and nothing
written; every change audited; a change after the convocation moves the calendar SEQUENCE on."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from supervisione.audit.models import AuditEntry
from supervisione.meetings.models import Invitee, Meeting, MeetingStatus, Modality
from supervisione.meetings.tests import factories
from supervisione.testing.world import World

TEAMS = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_sansevero"


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Riunione di coordinamento",
        "date": "2023-04-19",
        "start_time": "09:00",
        "end_time": "11:00",
        "modality": Modality.REMOTE,
        "place": "",
        "link": TEAMS,
        "convened_by": "Il Coordinamento Istituzionale dell'Ambito Alto Tavoliere",
        "letter_object": "",
        "protocol_number": "",
        "protocol_date": "",
        "agenda": "Referenti degli ATS (Allegato 1)\nCensimento del personale (Allegato 2)\nCo-finanziamento FNPS",
        "signatory_lines": "Il Responsabile dell'Area Servizi Sociali | Anna Neri\n"
        "Il Presidente del Coordinamento Istituzionale | Mario Rossi",
    }
    data.update(changes)
    return data


def test_it_creates_a_partnership_meeting_with_agenda_and_signatories(world: World, client_for: Any) -> None:
    client: Client = client_for("coordinator")
    url = reverse("meetings:meeting_create_partnership", args=[world.partnership.code])
    response = client.post(url, form())
    meeting = Meeting.objects.get(partnership=world.partnership)
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert [item.title for item in meeting.agenda_items.all()] == [
        "Referenti degli ATS (Allegato 1)",
        "Censimento del personale (Allegato 2)",
        "Co-finanziamento FNPS",
    ]
    assert [(s.position, s.name) for s in meeting.signatories.all()] == [(1, "Anna Neri"), (2, "Mario Rossi")]
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.sequence == 0
    assert meeting.created_by == world.coordinator
    entry = AuditEntry.objects.get(code="meetings.meeting.created")
    assert entry.partnership_id == world.partnership.pk
    assert entry.user == world.coordinator
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Co-finanziamento FNPS" in page
    assert "Invia la convocazione" in page


def test_it_lets_a_referent_convene_a_meeting_of_the_ats(world: World, client_for: Any) -> None:
    response = client_for("referent").post(
        reverse("meetings:meeting_create_ambito", args=[world.maglie.code]),
        form(modality=Modality.IN_PERSON, place="Sala consiliare, Maglie", link=TEAMS),
    )
    meeting = Meeting.objects.get(ambito=world.maglie)
    assert response.status_code == 302
    assert meeting.link == ""  # in person: the link typed is not kept
    assert client_for("referent").post(
        reverse("meetings:meeting_create_ambito", args=[world.casarano.code]), form()
    ).status_code in (403, 404)


def test_it_refuses_bad_input_in_italian_and_writes_nothing(world: World, client_for: Any) -> None:
    client: Client = client_for("coordinator")
    url = reverse("meetings:meeting_create_partnership", args=[world.partnership.code])
    cases = {
        "L'ora di fine deve essere dopo l'ora di inizio.": form(end_time="08:30"),
        "Per una riunione da remoto o mista indica il link della videochiamata.": form(link=""),
        "Per una riunione in presenza o mista indica il luogo.": form(modality=Modality.MIXED),
        "Scrivi almeno un punto all'ordine del giorno.": form(agenda="  \n "),
        "Riga 2: scrivi il ruolo e il nome separati da": form(signatory_lines="Il Presidente | Mario Rossi\nAnna"),
        "Inserisci una data valida.": form(date="31/02/2023"),
    }
    for message, data in cases.items():
        response = client.post(url, data)
        assert response.status_code == 200, message
        assert escape(message) in response.content.decode(), message
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(code__startswith="meetings.").exists()


def test_it_moves_the_sequence_on_when_a_convened_meeting_changes(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONVENED, sent_sequence=0)
    client: Client = client_for("coordinator")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Designazione dei referenti (Allegato 1)" in page
    data = form(lock_version="0", agenda="Designazione dei referenti (Allegato 1)\nCo-finanziamento con la quota FNPS")
    # Only the object changes: the invitations stay valid.
    response = client.post(
        url,
        {
            **data,
            "date": "2023-04-19",
            "title": "Coordinamento del partenariato",
            "link": meeting.link,
            "convened_by": "Il Coordinamento Istituzionale",
            "letter_object": "Convocazione del 19/04",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.update_due) == (0, False)
    response = client.post(
        url, {**data, "lock_version": str(meeting.lock_version), "start_time": "10:00", "end_time": "12:00"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.update_due) == (1, True)
    assert "Invia l'aggiornamento" in client.get(meeting.get_absolute_url()).content.decode()


def test_it_keeps_summaries_of_agenda_items_by_position(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership)
    first = meeting.agenda_items.get(position=1)
    first.summary = "Referenti designati da due ATS su quattro."
    first.save()
    client_for("coordinator").post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        form(lock_version=str(meeting.lock_version), agenda="Referenti (Allegato 1)"),
    )
    items = list(meeting.agenda_items.all())
    assert [(item.position, item.title, item.summary) for item in items] == [
        (1, "Referenti (Allegato 1)", "Referenti designati da due ATS su quattro.")
    ]


def test_it_invites_users_and_contacts_without_an_account(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership)
    client: Client = client_for("coordinator")
    url = reverse("meetings:invitee_add", args=[meeting.pk])
    world.referent.email = "referente@maglie.example.it"
    world.referent.save()
    assert (
        client.post(url, {"user": world.referent.pk, "role": "Referente", "ambito": world.maglie.pk}).status_code == 302
    )
    contact = {
        "name": "Giuseppe Verdi",
        "role": "Presidente del Coordinamento Istituzionale",
        "ambito": world.casarano.pk,
        "email": "presidente@casarano.example.it",
        "pec": "protocollo@pec.casarano.example.it",
    }
    assert client.post(url, contact).status_code == 302
    invitees = {invitee.name: invitee for invitee in Invitee.objects.filter(meeting=meeting)}
    assert invitees["Referent"].user == world.referent
    assert invitees["Referent"].email == "referente@maglie.example.it"
    assert invitees["Giuseppe Verdi"].pec == "protocollo@pec.casarano.example.it"
    # Twice the same address, an ATS outside the partnership, no e-mail: refused, nothing written.
    again = client.post(url, contact)
    assert escape("presidente@casarano.example.it è già tra gli invitati.") in again.content.decode()
    outside = client.post(url, {**contact, "email": "x@example.it", "ambito": world.treviso.pk})
    assert "Scegli un&#x27;opzione valida" in outside.content.decode()
    nothing = client.post(url, {"name": "Senza indirizzo"})
    assert escape("Indica l'e-mail a cui inviare la convocazione.") in nothing.content.decode()
    assert Invitee.objects.filter(meeting=meeting).count() == 2
    assert AuditEntry.objects.filter(code="meetings.invitee.created").count() == 2

"""Confidentiality: of an individual (A2) session the ATS sees only who, when and how long; topics are only
categories; the supervisor's note is shown to the supervisor alone and is stored encrypted."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.sessions.actions.notes import save_note, set_topics
from supervisione.sessions.actions.scheduling import Where, reschedule_session
from supervisione.sessions.booking import Slot
from supervisione.sessions.models import Modality, SupervisorNote, TopicCategory
from supervisione.sessions.notes_crypto import decrypt_note
from supervisione.sessions.tests.conftest import Cal

NOTE = "Marco racconta la fatica con il caso della famiglia R."


def individual(cal: Cal) -> Any:
    session = cal.one(
        datetime.date(2026, 3, 4), "15:00", "16:00", kind="A2", supervisee=cal.marco, modality=Modality.MIXED
    )
    set_topics(session, [TopicCategory.EMOTIONAL, TopicCategory.ETHICAL], by=cal.world.supervisor)
    save_note(session, NOTE, by=cal.world.supervisor)
    return session


def test_it_shows_the_ats_only_who_when_and_how_long_of_an_individual_session(cal: Cal, client_for: Any) -> None:
    session = individual(cal)
    url = reverse("sessions:session_detail", args=[session.pk])
    for persona in ("coordinator", "admin"):
        page = client_for(persona).get(url).content.decode()
        assert "De Santis Marco" in page  # who
        assert "04/03/2026" in page  # when
        assert "15:00-16:00" in page  # how long
        for hidden in ("Casarano, sala riunioni", "meet.example.org", "Emotivo", "Etico-deontologico", NOTE, "fatica"):
            assert hidden not in page, (persona, hidden)
    own = client_for("supervisor").get(url).content.decode()
    assert "Casarano, sala riunioni" in own
    assert "Emotivo" in own
    assert "fatica con il caso" in own


def test_it_shows_the_note_to_its_author_alone_even_on_group_sessions(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    save_note(session, NOTE, by=cal.world.supervisor)
    url = reverse("sessions:session_detail", args=[session.pk])
    for persona in ("coordinator", "admin", "supervisee"):
        page = client_for(persona).get(url).content.decode()
        assert "fatica" not in page
        assert "Nota riservata" not in page
    assert "fatica con il caso" in client_for("supervisor").get(url).content.decode()
    # Nobody but the supervisor can write it either.
    url = reverse("sessions:note_save", args=[session.pk])
    response = client_for("coordinator").post(url, {"text": "x"}, follow=True)
    assert "Le note riservate sono del supervisore" in response.content.decode()
    assert client_for("supervisee").post(url, {"text": "x"}).status_code == 403
    assert decrypt_note(SupervisorNote.objects.get(session=session).token) == NOTE


def test_it_stores_the_note_encrypted_and_audits_only_that_it_changed(cal: Cal) -> None:
    session = individual(cal)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {SupervisorNote._meta.db_table} WHERE session_id = %s", [session.pk])  # noqa: S608  (the model's table)
        (stored,) = cursor.fetchone()
    assert "fatica" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token

    entries = AuditEntry.objects.filter(object_id=str(session.pk), content_type__model="session")
    assert not [e for e in entries if "fatica" in e.message or "fatica" in str(e.changes)]
    assert entries.filter(message="Nota riservata aggiornata").exists()


def test_it_records_topics_only_as_categories(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    response = client_for("supervisor").post(
        reverse("sessions:topics_save", args=[session.pk]), {"categories": ["methodological", "caso Rossi"]}
    )
    assert response.status_code == 302
    assert not session.topics.exists()
    client_for("supervisor").post(
        reverse("sessions:topics_save", args=[session.pk]), {"categories": ["methodological", "organisational"]}
    )
    assert sorted(session.topics.values_list("category", flat=True)) == ["methodological", "organisational"]
    # Of a group session the coordinator sees the categories.
    page = client_for("coordinator").get(reverse("sessions:session_detail", args=[session.pk])).content.decode()
    assert "Metodologico" in page


def test_it_keeps_the_place_and_topics_of_individual_sessions_out_of_the_ats_history(cal: Cal, client_for: Any) -> None:
    session = individual(cal)
    reschedule_session(
        session,
        slot=Slot(datetime.date(2026, 3, 5), datetime.time(15), datetime.time(16)),
        where=Where(Modality.IN_PERSON, place="Studio riservato, via Roma 3"),
        reason="Richiesta dell'operatore",
        version=session.version,
        by=cal.world.supervisor,
    )
    page = client_for("coordinator").get(reverse("sessions:session_detail", args=[session.pk])).content.decode()
    assert "05/03/2026" in page
    assert "via Roma" not in page
    assert "Aree tematiche" not in page


def test_it_hides_other_peoples_attendance_from_a_supervisee(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    page = client_for("supervisee").get(reverse("sessions:session_detail", args=[session.pk])).content.decode()
    assert "De Santis Marco" in page
    assert "Rizzo Anna" not in page
    assert "Casarano, sala riunioni" in page  # they need to know where to go

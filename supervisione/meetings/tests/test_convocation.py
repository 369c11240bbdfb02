"""The convocation: the letter (PDF read back), an e-mail to every invitee with the letter and an iCalendar
REQUEST (parsed back with icalendar), an update with a higher SEQUENCE after a change, a CANCEL on
cancellation; every e-mail recorded."""

from __future__ import annotations

import email as mail_parser
import io
import re
from typing import Any, cast

import icalendar
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from supervisione.audit.models import AuditEntry
from supervisione.lib.mail import StoredEmail
from supervisione.lib.tests.test_mail import FlakyBackend
from supervisione.meetings.actions import cancel_meeting, send_convocation
from supervisione.meetings.models import Dispatch, DispatchKind, Meeting, MeetingStatus
from supervisione.meetings.tests import factories
from supervisione.testing.commits import committed
from supervisione.testing.frozen import frozen
from supervisione.testing.pages import form_data
from supervisione.testing.world import World


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _event(message: mail.EmailMessage) -> tuple[icalendar.Calendar, icalendar.Event]:
    (calendar_part,) = [a for a in message.attachments if a[0] == "invito.ics"]
    calendar = icalendar.Calendar.from_ical(calendar_part[1])
    (event,) = [event for event in calendar.walk("VEVENT") if isinstance(event, icalendar.Event)]
    return calendar, event


def _meeting(world: World) -> Meeting:
    meeting = factories.meeting(world.sansevero_partnership, protocol_number="4711", letter_object="Convocazione 19/04")
    factories.invitee(meeting, world.sansevero, name="Laura Bianchi")
    factories.invitee(meeting, world.maglie, name="Paolo Russo", role="Presidente del Coordinamento Istituzionale")
    return meeting


def test_it_renders_the_letter_with_heading_protocol_agenda_link_and_signatories(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    response = client_for("admin").get(reverse("meetings:letter", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(b"".join(response.streaming_content))
    for expected in (
        "Partenariato SANSEVERO-114 (capofila Ambito Alto Tavoliere)",
        "Prot. n. 4711",
        "Oggetto: Convocazione 19/04",
        "mercoledì 19 aprile 2023",
        "09:00",
        "Designazione dei referenti (Allegato 1)",
        "Co-finanziamento con la quota FNPS",
        "teams.microsoft.com",
        "Il Presidente del Coordinamento Istituzionale",
        "Mario Rossi",
        "Presidente del Coordinamento Istituzionale dell'Ambito di Maglie",
    ):
        assert expected in text, expected


@frozen(2023, 4, 10)
def test_it_sends_the_convocation_then_the_update_then_the_cancellation(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    client: Client = client_for("admin")
    assert client.post(reverse("meetings:convene", args=[meeting.pk])).status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == [
        "laura.pug_sansevero@example.it",
        "paolo.pug_maglie@example.it",
    ]
    first = mail.outbox[0]
    assert first.subject == "Convocazione 19/04"
    assert [name for name, *_ in first.attachments] == ["convocazione.pdf", "invito.ics"]
    assert "Designazione dei referenti" in _text(first.attachments[0][1])
    calendar, event = _event(first)
    assert calendar["METHOD"] == "REQUEST"
    uid = str(event["UID"])
    assert uid == f"riunione-{meeting.pk}@supervisione"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART").isoformat() == "2023-04-19T09:00:00+02:00"
    assert event.decoded("DTEND").isoformat() == "2023-04-19T11:00:00+02:00"
    assert {str(attendee) for attendee in event.get("ATTENDEE", [])} == {
        "mailto:laura.pug_sansevero@example.it",
        "mailto:paolo.pug_maglie@example.it",
    }
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sent_sequence) == (MeetingStatus.CONVENED, 0)
    assert Dispatch.objects.filter(kind=DispatchKind.CONVOCATION, sequence=0).count() == 2
    assert AuditEntry.objects.filter(code="meetings.meeting.convened", object_id=str(meeting.pk)).count() == 1

    # Nothing changed: nothing to send again.
    mail.outbox.clear()
    client.post(reverse("meetings:convene", args=[meeting.pk]))
    assert mail.outbox == []

    # The time changes: the update goes with the same UID and a higher SEQUENCE.
    page = client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).content.decode()
    assert "lock_version" in page
    data = form_data(page)
    data.update(start_time="10:00", end_time="12:00")
    assert client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data).status_code == 302
    client.post(reverse("meetings:convene", args=[meeting.pk]))
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "Aggiornamento: Convocazione 19/04"
    calendar, event = _event(mail.outbox[0])
    assert (calendar["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", uid, 1)
    assert event.decoded("DTSTART").isoformat() == "2023-04-19T10:00:00+02:00"
    assert Dispatch.objects.filter(kind=DispatchKind.UPDATE, sequence=1).count() == 2

    # Cancelled: a CANCEL with the same UID and a higher SEQUENCE, no letter.
    mail.outbox.clear()
    assert client.post(reverse("meetings:cancel", args=[meeting.pk])).status_code == 302
    assert len(mail.outbox) == 2
    assert [name for name, *_ in mail.outbox[0].attachments] == ["invito.ics"]
    calendar, event = _event(mail.outbox[0])
    assert (calendar["METHOD"], str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (
        "CANCEL",
        uid,
        2,
        "CANCELLED",
    )
    assert Dispatch.objects.filter(kind=DispatchKind.CANCELLATION, sequence=2).count() == 2
    dispatch = Dispatch.objects.filter(kind=DispatchKind.CANCELLATION).first()
    assert dispatch is not None
    assert dispatch.sent_by == world.admin
    assert dispatch.sent_at.date().isoformat() == "2023-04-10"
    assert AuditEntry.objects.filter(code="meetings.meeting.cancelled").count() == 1
    # A cancelled meeting is no longer changed nor sent.
    mail.outbox.clear()
    client.post(reverse("meetings:convene", args=[meeting.pk]))
    assert mail.outbox == []


def test_it_refuses_a_convocation_without_invitees_and_sends_nothing(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership)
    response = client_for("coordinator").post(reverse("meetings:convene", args=[meeting.pk]), follow=True)
    assert "La convocazione non è stata inviata: Aggiungi almeno un invitato." in response.content.decode()
    assert mail.outbox == []
    assert not Dispatch.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


def test_it_cancels_a_meeting_never_sent_without_e_mails(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    client_for("coordinator").post(reverse("meetings:cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert mail.outbox == []


def test_it_puts_a_personal_answer_link_in_each_e_mail(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    client_for("admin").post(reverse("meetings:convene", args=[meeting.pk]))
    links = [re.search(r"http://testserver(/riunioni/risposta/[^/\s]+/)", str(message.body)) for message in mail.outbox]
    paths = [found.group(1) for found in links if found]
    assert len(set(paths)) == 2
    # The token is not stored, only its hash.
    tokens = [path.split("/")[-2] for path in paths]
    assert not meeting.invitees.filter(token_hash__in=tokens).exists()


@frozen(2023, 4, 10)
def test_each_dispatch_says_whether_the_mail_server_took_it(world: World, client_for: Any, settings: Any) -> None:
    meeting = _meeting(world)
    settings.EMAIL_BACKEND = "supervisione.lib.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed() as callbacks:
        send_convocation(meeting, by=world.admin, absolute=lambda path: f"https://example.it{path}")
        queued = list(Dispatch.objects.order_by("email"))
        assert [dispatch.delivery_text for dispatch in queued] == ["in coda per l'invio"] * 2
        assert len({dispatch.message_id for dispatch in queued}) == 2
    assert len(callbacks) == 2  # the two e-mails, delivered by the worker after the commit
    delivered = [mail_parser.message_from_bytes(cast(StoredEmail, message).raw) for message in mail.outbox]
    assert sorted(message["Message-ID"] for message in delivered) == sorted(d.message_id for d in queued)
    assert [dispatch.delivery_text for dispatch in Dispatch.objects.order_by("email")] == [
        "consegnata il 10/04/2023 10:00"
    ] * 2
    page = client_for("admin").get(meeting.get_absolute_url()).content.decode()
    assert "consegnata il 10/04/2023 10:00" in page

    # The mail server refuses every attempt: after the last one the row says why.
    Dispatch.objects.all().delete()
    mail.outbox.clear()
    settings.EMAIL_DELIVERY_BACKEND = "supervisione.lib.tests.test_mail.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.attempts = 100, []
    meeting.refresh_from_db()
    with committed():
        cancel_meeting(meeting, by=world.admin)
    assert [dispatch.delivery_text for dispatch in Dispatch.objects.all()] == [
        "non consegnata: connessione chiusa dal server"
    ] * 2

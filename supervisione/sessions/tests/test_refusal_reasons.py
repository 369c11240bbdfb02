"""The calendar's 403 pages say why and where to go (issue 17.3): the register and the bookings are the
supervisor's and the managers'; an observer is sent to the observatory."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from supervisione.sessions.models import RegisterStatus, Session, SessionStatus
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.pages import refusal


def test_a_participant_is_told_the_register_is_the_supervisors(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    page = refusal(client_for("supervisee").get(reverse("sessions:register", args=[session.pk])))
    assert escape("li gestiscono il suo supervisore e chi gestisce il piano") in page
    assert f'href="{session.get_absolute_url()}"' in page
    page = refusal(client_for("supervisee").get(reverse("sessions:session_reschedule", args=[session.pk])))
    assert escape("Torna all'incontro") in page


def test_a_referent_is_told_who_books_the_sessions_of_a_group(cal: Cal, client_for: Any) -> None:
    page = refusal(client_for("referent").get(reverse("sessions:session_create", args=[cal.group.pk])))
    assert escape(f"Gli incontri di {cal.group.name} li prenotano il coordinatore del partenariato") in page


def test_an_observer_opening_a_session_is_sent_to_the_observatory(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    page = refusal(client_for("observer").get(session.get_absolute_url()))
    assert escape("I calendari mostrano persone e incontri") in page
    assert f'href="{reverse("monitoring:observatory")}"' in page


def test_a_cancelled_or_confirmed_session_says_so_to_who_acts_on_it(cal: Cal, client_for: Any) -> None:
    cancelled = cal.one(datetime.date(2026, 3, 3))
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED, cancel_reason="Malattia")
    page = refusal(client_for("coordinator").get(reverse("sessions:session_reschedule", args=[cancelled.pk])))
    assert escape("Questo incontro è annullato: non si sposta più") in page
    assert f'href="{cancelled.get_absolute_url()}"' in page
    page = refusal(client_for("supervisor").get(reverse("sessions:signin_sheet", args=[cancelled.pk])))
    assert escape("Questo incontro è annullato: non ha un foglio firme da stampare.") in page
    confirmed = cal.one(datetime.date(2026, 3, 10))
    Session.objects.filter(pk=confirmed.pk).update(
        register_status=RegisterStatus.CONFIRMED, register_confirmed_at=timezone.now()
    )
    page = refusal(client_for("supervisor").get(reverse("sessions:session_cancel", args=[confirmed.pk])))
    assert escape("Il registro di questo incontro è confermato: l'incontro non si sposta né si annulla più") in page


def test_the_sign_in_sheet_and_the_final_register_say_whose_they_are(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    page = refusal(client_for("supervisee").get(reverse("sessions:signin_sheet", args=[session.pk])))
    assert escape("li gestiscono il suo supervisore e chi gestisce il piano") in page
    page = refusal(client_for("coordinator").post(reverse("sessions:register_issue", args=[session.pk])))
    assert escape("Il registro finale si emette quando il registro presenze è confermato") in page
    assert f'href="{session.get_absolute_url()}"' in page

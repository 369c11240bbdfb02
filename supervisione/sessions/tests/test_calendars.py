"""Calendar pages (constant queries as sessions grow), iCalendar feeds parsed back, reminders, home steps."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.accounts.scopes import scope_for
from supervisione.sessions.actions.feeds import create_feed_token
from supervisione.sessions.actions.scheduling import Where, cancel_session, reschedule_session
from supervisione.sessions.booking import Slot
from supervisione.sessions.models import FeedToken, Modality
from supervisione.sessions.recurrence import Frequency, Recurrence
from supervisione.sessions.steps import sessions_steps
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.frozen import frozen

D = datetime.date


def _rome(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=ZoneInfo("Europe/Rome"))


def _events(content: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(content)
    return {str(event.uid): event for event in calendar.walk("VEVENT") if isinstance(event, icalendar.Event)}


@pytest.mark.parametrize(
    "url_name",
    ["partnership_calendar", "ambito_calendar", "group_calendar", "supervisor_calendar", "person_calendar"],
)
@pytest.mark.parametrize("view", ["mese", "settimana", "elenco"])
def test_it_reads_calendars_in_a_constant_number_of_queries(
    cal: Cal, client_for: Any, django_assert_max_num_queries: Any, url_name: str, view: str
) -> None:
    args: dict[str, list[Any]] = {
        "partnership_calendar": ["POGGIARDO-114"],
        "ambito_calendar": ["PUG_CASARANO"],
        "group_calendar": [cal.group.pk],
        "supervisor_calendar": [cal.supervisor.pk],
        "person_calendar": [cal.marco.pk],
    }
    url = reverse(f"sessions:{url_name}", args=args[url_name]) + f"?vista={view}&giorno=2026-03-02"
    client = client_for("coordinator")
    cal.book(D(2026, 3, 2), recurrence=Recurrence(Frequency.WEEKLY, count=2))
    client.get(url)
    with django_assert_max_num_queries(18) as few:
        assert client.get(url).status_code == 200
    cal.book(D(2026, 3, 3), "14:00", "16:00", kind="A3", recurrence=Recurrence(Frequency.WEEKLY, count=4))
    cal.book(
        D(2026, 3, 4),
        "09:00",
        "10:00",
        kind="A2",
        supervisee=cal.luca,
        recurrence=Recurrence(Frequency.WEEKLY, count=4),
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_it_shows_sessions_in_the_month_and_marks_cancellations(cal: Cal, client_for: Any) -> None:
    session = cal.one(D(2026, 3, 3))
    cancel_session(session, reason="Maltempo", version=session.version, by=cal.world.coordinator)
    cal.one(D(2026, 3, 10), "10:00", "12:00")
    page = (
        client_for("coordinator")
        .get(reverse("sessions:group_calendar", args=[cal.group.pk]) + "?vista=mese&giorno=2026-03-15")
        .content.decode()
    )
    assert "Marzo 2026" in page
    assert page.count("Gruppo A1 Casarano") >= 3
    assert "annullato" in page
    bad = client_for("coordinator").get(reverse("sessions:group_calendar", args=[cal.group.pk]) + "?giorno=ieri")
    assert bad.status_code == 200  # an invalid filter falls back to today


@frozen(2026, 11, 10)
def test_it_publishes_a_private_feed_with_updates_and_cancellations(cal: Cal, client_for: Any) -> None:
    moved = cal.one(D(2026, 11, 24))
    cancelled = cal.one(D(2026, 12, 1))
    client = client_for("supervisee")
    response = client.post(reverse("sessions:feed_settings"), {"action": "create"})
    url = response.context["feed_url"]
    assert "/calendario/ics/" in url
    feed = Client().get(url)  # no login: the token is the credential
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(feed.getvalue())
    assert set(events) == {f"incontro-{moved.pk}@supervisione", f"incontro-{cancelled.pk}@supervisione"}
    reschedule_session(
        moved,
        slot=Slot(D(2026, 11, 25), datetime.time(9), datetime.time(11)),
        where=Where(Modality.IN_PERSON, "Casarano"),
        reason="Sala occupata",
        version=moved.version,
        by=cal.world.coordinator,
    )
    cancel_session(cancelled, reason="Maltempo", version=cancelled.version, by=cal.world.coordinator)
    events = _events(Client().get(url).getvalue())
    updated = events[f"incontro-{moved.pk}@supervisione"]
    assert (updated.sequence, updated.status, updated.start) == (1, "CONFIRMED", _rome(2026, 11, 25, 9))
    gone = events[f"incontro-{cancelled.pk}@supervisione"]
    assert (gone.sequence, gone.status) == (1, "CANCELLED")
    # Revoking the address stops the feed at once.
    client.post(reverse("sessions:feed_settings"), {"action": "revoke"})
    assert not FeedToken.objects.exists()
    assert Client().get(url).status_code == 404


@frozen(2026, 11, 10)
def test_it_publishes_group_feeds_without_individual_sessions(cal: Cal, client_for: Any) -> None:
    group_session = cal.one(D(2026, 11, 24))
    cal.one(D(2026, 11, 25), kind="A2", supervisee=cal.anna)
    token = create_feed_token(cal.world.supervisor)
    events = _events(Client().get(reverse("sessions:group_feed", args=[token, cal.group.pk])).getvalue())
    assert list(events) == [f"incontro-{group_session.pk}@supervisione"]
    outsider = create_feed_token(cal.world.outsider)
    assert Client().get(reverse("sessions:group_feed", args=[outsider, cal.group.pk])).status_code == 404


@frozen(2026, 11, 10)
def test_it_emails_reminders_once_and_again_after_a_reschedule(cal: Cal) -> None:
    cal.world.supervisee.email = "marco@example.org"
    cal.world.supervisee.save()
    cal.supervisor.email = "chiara@example.org"
    cal.supervisor.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    session = cal.one(tomorrow, "10:00", "12:00")
    call_command("send_reminders", stdout=_Null())
    assert sorted(m.to[0] for m in mail.outbox) == ["chiara@example.org", "marco@example.org"]
    assert "Promemoria: supervisione del" in mail.outbox[0].subject
    call_command("send_reminders", stdout=_Null())
    assert len(mail.outbox) == 2
    reschedule_session(
        session,
        slot=Slot(tomorrow, datetime.time(15), datetime.time(17)),
        where=Where(Modality.IN_PERSON, "Casarano"),
        reason="Spostato",
        version=session.version,
        by=cal.world.coordinator,
    )
    call_command("send_reminders", stdout=_Null())
    assert len(mail.outbox) == 4
    assert "dalle 15:00 alle 17:00" in mail.outbox[-1].body


class _Null:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@frozen(2026, 11, 10)
def test_it_tells_supervisors_and_supervisees_what_to_do_next(cal: Cal) -> None:
    today = timezone.localdate()
    cal.one(today - datetime.timedelta(days=7))
    cal.one(today + datetime.timedelta(days=3))
    titles = [step.title for step in sessions_steps(cal.world.supervisor, _scope(cal.world.supervisor))]
    assert titles == ["1 registro presenze da confermare"]
    titles = [step.title for step in sessions_steps(cal.world.supervisee, _scope(cal.world.supervisee))]
    assert titles[0].startswith(f"Prossimo incontro il {today + datetime.timedelta(days=3):%d/%m/%Y}")


@frozen(2026, 11, 10, 15)
def test_it_never_tells_a_supervisee_that_a_session_held_this_morning_is_next(cal: Cal) -> None:
    today = timezone.localdate()
    cal.one(today, "09:00", "11:00")
    cal.one(today + datetime.timedelta(days=3))
    titles = [step.title for step in sessions_steps(cal.world.supervisee, _scope(cal.world.supervisee))]
    assert titles[0] == f"Prossimo incontro il {today + datetime.timedelta(days=3):%d/%m/%Y} alle 09:00"


@frozen(2026, 11, 10, 15)
def test_it_tells_a_supervisee_that_the_session_is_going_on(cal: Cal) -> None:
    cal.one(timezone.localdate(), "14:30", "16:30")
    titles = [step.title for step in sessions_steps(cal.world.supervisee, _scope(cal.world.supervisee))]
    assert titles[0] == "Incontro in corso, dalle 14:30 alle 16:30"


def _scope(user: User) -> Any:
    return scope_for(user)

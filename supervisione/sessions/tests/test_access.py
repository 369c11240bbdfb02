"""Every calendar page against every persona: allowed (200), read-only (403) or invisible (404)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.sessions.models import Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.world import PERSONAS

NAMES = [name for name, _role, _where in PERSONAS]


def only(allowed: set[str], *, hidden: set[str] | frozenset[str] = frozenset(), default: int = 403) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 if name in hidden else default for name in NAMES}


PARTICIPANTS = {"admin", "coordinator", "referent", "supervisor", "supervisee"}
OUTSIDE = {"outsider", "nobody"}


def pages(cal: Cal, session: Session) -> list[tuple[str, str, dict[str, int]]]:
    group = cal.group.pk
    return [
        # The outsider coordinates another partnership: their own calendar, nothing of Poggiardo.
        ("home", reverse("sessions:home"), only(PARTICIPANTS | {"outsider"})),
        (
            "partnership",
            reverse("sessions:partnership_calendar", args=["POGGIARDO-114"]),
            only(PARTICIPANTS, hidden=OUTSIDE),
        ),
        (
            "ambito",
            reverse("sessions:ambito_calendar", args=["PUG_CASARANO"]),
            # The referent of Maglie does not see another ATS, even of the same partnership.
            only(PARTICIPANTS - {"referent"}, hidden=OUTSIDE | {"referent"}),
        ),
        (
            "group",
            reverse("sessions:group_calendar", args=[group]),
            only({"admin", "coordinator", "supervisor", "supervisee"}, hidden=OUTSIDE),
        ),
        ("book", reverse("sessions:session_create", args=[group]), only({"admin", "coordinator"}, hidden=OUTSIDE)),
        (
            "supervisor",
            reverse("sessions:supervisor_calendar", args=[cal.supervisor.pk]),
            only({"admin", "coordinator", "referent", "supervisor"}, hidden=OUTSIDE),
        ),
        (
            "person",
            reverse("sessions:person_calendar", args=[cal.marco.pk]),
            only({"admin", "coordinator", "supervisee"}, hidden=NAMES_SET - {"admin", "coordinator", "supervisee"}),
        ),
        (
            "detail",
            reverse("sessions:session_detail", args=[session.pk]),
            only(
                {"admin", "coordinator", "supervisor", "supervisee"},
                hidden={"referent", "outsider", "nobody"},
            ),
        ),
        (
            # Managers read the register (and correct it after confirmation); the supervisor takes it.
            "register",
            reverse("sessions:register", args=[session.pk]),
            only({"admin", "coordinator", "supervisor"}, hidden={"referent", "outsider", "nobody"}),
        ),
        (
            "reschedule",
            reverse("sessions:session_reschedule", args=[session.pk]),
            only({"admin", "coordinator", "supervisor"}, hidden={"referent", "outsider", "nobody"}),
        ),
        (
            "code",
            reverse("sessions:checkin_code", args=[session.pk]),
            only({"admin", "coordinator", "supervisor"}, hidden={"referent", "outsider", "nobody"}),
        ),
        # Those without a linked census person are told who checks in; observers and users without roles: 403.
        ("checkin", reverse("sessions:checkin"), only(PARTICIPANTS | {"outsider"})),
        ("today", reverse("sessions:today"), {**dict.fromkeys(NAMES, 302), "supervisor": 200}),
        (
            "timesheet",
            reverse("sessions:timesheet", args=[cal.supervisor.pk]),
            only({"admin", "coordinator", "supervisor"}, hidden=OUTSIDE),
        ),
        (
            "certificate",
            reverse("sessions:certificate", args=[cal.marco.pk]),
            only({"admin", "coordinator", "supervisee"}, hidden=NAMES_SET - {"admin", "coordinator", "supervisee"}),
        ),
        ("verify", reverse("sessions:verify"), only(set(NAMES))),
        ("feeds", reverse("sessions:feed_settings"), only(PARTICIPANTS | {"outsider"})),
    ]


NAMES_SET = set(NAMES)


def test_it_answers_each_persona_as_the_scope_says(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    expected_by_page = {name: expected for name, _url, expected in pages(cal, session)}
    answers = {
        name: {persona: client_for(persona).get(url).status_code for persona in NAMES}
        for name, url, _expected in pages(cal, session)
    }
    for name, expected in expected_by_page.items():
        assert (name, answers[name]) == (name, expected)


def test_it_sends_anonymous_users_to_login(cal: Cal) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    for _name, url, _expected in pages(cal, session):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["referent", "supervisee", "observer", "outsider"])
def test_it_refuses_bookings_from_anyone_but_managers_without_saving(cal: Cal, client_for: Any, persona: str) -> None:
    response = client_for(persona).post(
        reverse("sessions:session_create", args=[cal.group.pk]),
        {
            "kind": "A1",
            "date": "2026-03-03",
            "start_time": "09:00",
            "end_time": "11:00",
            "modality": "remote",
            "link": "https://x.org",
            "supervisor": cal.supervisor.pk,
            "contract": cal.contract.pk,
            "funding": cal.funding.pk,
        },
    )
    assert response.status_code in (403, 404)
    assert not Session.objects.exists()

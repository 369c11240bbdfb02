"""The demo lives in the present: loaded on any day of any year it tells a coherent story, and loaded again a
week later it adds what a week of work would have added (docs/ARCHITECTURE.md, "How dates flow")."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from supervisione.demo.present import FIRST_YEAR, PNRR_END, Present
from supervisione.demo.sessions import ROME
from supervisione.demo.tests.test_demo import DEMO_USERS, _empty, _run_demo
from supervisione.funding.tests.demo_checks import check_funding_present
from supervisione.leps.compliance import ComplianceStatus
from supervisione.lib import clock
from supervisione.monitoring.alerts import collect
from supervisione.monitoring.figures import figures
from supervisione.monitoring.selection import YEAR, Selection, partnership_plans
from supervisione.planning.models import Plan, PlanStatus
from supervisione.planning.payers import group_checks
from supervisione.planning.queries import plan_groups
from supervisione.planning.tests.demo_checks import check_filings_present, check_next_year_present
from supervisione.sessions.models import Attendance, AttendanceStatus, RegisterStatus, Session, SessionStatus
from supervisione.territory.models import Partnership

# New Year's morning, the last of June, New Year's Eve, a leap day, a September day three years on.
DAYS = [
    datetime.datetime(2027, 1, 1, 9, 0, tzinfo=ROME),
    datetime.datetime(2027, 6, 30, 15, 20, tzinfo=ROME),
    datetime.datetime(2027, 12, 31, 17, 45, tzinfo=ROME),
    datetime.datetime(2028, 2, 29, 11, 5, tzinfo=ROME),
    datetime.datetime(2029, 9, 14, 10, 0, tzinfo=ROME),
]


PERSONA_PAGES = ("home:home", "sessions:home", "monitoring:index", "sessions:today")


def check_present() -> None:
    """The invariants of the demo's present, whatever the day."""
    present = Present(clock.today())
    today = present.today
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    plans = {plan.year: plan for plan in Plan.objects.filter(partnership=poggiardo)}
    # Every group charged to an FNPS row may be paid by it: the convention's quotas share the cost among the ATS.
    for plan in plans.values():
        assert all(check.allowed for check in group_checks(plan, plan_groups(plan)).values()), plan
    # A current plan (a draft still to transmit) and an approved plan for every year before it.
    assert plans[today.year].status == PlanStatus.DRAFT
    assert {year for year, plan in plans.items() if plan.status == PlanStatus.APPROVED} == set(
        range(FIRST_YEAR, today.year)
    )
    sessions = Session.objects.filter(partnership=poggiardo, status=SessionStatus.SCHEDULED)
    # Held sessions with confirmed registers in the last months, upcoming sessions, open registers.
    assert sessions.filter(date__gte=today - datetime.timedelta(days=60), register_status="confirmed").exists()
    assert sessions.filter(date__gt=today).count() >= 2
    open_held = sessions.filter(date__lt=today, register_status=RegisterStatus.OPEN)
    assert open_held.count() >= 3
    assert Attendance.objects.filter(session__in=open_held).exclude(status=AttendanceStatus.UNRECORDED).exists()
    # Nothing after the end of the PNRR activities is charged to the project.
    assert not Session.objects.filter(date__gt=PNRR_END, funding__measure="pnrr_114").exists()
    # Group 4 (no supervisor this year) is behind; in the first weeks of a year, when no share of the minimum is
    # due yet, the same rules call it at risk.
    found = figures(
        Selection(today.year, YEAR, today, tuple(partnership_plans(poggiardo, today.year))), with_names=True
    )
    late = next(row for row in found.groups if row.group.name == "Gruppo A1 n. 4")
    assert late.compliance is not None
    if late.compliance.expected:
        assert late.compliance.status is ComplianceStatus.BEHIND
    else:
        assert late.compliance.status is ComplianceStatus.AT_RISK
    # A person below 80 % in the year just ended, the alerts of every kind.
    last_year = figures(Selection(today.year - 1, YEAR, today, tuple(partnership_plans(poggiardo, today.year - 1))))
    assert last_year.people_below_threshold >= 1
    assert {alert.kind for alert in collect(today)} == {"group", "register", "contract", "deadline", "request"}
    # The FNPS ledgers add up and hold no act of the future.
    check_funding_present()
    # Every persona's pages answer.
    for username in DEMO_USERS:
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": username, "password": "demo-supervisione"})
        assert response.status_code == 302, username
        # Each page once (the home page is the heaviest, with every app's next steps).
        answers = {name: client.get(reverse(name)).status_code for name in PERSONA_PAGES}
        for name, status in answers.items():
            assert status in (200, 302, 403), (username, name)
        assert answers["home:home"] == 200, username
    check_filings_present()
    # The next year's POA in preparation on FNPS, built by "Prepara il POA" (planning.next_year).
    check_next_year_present()
    coordinator = Client()
    coordinator.post(reverse("accounts:login"), {"username": "coordinatore.poggiardo", "password": "demo-supervisione"})
    for url in (
        reverse("monitoring:partnership", args=["POGGIARDO-114"]),
        reverse("sessions:partnership_calendar", args=["POGGIARDO-114"]),
        plans[today.year].get_absolute_url(),
    ):
        assert coordinator.get(url).status_code == 200, url


@pytest.mark.parametrize("moment", DAYS, ids=[f"{day:%Y-%m-%d}" for day in DAYS])
def test_it_tells_a_coherent_present_on_any_day(
    db: Any, settings: Any, tmp_path: Path, moment: datetime.datetime
) -> None:
    _empty(settings, tmp_path)
    with time_machine.travel(moment, tick=False):
        _run_demo()
        check_present()


def _history() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Each session (by group, day, start, kind, person) with its register and attendance."""
    marks: dict[int, list[tuple[int, str, int]]] = {}
    for person, session, status, minutes in Attendance.objects.values_list("person", "session", "status", "minutes"):
        marks.setdefault(session, []).append((person, status, minutes))
    return {
        (s.group_id, s.date, s.start_time, s.kind, s.supervisee_id): (
            s.status,
            s.register_status,
            s.funding_id,
            sorted(marks.get(s.pk, [])),
        )
        for s in Session.objects.all()
    }


def test_it_adds_a_week_of_work_when_loaded_again_a_week_later(db: Any, settings: Any, tmp_path: Path) -> None:
    _empty(settings, tmp_path)
    first = datetime.datetime(2027, 3, 9, 10, 20, tzinfo=ROME)  # a Tuesday
    with time_machine.travel(first, tick=False):
        _run_demo()
    before = _history()
    with time_machine.travel(first + datetime.timedelta(days=7), tick=False):
        _run_demo()
        check_present()
    after = _history()
    assert Session.objects.count() == len(after), "no session twice"
    week_before = first.date() - datetime.timedelta(days=7)
    for key, (status, register, funding, marks) in before.items():
        day = key[1]
        now = after[key]  # nothing disappears
        if register == RegisterStatus.CONFIRMED:
            assert now == (status, register, funding, marks), key  # history stays as it was
        elif day < first.date() and status == SessionStatus.SCHEDULED:
            assert now[1] == RegisterStatus.CONFIRMED or day > week_before, key  # the supervisor confirmed it
            assert now[3] == marks or not any(m[1] != AttendanceStatus.UNRECORDED for m in marks), key
        elif day < first.date() + datetime.timedelta(days=7) and status == SessionStatus.SCHEDULED:
            assert any(mark[1] != AttendanceStatus.UNRECORDED for mark in now[3]), key  # held during the week
    added = set(after) - set(before)
    assert added, "a week of work adds sessions (the week's registers, the next meetings)"
    assert all(key[1] >= week_before for key in added), sorted(added)


def test_at_new_year_the_plan_in_preparation_becomes_the_current_draft(db: Any, settings: Any, tmp_path: Path) -> None:
    """Loaded before Christmas and again in January: the POA prepared for the new year is now its draft to transmit
    (the demo's own story: group 4 waiting for a supervisor, Maglie's équipe short of hours), last year's is
    approved, and the year after is prepared in its turn; a second run the same day changes nothing."""
    _empty(settings, tmp_path)
    with time_machine.travel(datetime.datetime(2027, 12, 15, 10, 0, tzinfo=ROME), tick=False):
        _run_demo()
        prepared = Plan.objects.get(partnership__code="POGGIARDO-114", year=2028)
    with time_machine.travel(datetime.datetime(2028, 1, 11, 10, 0, tzinfo=ROME), tick=False):
        _run_demo()
        check_present()
        assert "0 creati, 0 aggiornati" in _run_demo()
    plans = {plan.year: plan for plan in Plan.objects.filter(partnership__code="POGGIARDO-114")}
    assert plans[2028].pk == prepared.pk
    assert (plans[2027].status, plans[2028].status, plans[2029].status) == ("approved", "draft", "draft")
    assert plans[2029].notes == "Preparato dal POA 2028 (versione 1)."

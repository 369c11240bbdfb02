"""generate_national at a small size: deterministic, true to the LEPS rules, and what the pages show.

The test database already holds the personas (``supervisione.testing.world``), so every run uses --force, which
empties it first (inside the test's transaction, rolled back afterwards).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.census.models import Census, CensusStatus, Person
from supervisione.leps.compliance import compliance, describe_compliance
from supervisione.leps.pnrr import ACTIVITIES_END
from supervisione.planning.models import A2Transfer, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.plan_page import plan_page
from supervisione.procurement.models import ContractLine
from supervisione.sessions.models import Attendance, RegisterStatus, Session, SessionStatus
from supervisione.sessions.public_holidays import holiday_name
from supervisione.sessions.usage import minutes_to_hours
from supervisione.territory.models import Ambito, FundingMeasure, Partnership
from supervisione.testing.frozen import frozen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national", *args, "--force", stdout=out)
    return out.getvalue()


def digest() -> str:
    """The key tables, row by row, in key order."""
    parts = [
        Ambito.objects.order_by("pk").values_list("pk", "code", "name", "capofila_municipality__istat_code"),
        Partnership.objects.order_by("pk").values_list("pk", "code", "budget"),
        User.objects.order_by("pk").values_list("pk", "username"),
        Person.objects.order_by("pk").values_list("pk", "tax_code", "profession"),
        PlanGroup.objects.order_by("pk").values_list("pk", "name", "planned_hours", "supervisor_id"),
        PlanMember.objects.order_by("pk").values_list("group_id", "person_id"),
        Session.objects.order_by("pk").values_list("pk", "group_id", "date", "start_time", "status", "register_status"),
        Attendance.objects.order_by("pk").values_list("session_id", "person_id", "status", "minutes"),
    ]
    hashed = hashlib.sha256()
    for rows in parts:
        for row in rows:
            hashed.update(repr(row).encode())
    return hashed.hexdigest()


def test_it_is_deterministic_for_a_seed() -> None:
    generate("--ambiti", "2", "--years", "1", "--seed", "7", "--today", "2026-06-15")
    first = digest()
    assert Session.objects.exists()
    generate("--ambiti", "2", "--years", "1", "--seed", "7", "--today", "2026-06-15")
    assert digest() == first
    generate("--ambiti", "2", "--years", "1", "--seed", "8", "--today", "2026-06-15")
    assert digest() != first


def test_it_refuses_a_database_with_data_and_bad_options() -> None:
    users = User.objects.count()
    with pytest.raises(CommandError, match="contiene già dati"):
        call_command("generate_national", "--ambiti", "2", "--years", "1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="non è una data"):
        call_command("generate_national", "--ambiti", "2", "--years", "1", "--today", "15/06/2026", "--force")
    with pytest.raises(CommandError, match="--years va da 1"):
        call_command("generate_national", "--ambiti", "2", "--years", "0", "--force")
    assert User.objects.count() == users
    assert not Session.objects.filter(partnership__code__contains="-P0").exists()


def test_it_follows_the_leps_rules_and_the_calendar_rules() -> None:
    today = datetime.date(2026, 6, 15)
    output = generate("--ambiti", "5", "--years", "2", "--seed", "3", "--today", today.isoformat())
    assert "supervision_sessions.Attendance" in output
    assert Plan.objects.filter(year__in=[2025, 2026]).count() == Plan.objects.count() > 0
    assert not Census.objects.exclude(status=CensusStatus.VALIDATED).exists()

    # Every plan is approved and passes the plan page's checks: groups of at most 15 AS, every AS in a group,
    # minimum hours, eligible supervisors with valid declarations, costs within the funds.
    for plan in Plan.objects.all():
        assert plan.status == PlanStatus.APPROVED
        page = plan_page(plan)
        assert page.blocking == [], (plan, page.blocking)
        assert page.warnings == [], (plan, page.warnings)
        for row in page.a1_rows:
            assert row.member_count <= 15
            assert row.group.planned_hours >= 16
            assert row.group.a2_pool_hours >= 15
        for row in page.a3_rows:
            assert row.group.planned_hours >= 6

    members = defaultdict(set)
    for group_id, person_id in PlanMember.objects.values_list("group_id", "person_id"):
        members[group_id].add(person_id)
    sessions = {session.pk: session for session in Session.objects.select_related("contract")}
    expected: dict[int, set[int]] = defaultdict(set)
    for attendance in Attendance.objects.all():
        expected[attendance.session_id].add(attendance.person_id)
        session = sessions[attendance.session_id]
        held = session.status == SessionStatus.SCHEDULED and session.date < today
        assert (attendance.status != "unrecorded") == held, attendance
    busy: dict[tuple[str, int, datetime.date], list[Session]] = defaultdict(list)
    for session in sessions.values():
        people = expected[session.pk]
        # Attendance rows only for the expected participants: the group's people, or the A2 supervisee.
        assert people, session
        assert people <= members[session.group_id]
        if session.kind == "A2":
            assert people == {session.supervisee_id}
        contract = session.contract
        assert contract.start_date is not None
        assert contract.end_date is not None
        assert contract.start_date <= session.date <= contract.end_date
        assert session.date.month != 8
        assert holiday_name(session.date) is None
        if session.register_status == RegisterStatus.CONFIRMED:
            assert session.date < today - datetime.timedelta(days=6)
            assert session.register_confirmed_at is not None
        if session.status == SessionStatus.CANCELLED:
            assert session.cancel_reason
            assert session.register_status == RegisterStatus.OPEN
        elif session.date < today - datetime.timedelta(days=7):
            assert session.register_status == RegisterStatus.CONFIRMED
        if session.status == SessionStatus.SCHEDULED:
            for key in [("s", session.supervisor_id), *(("p", person) for person in people)]:
                busy[(*key, session.date)].append(session)
    # Nothing after the end of the PNRR activities is charged to the PNRR: the ATS's FNPS quota pays from the day
    # after, as the groups of that year say (funding_after), and the plans' costs are split at the end.
    after_end = Session.objects.filter(date__gt=ACTIVITIES_END)
    assert after_end.exists()
    assert not after_end.filter(funding__measure=FundingMeasure.PNRR_114).exists()
    assert Session.objects.filter(date__lte=ACTIVITIES_END, funding__measure=FundingMeasure.PNRR_114).exists()
    for group in PlanGroup.objects.filter(plan__year=ACTIVITIES_END.year).select_related("funding", "funding_after"):
        assert group.funding is not None
        if group.funding.is_pnrr:
            assert group.funding_after is not None
            assert group.funding_after.measure == FundingMeasure.FNPS
    # Nobody double-booked.
    for booked in busy.values():
        ordered = sorted(booked, key=lambda s: s.start_time)
        for before, after in itertools.pairwise(ordered):
            assert before.end_time <= after.start_time, (before, after)
    # Some realism: absences, partial presences, cancellations, sessions to come.
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert {"present", "partial", "absent", "absent_justified", "unrecorded"} <= statuses
    assert Session.objects.filter(status=SessionStatus.CANCELLED).exists()
    assert Session.objects.filter(date__gte=today, status=SessionStatus.SCHEDULED).exists()

    # Contracts bought the hours booked; A2 pools are never overdrawn.
    for line in ContractLine.objects.all():
        booked = Session.objects.filter(
            contract=line.contract, kind=line.kind, status=SessionStatus.SCHEDULED
        ).aggregate(total=Sum("minutes"))["total"]
        assert Decimal(booked or 0) / 60 <= line.hours
    for group in PlanGroup.objects.filter(kind="A1"):
        used = Session.objects.filter(group=group, kind="A2", status=SessionStatus.SCHEDULED).aggregate(
            total=Sum("minutes")
        )["total"]
        moved = A2Transfer.objects.filter(source=group).aggregate(total=Sum("hours"))["total"] or 0
        assert Decimal(used or 0) / 60 <= group.a2_pool_hours - moved

    # The documented logins exist with their roles.
    partnership = Partnership.objects.order_by("code").first()
    assert partnership is not None
    ambito = partnership.capofila
    for username, role in (
        (f"coordinatore.{partnership.code.lower()}", Role.COORDINATOR),
        (f"referente.{ambito.code.lower()}", Role.REFERENT),
        (f"supervisore.{partnership.code.lower()}.1", Role.SUPERVISOR),
        (f"operatore.{ambito.code.lower()}.1", Role.SUPERVISEE),
        ("osservatore.nazionale", Role.OBSERVER),
        ("osservatore.pug", Role.OBSERVER),
        ("admin", Role.ADMIN),
    ):
        assert RoleAssignment.objects.filter(user__username=username, role=role).exists(), username


@frozen(2026, 6, 15)
def test_the_ats_dashboard_shows_a_groups_figures() -> None:
    today = timezone.localdate()
    generate("--ambiti", "2", "--years", "1", "--seed", "5")
    ambito = Ambito.objects.order_by("code").first()
    assert ambito is not None
    group = (
        PlanGroup.objects.filter(kind="A1", plan__year=today.year, memberships__ambito=ambito)
        .select_related("plan")
        .distinct()
        .order_by("name")
        .first()
    )
    assert group is not None
    sessions = Session.objects.filter(group=group, kind="A1", status=SessionStatus.SCHEDULED)

    def hours(condition: Q) -> Decimal:
        return minutes_to_hours(sessions.filter(condition).aggregate(total=Sum("minutes"))["total"] or 0)

    confirmed = Q(register_status=RegisterStatus.CONFIRMED)
    delivered = hours(confirmed & Q(date__lte=today))
    awaiting = hours(~confirmed & Q(date__lt=today))
    scheduled = hours(Q(date__gt=today) | Q(date=today, register_status=RegisterStatus.OPEN))
    assert delivered > 0
    result = compliance(
        Decimal(16), delivered, scheduled, today, group.plan.starts_on, group.plan.ends_on, awaiting=awaiting
    )
    client = Client()
    client.force_login(User.objects.get(username=f"referente.{ambito.code.lower()}"))
    response = client.get(reverse("monitoring:ambito", args=[ambito.code]))
    assert response.status_code == 200
    assert describe_compliance(group.name, result) in response.content.decode()

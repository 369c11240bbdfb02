"""What the demo must contain for the calendar; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from supervisione.census.models import Person
from supervisione.demo.sessions import in_progress_slot
from supervisione.planning.models import PlanGroup
from supervisione.sessions.models import (
    AttendanceStatus,
    RegisterDocument,
    RegisterStatus,
    Session,
    SessionStatus,
    SupervisorNote,
)
from supervisione.sessions.queries import certificate
from supervisione.sessions.usage import confirmed_minutes


def check_sessions_demo() -> None:
    """A history with cancellations, absences, a late group, one AS below 80 % and upcoming sessions."""
    sessions = Session.objects.filter(partnership__code="POGGIARDO-114")
    assert sessions.filter(date__year=2025, register_status="confirmed").count() > 60
    assert sessions.filter(date__year=2026, date__lt=datetime.date(2026, 11, 23), register_status="confirmed").exists()
    assert sessions.filter(status=SessionStatus.CANCELLED).exclude(cancel_reason="").count() == 3
    assert sessions.filter(sequence=1, status=SessionStatus.SCHEDULED).count() == 1  # the one moved
    # Group 4 has no supervisor in 2026 and no hours: behind its minimum of 16.
    late = PlanGroup.objects.get(plan__year=2026, name="Gruppo A1 n. 4")
    assert confirmed_minutes(Session.objects.filter(group=late, kind="A1")) == 0
    # One AS of group 1 stays below 80 % in 2025; most are above.
    group_1 = PlanGroup.objects.get(plan__year=2025, name="Gruppo A1 n. 1")
    shares = [
        certificate(member.person, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)).total.reaches_threshold
        for member in group_1.memberships.select_related("person")
    ]
    assert shares.count(False) == 1
    # Upcoming for the demo supervisor and supervisee.
    marco = Person.objects.get(user__username="operatore.demo")
    upcoming = Session.objects.filter(attendances__person=marco, date__gt=datetime.date(2026, 11, 23))
    assert {(s.date, s.kind) for s in upcoming} >= {
        (datetime.date(2026, 11, 24), "A1"),
        (datetime.date(2026, 11, 26), "A2"),
    }
    assert (
        Session.objects.filter(
            supervisor__user__username="supervisore.demo", date__gt=datetime.date(2026, 11, 23)
        ).count()
        >= 4
    )
    assert SupervisorNote.objects.count() == 2
    assert RegisterDocument.objects.count() == 1
    # A session of Marco's group going on now, whatever the date, to check in to (not in the day's last minute).
    now = timezone.now()
    if in_progress_slot(now) is not None:
        going_on = [
            session
            for session in Session.objects.filter(attendances__person=marco, date=timezone.localdate(now))
            if session.starts_at <= now <= session.ends_at
        ]
        assert len(going_on) == 1, going_on
        session = going_on[0]
        assert session.register_status == RegisterStatus.OPEN
        assert session.supervisor.user is not None
        assert session.supervisor.user.username == "supervisore.demo"
        assert set(session.attendances.values_list("status", flat=True)) == {AttendanceStatus.UNRECORDED}
        assert session.attendances.count() > 10

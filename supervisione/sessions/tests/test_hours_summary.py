"""The summary of hours (``sessions.hours_summary``) stays what a rebuild from the registers makes of them: through
the actions that write sessions and registers (booking, confirming, correcting, moving, cancelling), through
random series of changes refreshed as the actions refresh them (reopening a register included), and by
``manage.py rebuild_hours_summary``, which can be run again without changing anything."""

from __future__ import annotations

import datetime
import importlib
import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q

from supervisione.sessions import hours_summary
from supervisione.sessions.actions.registers import Mark, confirm_register, save_register
from supervisione.sessions.actions.scheduling import Where, cancel_session, reschedule_session
from supervisione.sessions.booking import Slot
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    AttendanceSummary,
    HoursSummary,
    Modality,
    RegisterStatus,
    Session,
    SessionStatus,
)
from supervisione.sessions.recurrence import Frequency, Recurrence
from supervisione.sessions.tests.conftest import Cal

D = datetime.date
T = datetime.time
pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Both tables as sorted rows, without their keys."""
    hours = sorted(HoursSummary.objects.values_list(*(f.attname for f in HoursSummary._meta.concrete_fields[1:])))
    people = sorted(
        AttendanceSummary.objects.values_list(*(f.attname for f in AttendanceSummary._meta.concrete_fields[1:]))
    )
    return hours, people


def assert_as_rebuilt() -> None:
    kept = snapshot()
    hours_summary.rebuild()
    assert snapshot() == kept
    assert kept[0], "the summary is not empty"


def confirm(cal: Cal, session: Session, marks: dict[str, Mark] | None = None) -> Session:
    marks = marks or {}
    current = Session.objects.get(pk=session.pk)
    save_register(
        current,
        {a.pk: marks.get(a.person.surname, Mark(AttendanceStatus.PRESENT)) for a in current.attendances.all()},
        version=current.version,
        by=cal.world.supervisor,
    )
    return confirm_register(
        current,
        version=current.version,
        by=cal.world.supervisor,
        now=datetime.datetime.combine(current.date, T(23), tzinfo=datetime.UTC),
    )


def test_the_actions_keep_the_summary_as_a_rebuild_makes_it(cal: Cal) -> None:
    monthly = cal.book(D(2026, 2, 3), recurrence=Recurrence(Frequency.WEEKLY, interval=2, count=6))
    assert_as_rebuilt()
    (equipe,) = cal.book(D(2026, 3, 12), "14:00", "16:00", kind="A3")
    (single,) = cal.book(D(2026, 2, 19), "15:00", "16:00", kind="A2", supervisee=cal.marco)
    assert_as_rebuilt()
    confirm(cal, monthly[0], {"Rizzo": Mark(AttendanceStatus.ABSENT)})
    confirm(cal, monthly[1])
    confirm(cal, single)
    assert_as_rebuilt()
    row = HoursSummary.objects.get(group=cal.group, month=D(2026, 2, 1), kind="A1")
    assert (row.confirmed_minutes, row.confirmed_sessions, row.open_minutes, row.scheduled_sessions) == (240, 2, 0, 2)
    anna = AttendanceSummary.objects.get(group=cal.group, year=2026, kind="A1", person=cal.anna)
    assert (anna.expected_2, anna.attended_2) == (240, 120)  # type: ignore[attr-defined]  # a month's column, made by a loop in the model

    # A correction after confirmation (with its reason) changes the minutes attended.
    current = Session.objects.get(pk=monthly[0].pk)
    anna_row = current.attendances.get(person=cal.anna)
    save_register(
        current,
        {anna_row.pk: Mark(AttendanceStatus.PARTIAL, 30)},
        version=current.version,
        by=cal.world.supervisor,
        reason="Era arrivata in ritardo",
    )
    anna = AttendanceSummary.objects.get(group=cal.group, year=2026, kind="A1", person=cal.anna)  # rewritten
    assert anna.attended_2 == 150  # type: ignore[attr-defined]  # a month's column, made by a loop in the model
    assert_as_rebuilt()

    # Moved to another month, then cancelled: each month as its sessions make it.
    moved = Session.objects.get(pk=monthly[2].pk)
    reschedule_session(
        moved,
        slot=Slot(D(2026, 4, 21), T(9), T(11)),
        where=Where(Modality.IN_PERSON, "Casarano, sala riunioni"),
        reason="Sala occupata",
        version=moved.version,
        by=cal.world.coordinator,
    )
    assert_as_rebuilt()
    cancelled = Session.objects.get(pk=equipe.pk)
    cancel_session(cancelled, reason="Malattia della supervisora", version=cancelled.version, by=cal.world.coordinator)
    row = HoursSummary.objects.get(group=cal.equipe_group, month=D(2026, 3, 1))
    assert (row.scheduled_minutes, row.scheduled_sessions, row.open_minutes) == (0, 0, 0)
    assert_as_rebuilt()


OPERATIONS = ("confirm", "correct", "reopen", "cancel", "move", "restore")


def _apply(session: Session, operation: str, rng: random.Random) -> None:
    """One change as a write makes it, then the refresh its action calls (with the pair it had before)."""
    before = hours_summary.key_of(session)
    if operation == "confirm" and session.status == SessionStatus.SCHEDULED:
        session.register_status = RegisterStatus.CONFIRMED
        session.register_confirmed_at = datetime.datetime.combine(session.date, T(23), tzinfo=datetime.UTC)
        for attendance in session.attendances.all():
            _mark(attendance, rng.choice((0, session.minutes // 2, session.minutes)), session.minutes)
    elif operation == "correct":
        for attendance in session.attendances.filter(pk=rng.choice([a.pk for a in session.attendances.all()])):
            _mark(attendance, rng.randint(0, session.minutes), session.minutes)
    elif operation == "reopen":
        session.register_status, session.register_confirmed_at = RegisterStatus.OPEN, None
    elif operation == "cancel" and session.register_status == RegisterStatus.OPEN:
        session.status, session.cancel_reason = SessionStatus.CANCELLED, "Malattia della supervisora"
    elif operation == "restore":
        session.status, session.cancel_reason = SessionStatus.SCHEDULED, ""
    elif operation == "move":
        session.date = D(2026, rng.randint(1, 12), rng.randint(1, 28))
    session.save()
    hours_summary.refresh_sessions(session, before=[before])


def _mark(attendance: Attendance, minutes: int, whole: int) -> None:
    status = {0: AttendanceStatus.ABSENT, whole: AttendanceStatus.PRESENT}.get(minutes, AttendanceStatus.PARTIAL)
    attendance.status, attendance.minutes = status, minutes
    attendance.save(update_fields=["status", "minutes"])


@pytest.mark.parametrize("seed", range(4))
def test_random_series_of_changes_leave_the_summary_as_a_rebuild_makes_it(cal: Cal, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (reproducible test data)
    sessions: list[Session] = []
    for first in (D(2026, 1, 13), D(2026, 7, 7)):  # on the PNRR row up to its end (30/06), then another source
        sessions += cal.book(first, recurrence=Recurrence(Frequency.WEEKLY, interval=3, count=8))
        monthly = Recurrence(Frequency.MONTHLY, count=5)
        sessions += cal.book(first + datetime.timedelta(days=2), "14:00", "15:00", kind="A3", recurrence=monthly)
    for _step in range(25):
        _apply(rng.choice(sessions), rng.choice(OPERATIONS), rng)
    assert_as_rebuilt()


def test_the_command_rebuilds_everything_or_a_partnership_and_can_be_run_again(cal: Cal) -> None:
    for session in cal.book(D(2026, 3, 3), recurrence=Recurrence(Frequency.WEEKLY, count=3)):
        confirm(cal, session)
    kept = snapshot()
    HoursSummary.objects.all().delete()
    AttendanceSummary.objects.all().delete()
    out = StringIO()
    call_command("rebuild_hours_summary", stdout=out)
    assert snapshot() == kept
    assert "1 riga di ore, 3 righe di presenze" in out.getvalue()  # March's A1, the group's three people
    call_command("rebuild_hours_summary", "--partenariato", "POGGIARDO-114", stdout=out)
    call_command("rebuild_hours_summary", stdout=out)
    assert snapshot() == kept
    assert "per il partenariato POGGIARDO-114" in out.getvalue()
    with pytest.raises(CommandError, match="Nessun partenariato con codice «NESSUNO»"):
        call_command("rebuild_hours_summary", "--partenariato", "NESSUNO")


def test_a_partnership_rebuild_leaves_the_rest_alone(cal: Cal) -> None:
    cal.book(D(2026, 3, 3))
    other = HoursSummary.objects.get()
    assert hours_summary.rebuild(Q(plan__partnership__code="ALTRO")) == (0, 0)
    assert HoursSummary.objects.get().pk == other.pk


def test_the_migration_fills_the_summary_from_the_registers_with_its_own_models(cal: Cal, settings: Any) -> None:
    """The data function of ``0006_hours_summary``, on the models of that migration's state (not today's)."""
    migration = importlib.import_module("supervisione.sessions.migrations.0006_hours_summary")
    for session in cal.book(D(2026, 3, 3), recurrence=Recurrence(Frequency.WEEKLY, count=5)):
        confirm(cal, session)
    cal.book(D(2026, 9, 15), kind="A2", supervisee=cal.luca)
    kept = snapshot()
    HoursSummary.objects.all().delete()
    AttendanceSummary.objects.all().delete()
    settings.MIGRATION_MODULES = {}  # the suite runs without migrations (pyproject: --no-migrations)
    state = MigrationLoader(connection).project_state(("supervision_sessions", "0006_hours_summary"))
    migration.fill(state.apps, connection.schema_editor())
    assert snapshot() == kept
    assert (len(kept[0]), len(kept[1])) == (2, 3)  # March of A1 and September of A2; the A1 group's three people

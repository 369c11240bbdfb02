"""Reads for the calendar, register, timesheet and certificate pages; queries do not grow with the rows.

Calendars read one period (a month, a week, a page of the list) through ``calendar_rows``: one query for the
sessions with their group, supervisor and supervisee, with the attendance counts as subqueries. Timesheets
and certificates aggregate in the database (hours per type and contract, minutes attended per type).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from supervisione.census.models import Person
from supervisione.leps.attendance import Attendance as AttendanceFigures
from supervisione.leps.attendance import attendance as attendance_figures
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.parameters import rules_at
from supervisione.lib.italian import MONTHS
from supervisione.planning.models import Plan, PlanGroup
from supervisione.sessions.models import Attendance, AttendanceStatus, RegisterStatus, Session, SessionStatus
from supervisione.sessions.usage import minutes_to_hours
from supervisione.supervisors.models import Supervisor

WEEKDAY_SHORT = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")

# --- Calendars -----------------------------------------------------------------------------------------------


def provisional_plans(sessions: Iterable[Session]) -> list[Plan]:
    """The plans not approved yet of these sessions (read with ``calendar_rows``: no query), each once: their
    sessions are provisional, and the page says what each plan still lacks."""
    found: dict[int, Plan] = {}
    for session in sessions:
        plan = session.group.plan
        if plan.is_provisional:
            found.setdefault(plan.pk, plan)
    return sorted(found.values(), key=lambda plan: (plan.year, plan.tenant.name, plan.pk))


def _count(condition: Q) -> Subquery:
    return Subquery(
        Attendance.objects.filter(condition, session_id=OuterRef("pk"))
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def calendar_rows(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with what a calendar shows, in one query: group and its plan (a session of a plan not approved yet
    is provisional), supervisor, supervisee, attendance counts."""
    return (
        sessions.select_related("group__plan__partnership", "group__plan__ambito", "supervisor", "supervisee", "ambito")
        .annotate(
            expected_count=Coalesce(_count(Q()), 0),
            present_count=Coalesce(_count(Q(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL])), 0),
        )
        .order_by("date", "start_time", "pk")
    )


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    sessions: list[Session] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """From the Monday before the 1st to the Sunday after the last day: whole weeks."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return first - datetime.timedelta(days=first.weekday()), last + datetime.timedelta(days=6 - last.weekday())


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def grid(sessions: QuerySet[Session], start: datetime.date, end: datetime.date, month: int | None) -> list[list[Day]]:
    """Weeks of days between ``start`` and ``end`` (Monday to Sunday) with their sessions."""
    by_day: dict[datetime.date, list[Session]] = defaultdict(list)
    for session in calendar_rows(sessions.filter(date__gte=start, date__lte=end)):
        by_day[session.date].append(session)
    weeks: list[list[Day]] = []
    day = start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(Day(day, month is None or day.month == month, by_day.get(day, [])))
            day += datetime.timedelta(days=1)
        weeks.append(week)
    return weeks


@dataclass(frozen=True)
class PeriodSummary:
    scheduled: int
    cancelled: int
    confirmed: int
    to_confirm: int
    confirmed_minutes: int

    @property
    def confirmed_hours(self) -> Decimal:
        return minutes_to_hours(self.confirmed_minutes)


def period_summary(
    sessions: QuerySet[Session], start: datetime.date, end: datetime.date, today: datetime.date
) -> PeriodSummary:
    """Counts for the period, one aggregate query."""
    scheduled = Q(status=SessionStatus.SCHEDULED)
    confirmed = scheduled & Q(register_status=RegisterStatus.CONFIRMED)
    figures = sessions.filter(date__gte=start, date__lte=end).aggregate(
        scheduled=Count("pk", filter=scheduled),
        cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        confirmed=Count("pk", filter=confirmed),
        to_confirm=Count("pk", filter=scheduled & Q(register_status=RegisterStatus.OPEN, date__lte=today)),
        minutes=Sum("minutes", filter=confirmed),
    )
    return PeriodSummary(
        figures["scheduled"], figures["cancelled"], figures["confirmed"], figures["to_confirm"], figures["minutes"] or 0
    )


# --- Supervisor: today and the registers to confirm ---------------------------------------------------------


def today_sessions(supervisor_ids: frozenset[int], today: datetime.date) -> list[Session]:
    return list(
        calendar_rows(
            Session.objects.filter(supervisor_id__in=supervisor_ids, date=today, status=SessionStatus.SCHEDULED)
        )
    )


def registers_to_confirm(supervisor_ids: frozenset[int], today: datetime.date, limit: int = 20) -> list[Session]:
    return list(
        calendar_rows(
            Session.objects.filter(
                supervisor_id__in=supervisor_ids,
                date__lt=today,
                status=SessionStatus.SCHEDULED,
                register_status=RegisterStatus.OPEN,
            )
        ).order_by("-date", "-start_time")[:limit]
    )


def register_rows(session: Session) -> list[Attendance]:
    return list(session.attendances.select_related("person", "ambito").order_by("person__surname", "person__name"))


# --- Timesheet ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimesheetTotal:
    kind: str
    kind_label: str
    contract_title: str
    cig: str
    cup: str
    minutes: int
    sessions: int

    @property
    def hours(self) -> Decimal:
        return minutes_to_hours(self.minutes)


@dataclass(frozen=True)
class Timesheet:
    supervisor: Supervisor
    year: int
    month: int
    sessions: list[Session]
    totals: list[TimesheetTotal]

    @property
    def month_name(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def total_minutes(self) -> int:
        return sum(total.minutes for total in self.totals)

    @property
    def total_hours(self) -> Decimal:
        return minutes_to_hours(self.total_minutes)


def timesheet(supervisor: Supervisor, year: int, month: int) -> Timesheet:
    """Sessions held by the supervisor in the month (registers confirmed), and hours per type and contract."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    held = Session.objects.filter(
        supervisor=supervisor,
        date__gte=first,
        date__lte=last,
        status=SessionStatus.SCHEDULED,
        register_status=RegisterStatus.CONFIRMED,
    )
    rows = list(calendar_rows(held).select_related("contract", "funding"))
    labels = dict(SupervisionTypeChoices.choices)
    totals = [
        TimesheetTotal(
            kind=row["kind"],
            kind_label=str(labels[row["kind"]]),
            contract_title=row["contract__title"],
            cig=row["contract__cig"],
            cup=row["contract__cup"],
            minutes=row["minutes_total"],
            sessions=row["count"],
        )
        for row in held.values("kind", "contract_id", "contract__title", "contract__cig", "contract__cup")
        .annotate(minutes_total=Sum("minutes"), count=Count("pk"))
        .order_by("contract__title", "kind")
    ]
    return Timesheet(supervisor, year, month, rows, totals)


# --- Participation certificate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateRow:
    kind: str
    kind_label: str
    planned_minutes: int
    attended_minutes: int
    figures: AttendanceFigures

    @property
    def planned_hours(self) -> Decimal:
        return minutes_to_hours(self.planned_minutes)

    @property
    def attended_hours(self) -> Decimal:
        return minutes_to_hours(self.attended_minutes)


@dataclass(frozen=True)
class Certificate:
    person: Person
    start: datetime.date
    end: datetime.date
    rows: list[CertificateRow]
    total: AttendanceFigures
    accreditations: list[str]
    groups: list[str]

    @property
    def planned_hours(self) -> Decimal:
        return minutes_to_hours(self.total.planned_minutes)

    @property
    def attended_hours(self) -> Decimal:
        return minutes_to_hours(self.total.attended_minutes)

    @property
    def has_sessions(self) -> bool:
        return self.total.planned_minutes > 0


def certificate(person: Person, start: datetime.date, end: datetime.date) -> Certificate:
    """Hours attended vs planned per type in a period, from the sessions held (registers confirmed) at which
    the person was expected; whether the share reaches the CNOAS threshold (80 % by default)."""
    held = Attendance.objects.filter(
        person=person,
        session__date__gte=start,
        session__date__lte=end,
        session__status=SessionStatus.SCHEDULED,
        session__register_status=RegisterStatus.CONFIRMED,
    )
    rules = rules_at(end)
    labels = dict(SupervisionTypeChoices.choices)
    rows = []
    for row in (
        held.values("session__kind")
        .annotate(planned=Sum("session__minutes"), attended=Sum("minutes"))
        .order_by("session__kind")
    ):
        planned, attended = row["planned"] or 0, row["attended"] or 0
        rows.append(
            CertificateRow(
                row["session__kind"],
                str(labels[row["session__kind"]]),
                planned,
                attended,
                attendance_figures(attended, planned, rules),
            )
        )
    total = attendance_figures(sum(r.attended_minutes for r in rows), sum(r.planned_minutes for r in rows), rules)
    group_ids = held.values("session__group_id").distinct()
    groups = PlanGroup.objects.filter(pk__in=group_ids).order_by("name")
    accreditations = sorted({code for code in groups.values_list("accreditation_code", flat=True) if code})
    return Certificate(person, start, end, rows, total, accreditations, list(groups.values_list("name", flat=True)))


def month_choices(today: datetime.date, back: int = 24) -> list[tuple[str, str]]:
    """The last ``back`` months, newest first, for a timesheet selector."""
    choices = []
    year, month = today.year, today.month
    for _ in range(back):
        choices.append((f"{year}-{month:02d}", f"{MONTHS[month - 1]} {year}"))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return choices

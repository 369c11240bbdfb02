"""The summary of hours per group and month (``HoursSummary``, ``AttendanceSummary``): what the national
observatory adds up instead of every session and attendance row of the country.

Each row is an aggregate of the sessions of one group in one month (cancelled sessions are left out): per
type, contract and funding row the minutes confirmed, awaiting confirmation and booked; per person and ATS
the minutes expected and attended at confirmed sessions. ``refresh`` recomputes the rows of some (group,
month) pairs from the sessions; every write that changes a session's hours, date, status, register, group,
contract or funding row, or an attendance, calls it in its own transaction with the pairs before and after
the change (``refresh_sessions``). ``rebuild`` recomputes everything, or a partnership's groups, from the
sessions (``manage.py rebuild_hours_summary``, the migration that created the tables, the data generators).
Both write the same rows from the same query, so a rebuild after any series of refreshes changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps as django_apps
from django.apps.registry import Apps
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from supervisione.sessions.models import RegisterStatus, Session, SessionStatus

Key = tuple[int, datetime.date]  # (group id, first day of the month)
BATCH = 2000


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def key_of(session: Session) -> Key:
    return (session.group_id, month_start(session.date))


def refresh_sessions(*sessions: Session, before: Iterable[Key] = ()) -> None:
    """Recompute the rows of these sessions' groups and months, and of the pairs they had ``before``."""
    refresh({key_of(session) for session in sessions} | set(before))


def refresh(keys: Iterable[Key]) -> None:
    """Recompute the hours of these (group, month) pairs, and the attendance of their groups' years, from
    their sessions (a fixed number of queries, whatever the number of pairs)."""
    keys = set(keys)
    if not keys:
        return
    years = {(group, first.year) for group, first in keys}
    in_months = reduce(
        or_, (Q(group_id=group, date__gte=first, date__lte=_month_end(first)) for group, first in sorted(keys))
    )
    in_years = reduce(or_, (Q(group_id=group, date__year=year) for group, year in sorted(years)))
    models = _Models(django_apps)
    with transaction.atomic():
        models.hours.objects.filter(reduce(or_, (Q(group_id=g, month=first) for g, first in sorted(keys)))).delete()
        models.people.objects.filter(reduce(or_, (Q(group_id=g, year=year) for g, year in sorted(years)))).delete()
        _write_hours(models, models.session.objects.filter(in_months))
        _write_people(models, models.session.objects.filter(in_years))


def rebuild(groups: Q | None = None, *, apps: Apps | None = None) -> tuple[int, int]:
    """Recompute every row (or those of the groups matching ``groups``, a filter on ``PlanGroup``) from the
    sessions; idempotent. Returns the number of hours and attendance rows written. ``apps``: a migration's
    registry of historical models (the migration that created the tables fills them with this)."""
    models = _Models(apps or django_apps)
    with transaction.atomic():
        sessions = models.session.objects.all()
        mine = Q()
        if groups is not None:
            mine = Q(group_id__in=models.group.objects.filter(groups).values("pk"))
            sessions = sessions.filter(mine)
        models.hours.objects.filter(mine).delete()
        models.people.objects.filter(mine).delete()
        return _write_hours(models, sessions), _write_people(models, sessions)


class _Models:
    """The models the summary reads and writes, from Django's registry or a migration's."""

    def __init__(self, apps: Apps) -> None:
        self.session: Any = apps.get_model("supervision_sessions", "Session")
        self.attendance: Any = apps.get_model("supervision_sessions", "Attendance")
        self.hours: Any = apps.get_model("supervision_sessions", "HoursSummary")
        self.people: Any = apps.get_model("supervision_sessions", "AttendanceSummary")
        self.group: Any = apps.get_model("planning", "PlanGroup")


SCHEDULED = Q(status=SessionStatus.SCHEDULED)
CONFIRMED = SCHEDULED & Q(register_status=RegisterStatus.CONFIRMED)


def _write_hours(models: _Models, sessions: QuerySet[Any]) -> int:
    open_ = SCHEDULED & Q(register_status=RegisterStatus.OPEN)
    hours = (
        sessions.annotate(first=TruncMonth("date"))
        .values("group_id", "first", "kind", "contract_id", "funding_id")
        .annotate(
            confirmed_minutes=Sum("minutes", filter=CONFIRMED, default=0),
            confirmed_sessions=Count("pk", filter=CONFIRMED),
            open_minutes=Sum("minutes", filter=open_, default=0),
            scheduled_minutes=Sum("minutes", filter=SCHEDULED, default=0),
            scheduled_sessions=Count("pk", filter=SCHEDULED),
        )
        .order_by()
    )
    return _insert(
        models.hours,
        (
            models.hours(
                group_id=row["group_id"],
                month=_as_date(row["first"]),
                kind=row["kind"],
                contract_id=row["contract_id"],
                funding_id=row["funding_id"],
                confirmed_minutes=row["confirmed_minutes"],
                confirmed_sessions=row["confirmed_sessions"],
                open_minutes=row["open_minutes"],
                scheduled_minutes=row["scheduled_minutes"],
                scheduled_sessions=row["scheduled_sessions"],
            )
            for row in hours.iterator(chunk_size=BATCH)
        ),
    )


def _write_people(models: _Models, sessions: QuerySet[Any]) -> int:
    """One row per person, ATS, group, type and year, with the minutes of each month in its columns."""
    monthly = (
        models.attendance.objects.filter(session__in=sessions.filter(CONFIRMED).values("pk"))
        .annotate(first=TruncMonth("session__date"))
        .values("session__group_id", "first", "session__kind", "person_id", "ambito_id")
        .annotate(expected=Sum("session__minutes", default=0), attended=Sum("minutes", default=0))
        .order_by()
    )
    rows: dict[tuple[int, int, str, int, int], Any] = {}
    for item in monthly.iterator(chunk_size=BATCH):
        first = _as_date(item["first"])
        key = (item["session__group_id"], first.year, item["session__kind"], item["person_id"], item["ambito_id"])
        row = rows.get(key)
        if row is None:
            group_id, year, kind, person_id, ambito_id = key
            row = rows[key] = models.people(
                group_id=group_id, year=year, kind=kind, person_id=person_id, ambito_id=ambito_id
            )
        setattr(row, f"expected_{first.month}", item["expected"])
        setattr(row, f"attended_{first.month}", item["attended"])
    return _insert(models.people, rows.values())


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _insert(model: Any, rows: Iterable[Any]) -> int:
    batch: list[Any] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        written += len(batch)
    return written

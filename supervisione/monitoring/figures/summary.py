"""Where ``figures`` reads its sums: every session (``SessionSums``) or the summary of hours (``SummarySums``).

The summary (``sessions.hours_summary``) keeps, per group and month, the minutes confirmed, awaiting
confirmation and booked, and per person the minutes expected and attended at confirmed sessions. A month
before the day of reading's month is wholly past, one after it wholly to come, so every condition of the
figures (delivered up to the day of reading, awaiting, to come, in the period) is decided by the month
alone; only the day of reading's own month is read from the sessions, with the same queries as without
the summary. The two parts are added up per key before the figures are made from them (hours are rounded
from the minutes), so the figures are the same as from the sessions alone, to the cent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import reduce
from operator import add
from typing import Any, Protocol

from django.db.models import F, Q, QuerySet

from supervisione.sessions.hours_summary import month_start
from supervisione.sessions.models import AttendanceSummary, HoursSummary, Session

from ..selection import Selection
from .groups import FUNDED_GROUP, GROUP_SUMS, group_sums
from .months import month_sums
from .people import NAMES, AttendanceRows, attendance_sums
from .spending import SessionMinutes
from .sums import Rows, Total, total


class Sums(Protocol):
    def groups(self) -> Rows: ...
    def months(self) -> Rows: ...
    def attendance(self, *, with_names: bool) -> AttendanceRows: ...
    def in_period(self) -> Rows: ...
    def to_date(self, contract_ids: set[int]) -> Rows: ...


@dataclass
class SessionSums:
    """Every sum read from the sessions and attendance rows (every dashboard but the observatory)."""

    selection: Selection
    mapping: dict[int, int]
    sessions: QuerySet[Session]

    def groups(self) -> Rows:
        return group_sums(self.selection, self.sessions)

    def months(self) -> Rows:
        return month_sums(self.selection, self.sessions)

    def attendance(self, *, with_names: bool) -> AttendanceRows:
        return attendance_sums(self.selection, self.mapping, with_names=with_names)

    def in_period(self) -> Rows:
        return SessionMinutes(self.selection, self.sessions).in_period()

    def to_date(self, contract_ids: set[int]) -> Rows:
        return SessionMinutes(self.selection, self.sessions).to_date(contract_ids)


class SummarySums:
    """The sums of the months other than the day of reading's from the summary, that month's from the sessions.

    That month's sessions are read once, per group, type, contract and funding row (``group_sums``): the groups'
    sums, that month's row of the charts and its money in the period are added up from the same rows."""

    def __init__(self, selection: Selection, mapping: dict[int, int], sessions: QuerySet[Session]) -> None:
        if selection.session_q:
            raise ValueError("The summary of hours has no per-session filter: read the sessions.")
        self.selection = selection
        self.mapping = mapping
        self.first = month_start(selection.as_of)  # the day of reading's month
        last = (self.first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        self.recent_sessions = sessions.filter(date__gte=self.first, date__lte=last)
        self.past = Q(month__lt=self.first)
        self.future = Q(month__gt=self.first)
        self.period = Q(month__gte=selection.start, month__lte=selection.end)
        self._recent_rows: Rows | None = None

    def _hours(self) -> QuerySet[HoursSummary]:
        selection = self.selection
        rows = HoursSummary.objects.filter(
            group_id__any_of=frozenset(self.mapping), month__gte=selection.year_start, month__lte=selection.year_end
        ).exclude(month=self.first)
        return rows if selection.kind is None else rows.filter(kind=selection.kind)

    def _recent(self) -> Rows:
        """The day of reading's month from its sessions: ``group_sums`` per group, type, contract and funding row
        (one query, read once)."""
        if self._recent_rows is None:
            self._recent_rows = group_sums(self.selection, self.recent_sessions, keys=FUNDED_GROUP)
        return self._recent_rows

    def groups(self) -> Rows:
        past, future, period = self.past, self.future, self.period
        rows = (
            self._hours()
            .values("group_id", "kind")
            .annotate(
                delivered=_sum("confirmed_minutes", past),
                awaiting=_sum("open_minutes", past),
                scheduled=_sum("scheduled_minutes", future),
                booked=_sum("scheduled_minutes", Q()),
                held_count=_sum("confirmed_sessions", past),
                to_come_count=_sum("scheduled_sessions", future),
                period_delivered=_sum("confirmed_minutes", past & period),
                period_awaiting=_sum("open_minutes", past & period),
                period_scheduled=_sum("scheduled_minutes", future & period),
                period_sessions=_sum("confirmed_sessions", past & period),
            )
            .order_by()
        )
        return merged([*rows, *self._recent()], ("group_id", "kind"), GROUP_SUMS)

    def months(self) -> Rows:
        rows = [
            {"month": row["month"].month, "kind": row["kind"], "delivered": row["delivered"], "booked": row["booked"]}
            for row in self._hours()
            .filter(self.period)
            .values("month", "kind")
            .annotate(delivered=_sum("confirmed_minutes", self.past), booked=_sum("scheduled_minutes", Q()))
            .order_by()
        ]
        selection = self.selection
        if selection.start <= self.first <= selection.end:
            # The day of reading's month is in the period, and so are all its sessions (periods are whole months):
            # its minutes delivered (confirmed, up to the day of reading) and booked are its groups'.
            rows += [
                {"month": self.first.month, "kind": row["kind"], "delivered": row["delivered"], "booked": row["booked"]}
                for row in self._recent()
            ]
        return merged(rows, ("month", "kind"), ("delivered", "booked"))

    def in_period(self) -> Rows:
        rows = list(
            self._hours()
            .filter(self.past & self.period, confirmed_sessions__gt=0)
            .values("contract_id", "funding_id", "kind")
            .annotate(minutes=_sum("confirmed_minutes", Q()))
            .order_by()
        )
        # The day of reading's month: the minutes confirmed in the period up to that day, where some session was
        # (the rows of ``SessionMinutes.in_period``).
        rows += [
            {
                "contract_id": row["contract_id"],
                "funding_id": row["funding_id"],
                "kind": row["kind"],
                "minutes": row["period_delivered"],
            }
            for row in self._recent()
            if row["period_sessions"]
        ]
        return merged(rows, ("contract_id", "funding_id", "kind"), ("minutes",))

    def to_date(self, contract_ids: set[int]) -> Rows:
        rows = (
            HoursSummary.objects.filter(
                self.past, contract_id__any_of=frozenset(contract_ids), confirmed_sessions__gt=0
            )
            .values("contract_id", "funding_id", "kind")
            .annotate(minutes=_sum("confirmed_minutes", Q()))
            .order_by()
        )
        recent = SessionMinutes(self.selection, Session.objects.none()).to_date(contract_ids, since=self.first)
        return merged([*rows, *recent], ("contract_id", "funding_id", "kind"), ("minutes",))

    def attendance(self, *, with_names: bool) -> AttendanceRows:
        selection = self.selection
        recent = attendance_sums(selection, self.mapping, with_names=with_names, since=self.first)
        # The months of the year before the day of reading's: none when the year has not started.
        months = range(1, self.first.month) if self.first.year == selection.year else range(0)
        if not months:
            return recent
        held = AttendanceSummary.objects.filter(group_id__any_of=frozenset(self.mapping), year=selection.year)
        if selection.kind is not None:
            held = held.filter(kind=selection.kind)
        if selection.ambito is not None:
            held = held.filter(ambito=selection.ambito)
        fields = ["person_id", "group__plan__partnership_id", "group__plan__ambito_id"]
        if with_names:
            fields += NAMES
        rows = list(
            held.values_list(*fields)
            .annotate(
                attended=total(_columns("attended", months)),
                expected=total(_columns("expected", months)),
            )
            .order_by()
        )
        # Not merged: the people's figures add the minutes up as integers, whatever the number of rows per key.
        return rows + recent


def _columns(prefix: str, months: range) -> Any:
    """The sum of a row's columns of these months (``expected_1 + expected_2 + ...``)."""
    return reduce(add, (F(f"{prefix}_{month}") for month in months))


def _sum(field_name: str, condition: Q) -> Total:
    return total(field_name, condition)


def merged(rows: Iterable[Mapping[str, Any]], keys: tuple[str, ...], sums: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows added up per key: the keys and the sums (of minutes and counts) of each."""
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        added = found.get(key)
        if added is None:
            found[key] = {name: row[name] for name in (*keys, *sums)}
            continue
        for name in sums:
            added[name] += row[name]
    return list(found.values())

"""Attendance per person: query 5 of ``figures`` (see its docstring), minutes expected and attended at
confirmed sessions, and the threshold (80 %) of each plan's owner."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import F, Q, Sum

from supervisione.leps.attendance import Attendance, attendance
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.sessions.models import Attendance as AttendanceRow
from supervisione.sessions.models import RegisterStatus, SessionStatus
from supervisione.sessions.usage import minutes_to_hours

from ..selection import Selection
from .sums import Owner, Rows, owner_key


@dataclass(frozen=True)
class PersonFigures:
    person_id: int
    surname: str
    name: str
    ambito_id: int
    ambito_name: str
    figures: Attendance

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}"

    @property
    def expected_hours(self) -> Decimal:
        return minutes_to_hours(self.figures.planned_minutes)

    @property
    def attended_hours(self) -> Decimal:
        return minutes_to_hours(self.figures.attended_minutes)


NAMES = {"surname": "person__surname", "name": "person__name", "ambito_name": "ambito__name"}


def attendance_sums(
    selection: Selection, mapping: dict[int, int], *, with_names: bool, since: datetime.date | None = None
) -> Rows:
    """Per person, ATS and plan owner, the minutes expected and attended at confirmed sessions of the year up
    to the day of reading (one query); ``since``: from that day only."""
    held = AttendanceRow.objects.filter(
        session__group_id__any_of=frozenset(mapping),
        session__date__gte=selection.year_start,
        session__date__lte=min(selection.year_end, selection.as_of),
        session__status=SessionStatus.SCHEDULED,
        session__register_status=RegisterStatus.CONFIRMED,
    ).filter(_prefixed(selection.session_q, "session__"))
    if since is not None:
        held = held.filter(session__date__gte=since)
    if selection.kind is not None:
        held = held.filter(session__kind=selection.kind)
    if selection.ambito is not None:
        held = held.filter(ambito=selection.ambito)
    fields: dict[str, Any] = {
        "owner_partnership": F("session__group__plan__partnership_id"),
        "owner_ambito": F("session__group__plan__ambito_id"),
    }
    if with_names:
        fields |= {key: F(name) for key, name in NAMES.items()}
    return list(
        held.values("person_id", "ambito_id", **fields)
        .annotate(expected=Sum("session__minutes", default=0), attended=Sum("minutes", default=0))
        .order_by()
    )


def people_figures(
    rows: Rows, thresholds: dict[Owner, Decimal], *, with_names: bool
) -> tuple[list[PersonFigures], int, dict[Owner, dict[int, Attendance]]]:
    """Per person (and per plan owner), from the rows of ``attendance_sums``: minutes expected and attended.
    Returns the named rows (if asked), the number below the threshold, and per owner."""
    per_owner_minutes: dict[Owner, dict[int, list[int]]] = defaultdict(dict)
    totals: dict[int, list[int]] = {}
    names: dict[int, tuple[str, str, int, str]] = {}
    default_threshold = next(iter(thresholds.values()), DEFAULT_RULES.attendance_threshold)
    for row in rows:
        owner = owner_key(row["owner_partnership"], row["owner_ambito"])
        minutes = per_owner_minutes[owner].setdefault(row["person_id"], [0, 0])
        minutes[0] += row["attended"]
        minutes[1] += row["expected"]
        total = totals.setdefault(row["person_id"], [0, 0])
        total[0] += row["attended"]
        total[1] += row["expected"]
        if with_names:
            names[row["person_id"]] = (row["surname"], row["name"], row["ambito_id"], row["ambito_name"])
    owner_rules = {
        owner: LepsRules(attendance_threshold=thresholds.get(owner, default_threshold)) for owner in per_owner_minutes
    }
    per_owner: dict[Owner, dict[int, Attendance]] = {
        owner: {pk: attendance(a, e, owner_rules[owner]) for pk, (a, e) in people.items()}
        for owner, people in per_owner_minutes.items()
    }
    people_rules = LepsRules(attendance_threshold=default_threshold)
    figures_by_person = {pk: attendance(a, e, people_rules) for pk, (a, e) in totals.items()}
    below = sum(1 for item in figures_by_person.values() if item.planned_minutes and not item.reaches_threshold)
    people = [
        PersonFigures(pk, *names[pk], figures_by_person[pk])
        for pk in sorted(names, key=lambda key: (names[key][0], names[key][1], key))
    ]
    return people, below, per_owner


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same filter, on a model that reaches ``Session`` through ``prefix``."""
    copy = Q()
    copy.connector = condition.connector
    copy.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            copy.children.append(_prefixed(child, prefix))
        else:
            name, value = cast("tuple[str, Any]", child)
            copy.children.append((f"{prefix}{name}", value))
    return copy

"""Attendance per person: query 5 of ``figures`` (see its docstring), minutes expected and attended at
confirmed sessions, and the threshold (80 %) of each plan's owner."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Q

from supervisione.leps.attendance import Attendance, attendance, count_below_threshold
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.sessions.models import Attendance as AttendanceRow
from supervisione.sessions.models import RegisterStatus, SessionStatus
from supervisione.sessions.usage import minutes_to_hours

from ..selection import Selection
from .sums import Owner, owner_key, total


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


NAMES = ("person__surname", "person__name", "ambito_id", "ambito__name")
# A row of ``attendance_sums`` (and of the summary's): person id, the plan owner's partnership and ATS ids, the
# names (``NAMES``, only if asked), then the minutes attended and expected. Tuples, not dicts: the country has
# tens of thousands of them.
AttendanceRows = list[tuple[Any, ...]]


@dataclass
class OwnerPeople:
    """Per plan owner, what its plans' rows show of the people: who attended some minutes at confirmed
    sessions, and how many (with minutes expected) are below the owner's attendance threshold."""

    supervised: set[int] = field(default_factory=set)
    below: int = 0


def attendance_sums(
    selection: Selection, mapping: dict[int, int], *, with_names: bool, since: datetime.date | None = None
) -> AttendanceRows:
    """Per person and plan owner (and ATS, with the names), the minutes attended and expected at confirmed
    sessions of the year up to the day of reading (one query); ``since``: from that day only."""
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
    fields = ["person_id", "session__group__plan__partnership_id", "session__group__plan__ambito_id"]
    if with_names:
        fields += NAMES
    return list(
        held.values_list(*fields).annotate(attended=total("minutes"), expected=total("session__minutes")).order_by()
    )


def people_figures(
    rows: AttendanceRows, thresholds: dict[Owner, Decimal], *, with_names: bool
) -> tuple[list[PersonFigures], int, dict[Owner, OwnerPeople]]:
    """Per person (and per plan owner), from the rows of ``attendance_sums``: minutes expected and attended.
    Returns the named rows (if asked), the number below the threshold, and per owner who attended and how many
    are below its threshold. Only the named rows are ``Attendance`` objects: the country's are counted."""
    # Minutes in dictionaries of integers, per owner and in total: such dictionaries are not tracked by the
    # garbage collector, where a list or an object per person (tens of thousands across the country) was, and
    # made Python walk every object of the process once per computation.
    attended_by_owner: dict[Owner, dict[int, int]] = defaultdict(dict)
    expected_by_owner: dict[Owner, dict[int, int]] = defaultdict(dict)
    attended_total: dict[int, int] = {}
    expected_total: dict[int, int] = {}
    names: dict[int, tuple[str, str, int, str]] = {}
    default_threshold = next(iter(thresholds.values()), DEFAULT_RULES.attendance_threshold)
    for row in rows:
        person, attended, expected = row[0], row[-2], row[-1]
        owner = owner_key(row[1], row[2])
        owner_attended, owner_expected = attended_by_owner[owner], expected_by_owner[owner]
        owner_attended[person] = owner_attended.get(person, 0) + attended
        owner_expected[person] = owner_expected.get(person, 0) + expected
        attended_total[person] = attended_total.get(person, 0) + attended
        expected_total[person] = expected_total.get(person, 0) + expected
        if with_names:
            names[person] = row[3:7]
    per_owner = {
        owner: OwnerPeople(
            supervised={person for person, minutes in attended.items() if minutes > 0},
            below=count_below_threshold(attended, expected_by_owner[owner], thresholds.get(owner, default_threshold)),
        )
        for owner, attended in attended_by_owner.items()
    }
    below = count_below_threshold(attended_total, expected_total, default_threshold)
    people_rules = LepsRules(attendance_threshold=default_threshold)
    people = [
        PersonFigures(pk, *names[pk], attendance(attended_total[pk], expected_total[pk], people_rules))
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

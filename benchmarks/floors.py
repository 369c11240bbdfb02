"""The floor of each aggregate page: its main figures computed by one hand-written SQL query.

A page can never be faster than the database reading what it shows; the ratio page/floor says how much the
rest costs (the ORM, Python, the template, the session and the middleware). Each query reads the same rows as
the page's main aggregate, in a form that SQLite and PostgreSQL both run:

- ATS dashboard: per group of the year's plans that the ATS takes part in, minutes delivered (confirmed
  register), awaiting confirmation and to come, and the number of sessions;
- partnership dashboard: the same for the groups of the partnership's plan;
- national observatory: the same for every group of every plan of the year in the country;
- calendar month: the sessions of the month of a group of the ATS or with a participant from it, with the
  number of people expected;
- POA page: the plan's groups with their members and people per ATS;
- census list: the census's positions with their person, ordered by surname (the first page of 100).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .personas import Subjects


@dataclass(frozen=True)
class Floor:
    page: str
    sql: str
    params: list[object]


_GROUP_SUMS = """
SELECT s.group_id, s.kind,
       SUM(CASE WHEN s.status = 'scheduled' AND s.register_status = 'confirmed' THEN s.minutes ELSE 0 END),
       SUM(CASE WHEN s.status = 'scheduled' AND s.register_status = 'open' AND s.date < %s THEN s.minutes
                ELSE 0 END),
       SUM(CASE WHEN s.status = 'scheduled' AND s.date >= %s THEN s.minutes ELSE 0 END),
       COUNT(*)
FROM supervision_sessions_session s
WHERE s.date >= %s AND s.date <= %s AND s.group_id IN ({groups})
GROUP BY s.group_id, s.kind
"""


def floors(subjects: Subjects, today: str) -> list[Floor]:
    year = subjects.year
    start, end = f"{year}-01-01", f"{year}-12-31"
    sums = [today, today, start, end]
    ambito_groups = """
        SELECT g.id FROM planning_plangroup g JOIN planning_plan p ON p.id = g.plan_id
        WHERE p.year = %s AND p.status = 'approved' AND (p.ambito_id = %s OR g.id IN (
            SELECT m.group_id FROM planning_planmember m WHERE m.ambito_id = %s))
    """
    partnership_groups = "SELECT g.id FROM planning_plangroup g WHERE g.plan_id = %s"
    national_groups = """
        SELECT g.id FROM planning_plangroup g JOIN planning_plan p ON p.id = g.plan_id
        WHERE p.year = %s AND p.status = 'approved'
    """
    day = datetime.date.fromisoformat(today)
    month_start = day.replace(day=1).isoformat()
    month_end = (
        (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    ).isoformat()
    ambito_id = subjects.ambito.pk
    return [
        Floor(
            "ATS dashboard",
            _GROUP_SUMS.format(groups=ambito_groups),
            [*sums, year, ambito_id, ambito_id],
        ),
        Floor("partnership dashboard", _GROUP_SUMS.format(groups=partnership_groups), [*sums, subjects.plan.pk]),
        Floor("observatory (national)", _GROUP_SUMS.format(groups=national_groups), [*sums, year]),
        Floor(
            "calendar month (ATS)",
            """
            SELECT s.id, s.date, s.start_time, s.end_time, s.kind, s.status, g.name,
                   (SELECT COUNT(*) FROM supervision_sessions_attendance a WHERE a.session_id = s.id)
            FROM supervision_sessions_session s LEFT JOIN planning_plangroup g ON g.id = s.group_id
            WHERE s.date >= %s AND s.date <= %s
              AND (s.ambito_id = %s OR s.id IN (SELECT a.session_id FROM supervision_sessions_attendance a
                                                 WHERE a.ambito_id = %s))
            ORDER BY s.date, s.start_time
            """,
            [month_start, month_end, ambito_id, ambito_id],
        ),
        Floor(
            "POA page",
            """
            SELECT g.id, g.name, g.kind, g.planned_hours, m.ambito_id, COUNT(m.id)
            FROM planning_plangroup g LEFT JOIN planning_planmember m ON m.group_id = g.id
            WHERE g.plan_id = %s
            GROUP BY g.id, g.name, g.kind, g.planned_hours, m.ambito_id
            ORDER BY g.kind, g.name
            """,
            [subjects.plan.pk],
        ),
        Floor(
            "census list (ATS)",
            """
            SELECT pos.id, p.surname, p.name, p.tax_code, p.profession, pos.service, pos.contract,
                   pos.weekly_hours
            FROM census_position pos JOIN census_person p ON p.id = pos.person_id
            WHERE pos.census_id = %s
            ORDER BY p.surname, p.name, pos.id
            LIMIT 100
            """,
            [subjects.census.pk],
        ),
    ]

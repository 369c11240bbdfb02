"""Whether a supervisor can hold a session at a time, from their weekly availability and absences.

For the calendar: a session is refused with the reason when it falls in an absence or, if the supervisor
has stated weekly availability, outside every window in force that day. A supervisor who stated no weekly
availability is taken as available whenever not absent.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from supervisione.supervisors.models import Absence, WeeklyAvailability


def availability_problem(
    slots: Sequence[WeeklyAvailability],
    absences: Sequence[Absence],
    start: datetime.datetime,
    end: datetime.datetime,
) -> str | None:
    """The reason in Italian why a session from ``start`` to ``end`` (local times, same day) is not possible."""
    if end <= start:
        return "L'orario di fine deve seguire quello di inizio."
    day = start.date()
    for absence in absences:
        if absence.start_date <= day <= absence.end_date:
            why = f" ({absence.reason})" if absence.reason else ""
            return (
                f"Il supervisore non è disponibile dal {absence.start_date:%d/%m/%Y} al "
                f"{absence.end_date:%d/%m/%Y}{why}."
            )
    if not slots:
        return None
    today = [slot for slot in slots if slot.applies_on(day)]
    if any(slot.start_time <= start.time() and end.time() <= slot.end_time for slot in today):
        return None
    if not today:
        return f"Il supervisore non ha disponibilità il {start:%d/%m/%Y}."
    windows = ", ".join(f"{slot.start_time:%H:%M}-{slot.end_time:%H:%M}" for slot in today)
    return f"Il {start:%d/%m/%Y} il supervisore è disponibile solo {windows}."

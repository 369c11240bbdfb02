"""A hand-computed year on top of the sessions tests' small approved plan (``cal``): the POA 2026 of
POGGIARDO-114 with one A1 group of three AS of Casarano (Marco De Santis, the ``supervisee`` persona, Anna Rizzo,
Luca Ferrara), its A2 pool and one A3 équipe (Anna and the educator Sara Greco); contract lines at 65 (A1),
60 (A2) and 70 (A3) EUR an hour; a census of Casarano with a fourth AS (Gianni Verdi) in no group.

Read on 1 October 2026 (``TODAY``), the share of a yearly minimum due is the part elapsed a month earlier: 16 h x
244 / 365 = 10.7, rounded down to 10.5 h; 6 h x 244 / 365 = 4.

- A1 (minimum 16): 2 h confirmed on 13/01, 10/02, 10/03, 14/04, 12/05 (10 h; Anna absent in January and
  February); 09/06 cancelled; 13/10, 10/11, 09/12 in the calendar (6 h): 16 h possible, 10 h held < 10.5 h due:
  **at risk**.
- A3 (minimum 6): 2 h confirmed on 12/03 and 11/06 (4 h), 1 h in the calendar on 12/11: 5 h < 6: **behind**.
- A2: Marco 1 h confirmed on 19/02; Luca 1 h held on 24/09, register still open; Anna 1 h on 19/11.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from supervisione.census.models import Person
from supervisione.census.tests import factories as census_factories
from supervisione.planning.models import PlanGroup
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    Modality,
    RegisterStatus,
    Session,
    SessionStatus,
)
from supervisione.sessions.tests.conftest import Cal, cal, media  # noqa: F401  (fixtures used by these tests)

TODAY = datetime.date(2026, 10, 1)
T = datetime.time
NINE = T(9)
D = Decimal


@dataclass
class Year:
    cal: Cal
    gianni: Person
    sessions: list[Session] = field(default_factory=list)

    @property
    def plan(self) -> Any:
        return self.cal.plan

    def add(
        self,
        group: PlanGroup,
        day: datetime.date,
        hours: int = 2,
        *,
        kind: str = "A1",
        confirmed: bool = True,
        cancelled: bool = False,
        supervisee: Person | None = None,
        absent: tuple[Person, ...] = (),
        start: datetime.time = NINE,
    ) -> Session:
        people = [supervisee] if supervisee is not None else [m.person for m in group.memberships.all()]
        end = T(start.hour + hours, start.minute)
        session = Session.objects.create(
            kind=kind,
            group=group,
            partnership=self.plan.partnership,
            ambito=self.cal.world.casarano,
            supervisee=supervisee,
            date=day,
            start_time=start,
            end_time=end,
            modality=Modality.IN_PERSON,
            supervisor=self.cal.supervisor,
            contract=self.cal.contract,
            funding=self.cal.funding,
            status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
            cancel_reason="Malattia della supervisora" if cancelled else "",
            register_status=RegisterStatus.CONFIRMED if confirmed else RegisterStatus.OPEN,
            register_confirmed_at=timezone.now() if confirmed else None,
            checkin_code="ABCDEFGH",
        )
        held = confirmed and not cancelled
        Attendance.objects.bulk_create(
            Attendance(
                session=session,
                person=person,
                ambito=self.cal.world.casarano,
                status=(
                    AttendanceStatus.ABSENT
                    if person in absent
                    else (AttendanceStatus.PRESENT if held else AttendanceStatus.UNRECORDED)
                ),
                minutes=0 if person in absent or not held else hours * 60,
            )
            for person in people
        )
        self.sessions.append(session)
        return session


@pytest.fixture
def year(cal: Cal) -> Year:  # noqa: F811  (the imported fixture)
    census = census_factories.census_of(cal.world, cal.world.casarano)
    gianni = census_factories.person(90, surname="Verdi", name="Gianni")
    for person in (cal.marco, cal.anna, cal.luca, gianni, cal.educator):
        census_factories.position(census, person)
    cal.plan.censuses.set([census])
    built = Year(cal, gianni)
    a1, a3 = cal.group, cal.equipe_group
    for day in ("2026-01-13", "2026-02-10"):
        built.add(a1, datetime.date.fromisoformat(day), absent=(cal.anna,))
    for day in ("2026-03-10", "2026-04-14", "2026-05-12"):
        built.add(a1, datetime.date.fromisoformat(day))
    built.add(a1, datetime.date(2026, 6, 9), confirmed=False, cancelled=True)
    for day in ("2026-10-13", "2026-11-10", "2026-12-09"):
        built.add(a1, datetime.date.fromisoformat(day), confirmed=False)
    built.add(a3, datetime.date(2026, 3, 12), kind="A3", start=T(14))
    built.add(a3, datetime.date(2026, 6, 11), kind="A3", start=T(14))
    built.add(a3, datetime.date(2026, 11, 12), 1, kind="A3", confirmed=False, start=T(14))
    built.add(a1, datetime.date(2026, 2, 19), 1, kind="A2", supervisee=cal.marco, start=T(15))
    built.add(a1, datetime.date(2026, 9, 24), 1, kind="A2", supervisee=cal.luca, confirmed=False, start=T(15))
    built.add(a1, datetime.date(2026, 11, 19), 1, kind="A2", supervisee=cal.anna, confirmed=False, start=T(15))
    return built


@pytest.fixture
def on_today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """Pages read the figures on ``TODAY``."""
    monkeypatch.setattr(timezone, "localdate", lambda *_args, **_kwargs: TODAY)
    return TODAY

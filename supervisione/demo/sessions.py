"""Demo sessions of Poggiardo-Maglie-Casarano: from February 2025 to the present, and what comes next.

The present is the day the demo is loaded (``demo/present.py``): sessions before it are held, those of the last
week still have their register to confirm, the calendar is booked ahead. Every session is placed by its date
alone and every random choice (absences, partial presences, topics) comes from a generator seeded with the
session's own identity, so that the demo is the same on every machine, a second run the same day changes
nothing, and a run a week later adds what a week of work would have added (held sessions, confirmed
registers) without changing what was already history.

- A1 groups meet once a month (not in August, never on a public holiday or in the supervisors' Christmas leave),
  two hours with Chiara Longo: groups 1 and 2 on the first Tuesday (09:00 and 11:00), groups 3 and 4 on the
  third. In the current year group 4 has no supervisor in the plan and has no session: it is behind its
  minimum. Since 2026 group 2 meets for 1 h 45 and books only a month ahead: its calendar is short of the
  minimum ("a rischio"), and some years it ends an hour or two short.
- A3 équipes meet every other month on the second Thursday morning with Davide Russo.
- A2: one individual hour a month for a member of each A1 group, in rotation, on Thursday afternoon (held
  sessions only: individual hours are booked when needed).
- Some sessions were cancelled (and booked again a week later), one was moved; most people attend, one AS of
  group 1 misses many sessions and stays below 80 %.
- The week's work, relative to the day of loading: a recovery meeting of group 3 on the last Tuesday afternoon
  and two individual hours on the last Wednesday afternoon, their registers still open (the browser journeys
  take them).
- In progress: whenever the demo is loaded, Marco De Santis's group has a session that started at most 30
  minutes ago (on the quarter hour) and lasts two hours, with its register open and nobody recorded, so that
  the supervisor's code, the supervisee's check-in and the confirmation of "today's" register can be tried at
  once. It is added only when no session of that group is in progress.
- Sessions of the demo's groups that the rules above no longer place (the week's work and the sessions in
  progress of earlier loads, and any booked through the pages) follow the same rules by their date at the next
  load: held, then confirmed a week later, as a diligent supervisor would.
- Funding: up to 30/06/2026 the PNRR project's CUP, from 01/07/2026 the FNPS quota of the session's year.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Sum

from supervisione.census.models import Person
from supervisione.demo.loading import Counter
from supervisione.demo.present import FIRST_YEAR, SHORT_BOOKING_GROUP, Present, in_leave, is_pnrr
from supervisione.lib import clock
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.procurement.models import Contract, ContractFunding, ContractLine
from supervisione.sessions import checkin
from supervisione.sessions.actions.registers import issue_register_document
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    Modality,
    RegisterDocument,
    RegisterStatus,
    Session,
    SessionStatus,
    SessionTopic,
    SupervisorNote,
    TopicCategory,
    duration_minutes,
)
from supervisione.sessions.notes_crypto import encrypt_note
from supervisione.sessions.public_holidays import holiday_name
from supervisione.sessions.recurrence import nth_weekday
from supervisione.territory.models import FundingMeasure, Partnership

ROME = ZoneInfo("Europe/Rome")
TUESDAY, WEDNESDAY, THURSDAY = 1, 2, 3
T = datetime.time

# A1 group number -> (ordinal Tuesday of the month, start, end)
A1_SLOTS = {1: (1, T(9), T(11)), 2: (1, T(11), T(13)), 3: (3, T(9), T(11)), 4: (3, T(11), T(13))}
# Since 2026 group 2 meets until 12:45 (the room is needed at 13:00): 1 h 45 a month, short of the minimum
# unless every month has its meeting; it books one meeting ahead, so its calendar is short: "a rischio".
SHORT_END = T(12, 45)
A2_SLOTS = {1: T(14, 30), 2: T(15, 30), 3: T(16, 30), 4: T(17, 30)}
A2_MONTHS = (2, 3, 4, 5, 6, 7, 9, 10, 11)
PLACE = "Sede dell'Ambito, sala riunioni"
LINK = "https://meet.example.org/supervisione-poggiardo"
# (group number, year, month): why the session was cancelled; it is booked again a week later.
CANCELLED = {
    (2, 2025, 3): "Sciopero generale dei servizi pubblici",
    (3, 2025, 11): "Allerta meteo: uffici chiusi",
    (1, 2026, 5): "Malattia della supervisora",
}
# (group number, year, month): moved from the planned Tuesday to the Thursday after, same times.
MOVED = {(4, 2025, 10): "Concomitanza con l'Ufficio di Piano"}
# The week's work: a recovery meeting of group 3 and two individual hours (person's surname and name).
RECOVERY_GROUP, RECOVERY_START, RECOVERY_END = 3, T(14, 30), T(16, 30)
RECENT_A2 = ((("Orlando", "Davide"), T(14, 30)), (("Quarta", "Serena"), T(15, 30)))
# The session in progress: started on the quarter hour at most this long before loading, lasting this long.
IN_PROGRESS_STARTED = datetime.timedelta(minutes=30)
IN_PROGRESS_LENGTH = datetime.timedelta(hours=2)
LOW_ATTENDANCE_ABSENCE = 0.45
USUAL_ABSENCE = 0.03
USUAL_PARTIAL = 0.02


@dataclass
class Context:
    present: Present
    contract: Contract
    fundings: dict[int | None, ContractFunding]  # by FNPS year; None: the PNRR project
    counter: Counter
    low_attendance: set[int] = field(default_factory=set)
    specs: dict[Key, Spec] = field(default_factory=dict)
    members: dict[int, list[tuple[Person, int]]] = field(default_factory=dict)

    def members_of(self, group: PlanGroup) -> list[tuple[Person, int]]:
        if group.pk not in self.members:
            self.members[group.pk] = _members(group)
        return self.members[group.pk]

    def funding_on(self, day: datetime.date) -> ContractFunding:
        """The PNRR project up to the end of its activities, then the FNPS quota of the year."""
        if is_pnrr(day):
            return self.fundings[None]
        return self.fundings.get(day.year) or self.fundings[max(year for year in self.fundings if year)]


def load_sessions(counter: Counter, *, now: datetime.datetime | None = None) -> None:
    now = now or clock.now()
    present = Present(now.astimezone(ROME).date())
    poggiardo = Partnership.objects.filter(code="POGGIARDO-114").first()
    contract = Contract.objects.filter(partnership=poggiardo, provider__name="Raggio di Sole Onlus").first()
    if poggiardo is None or contract is None:
        return
    fundings: dict[int | None, ContractFunding] = {}
    for funding in contract.fundings.order_by("pk"):
        fundings.setdefault(funding.year if funding.measure == FundingMeasure.FNPS else None, funding)
    if None not in fundings or len(fundings) < 2:
        return
    context = Context(present, contract, fundings, counter)
    group_ids: set[int] = set()
    a1_by_year: dict[int, list[PlanGroup]] = {}
    for year in present.plan_years:
        plan = _plan(poggiardo, year)
        if plan is None:
            continue
        groups = list(PlanGroup.objects.filter(plan=plan).select_related("supervisor", "plan").order_by("kind", "name"))
        group_ids |= {group.pk for group in groups}
        a1 = [g for g in groups if g.kind == GroupKind.A1]
        a1_by_year[year] = a1
        if year == FIRST_YEAR and a1:
            # One AS of group 1 misses many sessions: below the 80 % of the CNOAS credits.
            members = _members(a1[0])
            if len(members) > 2:
                context.low_attendance.add(members[2][0].pk)
        for number, group in enumerate(a1, start=1):
            _load_a1(group, number, year, context)
            _load_a2(group, number, year, context)
        for number, group in enumerate([g for g in groups if g.kind == GroupKind.A3], start=1):
            _load_a3(group, number, year, context)
    _load_week(a1_by_year, context)
    _load_session_in_progress(context, now)
    _sync(context, group_ids)
    _size_a2_hours(context)
    _load_notes_and_documents(counter)


A2_USED = Decimal("0.94")  # the share of the A2 hours bought that the calendar uses: "quasi esaurite" (>= 90 %)


def _size_a2_hours(context: Context) -> None:
    """The contract's A2 hours follow the calendar's individual sessions, 94 % of them used: the coordinator
    sees the contract nearly used up and the need to add hours (the amounts are illustrative)."""
    line = ContractLine.objects.filter(contract=context.contract, kind="A2").first()
    booked = Session.objects.filter(contract=context.contract, kind="A2", status=SessionStatus.SCHEDULED).aggregate(
        minutes=Sum("minutes", default=0)
    )["minutes"]
    hours = Decimal(math.ceil(Decimal(booked) / 60 / A2_USED)) if booked else Decimal(1)
    if line is not None and line.hours != hours:
        line.hours = hours
        line.save(update_fields=["hours"])
        context.counter.updated += 1


def _plan(partnership: Partnership, year: int) -> Plan | None:
    plans = Plan.objects.filter(partnership=partnership, year=year).exclude(status=PlanStatus.SUPERSEDED)
    return plans.filter(status=PlanStatus.APPROVED).first() or plans.order_by("-version").first()


def _members(group: PlanGroup) -> list[tuple[Person, int]]:
    return [
        (member.person, member.ambito_id)
        for member in PlanMember.objects.filter(group=group).select_related("person").order_by("person__tax_code")
    ]


def _months(plan: Plan) -> range:
    return range(plan.first_month, plan.last_month + 1)


def usable(day: datetime.date) -> bool:
    """A working day outside the supervisors' Christmas leave."""
    return holiday_name(day) is None and not in_leave(day) and day.weekday() < 5


def a1_days(number: int, year: int, months: range) -> list[tuple[datetime.date, str, bool]]:
    """The regular meetings of A1 group ``number`` in a year: (day, reason if cancelled, moved)."""
    ordinal = A1_SLOTS[number][0]
    days = []
    for month in months:
        if month == 8:
            continue
        day = nth_weekday(year, month, TUESDAY, ordinal)
        if not usable(day):
            continue
        reason = CANCELLED.get((number, year, month), "")
        moved = bool(MOVED.get((number, year, month)))
        if moved:
            day += datetime.timedelta(days=2)
        days.append((day, reason, moved))
        if reason:
            days.append((day + datetime.timedelta(days=7), "", False))
    return days


def last_usable(weekday: int, before: datetime.date) -> datetime.date:
    """The last usable ``weekday`` (0 = Monday) before a day: where the demo puts the week's work."""
    day = before - datetime.timedelta(days=(before.weekday() - weekday - 1) % 7 + 1)
    while not usable(day):
        day -= datetime.timedelta(days=7)
    return day


def recovery_day(today: datetime.date) -> datetime.date:
    """The day of group 3's recovery meeting, whose register is still open."""
    return last_usable(TUESDAY, today)


def recent_a2_day(today: datetime.date) -> datetime.date:
    """The day of the two individual hours whose registers are still open."""
    return last_usable(WEDNESDAY, today)


def _load_a1(group: PlanGroup, number: int, year: int, context: Context) -> None:
    if group.supervisor is None or number not in A1_SLOTS:
        return
    _ordinal, start, end = A1_SLOTS[number]
    if number == SHORT_BOOKING_GROUP and year > FIRST_YEAR:
        end = SHORT_END
    for day, reason, moved in a1_days(number, year, _months(group.plan)):
        if context.present.is_booked(day, number):
            _session(group, "A1", day, start, end, context, cancelled=reason, moved=moved)


def _load_a2(group: PlanGroup, number: int, year: int, context: Context) -> None:
    if group.supervisor is None or number not in A2_SLOTS:
        return
    members = context.members_of(group)
    if not members:
        return
    start = A2_SLOTS[number]
    end = _plus(start, hours=1)
    for index, month in enumerate(m for m in A2_MONTHS if m in _months(group.plan)):
        day = nth_weekday(year, month, THURSDAY, 3)
        if not usable(day) or not context.present.is_held(day):
            continue
        person, _ambito = members[(index * 5 + number) % len(members)]
        _session(group, "A2", day, start, end, context, supervisee=person)


def _load_a3(group: PlanGroup, number: int, year: int, context: Context) -> None:
    if group.supervisor is None:
        return
    start = T(9, 30) if number % 2 else T(11, 45)
    end = _plus(start, hours=2)
    for month in _months(group.plan):
        if (month + number) % 2 or month == 8:
            continue
        day = nth_weekday(year, month, THURSDAY, 2)
        if usable(day) and context.present.is_booked(day):
            _session(group, "A3", day, start, end, context, modality=Modality.MIXED)


def _load_week(a1_by_year: dict[int, list[PlanGroup]], context: Context) -> None:
    """The week's work still to confirm: group 3's recovery meeting and two individual hours (on the plan of
    their year: on New Year's Day, the last week's work is December's)."""
    today = context.present.today
    day = recovery_day(today)
    groups = a1_by_year.get(day.year, [])
    if len(groups) >= RECOVERY_GROUP and groups[RECOVERY_GROUP - 1].supervisor is not None:
        group = groups[RECOVERY_GROUP - 1]
        _session(group, "A1", day, RECOVERY_START, RECOVERY_END, context, modality=Modality.MIXED, still_open=True)
    day = recent_a2_day(today)
    for (surname, name), start in RECENT_A2:
        for group in a1_by_year.get(day.year, []):
            person = next((p for p, _a in context.members_of(group) if (p.surname, p.name) == (surname, name)), None)
            if person is not None and group.supervisor is not None:
                _session(group, "A2", day, start, _plus(start, hours=1), context, supervisee=person, still_open=True)
                break  # the demo has namesakes in other ATS: one individual hour each


def _plus(start: datetime.time, *, hours: int) -> datetime.time:
    return (datetime.datetime.combine(datetime.date(2000, 1, 1), start) + datetime.timedelta(hours=hours)).time()


def in_progress_slot(now: datetime.datetime) -> tuple[datetime.date, datetime.time, datetime.time] | None:
    """Date, start and end of a session going on at ``now``: it started on the quarter hour at most
    ``IN_PROGRESS_STARTED`` before and lasts ``IN_PROGRESS_LENGTH``, within the day (sessions do not cross
    midnight). None in the last minute of the day, when no session of the day can still be going on."""
    local = now.astimezone(ROME)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    quarter = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    start = max(midnight, quarter - IN_PROGRESS_STARTED)
    end = min(start + IN_PROGRESS_LENGTH, midnight.replace(hour=23, minute=59))
    if end <= local:
        return None
    return local.date(), start.time(), end.time()


def _load_session_in_progress(context: Context, now: datetime.datetime) -> None:
    """A session of Marco De Santis's group going on now, unless one is (see the module's docstring)."""
    slot = in_progress_slot(now)
    marco = Person.objects.filter(user__username="operatore.demo").first()
    if slot is None or marco is None:
        return
    day, start, end = slot
    membership = (
        PlanMember.objects.filter(
            person=marco,
            kind=GroupKind.A1,
            group__supervisor__isnull=False,
            plan__partnership__code="POGGIARDO-114",
            plan__year__lte=day.year,
        )
        .select_related("group", "group__plan", "group__supervisor")
        .order_by("-plan__year")
        .first()
    )
    if membership is None:
        return
    group = membership.group
    going_on = [
        *Session.objects.filter(group=group, date=day, status=SessionStatus.SCHEDULED),
        *(Session(**spec.values) for key, spec in context.specs.items() if key[:2] == (group.pk, day)),
    ]
    if any(s.status == SessionStatus.SCHEDULED and s.starts_at <= now <= s.ends_at for s in going_on):
        return
    _session(group, "A1", day, start, end, context, in_progress=True)


def _code(group: PlanGroup, day: datetime.date, start: datetime.time) -> str:
    digest = hashlib.sha256(f"{group.pk}-{day}-{start}".encode()).digest()
    return "".join(checkin.ALPHABET[b % len(checkin.ALPHABET)] for b in digest[: checkin.LENGTH])


Key = tuple[int, datetime.date, datetime.time, str, int | None]


@dataclass
class Spec:
    """A session as the demo wants it: its fields, its expected people and its topics."""

    values: dict[str, Any]
    attendances: list[tuple[int, int, str, int]]  # person id, ATS id, status, minutes
    topics: list[str]


def _session(
    group: PlanGroup,
    kind: str,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    context: Context,
    *,
    supervisee: Person | None = None,
    cancelled: str = "",
    moved: bool = False,
    modality: str = Modality.IN_PERSON,
    in_progress: bool = False,
    still_open: bool = False,
) -> None:
    supervisor = group.supervisor
    assert supervisor is not None  # noqa: S101  (groups without a supervisor have no sessions)
    members = context.members_of(group)
    if supervisee is not None:
        members = [(person, ambito) for person, ambito in members if person.pk == supervisee.pk]
    ambiti = {ambito for _person, ambito in members}
    key: Key = (group.pk, day, start, kind, supervisee.pk if supervisee else None)
    values = {
        "group_id": group.pk,
        "date": day,
        "start_time": start,
        "kind": kind,
        "supervisee_id": supervisee.pk if supervisee else None,
        "end_time": end,
        "minutes": duration_minutes(start, end),
        "partnership_id": group.plan.partnership_id,
        "ambito_id": ambiti.pop() if len(ambiti) == 1 else None,
        "modality": modality,
        "place": PLACE if modality != Modality.REMOTE else "",
        "link": LINK if modality != Modality.IN_PERSON else "",
        "supervisor_id": supervisor.pk,
        "contract_id": context.contract.pk,
        "funding_id": context.funding_on(day).pk,
        "status": SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
        "cancel_reason": cancelled,
        "sequence": 1 if (cancelled or moved) else 0,
        "checkin_code": _code(group, day, start),
    }
    people = [(person.pk, ambito) for person, ambito in members]
    context.specs[key] = _progress(
        values, people, group, supervisor.user_id, context, keep_open=in_progress or still_open
    )


def _progress(
    values: dict[str, Any],
    members: list[tuple[int, int]],
    group: PlanGroup,
    supervisor_user_id: int | None,
    context: Context,
    *,
    keep_open: bool,
) -> Spec:
    """A session's register as its date says: held before today (attendance recorded), confirmed by the
    supervisor a week later (topics recorded); ``keep_open`` leaves it to confirm whatever its date."""
    day: datetime.date = values["date"]
    held = values["status"] != SessionStatus.CANCELLED and context.present.is_held(day)
    confirmed = held and context.present.is_confirmed(day) and not keep_open
    # Each session draws from its own generator, so that adding sessions never changes another's draws.
    rng = random.Random(  # noqa: S311  (reproducible demo data, not security)
        f"{group.plan.year}|{group.name}|{day}|{values['start_time']}|{values['kind']}|{values['supervisee_id']}"
    )
    attendances = []
    for person_id, ambito_id in sorted(members):  # one order, however the members were found
        status: str = AttendanceStatus.UNRECORDED
        attended = 0
        if held:
            status, attended = _attendance(person_id, values["minutes"], rng, context.low_attendance)
        attendances.append((person_id, ambito_id, status, attended))
    topics: list[str] = []
    if confirmed:
        categories = list(TopicCategory.values)
        topics = sorted(rng.sample(categories, 2)) if values["kind"] != "A2" else [rng.choice(categories)]
    confirmed_at = datetime.datetime.combine(day, T(19), tzinfo=ROME) if confirmed else None
    return Spec(
        {
            **values,
            "register_status": RegisterStatus.CONFIRMED if confirmed else RegisterStatus.OPEN,
            "register_confirmed_at": confirmed_at,
            "register_confirmed_by_id": supervisor_user_id if confirmed else None,
        },
        attendances,
        topics,
    )


def _key(session: Session) -> Key:
    return (session.group_id, session.date, session.start_time, session.kind, session.supervisee_id)


def _unplaced(existing: dict[Key, Session], context: Context) -> None:
    """Sessions of the demo's groups that the rules no longer place (the week's work and sessions in progress
    of earlier loads, sessions booked through the pages) follow the rules by their date: held, then confirmed.
    Registers already confirmed, by the demo or by a person, are left as they are."""
    pending = sorted(
        (s for key, s in existing.items() if key not in context.specs and s.register_status == RegisterStatus.OPEN),
        key=lambda s: (s.date, s.start_time, s.pk),
    )
    if not pending:
        return
    groups = PlanGroup.objects.select_related("plan", "supervisor").in_bulk({s.group_id for s in pending})
    expected = {
        (a.session_id, a.person_id): a.ambito_id
        for a in Attendance.objects.filter(session__in=pending).order_by("session_id", "person_id")
    }
    for session in pending:
        group = groups[session.group_id]
        if group.supervisor is None or not context.present.is_confirmed(session.date):
            continue  # the week's registers stay as they are: the supervisor (or the journeys) fill them in
        members = [(person, ambito) for (sid, person), ambito in expected.items() if sid == session.pk]
        values = {name: getattr(session, name) for name in _SPEC_FIELDS}
        context.specs[_key(session)] = _progress(
            values, members, group, group.supervisor.user_id, context, keep_open=False
        )


_SPEC_FIELDS = (
    "group_id", "date", "start_time", "kind", "supervisee_id", "end_time", "minutes", "partnership_id",
    "ambito_id", "modality", "place", "link", "supervisor_id", "contract_id", "funding_id", "status",
    "cancel_reason", "sequence", "checkin_code",
)  # fmt: skip


def _sync(context: Context, group_ids: set[int]) -> None:
    """Make the database hold exactly the wanted sessions' fields, people and topics, in a few bulk queries:
    create what is missing, update what differs, leave the rest untouched (a second run writes nothing)."""
    existing = {_key(session): session for session in Session.objects.filter(group_id__in=group_ids)}
    _unplaced(existing, context)
    new = [Session(**spec.values) for key, spec in context.specs.items() if key not in existing]
    Session.objects.bulk_create(new)
    context.counter.created += len(new)
    for key, session in existing.items():
        spec = context.specs.get(key)
        if spec is None:
            continue
        changed = [name for name, value in spec.values.items() if getattr(session, name) != value]
        if changed:
            for name in changed:
                setattr(session, name, spec.values[name])
            session.save(update_fields=[name.removesuffix("_id") for name in changed])
            context.counter.updated += 1
    sessions = {_key(session): session for session in [*existing.values(), *new]}
    ids = [session.pk for session in sessions.values()]
    attendances = {(a.session_id, a.person_id): a for a in Attendance.objects.filter(session_id__in=ids)}
    topics = set(SessionTopic.objects.filter(session_id__in=ids).values_list("session_id", "category"))
    add_attendances, changed_attendances, add_topics = [], [], []
    for key, spec in context.specs.items():
        session = sessions[key]
        for person_id, ambito_id, status, minutes in spec.attendances:
            current = attendances.get((session.pk, person_id))
            if current is None:
                add_attendances.append(
                    Attendance(
                        session=session, person_id=person_id, ambito_id=ambito_id, status=status, minutes=minutes
                    )
                )
            elif (current.ambito_id, current.status, current.minutes) != (ambito_id, status, minutes):
                current.ambito_id, current.status, current.minutes = ambito_id, status, minutes
                changed_attendances.append(current)
        add_topics += [
            SessionTopic(session=session, category=category)
            for category in spec.topics
            if (session.pk, category) not in topics
        ]
    Attendance.objects.bulk_create(add_attendances, batch_size=500)
    Attendance.objects.bulk_update(changed_attendances, ["ambito", "status", "minutes"], batch_size=500)
    SessionTopic.objects.bulk_create(add_topics, batch_size=500)
    context.counter.created += len(add_attendances) + len(add_topics)
    context.counter.updated += len(changed_attendances)


def _attendance(person_id: int, minutes: int, rng: random.Random, low_attendance: set[int]) -> tuple[str, int]:
    draw = rng.random()
    absence = LOW_ATTENDANCE_ABSENCE if person_id in low_attendance else USUAL_ABSENCE
    if draw < absence:
        justified = rng.random() < 0.6
        return (AttendanceStatus.ABSENT_JUSTIFIED if justified else AttendanceStatus.ABSENT), 0
    if draw < absence + USUAL_PARTIAL:
        return AttendanceStatus.PARTIAL, max(30, minutes - 60)
    return AttendanceStatus.PRESENT, minutes


NOTES = (
    "Il gruppo ha lavorato sul confine tra tutela e controllo; riprendere il tema della delega alla prossima.",
    "Clima più disteso. Chiedere alla coordinatrice di rivedere i tempi delle équipe UVM.",
)


def _load_notes_and_documents(counter: Counter) -> None:
    """Two private notes of the demo supervisor and the final register of her latest confirmed session (the
    others can be issued from their page); written only when missing, so a second run regenerates nothing."""
    latest = list(
        Session.objects.filter(
            supervisor__user__username="supervisore.demo",
            register_status=RegisterStatus.CONFIRMED,
            status=SessionStatus.SCHEDULED,
        )
        .exclude(kind="A2")
        .select_related("supervisor__user")
        .order_by("-date", "-start_time")[:3]
    )
    for session, text in zip(latest, NOTES, strict=False):
        author = session.supervisor.user
        if author is not None and not SupervisorNote.objects.filter(session=session).exists():
            SupervisorNote.objects.create(session=session, author=author, token=encrypt_note(text))
            counter.created += 1
    for session in latest[:1]:
        if not RegisterDocument.objects.filter(session=session).exists():
            issue_register_document(session, by=session.supervisor.user)
            counter.created += 1

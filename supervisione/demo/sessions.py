"""Demo sessions of Poggiardo-Maglie-Casarano: the 2025 history, 2026 to date, and what comes next.

The calendar is computed from fixed dates (``DEMO_TODAY`` is 23/11/2026), never from the clock, and every
random choice (absences, partial presences, topics) comes from a generator with a fixed seed walked in a fixed
order, so that the demo is the same on every machine and a second run changes nothing. The one exception is
the session in progress (below), which follows the clock because check-in with the code works only during a
session.

- A1 groups meet once a month (not in August, never on a public holiday or in the supervisor's leave), two
  hours with Chiara Longo: groups 1 and 2 on the first Tuesday (09:00 and 11:00), groups 3 and 4 on the third.
  In 2026 group 4 has no supervisor in the plan and has had no session: it is behind its minimum.
- A3 équipes meet every other month on the second Thursday morning with Davide Russo.
- A2: one individual hour a month for a member of each A1 group, in rotation, on Thursday afternoon.
- Some sessions were cancelled (and booked again a week later), one was moved; most people attend, one AS of
  group 1 misses many sessions and stays below 80 %. The registers of the last week are still to confirm.
- Upcoming: group sessions in December and, for the demo supervisee Marco De Santis, a group session on
  24/11/2026 and an individual one on 26/11/2026.
- In progress: whenever the demo is loaded, Marco De Santis's group has a session that started at most 30
  minutes ago (on the quarter hour) and lasts two hours, with its register open and nobody recorded, so that
  the supervisor's code, the supervisee's check-in and the confirmation of "today's" register can be tried at
  once (the browser journeys do). It is added only when no session of that group is in progress: a second run
  while it lasts changes nothing; a run after it ended (a later hour or day) adds a new one, and the earlier
  one stays with its register to confirm, as a session whose register the supervisor forgot would.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from supervisione.census.models import Person
from supervisione.demo.loading import Counter
from supervisione.lib import clock
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.sessions import checkin
from supervisione.sessions.actions import issue_register_document
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
from supervisione.supervisors.models import Contract, ContractFunding
from supervisione.territory.models import Partnership

ROME = ZoneInfo("Europe/Rome")
DEMO_TODAY = datetime.date(2026, 11, 23)
LAST_CONFIRMED = DEMO_TODAY - datetime.timedelta(days=7)  # registers of the last week are still open
HORIZON = datetime.date(2026, 12, 18)
SEED = 2025_02_01
TUESDAY, THURSDAY = 1, 3
T = datetime.time

# A1 group number -> (ordinal Tuesday of the month, start, end)
A1_SLOTS = {1: (1, T(9), T(11)), 2: (1, T(11), T(13)), 3: (3, T(9), T(11)), 4: (3, T(11), T(13))}
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
# The session in progress: started on the quarter hour at most this long before loading, lasting this long.
IN_PROGRESS_STARTED = datetime.timedelta(minutes=30)
IN_PROGRESS_LENGTH = datetime.timedelta(hours=2)
LOW_ATTENDANCE_ABSENCE = 0.45
USUAL_ABSENCE = 0.06
USUAL_PARTIAL = 0.05


@dataclass
class Context:
    contract: Contract
    funding: ContractFunding
    rng: random.Random
    counter: Counter
    low_attendance: set[int] = field(default_factory=set)
    specs: dict[Key, Spec] = field(default_factory=dict)
    members: dict[int, list[tuple[Person, int]]] = field(default_factory=dict)

    def members_of(self, group: PlanGroup) -> list[tuple[Person, int]]:
        if group.pk not in self.members:
            self.members[group.pk] = _members(group)
        return self.members[group.pk]


def load_sessions(counter: Counter, *, now: datetime.datetime | None = None) -> None:
    poggiardo = Partnership.objects.filter(code="POGGIARDO-114").first()
    contract = Contract.objects.filter(partnership=poggiardo, provider__name="Raggio di Sole Onlus").first()
    if poggiardo is None or contract is None:
        return
    funding = contract.fundings.order_by("pk").first()
    if funding is None:
        return
    rng = random.Random(SEED)  # noqa: S311  (reproducible demo data, not security)
    context = Context(contract, funding, rng, counter)
    group_ids: set[int] = set()
    for year in (2025, 2026):
        plan = _plan(poggiardo, year)
        if plan is None:
            continue
        groups = list(PlanGroup.objects.filter(plan=plan).select_related("supervisor", "plan").order_by("kind", "name"))
        group_ids |= {group.pk for group in groups}
        a1 = [g for g in groups if g.kind == GroupKind.A1]
        if year == 2025 and a1:
            # One AS of group 1 misses many sessions: below the 80 % of the CNOAS credits.
            members = _members(a1[0])
            if len(members) > 2:
                context.low_attendance.add(members[2][0].pk)
        for number, group in enumerate(a1, start=1):
            _load_a1(group, number, year, context)
            _load_a2(group, number, year, context)
        for number, group in enumerate([g for g in groups if g.kind == GroupKind.A3], start=1):
            _load_a3(group, number, year, context)
    _load_upcoming_for_demo_people(context)
    _sync(context, group_ids)
    _load_notes_and_documents(counter)
    _load_session_in_progress(context, now or clock.now())


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


def _usable(day: datetime.date) -> bool:
    """A working day outside the supervisor's Christmas leave, not past the demo's horizon."""
    leave = datetime.date(day.year, 12, 24) <= day or day <= datetime.date(day.year, 1, 6)
    return holiday_name(day) is None and not leave and day <= HORIZON


def _load_a1(group: PlanGroup, number: int, year: int, context: Context) -> None:
    if group.supervisor is None or number not in A1_SLOTS:
        return
    ordinal, start, end = A1_SLOTS[number]
    for month in _months(group.plan):
        if month == 8:
            continue
        day = nth_weekday(year, month, TUESDAY, ordinal)
        if not _usable(day):
            continue
        reason = CANCELLED.get((number, year, month))
        moved = MOVED.get((number, year, month))
        if moved:
            day += datetime.timedelta(days=2)
        _session(group, "A1", day, start, end, context, cancelled=reason or "", moved=bool(moved))
        if reason:
            _session(group, "A1", day + datetime.timedelta(days=7), start, end, context)


def _load_a2(group: PlanGroup, number: int, year: int, context: Context) -> None:
    if group.supervisor is None or number not in A2_SLOTS:
        return
    members = context.members_of(group)
    if not members:
        return
    start = A2_SLOTS[number]
    end = (datetime.datetime.combine(DEMO_TODAY, start) + datetime.timedelta(hours=1)).time()
    for index, month in enumerate(m for m in A2_MONTHS if m in _months(group.plan)):
        day = nth_weekday(year, month, THURSDAY, 3)
        if not _usable(day) or day >= DEMO_TODAY:
            continue
        person, _ambito = members[(index * 5 + number) % len(members)]
        _session(group, "A2", day, start, end, context, supervisee=person)


def _load_a3(group: PlanGroup, number: int, year: int, context: Context) -> None:
    if group.supervisor is None:
        return
    start = T(9, 30) if number % 2 else T(11, 45)
    end = (datetime.datetime.combine(DEMO_TODAY, start) + datetime.timedelta(hours=2)).time()
    for month in _months(group.plan):
        if (month + number) % 2 or month == 8:
            continue
        day = nth_weekday(year, month, THURSDAY, 2)
        if _usable(day):
            _session(group, "A3", day, start, end, context, modality=Modality.MIXED)


def _load_upcoming_for_demo_people(context: Context) -> None:
    marco = Person.objects.filter(user__username="operatore.demo").first()
    if marco is None:
        return
    membership = (
        PlanMember.objects.filter(person=marco, kind=GroupKind.A1, group__supervisor__isnull=False)
        .filter(Q(plan__year=2026))
        .select_related("group", "group__plan")
        .first()
    )
    if membership is None:
        return
    group = membership.group
    _session(group, "A1", datetime.date(2026, 11, 24), T(14, 30), T(16, 30), context, modality=Modality.MIXED)
    _session(group, "A2", datetime.date(2026, 11, 26), T(15, 30), T(16, 30), context, supervisee=marco)


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
    today = Session.objects.filter(group=group, date=day, status=SessionStatus.SCHEDULED)
    if any(session.starts_at <= now <= session.ends_at for session in today):
        return
    live = Context(context.contract, context.funding, context.rng, context.counter, members=context.members)
    _session(group, "A1", day, start, end, live, in_progress=True)
    _sync(live, {group.pk})


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
) -> None:
    members = context.members_of(group)
    if supervisee is not None:
        members = [(person, ambito) for person, ambito in members if person.pk == supervisee.pk]
    ambiti = {ambito for _person, ambito in members}
    held = not cancelled and not in_progress and day < DEMO_TODAY  # its attendance is recorded
    confirmed = held and day <= LAST_CONFIRMED
    supervisor = group.supervisor
    assert supervisor is not None  # noqa: S101  (groups without a supervisor have no sessions)
    minutes = duration_minutes(start, end)
    attendances = []
    for person, ambito in members:
        status: str = AttendanceStatus.UNRECORDED
        attended = 0
        if held:
            status, attended = _attendance(person.pk, minutes, context)
        attendances.append((person.pk, ambito, status, attended))
    topics: list[str] = []
    if confirmed:
        values = list(TopicCategory.values)
        topics = sorted(context.rng.sample(values, 2)) if kind != "A2" else [context.rng.choice(values)]
    key: Key = (group.pk, day, start, kind, supervisee.pk if supervisee else None)
    context.specs[key] = Spec(
        {
            "group_id": group.pk,
            "date": day,
            "start_time": start,
            "kind": kind,
            "supervisee_id": supervisee.pk if supervisee else None,
            "end_time": end,
            "minutes": minutes,
            "partnership_id": group.plan.partnership_id,
            "ambito_id": ambiti.pop() if len(ambiti) == 1 else None,
            "modality": modality,
            "place": PLACE if modality != Modality.REMOTE else "",
            "link": LINK if modality != Modality.IN_PERSON else "",
            "supervisor_id": supervisor.pk,
            "contract_id": context.contract.pk,
            "funding_id": context.funding.pk,
            "status": SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
            "cancel_reason": cancelled,
            "sequence": 1 if (cancelled or moved) else 0,
            "checkin_code": _code(group, day, start),
            "register_status": RegisterStatus.CONFIRMED if confirmed else RegisterStatus.OPEN,
            "register_confirmed_at": datetime.datetime.combine(day, T(19), tzinfo=ROME) if confirmed else None,
            "register_confirmed_by_id": supervisor.user_id if confirmed else None,
        },
        attendances,
        topics,
    )


def _key(session: Session) -> Key:
    return (session.group_id, session.date, session.start_time, session.kind, session.supervisee_id)


def _sync(context: Context, group_ids: set[int]) -> None:
    """Make the database hold exactly the wanted sessions' fields, people and topics, in a few bulk queries:
    create what is missing, update what differs, leave the rest untouched (a second run writes nothing)."""
    existing = {_key(session): session for session in Session.objects.filter(group_id__in=group_ids)}
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


def _attendance(person_id: int, minutes: int, context: Context) -> tuple[str, int]:
    draw = context.rng.random()
    absence = LOW_ATTENDANCE_ABSENCE if person_id in context.low_attendance else USUAL_ABSENCE
    if draw < absence:
        justified = context.rng.random() < 0.6
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

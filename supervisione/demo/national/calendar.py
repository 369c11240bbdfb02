"""The calendar of a partnership for one year: sessions, their attendance registers and topics.

- Each group or équipe books a recurring series at the start of the year: every week, every two weeks or
  every four weeks (most every two), on one weekday at one of four times, never in August, over Christmas or
  on a public holiday. A2 individual hours (one hour each, 8 to 15 a year per A1 group, within its 15-hour
  pool) go to its members in turn, in the afternoon.
- Nobody is ever double-booked: a session that would overlap another of its supervisor or of one of its
  people moves to another time or day of the same week (the same checks as ``sessions.booking``).
- About 3 % of the sessions held were cancelled with a reason (1 % of those to come); half of the cancelled
  ones were recovered a week later. In the current year about one group in ten started late and one in twelve
  has booked nothing beyond the next two weeks; in past years one in 25 started only in October: their
  compliance shows as at risk or behind.
- Registers of sessions held up to a week before ``--today`` are confirmed by the supervisor; those of the
  last week are recorded but still to confirm; sessions from ``--today`` on are in the calendar with every
  expected participant unrecorded. Attendance: about 8 % absent (most justified), 4 % present only in part,
  a few people often absent (below the 80 % of the continuing-education credits).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from supervisione.demo.national.context import PartnershipInfo, World
from supervisione.demo.national.plans import PROJECT_END, GroupInfo, PlanInfo
from supervisione.demo.national.staff import Staff, StaffMember
from supervisione.demo.national.writer import ROME, aware
from supervisione.sessions.checkin import ALPHABET, LENGTH
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    Modality,
    RegisterStatus,
    Series,
    Session,
    SessionStatus,
    SessionTopic,
    TopicCategory,
)
from supervisione.sessions.public_holidays import holiday_name
from supervisione.sessions.recurrence import Frequency, Recurrence, nth_weekday

TIMES = (9 * 60, 11 * 60 + 15, 14 * 60 + 30, 16 * 60 + 30)
A2_TIMES = (14 * 60, 15 * 60, 16 * 60, 17 * 60, 12 * 60, 8 * 60 + 30)
# Denser than most ATS's calendars (A1 groups mostly weekly), so that the national size reaches the load the
# product must bear: about 250,000 sessions and 3 million attendance rows for 600 ATS over four years.
CADENCES = {"A1": ((1, 2, 4), (80, 17, 3)), "A3": ((1, 2, 4), (55, 35, 10)), "extra": ((1, 2, 4), (20, 50, 30))}
DURATIONS = {"A1": (90, 120), "A3": (90, 120), "extra": (90,)}
CANCEL_REASONS = (
    "Malattia del supervisore",
    "Sciopero generale dei servizi pubblici",
    "Allerta meteo: uffici chiusi",
    "Concomitanza con una scadenza dell'Ufficio di Piano",
    "Sala non disponibile",
    "Assemblea del personale",
)
TOPICS = tuple(TopicCategory.values)
SESSION_FIELDS = [
    "id", "kind", "group_id", "partnership_id", "ambito_id", "supervisee_id", "series_id", "date", "start_time",
    "end_time", "minutes", "modality", "place", "link", "supervisor_id", "contract_id", "funding_id", "status",
    "cancel_reason", "sequence", "version", "checkin_code", "register_status", "register_confirmed_at",
    "register_confirmed_by_id", "created_by_id", "created_at", "updated_at",
]  # fmt: skip
SHORT_HORIZON = datetime.timedelta(days=14)


def _time(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


class Busy:
    """Who is booked when: supervisors (negative keys) and people, per day, as (start, end) minutes."""

    def __init__(self) -> None:
        self.slots: dict[tuple[int, datetime.date], list[tuple[int, int]]] = {}

    def free(self, keys: list[int], day: datetime.date, start: int, end: int) -> bool:
        for key in keys:
            for other_start, other_end in self.slots.get((key, day), ()):
                if start < other_end and other_start < end:
                    return False
        return True

    def take(self, keys: list[int], day: datetime.date, start: int, end: int) -> None:
        for key in keys:
            self.slots.setdefault((key, day), []).append((start, end))


@dataclass
class Booked:
    group: GroupInfo
    kind: str
    day: datetime.date
    start: int
    minutes: int
    people: list[StaffMember]
    series_id: int | None = None
    supervisee: StaffMember | None = None
    cancelled: str = ""
    recovery: bool = False


def usable(day: datetime.date) -> bool:
    if day.weekday() > 4 or day.month == 8:
        return False
    if day < datetime.date(day.year, 1, 7) or day > datetime.date(day.year, 12, 21):
        return False
    return holiday_name(day) is None


def weeks(year: int) -> Iterator[datetime.date]:
    day = datetime.date(year, 1, 7)
    monday = day + datetime.timedelta(days=(7 - day.weekday()) % 7)
    while monday <= datetime.date(year, 12, 17):
        if monday.month != 8 and (monday + datetime.timedelta(days=4)).month != 8:
            yield monday
        monday += datetime.timedelta(days=7)


class Calendar:
    def __init__(self, world: World, partnership: PartnershipInfo, staff: Staff, rng: random.Random) -> None:
        self.world = world
        self.partnership = partnership
        self.staff = staff
        self.rng = rng
        self.today = world.options.today
        self.names = {ambito.id: ambito.name for ambito in partnership.ambiti}

    def book_year(self, plan: PlanInfo) -> None:
        busy = Busy()
        booked: list[Booked] = []
        current = plan.year == self.world.options.last_year
        for group in plan.groups:
            window = self._window(group.year, current)
            booked += self._series(group, busy, window)
            if group.kind == "A1":
                booked += self._individual(group, busy, window)
        booked += self._cancellations(booked, busy)
        for item in booked:
            self._write(item)

    def _window(self, year: int, current: bool) -> tuple[datetime.date, datetime.date]:
        """The days a group actually books. Most book the whole year; in the current year some started late (a
        supervisor replaced, say: two to ten weeks ago) and some have booked nothing beyond the next two weeks;
        in past years a few started only in October. Their plans keep the full hours, so their compliance shows
        as at risk or behind."""
        rng = self.rng
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        draw = rng.random()
        if current and draw < 0.10:
            first = self.today - datetime.timedelta(days=rng.randint(14, 70))
        elif current and draw < 0.18:
            last = self.today + SHORT_HORIZON
        elif not current and draw < 0.04:
            first = datetime.date(year, 10, rng.randint(1, 31))
        return first, last

    def _keys(self, group: GroupInfo, people: list[StaffMember]) -> list[int]:
        assert group.supervisor is not None  # noqa: S101  (every group has one)
        return [-group.supervisor.id, *(person.id for person in people)]

    def _slot(
        self, group: GroupInfo, busy: Busy, days: list[datetime.date], times: list[int], minutes: int
    ) -> tuple[datetime.date, int, list[StaffMember]] | None:
        for day in days:
            if not usable(day):
                continue
            people = [person for person in group.members if person.present_on(day)]
            keys = self._keys(group, people)
            for start in times:
                if busy.free(keys, day, start, start + minutes):
                    return day, start, people
        return None

    def _series(self, group: GroupInfo, busy: Busy, window: tuple[datetime.date, datetime.date]) -> list[Booked]:
        rng = self.rng
        cadences, weights = CADENCES[group.kind]
        cadence = rng.choices(cadences, weights=weights)[0]
        weekday = rng.randrange(5)
        first_time = rng.randrange(len(TIMES))
        minutes = rng.choice(DURATIONS[group.kind])
        times = [TIMES[(first_time + k) % len(TIMES)] for k in range(len(TIMES))]
        for attempt in (cadence, 2, 1):
            phase = rng.randrange(attempt)
            found = []
            for monday in weeks(group.year):
                if (monday.toordinal() // 7 - phase) % attempt:
                    continue
                days = [monday + datetime.timedelta(days=(weekday + k) % 5) for k in range(5)]
                slot = self._slot(group, busy, days, times, minutes)
                if slot is not None:
                    found.append(slot)
            if len(found) * minutes >= group.minimum_minutes or attempt == 1:
                cadence = attempt
                break
        group.planned_minutes = len(found) * minutes
        series_id = self.world.ids.next(Series)
        result = []
        for day, start, people in found:
            if not window[0] <= day <= window[1]:
                continue
            busy.take(self._keys(group, people), day, start, start + minutes)
            result.append(Booked(group, group.kind, day, start, minutes, people, series_id))
        if result:
            first, last = result[0].day, result[-1].day
            rule = Recurrence(Frequency.WEEKLY, cadence, until=last)
            self.world.writer.table(
                Series,
                ["id", "frequency", "interval", "first_date", "until", "description", "created_by_id", "created_at"],
            ).add(
                series_id,
                Frequency.WEEKLY.value,
                cadence,
                first,
                last,
                rule.describe(first),
                self.staff.coordinator_id,
                self._created(group.year),
            )
        return result

    def _individual(self, group: GroupInfo, busy: Busy, window: tuple[datetime.date, datetime.date]) -> list[Booked]:
        rng = self.rng
        months = [month for month in range(2, 12) if month != 8]
        result = []
        offset = rng.randrange(len(group.members))
        for index in range(rng.randint(8, 15)):
            month = months[index % len(months)]
            ordinal = min(4, 1 + (index // len(months)) * 2 + rng.randrange(2))
            day = nth_weekday(group.year, month, rng.randrange(5), ordinal)
            person = group.members[(index * 5 + offset) % len(group.members)]
            if not person.present_on(day) or not window[0] <= day <= window[1]:
                continue
            first_time = rng.randrange(len(A2_TIMES))
            times = [A2_TIMES[(first_time + k) % len(A2_TIMES)] for k in range(len(A2_TIMES))]
            solo = GroupInfo(
                group.id, group.plan_id, group.year, "A2", group.name, [person], supervisor=group.supervisor
            )
            slot = self._slot(solo, busy, [day], times, 60)
            if slot is None:
                continue
            busy.take(self._keys(solo, [person]), day, slot[1], slot[1] + 60)
            result.append(Booked(group, "A2", day, slot[1], 60, [person], supervisee=person))
        return result

    def _cancellations(self, booked: list[Booked], busy: Busy) -> list[Booked]:
        rng = self.rng
        recovered = []
        for item in booked:
            held = item.day < self.today
            if rng.random() >= (0.03 if held else 0.01):
                continue
            item.cancelled = rng.choice(CANCEL_REASONS)
            if not held or rng.random() >= 0.5:
                continue
            days = [item.day + datetime.timedelta(days=delta) for delta in (7, 8, 9, 6, 14)]
            days = [day for day in days if day.year == item.day.year]
            solo = GroupInfo(
                item.group.id,
                item.group.plan_id,
                item.group.year,
                item.kind,
                "",
                item.people,
                supervisor=item.group.supervisor,
            )
            slot = self._slot(solo, busy, days, [item.start, *TIMES], item.minutes)
            if slot is None:
                continue
            day, start, people = slot
            busy.take(self._keys(solo, people), day, start, start + item.minutes)
            recovered.append(
                Booked(
                    item.group, item.kind, day, start, item.minutes, people, supervisee=item.supervisee, recovery=True
                )
            )
        return recovered

    def _created(self, year: int) -> datetime.datetime:
        return aware(datetime.date(year - 1, 12, 28), 10)

    def _write(self, item: Booked) -> None:
        # The order of the draws (place, confirmation, check-in code, presence, topics) is the demo's: any other
        # order writes another calendar from the same seed.
        world, rng = self.world, self.rng
        group = item.group
        assert group.supervisor is not None  # noqa: S101  (every group has a supervisor)
        assert group.contract is not None  # noqa: S101  (every group has a contract)
        session_id = world.ids.next(Session)
        ambito_id = item.supervisee.ambito.id if item.supervisee else group.ambito_id
        modality, place, link = self._where(item, ambito_id)
        cancelled = bool(item.cancelled)
        held = not cancelled and item.day < self.today
        confirmed = held and item.day < world.options.confirmed_before
        created, updated, confirmed_at = self._stamps(item, cancelled=cancelled, confirmed=confirmed)
        contract = group.contract
        contract.booked[item.kind] = contract.booked.get(item.kind, 0) + (0 if cancelled else item.minutes)
        if item.kind == "A2" and not cancelled:
            group.a2_minutes += item.minutes
        start, end = _time(item.start), _time(item.start + item.minutes)
        world.writer.table(Session, SESSION_FIELDS).add(
            session_id,
            item.kind,
            group.id,
            self.partnership.id,
            ambito_id,
            item.supervisee.id if item.supervisee else None,
            item.series_id,
            item.day,
            start,
            end,
            item.minutes,
            modality,
            place,
            link,
            group.supervisor.id,
            contract.id,
            group.funding_after_id if group.funding_after_id and item.day > PROJECT_END.last_day else group.funding_id,
            SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
            item.cancelled,
            1 if cancelled else 0,
            2 if cancelled else 1,
            "".join(rng.choice(ALPHABET) for _ in range(LENGTH)),
            RegisterStatus.CONFIRMED if confirmed else RegisterStatus.OPEN,
            confirmed_at,
            group.supervisor.user_id if confirmed else None,
            self.staff.coordinator_id,
            created,
            updated,
        )
        self._attendances(item, session_id, datetime.datetime.combine(item.day, start, tzinfo=ROME), modality, held)
        if confirmed:
            self._topics(item, session_id)

    def _where(self, item: Booked, ambito_id: int | None) -> tuple[str, str, str]:
        """Modality, place and link of a session (A2 half remote; groups mostly in person)."""
        rng = self.rng
        if item.kind == "A2":
            modality = Modality.REMOTE if rng.random() < 0.5 else Modality.IN_PERSON
        else:
            modality = rng.choices((Modality.IN_PERSON, Modality.REMOTE, Modality.MIXED), weights=(60, 20, 20))[0]
        where = self.names.get(ambito_id or 0, self.partnership.capofila.name)
        place = "" if modality == Modality.REMOTE else f"Sede dell'{where}, sala riunioni"
        link = (
            ""
            if modality == Modality.IN_PERSON
            else f"https://meet.example.org/{self.partnership.code.lower()}-{item.group.id}"
        )
        return modality, place, link

    def _stamps(
        self, item: Booked, *, cancelled: bool, confirmed: bool
    ) -> tuple[datetime.datetime, datetime.datetime, datetime.datetime | None]:
        """When the session was created and last changed, and when its register was confirmed."""
        created = self._created(item.group.year)
        if item.recovery:
            created = aware(item.day - datetime.timedelta(days=7), 9)
        updated = created
        confirmed_at = None
        if cancelled:
            updated = max(created, aware(item.day - datetime.timedelta(days=1), 9))
        elif confirmed:
            confirmed_at = aware(item.day + datetime.timedelta(days=self.rng.randint(0, 3)), 18, 30)
            updated = confirmed_at
        return created, updated, confirmed_at

    def _attendances(self, item: Booked, session_id: int, begins: datetime.datetime, modality: str, held: bool) -> None:
        """A row per expected person: unrecorded until the session is held, then present, partial or absent."""
        world, rng = self.world, self.rng
        attendances = world.writer.table(
            Attendance, ["id", "session_id", "person_id", "ambito_id", "status", "minutes", "checked_in_at"]
        )
        for person in item.people:
            status: str = AttendanceStatus.UNRECORDED
            minutes, checked = 0, None
            if held:
                status, minutes = _presence(rng, person, item)
                if minutes and modality != Modality.REMOTE and rng.random() < 0.3:
                    checked = begins - datetime.timedelta(minutes=rng.randint(0, 10))
            attendances.add(
                world.ids.next(Attendance), session_id, person.id, person.ambito.id, status, minutes, checked
            )

    def _topics(self, item: Booked, session_id: int) -> None:
        """The topics of a confirmed register: one for an A2 session, one or two for a group's."""
        world, rng = self.world, self.rng
        topics = world.writer.table(SessionTopic, ["id", "session_id", "category"])
        chosen = [rng.choice(TOPICS)] if item.kind == "A2" else sorted(rng.sample(TOPICS, rng.choice((1, 2))))
        for category in chosen:
            topics.add(world.ids.next(SessionTopic), session_id, category)


def _presence(rng: random.Random, person: StaffMember, item: Booked) -> tuple[str, int]:
    absence = person.absence / 3 if item.kind == "A2" else person.absence
    draw = rng.random()
    if draw < absence:
        return (AttendanceStatus.ABSENT_JUSTIFIED if rng.random() < 0.6 else AttendanceStatus.ABSENT), 0
    if draw < absence + 0.04 and item.kind != "A2":
        return AttendanceStatus.PARTIAL, max(15, item.minutes - rng.choice((30, 45, 60)))
    return AttendanceStatus.PRESENT, item.minutes

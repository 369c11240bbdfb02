"""The checks a booking passes before any session is saved, each refusal in Italian words.

A booking (one session, a whole recurring series, or a new time for an existing session) is refused when:

- the supervisor is not eligible for the type (``supervisors.eligibility``, the plan's check and words), already
  has a session at that time, or is absent or outside their stated availability;
- one of the expected participants already has a session at that time;
- a date is outside the contract's period, or the contract is not in force, or the funding source is not
  one of the contract's;
- the funding row is a PNRR project's and a date is after the end of its activities (``leps.pnrr``);
- a date is an Italian public holiday and the user did not confirm it (a series may instead skip holidays);
- the contract has fewer hours of that type left than the booking asks, or (A2) the A1 group's pool has;
- the funding row is an ATS's FNPS quota and some of the people expected are of another ATS, without the
  partnership's agreement with quotas in force on the date (``procurement.payers``, the words of the plan's group
  form).

Hours left count every session booked and not cancelled, held or still to come, so that a contract cannot
be booked twice over; hours *used* (contract page, reports) count only confirmed registers.
A series is booked whole or not at all: every problem of every date is listed at once.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.eligibility import describe_eligibility
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.parameters import rules_at
from supervisione.lib.italian import duration_text
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract, ContractFunding, ContractLine, ContractStatus
from supervisione.procurement.payers import Payers, about
from supervisione.sessions.models import Attendance, Session, SessionStatus, duration_minutes
from supervisione.sessions.public_holidays import describe_holidays, holidays_among
from supervisione.sessions.usage import a2_pool_minutes_left, booked_minutes
from supervisione.supervisors.availability import availability_problem
from supervisione.supervisors.eligibility import eligibility_of
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import FundingMeasure


class HolidayChoice(StrEnum):
    ASK = ""
    SKIP = "skip"
    CONFIRM = "confirm"


@dataclass(frozen=True)
class Slot:
    date: datetime.date
    start: datetime.time
    end: datetime.time

    @property
    def minutes(self) -> int:
        return duration_minutes(self.start, self.end)

    def overlaps(self, start: datetime.time, end: datetime.time) -> bool:
        return self.start < end and start < self.end

    def text(self) -> str:
        return f"il {self.date:%d/%m/%Y} dalle {self.start:%H:%M} alle {self.end:%H:%M}"


@dataclass
class Booking:
    kind: str
    group_id: int
    supervisor: Supervisor
    contract: Contract
    funding: ContractFunding
    participants: dict[int, str]  # person id -> name, for the messages
    slots: Sequence[Slot]
    holidays: HolidayChoice = HolidayChoice.ASK
    replacing: Session | None = None
    ambiti: dict[int, int] = field(default_factory=dict)  # person id -> the ATS whose staff they are


@dataclass
class Outcome:
    slots: list[Slot] = field(default_factory=list)
    holidays: dict[datetime.date, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_booking(booking: Booking) -> Outcome:
    outcome = Outcome()
    slots = sorted(booking.slots, key=lambda slot: (slot.date, slot.start))
    if not slots:
        outcome.problems.append("Nessuna data da prenotare.")
        return outcome
    for slot in slots:
        if slot.end <= slot.start:
            outcome.problems.append("L'orario di fine deve seguire quello di inizio.")
            return outcome
    holidays = holidays_among(slot.date for slot in slots)
    outcome.holidays = holidays
    if holidays and booking.holidays is HolidayChoice.SKIP:
        slots = [slot for slot in slots if slot.date not in holidays]
        if not slots:
            outcome.problems.append("Tutte le date della serie sono festive: non resta nessun incontro da prenotare.")
            return outcome
    elif holidays and booking.holidays is not HolidayChoice.CONFIRM:
        many = len(holidays) > 1
        outcome.problems.append(
            f"{'Sono giorni festivi' if many else 'È un giorno festivo'}: {describe_holidays(holidays)}. "
            "Conferma l'incontro nei giorni festivi"
            + (", salta quelle date" if len(booking.slots) > 1 else "")
            + " o scegli un'altra data."
        )
    outcome.slots = slots
    outcome.problems += _contract_problems(booking, slots)
    outcome.problems += _project_end_problems(booking, slots)
    outcome.problems += _payer_problems(booking, slots)
    outcome.problems += _supervisor_problems(booking, slots)
    outcome.problems += _participant_problems(booking, slots)
    outcome.problems += _hours_problems(booking, slots)
    return outcome


def _contract_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    contract = booking.contract
    problems: list[str] = []
    if booking.funding.contract_id != contract.pk:
        problems.append("La fonte di finanziamento scelta non appartiene al contratto.")
    if contract.status not in (ContractStatus.AWARDED, ContractStatus.ACTIVE):
        problems.append(f"Il contratto «{contract}» non è in vigore ({contract.get_status_display().lower()}).")
        return problems
    outside = [
        slot.date
        for slot in slots
        if (contract.start_date and slot.date < contract.start_date)
        or (contract.end_date and slot.date > contract.end_date)
    ]
    if outside:
        period = _period_text(contract.start_date, contract.end_date)
        dates = _dates_text(outside)
        problems.append(f"{dates} fuori dal periodo del contratto «{contract}» ({period}).")
    return problems


def _project_end_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    """Nothing is charged to a PNRR project's CUP after its activities end (``leps.pnrr``)."""
    what = "l'incontro" if len(slots) == 1 else "la serie"
    problem = booking.funding.closed_refusal("il calendario") or booking.funding.refusal_after_end(
        what, [slot.date for slot in slots]
    )
    return [problem] if problem else []


def _payer_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    """An ATS's FNPS row pays for its own staff; for another ATS's only on the dates an agreement is in force."""
    funding = booking.funding
    if funding.measure != FundingMeasure.FNPS or funding.contract_id != booking.contract.pk:
        return []
    people = Counter(booking.ambiti.values())
    payers = Payers([booking.contract.partnership_id] if booking.contract.partnership_id else [], people)
    refused = {slot.date: payers.check(funding, people, slot.date, slot.date) for slot in slots}
    refused = {day: check for day, check in refused.items() if not check.allowed}
    if not refused:
        return []
    message = next(iter(refused.values())).message
    if len(refused) == len({slot.date for slot in slots}):
        return [message]
    return [about(f"{_dates_text(sorted(refused))} fuori dal periodo dell'accordo di ripartizione", message)]


def _supervisor_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    problems = _eligibility_problems(booking, slots)
    dates = {slot.date for slot in slots}
    busy = Session.objects.filter(
        supervisor=booking.supervisor, status=SessionStatus.SCHEDULED, date__in=dates
    ).select_related("group")
    if booking.replacing is not None:
        busy = busy.exclude(pk=booking.replacing.pk)
    by_date: dict[datetime.date, list[Session]] = {}
    for other in busy:
        by_date.setdefault(other.date, []).append(other)
    problems.extend(
        f"Il supervisore {booking.supervisor} ha già un incontro {slot.text()}: "
        f"{_what(other)} dalle {other.start_time:%H:%M} alle {other.end_time:%H:%M}."
        for slot in slots
        for other in by_date.get(slot.date, [])
        if slot.overlaps(other.start_time, other.end_time)
    )
    slots_in_force = list(booking.supervisor.weekly_slots.all())
    absences = list(booking.supervisor.absences.all())
    for slot in slots:
        start = datetime.datetime.combine(slot.date, slot.start)
        end = datetime.datetime.combine(slot.date, slot.end)
        problem = availability_problem(slots_in_force, absences, start, end)
        if problem is not None:
            problems.append(problem)
    return problems


def _eligibility_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    """The plan's check, in the plan's words: a new booking needs a supervisor eligible for its type.

    A session moved keeps its supervisor, who was checked when it was booked, so it is not asked again.
    """
    if booking.replacing is not None:
        return []
    profession = None
    if booking.kind == SupervisionTypeChoices.EXTRA:
        group = PlanGroup.objects.filter(pk=booking.group_id).first()
        profession = group.group_profession if group is not None else None
    result = eligibility_of(
        booking.supervisor,
        SupervisionType(booking.kind),
        group_profession=profession,
        rules=rules_at(slots[0].date),
    )
    return [] if result.eligible else [describe_eligibility(result)]


def _participant_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    if not booking.participants:
        return []
    dates = {slot.date for slot in slots}
    busy = Attendance.objects.filter(
        person_id__in=booking.participants, session__status=SessionStatus.SCHEDULED, session__date__in=dates
    ).select_related("session", "session__group")
    if booking.replacing is not None:
        busy = busy.exclude(session_id=booking.replacing.pk)
    problems: list[str] = []
    for attendance in busy:
        other = attendance.session
        for slot in slots:
            if slot.date == other.date and slot.overlaps(other.start_time, other.end_time):
                name = booking.participants[attendance.person_id]
                problems.append(
                    f"{name} ha già un incontro {slot.text()}: {_what(other)} dalle {other.start_time:%H:%M} "
                    f"alle {other.end_time:%H:%M}."
                )
    return sorted(problems)


def _hours_problems(booking: Booking, slots: Sequence[Slot]) -> list[str]:
    asked = sum(slot.minutes for slot in slots)
    asking = "la serie ne chiede" if len(slots) > 1 else "l'incontro ne chiede"
    problems: list[str] = []
    label = SupervisionTypeChoices(booking.kind).label
    line = ContractLine.objects.filter(contract=booking.contract, kind=booking.kind).first()
    if line is None:
        problems.append(f"Il contratto «{booking.contract}» non prevede ore di tipo {label}.")
    else:
        booked = booked_minutes(
            Session.objects.filter(contract=booking.contract, kind=booking.kind), exclude=booking.replacing
        )
        left = int(line.hours * 60) - booked
        if asked > left:
            problems.append(
                f"Il contratto ha ancora {duration_text(max(left, 0))} di tipo {label} (acquistate "
                f"{duration_text(int(line.hours * 60))}, già prenotate {duration_text(booked)}): "
                f"{asking} {duration_text(asked)}."
            )
    if booking.kind == SupervisionTypeChoices.A2:
        left_in_pool = a2_pool_minutes_left(booking.group_id, exclude=booking.replacing)
        if asked > left_in_pool:
            problems.append(
                f"Il monte ore A2 del gruppo ha ancora {duration_text(max(left_in_pool, 0))}: "
                f"{asking} {duration_text(asked)}."
            )
    return problems


def _what(session: Session) -> str:
    if session.kind == SupervisionTypeChoices.A2:
        return "supervisione individuale"
    return f"{session.get_kind_display()}, {session.group.name}"


def _period_text(start: datetime.date | None, end: datetime.date | None) -> str:
    if start and end:
        return f"dal {start:%d/%m/%Y} al {end:%d/%m/%Y}"
    if start:
        return f"dal {start:%d/%m/%Y}"
    if end:
        return f"fino al {end:%d/%m/%Y}"
    return "senza date"


def _dates_text(dates: Sequence[datetime.date]) -> str:
    texts = [f"{day:%d/%m/%Y}" for day in sorted(dates)]
    if len(texts) == 1:
        return f"Il {texts[0]} è"
    shown = texts if len(texts) <= 6 else [*texts[:5], f"altre {len(texts) - 5} date"]
    return "Le date " + ", ".join(shown[:-1]) + " e " + shown[-1] + " sono"

"""Booking sessions (one, or a series), moving and cancelling them, after the checks of ``sessions.booking``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from supervisione.audit.actions import save_audited
from supervisione.census.models import Person
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.planning.models import PlanGroup, PlanMember
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.sessions import checkin, hours_summary
from supervisione.sessions.actions.base import SessionError, locked_at, recorded_user
from supervisione.sessions.booking import Booking, HolidayChoice, Outcome, Slot, check_booking
from supervisione.sessions.models import Attendance, Modality, Series, Session, SessionStatus
from supervisione.sessions.recurrence import Frequency, Recurrence, expand
from supervisione.supervisors.models import Supervisor

if TYPE_CHECKING:
    from supervisione.accounts.models import User


@dataclass(frozen=True)
class Participant:
    person_id: int
    ambito_id: int
    name: str


def participants_for(group: PlanGroup, kind: str, supervisee: Person | None) -> list[Participant]:
    """Who is expected: the group's members, or for A2 the one supervisee (a member of the A1 group)."""
    members = PlanMember.objects.filter(group=group).select_related("person")
    if kind == SupervisionTypeChoices.A2:
        members = members.filter(person=supervisee)
    return [Participant(m.person_id, m.ambito_id, str(m.person)) for m in members]


def _tenant_of(group: PlanGroup, participants: Sequence[Participant]) -> tuple[int | None, int | None]:
    plan = group.plan
    if plan.ambito_id is not None:
        return None, plan.ambito_id
    ambiti = {participant.ambito_id for participant in participants}
    return plan.partnership_id, ambiti.pop() if len(ambiti) == 1 else None


@dataclass(frozen=True)
class Where:
    modality: str
    place: str = ""
    link: str = ""


def book_sessions(
    *,
    group: PlanGroup,
    kind: str,
    supervisee: Person | None,
    supervisor: Supervisor,
    contract: Contract,
    funding: ContractFunding,
    first: Slot,
    where: Where,
    recurrence: Recurrence | None = None,
    holidays: HolidayChoice = HolidayChoice.ASK,
    by: User,
    dates: Sequence[datetime.date] | None = None,
) -> list[Session]:
    """Book one session, or a series from ``first`` (its dates from ``recurrence``, or given as ``dates``)."""
    participants = participants_for(group, kind, supervisee)
    if kind == SupervisionTypeChoices.A2 and not participants:
        raise SessionError("La persona scelta non fa parte del gruppo A1 dal cui monte ore si attinge.")
    if dates is None:
        dates = expand(first.date, recurrence) if recurrence is not None else [first.date]
    slots = [Slot(day, first.start, first.end) for day in dates]
    with transaction.atomic():
        # One booking at a time per supervisor: two simultaneous bookings cannot both pass the checks.
        Supervisor.objects.select_for_update().filter(pk=supervisor.pk).first()
        outcome = check_booking(
            Booking(
                kind=kind,
                group_id=group.pk,
                supervisor=supervisor,
                contract=contract,
                funding=funding,
                participants={p.person_id: p.name for p in participants},
                slots=slots,
                holidays=holidays,
                ambiti={p.person_id: p.ambito_id for p in participants},
            )
        )
        if not outcome.ok:
            raise SessionError(*outcome.problems)
        series = None
        if recurrence is not None and len(outcome.slots) > 1:
            series = _new_series(recurrence, first.date, by=by)
        partnership_id, ambito_id = _tenant_of(group, participants)
        sessions: list[Session] = []
        for slot in outcome.slots:
            session = Session(
                kind=kind,
                group=group,
                partnership_id=partnership_id,
                ambito_id=ambito_id,
                supervisee=supervisee if kind == SupervisionTypeChoices.A2 else None,
                series=series,
                date=slot.date,
                start_time=slot.start,
                end_time=slot.end,
                modality=where.modality,
                place=where.place if where.modality != Modality.REMOTE else "",
                link=where.link if where.modality != Modality.IN_PERSON else "",
                supervisor=supervisor,
                contract=contract,
                funding=funding,
                on_holiday=slot.date in outcome.holidays,
                checkin_code=checkin.new_code(),
                created_by=recorded_user(by),
            )
            message = f"Prenotato ({series})" if series else "Prenotato"
            save_audited(session, by=by, message=message, code="sessions.session.booked")
            sessions.append(session)
        Attendance.objects.bulk_create(
            Attendance(session=session, person_id=p.person_id, ambito_id=p.ambito_id)
            for session in sessions
            for p in participants
        )
        hours_summary.refresh_sessions(*sessions)
    return sessions


def _new_series(recurrence: Recurrence, first_date: datetime.date, *, by: User) -> Series:
    """The series that sessions booked together belong to, with the rule that gave their dates."""
    return Series.objects.create(
        frequency=Frequency(recurrence.frequency).value,
        interval=recurrence.interval,
        first_date=first_date,
        until=recurrence.until,
        count=recurrence.count,
        description=recurrence.describe(first_date),
        created_by=recorded_user(by),
    )


def check_reschedule(session: Session, slot: Slot, holidays: HolidayChoice) -> Outcome:
    attendances = list(session.attendances.select_related("person"))
    return check_booking(
        Booking(
            kind=session.kind,
            group_id=session.group_id,
            supervisor=session.supervisor,
            contract=session.contract,
            funding=session.funding,
            participants={a.person_id: str(a.person) for a in attendances},
            slots=[slot],
            holidays=holidays,
            replacing=session,
            ambiti={a.person_id: a.ambito_id for a in attendances},
        )
    )


def reschedule_session(
    session: Session,
    *,
    slot: Slot,
    where: Where,
    reason: str,
    version: int,
    by: User,
    holidays: HolidayChoice = HolidayChoice.ASK,
) -> Session:
    if not reason.strip():
        raise SessionError("Indica il motivo dello spostamento.")
    with transaction.atomic():
        current = locked_at(session, version)
        if current.is_cancelled or current.is_confirmed:
            raise SessionError("Un incontro annullato o con il registro confermato non si sposta.")
        Supervisor.objects.select_for_update().filter(pk=current.supervisor_id).first()
        outcome = check_reschedule(current, slot, holidays)
        if not outcome.ok:
            raise SessionError(*outcome.problems)
        before = hours_summary.key_of(current)
        current.date, current.start_time, current.end_time = slot.date, slot.start, slot.end
        current.modality = where.modality
        current.place = where.place if where.modality != Modality.REMOTE else ""
        current.link = where.link if where.modality != Modality.IN_PERSON else ""
        current.on_holiday = slot.date in outcome.holidays
        current.sequence += 1
        current.version += 1
        save_audited(current, by=by, message=f"Spostato: {reason.strip()}", code="sessions.session.rescheduled")
        hours_summary.refresh_sessions(current, before=[before])
    return current


def cancel_session(session: Session, *, reason: str, version: int, by: User) -> Session:
    if not reason.strip():
        raise SessionError("Indica il motivo dell'annullamento.")
    with transaction.atomic():
        current = locked_at(session, version)
        if current.is_cancelled:
            raise SessionError("L'incontro è già annullato.")
        if current.is_confirmed:
            raise SessionError("L'incontro si è svolto e il registro è confermato: non si può annullare.")
        current.status = SessionStatus.CANCELLED
        current.cancel_reason = reason.strip()[:300]
        current.sequence += 1
        current.version += 1
        save_audited(current, by=by, message=f"Annullato: {current.cancel_reason}", code="sessions.session.cancelled")
        hours_summary.refresh_sessions(current)
    return current

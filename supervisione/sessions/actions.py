"""Writes to sessions and registers, and the moves of unused A2 hours (which need the hours delivered), each in
one transaction with its audit entry.

Every change of an existing session or register states the ``version`` it was based on (the form it came
from): a change based on an older version is refused with ``StaleVersionError`` instead of overwriting what
someone else saved in between (optimistic locking).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from supervisione.audit.actions import record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.census.models import Person
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.minimums import RedistributionError, check_redistribution
from supervisione.lib import clock
from supervisione.lib.uploads import CheckedUpload
from supervisione.planning.models import A2Transfer, GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.queries import a2_hours_moved
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.sessions import checkin
from supervisione.sessions.booking import Booking, HolidayChoice, Outcome, Slot, check_booking
from supervisione.sessions.fingerprint import sha256_hex, sha256_of_stream
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    FeedToken,
    Modality,
    RegisterDocument,
    RegisterStatus,
    Series,
    Session,
    SessionStatus,
    SessionTopic,
    SignedScan,
    SupervisorNote,
    TopicCategory,
)
from supervisione.sessions.notes_crypto import encrypt_note
from supervisione.sessions.recurrence import Frequency, Recurrence
from supervisione.sessions.usage import a2_hours_used
from supervisione.supervisors.models import Supervisor


class SessionError(Exception):
    """A write refused with a message for the user (Italian); nothing was changed."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class StaleVersionError(SessionError):
    def __init__(self) -> None:
        super().__init__(
            "Nel frattempo qualcun altro ha modificato questo incontro: le tue modifiche non sono state salvate. "
            "Ricarica la pagina per vedere la versione aggiornata e ripeti la modifica."
        )


def _tenant(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _locked(session: Session, version: int) -> Session:
    """The session re-read under a row lock, if nobody changed it since ``version``."""
    current = Session.objects.select_for_update().get(pk=session.pk)
    if current.version != version:
        raise StaleVersionError
    return current


def _bump(session: Session, *fields: str) -> None:
    session.version += 1
    session.save(update_fields=[*fields, "version", "updated_at"])


# --- Booking -----------------------------------------------------------------------------------------------


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
    by: Any,
    dates: Sequence[datetime.date] | None = None,
) -> list[Session]:
    """Book one session, or a series from ``first`` (its dates from ``recurrence``, or given as ``dates``)."""
    participants = participants_for(group, kind, supervisee)
    if kind == SupervisionTypeChoices.A2 and not participants:
        raise SessionError("La persona scelta non fa parte del gruppo A1 dal cui monte ore si attinge.")
    if dates is None:
        from supervisione.sessions.recurrence import expand  # noqa: PLC0415  (keeps the import list short)

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
                created_by=_tenant(by),
            )
            message = f"Prenotato ({series})" if series else "Prenotato"
            save_audited(session, by=by, message=message, code="sessions.session.booked")
            sessions.append(session)
        Attendance.objects.bulk_create(
            Attendance(session=session, person_id=p.person_id, ambito_id=p.ambito_id)
            for session in sessions
            for p in participants
        )
    return sessions


def _new_series(recurrence: Recurrence, first_date: datetime.date, *, by: Any) -> Series:
    """The series that sessions booked together belong to, with the rule that gave their dates."""
    return Series.objects.create(
        frequency=Frequency(recurrence.frequency).value,
        interval=recurrence.interval,
        first_date=first_date,
        until=recurrence.until,
        count=recurrence.count,
        description=recurrence.describe(first_date),
        created_by=_tenant(by),
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
    by: Any,
    holidays: HolidayChoice = HolidayChoice.ASK,
) -> Session:
    if not reason.strip():
        raise SessionError("Indica il motivo dello spostamento.")
    with transaction.atomic():
        current = _locked(session, version)
        if current.is_cancelled or current.is_confirmed:
            raise SessionError("Un incontro annullato o con il registro confermato non si sposta.")
        Supervisor.objects.select_for_update().filter(pk=current.supervisor_id).first()
        outcome = check_reschedule(current, slot, holidays)
        if not outcome.ok:
            raise SessionError(*outcome.problems)
        current.date, current.start_time, current.end_time = slot.date, slot.start, slot.end
        current.modality = where.modality
        current.place = where.place if where.modality != Modality.REMOTE else ""
        current.link = where.link if where.modality != Modality.IN_PERSON else ""
        current.on_holiday = slot.date in outcome.holidays
        current.sequence += 1
        current.version += 1
        save_audited(current, by=by, message=f"Spostato: {reason.strip()}", code="sessions.session.rescheduled")
    return current


def cancel_session(session: Session, *, reason: str, version: int, by: Any) -> Session:
    if not reason.strip():
        raise SessionError("Indica il motivo dell'annullamento.")
    with transaction.atomic():
        current = _locked(session, version)
        if current.is_cancelled:
            raise SessionError("L'incontro è già annullato.")
        if current.is_confirmed:
            raise SessionError("L'incontro si è svolto e il registro è confermato: non si può annullare.")
        current.status = SessionStatus.CANCELLED
        current.cancel_reason = reason.strip()[:300]
        current.sequence += 1
        current.version += 1
        save_audited(current, by=by, message=f"Annullato: {current.cancel_reason}", code="sessions.session.cancelled")
    return current


# --- Register ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    status: str
    minutes: int = 0


def _minutes_for(mark: Mark, session: Session) -> int:
    if mark.status == AttendanceStatus.PRESENT:
        return session.minutes
    if mark.status == AttendanceStatus.PARTIAL:
        return mark.minutes
    return 0


def save_register(session: Session, marks: dict[int, Mark], *, version: int, by: Any, reason: str = "") -> list[str]:
    """Record attendance (attendance id -> mark). Returns the names whose attendance changed.

    Before confirmation the supervisor saves as often as needed; after it, a change needs a reason, is
    audited and issues a new version of the final register (the previous one is superseded).
    """
    reason = reason.strip()
    with transaction.atomic():
        current = _locked(session, version)
        if current.is_cancelled:
            raise SessionError("L'incontro è annullato: non ha un registro.")
        if current.is_confirmed and not reason:
            raise SessionError("Il registro è già confermato: indica il motivo della modifica.")
        problems: list[str] = []
        attendances = {a.pk: a for a in current.attendances.select_related("person")}
        changes: dict[str, dict[str, str]] = {}
        changed: list[Attendance] = []
        for pk, mark in marks.items():
            attendance = attendances.get(pk)
            if attendance is None:
                continue
            if mark.status == AttendanceStatus.PARTIAL and not 0 < mark.minutes < current.minutes:
                problems.append(
                    f"{attendance.person}: per una presenza parziale indica i minuti, da 1 a {current.minutes - 1}."
                )
                continue
            minutes = _minutes_for(mark, current)
            if (attendance.status, attendance.minutes) == (mark.status, minutes):
                continue
            old = _mark_text(attendance.status, attendance.minutes)
            attendance.status, attendance.minutes = mark.status, minutes
            changes[f"attendance_{attendance.person_id}"] = {
                "label": f"presenza di {attendance.person}",
                "old": old,
                "new": _mark_text(attendance.status, attendance.minutes),
            }
            changed.append(attendance)
        if problems:
            raise SessionError(*problems)
        if not changed:
            return []
        Attendance.objects.bulk_update(changed, ["status", "minutes"])
        _bump(current)
        message = f"Registro modificato dopo la conferma: {reason}" if current.is_confirmed else "Registro presenze"
        code = "sessions.register.corrected" if current.is_confirmed else "sessions.register.updated"
        record(current, by=by, action=AuditAction.UPDATE, changes=changes, message=message, code=code)
        if current.is_confirmed:
            issue_register_document(current, by=by, reason=reason)
        session.version = current.version
    return [str(a.person) for a in changed]


def _mark_text(status: str, minutes: int) -> str:
    label = str(AttendanceStatus(status).label)
    return f"{label} ({minutes} min)" if status == AttendanceStatus.PARTIAL else label


def confirm_register(session: Session, *, version: int, by: Any, now: datetime.datetime | None = None) -> Session:
    """Lock the register: from now on its hours count as delivered, and the final register is issued."""
    now = now or clock.now()
    with transaction.atomic():
        current = _locked(session, version)
        if current.is_cancelled:
            raise SessionError("L'incontro è annullato: non ha un registro da confermare.")
        if current.is_confirmed:
            raise SessionError("Il registro è già confermato.")
        if now < current.starts_at:
            raise SessionError(
                f"L'incontro inizia il {current.date:%d/%m/%Y} alle {current.start_time:%H:%M}: il registro si "
                "conferma dopo."
            )
        missing = [str(a.person) for a in current.attendances.select_related("person") if a.status == "unrecorded"]
        if missing:
            raise SessionError(f"Registra prima la presenza di: {', '.join(missing)}.")
        current.register_status = RegisterStatus.CONFIRMED
        current.register_confirmed_at = now
        current.register_confirmed_by = _tenant(by)
        _bump(current, "register_status", "register_confirmed_at", "register_confirmed_by")
        record(
            current,
            by=by,
            action=AuditAction.ACTION,
            message="Registro presenze confermato",
            code="sessions.register.confirmed",
        )
        issue_register_document(current, by=by)
        session.version = current.version
    return current


def check_in(person: Person, typed_code: str, *, now: datetime.datetime | None = None) -> Attendance:
    """The supervisee's own check-in with the code shown by the supervisor, while the session is on."""
    now = now or clock.now()
    local = timezone.localtime(now)
    candidates = (
        Attendance.objects.filter(
            person=person,
            session__status=SessionStatus.SCHEDULED,
            session__register_status=RegisterStatus.OPEN,
            session__date=local.date(),
        )
        .select_related("session")
        .order_by("session__start_time")
    )
    matching = [a for a in candidates if checkin.codes_match(a.session.checkin_code, typed_code)]
    if not matching:
        raise SessionError("Il codice non corrisponde a nessun tuo incontro di oggi: controlla e riprova.")
    attendance = matching[0]
    session = attendance.session
    if not checkin.is_open(session.starts_at, session.ends_at, now):
        opens, closes = checkin.window(session.starts_at, session.ends_at)
        if now > closes:
            raise SessionError(
                f"Il codice è scaduto alla fine dell'incontro (ore {closes:%H:%M}): chiedi al supervisore di "
                "registrare la tua presenza."
            )
        raise SessionError(f"La registrazione apre alle {timezone.localtime(opens):%H:%M}, poco prima dell'inizio.")
    with transaction.atomic():
        # The session first, as save_register locks it: the same order on both paths cannot deadlock.
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.is_cancelled or current.is_confirmed:
            # Confirmed or cancelled since the code was matched: the register is closed to check-ins.
            raise SessionError(
                "Il registro di questo incontro è chiuso: chiedi al supervisore di registrare la tua presenza."
            )
        locked = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if locked.checked_in_at is not None:
            return locked
        locked.checked_in_at = now
        fields = ["checked_in_at"]
        if locked.status == AttendanceStatus.UNRECORDED:
            locked.status, locked.minutes = AttendanceStatus.PRESENT, session.minutes
            fields += ["status", "minutes"]
        locked.save(update_fields=fields)
        # A check-in is a change of the register: a register page opened before it is now outdated, and its
        # save is refused rather than overwriting the presence with the mark the page showed.
        _bump(current)
        record(
            session,
            by=person.user,
            action=AuditAction.ACTION,
            message=f"Presenza registrata da {person}",
            code="sessions.register.checked_in",
        )
    return locked


def new_checkin_code(session: Session, *, by: Any) -> Session:
    session.checkin_code = checkin.new_code()
    session.save(update_fields=["checkin_code", "updated_at"])
    return session


# --- Topics, notes, documents ------------------------------------------------------------------------------


def set_topics(session: Session, categories: Sequence[str], *, by: Any) -> None:
    wanted = {TopicCategory(category).value for category in categories}
    with transaction.atomic():
        existing = set(session.topics.values_list("category", flat=True))
        if existing == wanted:
            return
        session.topics.exclude(category__in=wanted).delete()
        SessionTopic.objects.bulk_create(SessionTopic(session=session, category=c) for c in sorted(wanted - existing))
        labels = ", ".join(str(TopicCategory(c).label) for c in sorted(wanted)) or "nessuna"
        record(
            session,
            by=by,
            action=AuditAction.UPDATE,
            message=f"Aree tematiche: {labels}"[:250],
            code="sessions.session.topics_set",
        )


def save_note(session: Session, text: str, *, by: Any) -> None:
    """The supervisor's private note, stored encrypted. The audit log records that it changed, never the text."""
    text = text.strip()
    with transaction.atomic():
        note = SupervisorNote.objects.filter(session=session).first()
        if not text:
            if note is not None:
                note.delete()
                record(
                    session,
                    by=by,
                    action=AuditAction.UPDATE,
                    message="Nota riservata eliminata",
                    code="sessions.note.deleted",
                )
            return
        if note is None:
            note = SupervisorNote(session=session, author=by)
        note.token = encrypt_note(text)
        note.save()
        record(
            session,
            by=by,
            action=AuditAction.UPDATE,
            message="Nota riservata aggiornata",
            code="sessions.note.saved",
        )


def issue_register_document(session: Session, *, by: Any, reason: str = "") -> RegisterDocument:
    """Render the final register, store it as generated, and supersede the previous version."""
    from supervisione.sessions.documents import register_pdf  # noqa: PLC0415  (WeasyPrint only when needed)

    now = clock.now()
    previous = RegisterDocument.objects.filter(session=session, superseded_at__isnull=True).first()
    version = (previous.version + 1) if previous else 1
    content = register_pdf(session, version=version, issued_at=now)
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
    name = default_storage.save(
        f"registri/{session.pk}/registro-v{version}-{secrets.token_hex(4)}.pdf", ContentFile(content)
    )
    return RegisterDocument.objects.create(
        session=session,
        version=version,
        file=name,
        size=len(content),
        sha256=sha256_hex(content),
        issued_at=now,
        issued_by=_tenant(by),
        reason=reason[:300],
    )


def store_scan(session: Session, file: IO[bytes], checked: CheckedUpload, *, by: Any) -> SignedScan:
    position = file.tell()
    digest = sha256_of_stream(file)
    file.seek(position)
    name = default_storage.save(checked.storage_name(f"fogli-firme/{session.pk}"), file)
    try:
        with transaction.atomic():
            scan = SignedScan.objects.create(
                session=session,
                file=name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=digest,
                uploaded_by=_tenant(by),
            )
            record(
                session,
                by=by,
                action=AuditAction.ACTION,
                message=f"Caricato il foglio firme «{checked.original_name}»",
                code="sessions.register.scan_uploaded",
            )
    except Exception:
        default_storage.delete(name)
        raise
    return scan


# --- Moving unused A2 hours -------------------------------------------------------------------------------


def move_a2_hours(source: PlanGroup, target: PlanGroup, hours: Decimal, *, reason: str, by: Any) -> A2Transfer:
    """Move unused hours of an A1 group's A2 pool to an A1 group or A3 équipe of the same approved plan.

    A write to the plan, made here because it needs the hours delivered (registers confirmed). Only unused hours
    move: the pool minus the hours used (``usage.a2_hours_used``, from confirmed sessions) minus the hours
    already moved. ``leps.minimums.RedistributionError`` (Italian) when the Scheda does not allow it.
    """
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=source.plan_id)
        if plan.status != PlanStatus.APPROVED:
            raise RedistributionError("Le ore A2 si spostano solo nel piano approvato, durante l'anno.")
        if target.plan_id != source.plan_id:
            raise RedistributionError("Le ore A2 si spostano solo tra gruppi dello stesso piano.")
        if source.kind != GroupKind.A1:
            raise RedistributionError("Il monte ore A2 è dei gruppi A1.")
        if not reason.strip():
            raise RedistributionError("Indica il motivo dello spostamento.")
        check_redistribution(
            source.a2_pool_hours, a2_hours_used(source), a2_hours_moved(source), hours, target.supervision_type
        )
        transfer = A2Transfer.objects.create(
            source=source, target=target, hours=hours, reason=reason.strip(), created_by=_tenant(by)
        )
        record(
            plan,
            by=by,
            action=AuditAction.ACTION,
            message=f"Spostate {hours} ore A2 da {source.name} a {target.name}: {reason.strip()}"[:250],
            code="planning.plan.a2_hours_moved",
        )
    return transfer


# --- Calendar feeds ----------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed_token(user: Any) -> str:
    """A new private address for the user's feeds; the previous one stops working. Returns the token."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        FeedToken.objects.filter(user=user).delete()
        feed = FeedToken.objects.create(user=user, token_hash=token_hash(token))
        record(feed, by=user, action=AuditAction.CREATE, message="Nuovo indirizzo privato del calendario")
    return token


def revoke_feed_token(user: Any) -> bool:
    with transaction.atomic():
        feed = FeedToken.objects.filter(user=user).first()
        if feed is None:
            return False
        record(
            feed,
            by=user,
            action=AuditAction.DELETE,
            message="Indirizzo privato del calendario revocato",
            code="sessions.feedtoken.revoked",
        )
        feed.delete()
    return True

"""The attendance register: marks saved by the supervisor, its confirmation (the hours then count as
delivered), the supervisees' check-in with the session's code, the final register (a stored PDF, a new
version after each correction) and the scan of the signed sheet.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.census.models import Person
from supervisione.lib import clock
from supervisione.lib.uploads import CheckedUpload
from supervisione.sessions import checkin, hours_summary
from supervisione.sessions.actions.base import (
    SessionError,
    locked_at,
    recorded_user,
    refuse_if_closed,
    save_next_version,
)
from supervisione.sessions.fingerprint import sha256_hex, sha256_of_stream
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    RegisterDocument,
    RegisterStatus,
    Session,
    SessionStatus,
    SignedScan,
)

if TYPE_CHECKING:
    from supervisione.accounts.models import User


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


def save_register(session: Session, marks: dict[int, Mark], *, version: int, by: User, reason: str = "") -> list[str]:
    """Record attendance (attendance id -> mark). Returns the names whose attendance changed.

    Before confirmation the supervisor saves as often as needed; after it, a change needs a reason, is
    audited and issues a new version of the final register (the previous one is superseded).
    """
    reason = reason.strip()
    with transaction.atomic():
        current = locked_at(session, version)
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
        save_next_version(current)
        if current.is_confirmed:  # only confirmed registers count in the summary
            hours_summary.refresh_sessions(current)
        message = f"Registro modificato dopo la conferma: {reason}" if current.is_confirmed else "Registro presenze"
        code = "sessions.register.corrected" if current.is_confirmed else "sessions.register.updated"
        record(current, by=by, action=AuditAction.UPDATE, changes=changes, message=message, code=code)
        if current.is_confirmed:
            issue_after_commit(current, by=by, reason=reason)
        session.version = current.version
    return [str(a.person) for a in changed]


def _mark_text(status: str, minutes: int) -> str:
    label = str(AttendanceStatus(status).label)
    return f"{label} ({minutes} min)" if status == AttendanceStatus.PARTIAL else label


def confirm_register(session: Session, *, version: int, by: User, now: datetime.datetime | None = None) -> Session:
    """Lock the register: from now on its hours count as delivered, and the final register is issued."""
    now = now or clock.now()
    with transaction.atomic():
        current = locked_at(session, version)
        if current.is_cancelled:
            raise SessionError("L'incontro è annullato: non ha un registro da confermare.")
        if current.is_confirmed:
            raise SessionError("Il registro è già confermato.")
        if now < current.starts_at:
            raise SessionError(
                f"L'incontro inizia il {current.date:%d/%m/%Y} alle {current.start_time:%H:%M}: il registro si "
                "conferma dopo."
            )
        if problem := current.funding.refusal_after_end("l'incontro", [current.date]):
            raise SessionError(
                problem, "Il coordinatore del partenariato lo imputa a un'altra fonte dalla pagina «Progetti PNRR»."
            )
        missing = [str(a.person) for a in current.attendances.select_related("person") if a.status == "unrecorded"]
        if missing:
            raise SessionError(f"Registra prima la presenza di: {', '.join(missing)}.")
        current.register_status = RegisterStatus.CONFIRMED
        current.register_confirmed_at = now
        current.register_confirmed_by = recorded_user(by)
        save_next_version(current, "register_status", "register_confirmed_at", "register_confirmed_by")
        hours_summary.refresh_sessions(current)
        record(
            current,
            by=by,
            action=AuditAction.ACTION,
            message="Registro presenze confermato",
            code="sessions.register.confirmed",
        )
        issue_after_commit(current, by=by)
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
        refuse_if_closed(current)
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
        save_next_version(current)
        record(
            session,
            by=person.user,
            action=AuditAction.ACTION,
            message=f"Presenza registrata da {person}",
            code="sessions.register.checked_in",
        )
    return locked


def new_checkin_code(session: Session, *, by: User) -> Session:
    refuse_if_closed(session)
    session.checkin_code = checkin.new_code()
    session.save(update_fields=["checkin_code", "updated_at"])
    return session


class RegisterChangedError(Exception):
    """The register changed, or another version was issued, while this one was being rendered."""


def issue_after_commit(session: Session, *, by: User | None, reason: str = "") -> None:
    """Have a worker issue the final register of ``session`` as it is now, once the change is committed.

    Rendering takes a second or more: not inside the request, and never while the session's row is locked; and
    a change rolled back issues nothing (the task is queued only at the commit)."""
    from supervisione.sessions.tasks import issue_final_register  # noqa: PLC0415  (tasks import this module)

    session_id, version, by_id = session.pk, session.version, getattr(recorded_user(by), "pk", None)
    transaction.on_commit(lambda: issue_final_register.enqueue(session_id, version, by_id, reason[:300]))


def issue_for_version(session_id: int, version: int, by_id: int | None, reason: str = "") -> RegisterDocument | None:
    """The task's work: the final register of the session at ``version``, unless the session changed since (the
    later change queued its own) or this version was already issued (the task ran twice)."""
    from supervisione.accounts.models import User  # noqa: PLC0415  (accounts' models only where a task runs)

    session = Session.objects.filter(
        pk=session_id, version=version, register_status=RegisterStatus.CONFIRMED, status=SessionStatus.SCHEDULED
    ).first()
    if session is None or RegisterDocument.objects.filter(session=session, session_version=version).exists():
        return None
    by = User.objects.filter(pk=by_id).first() if by_id else None
    try:
        return issue_register_document(session, by=by, reason=reason)
    except RegisterChangedError:
        return None


def issue_register_document(session: Session, *, by: User | None, reason: str = "") -> RegisterDocument:
    """Render the final register of ``session`` as it is, store it, and supersede the previous version.

    The PDF is rendered with no transaction open and no row locked; the row is then created in a short
    transaction, under the session's row lock, only if neither the session nor its registers changed meanwhile
    (``RegisterChangedError`` otherwise). The file is stored before the row: if the row is not created, the file
    is deleted, so that no document is left without its row."""
    from supervisione.sessions.documents import register_pdf  # noqa: PLC0415  (WeasyPrint only when needed)

    now = clock.now()
    previous = RegisterDocument.objects.filter(session=session, superseded_at__isnull=True).first()
    version = (previous.version + 1) if previous else 1
    content = register_pdf(session, version=version, issued_at=now)
    name = default_storage.save(
        f"registri/{session.pk}/registro-v{version}-{secrets.token_hex(4)}.pdf", ContentFile(content)
    )
    try:
        with transaction.atomic():
            _supersede_unless_changed(session, previous, now)
            return RegisterDocument.objects.create(
                session=session,
                version=version,
                session_version=session.version,
                file=name,
                size=len(content),
                sha256=sha256_hex(content),
                issued_at=now,
                issued_by=recorded_user(by),
                reason=reason[:300],
            )
    except BaseException:
        default_storage.delete(name)
        raise


def _supersede_unless_changed(session: Session, previous: RegisterDocument | None, now: datetime.datetime) -> None:
    """Under the session's row lock: refuse if the session or its current register changed since rendering,
    else mark the previous version superseded."""
    current = Session.objects.select_for_update().get(pk=session.pk)
    latest = RegisterDocument.objects.filter(session=session, superseded_at__isnull=True).first()
    if current.version != session.version or (latest.pk if latest else None) != (previous.pk if previous else None):
        raise RegisterChangedError(f"Il registro dell'incontro {session.pk} è cambiato durante l'emissione.")
    if latest is not None:
        latest.superseded_at = now
        latest.save(update_fields=["superseded_at"])


def store_scan(session: Session, file: IO[bytes], checked: CheckedUpload, *, by: User) -> SignedScan:
    refuse_if_closed(session)
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
                uploaded_by=recorded_user(by),
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

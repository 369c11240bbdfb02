"""Every write of the meetings app, each in one transaction with its audit entry.

Convocations: ``send_convocation`` e-mails every invitee the letter (PDF) and an iCalendar ``REQUEST`` with a
personal link to answer; sent again after a change it is an update (the same UID, a higher SEQUENCE);
``cancel_meeting`` sends a ``CANCEL``. Each e-mail is recorded (``Dispatch``). Minutes, once approved, are
locked: every further change is refused (``MinutesLockedError``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from supervisione.audit.actions import claim_version, delete_audited, record, save_audited
from supervisione.audit.models import AuditAction, TenantKeys
from supervisione.lib import clock, mail
from supervisione.meetings import ical
from supervisione.meetings.decision_hooks import DecisionRefusedError, apply_decision
from supervisione.meetings.documents import letter_pdf, modality_text
from supervisione.meetings.models import (
    AgendaItem,
    AmbitoDecision,
    Decision,
    Dispatch,
    DispatchKind,
    Invitee,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Response,
    Signatory,
)

if TYPE_CHECKING:
    from supervisione.accounts.models import User

Absolute = Callable[[str], str]

# The fields whose change makes the invitations sent outdated (a new SEQUENCE, an update to send).
SCHEDULE_FIELDS = ("title", "date", "start_time", "end_time", "modality", "place", "link")
LETTER = "convocazione.pdf"
INVITATION = "invito.ics"


NOT_CONVENED = "La seduta si è già tenuta ed è registrata a posteriori: non ha una convocazione da inviare."


class MeetingError(Exception):
    """A write refused, with the Italian sentence that says why; nothing was written."""


class MinutesLockedError(MeetingError):
    def __init__(self) -> None:
        super().__init__("Il verbale è approvato: non si può più modificare.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError("La riunione è annullata: non si può più modificare.")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.is_approved:
        raise MeetingError("Il verbale della riunione è approvato: la riunione non si può più modificare.")


@dataclass(frozen=True)
class SignatoryLine:
    role: str
    name: str


def save_meeting(meeting: Meeting, agenda: Sequence[str], signatories: Sequence[SignatoryLine], *, by: User) -> Meeting:
    """Create or change a meeting with its agenda and signatories. A change of date, time, place or link after
    the convocation was sent moves the calendar SEQUENCE on: the page then offers to send the update."""
    with transaction.atomic():
        creating = meeting.pk is None
        if not creating:
            stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
            _check_open(stored)
            if stored.sent_sequence is not None and any(
                getattr(stored, name) != getattr(meeting, name) for name in SCHEDULE_FIELDS
            ):
                meeting.sequence = stored.sequence + 1
        else:
            meeting.created_by = by
        save_audited(meeting, by=by)
        _save_agenda(meeting, agenda, by=by)
        meeting.signatories.all().delete()
        Signatory.objects.bulk_create(
            Signatory(meeting=meeting, position=index, role=line.role, name=line.name)
            for index, line in enumerate(signatories, start=1)
        )
    return meeting


def _save_agenda(meeting: Meeting, agenda: Sequence[str], *, by: User) -> None:
    """The items keep their rows (and the minutes' summaries) by position; items beyond the new list go."""
    existing = {item.position: item for item in meeting.agenda_items.all()}
    for position, title in enumerate(agenda, start=1):
        item = existing.pop(position, None)
        if item is None:
            AgendaItem.objects.create(meeting=meeting, position=position, title=title)
        elif item.title != title:
            item.title = title
            item.save(update_fields=["title"])
    if existing:
        AgendaItem.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
        record(meeting, by=by, action=AuditAction.UPDATE, message="Punti tolti dall'ordine del giorno")


def add_invitee(invitee: Invitee, *, by: User) -> Invitee:
    with transaction.atomic():
        _check_open(invitee.meeting)
        if Invitee.objects.filter(meeting=invitee.meeting, email__iexact=invitee.email).exists():
            raise MeetingError(f"{invitee.email} è già tra gli invitati.")
        save_audited(invitee, by=by, message=f"Invitato {invitee.name}", **_keys(invitee.meeting))
    return invitee


def remove_invitee(invitee: Invitee, *, by: User) -> None:
    with transaction.atomic():
        _check_open(invitee.meeting)
        record(
            invitee.meeting,
            by=by,
            action=AuditAction.UPDATE,
            message=f"Tolto dagli invitati: {invitee.name} ({invitee.email})",
            code="meetings.invitee.removed",
        )
        invitee.delete()


def _keys(meeting: Meeting) -> TenantKeys:
    return {"ambito_id": meeting.ambito_id, "partnership_id": meeting.partnership_id}


# --- Convocation -------------------------------------------------------------------------------------------


def _invitation(meeting: Meeting, invitees: Sequence[Invitee], method: str, stamp: datetime.datetime) -> bytes:
    zone = ical.ROME  # meetings are held at Italian local times
    if meeting.start_time is None or meeting.end_time is None:
        raise MeetingError(NOT_CONVENED)
    agenda = "\n".join(str(item) for item in meeting.agenda_items.all())
    return ical.build_invitation(
        ical.Invitation(
            method=method,
            uid=meeting.uid,
            sequence=meeting.sequence,
            start=datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone),
            end=datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone),
            summary=meeting.title,
            stamp=stamp,
            organizer=settings.DEFAULT_FROM_EMAIL,
            attendees=[(invitee.name, invitee.email) for invitee in invitees],
            location=meeting.place or meeting.link,
            description=f"Organo che convoca: {meeting.convened_by}.\n\nOrdine del giorno:\n{agenda}",
            url=meeting.link,
        )
    )


def _body(meeting: Meeting, invitee: Invitee, kind: DispatchKind, answer_url: str) -> str:
    when = f"il giorno {meeting.when_text.replace(', dalle', ' dalle')}"
    lines = [f"Gentile {invitee.name},", ""]
    if kind == DispatchKind.CANCELLATION:
        lines += [f"la riunione «{meeting.title}» prevista {when} è annullata.", ""]
        lines += ["L'invito allegato la toglie dal tuo calendario."]
    else:
        opening = "la convocazione è cambiata:" if kind == DispatchKind.UPDATE else "sei convocato/a alla riunione"
        lines += [f"{opening} «{meeting.title}», {when}, {modality_text(meeting)}."]
        if meeting.place:
            lines.append(f"Luogo: {meeting.place}")
        if meeting.link:
            lines.append(f"Link per partecipare: {meeting.link}")
        lines += ["", "Ordine del giorno:"]
        lines += [f"{item.position}. {item.title}" for item in meeting.agenda_items.all()]
        lines += [
            "",
            f"In allegato la lettera di convocazione ({LETTER}) e l'invito per il calendario ({INVITATION}).",
            "",
            "Per dire se parteciperai usa questo link personale (non serve accedere):",
            answer_url,
        ]
    lines += ["", f"Organo che convoca: {meeting.convened_by}."]
    return "\n".join(lines)


def send_convocation(meeting: Meeting, *, by: User, absolute: Absolute) -> list[Dispatch]:
    """E-mail every invitee the letter and the calendar invitation (an update if sent before), with a new
    personal link each. All sent and recorded, or nothing."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        if meeting.is_recorded:
            raise MeetingError(NOT_CONVENED)
        invitees = list(meeting.invitees.select_related("ambito"))
        problems = []
        if not invitees:
            problems.append("Aggiungi almeno un invitato.")
        if not meeting.agenda_items.exists():
            problems.append("Scrivi l'ordine del giorno.")
        if not meeting.signatories.exists():
            problems.append("Indica chi firma la convocazione.")
        if problems:
            raise MeetingError("La convocazione non è stata inviata: " + " ".join(problems))
        if meeting.sent_sequence is not None and not meeting.update_due:
            raise MeetingError(
                "La convocazione è già stata inviata e la riunione non è cambiata da allora: nulla da inviare."
            )
        kind = DispatchKind.CONVOCATION if meeting.sent_sequence is None else DispatchKind.UPDATE
        now = clock.now()
        letter = letter_pdf(meeting)
        invitation = _invitation(meeting, invitees, ical.REQUEST, now)
        subject = meeting.subject if kind == DispatchKind.CONVOCATION else f"Aggiornamento: {meeting.subject}"
        dispatches, messages = [], []
        for invitee in invitees:
            token = secrets.token_urlsafe(32)
            invitee.token_hash = token_hash(token)
            invitee.save(update_fields=["token_hash"])
            url = absolute(reverse("meetings:answer", args=[token]))
            dispatch = _dispatch(meeting, invitee, kind, subject, now, by, [LETTER, INVITATION])
            message = EmailMessage(
                subject=subject,
                body=_body(meeting, invitee, kind, url),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[invitee.email],
                headers={"Message-ID": dispatch.message_id},
            )
            message.attach(LETTER, letter, "application/pdf")
            message.attach(INVITATION, invitation.decode(), "text/calendar; method=REQUEST")
            messages.append(message)
            dispatches.append(dispatch)
        Dispatch.objects.bulk_create(dispatches)
        meeting.status = MeetingStatus.CONVENED
        meeting.sent_sequence = meeting.sequence
        meeting.save(update_fields=["status", "sent_sequence"])
        verb = "convened" if kind == DispatchKind.CONVOCATION else "update_sent"
        what = (
            "Convocazione inviata" if kind == DispatchKind.CONVOCATION else "Aggiornamento della convocazione inviato"
        )
        record(
            meeting,
            by=by,
            action=AuditAction.ACTION,
            message=f"{what} a {_count(len(invitees))} (revisione {meeting.sequence})",
            code=f"meetings.meeting.{verb}",
        )
        for message in messages:
            message.send()  # inside the transaction: a failed send records nothing as sent
    return dispatches


def _count(number: int) -> str:
    return "1 invitato" if number == 1 else f"{number} invitati"


def _dispatch(
    meeting: Meeting,
    invitee: Invitee,
    kind: DispatchKind,
    subject: str,
    now: datetime.datetime,
    by: User,
    attachments: list[str],
) -> Dispatch:
    return Dispatch(
        meeting=meeting,
        invitee=invitee,
        kind=kind,
        sequence=meeting.sequence,
        email=invitee.email,
        subject=subject[:400],
        attachments=", ".join(attachments),
        sent_at=now,
        sent_by=by,
        message_id=mail.new_message_id(),
        # Sent without a queue (EMAIL_QUEUED=0), the message is with the mail server once send() returns.
        delivered_at=now if mail.delivered_on_send() else None,
    )


def cancel_meeting(meeting: Meeting, *, by: User) -> list[Dispatch]:
    """Cancel the meeting; if it was convened, every invitee gets a ``CANCEL`` for their calendar."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _check_open(meeting)
        if meeting.is_recorded:
            raise MeetingError("La seduta si è già tenuta ed è registrata a posteriori: non si annulla.")
        was_sent = meeting.sent_sequence is not None
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence"])
        dispatches: list[Dispatch] = []
        messages = []
        if was_sent:
            now = clock.now()
            invitees = list(meeting.invitees.all())
            invitation = _invitation(meeting, invitees, ical.CANCEL, now)
            subject = f"Annullata: {meeting.subject}"
            for invitee in invitees:
                dispatch = _dispatch(meeting, invitee, DispatchKind.CANCELLATION, subject, now, by, [INVITATION])
                message = EmailMessage(
                    subject=subject,
                    body=_body(meeting, invitee, DispatchKind.CANCELLATION, ""),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[invitee.email],
                    headers={"Message-ID": dispatch.message_id},
                )
                message.attach(INVITATION, invitation.decode(), "text/calendar; method=CANCEL")
                messages.append(message)
                dispatches.append(dispatch)
            Dispatch.objects.bulk_create(dispatches)
            meeting.sent_sequence = meeting.sequence
            meeting.save(update_fields=["sent_sequence"])
        record(
            meeting,
            by=by,
            action=AuditAction.ACTION,
            message="Riunione annullata" + (f": annullamento inviato a {_count(len(dispatches))}" if was_sent else ""),
            code="meetings.meeting.cancelled",
        )
        for message in messages:
            message.send()
    return dispatches


def find_invitee(token: str) -> Invitee | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitee.objects.select_related("meeting", "meeting__partnership", "meeting__ambito", "ambito")
        .filter(token_hash=token_hash(token))
        .first()
    )


def answer(invitee: Invitee, response: Response, note: str = "") -> Invitee:
    """The invitee's answer from the personal link (no login): recorded, the last one counts."""
    with transaction.atomic():
        if invitee.meeting.is_cancelled:
            raise MeetingError("La riunione è annullata: non serve rispondere.")
        invitee.response = response
        invitee.response_note = note[:500]
        invitee.responded_at = clock.now()
        invitee.save(update_fields=["response", "response_note", "responded_at"])
        record(
            invitee,
            by=None,
            action=AuditAction.ACTION,
            message=f"{invitee.name}: {invitee.get_response_display()}",
            code="meetings.invitee.answered",
            **_keys(invitee.meeting),
        )
    return invitee


# --- Minutes -----------------------------------------------------------------------------------------------


def _check_draft(minutes: Minutes) -> None:
    if minutes._state.adding:
        return
    stored = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if stored.is_approved:
        raise MinutesLockedError


def save_minutes(minutes: Minutes, attended: set[int], summaries: dict[int, str], *, by: User) -> Minutes:
    """The minutes' texts, who was present (invitee ids) and the summary of each agenda item (by item id)."""
    with transaction.atomic():
        _check_draft(minutes)
        meeting = minutes.meeting
        if meeting.is_cancelled:
            raise MeetingError("La riunione è annullata: non ha un verbale.")
        save_audited(minutes, by=by, **_keys(meeting))
        changed = []
        for invitee in meeting.invitees.all():
            present = invitee.pk in attended
            if invitee.attended != present:
                invitee.attended = present
                invitee.save(update_fields=["attended"])
                changed.append(f"{invitee.name}: {'presente' if present else 'assente'}")
        for item in meeting.agenda_items.all():
            summary = summaries.get(item.pk, item.summary)
            if summary != item.summary:
                item.summary = summary
                item.save(update_fields=["summary"])
                changed.append(f"sintesi del punto {item.position}")
        if changed:
            record(
                minutes,
                by=by,
                action=AuditAction.UPDATE,
                message=("Verbale: " + "; ".join(changed))[:250],
                code="meetings.minutes.updated",
                **_keys(meeting),
            )
    return minutes


def save_decision(decision: Decision, *, by: User) -> Decision:
    with transaction.atomic():
        _check_draft(decision.minutes)
        save_audited(decision, by=by, **_keys(decision.minutes.meeting))
        if decision.per_ambito:
            _ensure_ambito_rows(decision)
    return decision


def _ensure_ambito_rows(decision: Decision) -> None:
    """One row per ATS of the meeting's tenant (pending until it decides)."""
    meeting = decision.minutes.meeting
    if meeting.partnership is not None:
        from supervisione.territory.models import PartnershipMember  # noqa: PLC0415  (territory is below)

        ambito_ids = set(
            PartnershipMember.objects.in_force()
            .filter(partnership=meeting.partnership)
            .values_list("ambito_id", flat=True)
        ) | {meeting.partnership.capofila_id}
    else:
        ambito_ids = {meeting.ambito_id} if meeting.ambito_id else set()
    existing = set(decision.ambito_decisions.values_list("ambito_id", flat=True))
    AmbitoDecision.objects.bulk_create(
        AmbitoDecision(decision=decision, ambito_id=pk) for pk in sorted(ambito_ids - existing)
    )


def delete_decision(decision: Decision, *, by: User) -> None:
    with transaction.atomic():
        _check_draft(decision.minutes)
        delete_audited(decision, by=by, **_keys(decision.minutes.meeting))


def save_ambito_decision(row: AmbitoDecision, *, by: User) -> list[str]:
    """Record what one ATS decided; the data the decision is about follows (``decision_hooks``) and the
    requests it answers are closed (``tasks.close_for_decision``). What else changed, in sentences."""
    from supervisione.meetings.requests import close_for_decision  # noqa: PLC0415  (requests imports this module)

    with transaction.atomic():
        _check_draft(row.decision.minutes)
        save_audited(
            row,
            by=by,
            message=f"{row.ambito.name}: {row.get_outcome_display()}",
            code="meetings.ambitodecision.recorded",
            partnership_id=row.decision.minutes.meeting.partnership_id,
        )
        try:
            changes = apply_decision(row, by=by)
        except DecisionRefusedError as error:
            raise MeetingError(str(error)) from error
        changes += close_for_decision(row, by=by)
    return changes


def approve_minutes(minutes: Minutes, *, by: User) -> Minutes:
    """Approve the minutes on the version the page showed; from then on they are locked."""
    with transaction.atomic():
        _check_draft(minutes)
        if not minutes.meeting.agenda_items.exists():
            raise MeetingError("Il verbale non ha punti all'ordine del giorno: non si può approvare.")
        claim_version(minutes)
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_at = clock.now()
        minutes.approved_by = by
        minutes.save(update_fields=["status", "approved_at", "approved_by"])
        record(
            minutes,
            by=by,
            action=AuditAction.ACTION,
            message="Verbale approvato: da ora non si può più modificare",
            code="meetings.minutes.approved",
            **_keys(minutes.meeting),
        )
    return minutes

"""Reminders of upcoming sessions, sent with Django's e-mail backend (console by default).

Each user gets one reminder per session and per version of its time (``Session.sequence``): running the
command again sends nothing new, a rescheduled session is announced again. Participants are reached through
the user linked to their census person (or the person's e-mail); supervisors through their record's user or
e-mail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from supervisione.sessions.models import Reminder, Session, SessionStatus


@dataclass
class Report:
    sessions: int = 0
    sent: int = 0
    no_email: int = 0


def _recipients(session: Session) -> list[tuple[str, str]]:
    """(e-mail, name) of the supervisor and of every participant."""
    supervisor = session.supervisor
    user = supervisor.user
    people = [((user.email if user else "") or supervisor.email, f"{supervisor.name} {supervisor.surname}")]
    for attendance in session.attendances.all():
        person = attendance.person
        linked = person.user
        people.append(((linked.email if linked else "") or person.email, f"{person.name} {person.surname}"))
    return people


def _body(session: Session, name: str) -> str:
    what = (
        "un incontro di supervisione individuale" if session.is_individual else f"l'incontro di «{session.group.name}»"
    )
    lines = [
        f"Gentile {name},",
        "",
        (
            f"ti ricordiamo {what} di {session.date:%d/%m/%Y} dalle {session.start_time:%H:%M} alle "
            f"{session.end_time:%H:%M}, {session.get_modality_display().lower()}."
        ),
    ]
    if session.place:
        lines.append(f"Luogo: {session.place}")
    if session.link:
        lines.append(f"Collegamento: {session.link}")
    lines += [
        f"Supervisore: {session.supervisor.name} {session.supervisor.surname}",
        "",
        "Durante l'incontro registra la presenza con il codice mostrato dal supervisore.",
        "",
        "Supervisione - messaggio automatico, non rispondere.",
    ]
    return "\n".join(lines)


def send_reminders(*, now: datetime.datetime, horizon: datetime.timedelta, dry_run: bool = False) -> Report:
    local = timezone.localtime(now)
    until = local + horizon
    sessions = (
        Session.objects.filter(status=SessionStatus.SCHEDULED, date__gte=local.date(), date__lte=until.date())
        .select_related("group", "supervisor", "supervisor__user")
        .prefetch_related("attendances__person__user")
        .order_by("date", "start_time")
    )
    report = Report()
    connection = None if dry_run else get_connection()
    for session in sessions:
        if not local <= session.starts_at <= until:
            continue
        report.sessions += 1
        already = set(
            Reminder.objects.filter(session=session, sequence=session.sequence).values_list("email", flat=True)
        )
        for email, name in _recipients(session):
            if not email:
                report.no_email += 1
                continue
            if email in already:
                continue
            report.sent += 1
            if dry_run:
                continue
            message = EmailMessage(
                subject=f"Promemoria: supervisione del {session.date:%d/%m/%Y} alle {session.start_time:%H:%M}",
                body=_body(session, name),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email],
                connection=connection,
            )
            # Recorded before sending: a crash in between loses one reminder rather than sending it twice.
            try:
                with transaction.atomic():
                    Reminder.objects.create(session=session, email=email, sequence=session.sequence)
            except IntegrityError:
                continue
            message.send()
    return report

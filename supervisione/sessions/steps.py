"""What supervisors and supervisees have to do next about sessions (home page)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.lib.steps import Step
from supervisione.sessions.access import own_records
from supervisione.sessions.models import Attendance, RegisterStatus, Session, SessionStatus


def sessions_steps(user: User, scope: Scope) -> list[Step]:
    # Only the user's own records: ``access.reach_for`` would also read the ATS a coordinator manages, unused here.
    supervisor_ids, person_id = own_records(scope, user.pk)
    steps: list[Step] = []
    today = clock.today()
    if supervisor_ids:
        own = Session.objects.filter(supervisor_id__in=supervisor_ids, status=SessionStatus.SCHEDULED)
        figures = own.aggregate(
            today=Count("pk", filter=Q(date=today)),
            to_confirm=Count("pk", filter=Q(date__lt=today, register_status=RegisterStatus.OPEN)),
        )
        if figures["today"]:
            count = figures["today"]
            steps.append(
                Step(
                    f"Oggi hai {count} incontr{'o' if count == 1 else 'i'} di supervisione",
                    "Apri il registro presenze dal telefono, mostra il codice ai partecipanti e conferma alla fine.",
                    reverse("sessions:today"),
                    "info",
                )
            )
        if figures["to_confirm"]:
            count = figures["to_confirm"]
            steps.append(
                Step(
                    f"{count} registr{'o' if count == 1 else 'i'} presenze da confermare",
                    "Le ore di un incontro contano come erogate solo quando confermi il registro.",
                    reverse("sessions:today"),
                    "warning",
                )
            )
    if person_id is not None:
        # A session of today that has already ended is history, not the next one.
        now = clock.localnow().time().replace(tzinfo=None)
        upcoming = (
            Attendance.objects.filter(person_id=person_id, session__status=SessionStatus.SCHEDULED)
            .filter(Q(session__date__gt=today) | Q(session__date=today, session__end_time__gt=now))
            .select_related("session", "session__group")
            .order_by("session__date", "session__start_time")
            .first()
        )
        if upcoming is not None:
            session = upcoming.session
            if session.date == today and session.start_time <= now:
                title = f"Incontro in corso, dalle {session.start_time:%H:%M} alle {session.end_time:%H:%M}"
            else:
                when = "oggi" if session.date == today else f"il {session.date:%d/%m/%Y}"
                title = f"Prossimo incontro {when} alle {session.start_time:%H:%M}"
            steps.append(
                Step(
                    title,
                    ("Supervisione individuale" if session.is_individual else session.group.name)
                    + f", con {session.supervisor.name} {session.supervisor.surname}. Durante l'incontro registra la "
                    "presenza con il codice del supervisore.",
                    session.get_absolute_url(),
                )
            )
        held = Attendance.objects.filter(
            person_id=person_id,
            session__status=SessionStatus.SCHEDULED,
            session__register_status=RegisterStatus.CONFIRMED,
            session__date__year=today.year,
        )
        if held.exists():
            steps.append(
                Step(
                    "Attestato di partecipazione disponibile",
                    f"Ore frequentate e percentuale sulle ore previste nel {today.year}, da scaricare in PDF.",
                    reverse("sessions:certificate", args=[person_id]),
                )
            )
    return steps

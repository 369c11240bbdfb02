"""A session's page, booking (single or recurring), rescheduling and cancelling."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.audit.models import AuditEntry
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract, ContractStatus
from supervisione.sessions.access import SessionView, get_session_for_user, require
from supervisione.sessions.actions.base import SessionError
from supervisione.sessions.actions.scheduling import Where, book_sessions, cancel_session, reschedule_session
from supervisione.sessions.forms import BookingForm, CancelForm, NoteForm, RescheduleForm, ScanForm, TopicsForm
from supervisione.sessions.models import Modality, RegisterDocument, Session, SupervisorNote
from supervisione.sessions.notes_crypto import NoteUnreadableError, decrypt_note
from supervisione.sessions.queries import register_rows
from supervisione.sessions.views.common import SECTION, get_group_for_user, is_bookable
from supervisione.supervisors.queries import supervisors_for_ambito, supervisors_for_partnership

# What anyone but the supervisor may read in the history of an individual session: who, when, how long.
A2_PUBLIC_FIELDS = {"date", "start_time", "end_time", "status", "supervisor", "supervisee", "register_status"}
NOTE_MESSAGES = ("Nota riservata",)
TOPIC_MESSAGES = ("Aree tematiche",)


def session_history(view: SessionView) -> list[AuditEntry]:
    """The session's history. The supervisor's notes are theirs alone: others do not even see that one was
    written. Of an individual session, others than its supervisor read only who, when and how long."""
    entries = list(history_for(view.session))
    if view.supervises:
        return entries
    shown = []
    for entry in entries:
        if entry.message.startswith(NOTE_MESSAGES):
            continue
        if not view.full:
            if entry.message.startswith(TOPIC_MESSAGES):
                continue
            entry.changes = {
                name: change
                for name, change in entry.changes.items()
                if name in A2_PUBLIC_FIELDS or name.startswith("attendance_")
            }
        shown.append(entry)
    return shown


@login_required
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    session = view.session
    user = request.user
    note_text = ""
    note_error = ""
    if view.supervises:
        note = SupervisorNote.objects.filter(session=session, author=user).first()
        if note is not None:
            try:
                note_text = decrypt_note(note.token)
            except NoteUnreadableError as error:
                note_error = str(error)
    documents = list(RegisterDocument.objects.filter(session=session).order_by("-version"))
    rows = register_rows(session) if view.sees_participants or view.attends else []
    own = next((row for row in rows if view.attends and row.person_id == view.reach.person_id), None)
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "view": view,
            "group": session.group,
            "rows": rows,
            "own_person_id": view.reach.person_id,
            "own_checked_in_at": own.checked_in_at if own is not None else None,
            "topics": list(session.topics.all()) if view.sees_topics else [],
            "topics_form": TopicsForm(initial={"categories": [t.category for t in session.topics.all()]})
            if view.supervises
            else None,
            "note_form": NoteForm(initial={"text": note_text}) if view.supervises else None,
            "note_error": note_error,
            "documents": documents,
            "register_pending": _register_pending(session, documents),
            "scans": list(session.scans.all()) if view.sees_participants else [],
            "scan_form": ScanForm() if view.can_upload else None,
            "history": session_history(view) if view.sees_participants else [],
            "now": clock.now(),
            "active_section": SECTION,
            "crumbs": [
                ("Calendario", reverse("sessions:home")),
                (session.group.name, reverse("sessions:group_calendar", args=[session.group_id])),
                (f"{session.date:%d/%m/%Y}", ""),
            ],
        },
    )


def _booking_choices(group: PlanGroup) -> tuple[Any, Any]:
    plan = group.plan
    if plan.partnership is not None:
        supervisors = supervisors_for_partnership(plan.partnership)
        contracts = Contract.objects.filter(partnership=plan.partnership)
    else:
        assert plan.ambito is not None  # noqa: S101  (a plan has one owner)
        supervisors = supervisors_for_ambito(plan.ambito)
        contracts = Contract.objects.filter(ambito=plan.ambito)
    supervisors = supervisors.filter(Q(active=True) | Q(pk=group.supervisor_id)).order_by("surname", "name")
    contracts = contracts.filter(status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE]).order_by("-start_date")
    return supervisors, contracts


@login_required
def session_create(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group, _reach = get_group_for_user(request.user, group_pk, book=True)
    if not is_bookable(group.plan):
        messages.error(
            request, "Questo gruppo appartiene a una versione del piano non in vigore: prenota sul piano approvato."
        )
        return redirect("sessions:group_calendar", group.pk)
    supervisors, contracts = _booking_choices(group)
    initial = {
        "kind": group.kind,
        "supervisor": group.supervisor_id,
        "contract": group.contract_id,
        "funding": group.funding_id,
        "modality": Modality.IN_PERSON,
        "interval": 1,
        "holidays": "",
    }
    date = request.GET.get("giorno")
    if date:
        initial["date"] = date
    form = BookingForm(request.POST or None, initial=initial, group=group, supervisors=supervisors, contracts=contracts)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions = book_sessions(
                group=group,
                kind=data["kind"],
                supervisee=data.get("supervisee"),
                supervisor=data["supervisor"],
                contract=data["contract"],
                funding=data["funding"],
                first=form.slot,
                where=Where(data["modality"], data.get("place", ""), data.get("link", "")),
                recurrence=form.recurrence,
                holidays=form.holiday_choice,
                by=request.user,
            )
        except SessionError as error:
            problems = error.messages
        else:
            if len(sessions) == 1:
                messages.success(request, f"Incontro prenotato per il {sessions[0].date:%d/%m/%Y}.")
                return redirect(sessions[0].get_absolute_url())
            messages.success(
                request,
                f"Prenotati {len(sessions)} incontri, dal {sessions[0].date:%d/%m/%Y} al {sessions[-1].date:%d/%m/%Y}.",
            )
            return redirect(
                reverse("sessions:group_calendar", args=[group.pk])
                + "?vista=elenco&data="
                + f"{sessions[0].date:%Y-%m-%d}"
            )
    return render(
        request,
        "sessions/session_form.html",
        {
            "form": form,
            "problems": problems,
            "group": group,
            "title": f"Nuovo incontro: {group.name}",
            "intro": "Un incontro singolo o una serie. Prima di prenotare si controllano sovrapposizioni del "
            "supervisore e dei partecipanti, giorni festivi, periodo del contratto e ore ancora disponibili.",
            "cancel_url": reverse("sessions:group_calendar", args=[group.pk]),
            "submit": "Prenota",
            "active_section": SECTION,
        },
    )


@login_required
def session_reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    require(view.can_reschedule, view)
    session = view.session
    form = RescheduleForm.for_session(session, request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reschedule_session(
                session,
                slot=form.slot,
                where=Where(data["modality"], data.get("place", ""), data.get("link", "")),
                reason=data["reason"],
                version=data["version"],
                holidays=form.holiday_choice,
                by=request.user,
            )
        except SessionError as error:
            problems = error.messages
        else:
            messages.success(request, "Incontro spostato: i partecipanti lo vedono aggiornato nel calendario.")
            return redirect(session.get_absolute_url())
    return render(
        request,
        "sessions/session_form.html",
        {
            "form": form,
            "problems": problems,
            "title": f"Sposta l'incontro del {session.date:%d/%m/%Y}",
            "intro": "La nuova data passa gli stessi controlli di una prenotazione. Lo spostamento e il suo motivo "
            "restano nello storico dell'incontro.",
            "cancel_url": session.get_absolute_url(),
            "submit": "Sposta",
            "active_section": SECTION,
        },
    )


@login_required
def session_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    require(view.can_reschedule, view)
    session = view.session
    form = CancelForm(request.POST or None, initial={"version": session.version})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            cancel_session(
                session,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except SessionError as error:
            problems = error.messages
        else:
            messages.success(request, "Incontro annullato. Le sue ore tornano disponibili sul contratto.")
            return redirect(session.get_absolute_url())
    return render(
        request,
        "sessions/session_form.html",
        {
            "form": form,
            "problems": problems,
            "title": f"Annulla l'incontro del {session.date:%d/%m/%Y}",
            "intro": "L'incontro resta nel calendario come annullato, con il motivo.",
            "cancel_url": session.get_absolute_url(),
            "submit": "Annulla l'incontro",
            "danger": True,
            "active_section": SECTION,
        },
    )


# How long after a confirmation the page waits for its final register before offering to issue it by hand.
REGISTER_PENDING = datetime.timedelta(minutes=10)


def _register_pending(session: Session, documents: list[RegisterDocument]) -> bool:
    """Confirmed or corrected a moment ago, and its final register not issued yet: the worker is rendering it
    (the page then reloads its documents every two seconds until it is there)."""
    if not session.is_confirmed:
        return False
    if documents:
        return documents[0].session_version not in (None, session.version)
    confirmed_at = session.register_confirmed_at
    return confirmed_at is not None and clock.now() - confirmed_at < REGISTER_PENDING

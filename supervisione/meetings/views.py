"""Pages of meetings: list, create and edit, invitees, convocation (letter, e-mail, cancel), the invitees'
answers from their personal link, and the minutes with their decisions and exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import User
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.models import AuditEntry
from supervisione.audit.queries import history_for
from supervisione.lib.downloads import download
from supervisione.meetings import actions
from supervisione.meetings.access import can_convene, can_edit, get_meeting_for_user, visible_meetings
from supervisione.meetings.documents import attendance, letter_pdf, minutes_docx, minutes_pdf
from supervisione.meetings.forms import (
    AmbitoDecisionForm,
    AnswerForm,
    DecisionForm,
    InviteeForm,
    MeetingForm,
    MinutesForm,
)
from supervisione.meetings.models import AmbitoDecision, Decision, Invitee, Meeting, Minutes, Response, Task
from supervisione.supervisors.access import reach_for
from supervisione.territory.models import Ambito, Partnership, PartnershipMember

SECTION = "meetings"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    meetings = visible_meetings(request.user).annotate(
        invited=Count("invitees", distinct=True),
        attending=Count("invitees", filter=Q(invitees__response=Response.ATTENDING), distinct=True),
    )
    creatable: list[tuple[str, str]] = []
    if scope.is_admin or scope.editable_partnership_ids:
        creatable += [
            (p.name, reverse("meetings:meeting_create_partnership", args=[p.code]))
            for p in _editable_partnerships(request.user)
        ]
    if scope.is_admin or scope.editable_ambito_ids:
        creatable += [
            (a.name, reverse("meetings:meeting_create_ambito", args=[a.code])) for a in _editable_ambiti(request.user)
        ]
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": meetings, "creatable": creatable if can_convene(scope) else [], "active_section": SECTION},
    )


def _editable_partnerships(user: User) -> QuerySet[Partnership]:
    scope = scope_for(user)
    partnerships = Partnership.objects.order_by("name")
    return (
        partnerships
        if scope.editable_partnership_ids is None
        else partnerships.filter(pk__in=scope.editable_partnership_ids)
    )


def _editable_ambiti(user: User) -> QuerySet[Ambito]:
    scope = scope_for(user)
    ambiti = Ambito.objects.order_by("name")
    return ambiti if scope.editable_ambito_ids is None else ambiti.filter(pk__in=scope.editable_ambito_ids)


@login_required
def meeting_create_partnership(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    return _meeting_form(request, Meeting(partnership=partnership))


@login_required
def meeting_create_ambito(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    return _meeting_form(request, Meeting(ambito=ambito))


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    return _meeting_form(request, meeting)


def _meeting_form(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_meeting(form.instance, form.agenda_titles, form.signatories, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            meeting = form.instance
            note = " La riunione è cambiata: invia l'aggiornamento agli invitati." if meeting.update_due else ""
            messages.success(request, "Riunione salvata." + note)
            return redirect(meeting)
    title = f"Modifica la riunione «{meeting.title}»" if meeting.pk else f"Nuova riunione: {meeting.tenant_name}"
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": meeting.get_absolute_url() if meeting.pk else reverse("meetings:meeting_list"),
            "active_section": SECTION,
        },
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    decisions = (
        list(minutes.decisions.select_related("agenda_item").prefetch_related("ambito_decisions__ambito"))
        if minutes
        else []
    )
    groups, absent = attendance(meeting)
    contract = meeting.codesign_table.contract if meeting.codesign_table else None
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "codesign_contract": contract,
            "contract_url": contract.get_absolute_url() if contract and reach_for(request.user).reads(contract) else "",
            "agenda": list(meeting.agenda_items.all()),
            "signatories": list(meeting.signatories.all()),
            "invitees": list(meeting.invitees.select_related("ambito", "user")),
            "dispatches": list(meeting.dispatches.select_related("sent_by")[:200]),
            "minutes": minutes,
            "decisions": decisions,
            "attendance": groups,
            "absent": absent,
            "can_edit": can_edit(request.user, meeting),
            "tasks": list(meeting.tasks.select_related("owner_ambito", "owner_user")),
            "history": _history(meeting, minutes),
            "active_section": SECTION,
        },
    )


def _history(meeting: Meeting, minutes: Minutes | None) -> list[AuditEntry]:
    """The meeting's entries and its minutes', newest first (two queries)."""
    entries = [*history_for(meeting), *(history_for(minutes) if minutes else [])]
    return sorted(entries, key=lambda entry: (entry.at, entry.pk), reverse=True)[:50]


# --- Invitees ----------------------------------------------------------------------------------------------


def tenant_ambiti(meeting: Meeting | Task) -> QuerySet[Ambito]:
    if meeting.ambito_id is not None:
        return Ambito.objects.filter(pk=meeting.ambito_id)
    partnership = meeting.partnership
    if partnership is None:
        return Ambito.objects.none()
    members = PartnershipMember.objects.in_force().filter(partnership=partnership).values("ambito_id")
    return Ambito.objects.filter(Q(pk__in=members) | Q(pk=partnership.capofila_id)).order_by("name")


def tenant_users(meeting: Meeting | Task) -> QuerySet[User]:
    """Users with a role on the meeting's (or task's) partnership or on its ATS."""
    ambiti = tenant_ambiti(meeting).values("pk")
    users = User.objects.filter(is_active=True).filter(
        Q(roles__ambito_id__in=ambiti)
        | (Q(roles__partnership_id=meeting.partnership_id) if meeting.partnership_id else Q(pk__in=[]))
    )
    return User.objects.filter(pk__in=users.values("pk")).order_by("last_name", "first_name", "username")


@login_required
def invitee_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = InviteeForm(
        request.POST or None,
        instance=Invitee(meeting=meeting),
        users=tenant_users(meeting),
        ambiti=tenant_ambiti(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_invitee(form.instance, by=request.user)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{form.instance.name} aggiunto agli invitati.")
            return redirect(meeting)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Invita alla riunione «{meeting.title}»",
            "intro": "Un utente della piattaforma oppure un contatto senza account (per esempio il Responsabile "
            "dell'Ufficio di Piano o il Presidente del Coordinamento Istituzionale di un ATS), con e-mail e PEC.",
            "cancel_url": meeting.get_absolute_url(),
            "submit_label": "Aggiungi",
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def invitee_delete(request: AuthenticatedHttpRequest, pk: int, invitee_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    invitee = get_object_or_404(Invitee, pk=invitee_pk, meeting=meeting)
    try:
        actions.remove_invitee(invitee, by=request.user)
    except actions.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{invitee.name} tolto dagli invitati.")
    return redirect(meeting)


# --- Convocation -------------------------------------------------------------------------------------------


@login_required
def letter(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if meeting.is_recorded:
        raise Http404  # a sitting recorded after the fact was never convened from here: it has no letter
    return download(letter_pdf(meeting), filename=f"convocazione-{meeting.pk}.pdf", content_type="application/pdf")


@login_required
@require_POST
def convene(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    try:
        sent = actions.send_convocation(meeting, by=request.user, absolute=request.build_absolute_uri)
    except actions.MeetingError as error:
        messages.error(request, str(error))
    else:
        count = len(sent)
        messages.success(request, f"Convocazione inviata a {count} {'invitato' if count == 1 else 'invitati'}.")
    return redirect(meeting)


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    try:
        sent = actions.cancel_meeting(meeting, by=request.user)
    except actions.MeetingError as error:
        messages.error(request, str(error))
    else:
        count = len(sent)
        note = f": annullamento inviato a {count} {'invitato' if count == 1 else 'invitati'}" if count else ""
        messages.success(request, f"Riunione annullata{note}.")
    return redirect(meeting)


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's answer from the e-mail's personal link: no login, only this invitee of this meeting."""
    invitee = actions.find_invitee(token)
    if invitee is None:
        raise Http404
    meeting = invitee.meeting
    form = AnswerForm(request.POST or None, initial={"response": invitee.response})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer(invitee, Response(form.cleaned_data["response"]), form.cleaned_data["note"])
        except actions.MeetingError as refused:
            error = str(refused)
        else:
            return render(request, "meetings/answer_done.html", {"invitee": invitee, "meeting": meeting})
    return render(
        request,
        "meetings/answer.html",
        {
            "invitee": invitee,
            "meeting": meeting,
            "agenda": list(meeting.agenda_items.all()),
            "form": form,
            "error": error,
        },
    )


# --- Minutes -----------------------------------------------------------------------------------------------


def _minutes(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False, new: bool = False) -> Minutes:
    """The meeting's minutes (404 if none yet); ``new``: an unsaved one when none exists, for the first save."""
    meeting = get_meeting_for_user(request.user, pk, write=write)
    if meeting.is_cancelled:
        raise Http404
    minutes = Minutes.objects.select_related("meeting").filter(meeting=meeting).first()
    if minutes is None:
        if not new:
            raise Http404
        minutes = Minutes(meeting=meeting)
    return minutes


def _locked(request: AuthenticatedHttpRequest, minutes: Minutes) -> HttpResponse | None:
    if minutes.is_approved:
        messages.error(request, str(actions.MinutesLockedError()))
        return redirect(minutes.meeting)
    return None


@login_required
def minutes_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk, write=True, new=True)
    if (refused := _locked(request, minutes)) is not None:
        return refused
    form = MinutesForm(request.POST or None, instance=minutes)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_minutes(form.instance, form.attended_ids(), form.summaries(), by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Verbale salvato.")
            return redirect(minutes.meeting)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Verbale della riunione «{minutes.meeting.title}»",
            "intro": "Chi era presente, la sintesi di ogni punto all'ordine del giorno; le decisioni si aggiungono "
            "dalla pagina della riunione.",
            "cancel_url": minutes.meeting.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
def decision_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk, write=True)
    if (refused := _locked(request, minutes)) is not None:
        return refused
    form = DecisionForm(request.POST or None, instance=Decision(minutes=minutes))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_decision(form.instance, by=request.user)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decisione registrata.")
            return redirect(minutes.meeting)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Decisione della riunione «{minutes.meeting.title}»",
            "intro": "Se ogni ATS decide per sé (per esempio se co-finanzia con la quota FNPS), spunta la casella: "
            "la pagina della riunione avrà una riga per ATS con esito, importo e atto.",
            "cancel_url": minutes.meeting.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def decision_delete(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    minutes = _minutes(request, pk, write=True)
    decision = get_object_or_404(Decision, pk=decision_pk, minutes=minutes)
    try:
        actions.delete_decision(decision, by=request.user)
    except actions.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Decisione eliminata.")
    return redirect(minutes.meeting)


@login_required
def ambito_decision_edit(request: AuthenticatedHttpRequest, pk: int, row_pk: int) -> HttpResponse:
    minutes = _minutes(request, pk, write=True)
    if (refused := _locked(request, minutes)) is not None:
        return refused
    row = get_object_or_404(
        AmbitoDecision.objects.select_related("ambito", "decision__minutes__meeting"),
        pk=row_pk,
        decision__minutes=minutes,
    )
    form = AmbitoDecisionForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.save_ambito_decision(form.instance, by=request.user)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, " ".join([f"Decisione dell'{row.ambito.name} registrata.", *changes]))
            return redirect(minutes.meeting)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"{row.ambito.name}: {row.decision.text[:80]}",
            "cancel_url": minutes.meeting.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def minutes_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes(request, pk, write=True)
    version = request.POST.get("lock_version", "")
    if not version.isdigit() or len(version) > 9:
        messages.error(request, "La pagina è incompleta: ricaricala e ripeti l'approvazione.")
        return redirect(minutes.meeting)
    minutes.lock_version = int(version)
    try:
        actions.approve_minutes(minutes, by=request.user)
    except StaleEditError as error:
        messages.error(request, str(error))
    except actions.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Verbale approvato: da ora non si può più modificare.")
    return redirect(minutes.meeting)


def _minutes_file(minutes: Minutes, extension: str) -> str:
    return f"verbale-{minutes.meeting.date:%Y-%m-%d}-{minutes.meeting_id}.{extension}"


@login_required
def minutes_pdf_view(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    minutes = _minutes(request, pk)
    return download(minutes_pdf(minutes), filename=_minutes_file(minutes, "pdf"), content_type="application/pdf")


@login_required
def minutes_docx_view(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    minutes = _minutes(request, pk)
    return download(minutes_docx(minutes), filename=_minutes_file(minutes, "docx"), content_type=DOCX)

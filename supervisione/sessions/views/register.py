"""The attendance register (taken on a phone in a few taps), its confirmation, check-in, topics and notes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.census.models import Person
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.sessions import checkin
from supervisione.sessions.access import get_session_for_user, not_a_reader, reach_for, require
from supervisione.sessions.actions.base import SessionError, StaleVersionError
from supervisione.sessions.actions.notes import save_note, set_topics
from supervisione.sessions.actions.registers import check_in, confirm_register, new_checkin_code, save_register
from supervisione.sessions.forms import CheckInForm, ConfirmForm, NoteForm, RegisterForm, TopicsForm
from supervisione.sessions.models import AttendanceStatus
from supervisione.sessions.queries import register_rows
from supervisione.sessions.views.common import SECTION


@login_required
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    # The supervisor takes it; managers read it (and correct it once confirmed).
    require(view.can_take_register or view.supervises or view.manages, view)
    session = view.session
    rows = register_rows(session)
    editable = view.can_take_register
    data: QueryDict | None = request.POST or None
    if data is not None and data.get("all_present") and not session.is_confirmed:
        # "Tutti presenti": whoever is still without a mark is present; marks already given stay.
        data = data.copy()
        for attendance in rows:
            if not data.get(f"status_{attendance.pk}"):
                data[f"status_{attendance.pk}"] = AttendanceStatus.PRESENT
    form = RegisterForm(data, initial={"version": session.version}, session=session, rows=rows)
    problems: list[str] = []
    conflict, unsaved = False, []
    if request.method == "POST" and not editable:
        messages.error(
            request, "Il registro lo compila il supervisore; dopo la conferma si corregge indicando il motivo."
        )
        return redirect("sessions:register", session.pk)
    if request.method == "POST" and form.is_valid():
        try:
            changed = save_register(
                session,
                form.marks(),
                version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except StaleVersionError:
            # Somebody saved in between: show the register as it is now, and this user's marks beside it.
            conflict, unsaved = True, form.unsaved_changes()
            view = get_session_for_user(request.user, pk)
            session, editable = view.session, view.can_take_register
            rows = register_rows(session)
            form = RegisterForm(initial={"version": session.version}, session=session, rows=rows)
        except SessionError as error:
            problems = error.messages
        else:
            if changed:
                messages.success(request, f"Presenze salvate ({counted(len(changed), 'modificata', 'modificate')}).")
            else:
                messages.info(request, "Nessuna presenza è cambiata.")
            if request.POST.get("then") == "confirm" and not session.is_confirmed:
                return redirect("sessions:register_confirm", session.pk)
            return redirect("sessions:register", session.pk)
    now = clock.now()
    return render(
        request,
        "sessions/register.html",
        {
            "session": session,
            "view": view,
            "form": form,
            "problems": problems,
            "conflict": conflict,
            "unsaved": unsaved,
            "editable": editable,
            "checkin_open": checkin.is_open(session.starts_at, session.ends_at, now),
            "checkin_closes": session.ends_at,
            "active_section": SECTION,
            "crumbs": [
                ("Oggi", reverse("sessions:today")),
                (f"Incontro del {session.date:%d/%m/%Y}", session.get_absolute_url()),
                ("Registro presenze", ""),
            ],
        },
    )


@login_required
def register_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages, view)
    session = view.session
    # Before the planned end, everyone marked present would be credited the whole session: the supervisor is
    # told so and confirms it in so many words.
    early = clock.now() < session.ends_at
    form = ConfirmForm(request.POST or None, initial={"version": session.version}, early=early)
    problems: list[str] = []
    if not view.can_confirm:
        # Only the session's supervisor confirms, once; managers are told so rather than refused.
        problems = [
            "Il registro è già confermato."
            if session.is_confirmed
            else "Il registro lo conferma il supervisore dell'incontro."
        ]
    elif request.method == "POST" and form.is_valid() and early and not form.cleaned_data["early"]:
        ends = timezone.localtime(session.ends_at)
        problems = [
            (
                f"L'incontro finisce alle {ends:%H:%M}: per confermare prima, spunta la conferma che è già finito "
                "(o attendi la fine). Nulla è stato confermato."
            )
        ]
    elif request.method == "POST" and form.is_valid():
        try:
            confirm_register(session, version=form.cleaned_data["version"], by=request.user)
        except SessionError as error:
            problems = error.messages
        else:
            messages.success(request, "Registro confermato: le ore dell'incontro contano come erogate.")
            return redirect(session.get_absolute_url())
    return render(
        request,
        "sessions/register_confirm.html",
        {
            "session": session,
            "rows": register_rows(session),
            "form": form,
            "problems": problems,
            "can_confirm": view.can_confirm,
            "early": early,
            "active_section": SECTION,
        },
    )


@login_required
def checkin_code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The code and QR the supervisor shows to the room, valid until the end of the session."""
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages, view)
    session = view.session
    if session.is_cancelled or session.is_confirmed:
        messages.info(request, "L'incontro è annullato o il suo registro è confermato: il codice non serve più.")
        return redirect(session.get_absolute_url())
    if request.method == "POST":
        new_checkin_code(session, by=request.user)
        messages.success(request, "Nuovo codice generato: il precedente non vale più.")
        return redirect("sessions:checkin_code", session.pk)
    url = request.build_absolute_uri(reverse("sessions:checkin") + f"?codice={session.checkin_code}")
    now = clock.now()
    return render(
        request,
        "sessions/checkin_code.html",
        {
            "session": session,
            "code": session.checkin_code,
            "qr": checkin.qr_svg(url, title=f"Codice QR per registrare la presenza: {session.checkin_code}"),
            "is_open": checkin.is_open(session.starts_at, session.ends_at, now),
            "opens": checkin.window(session.starts_at, session.ends_at)[0],
            "active_section": SECTION,
        },
    )


@login_required
def checkin_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supervisee records their own presence with the code (typed, or read from the QR)."""
    reach = reach_for(request.user)
    if reach.person_id is None:
        if not reach.sees_any:
            raise not_a_reader(reach)
        return render(request, "sessions/checkin.html", {"form": None, "active_section": SECTION})
    person = Person.objects.get(pk=reach.person_id)
    initial = {"code": request.GET.get("codice", "")[:12]}
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = check_in(person, form.cleaned_data["code"])
        except SessionError as error:
            # On the field, so that it is announced with it (and listed, linked, in the form's summary).
            for message in error.messages:
                form.add_error("code", message)
        else:
            session = attendance.session
            messages.success(
                request,
                f"Presenza registrata alle {timezone.localtime(attendance.checked_in_at):%H:%M} per l'incontro delle "
                f"{session.start_time:%H:%M}.",
            )
            return redirect(session.get_absolute_url())
    return render(request, "sessions/checkin.html", {"form": form, "active_section": SECTION})


@login_required
@require_POST
def topics_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages, view)
    form = TopicsForm(request.POST)
    if not view.supervises:
        messages.error(request, "Le aree tematiche le indica il supervisore dell'incontro.")
    elif form.is_valid():
        set_topics(view.session, form.cleaned_data["categories"], by=request.user)
        messages.success(request, "Aree tematiche salvate.")
    else:
        messages.error(request, "Scegli le aree tematiche tra quelle proposte.")
    return redirect(view.session.get_absolute_url() + "#argomenti")


@login_required
@require_POST
def note_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages, view)
    form = NoteForm(request.POST)
    if not view.supervises:
        messages.error(request, "Le note riservate sono del supervisore dell'incontro.")
    elif form.is_valid():
        save_note(view.session, form.cleaned_data["text"], by=request.user)
        messages.success(request, "Nota riservata salvata (cifrata).")
    else:
        messages.error(request, "La nota è troppo lunga: al massimo 5.000 caratteri.")
    return redirect(view.session.get_absolute_url() + "#nota")

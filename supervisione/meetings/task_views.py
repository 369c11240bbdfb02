"""Pages of requests and tasks: the one list (tasks, referent requests, census), a request born in a meeting or a
letter, its page with history, closing it, and asking each ATS to decide on a per-ATS decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.meetings import requests
from supervisione.meetings.access import get_meeting_for_user
from supervisione.meetings.actions import MeetingError
from supervisione.meetings.models import Decision, Meeting, Task, TaskStatus
from supervisione.meetings.task_forms import AskEachAmbitoForm, CloseTaskForm, TaskForm
from supervisione.meetings.views import SECTION, tenant_ambiti, tenant_users


def get_task_for_user(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Task:
    task = requests.visible_tasks(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    if write and not requests.can_edit_task(request.user, task):
        raise _asked_of_you(task)
    return task


def _asked_of_you(task: Task) -> Refused:
    """A request the user reads because it is asked of them or of their ATS: whoever made it changes and closes it."""
    who = (
        f"i coordinatori di {task.partnership.name}"
        if task.partnership is not None
        else f"i referenti di {task.tenant_name} e il coordinatore del partenariato"
    )
    return Refused(
        f"La richiesta «{task.title}» è rivolta a te o al tuo ATS: la modificano e la chiudono {who}, che l'hanno "
        "fatta. Quando è fatta, faglielo sapere.",
        forward_url=task.get_absolute_url(),
        forward_label="Torna alla richiesta",
    )


@login_required
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = clock.today()
    rows = requests.request_rows(request.user)
    open_rows = [row for row in rows if not row.done]
    late = sum(1 for row in open_rows if row.is_late(today))
    return render(
        request,
        "meetings/task_list.html",
        {
            "open_rows": open_rows,
            "done_rows": [row for row in rows if row.done],
            "late": late,
            "late_text": counted(late, "richiesta in ritardo", "richieste in ritardo"),
            "today": today,
            "active_section": SECTION,
        },
    )


@login_required
def task_create_meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    if meeting.is_cancelled:
        raise Http404
    task = Task(partnership=meeting.partnership, ambito=meeting.ambito, meeting=meeting)
    return _task_form(request, task, meeting.get_absolute_url())


@login_required
def task_create_partnership(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    return _task_form(request, Task(partnership=partnership), reverse("meetings:task_list"))


@login_required
def task_create_ambito(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    return _task_form(request, Task(ambito=ambito), reverse("meetings:task_list"))


@login_required
def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request, pk, write=True)
    if not task.is_open:
        messages.error(request, "La richiesta è chiusa: non si può più modificare.")
        return redirect(task)
    return _task_form(request, task, task.get_absolute_url())


def _task_form(request: AuthenticatedHttpRequest, task: Task, cancel_url: str) -> HttpResponse:
    form = TaskForm(request.POST or None, instance=task, ambiti=tenant_ambiti(task), users=tenant_users(task))
    if request.method == "POST" and form.is_valid():
        try:
            requests.save_task(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Richiesta salvata.")
            return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Modifica la richiesta «{task.title}»" if task.pk else f"Nuova richiesta: {task.tenant_name}",
            "intro": "A chi è chiesta (un ATS o una persona), entro quando e che cosa vuol dire che è fatta: "
            "l'avviso quotidiano la ricorda prima della scadenza e la segnala se è in ritardo.",
            "cancel_url": cancel_url,
            "active_section": SECTION,
        },
    )


@login_required
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request, pk)
    editable = requests.can_edit_task(request.user, task)
    form = CloseTaskForm(request.POST or None, instance=task) if editable and task.is_open else None
    if request.method == "POST":
        if form is None:
            if not editable:
                raise _asked_of_you(task)
            raise Refused(
                f"La richiesta è già chiusa come «{task.get_status_display()}»: non si chiude di nuovo.",
                forward_url=task.get_absolute_url(),
                forward_label="Torna alla richiesta",
            )
        if form.is_valid():
            try:
                requests.close_task(
                    task, TaskStatus(form.cleaned_data["outcome"]), form.cleaned_data["note"], by=request.user
                )
            except StaleEditError as error:
                refuse_stale(form, request, error)
            except MeetingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Richiesta {task.get_status_display()}.")
                return redirect(task)
    return render(
        request,
        "meetings/task_detail.html",
        {
            "task": task,
            "form": form,
            "can_edit": editable,
            "late": task.is_open and clock.today() > task.deadline,
            "history": list(history_for(task)),
            "active_section": SECTION,
        },
    )


@login_required
def decision_ask(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting: Meeting = get_meeting_for_user(request.user, pk, write=True)
    decision = get_object_or_404(
        Decision.objects.select_related("minutes__meeting"), pk=decision_pk, minutes__meeting=meeting, per_ambito=True
    )
    form = AskEachAmbitoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = requests.ask_each_ambito(
                decision, form.cleaned_data["deadline"], form.cleaned_data["done_means"], by=request.user
            )
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, requests.asked_text(len(created)))
            return redirect(meeting)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Chiedi agli ATS di decidere: {decision.text[:80]}",
            "intro": "Una richiesta per ogni ATS che non ha ancora deciso: si chiude da sola quando registri la sua "
            "decisione nel verbale.",
            "submit_label": "Crea le richieste",
            "cancel_url": meeting.get_absolute_url(),
            "active_section": SECTION,
        },
    )

"""A partnership's PNRR projects and, per CUP, what is still charged after the end of its activities and its
hand-over (issue 16). Access: ``funding.pnrr.access``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.audit.actions import StaleEditError
from supervisione.funding.pnrr.access import project_access
from supervisione.funding.pnrr.actions import HandOverError, hand_over
from supervisione.funding.pnrr.closeout import close_project, missing
from supervisione.funding.pnrr.forms import HandOverForm
from supervisione.funding.pnrr.queries import after_end, project_of, projects_of
from supervisione.lib import clock
from supervisione.lib.codes import normalise_code

SECTION = "plans"


@login_required
def projects(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    access = project_access(request.user, code)
    found = [(project, after_end(project)) for project in projects_of(access.partnership)]
    return render(
        request,
        "funding/pnrr_projects.html",
        {
            "partnership": access.partnership,
            "access": access,
            "projects": found,
            "today": clock.today(),
            "active_section": SECTION,
        },
    )


@login_required
def after_end_page(request: AuthenticatedHttpRequest, code: str, cup: str) -> HttpResponse:
    """What is charged to the CUP after its end, and (coordinators, by POST) its hand-over."""
    access = project_access(request.user, code, hand_over=request.method == "POST")
    project = project_of(access.partnership, normalise_code(cup))
    if project is None:
        raise Http404
    items = after_end(project)
    form = None
    if access.hands_over and items.contracts:
        form = HandOverForm(request.POST or None, contracts=items.contracts)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                done = hand_over(
                    access.partnership,
                    project,
                    data["contract_object"],
                    sessions_to=data["sessions_target"],
                    cancel_sessions=data["cancel_sessions"],
                    costs_to=data["costs_to"],
                    reason=data["reason"],
                    by=request.user,
                )
            except HandOverError as refusal:
                form.add_error(None, " ".join(refusal.messages))
            except StaleEditError:
                form.add_error(
                    None,
                    "Nel frattempo qualcun altro ha modificato questi dati: nulla è stato salvato. "
                    "Ricarica la pagina e ripeti.",
                )
            else:
                messages.success(request, f"CUP {project.cup}: {done.text()}.")
                return redirect(reverse("funding:pnrr_after_end", args=[access.partnership.code, project.cup]))
    elif request.method == "POST":
        messages.error(request, "Non c'è nulla da consegnare: la pagina era già aggiornata.")
        return redirect(reverse("funding:pnrr_after_end", args=[access.partnership.code, project.cup]))
    return render(
        request,
        "funding/pnrr_after_end.html",
        {
            "partnership": access.partnership,
            "access": access,
            "project": project,
            "items": items,
            "form": form,
            "active_section": SECTION,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
def closeout_page(request: AuthenticatedHttpRequest, code: str, cup: str) -> HttpResponse:
    """What is missing before the project can be closed, and (coordinators, by POST) its closing."""
    access = project_access(request.user, code, hand_over=request.method == "POST")
    project = project_of(access.partnership, normalise_code(cup))
    if project is None:
        raise Http404
    url = reverse("funding:pnrr_closeout", args=[access.partnership.code, project.cup])
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, "Conferma la chiusura spuntando la casella: nulla è stato modificato.")
            return redirect(url)
        try:
            close_project(access.partnership, project, by=request.user)
        except HandOverError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"Progetto PNRR (CUP {project.cup}) chiuso: registri, costi e piani congelati.")
        return redirect(url)
    closed = next((row for row in project.rows if row.is_closed), None)
    today = clock.today()
    return render(
        request,
        "funding/pnrr_closeout.html",
        {
            "partnership": access.partnership,
            "access": access,
            "project": project,
            "closed": closed,
            "missing": [] if closed else missing(project, today),
            "ended": today > project.end.last_day,
            "active_section": SECTION,
        },
    )

"""The annual plans (POA): list, creation from the census, the plan page, and the workflow
draft -> submitted -> approved, with new versions of an approved plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.decorators import scope_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import scope_for
from supervisione.lib import clock
from supervisione.planning import actions
from supervisione.planning.access import get_plan_for_user, name_access, not_a_planner, reads_outlook
from supervisione.planning.ats_poa import split_plan
from supervisione.planning.forms import (
    ApproveForm,
    PlanCreateForm,
    PlanForm,
    ReturnForm,
    TransitionForm,
    can_create_plans,
)
from supervisione.planning.models import PlanStatus
from supervisione.planning.plan_page import plan_page
from supervisione.planning.queries import filings_by_ambito, plan_history, plans_for
from supervisione.planning.views.groups import plan_error

SECTION = "plans"


@login_required
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    plans = plans_for(scope.visible_partnership_ids, scope.visible_ambito_ids)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/plan_list.html",
        {"page_obj": page, "can_create": can_create_plans(scope), "active_section": SECTION},
    )


@scope_required(can_create_plans, not_a_planner)
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = PlanCreateForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid() and form.chosen_owner is not None:
        data = form.cleaned_data
        try:
            plan = actions.create_plan(
                form.chosen_owner,
                data["year"],
                by=request.user,
                first_month=data["first_month"],
                last_month=data["last_month"],
                deadline=data["deadline"],
                notes=data["notes"],
            )
        except actions.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"POA {plan.year} creato dal censimento: controlla i gruppi proposti, assegna i supervisori e "
                "trasmettilo entro la scadenza.",
            )
            return redirect(plan)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Nuovo piano annuale (POA)",
            "intro": "Il piano parte dall'ultimo censimento validato di ogni ATS (o dall'ultimo trasmesso): gruppi A1 "
            "di al massimo 15 assistenti sociali con il loro monte ore A2, un gruppo A3 per ogni équipe, tutto al "
            "minimo LEPS. Poi si modificano gruppi, ore e supervisori.",
            "cancel_url": "/poa/",
            "active_section": SECTION,
        },
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    page = plan_page(plan)
    access = name_access(request.user, plan)
    own_groups = [row for row in page.rows if any(m.person_id == access.person_id for m in row.members)]
    led_groups = [row for row in page.rows if row.group.pk in access.group_ids]
    outside_visible = [p for p in page.social_workers_outside if access.sees_person(p.person_id, p.ambito_id)]
    split = split_plan(page)
    scope = scope_for(request.user)
    parts = [part for part in split.parts if scope.can_see_ambito(part.ambito.pk)]
    filings = filings_by_ambito([part.ambito.pk for part in parts], [plan.year])
    context = {
        "plan": plan,
        "page": page,
        "access": access,
        "can_edit": access.can_edit and plan.is_editable,
        "can_manage": access.can_edit,
        "reads_outlook": not access.can_edit and reads_outlook(request.user, plan),
        "own_groups": own_groups,
        "led_groups": led_groups,
        "outside_visible": outside_visible,
        "outside_hidden": len(page.social_workers_outside) - len(outside_visible),
        "open_ids": {
            row.group.pk for row in page.rows if access.opens_group(row.group, {m.person_id for m in row.members})
        },
        "supervisor_ids": {
            row.group.pk for row in page.rows if access.shows_supervisor(row.group, {m.person_id for m in row.members})
        },
        "today": clock.today(),
        "split": split,
        "ats_rows": [(part, filings.get((part.ambito.pk, plan.year))) for part in parts],
        "history": plan_history(plan, [row.group.pk for row in page.rows]) if access.can_edit else [],
        "active_section": SECTION,
    }
    return render(request, "planning/plan_detail.html", context)


@login_required
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if not plan.is_editable and request.method != "POST":
        messages.error(request, actions.LOCKED_MESSAGES[PlanStatus(plan.status)])
        return redirect(plan)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan(form.instance, expected=form.cleaned_data["lock_version"], by=request.user)
        except actions.PlanError as error:
            form.add_error(None, plan_error(request, error))
        else:
            messages.success(request, "Piano salvato.")
            return redirect(plan)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Modifica {plan}",
            "intro": "Periodo, scadenza e note. I gruppi si modificano dalla pagina del piano.",
            "cancel_url": plan.get_absolute_url(),
            "active_section": SECTION,
        },
    )


def _lock_version(form: TransitionForm, request: AuthenticatedHttpRequest) -> int | None:
    if form.is_valid():
        value: int = form.cleaned_data["lock_version"]
        return value
    messages.error(request, "La richiesta è incompleta: ricarica la pagina e riprova.")
    return None


SHOWN_PROBLEMS = 3


def _not_ready_message(error: actions.PlanNotReadyError) -> str:
    """The refusal names what is missing, so that the answer to the click says what to do next."""
    shown = " ".join(error.problems[:SHOWN_PROBLEMS])
    hidden = len(error.problems) - SHOWN_PROBLEMS
    more = f" E altri {hidden}: l'elenco completo è in «Cosa manca»." if hidden > 0 else ""
    return f"{error} {shown}{more}"


@login_required
@require_POST
def plan_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = TransitionForm(request.POST)
    if (expected := _lock_version(form, request)) is not None:
        try:
            actions.submit_plan(plan, expected=expected, by=request.user)
        except actions.PlanNotReadyError as error:
            messages.error(request, _not_ready_message(error))
        except actions.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"POA {plan.year} trasmesso: ora attende l'approvazione.")
    return redirect(plan)


@login_required
@require_POST
def plan_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = ReturnForm(request.POST)
    if (expected := _lock_version(form, request)) is not None:
        try:
            actions.return_plan(plan, expected=expected, by=request.user, reason=form.cleaned_data["reason"])
        except actions.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Piano restituito in bozza: ora si può modificare.")
    return redirect(plan)


@login_required
def plan_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if plan.status != PlanStatus.SUBMITTED and request.method != "POST":
        messages.error(request, "Si approva solo un piano trasmesso.")
        return redirect(plan)
    form = ApproveForm(request.POST or None, initial={"lock_version": plan.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.approve_plan(
                plan, expected=form.cleaned_data["lock_version"], by=request.user, act=form.cleaned_data["act"]
            )
        except actions.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"POA {plan.year} approvato: da ora è bloccato.")
            return redirect(plan)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Approva il POA {plan.year} (versione {plan.version})",
            "intro": "Registra l'approvazione del piano (es. del Coordinamento Istituzionale). Il piano approvato non "
            "si modifica più: per cambiarlo si crea una nuova versione"
            + (", e questa sostituirà la versione approvata ora in vigore." if plan.version > 1 else "."),
            "cancel_url": plan.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def plan_new_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        copy = actions.new_version(plan, by=request.user)
    except actions.PlanError as error:
        messages.error(request, str(error))
        return redirect(plan)
    messages.success(
        request,
        f"Creata la versione {copy.version} in bozza: la versione {plan.version} resta in vigore finché la nuova non "
        "è approvata.",
    )
    return redirect(copy)


@login_required
@require_POST
def plan_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = TransitionForm(request.POST)
    if (expected := _lock_version(form, request)) is not None:
        try:
            actions.delete_plan(plan, expected=expected, by=request.user)
        except actions.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Bozza del POA {plan.year} eliminata.")
            return redirect("planning:plan_list")
    return redirect(plan)

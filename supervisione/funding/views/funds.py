"""The funds page of an ATS (its FNPS allocations and their ledger) and the forms that change them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.funding import actions
from supervisione.funding.access import get_ambito_funds_for_user
from supervisione.funding.forms import AllocationForm, EntryForm
from supervisione.funding.models import STAGE_SLUGS, FnpsAllocation, LedgerEntry, Stage
from supervisione.funding.queries import ambito_funds, ledger_history, partnerships_of
from supervisione.lib import clock
from supervisione.territory.models import Ambito

SECTION = "partnerships"
STAGES_BY_SLUG = {slug: stage for stage, slug in STAGE_SLUGS.items()}
STAGE_TITLES = {
    Stage.PROGRAMMED: "Programmazione nel POA",
    Stage.COMMITTED: "Impegno di spesa",
    Stage.LIQUIDATED: "Atto di liquidazione",
    Stage.PAID: "Mandato di pagamento",
}
STAGE_INTROS = {
    Stage.PROGRAMMED: "La parte dello stanziamento che un POA programma di spendere.",
    Stage.COMMITTED: "La determina che impegna una parte dello stanziamento su un contratto. Gli impegni non possono "
    "superare lo stanziamento.",
    Stage.LIQUIDATED: "L'atto che liquida una parte di un impegno (ad esempio una fattura del fornitore). Le "
    "liquidazioni non possono superare l'impegno.",
    Stage.PAID: "Il mandato che paga una liquidazione. I mandati non possono superare la liquidazione.",
}


def funds_url(ambito: Ambito) -> str:
    return reverse("funding:ambito_funds", args=[ambito.code])


@login_required
def ambito_funds_page(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito, access = get_ambito_funds_for_user(request.user, code)
    funds = ambito_funds(ambito)
    return render(
        request,
        "funding/ambito_funds.html",
        {
            "ambito": ambito,
            "funds": funds,
            "access": access,
            "sees_acts": access.sees_acts,
            "can_edit": access.edits,
            "partnerships": list(partnerships_of(ambito).order_by("name")) if access.sees_acts else [],
            "history": ledger_history(ambito) if access.sees_acts else [],
            "today": clock.today(),
            "active_section": SECTION,
        },
    )


# --- Allocations -----------------------------------------------------------------------------------------------


@login_required
def allocation_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    return _allocation_form(request, ambito, FnpsAllocation(ambito=ambito))


@login_required
def allocation_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    return _allocation_form(request, ambito, get_object_or_404(FnpsAllocation, pk=pk, ambito=ambito))


def _allocation_form(request: AuthenticatedHttpRequest, ambito: Ambito, allocation: FnpsAllocation) -> HttpResponse:
    form = AllocationForm(request.POST or None, instance=allocation, ambito=ambito)
    return _form_page(
        request,
        form,
        title=f"Stanziamento FNPS di {ambito.name}"
        if allocation._state.adding
        else f"Stanziamento FNPS {allocation.years_text} di {ambito.name}",
        intro="La quota del Fondo Nazionale Politiche Sociali che la Regione assegna all'ATS per la supervisione. "
        "Uno stanziamento per più anni insieme (ad esempio la riga «2023» di un Piano di Zona che copre il 2023 e "
        "il 2024) si registra una volta sola, con la prima e l'ultima annualità: non va raddoppiato.",
        ambito=ambito,
        on_valid=lambda: actions.save_allocation(form.instance, by=request.user),
        success="Stanziamento salvato.",
    )


@login_required
@require_POST
def allocation_delete(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    allocation = get_object_or_404(FnpsAllocation, pk=pk, ambito=ambito)
    try:
        actions.delete_allocation(allocation, by=request.user)
    except actions.LedgerRuleError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"Stanziamento FNPS {allocation.years_text} eliminato.")
    return redirect(funds_url(ambito))


# --- The acts of the ledger ----------------------------------------------------------------------------------


@login_required
def entry_create(request: AuthenticatedHttpRequest, code: str, pk: int, stage: str) -> HttpResponse:
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    allocation = get_object_or_404(FnpsAllocation, pk=pk, ambito=ambito)
    if stage not in STAGES_BY_SLUG:
        raise Http404
    chosen = Stage(STAGES_BY_SLUG[stage])
    allocation.ambito = ambito
    entry = LedgerEntry(allocation=allocation, ambito=ambito, stage=chosen)
    initial: dict[str, Any] = {}
    parent = request.GET.get("atto", "")
    if parent.isdigit() and len(parent) < 19:
        initial["parent"] = parent
    return _entry_form(request, ambito, allocation, entry, initial)


@login_required
def entry_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    entry = get_object_or_404(LedgerEntry.objects.select_related("allocation"), pk=pk, ambito=ambito)
    entry.allocation.ambito = ambito
    return _entry_form(request, ambito, entry.allocation, entry, {})


def _entry_form(
    request: AuthenticatedHttpRequest,
    ambito: Ambito,
    allocation: FnpsAllocation,
    entry: LedgerEntry,
    initial: dict[str, Any],
) -> HttpResponse:
    stage = Stage(entry.stage)
    form = EntryForm(request.POST or None, instance=entry, allocation=allocation, stage=stage, initial=initial)
    adding = entry._state.adding
    return _form_page(
        request,
        form,
        title=f"{STAGE_TITLES[stage]} · stanziamento FNPS {allocation.years_text}"
        if adding
        else f"{entry} · stanziamento FNPS {allocation.years_text}",
        intro=STAGE_INTROS[stage],
        ambito=ambito,
        on_valid=lambda: actions.save_entry(form.instance, by=request.user),
        success=f"{STAGE_TITLES[stage]} registrato." if stage != Stage.PROGRAMMED else "Programmazione registrata.",
    )


@login_required
@require_POST
def entry_delete(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    entry = get_object_or_404(LedgerEntry, pk=pk, ambito=ambito)
    try:
        actions.delete_entry(entry, by=request.user)
    except actions.LedgerRuleError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"{entry} eliminato.")
    return redirect(funds_url(ambito))


def _form_page(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    intro: str,
    ambito: Ambito,
    on_valid: Callable[[], Any],
    success: str,
) -> HttpResponse:
    """The generic form page; a refusal of the ledger or a stale version shows the form again, unsaved."""
    if request.method == "POST" and form.is_valid():
        try:
            on_valid()
        except StaleEditError as error:
            refuse_stale(form, request, error)
        except actions.LedgerRuleError as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return redirect(funds_url(ambito))
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "intro": intro, "cancel_url": funds_url(ambito), "active_section": SECTION},
    )

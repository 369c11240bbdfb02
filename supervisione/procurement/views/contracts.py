"""Contracts and procedures: lines per supervision type, funding sources, deadlines with postponements,
documents and, for a co-progettazione, the co-design table. Coordinators manage; referents read.

The contract page itself shows the hours its sessions used: its view is ``sessions.views.contracts``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from supervisione.accounts import refusals
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.procurement import actions
from supervisione.procurement.access import get_contract_for_user, visible_contracts
from supervisione.procurement.forms import (
    CoDesignMemberForm,
    CoDesignTableForm,
    ContractDocumentForm,
    ContractFilterForm,
    ContractForm,
    ContractFundingForm,
    ContractLineForm,
    DeadlineForm,
    PostponeForm,
)
from supervisione.procurement.models import (
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    Procedure,
    TenderDeadline,
)
from supervisione.procurement.queries import contract_rows
from supervisione.supervisors.access import reach_for
from supervisione.supervisors.forms import parse_tenant
from supervisione.supervisors.views.common import form_page

SECTION = "contracts"


@login_required
def contract_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_for(request.user)
    if not reach.reads_any:
        raise refusals.not_a_manager(reach.scope, "I contratti")
    form = ContractFilterForm(request.GET or None, reach=reach)
    queryset = visible_contracts(request.user)
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        if parsed := parse_tenant(form.cleaned_data["tenant"] or ""):
            kind, pk = parsed
            queryset = queryset.filter(partnership_id=pk) if kind == "p" else queryset.filter(ambito_id=pk)
    return render(
        request,
        "procurement/contract_list.html",
        {
            "form": form,
            "rows": contract_rows(queryset.order_by("-start_date", "title", "pk")),
            "can_create": reach.manages_any,
            "active_section": SECTION,
        },
    )


@login_required
def contract_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_for(request.user)
    if not reach.manages_any:
        raise refusals.not_a_manager(reach.scope, "I contratti")
    form = ContractForm(request.POST or None, reach=reach)

    def save() -> str:
        actions.save_contract(form.instance, by=request.user)
        return form.instance.get_absolute_url()

    return form_page(
        request,
        form,
        title="Nuovo contratto o procedura",
        intro="Registra la procedura dall'avvio (gara, affidamento, co-progettazione): fornitore e periodo si "
        "indicano quando sono noti. Tariffe e ore per tipo di supervisione si aggiungono dopo il salvataggio.",
        cancel_url=reverse("procurement:contract_list"),
        on_valid=save,
        success="Contratto registrato.",
        active_section=SECTION,
    )


@login_required
def contract_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    form = ContractForm(request.POST or None, instance=contract, reach=reach_for(request.user))
    return form_page(
        request,
        form,
        title=f"Modifica {contract}",
        cancel_url=contract.get_absolute_url(),
        on_valid=lambda: actions.save_contract(form.instance, by=request.user),
        success="Contratto salvato.",
        active_section=SECTION,
    )


# --- Lines and funding ------------------------------------------------------------------------------------


@login_required
def line_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    if refused := _closed(request, contract, contract.closed_project_refusal("la tariffa del contratto")):
        return refused
    return _line_form(request, contract, ContractLine(contract=contract))


@login_required
def line_edit(request: AuthenticatedHttpRequest, pk: int, line_pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    if refused := _closed(request, contract, contract.closed_project_refusal("la tariffa del contratto")):
        return refused
    return _line_form(request, contract, get_object_or_404(ContractLine, pk=line_pk, contract=contract))


def _line_form(request: AuthenticatedHttpRequest, contract: Contract, line: ContractLine) -> HttpResponse:
    form = ContractLineForm(request.POST or None, instance=line, contract=contract)
    return form_page(
        request,
        form,
        title=f"Tariffa e ore per tipo di supervisione: {contract}",
        intro="Il piano annuale calcola i costi come ore pianificate x tariffa oraria del tipo di supervisione.",
        cancel_url=contract.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=contract, by=request.user),
        success="Riga del contratto salvata.",
        active_section=SECTION,
    )


@login_required
@require_POST
def line_delete(request: AuthenticatedHttpRequest, pk: int, line_pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    line = get_object_or_404(ContractLine, pk=line_pk, contract=contract)
    if refused := _closed(request, contract, contract.closed_project_refusal("la tariffa del contratto")):
        return refused
    actions.delete_part(line, owner=contract, by=request.user)
    messages.success(request, "Riga del contratto eliminata.")
    return redirect(contract)


@login_required
def funding_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    return _funding_form(request, contract, ContractFunding(contract=contract))


@login_required
def funding_edit(request: AuthenticatedHttpRequest, pk: int, funding_pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    funding = get_object_or_404(ContractFunding, pk=funding_pk, contract=contract)
    if refused := _closed(request, contract, funding.closed_refusal("la fonte di finanziamento")):
        return refused
    return _funding_form(request, contract, funding)


def _closed(request: AuthenticatedHttpRequest, contract: Contract, refusal: str) -> HttpResponse | None:
    """A closed PNRR project's records are frozen: the refusal on the contract page, nothing changed."""
    if not refusal:
        return None
    messages.error(request, refusal)
    return redirect(contract)


def _funding_form(request: AuthenticatedHttpRequest, contract: Contract, funding: ContractFunding) -> HttpResponse:
    form = ContractFundingForm(request.POST or None, instance=funding, contract=contract)
    return form_page(
        request,
        form,
        title=f"Fonte di finanziamento: {contract}",
        intro="Ogni incontro e ogni costo imputati al contratto indicheranno una di queste fonti, così che nulla sia "
        "finanziato due volte. Per il PNRR il CUP, se non indicato, è quello del contratto.",
        cancel_url=contract.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=contract, by=request.user),
        success="Fonte di finanziamento salvata.",
        active_section=SECTION,
    )


@login_required
@require_POST
def funding_delete(request: AuthenticatedHttpRequest, pk: int, funding_pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    funding = get_object_or_404(ContractFunding, pk=funding_pk, contract=contract)
    if refused := _closed(request, contract, funding.closed_refusal("la fonte di finanziamento")):
        return refused
    try:
        actions.delete_part(funding, owner=contract, by=request.user)
    except ProtectedError:
        # Annual plans charge their hours to it: removing it would leave their costs without a source.
        messages.error(
            request,
            f"La fonte «{funding}» finanzia le ore di un piano annuale (POA): cambia prima la fonte dei suoi gruppi.",
        )
    else:
        messages.success(request, "Fonte di finanziamento eliminata.")
    return redirect(contract)


# --- Deadlines ----------------------------------------------------------------------------------------------


@login_required
def deadline_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    form = DeadlineForm(request.POST or None, instance=TenderDeadline(contract=contract))
    return form_page(
        request,
        form,
        title=f"Nuova scadenza: {contract}",
        intro="Se il termine viene poi prorogato, registra la proroga con il suo motivo: il termine originario resta.",
        cancel_url=contract.get_absolute_url(),
        on_valid=lambda: actions.add_deadline(form.instance, by=request.user),
        success="Scadenza registrata.",
        active_section=SECTION,
    )


@login_required
def deadline_postpone(request: AuthenticatedHttpRequest, pk: int, deadline_pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    deadline = get_object_or_404(TenderDeadline.objects.select_related("contract"), pk=deadline_pk, contract=contract)
    form = PostponeForm(request.POST or None, current=deadline.due_at)

    def save() -> None:
        data = form.cleaned_data
        actions.postpone_deadline(deadline, data["new_due_at"], reason=data["reason"], act=data["act"], by=request.user)

    local = timezone.localtime(deadline.due_at)
    return form_page(
        request,
        form,
        title=f"Proroga: {deadline}",
        intro=f"Termine in vigore: {local:%d/%m/%Y} alle {local:%H:%M}.",
        cancel_url=contract.get_absolute_url(),
        on_valid=save,
        success="Proroga registrata.",
        active_section=SECTION,
    )


# --- Documents --------------------------------------------------------------------------------------------


@login_required
def contract_document_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    form = ContractDocumentForm(request.POST or None, request.FILES or None)

    def save() -> None:
        data = form.cleaned_data
        actions.store_contract_document(
            data["file"],
            data["checked"],
            kind=ContractDocumentKind(data["kind"]),
            title=data["title"],
            by=request.user,
            contract=contract,
        )

    return form_page(
        request,
        form,
        title=f"Carica un documento: {contract}",
        intro="Contratto o convenzione, determine, documenti di gara, proposta progettuale, verbali.",
        cancel_url=contract.get_absolute_url(),
        on_valid=save,
        success="Documento caricato.",
        active_section=SECTION,
    )


# --- Co-design table --------------------------------------------------------------------------------------


def _co_design_contract(request: AuthenticatedHttpRequest, pk: int) -> Contract:
    """The contract, if it is a co-progettazione the user manages: other procedures have no co-design table."""
    contract = get_contract_for_user(request.user, pk, write=True)
    if contract.procedure != Procedure.CO_DESIGN:
        raise Http404
    return contract


@login_required
def codesign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = _co_design_contract(request, pk)
    table = CoDesignTable.objects.filter(contract=contract).first() or CoDesignTable(contract=contract)
    form = CoDesignTableForm(request.POST or None, instance=table)
    return form_page(
        request,
        form,
        title=f"Tavolo di co-progettazione: {contract}",
        intro="Apertura del tavolo e, a conclusione, la proposta approvata (art. 55 D.Lgs. 117/2017).",
        cancel_url=contract.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=contract, by=request.user),
        success="Tavolo di co-progettazione salvato.",
        active_section=SECTION,
    )


def _table(request: AuthenticatedHttpRequest, pk: int) -> CoDesignTable:
    """The co-design table of the contract; members come after the table is opened."""
    contract = _co_design_contract(request, pk)
    table = CoDesignTable.objects.filter(contract=contract).select_related("contract").first()
    if table is None:
        raise Http404
    return table


@login_required
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    table = _table(request, pk)
    contract = table.contract
    form = CoDesignMemberForm(request.POST or None, instance=CoDesignMember(table=table), contract=contract)
    return form_page(
        request,
        form,
        title=f"Componente del tavolo: {contract}",
        cancel_url=contract.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=contract, by=request.user),
        success="Componente aggiunto al tavolo.",
        active_section=SECTION,
    )


@login_required
@require_POST
def member_delete(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    table = _table(request, pk)
    member = get_object_or_404(CoDesignMember, pk=member_pk, table=table)
    actions.delete_part(member, owner=table.contract, by=request.user)
    messages.success(request, "Componente tolto dal tavolo.")
    return redirect(table.contract)

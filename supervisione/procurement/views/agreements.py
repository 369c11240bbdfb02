"""The partnership's agreements on how the FNPS cost of its contracts is shared among its ATS (quote di riparto).

Reached from the partnership page and from the contract page. Coordinators of the partnership record, change and
delete them; referents of its ATS read them; anyone else gets 404 (or 403 when the partnership is visible)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.procurement import actions
from supervisione.procurement.access import get_agreements_partnership_for_user
from supervisione.procurement.forms import AgreementForm
from supervisione.procurement.models import AgreementShare, Contract, FundingAgreement
from supervisione.procurement.views.contracts import SECTION
from supervisione.supervisors.access import reach_for
from supervisione.territory.models import Partnership

INTRO = (
    "La quota FNPS di un ATS paga la supervisione del proprio personale. Un contratto condiviso può essere pagato "
    "dalla quota di un ATS anche per il personale degli altri solo se il partenariato ha un accordo (convenzione o "
    "delibera del Coordinamento Istituzionale) che ripartisce la spesa tra gli ATS per quote che sommano al 100 %: "
    "la spesa dei gruppi e degli incontri si divide allora secondo le quote."
)


def _shares() -> Prefetch[str]:
    return Prefetch("shares", queryset=AgreementShare.objects.select_related("ambito").order_by("ambito__name"))


@login_required
def agreement_list(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_agreements_partnership_for_user(request.user, code)
    agreements = (
        FundingAgreement.objects.filter(partnership=partnership)
        .select_related("contract")
        .prefetch_related(_shares())
        .order_by("-valid_from", "pk")
    )
    return render(
        request,
        "procurement/agreement_list.html",
        {
            "partnership": partnership,
            "agreements": agreements,
            "intro": INTRO,
            "can_manage": _manages(request, partnership),
            "active_section": SECTION,
        },
    )


@login_required
def agreement_detail(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    partnership = get_agreements_partnership_for_user(request.user, code)
    agreement = get_object_or_404(
        FundingAgreement.objects.select_related("contract", "partnership").prefetch_related(_shares()),
        pk=pk,
        partnership=partnership,
    )
    return render(
        request,
        "procurement/agreement_detail.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "shares": list(agreement.shares.all()),
            "can_manage": _manages(request, partnership),
            "history": history_for(agreement),
            "active_section": SECTION,
        },
    )


@login_required
def agreement_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_agreements_partnership_for_user(request.user, code, write=True)
    agreement = FundingAgreement(partnership=partnership)
    contract = request.GET.get("contratto", "")
    if contract.isdigit() and len(contract) < 19:
        agreement.contract = Contract.objects.filter(pk=int(contract), partnership=partnership).first()
    return _agreement_form(request, partnership, agreement)


@login_required
def agreement_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    partnership = get_agreements_partnership_for_user(request.user, code, write=True)
    agreement = get_object_or_404(FundingAgreement, pk=pk, partnership=partnership)
    return _agreement_form(request, partnership, agreement)


def _agreement_form(
    request: AuthenticatedHttpRequest, partnership: Partnership, agreement: FundingAgreement
) -> HttpResponse:
    form = AgreementForm(request.POST or None, instance=agreement, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_agreement(form.instance, form.shares, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        except actions.AgreementError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Accordo di ripartizione salvato.")
            return redirect(form.instance)
    cancel = (
        agreement.get_absolute_url() if agreement.pk else reverse("procurement:agreement_list", args=[partnership.code])
    )
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Accordo di ripartizione FNPS: {partnership.name}",
            "intro": INTRO,
            "cancel_url": cancel,
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def agreement_delete(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    partnership = get_agreements_partnership_for_user(request.user, code, write=True)
    agreement = get_object_or_404(
        FundingAgreement.objects.select_related("partnership"), pk=pk, partnership=partnership
    )
    actions.delete_agreement(agreement, by=request.user)
    messages.success(
        request,
        "Accordo eliminato: i gruppi e gli incontri pagati dalla quota FNPS di un ATS per il personale di altri ATS "
        "risultano di nuovo da sistemare.",
    )
    return redirect("procurement:agreement_list", partnership.code)


def _manages(request: AuthenticatedHttpRequest, partnership: Partnership) -> bool:
    managed = reach_for(request.user).managed_partnership_ids
    return managed is None or partnership.pk in managed

"""Recording a sitting of a contract's co-design table, from the contract page's «Registra una seduta»."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.meetings import codesign
from supervisione.meetings.actions import MeetingError
from supervisione.meetings.forms import SittingForm
from supervisione.meetings.models import Meeting
from supervisione.procurement.access import get_contract_for_user
from supervisione.procurement.models import CoDesignTable, Procedure

SECTION = "meetings"


@login_required
def sitting_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Those who manage the contract record a sitting of its table, held (recorded after the fact) or to convene."""
    contract = get_contract_for_user(request.user, pk, write=True)
    table = CoDesignTable.objects.filter(contract=contract).select_related("contract").first()
    if contract.procedure != Procedure.CO_DESIGN or table is None:
        raise Http404
    meeting = Meeting(partnership_id=contract.partnership_id, ambito_id=contract.ambito_id, codesign_table=table)
    form = SittingForm(request.POST or None, instance=meeting, opened_on=table.opened_on, today=clock.today())
    if request.method == "POST" and form.is_valid():
        recorded = form.recorded(form.cleaned_data)
        try:
            members = codesign.create_sitting(
                form.instance, form.agenda_titles, form.signatories, table=table, recorded=recorded, by=request.user
            )
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _saved_message(members, recorded=recorded))
            return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Registra una seduta del tavolo: {contract.title}",
            "intro": "Una seduta già tenuta si registra con la data, l'ordine del giorno e poi il verbale; una seduta "
            "da tenere si prepara e si convoca come ogni riunione. I componenti del tavolo con un indirizzo e-mail "
            "diventano invitati.",
            "cancel_url": contract.get_absolute_url(),
            "submit_label": "Registra la seduta",
            "active_section": SECTION,
        },
    )


def _saved_message(members: codesign.Members, *, recorded: bool) -> str:
    parts = ["Seduta registrata."]
    if members.invitees:
        what = "i presenti" if recorded else "gli invitati"
        parts.append(f"{counted(len(members.invitees), 'componente', 'componenti')} del tavolo tra {what}.")
    if members.unreachable:
        names = ", ".join(members.unreachable)
        if recorded:
            parts.append(f"Senza indirizzo e-mail, scritti nel verbale tra gli altri presenti: {names}.")
        else:
            parts.append(f"Senza indirizzo e-mail, da invitare a mano: {names}.")
    if recorded:
        parts.append("Completa il verbale e approvalo.")
    return " ".join(parts)

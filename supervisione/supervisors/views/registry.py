"""The supervisor registry: list with eligibility, record page, and the parts of a record.

Managers (coordinators, administrators) change everything; the supervisor linked to a record updates its
training, availability, documents and declarations; referents read; observers see aggregates only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts import refusals
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.invitations import InvitationsRefused, check
from supervisione.audit.queries import history_for
from supervisione.leps.parameters import rules_at
from supervisione.lib import clock
from supervisione.supervisors import actions
from supervisione.supervisors.access import (
    can_update_own_parts,
    get_supervisor_for_user,
    is_own,
    reach_for,
    visible_supervisors,
)
from supervisione.supervisors.eligibility import LEPS_TYPES
from supervisione.supervisors.forms import (
    AbsenceForm,
    DeclarationForm,
    SupervisorDocumentForm,
    SupervisorFilterForm,
    SupervisorForm,
    TrainingForm,
    WeeklyAvailabilityForm,
    parse_tenant,
)
from supervisione.supervisors.invitations import invite_supervisor, supervisor_invitation
from supervisione.supervisors.models import (
    Absence,
    Declaration,
    DocumentKind,
    Supervisor,
    Training,
    WeeklyAvailability,
)
from supervisione.supervisors.provider_contracts import ProviderContract, provider_contracts
from supervisione.supervisors.queries import registry_aggregates, registry_rows, supervisor_page
from supervisione.supervisors.views.common import form_page

SECTION = "supervisors"


@login_required
def supervisor_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_for(request.user)
    rules = rules_at(clock.today())
    if not reach.scope.sees_people and reach.scope.has_any_role:
        # Observers: how many supervisors and how many eligible, never who.
        return render(
            request,
            "supervisors/supervisor_aggregates.html",
            {"figures": registry_aggregates(request.user, rules), "types": LEPS_TYPES, "active_section": SECTION},
        )
    if not (reach.reads_any or reach.is_supervisor):
        raise refusals.not_a_manager(reach.scope, "I supervisori")
    form = SupervisorFilterForm(request.GET or None, reach=reach)
    queryset = visible_supervisors(request.user)
    eligible_for = ""
    if form.is_valid():
        data = form.cleaned_data
        if query := data["q"].strip():
            for word in query.split():
                queryset = queryset.filter(Q(surname__icontains=word) | Q(name__icontains=word))
        if parsed := parse_tenant(data["tenant"] or ""):
            kind, pk = parsed
            queryset = queryset.filter(partnership_id=pk) if kind == "p" else queryset.filter(ambito_id=pk)
        if not data["include_inactive"]:
            queryset = queryset.filter(active=True)
        eligible_for = data["eligible_for"]
    else:
        queryset = queryset.filter(active=True)
    rows = registry_rows(queryset, rules)
    if eligible_for:
        rows = [row for row in rows if any(item.eligible and item.code == eligible_for for item in row.types)]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervisors/supervisor_list.html",
        {
            "form": form,
            "page_obj": page,
            "types": LEPS_TYPES,
            "can_create": reach.manages_any,
            "only_own": not reach.reads_any,
            "active_section": SECTION,
        },
    )


@login_required
def supervisor_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk)
    reach = reach_for(request.user)
    today = clock.today()
    rows = registry_rows(Supervisor.objects.filter(pk=supervisor.pk), rules_at(today))
    contracts: list[ProviderContract] = []
    if reach.reads(supervisor) and supervisor.provider_id:
        contracts = provider_contracts(supervisor, today)
    return render(
        request,
        "supervisors/supervisor_detail.html",
        {
            "supervisor": supervisor,
            "page": supervisor_page(supervisor),
            "types": rows[0].types,
            "contracts": contracts,
            "can_manage": reach.manages(supervisor),
            "can_update_parts": can_update_own_parts(request.user, supervisor),
            "is_own": is_own(request.user, supervisor),
            "history": history_for(supervisor),
            "active_section": SECTION,
        },
    )


@login_required
def supervisor_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new record; "invita" sends the supervisor the invitation too (checked before anything is saved)."""
    reach = reach_for(request.user)
    if not reach.manages_any:
        raise refusals.not_a_manager(reach.scope, "I supervisori")
    form = SupervisorForm(request.POST or None, reach=reach)
    if request.method == "POST" and form.is_valid():
        send = form.cleaned_data.get("invite", False)
        try:
            if send:
                check([supervisor_invitation(form.instance, by=request.user)])
            with transaction.atomic():
                actions.save_supervisor(form.instance, by=request.user)
                if send:
                    invite_supervisor(form.instance, by=request.user, absolute=request.build_absolute_uri)
        except InvitationsRefused as refused:
            form.add_error("invite", " ".join(refused.messages))
        else:
            sent = f" Invito inviato a {form.instance.email}." if send else ""
            messages.success(request, f"Supervisore registrato.{sent}")
            return redirect(form.instance.get_absolute_url())
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Nuovo supervisore",
            "intro": "L'idoneità per tipo di supervisione (A1, A2, A3) si calcola da professione, iscrizione all'Albo, "
            "formazione ed esperienza: dopo il salvataggio aggiungi la formazione alla supervisione.",
            "cancel_url": reverse("supervisors:supervisor_list"),
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def supervisor_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite the supervisor of a record already registered."""
    supervisor = get_supervisor_for_user(request.user, pk, write=True)
    try:
        invite_supervisor(supervisor, by=request.user, absolute=request.build_absolute_uri)
    except InvitationsRefused as refused:
        messages.error(request, "Invito non inviato: " + " ".join(refused.messages))
    else:
        messages.success(request, f"Invito inviato a {supervisor.email}.")
    return redirect(supervisor)


@login_required
def supervisor_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, write=True)
    form = SupervisorForm(request.POST or None, instance=supervisor, reach=reach_for(request.user))
    return form_page(
        request,
        form,
        title=f"Modifica {supervisor}",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=lambda: actions.save_supervisor(form.instance, by=request.user),
        success="Scheda del supervisore salvata.",
        active_section=SECTION,
    )


# --- Training ---------------------------------------------------------------------------------------------


@login_required
def training_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    form = TrainingForm(request.POST or None, instance=Training(supervisor=supervisor))
    return form_page(
        request,
        form,
        title=f"Formazione alla supervisione di {supervisor}",
        intro="Corsi, master o percorsi che formano alla funzione di supervisore (Piano nazionale, p. 56).",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=supervisor, by=request.user),
        success="Formazione registrata.",
        active_section=SECTION,
    )


@login_required
def training_edit(request: AuthenticatedHttpRequest, pk: int, training_pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    training = get_object_or_404(Training, pk=training_pk, supervisor=supervisor)
    form = TrainingForm(request.POST or None, instance=training)
    return form_page(
        request,
        form,
        title=f"Modifica formazione di {supervisor}",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=supervisor, by=request.user),
        success="Formazione salvata.",
        active_section=SECTION,
    )


@login_required
@require_POST
def training_delete(request: AuthenticatedHttpRequest, pk: int, training_pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    training = get_object_or_404(Training, pk=training_pk, supervisor=supervisor)
    actions.delete_part(training, owner=supervisor, by=request.user)
    messages.success(request, "Formazione eliminata.")
    return redirect(supervisor)


# --- Availability -----------------------------------------------------------------------------------------


@login_required
def slot_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    form = WeeklyAvailabilityForm(request.POST or None, instance=WeeklyAvailability(supervisor=supervisor))
    return form_page(
        request,
        form,
        title=f"Disponibilità settimanale di {supervisor}",
        intro="Un giorno della settimana e una fascia oraria; il periodo è facoltativo (es. solo da settembre).",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=supervisor, by=request.user),
        success="Disponibilità registrata.",
        active_section=SECTION,
    )


@login_required
@require_POST
def slot_delete(request: AuthenticatedHttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    slot = get_object_or_404(WeeklyAvailability, pk=slot_pk, supervisor=supervisor)
    actions.delete_part(slot, owner=supervisor, by=request.user)
    messages.success(request, "Disponibilità eliminata.")
    return redirect(supervisor)


@login_required
def absence_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    form = AbsenceForm(request.POST or None, instance=Absence(supervisor=supervisor))
    return form_page(
        request,
        form,
        title=f"Periodo di indisponibilità di {supervisor}",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=lambda: actions.save_part(form.instance, owner=supervisor, by=request.user),
        success="Periodo di indisponibilità registrato.",
        active_section=SECTION,
    )


@login_required
@require_POST
def absence_delete(request: AuthenticatedHttpRequest, pk: int, absence_pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    absence = get_object_or_404(Absence, pk=absence_pk, supervisor=supervisor)
    actions.delete_part(absence, owner=supervisor, by=request.user)
    messages.success(request, "Periodo di indisponibilità eliminato.")
    return redirect(supervisor)


# --- Documents and declarations ---------------------------------------------------------------------------


@login_required
def document_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    form = SupervisorDocumentForm(request.POST or None, request.FILES or None)

    def save() -> None:
        data = form.cleaned_data
        actions.store_document(
            data["file"],
            data["checked"],
            kind=DocumentKind(data["kind"]),
            title=data["title"],
            by=request.user,
            supervisor=supervisor,
        )

    return form_page(
        request,
        form,
        title=f"Carica un documento di {supervisor}",
        intro="Curriculum, attestati di formazione, certificato di iscrizione all'Albo. Il file è visibile solo a "
        "chi gestisce il registro e al supervisore.",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=save,
        success="Documento caricato.",
        active_section=SECTION,
    )


@login_required
def declaration_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supervisor = get_supervisor_for_user(request.user, pk, own_parts=True)
    if not supervisor.active:
        messages.error(request, "Il supervisore non è attivo: non può essere assegnato a nuovi gruppi.")
        return redirect(supervisor)
    form = DeclarationForm(
        request.POST or None,
        request.FILES or None,
        instance=Declaration(supervisor=supervisor),
        initial={"signed_on": clock.today()},
    )

    def save() -> None:
        data = form.cleaned_data
        actions.record_declaration(form.instance, data["file"], data["checked"], by=request.user)

    return form_page(
        request,
        form,
        title=f"Dichiarazione di {supervisor}",
        intro="Prima dell'assegnazione a un gruppo il supervisore dichiara di non avere rapporti gerarchici con le "
        "persone supervisionate e di non trovarsi in conflitto di interessi. Allega la dichiarazione firmata.",
        cancel_url=supervisor.get_absolute_url(),
        on_valid=save,
        success="Dichiarazione registrata.",
        active_section=SECTION,
    )

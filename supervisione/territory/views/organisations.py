"""Organisations: shared by every tenant, edited by the tenants that use them (territory/organisation_use.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.decorators import scope_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.territory.forms import OrganisationForm, OrganisationSearchForm
from supervisione.territory.models import Ambito, Organisation, OrganisationKind, Partnership
from supervisione.territory.organisation_use import tenants_using, used_among, used_by_user_q, uses


def _organisations(request: AuthenticatedHttpRequest) -> QuerySet[Organisation]:
    """Organisations are shared reference data; observers, who see no people, do not see professionals."""
    queryset = Organisation.objects.select_related("municipality")
    if not scope_for(request.user).sees_people:
        queryset = queryset.exclude(kind=OrganisationKind.PROFESSIONAL)
    return queryset


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = _organisations(request)
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            # A professional's tax code finds him only for the tenants that may read it.
            by_tax_code = Q(tax_code=query.upper()) & (
                ~Q(kind=OrganisationKind.PROFESSIONAL) | used_by_user_q(request.user)
            )
            organisations = organisations.filter(Q(name__icontains=query) | by_tax_code | Q(vat_number=query))
        if kind := form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=kind)
    page = Paginator(organisations.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    used = used_among(request.user, [o for o in page.object_list if o.is_person])
    rows = [(o, not o.is_person or o.pk in used) for o in page.object_list]
    return render(
        request,
        "territory/organisation_list.html",
        {"form": form, "page_obj": page, "rows": rows, "active_section": "organisations"},
    )


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(_organisations(request), pk=pk)
    can_edit = uses(request.user, organisation)
    personal = not organisation.is_person or can_edit
    return render(
        request,
        "territory/organisation_detail.html",
        {
            "organisation": organisation,
            "personal": personal,
            # The history shows old and new values: a professional's are personal data.
            "history": history_for(organisation) if personal else [],
            "can_edit": can_edit,
            "active_section": "organisations",
        },
    )


def _tenant_choices(scope: Scope) -> list[tuple[str, Any]] | None:
    """The tenants a user may register an organisation for; ``None`` for administrators (no tenant)."""
    if scope.is_admin or scope.editable_partnership_ids is None or scope.editable_ambito_ids is None:
        return None
    partnerships = Partnership.objects.filter(pk__in=scope.editable_partnership_ids).order_by("name")
    ambiti = Ambito.objects.filter(pk__in=scope.editable_ambito_ids).order_by("name")
    choices: list[tuple[str, Any]] = []
    if by_partnership := [(f"p:{p.pk}", f"{p.name} ({p.code})") for p in partnerships]:
        choices.append(("Partenariati", by_partnership))
    if by_ambito := [(f"a:{a.pk}", f"{a.name} ({a.code})") for a in ambiti]:
        choices.append(("Singoli ATS", by_ambito))
    return choices


def _not_a_registrar(scope: Scope) -> Refused:
    """Why a user may not register an organisation: it is done for a partnership or an ATS that uses it."""
    if refusals.is_observer_only(scope):
        return refusals.read_only(scope, "")
    if not scope.has_any_role:
        return refusals.without_role()
    return Refused(
        "Le organizzazioni (datori di lavoro, enti fornitori, professionisti) le registrano i coordinatori dei "
        "partenariati e i referenti degli ATS, per il partenariato o l'ATS che se ne serve: con il tuo ruolo le "
        "consulti. Se ne manca una, chiedi a loro di registrarla.",
        forward_url=reverse("territory:organisation_list"),
        forward_label="Vai alle organizzazioni",
    )


@scope_required(lambda scope: scope.can_register_organisations, _not_a_registrar)
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = Organisation()
    form = OrganisationForm(
        request.POST or None, instance=organisation, tenants=_tenant_choices(scope_for(request.user))
    )
    if request.method == "POST" and form.is_valid():
        tenant = organisation.created_for_partnership or organisation.created_for_ambito
        save_audited(
            organisation,
            by=request.user,
            message=f"Registrata per conto di {tenant.code}" if tenant else "",
            partnership_id=organisation.created_for_partnership_id,
            ambito_id=organisation.created_for_ambito_id,
        )
        messages.success(request, "Organizzazione salvata.")
        return redirect(organisation)
    return _form_page(request, form, "Nuova organizzazione", None)


@login_required
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """404 for what the user cannot see (a professional, for observers), 403 for what their tenants do not use."""
    organisation = get_object_or_404(_organisations(request), pk=pk)
    if not uses(request.user, organisation):
        raise Refused(
            f"{organisation} non lavora con i tuoi ATS o partenariati: la modificano l'amministratore e chi la usa "
            "nei propri contratti e censimenti.",
            forward_url=organisation.get_absolute_url(),
            forward_label="Torna alla scheda",
        )
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        codes = tenants_using(request.user, organisation)
        try:
            save_audited(organisation, by=request.user, message=f"Per conto di {', '.join(codes)}" if codes else "")
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Organizzazione salvata.")
            return redirect(organisation)
    return _form_page(request, form, f"Modifica {organisation.name}", organisation.get_absolute_url())


def _form_page(
    request: AuthenticatedHttpRequest, form: OrganisationForm, title: str, cancel_url: str | None
) -> HttpResponse:
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "active_section": "organisations"},
    )

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from supervisione.accounts.decorators import scope_required
from supervisione.accounts.scopes import scope_for
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.territory.forms import OrganisationForm, OrganisationSearchForm
from supervisione.territory.models import Organisation, OrganisationKind


def _organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """Organisations are shared reference data; observers, who see no people, do not see professionals."""
    queryset = Organisation.objects.select_related("municipality")
    if not scope_for(request.user).sees_people:
        queryset = queryset.exclude(kind=OrganisationKind.PROFESSIONAL)
    return queryset


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = _organisations(request)
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            organisations = organisations.filter(
                Q(name__icontains=query) | Q(tax_code=query.upper()) | Q(vat_number=query)
            )
        if kind := form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=kind)
    page = Paginator(organisations.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "territory/organisation_list.html",
        {"form": form, "page_obj": page, "active_section": "organisations"},
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(_organisations(request), pk=pk)
    return render(
        request,
        "territory/organisation_detail.html",
        {
            "organisation": organisation,
            "history": history_for(organisation),
            "can_edit": scope_for(request.user).can_edit_organisations,
            "active_section": "organisations",
        },
    )


@scope_required(lambda scope: scope.can_edit_organisations)
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, Organisation())


@scope_required(lambda scope: scope.can_edit_organisations)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(_organisations(request), pk=pk)
    return _organisation_form(request, organisation)


def _organisation_form(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if not scope_for(request.user).can_edit_organisations:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            save_audited(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Organizzazione salvata.")
            return redirect(form.instance)
    title = f"Modifica {organisation.name}" if organisation.pk else "Nuova organizzazione"
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": organisation.get_absolute_url() if organisation.pk else None,
            "active_section": "organisations",
        },
    )

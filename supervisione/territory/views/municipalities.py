from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import scope_for
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.territory.forms import MunicipalityForm, PopulationForm, SearchForm
from supervisione.territory.models import AmbitoMembership, Municipality


@login_required
def municipality_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    municipalities = Municipality.objects.select_related("region")
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            municipalities = municipalities.filter(
                Q(name__icontains=query) | Q(istat_code=query) | Q(province__icontains=query)
            )
        if region := form.cleaned_data["region"]:
            municipalities = municipalities.filter(region=region)
    page = Paginator(municipalities.order_by("name", "istat_code"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "territory/municipality_list.html",
        {"form": form, "page_obj": page, "active_section": "territory"},
    )


@login_required
def municipality_detail(request: AuthenticatedHttpRequest, istat_code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("region"), istat_code=istat_code)
    scope = scope_for(request.user)
    memberships = AmbitoMembership.objects.filter(municipality=municipality).select_related("ambito")
    if scope.visible_ambito_ids is not None:
        memberships = memberships.filter(ambito_id__in=scope.visible_ambito_ids)
    context = {
        "municipality": municipality,
        "populations": municipality.populations.all(),
        "memberships": memberships.order_by("-valid_from"),
        "history": history_for(municipality),
        "active_section": "territory",
    }
    return render(request, "territory/municipality_detail.html", context)


@admin_required
def municipality_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _municipality_form(request, Municipality())


@admin_required
def municipality_edit(request: AuthenticatedHttpRequest, istat_code: str) -> HttpResponse:
    return _municipality_form(request, get_object_or_404(Municipality, istat_code=istat_code))


def _municipality_form(request: AuthenticatedHttpRequest, municipality: Municipality) -> HttpResponse:
    form = MunicipalityForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            save_audited(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Comune salvato.")
            return redirect(form.instance)
    title = f"Modifica {municipality.name}" if municipality.pk else "Nuovo comune"
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": municipality.get_absolute_url() if municipality.pk else None,
            "active_section": "territory",
        },
    )


@admin_required
def population_add(request: AuthenticatedHttpRequest, istat_code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, istat_code=istat_code)
    form = PopulationForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        save_audited(form.instance, by=request.user, message=f"Popolazione di {municipality.name}")
        messages.success(request, "Popolazione registrata.")
        return redirect(municipality)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Popolazione di {municipality.name}",
            "intro": "Residenti a una data di riferimento (es. ISTAT al 1° gennaio), con la fonte.",
            "cancel_url": municipality.get_absolute_url(),
            "active_section": "territory",
        },
    )

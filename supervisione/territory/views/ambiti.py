from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_ambito_for_user, scope_for, visible_ambiti, visible_partnerships
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.forms import DateInput
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.territory.actions import end_membership
from supervisione.territory.forms import (
    AmbitoForm,
    BulkMembershipForm,
    EndMembershipForm,
    MembershipForm,
    MunicipalityFilterForm,
    PopulationListForm,
    SearchForm,
)
from supervisione.territory.models import AmbitoMembership, Region
from supervisione.territory.municipal import (
    MunicipalityRefusedError,
    add_municipalities,
    create_ambito,
    municipal_organisation,
)
from supervisione.territory.populations import PopulationList, read_populations, save_populations
from supervisione.territory.queries import population_at, populations_at


class PopulationDateForm(forms.Form):
    al = forms.DateField(label="Popolazione alla data", required=False, widget=DateInput())


@login_required
def ambito_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    ambiti = visible_ambiti(request.user).annotate(
        municipality_count=Count(
            "memberships",
            filter=Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=clock.today()),
        )
    )
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            ambiti = ambiti.filter(Q(name__icontains=query) | Q(code__icontains=query))
        if region := form.cleaned_data["region"]:
            ambiti = ambiti.filter(region=region)
    ambiti_list = list(ambiti)
    today = clock.today()
    populations = populations_at([a.pk for a in ambiti_list], today)
    rows = [(ambito, populations[ambito.pk]) for ambito in ambiti_list]
    return render(
        request,
        "territory/ambito_list.html",
        {"form": form, "rows": rows, "today": today, "active_section": "ambiti"},
    )


@login_required
def ambito_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code)
    date_form = PopulationDateForm(request.GET or None)
    at = clock.today()
    if date_form.is_valid() and date_form.cleaned_data["al"]:
        at = date_form.cleaned_data["al"]
    scope = scope_for(request.user)
    population = population_at(ambito, at)
    figures = {row.municipality.pk: row for row in population.rows}
    memberships = [
        (membership, figures.get(membership.municipality_id) if membership.is_valid_at(at) else None)
        for membership in ambito.memberships.select_related("municipality").order_by("municipality__name", "valid_from")
    ]
    context = {
        "ambito": ambito,
        "date_form": date_form,
        "population": population,
        "memberships": memberships,
        "partnerships": visible_partnerships(request.user).filter(memberships__ambito=ambito).distinct(),
        "can_edit": scope.can_edit_ambito(ambito.pk),
        # Requests to join a partnership, for those who answer for the ATS.
        "join_requests": (
            ambito.join_requests.select_related("partnership").order_by("-requested_at")[:20]
            if scope.can_answer_for_ambito(ambito.pk)
            else []
        ),
        "history": history_for(ambito),
        "active_section": "ambiti",
    }
    return render(request, "territory/ambito_detail.html", context)


class RegionChoiceForm(forms.Form):
    """The region of a new ATS, chosen first so that the capofila is picked among its comuni."""

    regione = forms.ModelChoiceField(
        label="Regione del nuovo ATS", queryset=Region.objects.order_by("name"), to_field_name="istat_code"
    )


@admin_required
def ambito_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region_form = RegionChoiceForm(request.GET or None)
    region = region_form.cleaned_data["regione"] if region_form.is_valid() else None
    form = AmbitoForm(request.POST or None, initial={"region": region} if region else None)
    if request.method == "POST" and form.is_valid():
        create_ambito(form.instance, by=request.user)
        capofila = form.instance.capofila_municipality
        messages.success(
            request,
            f"ATS creato con il comune capofila {capofila.name}. Ora aggiungi gli altri comuni che ne fanno parte, "
            "la loro popolazione e il referente."
            if capofila is not None and form.instance.memberships.exists()
            else "ATS creato. Ora aggiungi i comuni che ne fanno parte, la loro popolazione e il referente.",
        )
        return redirect(form.instance)
    return render(
        request,
        "territory/ambito_create.html",
        {
            "form": form,
            "region_form": region_form,
            "region": region,
            "title": "Nuovo Ambito Territoriale Sociale",
            "active_section": "ambiti",
        },
    )


@login_required
def ambito_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    form = AmbitoForm(request.POST or None, instance=ambito, can_edit_identity=scope_for(request.user).is_admin)
    if request.method == "POST" and form.is_valid():
        try:
            save_audited(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Dati dell'ATS salvati.")
            return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Modifica {ambito.name}",
            "cancel_url": ambito.get_absolute_url(),
            "active_section": "ambiti",
        },
    )


@login_required
def membership_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    form = MembershipForm(request.POST or None, ambito=ambito)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            save_audited(form.instance, by=request.user, message=f"{form.instance.municipality.name} aggiunto all'ATS")
            municipal_organisation(form.instance.municipality, ambito=ambito, by=request.user)
        messages.success(request, f"{form.instance.municipality.name} aggiunto all'ATS.")
        return redirect(ambito)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Aggiungi un comune a {ambito.name}",
            "intro": "Indica da quando il comune fa parte dell'ATS. Lascia vuota la fine se l'appartenenza è in corso.",
            "cancel_url": ambito.get_absolute_url(),
            "active_section": "ambiti",
        },
    )


MAX_OFFERED = 400


@login_required
def membership_bulk_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Many municipalities at once: narrowed by province and name (GET), ticked and added on one day (POST)."""
    ambito = get_ambito_for_user(request.user, code, write=True)
    filter_form = MunicipalityFilterForm(request.GET or None, ambito=ambito)
    offered = filter_form.municipalities(ambito)
    form = BulkMembershipForm(request.POST or None, offered=offered, initial={"valid_from": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            added = add_municipalities(
                ambito, form.cleaned_data["municipalities"], form.cleaned_data["valid_from"], by=request.user
            )
        except MunicipalityRefusedError as error:
            for message in error.messages:
                form.add_error("municipalities", message)
        else:
            count = len(added)
            messages.success(
                request,
                ngettext("%(count)d comune aggiunto all'ATS.", "%(count)d comuni aggiunti all'ATS.", count)
                % {"count": count},
            )
            return redirect(ambito)
    shown = list(offered[: MAX_OFFERED + 1])
    return render(
        request,
        "territory/membership_bulk.html",
        {
            "ambito": ambito,
            "filter_form": filter_form,
            "form": form,
            "shown": shown[:MAX_OFFERED],
            "more": len(shown) > MAX_OFFERED,
            "selected": set(request.POST.getlist("municipalities")),
            "active_section": "ambiti",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    membership = get_object_or_404(AmbitoMembership.objects.select_related("municipality"), pk=pk, ambito=ambito)
    form = EndMembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        end_membership(membership, form.cleaned_data["valid_to"], by=request.user)
        messages.success(request, f"Appartenenza di {membership.municipality.name} chiusa.")
        return redirect(ambito)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"{membership.municipality.name} lascia {ambito.name}",
            "intro": "L'appartenenza resta nello storico: la popolazione alle date precedenti continua a contarla.",
            "cancel_url": ambito.get_absolute_url(),
            "active_section": "ambiti",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def population_bulk(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The populations of the ATS's municipalities pasted at one date: "Controlla" shows the preview and every
    line's error; "Salva" writes them only if no line has one."""
    ambito = get_ambito_for_user(request.user, code, write=True)
    form = PopulationListForm(request.POST or None)
    checked: PopulationList | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checked = read_populations(ambito, data["rows"], data["reference_date"])
        if "salva" in request.POST and not checked.errors:
            saved = save_populations(ambito, checked, data["reference_date"], data["source"], by=request.user)
            messages.success(
                request,
                ngettext(
                    "Popolazione di %(count)d comune registrata al %(day)s.",
                    "Popolazione di %(count)d comuni registrata al %(day)s.",
                    len(saved),
                )
                % {"count": len(saved), "day": f"{data['reference_date']:%d/%m/%Y}"},
            )
            return redirect(ambito)  # today's population takes each comune's latest figure
    return render(
        request,
        "territory/population_bulk.html",
        {
            "ambito": ambito,
            "form": form,
            "checked": checked,
            "errors_text": counted(len(checked.errors), "riga", "righe") if checked else "",
            "active_section": "ambiti",
        },
    )

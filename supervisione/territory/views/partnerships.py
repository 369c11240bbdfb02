from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.scopes import get_partnership_for_user, scope_for, visible_partnerships
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.territory.actions import (
    CannotRemoveCapofilaError,
    add_partnership_member,
    remove_partnership_member,
    save_partnership,
)
from supervisione.territory.forms import PartnershipForm, PartnershipMemberForm
from supervisione.territory.models import Ambito, Partnership, PartnershipMember
from supervisione.territory.queries import populations_at


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = visible_partnerships(request.user).prefetch_related("memberships__ambito")
    return render(
        request,
        "territory/partnership_list.html",
        {"partnerships": partnerships, "active_section": "partnerships"},
    )


@login_required
def partnership_detail(request: HttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    scope = scope_for(request.user)
    members = list(partnership.memberships.select_related("ambito", "ambito__region").order_by("ambito__name"))
    today = clock.today()
    populations = populations_at([m.ambito_id for m in members], today)
    rows = [(member, populations[member.ambito_id], scope.can_see_ambito(member.ambito_id)) for member in members]
    context = {
        "partnership": partnership,
        "rows": rows,
        "total_population": sum(p.total for p in populations.values()),
        "today": today,
        "can_edit": scope.can_edit_partnership(partnership.pk),
        "history": history_for(partnership),
        "active_section": "partnerships",
    }
    return render(request, "territory/partnership_detail.html", context)


def _capofila_choices(request: HttpRequest, partnership: Partnership | None) -> QuerySet[Ambito]:
    scope = scope_for(request.user)
    if scope.is_admin:
        return Ambito.objects.select_related("region")
    assert partnership is not None  # noqa: S101  (only administrators create partnerships)
    return Ambito.objects.filter(partnership_memberships__partnership=partnership).select_related("region")


@admin_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    form = PartnershipForm(
        request.POST or None, capofila_choices=_capofila_choices(request, None), can_edit_identity=True
    )
    if request.method == "POST" and form.is_valid():
        save_partnership(form.instance, by=request.user)
        messages.success(request, "Partenariato creato. Ora aggiungi gli ATS partner.")
        return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Nuovo partenariato", "active_section": "partnerships"},
    )


@login_required
def partnership_edit(request: HttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    scope = scope_for(request.user)
    form = PartnershipForm(
        request.POST or None,
        instance=partnership,
        capofila_choices=_capofila_choices(request, partnership),
        can_edit_identity=scope.is_admin,
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_partnership(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Partenariato salvato.")
            return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Modifica {partnership.name}",
            "cancel_url": partnership.get_absolute_url(),
            "active_section": "partnerships",
        },
    )


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    scope = scope_for(request.user)
    choices = Ambito.objects.exclude(partnership_memberships__partnership=partnership).select_related("region")
    if not scope.is_admin:
        # A coordinator may invite the ATS of the capofila's region, which are public institutions.
        choices = choices.filter(region_id=partnership.capofila.region_id)
    form = PartnershipMemberForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        ambito = form.cleaned_data["ambito"]
        add_partnership_member(partnership, ambito, joined_on=form.cleaned_data["joined_on"], by=request.user)
        messages.success(request, f"{ambito.name} aggiunto al partenariato.")
        return redirect(partnership)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Aggiungi un ATS a {partnership.name}",
            "cancel_url": partnership.get_absolute_url(),
            "active_section": "partnerships",
        },
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    member = get_object_or_404(
        PartnershipMember.objects.select_related("ambito", "partnership"), pk=pk, partnership=partnership
    )
    try:
        remove_partnership_member(member, by=request.user)
    except CannotRemoveCapofilaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.ambito.name} tolto dal partenariato.")
    return redirect(partnership)

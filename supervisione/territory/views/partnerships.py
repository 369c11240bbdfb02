from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import (
    get_join_request_for_user,
    get_partnership_for_user,
    scope_for,
    visible_partnerships,
)
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.territory.actions import (
    CannotRemoveCapofilaError,
    MembershipRefusedError,
    RequestAlreadyAnsweredError,
    accept_join_request,
    add_partnership_member,
    refuse_join_request,
    remove_partnership_member,
    request_to_join,
    save_partnership,
    withdraw_join_request,
)
from supervisione.territory.forms import PartnershipForm, PartnershipMemberForm, RefuseJoinRequestForm
from supervisione.territory.models import Ambito, JoinRequest, Partnership, PartnershipMember
from supervisione.territory.queries import populations_at


@login_required
def partnership_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnerships = visible_partnerships(request.user).prefetch_related("memberships__ambito")
    return render(
        request,
        "territory/partnership_list.html",
        {"partnerships": partnerships, "active_section": "partnerships"},
    )


@login_required
def partnership_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    scope = scope_for(request.user)
    members = list(partnership.memberships.select_related("ambito", "ambito__region").order_by("ambito__name"))
    today = clock.today()
    populations = populations_at([m.ambito_id for m in members], today)
    rows = [(member, populations[member.ambito_id], scope.can_see_ambito(member.ambito_id)) for member in members]
    join_requests = partnership.join_requests.select_related("ambito", "requested_by").order_by("-requested_at")
    context = {
        "partnership": partnership,
        "rows": rows,
        "join_requests": join_requests[:20],
        "total_population": sum(p.total for p in populations.values()),
        "today": today,
        "can_edit": scope.can_edit_partnership(partnership.pk),
        "history": history_for(partnership),
        "active_section": "partnerships",
    }
    return render(request, "territory/partnership_detail.html", context)


def _capofila_choices(request: AuthenticatedHttpRequest, partnership: Partnership | None) -> QuerySet[Ambito]:
    scope = scope_for(request.user)
    if scope.is_admin:
        return Ambito.objects.select_related("region")
    assert partnership is not None  # noqa: S101  (only administrators create partnerships)
    return Ambito.objects.filter(partnership_memberships__partnership=partnership).select_related("region")


@admin_required
def partnership_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PartnershipForm(
        request.POST or None, capofila_choices=_capofila_choices(request, None), can_edit_identity=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_partnership(form.instance, by=request.user)
        except MembershipRefusedError as error:
            form.add_error("capofila", str(error))
        else:
            messages.success(
                request,
                "Partenariato creato: progetto di un solo ATS. Ora invita il suo coordinatore."
                if form.instance.single_ambito
                else "Partenariato creato. Ora aggiungi gli ATS partner e invita il coordinatore.",
            )
            return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Nuovo partenariato", "active_section": "partnerships"},
    )


@login_required
def partnership_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
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
        except MembershipRefusedError as error:
            form.add_error(None, str(error))
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
def member_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Administrators add an ATS; a coordinator asks it to join, and nothing opens until the ATS accepts."""
    partnership = get_partnership_for_user(request.user, code, write=True)
    direct = scope_for(request.user).is_admin
    choices = Ambito.objects.exclude(partnership_memberships__partnership=partnership).select_related("region")
    if not direct:
        # The ATS of the capofila's region: public institutions a coordinator may ask to join.
        choices = choices.filter(region_id=partnership.capofila.region_id)
    today = clock.today()
    start = partnership.start_date
    form = PartnershipMemberForm(
        request.POST or None,
        choices=choices,
        request=not direct,
        initial={"joined_on": start if start and start > today else today},
    )
    if request.method == "POST" and form.is_valid():
        ambito: Ambito = form.cleaned_data["ambito"]
        joined_on = form.cleaned_data["joined_on"]
        try:
            if direct:
                add_partnership_member(partnership, ambito, joined_on=joined_on, by=request.user)
            else:
                join_request = request_to_join(
                    partnership, ambito, joined_on=joined_on, message=form.cleaned_data["message"], by=request.user
                )
        except MembershipRefusedError as error:
            form.add_error("ambito", str(error))
        else:
            if direct:
                messages.success(request, f"{ambito.name} aggiunto al partenariato.")
                return redirect(partnership)
            messages.success(
                request,
                f"Richiesta di adesione inviata a {ambito.name}: l'ATS entra nel partenariato quando la accetta.",
            )
            return redirect(join_request)
    if direct:
        title, intro = f"Aggiungi un ATS a {partnership.name}", ""
    else:
        title = f"Chiedi a un ATS di aderire a {partnership.name}"
        intro = (
            "L'ATS entra nel partenariato solo se accetta: la richiesta arriva al suo referente e al coordinatore "
            "del partenariato di cui è capofila. Un ATS partecipa a un solo partenariato alla volta."
        )
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": "Aggiungi" if direct else "Invia la richiesta",
            "cancel_url": partnership.get_absolute_url(),
            "active_section": "partnerships",
        },
    )


@login_required
def join_request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    join_request = get_join_request_for_user(request.user, pk)
    return _join_request_page(request, join_request, RefuseJoinRequestForm())


def _join_request_page(
    request: AuthenticatedHttpRequest, join_request: JoinRequest, refuse_form: RefuseJoinRequestForm
) -> HttpResponse:
    scope = scope_for(request.user)
    context = {
        "join_request": join_request,
        "refuse_form": refuse_form,
        "can_answer": join_request.is_pending and scope.can_answer_for_ambito(join_request.ambito_id),
        "can_withdraw": join_request.is_pending and scope.can_edit_partnership(join_request.partnership_id),
        "sees_partnership": scope.can_see_partnership(join_request.partnership_id),
        "sees_ambito": scope.can_see_ambito(join_request.ambito_id),
        # The history names who asked and who answered: people, which observers never see.
        "history": history_for(join_request) if scope.sees_people else [],
        "active_section": "partnerships",
    }
    return render(request, "territory/join_request_detail.html", context)


@login_required
@require_POST
def join_request_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    join_request = get_join_request_for_user(request.user, pk, answer=True)
    try:
        accept_join_request(join_request, by=request.user)
    except (MembershipRefusedError, RequestAlreadyAnsweredError) as error:
        messages.error(request, str(error))
    else:
        since = f"{join_request.joined_on:%d/%m/%Y}"
        messages.success(request, f"{join_request.ambito.name} aderisce a {join_request.partnership.name} dal {since}.")
    return redirect(join_request)


@login_required
@require_POST
def join_request_refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    join_request = get_join_request_for_user(request.user, pk, answer=True)
    form = RefuseJoinRequestForm(request.POST)
    if not form.is_valid():
        return _join_request_page(request, join_request, form)
    try:
        refuse_join_request(join_request, note=form.cleaned_data["note"], by=request.user)
    except RequestAlreadyAnsweredError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Richiesta rifiutata: l'ATS non entra nel partenariato.")
    return redirect(join_request)


@login_required
@require_POST
def join_request_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    join_request = get_join_request_for_user(request.user, pk, withdraw=True)
    try:
        withdraw_join_request(join_request, by=request.user)
    except RequestAlreadyAnsweredError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Richiesta ritirata.")
    return redirect(join_request.partnership)


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
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

"""Referents (Allegato 1): the coordinator's request, each ATS's designation, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.invitations import InvitationsRefused, check
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.census.access import get_referent_request_for_user
from supervisione.census.actions import create_referent_request, designate_referent
from supervisione.census.exports import XLSX_CONTENT_TYPE, referents_xlsx
from supervisione.census.forms import ReferentDesignationForm, ReferentRequestForm
from supervisione.census.invitations import invite_referent, referent_invitation
from supervisione.census.models import ReferentDesignation
from supervisione.census.queries import referent_rows
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.lib.pdf import render_pdf


@login_required
def request_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    form = ReferentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.partnership = partnership
        create_referent_request(form.instance, by=request.user)
        messages.success(request, "Richiesta registrata: ogni ATS del partenariato può indicare il suo referente.")
        return redirect(form.instance)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Richiesta dei referenti (Allegato 1) - {partnership.name}",
            "cancel_url": partnership.get_absolute_url(),
            "active_section": "census",
        },
    )


@login_required
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referent_request = get_referent_request_for_user(request.user, pk)
    scope = scope_for(request.user)
    today = clock.today()
    rows = referent_rows(referent_request, today)
    context = {
        "referent_request": referent_request,
        "rows": [(row, scope.can_edit_ambito(row.ambito.pk)) for row in rows],
        "answered": sum(1 for row in rows if row.designation),
        "late": sum(1 for row in rows if row.designation is None and row.late),
        "sees_people": scope.sees_people,
        "can_export": scope.can_edit_partnership(referent_request.partnership_id),
        "overdue": today > referent_request.deadline,
        "history": history_for(referent_request),
        "active_section": "census",
    }
    return render(request, "census/referent_request_detail.html", context)


@login_required
def designate(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    referent_request = get_referent_request_for_user(request.user, pk)
    ambito = get_ambito_for_user(request.user, code, write=True)
    if not referent_request.partnership.memberships.filter(ambito=ambito).exists():
        raise Http404
    designation = ReferentDesignation.objects.filter(
        request=referent_request, ambito=ambito
    ).first() or ReferentDesignation(request=referent_request, ambito=ambito)
    form = ReferentDesignationForm(request.POST or None, instance=designation)
    if request.method == "POST" and form.is_valid():
        invite = form.cleaned_data["invite"]
        try:
            if invite:
                # Every check of the invitation before anything is saved: a refused invitation changes nothing.
                check([referent_invitation(form.instance, by=request.user)])
            with transaction.atomic():
                designate_referent(form.instance, by=request.user)
                if invite:
                    invite_referent(form.instance, by=request.user, absolute=request.build_absolute_uri)
        except InvitationsRefused as refused:
            form.add_error("email", " ".join(refused.messages))
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            sent = f" Invito inviato a {form.instance.email}." if invite else ""
            messages.success(request, f"Referente di {ambito.name} registrato.{sent}")
            return redirect(referent_request)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Referente di {ambito.name} (Allegato 1)",
            "intro": f"Scadenza della richiesta: {referent_request.deadline:%d/%m/%Y}.",
            "cancel_url": referent_request.get_absolute_url(),
            "active_section": "census",
        },
    )


@login_required
@require_POST
def designation_invite(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Invite the referent an ATS designated, after the fact (the designation form offers it too)."""
    referent_request = get_referent_request_for_user(request.user, pk)
    ambito = get_ambito_for_user(request.user, code, write=True)
    designation = get_object_or_404(
        ReferentDesignation.objects.select_related("ambito", "request"), request=referent_request, ambito=ambito
    )
    try:
        invite_referent(designation, by=request.user, absolute=request.build_absolute_uri)
    except InvitationsRefused as refused:
        messages.error(request, "Invito non inviato: " + " ".join(refused.messages))
    else:
        messages.success(request, f"Invito inviato a {designation.email}, referente di {ambito.name}.")
    return redirect(referent_request)


@login_required
def request_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    referent_request = get_referent_request_for_user(request.user, pk)
    if not scope_for(request.user).can_edit_partnership(referent_request.partnership_id):
        raise Refused(
            "L'elenco dei referenti designati, con i loro contatti, lo scaricano i coordinatori del partenariato.",
            forward_url=referent_request.get_absolute_url(),
            forward_label="Torna alla richiesta",
        )
    today = clock.today()
    rows = referent_rows(referent_request, today)
    name = f"referenti-{referent_request.partnership.code}-{referent_request.deadline:%Y%m%d}"
    if fmt == "xlsx":
        content = referents_xlsx(
            [(row.ambito, row.designation) for row in rows],
            f"{referent_request.title} - scadenza {referent_request.deadline:%d/%m/%Y}",
        )
        content_type = XLSX_CONTENT_TYPE
    elif fmt == "pdf":
        content = render_pdf(
            "census/referents_pdf.html", {"referent_request": referent_request, "rows": rows, "today": today}
        )
        content_type = "application/pdf"
    else:
        raise Http404
    return download(content, filename=f"{name}.{fmt}", content_type=content_type)

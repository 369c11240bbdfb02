"""The census section's index, census campaigns and the review of each ATS's census."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_partnership_for_user, scope_for, visible_partnerships
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.census.access import get_campaign_for_user
from supervisione.census.actions import add_missing_censuses, open_campaign, save_campaign
from supervisione.census.forms import CampaignForm
from supervisione.census.models import CensusStatus
from supervisione.census.queries import campaign_rows, campaigns_for, referent_requests_for
from supervisione.census.reminders import last_reminders
from supervisione.lib import clock


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    partnerships = list(visible_partnerships(request.user))
    ids = None if scope.visible_partnership_ids is None else [p.pk for p in partnerships]
    context = {
        "partnerships": partnerships,
        "campaigns": campaigns_for(ids)[:50],
        "requests": referent_requests_for(ids)[:50],
        "today": clock.today(),
        "active_section": "census",
    }
    return render(request, "census/index.html", context)


@login_required
def campaign_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code, write=True)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.instance
        campaign.partnership = partnership
        open_campaign(campaign, by=request.user)
        messages.success(request, "Campagna aperta: ogni ATS del partenariato ha il suo censimento da compilare.")
        return redirect(campaign)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Nuova campagna di censimento - {partnership.name}",
            "intro": (
                "Ogni ATS del partenariato riceve un censimento in compilazione, già riempito con le posizioni ancora "
                "in servizio del suo censimento precedente."
            ),
            "cancel_url": partnership.get_absolute_url(),
            "active_section": "census",
        },
    )


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk)
    scope = scope_for(request.user)
    today = clock.today()
    rows = campaign_rows(campaign, today)
    reminded = last_reminders([row.census.pk for row in rows])
    counts = {status: sum(1 for row in rows if row.census.status == status) for status in CensusStatus.values}
    context = {
        "campaign": campaign,
        "rows": [(row, scope.can_see_ambito(row.census.ambito_id), reminded.get(row.census.pk)) for row in rows],
        "counts": counts,
        "done": counts[CensusStatus.SUBMITTED] + counts[CensusStatus.VALIDATED],
        "late": sum(1 for row in rows if row.late),
        "today": today,
        "can_edit": scope.can_edit_partnership(campaign.partnership_id),
        "history": history_for(campaign),
        "active_section": "census",
    }
    return render(request, "census/campaign_detail.html", context)


@login_required
def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, pk, write=True)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            save_campaign(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Campagna salvata.")
            return redirect(campaign)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Modifica {campaign.title}",
            "cancel_url": campaign.get_absolute_url(),
            "active_section": "census",
        },
    )


@login_required
@require_POST
def campaign_add_missing(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ATS that joined the partnership after the campaign opened get their census too."""
    campaign = get_campaign_for_user(request.user, pk, write=True)
    added = add_missing_censuses(campaign, by=request.user)
    messages.success(request, f"Censimenti aggiunti: {added}." if added else "Tutti gli ATS hanno già il censimento.")
    return redirect(campaign)

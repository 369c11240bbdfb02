"""Social-worker ratio and c. 797 estimate per ATS and per partnership (aggregates: everyone who sees them)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.census.forms import RatioForm
from supervisione.census.models import Census, CensusCampaign
from supervisione.census.queries import partnership_ratio, ratios
from supervisione.leps.parameters import rules_at
from supervisione.lib import clock


def _choose(form: RatioForm, campaigns: QuerySet[CensusCampaign]) -> tuple[CensusCampaign | None, datetime.date]:
    campaign: CensusCampaign | None = None
    at: datetime.date | None = None
    if form.is_valid():
        campaign = form.cleaned_data["campagna"]
        at = form.cleaned_data["al"]
    campaign = campaign or campaigns.first()
    if at is None:
        at = campaign.reference_date if campaign is not None else clock.today()
    return campaign, at


@login_required
def ambito_ratio(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code)
    campaigns = (
        CensusCampaign.objects.filter(censuses__ambito=ambito)
        .select_related("partnership")
        .order_by("-reference_date", "-pk")
    )
    form = RatioForm(request.GET or None, campaigns=campaigns)
    campaign, at = _choose(form, campaigns)
    census = (
        Census.objects.select_related("campaign").filter(campaign=campaign, ambito=ambito).first() if campaign else None
    )
    row = ratios({ambito.pk: census}, [ambito], at)[0]
    return render(
        request,
        "census/ambito_ratio.html",
        {
            "ambito": ambito,
            "form": form,
            "row": row,
            "at": at,
            "campaign": campaign,
            "rules": rules_at(at),
            "active_section": "census",
        },
    )


@login_required
def partnership_ratio_view(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    campaigns = partnership.census_campaigns.select_related("partnership").order_by("-reference_date", "-pk")
    form = RatioForm(request.GET or None, campaigns=campaigns)
    campaign, at = _choose(form, campaigns)
    result = partnership_ratio(partnership, campaign, at)
    # The figures of every ATS are aggregates that all readers of the partnership see; the page of one ATS is
    # only for those who see that ATS (a referent or a social worker reads their own), so only those are links.
    scope = scope_for(request.user)
    linked = {row.ambito.pk for row in result.rows if scope.can_see_ambito(row.ambito.pk)}
    return render(
        request,
        "census/partnership_ratio.html",
        {
            "partnership": partnership,
            "form": form,
            "result": result,
            "linked": linked,
            "at": at,
            "campaign": campaign,
            "rules": rules_at(at),
            "active_section": "census",
        },
    )

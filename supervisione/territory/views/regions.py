from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import visible_ambiti
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.territory.forms import RegionForm
from supervisione.territory.models import Region


@login_required
def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = Region.objects.annotate(municipality_count=Count("municipalities", distinct=True)).order_by("istat_code")
    ambito_counts: dict[int, int] = {}
    for region_id in visible_ambiti(request.user).values_list("region_id", flat=True):
        ambito_counts[region_id] = ambito_counts.get(region_id, 0) + 1
    rows = [(region, ambito_counts.get(region.pk, 0)) for region in regions]
    return render(request, "territory/region_list.html", {"rows": rows, "active_section": "territory"})


@login_required
def region_detail(request: AuthenticatedHttpRequest, istat_code: str) -> HttpResponse:
    region = get_object_or_404(Region, istat_code=istat_code)
    context = {
        "region": region,
        "ambiti": visible_ambiti(request.user).filter(region=region),
        "municipality_count": region.municipalities.count(),
        "history": history_for(region),
        "active_section": "territory",
    }
    return render(request, "territory/region_detail.html", context)


@admin_required
def region_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _region_form(request, Region())


@admin_required
def region_edit(request: AuthenticatedHttpRequest, istat_code: str) -> HttpResponse:
    return _region_form(request, get_object_or_404(Region, istat_code=istat_code))


def _region_form(request: AuthenticatedHttpRequest, region: Region) -> HttpResponse:
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        try:
            save_audited(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Regione salvata.")
            return redirect(form.instance)
    title = f"Modifica {region.name}" if region.pk else "Nuova regione"
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": region.get_absolute_url() if region.pk else None,
            "active_section": "territory",
        },
    )

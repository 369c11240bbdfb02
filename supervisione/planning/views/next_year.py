"""Prepara il POA dell'anno successivo: what next year's plan would start from, and the draft on request."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.planning.access import get_plan_for_user, outlook_access
from supervisione.planning.actions import PlanError
from supervisione.planning.next_year import outlook, prepare_next_year

SECTION = "plans"


class NextYearForm(forms.Form):
    """The year the page offered: a page left open on an older plan, or a changed field, prepares nothing."""

    year = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, expected: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature, passed on as given
        self.expected = expected

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year != self.expected:
            raise forms.ValidationError(f"Da questo piano si prepara il POA {self.expected}, non il {year}.")
        return year


@login_required
def plan_next_year(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    access = outlook_access(request.user, plan)
    if request.method == "POST" and not access.can_prepare:
        raise Refused(
            "La bozza del POA dell'anno prossimo la prepara il coordinatore del partenariato: tu puoi consultare "
            "le previsioni.",
            forward_url=request.path,
            forward_label="Torna alle previsioni",
        )
    view = outlook(plan)
    if access.ambito_ids is not None:
        # A member ATS's referent reads its own line: another ATS's quota is that ATS's.
        view.ats = [row for row in view.ats if row.ambito.pk in access.ambito_ids]
    form = NextYearForm(
        request.POST if request.method == "POST" else None, expected=view.year, initial={"year": view.year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            prepared = prepare_next_year(plan, by=request.user)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"POA {prepared.plan.year} preparato in bozza dal censimento e dal POA {plan.year}: controlla i "
                "gruppi, le ore e i supervisori prima di trasmetterlo.",
            )
            for warning in prepared.warnings:
                messages.warning(request, warning)
            return redirect(prepared.plan)
    return render(
        request,
        "planning/next_year.html",
        {"plan": plan, "view": view, "form": form, "can_prepare": access.can_prepare, "active_section": SECTION},
        status=400 if form.errors else 200,
    )

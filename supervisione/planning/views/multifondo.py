"""The filing of each ATS's POA on the Piattaforma Multifondo: the filing of a year (status, dates, protocol, the
dichiarazione di avvio attività, its history), its moves, and the table of a partnership's ATS by year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.planning import actions
from supervisione.planning.forms import FilingForm, FilingStatusForm
from supervisione.planning.models import Plan
from supervisione.planning.multifondo import NO_DEADLINE, MultifondoFiling, multifondo_deadline
from supervisione.planning.queries import filings_by_ambito, owner_ambiti, plan_covering
from supervisione.planning.views.plans import SECTION
from supervisione.territory.models import Ambito

FIRST_YEAR = 2021
LAST_YEAR = 2100
YEARS_SHOWN = 6


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _detail(
    request: AuthenticatedHttpRequest,
    ambito: Ambito,
    filing: MultifondoFiling,
    form: FilingStatusForm | None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_for(request.user)
    can_edit = scope.can_edit_ambito(ambito.pk)
    if form is None and can_edit:
        form = FilingStatusForm(filing=filing)
    return render(
        request,
        "planning/filing_detail.html",
        {
            "ambito": ambito,
            "filing": filing,
            "form": form,
            "can_edit": can_edit,
            "plan": plan_covering(ambito, filing.year),
            "no_deadline": NO_DEADLINE,
            "today": clock.today(),
            "history": history_for(filing) if filing.is_recorded else [],
            "active_section": SECTION,
        },
        status=status,
    )


@login_required
def filing_detail(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code)
    return _detail(request, ambito, actions.filing_of(ambito, _year(year)), None)


@login_required
@require_POST
def filing_status(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    filing = actions.filing_of(ambito, _year(year))
    form = FilingStatusForm(request.POST, filing=filing)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.change_filing_status(
                filing,
                data["status"],
                on=data["on"],
                by=request.user,
                expected=data["lock_version"],
                protocol=data["protocol"],
                reason=data["reason"],
            )
        except actions.FilingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"POA {changed.year} di {ambito.name} su Multifondo: {changed.get_status_display().lower()} dal "
                f"{changed.status_on:%d/%m/%Y}.",
            )
            return redirect(changed)
    return _detail(request, ambito, filing, form)


@login_required
def filing_edit(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code, write=True)
    filing = actions.filing_of(ambito, _year(year))
    form = FilingForm(request.POST or None, instance=filing)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_filing(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        except actions.FilingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Dati dell'invio salvati.")
            return redirect(filing)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"POA {filing.year} di {ambito.name} su Multifondo: protocollo e dichiarazione",
            "intro": "Il protocollo dell'invio, la dichiarazione di avvio attività quando è richiesta, le note. Lo "
            "stato dell'invio si cambia dalla pagina dell'invio.",
            "cancel_url": reverse("planning:filing_detail", args=[ambito.code, filing.year]),
            "active_section": SECTION,
        },
    )


@login_required
def partnership_filings(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The filings of a partnership's ATS by year: the coordinator sees every member's, a referent its own ATS's."""
    partnership = get_partnership_for_user(request.user, code)
    scope = scope_for(request.user)
    ambiti = [ambito for ambito in owner_ambiti(partnership) if scope.can_see_ambito(ambito.pk)]
    this_year = clock.today().year
    years = set(Plan.objects.filter(partnership=partnership).values_list("year", flat=True)) | {this_year}
    years |= {year for _ambito, year in filings_by_ambito([a.pk for a in ambiti], range(FIRST_YEAR, this_year + 2))}
    shown = sorted(years, reverse=True)[:YEARS_SHOWN]
    filings = filings_by_ambito([ambito.pk for ambito in ambiti], shown)
    return render(
        request,
        "planning/partnership_filings.html",
        {
            "partnership": partnership,
            "years": [(year, multifondo_deadline(year)) for year in shown],
            "rows": [(ambito, [(year, filings.get((ambito.pk, year))) for year in shown]) for ambito in ambiti],
            "no_deadline": NO_DEADLINE,
            "active_section": SECTION,
        },
    )

"""One ATS's census: the list of positions (or aggregates), its workflow, positions and exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts import refusals
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import scope_for
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.census import reminders, reopening
from supervisione.census.access import (
    can_edit_census,
    can_review,
    can_see_people,
    can_submit,
    get_campaign_for_user,
    get_census_for_user,
    get_position_for_user,
    require_people,
)
from supervisione.census.actions import (
    CensusStateError,
    delete_position,
    return_census,
    save_position,
    submit_census,
    validate_census,
)
from supervisione.census.exports import XLSX_CONTENT_TYPE, census_csv, census_xlsx, template_xlsx
from supervisione.census.forms import PositionForm, ReopenRequestForm, ReturnForm
from supervisione.census.invitations import account_states
from supervisione.census.models import Census, CensusStatus, Position
from supervisione.census.queries import census_equipes, census_positions, census_summary
from supervisione.lib import clock
from supervisione.lib.downloads import download

POSITIONS_PER_PAGE = 100


@login_required
def census_detail(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code)
    scope = scope_for(request.user)
    sees_people = can_see_people(scope, census.ambito_id)
    page = Paginator(census_positions(census) if sees_people else Position.objects.none(), POSITIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    summary = census_summary(census)
    positions = list(page.object_list)
    accounts = account_states([position.person for position in positions], clock.now()) if sees_people else {}
    for position in positions:
        position.account = accounts.get(position.person_id)  # type: ignore[attr-defined]  # for the template only
    context = {
        "census": census,
        "campaign": census.campaign,
        "sees_people": sees_people,
        "page_obj": page,
        "positions": positions,
        "summary": summary,
        "totals": {
            "people": sum(line.people for line in summary),
            "positions": sum(line.positions for line in summary),
            "fte": sum(line.fte for line in summary),
        },
        "equipes": census_equipes(census) if sees_people else [],
        "can_edit": can_edit_census(scope, census),
        "can_submit": can_submit(scope, census),
        "can_review": can_review(scope, census),
        "late": census.is_late(clock.today()),
        "can_ask_reopen": census.status == CensusStatus.VALIDATED and census.ambito_id in scope.referent_ambito_ids,
        "reopen_form": ReopenRequestForm(),
        "reopen_request": reopening.pending_requests([census]).get(census.pk),
        "history": history_for(census) if sees_people else [],
        "imports": census.import_jobs.all()[:5] if sees_people else [],
        "active_section": "census",
    }
    return render(request, "census/census_detail.html", context)


def _transition(request: AuthenticatedHttpRequest, census: Census, action: str) -> HttpResponse:
    user = request.user
    try:
        if action == "submit":
            submit_census(census, by=user)
            messages.success(request, "Censimento trasmesso al coordinatore: ora è in sola lettura.")
        else:
            validate_census(census, by=user)
            messages.success(request, f"Censimento di {census.ambito.name} validato.")
    except CensusStateError as error:
        messages.error(request, str(error))
    return redirect(census)


def _not_reviewer(census: Census) -> refusals.Refused:
    return refusals.Refused(
        f"Il censimento di {census.ambito.name} lo validano e lo sollecitano i coordinatori del partenariato che ha "
        "aperto la campagna: chi lo compila lo trasmette a loro.",
        forward_url=census.get_absolute_url(),
        forward_label="Torna al censimento",
    )


@login_required
@require_POST
def census_submit(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code)
    scope = scope_for(request.user)
    if not scope.can_edit_ambito(census.ambito_id):
        raise refusals.read_only(scope, census.ambito.name)
    return _transition(request, census, "submit")


@login_required
@require_POST
def census_validate(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code)
    if not can_review(scope_for(request.user), census):
        raise _not_reviewer(census)
    return _transition(request, census, "validate")


@login_required
@require_POST
def census_remind(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """The coordinator's "Sollecita": an e-mail to whoever answers for the ATS's census, recorded."""
    census = get_census_for_user(request.user, pk, code)
    if not can_review(scope_for(request.user), census):
        raise _not_reviewer(census)
    link = request.build_absolute_uri(census.get_absolute_url())
    try:
        addresses = reminders.remind(census, by=request.user, link=link)
    except reminders.ReminderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sollecito inviato a {census.ambito.name}: {', '.join(addresses)}.")
    return redirect(census.campaign.get_absolute_url())


@login_required
@require_POST
def census_ask_reopen(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """The referent of the ATS asks the coordinators to reopen its validated census: an e-mail, recorded."""
    census = get_census_for_user(request.user, pk, code)
    scope = scope_for(request.user)
    if not (scope.is_admin or census.ambito_id in scope.referent_ambito_ids):
        raise refusals.Refused(
            f"Solo il referente di {census.ambito.name} può chiedere di riaprirne il censimento.",
            forward_url=census.get_absolute_url(),
            forward_label="Torna al censimento",
        )
    form = ReopenRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("note", [])))
        return redirect(census)
    link = request.build_absolute_uri(census.get_absolute_url())
    try:
        addresses = reopening.ask_to_reopen(census, by=request.user, note=form.cleaned_data["note"], link=link)
    except reopening.ReopenError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Richiesta di riapertura inviata al coordinatore: {', '.join(addresses)}.")
    return redirect(census)


@login_required
def census_return(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code)
    if not can_review(scope_for(request.user), census):
        raise _not_reviewer(census)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return_census(census, form.cleaned_data["reason"], by=request.user)
        except CensusStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Censimento restituito a {census.ambito.name} per le correzioni.")
        return redirect(census)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Restituisci il censimento di {census.ambito.name}",
            "intro": "Il censimento torna modificabile dal referente dell'ATS, che vede il motivo.",
            "cancel_url": census.get_absolute_url(),
            "active_section": "census",
        },
    )


def _position_page(request: AuthenticatedHttpRequest, census: Census, position: Position | None) -> HttpResponse:
    form = PositionForm(request.POST or None, census=census, position=position)
    if request.method == "POST" and form.is_valid():
        person = form.person()
        try:
            save_position(
                census,
                person,
                form.filled_position(),
                municipalities=form.cleaned_data["municipalities"],
                equipe_name=form.cleaned_data["equipe_name"],
                by=request.user,
            )
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, f"Posizione di {person} salvata.")
            return redirect(census)
    title = f"Modifica la posizione di {position.person}" if position else f"Nuova posizione - {census.ambito.name}"
    return render(
        request,
        "census/position_form.html",
        {
            "form": form,
            "title": title,
            "census": census,
            "position": position,
            "history": history_for(position) if position else [],
            "active_section": "census",
        },
    )


@login_required
def position_create(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code, write=True)
    return _position_page(request, census, None)


@login_required
def position_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request.user, pk, write=request.method == "POST")
    census = position.census
    if request.method != "POST" and not can_edit_census(scope_for(request.user), census):
        # Read-only view of a position in a submitted or validated census.
        return render(
            request,
            "census/position_detail.html",
            {"position": position, "census": census, "history": history_for(position), "active_section": "census"},
        )
    return _position_page(request, census, position)


@login_required
@require_POST
def position_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request.user, pk, write=True)
    census = position.census
    delete_position(position, by=request.user)
    messages.success(request, f"Posizione di {position.person} tolta dal censimento.")
    return redirect(census)


FORMATS = {"xlsx": (XLSX_CONTENT_TYPE, census_xlsx), "csv": ("text/csv; charset=utf-8", census_csv)}


@login_required
def census_export(request: AuthenticatedHttpRequest, pk: int, code: str, fmt: str) -> HttpResponseBase:
    census = get_census_for_user(request.user, pk, code)
    require_people(request.user, census)
    if fmt not in FORMATS:
        raise Http404
    content_type, render_file = FORMATS[fmt]
    content = render_file(census_positions(census))
    date = f"{census.campaign.reference_date:%Y%m%d}"
    return download(content, filename=f"censimento-{census.ambito.code}-{date}.{fmt}", content_type=content_type)


@login_required
def campaign_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The census of the whole partnership: only for those who see the people of every member ATS."""
    campaign = get_campaign_for_user(request.user, pk)
    scope = scope_for(request.user)
    if fmt not in FORMATS:
        raise Http404
    censuses = list(Census.objects.filter(campaign=campaign))
    if not all(can_see_people(scope, census.ambito_id) for census in censuses):
        raise refusals.Refused(
            "Il censimento dell'intero partenariato riporta i nomi degli operatori di ogni ATS: lo scaricano i "
            "coordinatori del partenariato. Dalla pagina di ogni censimento scarichi quello del tuo ATS.",
            forward_url=campaign.get_absolute_url(),
            forward_label="Torna alla campagna",
        )
    positions = (
        Position.objects.filter(census__campaign=campaign)
        .select_related("person", "person__albo_region", "employer", "equipe", "census__ambito")
        .prefetch_related("municipalities")
        .order_by("census__ambito__name", "person__surname", "person__name", "pk")
    )
    content_type, render_file = FORMATS[fmt]
    content = render_file(positions, with_ambito=True)
    return download(
        content,
        filename=f"censimento-{campaign.partnership.code}-{campaign.reference_date:%Y%m%d}.{fmt}",
        content_type=content_type,
    )


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not scope_for(request.user).sees_people:
        raise refusals.Refused(
            "Il modello del censimento serve a chi censisce gli operatori: i referenti degli ATS e i coordinatori "
            "del partenariato."
        )
    return download(template_xlsx(), filename="modello-censimento-allegato-2.xlsx", content_type=XLSX_CONTENT_TYPE)

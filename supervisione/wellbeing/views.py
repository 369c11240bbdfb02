"""Pages of questionnaire waves: list, create, invite and remind with the live response rate, close, the
questionnaire from the personal link (no login), and the results of a unit with the tenant's table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.lib.exports import csv_bytes
from supervisione.lib.italian import counted, plural
from supervisione.planning.models import PlanMember
from supervisione.territory.models import Ambito, Partnership
from supervisione.wellbeing import actions, charts, results
from supervisione.wellbeing.access import (
    can_create,
    can_manage,
    get_wave_for_user,
    sees_regional_aggregate,
    visible_waves,
)
from supervisione.wellbeing.exports import table_rows
from supervisione.wellbeing.forms import InviteForm, QuestionnaireForm, WaveForm
from supervisione.wellbeing.hours import hours_by_waves
from supervisione.wellbeing.models import Comment, Wave

SECTION = "wellbeing"


@login_required
def wave_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    waves = visible_waves(request.user).annotate(
        invited=Count("invitations"), answered=Count("invitations", filter=Q(invitations__answered=True))
    )
    creatable: list[tuple[str, str]] = []
    objectives: list[tuple[str, str]] = []  # (tenant, url) of the burn-out objectives the user reads
    if can_create(scope):
        partnerships = Partnership.objects.order_by("name")
        if scope.editable_partnership_ids is not None:
            partnerships = partnerships.filter(pk__in=scope.editable_partnership_ids)
        ambiti = Ambito.objects.order_by("name")
        if scope.editable_ambito_ids is not None:
            ambiti = ambiti.filter(pk__in=scope.editable_ambito_ids)
        creatable += [(p.name, reverse("wellbeing:wave_create_partnership", args=[p.code])) for p in partnerships]
        creatable += [(a.name, reverse("wellbeing:wave_create_ambito", args=[a.code])) for a in ambiti]
        objectives += [(p.name, reverse("wellbeing:objectives_partnership", args=[p.code])) for p in partnerships]
        objectives += [(a.name, reverse("wellbeing:objectives_ambito", args=[a.code])) for a in ambiti]
    elif scope.supervisor_partnership_ids:
        supervised = Partnership.objects.filter(pk__in=scope.supervisor_partnership_ids).order_by("name")
        objectives += [(p.name, reverse("wellbeing:objectives_partnership", args=[p.code])) for p in supervised]
    return render(
        request,
        "wellbeing/wave_list.html",
        {
            "waves": waves.order_by("-opens_on", "pk"),
            "creatable": creatable,
            "objectives": objectives,
            "active_section": SECTION,
        },
    )


@login_required
def wave_create_partnership(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _wave_form(request, Wave(partnership=get_partnership_for_user(request.user, code, write=True)))


@login_required
def wave_create_ambito(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return _wave_form(request, Wave(ambito=get_ambito_for_user(request.user, code, write=True)))


def _wave_form(request: AuthenticatedHttpRequest, wave: Wave) -> HttpResponse:
    form = WaveForm(request.POST or None, instance=wave)
    if request.method == "POST" and form.is_valid():
        created = actions.create_wave(form.instance, by=request.user)
        messages.success(request, "Rilevazione creata: ora invita chi deve rispondere.")
        return redirect(created)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Nuova rilevazione: {wave.tenant.name}",
            "intro": "Un questionario anonimo per un gruppo, un'équipe o tutto l'ente, aperto tra due date.",
            "cancel_url": reverse("wellbeing:wave_list"),
            "active_section": SECTION,
        },
    )


def _participation(wave: Wave) -> dict[str, int]:
    if wave.closed:
        return {"invited": wave.invited_count, "answered": wave.answered_count}
    counts = wave.invitations.aggregate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
    return {"invited": counts["invited"], "answered": counts["answered"]}


def _suggested_addresses(wave: Wave) -> str:
    if wave.group_id is None:
        return ""
    people = PlanMember.objects.filter(group_id=wave.group_id).exclude(person__email="")
    return "\n".join(sorted(set(people.values_list("person__email", flat=True))))


@login_required
def wave_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = get_wave_for_user(request.user, pk)
    manage = can_manage(request.user, wave)
    return render(
        request,
        "wellbeing/wave_detail.html",
        {
            "wave": wave,
            "instrument": wave.instrument,
            "manage": manage,
            "open": wave.is_open_on(clock.today()),
            "participation": _participation(wave),
            "invite_form": InviteForm(initial={"addresses": _suggested_addresses(wave)}) if manage else None,
            "history": history_for(wave) if manage else [],
            "active_section": SECTION,
        },
    )


@login_required
def wave_participation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The response rate, polled by the wave page while the wave is open."""
    wave = get_wave_for_user(request.user, pk)
    return render(
        request,
        "wellbeing/wave_participation.html",
        {"wave": wave, "participation": _participation(wave), "open": wave.is_open_on(clock.today())},
    )


@login_required
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = get_wave_for_user(request.user, pk, write=True)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.invite(
                wave, form.cleaned_data["addresses"], by=request.user, absolute=request.build_absolute_uri
            )
        except actions.WellbeingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Inviti inviati a {counted(len(made), 'persona', 'persone')}.")
            return redirect(wave)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Invita a rispondere: {wave}",
            "submit_label": "Invia gli inviti",
            "cancel_url": wave.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def remind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = get_wave_for_user(request.user, pk, write=True)
    try:
        sent = actions.remind(wave, by=request.user, absolute=request.build_absolute_uri)
    except actions.WellbeingError as error:
        messages.error(request, str(error))
    else:
        waiting = plural(sent, "che non ha ancora risposto", "che non hanno ancora risposto")
        messages.success(request, f"Sollecito inviato a {counted(sent, 'persona', 'persone')} {waiting}.")
    return redirect(wave)


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    wave = get_wave_for_user(request.user, pk, write=True)
    try:
        actions.close_wave(wave, by=request.user)
    except actions.WellbeingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Rilevazione chiusa: gli inviti sono stati cancellati, le risposte restano anonime.")
    return redirect(wave)


@login_required
def unit_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The trend of the wave's unit from baseline to follow-ups, beside the hours received, and the tenant's table
    of every unit, each cell shown only as the suppression allows."""
    wave = get_wave_for_user(request.user, pk)
    waves = results.tenant_waves(wave)
    table = results.tenant_table(waves)
    row = table.row(wave.group_id)
    unit_waves = sorted((w for w in waves if w.group_id == wave.group_id), key=lambda one: one.round)
    hours = hours_by_waves(unit_waves)
    trend = [
        {"label": label, "cell": cell, "hours": [hours[w.pk] for w in cell.waves]}
        for label, cell in zip(table.round_labels, row, strict=True)
    ]
    return render(
        request,
        "wellbeing/results.html",
        {
            "wave": wave,
            "table": table,
            "trend": trend,
            "comments": _comments_for_supervisor(request, wave, table, row),
            "chart": charts.trend_chart(table, row),
            "active_section": SECTION,
        },
    )


@login_required
def observatory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The CBI results of every partnership and ATS of the observer's region (or of the country), pooled per
    tenant and round, with the suppression of the tenants' own tables carried over: no units, no names of people."""
    scope = scope_for(request.user)
    if not sees_regional_aggregate(scope):
        raise Http404
    waves = Wave.objects.filter(instrument_key="cbi-it", closed=True).select_related(
        "partnership", "ambito", "group", "group__plan"
    )
    if scope.visible_ambito_ids is not None:
        waves = waves.filter(
            Q(ambito_id__in=scope.visible_ambito_ids) | Q(partnership_id__in=scope.visible_partnership_ids or ())
        )
    return render(
        request,
        "wellbeing/observatory.html",
        {"table": results.aggregate_table(list(waves)), "active_section": SECTION},
    )


@login_required
def results_csv(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The tenant's table of the wave's series as CSV, hidden as on the page."""
    wave = get_wave_for_user(request.user, pk)
    table = results.tenant_table(results.tenant_waves(wave))
    name = f"benessere-{wave.tenant.code}-{wave.year}-{wave.instrument_key}.csv"
    return download(csv_bytes(table_rows(table)), filename=name, content_type="text/csv; charset=utf-8")


def _comments_for_supervisor(
    request: AuthenticatedHttpRequest, wave: Wave, table: results.Table, row: list[results.Cell]
) -> list[tuple[str, list[str]]]:
    """The free texts of the unit's closed waves, for the unit's own supervisor only and only for waves with at
    least k answers (a free text may say who wrote it; the coordinator never reads them)."""
    group = wave.group
    if group is None or group.supervisor is None or group.supervisor.user_id != request.user.pk:
        return []
    shown = {
        w.pk: label
        for label, cell in zip(table.round_labels, row, strict=True)
        for w in cell.waves
        if cell.n >= table.k
    }
    texts: dict[int, list[str]] = {pk: [] for pk in shown}
    for wave_id, text in Comment.objects.filter(wave_id__in=shown).values_list("wave_id", "text"):
        texts[wave_id].append(text)
    return [(shown[pk], sorted(found)) for pk, found in texts.items() if found]


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire from the personal link: no login; nothing of the request is stored with the answer."""
    invitation = actions.find_invitation(token)
    if invitation is None:
        raise Http404
    wave = invitation.wave
    instrument = wave.instrument
    form = QuestionnaireForm(request.POST if request.method == "POST" else None, instrument=instrument)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_answer(token, form.values(), form.cleaned_data.get("comment", ""))
        except actions.WellbeingError as refused:
            error = str(refused)
        else:
            return render(request, "wellbeing/answer_done.html", {"wave": wave})
    return render(
        request, "wellbeing/answer.html", {"wave": wave, "instrument": instrument, "form": form, "error": error}
    )

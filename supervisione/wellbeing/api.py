"""The wellbeing results as JSON: the tenant's table of a wave's series (every unit by round, the column totals
and the year's objectives) and the observers' aggregate. The same tables as the pages (``results.tenant_table``,
``results.aggregate_table``) written by the same lines as the CSV (``exports.cell_lines``): a hidden cell carries
no figure and no count, only why it is not shown. Authorised as the pages: ``access.get_wave_for_user`` (404 to
whoever may not read the wave) and ``access.sees_regional_aggregate``. Session log-in, like every page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import scope_for
from supervisione.lib import clock
from supervisione.wellbeing import results
from supervisione.wellbeing.access import get_wave_for_user, sees_regional_aggregate
from supervisione.wellbeing.exports import cell_lines
from supervisione.wellbeing.models import Wave
from supervisione.wellbeing.objectives import assess_all, objectives_of

CBI = "cbi-it"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _cell(label: str, cell: results.Cell, k: int) -> dict[str, Any]:
    lines = cell_lines("", label, cell, k)
    return {
        "rilevazione": label,
        "mostrata": not cell.hidden,
        "nota": lines[0].note if cell.hidden else "",
        "scale": [
            {
                "scala": line.scale,
                "risposte": line.n,
                "media": _number(line.mean),
                "ic95": None if line.low is None else [_number(line.low), _number(line.high)],
                "quota_alla_soglia_o_piu": _number(line.share),
                "nota": line.note,
            }
            for line in lines
        ],
    }


def _instrument(table: results.Table | results.Aggregate) -> dict[str, Any]:
    instrument = table.instrument
    return {"chiave": instrument.key, "versione": instrument.version, "titolo": instrument.title}


@login_required
def wave_results(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The tenant's table of the wave's series, with the year's objectives for a CBI wave."""
    wave = get_wave_for_user(request.user, pk)
    table = results.tenant_table(results.tenant_waves(wave))
    labels = table.round_labels
    objectives = []
    if wave.instrument_key == CBI:
        own = [one for one in objectives_of(wave.partnership_id, wave.ambito_id) if one.year == wave.year]
        objectives = [
            {
                "obiettivo": found.objective.title,
                "fonte": found.objective.source,
                "indicatore": found.indicator,
                "scala": found.scale,
                "rilevazione_iniziale": _number(found.baseline),
                "ultimo_follow_up": _number(found.last),
                "ultimo_follow_up_etichetta": found.last_label,
                "esito": found.label,
                "nota": found.reason,
            }
            for found in assess_all(own, {wave.year: table}, today=clock.today())
        ]
    data = {
        "ente": wave.tenant.name,
        "anno": wave.year,
        "questionario": _instrument(table),
        "validato": table.instrument.validated,
        "soglia_minima_risposte": table.k,
        "rilevazioni": labels,
        "unita": [
            {"nome": unit.name, "celle": [_cell(label, cell, table.k) for label, cell in zip(labels, row, strict=True)]}
            for unit, row in zip(table.units, table.cells, strict=True)
        ],
        "tutte_le_unita": [_cell(label, cell, table.k) for label, cell in zip(labels, table.totals, strict=True)],
        "obiettivi": objectives,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
def observatory_results(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The observers' aggregate: each partnership or ATS per year pooled, per round, hidden as on the page."""
    scope = scope_for(request.user)
    if not sees_regional_aggregate(scope):
        raise Http404
    waves = Wave.objects.filter(instrument_key=CBI, closed=True).select_related(
        "partnership", "ambito", "group", "group__plan"
    )
    if scope.visible_ambito_ids is not None:
        waves = waves.filter(
            Q(ambito_id__in=scope.visible_ambito_ids) | Q(partnership_id__in=scope.visible_partnership_ids or ())
        )
    table = results.aggregate_table(list(waves))
    if table is None:
        return JsonResponse({"enti": [], "rilevazioni": [], "tutti": []})
    labels = table.round_labels
    data = {
        "questionario": _instrument(table),
        "soglia_minima_risposte": table.k,
        "rilevazioni": labels,
        "enti": [
            {"nome": name, "celle": [_cell(label, cell, table.k) for label, cell in zip(labels, row, strict=True)]}
            for name, row in zip(table.names, table.cells, strict=True)
        ],
        "tutti": [_cell(label, cell, table.k) for label, cell in zip(labels, table.totals, strict=True)],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})

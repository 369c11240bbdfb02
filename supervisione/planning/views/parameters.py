"""The LEPS parameters: everyone may read the rules in force; administrators set new ones from a future date."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.leps.parameters import DEFAULT_RULES, rules_at
from supervisione.lib import clock
from supervisione.lib.italian import number_text
from supervisione.planning.forms import RuleSetForm
from supervisione.planning.models import RULE_FIELDS, RuleSet
from supervisione.planning.parameters import rule_set_at


def _shown(name: str, value: object) -> str:
    """A parameter as the page writes it: the label of a choice, numbers in Italian, no FTE rounding in words."""
    field = RuleSet._meta.get_field(name)
    choices = dict(getattr(field, "choices", None) or ())
    if choices:
        return str(choices.get(str(value), value))
    if value is None:
        return "nessuno: FTE esatti"
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return number_text(value)
    return str(value)


@login_required
def parameters(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = clock.today()
    rule_sets = list(RuleSet.objects.all())
    labels = {name: str(getattr(RuleSet._meta.get_field(name), "verbose_name", name)) for name in RULE_FIELDS}
    in_force = rules_at(today)
    rows = [
        {
            "label": labels[name],
            "default": _shown(name, getattr(DEFAULT_RULES, name)),
            "current": _shown(name, getattr(in_force, name)),
            "changed": getattr(in_force, name) != getattr(DEFAULT_RULES, name),
        }
        for name in RULE_FIELDS
    ]
    context = {
        "rows": rows,
        "current": rule_set_at(today),
        "rule_sets": rule_sets,
        "today": today,
        "active_section": "rules",
    }
    return render(request, "planning/parameters.html", context)


@admin_required
def parameters_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = clock.today()
    current = rule_set_at(today)
    initial = model_to_dict(current, fields=list(RULE_FIELDS)) if current else {}
    initial["valid_from"] = datetime.date(today.year + 1, 1, 1)
    form = RuleSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        save_audited(form.instance, by=request.user)
        messages.success(request, f"Nuovi parametri LEPS in vigore dal {form.instance.valid_from:%d/%m/%Y}.")
        return redirect("planning:parameters")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Nuovi parametri LEPS",
            "intro": "I valori proposti sono quelli in vigore oggi. Valgono dalla data indicata fino ai parametri "
            "successivi; i calcoli sugli anni precedenti non cambiano.",
            "cancel_url": "/regole-leps/",
            "active_section": "rules",
        },
    )


@admin_required
def parameters_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if rule_set.valid_from <= clock.today():
        raise Refused(
            f"I parametri in vigore dal {rule_set.valid_from:%d/%m/%Y} non si modificano più: i calcoli già fatti "
            "ne dipendono. Per cambiarli, aggiungi parametri validi da una data futura.",
            forward_url="/regole-leps/",
            forward_label="Torna alle regole LEPS",
        )
    form = RuleSetForm(request.POST or None, instance=rule_set)
    if request.method == "POST" and form.is_valid():
        try:
            save_audited(form.instance, by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Parametri salvati.")
            return redirect("planning:parameters")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": str(rule_set),
            "cancel_url": "/regole-leps/",
            "history": history_for(rule_set),
            "active_section": "rules",
        },
    )

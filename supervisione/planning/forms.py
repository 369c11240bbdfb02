from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from supervisione.forms import DateInput, DecimalField
from supervisione.planning.models import RULE_FIELDS, RuleSet


class RuleSetForm(forms.ModelForm[RuleSet]):
    class Meta:
        model = RuleSet
        fields = ["valid_from", *RULE_FIELDS, "note"]
        widgets = {"valid_from": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        field_classes = dict.fromkeys(
            (
                "a1_min_hours_per_group",
                "a2_pool_hours_per_a1_group",
                "a3_min_hours_per_equipe",
                "attendance_threshold",
                "full_time_hours",
                "contribution_band1_eur",
                "contribution_band2_eur",
            ),
            DecimalField,
        )

    def clean_valid_from(self) -> datetime.date:
        valid_from: datetime.date = self.cleaned_data["valid_from"]
        if valid_from <= timezone.localdate() and (
            self.instance._state.adding or self.instance.valid_from != valid_from
        ):
            raise forms.ValidationError(
                "I nuovi parametri valgono da una data futura: i calcoli già fatti sul passato non cambiano."
            )
        return valid_from

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        target, leps, floor = (
            cleaned.get("target_inhabitants_per_as"),
            cleaned.get("leps_inhabitants_per_as"),
            cleaned.get("floor_inhabitants_per_as"),
        )
        if target and leps and floor and not target <= leps <= floor:
            raise forms.ValidationError(
                "Le soglie devono essere ordinate: obiettivo (es. 4.000) ≤ LEPS (es. 5.000) ≤ soglia del contributo "
                "(es. 6.500) abitanti per assistente sociale."
            )
        return cleaned

"""The hand-over form: one contract's items after the end of a PNRR project, where to charge them, and why."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from supervisione.forms import label_choices
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.territory.models import FundingMeasure

CANCEL = "cancel"


class HandOverForm(forms.Form):
    contract = forms.TypedChoiceField(label="Contratto", coerce=int)
    sessions_to = forms.ChoiceField(
        label="Incontri dopo la fine",
        required=False,
        help_text="La quota FNPS dell'ATS o un'altra fonte del contratto; oppure annulla gli incontri non svolti.",
    )
    costs_to = forms.ModelChoiceField(
        label="Ore dei gruppi dopo la fine",
        queryset=ContractFunding.objects.none(),
        required=False,
        help_text="La fonte che paga le ore dei gruppi dopo la fine del progetto.",
    )
    reason = forms.CharField(
        label="Motivo",
        max_length=200,
        help_text="Resta nel registro delle modifiche di ogni incontro e gruppo (es. delibera, nota della Regione).",
    )

    def __init__(self, *args: Any, contracts: list[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contracts = {contract.pk: contract for contract in contracts}
        contract_field = cast("forms.ChoiceField", self.fields["contract"])
        sessions_field = cast("forms.ChoiceField", self.fields["sessions_to"])
        costs_field = cast("forms.ModelChoiceField[ContractFunding]", self.fields["costs_to"])
        contract_field.choices = [(contract.pk, str(contract)) for contract in contracts]
        rows = (
            ContractFunding.objects.filter(contract__in=contracts)
            .exclude(measure=FundingMeasure.PNRR_114)
            .select_related("contract", "ambito")
            .order_by("contract__title", "measure", "year", "pk")
        )
        self.rows = {row.pk: row for row in rows}
        many = len(contracts) > 1
        labels = [(str(row.pk), f"{row} - {row.contract.title}" if many else str(row)) for row in rows]
        sessions_field.choices = [
            ("", "Scegli…"),
            *labels,
            (CANCEL, "Annulla gli incontri non ancora svolti"),
        ]
        costs_field.queryset = rows
        label_choices(costs_field, lambda row: f"{row} - {row.contract.title}" if many else str(row))

    def clean_sessions_to(self) -> str:
        value: str = self.cleaned_data.get("sessions_to") or ""
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        contract = self.contracts.get(cleaned.get("contract") or 0)
        if contract is None:
            return cleaned
        choice = cleaned.get("sessions_to") or ""
        target = self.rows.get(int(choice)) if choice.isdigit() else None
        if target is not None and target.contract_id != contract.pk:
            self.add_error("sessions_to", "Scegli una fonte del contratto indicato.")
        costs: ContractFunding | None = cleaned.get("costs_to")
        if costs is not None and costs.contract_id != contract.pk:
            self.add_error("costs_to", "Scegli una fonte del contratto indicato.")
        cleaned["contract_object"] = contract
        cleaned["sessions_target"] = target
        cleaned["cancel_sessions"] = choice == CANCEL
        return cleaned

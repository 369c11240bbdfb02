"""Forms of the FNPS allocations, the ledger's acts, the import and the co-financing what-if. Every rule a user
can break gets an Italian message; the ledger's arithmetic is ``funding.ledger``, asked through the actions'
checks so that a form and an import refuse with the same words."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from supervisione.audit.forms import VersionedForm
from supervisione.forms import DateInput, DecimalField
from supervisione.funding import actions
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.funding.queries import contracts_of, plans_of
from supervisione.lib.italian import euro_text
from supervisione.lib.uploads import CheckedUpload, check_upload
from supervisione.planning.models import Plan
from supervisione.procurement.models import Contract
from supervisione.territory.models import Ambito

# An act's date: anything outside is a typing error.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
# Allocations span at most the three years of a Piano di Zona.
MOST_YEARS = 3
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class AllocationForm(VersionedForm, forms.ModelForm[FnpsAllocation]):
    class Meta:
        model = FnpsAllocation
        fields = [
            "first_year",
            "last_year",
            "amount",
            "fnps_total",
            "decree_number",
            "decree_date",
            "plan_row",
            "spend_from",
            "spend_until",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "decree_date": DateInput()}
        field_classes = {"amount": DecimalField, "fnps_total": DecimalField}

    def __init__(self, *args: Any, ambito: Ambito, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.ambito = ambito

    def clean_decree_date(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("decree_date")
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(f"Indica una data tra il {FIRST_DAY:%d/%m/%Y} e il {LAST_DAY:%d/%m/%Y}.")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        amount, total = cleaned.get("amount"), cleaned.get("fnps_total")
        spend_from, spend_until = cleaned.get("spend_from"), cleaned.get("spend_until")
        if first and last:
            if last < first:
                self.add_error("last_year", "L'ultima annualità non può precedere la prima.")
            elif last - first + 1 > MOST_YEARS:
                self.add_error(
                    "last_year",
                    f"Uno stanziamento copre al massimo {MOST_YEARS} annualità (un Piano di Zona): registra a parte "
                    "le altre.",
                )
        if amount and total and total < amount:
            self.add_error("fnps_total", "Il riparto FNPS dell'ATS non può essere inferiore alla quota.")
        if spend_from and spend_until and spend_until < spend_from:
            self.add_error("spend_until", "L'ultimo anno in cui spendere non può precedere il primo.")
        if first and spend_until and spend_until < first:
            self.add_error("spend_until", "Lo stanziamento non può essere spendibile solo prima della sua annualità.")
        return cleaned

    def full_clean(self) -> None:
        # After the instance has the values typed (construct_instance, in _post_clean): the checks read the
        # allocation as it would be saved.
        super().full_clean()
        if self.is_bound and not self.errors:
            for problem in actions.allocation_problems(self.instance):
                self.add_error(None, problem)


class PlanChoiceField(forms.ModelChoiceField[Plan]):
    def label_from_instance(self, obj: Plan) -> str:
        return f"POA {obj.year} di {obj.tenant.name}, versione {obj.version} ({obj.get_status_display().lower()})"


class ParentChoiceField(forms.ModelChoiceField[LedgerEntry]):
    def label_from_instance(self, obj: LedgerEntry) -> str:
        return f"{obj}: {euro_text(obj.amount)}"


class EntryForm(VersionedForm, forms.ModelForm[LedgerEntry]):
    """An act of one stage on one allocation: programming (from a POA), a commitment (to a contract), a
    liquidation (of a commitment), a payment (of a liquidation)."""

    FIELDS = {
        Stage.PROGRAMMED: ["amount", "date", "plan", "act_number", "note"],
        Stage.COMMITTED: ["act_number", "date", "amount", "contract", "note"],
        Stage.LIQUIDATED: ["parent", "act_number", "date", "amount", "note"],
        Stage.PAID: ["parent", "act_number", "date", "amount", "note"],
    }
    LABELS = {
        Stage.PROGRAMMED: {"act_number": "Atto di approvazione del POA (facoltativo)", "date": "Data"},
        Stage.COMMITTED: {"act_number": "Numero della determina di impegno", "date": "Data dell'impegno"},
        Stage.LIQUIDATED: {
            "act_number": "Numero dell'atto di liquidazione",
            "date": "Data della liquidazione",
            "parent": "Impegno che liquida",
        },
        Stage.PAID: {
            "act_number": "Numero del mandato di pagamento",
            "date": "Data del mandato",
            "parent": "Liquidazione che paga",
        },
    }

    class Meta:
        model = LedgerEntry
        fields = ["parent", "act_number", "date", "amount", "contract", "plan", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "date": DateInput()}
        field_classes = {"amount": DecimalField, "plan": PlanChoiceField, "parent": ParentChoiceField}

    def __init__(self, *args: Any, allocation: FnpsAllocation, stage: Stage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entry = self.instance
        entry.allocation = allocation
        entry.ambito_id = allocation.ambito_id
        entry.stage = stage
        wanted = self.FIELDS[stage]
        for name in [name for name in self.fields if name not in wanted and name != "lock_version"]:
            del self.fields[name]
        self.order_fields(wanted)
        for name, label in self.LABELS[stage].items():
            self.fields[name].label = label
        ambito = allocation.ambito
        if "contract" in self.fields:
            field = cast("forms.ModelChoiceField[Contract]", self.fields["contract"])
            field.queryset = contracts_of(ambito)
            field.required = True
            field.help_text = "I contratti dell'ATS e dei partenariati di cui fa parte."
        if "plan" in self.fields:
            plans = cast("forms.ModelChoiceField[Plan]", self.fields["plan"])
            plans.queryset = plans_of(ambito)
            plans.required = True
        if "parent" in self.fields:
            parent_stage = Stage.COMMITTED if stage == Stage.LIQUIDATED else Stage.LIQUIDATED
            parents = cast("forms.ModelChoiceField[LedgerEntry]", self.fields["parent"])
            parents.queryset = LedgerEntry.objects.filter(allocation=allocation, stage=parent_stage).order_by(
                "date", "pk"
            )
            parents.required = True
        if stage in (Stage.COMMITTED, Stage.LIQUIDATED, Stage.PAID):
            self.fields["act_number"].required = True

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(f"Indica una data tra il {FIRST_DAY:%d/%m/%Y} e il {LAST_DAY:%d/%m/%Y}.")
        return day

    def clean_act_number(self) -> str:
        number = " ".join(str(self.cleaned_data.get("act_number") or "").split())
        entry = self.instance
        if number:
            taken = (
                LedgerEntry.objects.filter(ambito_id=entry.ambito_id, stage=entry.stage, act_number=number)
                .exclude(pk=entry.pk)
                .select_related("allocation")
                .first()
            )
            if taken is not None:
                raise ValidationError(
                    f"{taken} è già registrato per questo ATS (stanziamento FNPS {taken.allocation.years_text}): "
                    "modificalo invece di registrarlo di nuovo."
                )
        return number

    def full_clean(self) -> None:
        # After the instance has the values typed (construct_instance, in _post_clean): the ledger is checked as
        # the act would leave it.
        super().full_clean()
        if self.is_bound and not self.errors:
            entry = self.instance
            actions.prepare_entry(entry)
            for problem in actions.entry_problems(entry):
                self.add_error(None, problem)

    def validate_unique(self) -> None:
        """The act's number is checked above with a sentence that names the act; the other constraints hold by
        construction (the actions set the ATS, the contract and the reference)."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File del programma di contabilità (Excel .xlsx o CSV)",
        help_text="Una riga per atto: impegni, liquidazioni e mandati. Scarica il modello per le colonne.",
    )

    def clean_file(self) -> tuple[UploadedFile[bytes], CheckedUpload]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        checked = check_upload(
            upload, name=upload.name or "", size=upload.size or 0, allowed={"xlsx", "csv"}, max_bytes=IMPORT_MAX_BYTES
        )
        return upload, checked


class ConfirmImportForm(forms.Form):
    """The preview's confirmation: the rows as checked, signed by the server (``funding.importing.confirmation``)."""

    rows = forms.CharField(widget=forms.HiddenInput)


class WhatIfForm(forms.Form):
    """GET form of the co-financing what-if: which allocations, and at which rates."""

    quota = forms.ChoiceField(label="Stanziamento FNPS", required=False)
    a1_rate = DecimalField(
        label="Tariffa oraria A1 (EUR)", min_value=Decimal("0.01"), max_value=Decimal(1000), decimal_places=2
    )
    a2_rate = DecimalField(
        label="Tariffa oraria A2 (EUR)", min_value=Decimal("0.01"), max_value=Decimal(1000), decimal_places=2
    )

    def __init__(self, *args: Any, quotas: Sequence[FnpsAllocation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(q.pk), _what_if_choice(q)) for q in quotas]
        if len(quotas) > 1:
            choices.insert(0, ("all", "Tutti gli stanziamenti insieme (l'intero importo)"))
        cast("forms.ChoiceField", self.fields["quota"]).choices = choices


def _what_if_choice(allocation: FnpsAllocation) -> str:
    text = f"{allocation.ambito.name}, FNPS {allocation.years_text}: {euro_text(allocation.amount)}"
    if allocation.years > 1:
        text += f" ({euro_text(allocation.per_year)} l'anno)"
    return text

"""Forms of contracts and procedures. Every rule a user can break gets an Italian message."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from supervisione.audit.forms import VersionedForm
from supervisione.forms import DateInput, DateTimeField, DecimalField, choice_field, model_choice_field
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.fnps import shares_problems
from supervisione.leps.pnrr import LATEST_EXCEPTION, exception_problem
from supervisione.lib.codes import normalise_code
from supervisione.lib.italian import euro_text
from supervisione.procurement.models import (
    STATUSES_WITH_PERIOD,
    STATUSES_WITH_PROVIDER,
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    FundingAgreement,
    TenderDeadline,
)
from supervisione.procurement.payers import overlapping_agreement
from supervisione.supervisors.access import Reach
from supervisione.supervisors.forms import (
    PROVIDER_KINDS,
    DocumentForm,
    add_tenant_field,
    apply_tenant,
    provider_help,
    read_tenants,
    tenant_choices,
)
from supervisione.territory.models import Ambito, FundingMeasure, Organisation, Partnership, PartnershipMember


class DateTimeInput(forms.DateTimeInput):
    """A native date and time picker; Django parses the ISO value it sends in the current time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ContractDocumentForm(DocumentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, kinds=list(ContractDocumentKind), **kwargs)


# --- Contracts --------------------------------------------------------------------------------------------


class ContractForm(VersionedForm, forms.ModelForm[Contract]):
    class Meta:
        model = Contract
        fields = [
            "title",
            "procedure",
            "status",
            "provider",
            "cig",
            "cup",
            "simog_code",
            "mepa_code",
            "amount",
            "start_date",
            "end_date",
            "signed_on",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "signed_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"amount": DecimalField}

    def __init__(self, *args: Any, reach: Reach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_tenant_field(self, reach)
        providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS).order_by("name")
        model_choice_field(self, "provider").queryset = providers
        self.fields["provider"].help_text = provider_help(str(self.fields["provider"].help_text))

    def clean_tenant(self) -> str:
        return apply_tenant(self.instance, self.cleaned_data["tenant"])

    def clean_cig(self) -> str:
        return normalise_code(self.cleaned_data["cig"])

    def clean_cup(self) -> str:
        return normalise_code(self.cleaned_data["cup"])

    def clean_simog_code(self) -> str:
        return normalise_code(self.cleaned_data["simog_code"])

    def clean_mepa_code(self) -> str:
        return normalise_code(self.cleaned_data["mepa_code"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        label = ContractStatus(status).label if status in ContractStatus.values else ""
        if status in STATUSES_WITH_PROVIDER and not cleaned.get("provider"):
            self.add_error("provider", f"Un contratto «{label}» ha un fornitore: indicalo.")
        if status in STATUSES_WITH_PERIOD:
            for name in ("start_date", "end_date"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, f"Un contratto «{label}» ha un periodo: indica inizio e fine.")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La fine del contratto non può precedere l'inizio.")
        return cleaned


class ContractLineForm(VersionedForm, forms.ModelForm[ContractLine]):
    class Meta:
        model = ContractLine
        fields = ["kind", "hourly_rate", "hours", "note"]
        field_classes = {"hourly_rate": DecimalField, "hours": DecimalField}

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        taken = ContractLine.objects.filter(contract=self.instance.contract, kind=kind).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                "Il contratto ha già una riga per %(kind)s: modifica quella.",
                params={"kind": SupervisionTypeChoices(kind).label},
            )
        return kind


def tenant_ambiti(contract: Contract) -> QuerySet[Ambito]:
    """The ATS a contract's funding may come from: the partnership's members (capofila included), or its ATS."""
    if contract.partnership is None:
        return Ambito.objects.filter(pk__in=[contract.ambito_id])
    return partnership_ambiti(contract.partnership)


def partnership_ambiti(partnership: Partnership) -> QuerySet[Ambito]:
    """A partnership's ATS: every member, past ones too (they may have paid in their years), and the capofila."""
    members = PartnershipMember.objects.filter(partnership=partnership).values("ambito_id")
    return Ambito.objects.filter(Q(pk__in=members) | Q(pk=partnership.capofila_id))


class ContractFundingForm(VersionedForm, forms.ModelForm[ContractFunding]):
    class Meta:
        model = ContractFunding
        fields = [
            "measure",
            "amount",
            "year",
            "ambito",
            "cup",
            "activities_end",
            "exception_end",
            "exception_act",
            "target_indicator",
            "target_value",
            "note",
        ]
        field_classes = {"amount": DecimalField}
        widgets = {"activities_end": DateInput(), "exception_end": DateInput()}

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        funding = self.instance
        funding.contract = contract
        payers = model_choice_field(self, "ambito")
        payers.queryset = Ambito.objects.filter(
            Q(pk__in=tenant_ambiti(contract).values("pk")) | Q(pk=funding.ambito_id)
        ).order_by("name")
        if contract.ambito_id is not None and funding.ambito_id is None:
            self.initial["ambito"] = contract.ambito_id
        if funding.payer_to_confirm:
            # The migration named the capofila because the data did not say: the form asks rather than assumes.
            self.initial["ambito"] = None
            payers.help_text = (
                f"Attribuita d'ufficio all'ATS capofila ({funding.ambito.name if funding.ambito else '-'}) "
                "all'aggiornamento del programma: conferma quale ATS paga con la propria quota FNPS."
            )

    def clean_cup(self) -> str:
        return normalise_code(self.cleaned_data["cup"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        contract = self.instance.contract
        measure, amount = cleaned.get("measure"), cleaned.get("amount")
        if measure == FundingMeasure.FNPS and not cleaned.get("ambito") and "ambito" not in self.errors:
            self.add_error(
                "ambito",
                "La quota FNPS è di un ATS: indica quale ATS paga. Paga la supervisione del proprio personale; "
                "per quello degli altri ATS serve un accordo di partenariato con le quote di riparto.",
            )
        if cleaned.get("ambito"):
            self.instance.payer_to_confirm = False
        if measure == FundingMeasure.PNRR_114 and not cleaned.get("cup"):
            if contract.cup:
                cleaned["cup"] = contract.cup
                self.instance.cup = contract.cup
            else:
                self.add_error("cup", "I fondi PNRR si rendicontano per CUP: indicalo.")
        if measure == FundingMeasure.FNPS and not cleaned.get("year"):
            self.add_error("year", "La quota FNPS è riferita a un'annualità: indicala.")
        if measure == FundingMeasure.PNRR_114:
            self._clean_project_end(cleaned, contract)
        else:
            # The end of activities is a PNRR project's: other sources carry none.
            for name in ("activities_end", "exception_end"):
                cleaned[name] = None
                setattr(self.instance, name, None)
            cleaned["exception_act"] = self.instance.exception_act = ""
        if amount is not None and contract.amount is not None:
            others: Decimal = ContractFunding.objects.filter(contract=contract).exclude(pk=self.instance.pk).aggregate(
                total=Sum("amount")
            )["total"] or Decimal(0)
            if others + amount > contract.amount:
                self.add_error(
                    "amount",
                    f"Le fonti di finanziamento arriverebbero a {euro_text(others + amount)}, oltre l'importo del "
                    f"contratto ({euro_text(contract.amount)}): una spesa non può essere finanziata due volte.",
                )
        return cleaned

    def _clean_project_end(self, cleaned: dict[str, Any], contract: Contract) -> None:
        """The exception within its limits, with its act; no PNRR row on a contract that starts after the end."""
        end = cleaned.get("activities_end") or settings.PNRR_ACTIVITIES_END
        exception, act = cleaned.get("exception_end"), cleaned.get("exception_act") or ""
        if "exception_end" in self.errors:
            return
        if problem := exception_problem(end, exception, act):
            act_missing = exception is not None and end < exception <= LATEST_EXCEPTION
            self.add_error("exception_act" if act_missing else "exception_end", problem)
            return
        if contract.start_date is not None and "cup" not in self.errors:
            row = ContractFunding(
                contract=contract,
                measure=FundingMeasure.PNRR_114,
                cup=cleaned.get("cup") or "",
                activities_end=cleaned.get("activities_end"),
                exception_end=exception,
                exception_act=act,
            )
            if problem := row.refusal_after_end("il contratto", [contract.start_date]):
                self.add_error("measure", problem)


class DeadlineForm(forms.ModelForm[TenderDeadline]):
    due_at = DateTimeField(label="Termine (data e ora)", widget=DateTimeInput())

    class Meta:
        model = TenderDeadline
        fields = ["kind", "description", "due_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = DeadlineKind.OFFERS


class PostponeForm(forms.Form):
    new_due_at = DateTimeField(label="Nuovo termine (data e ora)", widget=DateTimeInput())
    reason = forms.CharField(
        label="Motivo della proroga",
        max_length=300,
        help_text="Es. malfunzionamenti della piattaforma MePA.",
        error_messages={"required": "Indica il motivo della proroga: resta agli atti con il nuovo termine."},
    )
    act = forms.CharField(label="Atto o avviso di proroga", max_length=250, required=False)

    def __init__(self, *args: Any, current: datetime.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_new_due_at(self) -> datetime.datetime:
        new: datetime.datetime = self.cleaned_data["new_due_at"]
        if new <= self.current:
            local = timezone.localtime(self.current)
            raise ValidationError(
                "Una proroga sposta il termine più avanti: quello in vigore è il %(when)s.",
                params={"when": f"{local:%d/%m/%Y %H:%M}"},
            )
        return new


class CoDesignTableForm(VersionedForm, forms.ModelForm[CoDesignTable]):
    class Meta:
        model = CoDesignTable
        fields = ["opened_on", "purpose", "proposal_title", "proposer", "proposal_approved_on", "proposal_summary"]
        widgets = {
            "opened_on": DateInput(),
            "proposal_approved_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "proposal_summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS).order_by("name")
        model_choice_field(self, "proposer").queryset = providers

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opened, approved = cleaned.get("opened_on"), cleaned.get("proposal_approved_on")
        if opened and approved and approved < opened:
            self.add_error(
                "proposal_approved_on", "La proposta non può essere approvata prima dell'apertura del tavolo."
            )
        if approved and not cleaned.get("proposal_title"):
            self.add_error("proposal_title", "Indica quale proposta è stata approvata.")
        return cleaned


class CoDesignMemberForm(forms.ModelForm[CoDesignMember]):
    class Meta:
        model = CoDesignMember
        fields = ["ambito", "organisation", "person_name", "role"]

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contract.partnership_id:
            ambiti = Ambito.objects.filter(partnership_memberships__partnership_id=contract.partnership_id)
        else:
            ambiti = Ambito.objects.filter(Q(pk=contract.ambito_id))
        model_choice_field(self, "ambito").queryset = ambiti.order_by("name")
        model_choice_field(self, "organisation").queryset = Organisation.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("ambito") and not cleaned.get("organisation") and "role" not in self.errors:
            raise ValidationError("Indica l'ATS o l'ente che partecipa al tavolo.")
        return cleaned


class ContractFilterForm(forms.Form):
    status = forms.ChoiceField(label="Stato", required=False, choices=[("", "Tutti"), *ContractStatus.choices])
    tenant = forms.ChoiceField(label="Partenariato o ATS", required=False)

    def __init__(self, *args: Any, reach: Reach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "tenant").choices = [
            ("", "Tutti"),
            *tenant_choices(*read_tenants(reach)),
        ]


# --- Agreements on the FNPS quotas -------------------------------------------------------------------------

SHARE_PREFIX = "quota_"


class AgreementForm(VersionedForm, forms.ModelForm[FundingAgreement]):
    """The agreement and, in the same form, each ATS's quota (empty: none); the quotas add up to exactly 100 %."""

    class Meta:
        model = FundingAgreement
        fields = ["contract", "act", "number", "act_date", "valid_from", "valid_to", "note"]
        widgets = {
            "act_date": DateInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.instance
        agreement.partnership = partnership
        contracts = model_choice_field(self, "contract")
        contracts.queryset = Contract.objects.filter(partnership=partnership).order_by("-start_date", "title", "pk")
        contracts.empty_label = "Tutti i contratti del partenariato"
        current = {} if agreement._state.adding else {s.ambito_id: s.percent for s in agreement.shares.all()}
        self.ambiti = list(
            Ambito.objects.filter(
                Q(pk__in=partnership_ambiti(partnership).values("pk")) | Q(pk__in=list(current))
            ).order_by("name")
        )
        for ambito in self.ambiti:
            self.fields[f"{SHARE_PREFIX}{ambito.pk}"] = DecimalField(
                label=f"Quota di {ambito.name} (%)",
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=current.get(ambito.pk),
                help_text="Percentuale della spesa FNPS a carico dell'ATS, con al massimo due decimali; vuota se "
                "l'ATS non partecipa alla ripartizione.",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "La fine della validità non può precedere l'inizio.")
        shares = self.shares
        wrong = [f"{SHARE_PREFIX}{ambito.pk}" for ambito in self.ambiti if f"{SHARE_PREFIX}{ambito.pk}" in self.errors]
        if not wrong:
            for problem in shares_problems(shares, label=lambda ambito: ambito.name):
                self.add_error(None, problem)
        if start and "contract" not in self.errors:
            overlapping = overlapping_agreement(self.instance, cleaned.get("contract"), start, end)
            if overlapping is not None:
                self.add_error(
                    "valid_from",
                    f"Per lo stesso contratto è già in vigore nello stesso periodo l'accordo «{overlapping}» "
                    f"({overlapping.period_text}): modificalo, o chiudine la validità prima di questo.",
                )
        return cleaned

    @property
    def shares(self) -> dict[Ambito, Decimal]:
        """The quotas typed, by ATS (those left empty are none)."""
        data = getattr(self, "cleaned_data", {})
        found: dict[Ambito, Decimal] = {}
        for ambito in self.ambiti:
            value = data.get(f"{SHARE_PREFIX}{ambito.pk}")
            if value is not None:
                found[ambito] = value
        return found

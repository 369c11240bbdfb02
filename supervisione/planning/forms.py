from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms

from supervisione.accounts.scopes import Scope
from supervisione.audit.forms import LockVersionField, VersionedForm
from supervisione.forms import DateInput, DecimalField, choice_field, label_choices, model_choice_field
from supervisione.leps.choices import ProfessionChoices
from supervisione.leps.kinds import Profession
from supervisione.lib import clock
from supervisione.lib.italian import MONTHS
from supervisione.planning.models import (
    RULE_FIELDS,
    GroupKind,
    Plan,
    PlanGroup,
    PlanMember,
    PlanStatus,
    RuleSet,
)
from supervisione.planning.multifondo import WITH_PROTOCOL, FilingStatus, MultifondoFiling
from supervisione.planning.payers import refusal
from supervisione.planning.project_end import after_end_since, group_problem
from supervisione.planning.queries import Owner, ScopePerson, contracts_for_plan
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.supervisors.eligibility import assignment_problems, eligible_supervisors
from supervisione.supervisors.models import Declaration, Supervisor
from supervisione.supervisors.queries import supervisors_for_ambito, supervisors_for_partnership
from supervisione.territory.models import Ambito, FundingMeasure, Partnership


class RuleSetForm(VersionedForm, forms.ModelForm[RuleSet]):
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
        if valid_from <= clock.today() and (self.instance._state.adding or self.instance.valid_from != valid_from):
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


# --- Annual plan --------------------------------------------------------------------------------------------

MONTH_CHOICES = [(number, name.capitalize()) for number, name in enumerate(MONTHS, start=1)]


def _check_months(form: forms.BaseForm, cleaned: dict[str, Any]) -> None:
    first, last = cleaned.get("first_month"), cleaned.get("last_month")
    if first and last and int(last) < int(first):
        form.add_error("last_month", "Il mese finale non può precedere quello iniziale.")


def editable_owners(scope: Scope) -> list[tuple[str, Any]]:
    partnerships = Partnership.objects.order_by("name")
    ambiti = Ambito.objects.order_by("name")
    if scope.editable_partnership_ids is not None:
        partnerships = partnerships.filter(pk__in=scope.editable_partnership_ids)
    if scope.editable_ambito_ids is not None:
        ambiti = ambiti.filter(pk__in=scope.editable_ambito_ids)
    choices: list[tuple[str, Any]] = []
    if by_partnership := [(f"p:{p.pk}", f"{p.name} ({p.code})") for p in partnerships]:
        choices.append(("Partenariati", by_partnership))
    if by_ambito := [(f"a:{a.pk}", f"{a.name} ({a.code})") for a in ambiti]:
        choices.append(("Singoli ATS", by_ambito))
    return choices


class PlanCreateForm(forms.Form):
    owner = forms.ChoiceField(
        label="Partenariato o ATS",
        help_text="Il piano di un partenariato copre tutti i suoi ATS; quello di un ATS solo l'ATS.",
    )
    year = forms.IntegerField(label="Anno", min_value=2021, max_value=2100)
    first_month = forms.TypedChoiceField(label="Dal mese", choices=MONTH_CHOICES, coerce=int, initial=1)
    last_month = forms.TypedChoiceField(label="Al mese", choices=MONTH_CHOICES, coerce=int, initial=12)
    deadline = forms.DateField(
        label="Da trasmettere entro",
        required=False,
        widget=DateInput(),
        help_text="Se vuota: il 31 marzo dell'anno del piano.",
    )
    notes = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = [("", "Scegli..."), *editable_owners(scope)]
        self.fields["year"].initial = clock.today().year + 1
        self.chosen_owner: Owner | None = None

    def clean_owner(self) -> str:
        value: str = self.cleaned_data["owner"]
        kind, _, number = value.partition(":")
        found: Owner | None = None
        if kind == "p" and number.isdigit():
            found = Partnership.objects.select_related("capofila").filter(pk=int(number)).first()
        elif kind == "a" and number.isdigit():
            found = Ambito.objects.filter(pk=int(number)).first()
        if found is None:
            raise forms.ValidationError("Scegli un partenariato o un ATS dall'elenco.")
        self.chosen_owner = found
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_months(self, cleaned)
        return cleaned


class PlanForm(forms.ModelForm[Plan]):
    lock_version = LockVersionField()
    first_month = forms.TypedChoiceField(label="Dal mese", choices=MONTH_CHOICES, coerce=int)
    last_month = forms.TypedChoiceField(label="Al mese", choices=MONTH_CHOICES, coerce=int)

    class Meta:
        model = Plan
        fields = ["first_month", "last_month", "deadline", "notes"]
        widgets = {"deadline": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version
        self.fields[
            "first_month"
        ].help_text = "I minimi LEPS si riproporzionano ai mesi coperti solo se i parametri LEPS lo prevedono."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_months(self, cleaned)
        return cleaned


class TransitionForm(forms.Form):
    lock_version = LockVersionField()


class ReturnForm(TransitionForm):
    reason = forms.CharField(label="Motivo", required=False, max_length=200)


class ApproveForm(TransitionForm):
    act = forms.CharField(
        label="Atto di approvazione",
        required=False,
        max_length=250,
        help_text="Es. delibera del Coordinamento Istituzionale n. 3 del 25/03/2025.",
    )


def _supervisor_label(supervisor: Supervisor) -> str:
    provider = f" ({supervisor.provider.name})" if supervisor.provider_id and supervisor.provider else ""
    return f"{supervisor}{provider}"


class GroupForm(forms.ModelForm[PlanGroup]):
    """A group of a draft plan: hours, supervisor (only the eligible ones are offered) with the declaration that
    allows the assignment, contract and funding source."""

    lock_version = LockVersionField()

    class Meta:
        model = PlanGroup
        fields = [
            "name",
            "planned_hours",
            "a2_pool_hours",
            "supervisor",
            "declaration",
            "contract",
            "funding",
            "funding_after",
            "accreditation_code",
            "note",
        ]
        field_classes = {"planned_hours": DecimalField, "a2_pool_hours": DecimalField}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        group = self.instance
        self.fields["lock_version"].initial = plan.lock_version
        if group.kind != GroupKind.A1:
            del self.fields["a2_pool_hours"]
        owner = plan.tenant
        candidates = (
            supervisors_for_partnership(owner) if isinstance(owner, Partnership) else supervisors_for_ambito(owner)
        )
        eligible = eligible_supervisors(
            candidates, group.supervision_type, group_profession=group.group_profession, on=plan.starts_on
        )
        keep = [pk for pk in [group.supervisor_id] if pk]
        supervisors = Supervisor.objects.filter(pk__in=[s.pk for s in eligible] + keep).select_related("provider")
        field = model_choice_field(self, "supervisor")
        field.queryset = supervisors.order_by("surname", "name")
        label_choices(field, _supervisor_label)
        field.help_text = (
            f"Solo i supervisori attivi e idonei per {group.supervision_type.label} ({len(eligible)})."
            if eligible
            else f"Nessun supervisore del registro è idoneo per {group.supervision_type.label}."
        )
        declarations = model_choice_field(self, "declaration")
        declarations.queryset = (
            Declaration.objects.filter(supervisor__in=supervisors)
            .select_related("supervisor")
            .order_by("supervisor__surname", "-signed_on")
        )
        label_choices(declarations, lambda d: f"{d.supervisor}: {d.subject} (firmata il {d.signed_on:%d/%m/%Y})")
        declarations.help_text = "La dichiarazione firmata dal supervisore, valida per il periodo del piano."
        contracts = contracts_for_plan(owner, plan.year, plan.first_month, plan.last_month)
        model_choice_field(self, "contract").queryset = contracts
        self.fields["contract"].help_text = "I contratti in vigore nel periodo del piano: il costo è ore x tariffa."
        fundings = model_choice_field(self, "funding")
        fundings.queryset = ContractFunding.objects.filter(contract__in=contracts).select_related("contract", "ambito")
        label_choices(fundings, lambda f: f"{f} - {f.contract.title}")
        after = model_choice_field(self, "funding_after")
        after.queryset = fundings.queryset.exclude(measure=FundingMeasure.PNRR_114)
        label_choices(after, lambda f: f"{f} - {f.contract.title}")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        group = self.instance
        supervisor: Supervisor | None = cleaned.get("supervisor")
        declaration: Declaration | None = cleaned.get("declaration")
        if supervisor is not None:
            for problem in assignment_problems(
                supervisor,
                group.supervision_type,
                declaration,
                on=self.plan.ends_on,
                group_profession=group.group_profession,
            ):
                self.add_error("declaration" if "dichiarazione" in problem else "supervisor", problem)
        elif declaration is not None:
            self.add_error("declaration", "Una dichiarazione si indica solo con il supervisore a cui si riferisce.")
        contract: Contract | None = cleaned.get("contract")
        funding: ContractFunding | None = cleaned.get("funding")
        if funding is not None and (contract is None or funding.contract_id != contract.pk):
            self.add_error("funding", "Scegli una fonte di finanziamento del contratto indicato.")
        elif funding is not None and group.pk is not None:
            members = PlanMember.objects.filter(group=group).values_list("ambito_id", flat=True)
            if problem := refusal(self.plan, funding, members):
                self.add_error("funding", problem)
        funding_after: ContractFunding | None = cleaned.get("funding_after")
        if "funding" not in self.errors and (found := group_problem(self.plan, funding, funding_after)):
            self.add_error(found.field, found.message)
        elif funding_after is not None and group.pk is not None and "funding" not in self.errors:
            members = PlanMember.objects.filter(group=group).values_list("ambito_id", flat=True)
            if problem := refusal(self.plan, funding_after, members, since=after_end_since(funding)):
                self.add_error("funding_after", problem)
        if contract is not None:
            kinds = set(contract.lines.values_list("kind", flat=True))
            if group.kind not in kinds:
                self.add_error("contract", f"Il contratto non ha una tariffa per {group.get_kind_display()}.")
            if group.kind == GroupKind.A1 and (cleaned.get("a2_pool_hours") or 0) > 0 and "A2" not in kinds:
                self.add_error("contract", "Il contratto non ha una tariffa per la supervisione individuale (A2).")
        return cleaned


class NewGroupForm(GroupForm):
    """A new group: an A3 group names its census équipe, an extra-LEPS group its profession."""

    def __init__(self, *args: Any, plan: Plan, equipes: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        group = self.instance
        if group.kind == GroupKind.A3:
            self.fields = {
                "equipe": forms.TypedChoiceField(
                    label="Équipe del censimento",
                    choices=[("", "Scegli..."), *[(e.pk, f"{e.name} ({e.ambito.name})") for e in equipes]],
                    coerce=int,
                    help_text="Le équipe dei censimenti del piano che non hanno ancora un gruppo A3.",
                ),
                **self.fields,
            }
            self.fields["name"].required = False
            self.fields["name"].help_text = "Se vuoto: il nome dell'équipe e dell'ATS."
            self.equipes = {e.pk: e for e in equipes}
        elif group.kind == GroupKind.EXTRA:
            others = [
                (value, label) for value, label in ProfessionChoices.choices if not Profession(value).is_social_worker
            ]
            self.fields = {
                "profession": forms.ChoiceField(
                    label="Professione del gruppo",
                    choices=[("", "Scegli..."), *others],
                    help_text="Un gruppo extra-LEPS supervisiona altre professioni e non conta per il minimo LEPS.",
                ),
                **self.fields,
            }

    def clean(self) -> dict[str, Any]:
        # The kind-specific choice goes on the instance before the model's own validation (``_post_clean``).
        cleaned = super().clean()
        group = self.instance
        equipe_pk = cleaned.get("equipe")
        if group.kind == GroupKind.A3 and equipe_pk in getattr(self, "equipes", {}):
            equipe = self.equipes[equipe_pk]
            group.equipe = equipe
            if not cleaned.get("name") and "name" not in self.errors:
                cleaned["name"] = f"{equipe.name} ({equipe.ambito.name})"[:120]
                if PlanGroup.objects.filter(plan=self.plan, name=cleaned["name"]).exists():
                    self.add_error("equipe", "Il piano ha già un gruppo con il nome di questa équipe: indica un nome.")
        if group.kind == GroupKind.EXTRA and cleaned.get("profession"):
            group.profession = cleaned["profession"]
        return cleaned

    def clean_name(self) -> str:
        name: str = self.cleaned_data.get("name") or ""
        if name and PlanGroup.objects.filter(plan=self.plan, name=name).exists():
            raise forms.ValidationError("Il piano ha già un gruppo con questo nome.")
        return name


class MembersForm(forms.Form):
    lock_version = LockVersionField()
    people = forms.TypedMultipleChoiceField(
        label="Partecipanti", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, plan: Plan, choices: Sequence[tuple[str, list[tuple[int, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = plan.lock_version
        choice_field(self, "people").choices = choices


def member_choices(
    people: Sequence[ScopePerson], current_group: dict[int, str], this_group: str
) -> list[tuple[str, list[tuple[int, str]]]]:
    """People grouped by ATS, each saying which A1 group they are in now (if another)."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for person in people:
        label = str(person)
        elsewhere = current_group.get(person.person_id)
        if elsewhere and elsewhere != this_group:
            label += f" (ora nel {elsewhere})"
        grouped.setdefault(person.ambito_name, []).append((person.person_id, label))
    return list(grouped.items())


# --- Filing on the Piattaforma Multifondo ------------------------------------------------------------------


def _not_future(day: datetime.date | None, what: str) -> datetime.date | None:
    if day is not None and day > clock.today():
        raise forms.ValidationError(f"{what} non può essere futura.")
    return day


class FilingForm(VersionedForm, forms.ModelForm[MultifondoFiling]):
    """The protocol, the dichiarazione di avvio attività and the note of a filing (its status has its own form)."""

    class Meta:
        model = MultifondoFiling
        fields = ["protocol", "start_declaration_on", "start_declaration_protocol", "note"]
        widgets = {"start_declaration_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def clean_start_declaration_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("start_declaration_on"), "La data della dichiarazione")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("start_declaration_protocol")
            and not cleaned.get("start_declaration_on")
            and ("start_declaration_on" not in self.errors)
        ):
            self.add_error(
                "start_declaration_on", "Indica la data della dichiarazione di avvio attività di cui dai il protocollo."
            )
        if self.instance.status in WITH_PROTOCOL and not cleaned.get("protocol", "").strip():
            self.add_error(
                "protocol",
                f"L'invio è «{self.instance.get_status_display().lower()}»: il protocollo dell'invio non si può "
                "togliere.",
            )
        return cleaned


class FilingStatusForm(forms.Form):
    """The next status of a filing, from a day, with the protocol of the sending."""

    lock_version = LockVersionField()
    status = forms.ChoiceField(label="Nuovo stato")
    on = forms.DateField(label="Dal giorno", widget=DateInput())
    protocol = forms.CharField(
        label="Protocollo dell'invio",
        max_length=100,
        required=False,
        help_text="Obbligatorio per registrare l'invio: il numero che la piattaforma ha assegnato.",
    )
    reason = forms.CharField(
        label="Nota sul passaggio",
        max_length=200,
        required=False,
        help_text="Facoltativa, resta nello storico: es. i rilievi del Ministero da correggere.",
    )

    def __init__(self, *args: Any, filing: MultifondoFiling, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"lock_version": filing.lock_version, "on": clock.today()})
        super().__init__(*args, **kwargs)
        self.filing = filing
        choice_field(self, "status").choices = [(status.value, status.label) for status in filing.next_statuses]
        if filing.protocol:
            self.fields["protocol"].help_text = f"Registrato: {filing.protocol}. Scrivine un altro per sostituirlo."

    def clean_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["on"]
        _not_future(day, "La data del nuovo stato")
        if self.filing.status_on is not None and day < self.filing.status_on:
            raise forms.ValidationError(
                f"La data non può precedere quella dello stato attuale ({self.filing.status_on:%d/%m/%Y})."
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") == FilingStatus.SENT
            and not cleaned.get("protocol", "").strip()
            and not self.filing.protocol
        ):
            self.add_error("protocol", "Per registrare l'invio indica il numero di protocollo.")
        return cleaned


def can_create_plans(scope: Scope) -> bool:
    return bool(scope.is_admin or scope.coordinated_partnership_ids or scope.referent_ambito_ids)


OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED)

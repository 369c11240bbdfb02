"""Forms of the supervisor registry, and the tenant and upload fields the contract forms share
(``procurement.forms``). Every rule a user can break gets an Italian message."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from supervisione.accounts.models import Role, User
from supervisione.audit.forms import VersionedForm
from supervisione.forms import DateInput, choice_field, model_choice_field
from supervisione.leps.choices import ProfessionChoices, SupervisionTypeChoices
from supervisione.lib import clock
from supervisione.lib.codes import normalise_code
from supervisione.lib.uploads import CheckedUpload, check_upload
from supervisione.supervisors.access import Reach
from supervisione.supervisors.models import (
    SUPERVISOR_DOCUMENT_KINDS,
    Absence,
    Declaration,
    Supervisor,
    Training,
    WeeklyAvailability,
)
from supervisione.territory.models import Ambito, Organisation, OrganisationKind, Partnership
from supervisione.territory.tenancy import TenantOwned

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {"pdf", "jpeg", "png", "docx", "odt"}


def provider_help(text: str) -> SafeString:
    """The help of a provider field: where to register a provider that is not in the list yet (a new ATS has
    none, and the select alone left it at a dead end)."""
    return format_html(
        '{} Se non è nell\'elenco, <a href="{}">registralo tra le organizzazioni</a> (cooperativa, impresa o '
        "libero professionista) e poi torna qui.",
        text,
        reverse("territory:organisation_create"),
    )


PROVIDER_KINDS = (
    OrganisationKind.COOPERATIVE,
    OrganisationKind.PROFESSIONAL,
    OrganisationKind.COMPANY,
    OrganisationKind.UNIVERSITY,
    OrganisationKind.OTHER,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


# --- Tenants ---------------------------------------------------------------------------------------------


def managed_tenants(reach: Reach) -> tuple[QuerySet[Partnership], QuerySet[Ambito]]:
    partnerships = Partnership.objects.order_by("name")
    ambiti = Ambito.objects.order_by("name")
    if reach.managed_partnership_ids is not None:
        partnerships = partnerships.filter(pk__in=reach.managed_partnership_ids)
    if reach.managed_ambito_ids is not None:
        ambiti = ambiti.filter(pk__in=reach.managed_ambito_ids)
    return partnerships, ambiti


def read_tenants(reach: Reach) -> tuple[QuerySet[Partnership], QuerySet[Ambito]]:
    partnerships = Partnership.objects.order_by("name")
    ambiti = Ambito.objects.order_by("name")
    if reach.read_partnership_ids is not None:
        partnerships = partnerships.filter(pk__in=reach.read_partnership_ids)
    if reach.read_ambito_ids is not None:
        ambiti = ambiti.filter(pk__in=reach.read_ambito_ids)
    return partnerships, ambiti


def tenant_choices(partnerships: QuerySet[Partnership], ambiti: QuerySet[Ambito]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    by_partnership = [(f"p:{p.pk}", f"{p.name} ({p.code})") for p in partnerships]
    by_ambito = [(f"a:{a.pk}", f"{a.name} ({a.code})") for a in ambiti]
    if by_partnership:
        choices.append(("Partenariati", by_partnership))
    if by_ambito:
        choices.append(("Singoli ATS", by_ambito))
    return choices


def parse_tenant(value: str) -> tuple[str, int] | None:
    kind, _, number = value.partition(":")
    if kind not in {"p", "a"} or not number.isdigit():
        return None
    return kind, int(number)


def add_tenant_field(form: forms.ModelForm[Any], reach: Reach) -> None:
    """On creation, a "partnership or ATS" choice limited to the tenants the user manages."""
    instance: TenantOwned = form.instance
    if not instance._state.adding:
        return
    field = forms.ChoiceField(
        label="Partenariato o ATS titolare",
        choices=[("", "Scegli..."), *tenant_choices(*managed_tenants(reach))],
        help_text="Chi gestisce questo dato: un partenariato (sovrambito) o un singolo ATS.",
    )
    form.fields = {"tenant": field, **form.fields}
    if instance.partnership_id:
        field.initial = f"p:{instance.partnership_id}"
    elif instance.ambito_id:
        field.initial = f"a:{instance.ambito_id}"


def apply_tenant(instance: TenantOwned, value: str) -> str:
    parsed = parse_tenant(value)
    if parsed is None:
        raise ValidationError("Scegli un partenariato o un ATS dall'elenco.")
    kind, pk = parsed
    if kind == "p":
        instance.partnership_id, instance.ambito_id = pk, None
    else:
        instance.partnership_id, instance.ambito_id = None, pk
    return value


# --- Supervisors ------------------------------------------------------------------------------------------


def supervisor_users(partnerships: QuerySet[Partnership]) -> QuerySet[User]:
    return (
        User.objects.filter(roles__role=Role.SUPERVISOR, roles__partnership__in=partnerships, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class SupervisorForm(VersionedForm, forms.ModelForm[Supervisor]):
    class Meta:
        model = Supervisor
        fields = [
            "surname",
            "name",
            "tax_code",
            "email",
            "phone",
            "profession",
            "albo_region",
            "albo_section",
            "albo_number",
            "years_social_work",
            "years_supervising_as",
            "provider",
            "external",
            "active",
            "user",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, reach: Reach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_tenant_field(self, reach)
        providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS).order_by("name")
        model_choice_field(self, "provider").queryset = providers
        self.fields["provider"].help_text = provider_help(str(self.fields["provider"].help_text))
        if self.instance._state.adding:
            partnerships, ambiti = managed_tenants(reach)
            reachable = Partnership.objects.filter(
                Q(pk__in=partnerships.values("pk")) | Q(memberships__ambito__in=ambiti.values("pk"))
            )
        else:
            reachable = self._tenant_partnerships()
        model_choice_field(self, "user").queryset = supervisor_users(reachable)
        if self.instance._state.adding:
            self.fields["invite"] = forms.BooleanField(
                label="Invita per e-mail ad accedere a Supervisione come supervisore",
                required=False,
                help_text="Servono e-mail e codice fiscale: riceverà un link per scegliere la password.",
            )
        self.fields["user"].help_text = (
            "Solo utenti con ruolo di supervisore nel partenariato: potranno aggiornare formazione, disponibilità "
            "e documenti di questa scheda."
        )

    def clean_tenant(self) -> str:
        return apply_tenant(self.instance, self.cleaned_data["tenant"])

    def clean_tax_code(self) -> str:
        return normalise_code(self.cleaned_data["tax_code"])

    def clean_albo_number(self) -> str:
        return str(self.cleaned_data["albo_number"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("albo_number") and not cleaned.get("albo_region"):
            self.add_error("albo_region", "Indica la regione dell'Albo in cui il supervisore è iscritto.")
        if (cleaned.get("albo_section") or cleaned.get("albo_region")) and not cleaned.get("albo_number"):
            self.add_error("albo_number", "Indica il numero di iscrizione all'Albo.")
        if (
            cleaned.get("profession") == ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA
            and cleaned.get("albo_section") == "B"
        ):
            self.add_error("albo_section", "L'assistente sociale specialista è iscritto alla sezione A dell'Albo.")
        experience, supervising = cleaned.get("years_social_work"), cleaned.get("years_supervising_as")
        if experience is not None and supervising is not None and supervising > experience:
            self.add_error(
                "years_supervising_as",
                "Gli anni di supervisione non possono superare gli anni di esperienza professionale.",
            )
        user: User | None = cleaned.get("user")
        if user is not None and not self.errors:
            self._check_user(user)
        return cleaned

    def _tenant_partnerships(self) -> QuerySet[Partnership]:
        """The partnership of the record, or those its ATS belongs to."""
        if self.instance.partnership_id:
            return Partnership.objects.filter(Q(pk=self.instance.partnership_id))
        return Partnership.objects.filter(Q(memberships__ambito_id=self.instance.ambito_id))

    def _check_user(self, user: User) -> None:
        """The linked user must hold the supervisor role in the partnership (or one of the ATS's)."""
        if not supervisor_users(self._tenant_partnerships()).filter(pk=user.pk).exists():
            self.add_error(
                "user", "L'utente non ha il ruolo di supervisore nel partenariato o nell'ATS titolare della scheda."
            )
            return
        taken = Supervisor.objects.filter(self.instance.same_tenant(), user=user).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error("user", "L'utente è già collegato a un'altra scheda di supervisore di questo titolare.")

    def validate_unique(self) -> None:
        super().validate_unique()
        tax_code = self.cleaned_data.get("tax_code")
        if tax_code and (self.instance.partnership_id or self.instance.ambito_id):
            duplicate = Supervisor.objects.filter(self.instance.same_tenant(), tax_code=tax_code).exclude(
                pk=self.instance.pk
            )
            if duplicate.exists():
                self.add_error(
                    "tax_code", "Esiste già un supervisore con questo codice fiscale per lo stesso titolare."
                )


class TrainingForm(VersionedForm, forms.ModelForm[Training]):
    class Meta:
        model = Training
        fields = ["title", "institution", "hours", "year"]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > clock.today().year:
            raise ValidationError("L'anno di conseguimento non può essere nel futuro.")
        return year


class WeeklyAvailabilityForm(forms.ModelForm[WeeklyAvailability]):
    class Meta:
        model = WeeklyAvailability
        fields = ["weekday", "start_time", "end_time", "valid_from", "valid_to"]
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "L'orario di fine deve seguire quello di inizio.")
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", "La fine del periodo non può precedere l'inizio.")
        return cleaned


class AbsenceForm(forms.ModelForm[Absence]):
    class Meta:
        model = Absence
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La fine del periodo non può precedere l'inizio.")
        return cleaned


def checked_upload(file: UploadedFile[bytes]) -> CheckedUpload:
    return check_upload(
        file, name=file.name or "", size=file.size or 0, allowed=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES
    )


UPLOAD_HELP = "PDF, JPEG, PNG, Word (.docx) o OpenDocument (.odt), al massimo 10 MB."


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Tipo di documento")
    title = forms.CharField(label="Titolo", max_length=200)
    file = forms.FileField(label="File", help_text=UPLOAD_HELP)

    def __init__(self, *args: Any, kinds: Sequence[models.TextChoices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [(kind.value, kind.label) for kind in kinds]

    def clean_file(self) -> UploadedFile[bytes]:
        file: UploadedFile[bytes] = self.cleaned_data["file"]
        self.cleaned_data["checked"] = checked_upload(file)
        return file


class SupervisorDocumentForm(DocumentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, kinds=SUPERVISOR_DOCUMENT_KINDS, **kwargs)


class DeclarationForm(forms.ModelForm[Declaration]):
    file = forms.FileField(label="Dichiarazione firmata", help_text=UPLOAD_HELP)

    class Meta:
        model = Declaration
        fields = ["subject", "no_hierarchy", "no_conflict", "signed_on", "valid_until"]
        widgets = {"signed_on": DateInput(), "valid_until": DateInput()}
        labels = {
            "no_hierarchy": "Dichiara di non avere rapporti gerarchici con le persone supervisionate",
            "no_conflict": "Dichiara di non trovarsi in conflitto di interessi, anche potenziale",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("no_hierarchy", "no_conflict"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = (
                "La dichiarazione deve contenere entrambe le attestazioni: senza, il supervisore non può essere "
                "assegnato al gruppo."
            )

    def clean_signed_on(self) -> datetime.date:
        signed_on: datetime.date = self.cleaned_data["signed_on"]
        if signed_on > clock.today():
            raise ValidationError("La data di firma non può essere nel futuro.")
        return signed_on

    def clean_file(self) -> UploadedFile[bytes]:
        file: UploadedFile[bytes] = self.cleaned_data["file"]
        self.cleaned_data["checked"] = checked_upload(file)
        return file

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        signed_on, valid_until = cleaned.get("signed_on"), cleaned.get("valid_until")
        if signed_on and valid_until and valid_until < signed_on:
            self.add_error("valid_until", "La validità non può finire prima della firma.")
        return cleaned


class SupervisorFilterForm(forms.Form):
    q = forms.CharField(label="Cerca per nome", required=False, max_length=100)
    tenant = forms.ChoiceField(label="Partenariato o ATS", required=False)
    eligible_for = forms.ChoiceField(
        label="Idonei per",
        required=False,
        choices=[("", "Qualsiasi tipo"), *[(k, v) for k, v in SupervisionTypeChoices.choices if k != "extra"]],
    )
    include_inactive = forms.BooleanField(label="Mostra anche i non attivi", required=False)

    def __init__(self, *args: Any, reach: Reach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "tenant").choices = [
            ("", "Tutti"),
            *tenant_choices(*read_tenants(reach)),
        ]

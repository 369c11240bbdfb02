from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from supervisione.audit.forms import VersionedForm
from supervisione.forms import DateInput, DecimalField, ModelMultipleChoiceField, model_choice_field
from supervisione.lib import clock
from supervisione.lib.codes import (
    normalise_code,
    validate_ambito_code,
    validate_ministry_prefix,
    validate_partnership_code,
    validate_region_code,
)
from supervisione.territory.models import (
    Ambito,
    AmbitoMembership,
    FundingMeasure,
    Municipality,
    MunicipalityPopulation,
    Organisation,
    OrganisationKind,
    Partnership,
    Region,
)


class RegionForm(VersionedForm, forms.ModelForm[Region]):
    class Meta:
        model = Region
        fields = ["istat_code", "name", "ministry_prefix"]

    def clean_istat_code(self) -> str:
        code = normalise_code(self.cleaned_data["istat_code"])
        validate_region_code(code)
        return code

    def clean_ministry_prefix(self) -> str:
        prefix = normalise_code(self.cleaned_data["ministry_prefix"])
        validate_ministry_prefix(prefix)
        return prefix


class MunicipalityForm(VersionedForm, forms.ModelForm[Municipality]):
    class Meta:
        model = Municipality
        fields = ["istat_code", "name", "province", "province_code", "region"]


class PopulationForm(forms.ModelForm[MunicipalityPopulation]):
    class Meta:
        model = MunicipalityPopulation
        fields = ["reference_date", "population", "source"]
        widgets = {"reference_date": DateInput()}

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean_reference_date(self) -> datetime.date:
        reference_date: datetime.date = self.cleaned_data["reference_date"]
        duplicate = MunicipalityPopulation.objects.filter(
            municipality=self.instance.municipality, reference_date=reference_date
        ).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError("Esiste già una popolazione per questo comune a questa data.")
        return reference_date


class AmbitoForm(VersionedForm, forms.ModelForm[Ambito]):
    class Meta:
        model = Ambito
        fields = [
            "code",
            "istat_code",
            "name",
            "region",
            "capofila_municipality",
            "managing_body",
            "office_address",
            "email",
            "pec",
            "phone",
            "composition_verified",
            "requires_signed_scans",
            "valid_from",
            "valid_to",
            "notes",
        ]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, can_edit_identity: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new ATS: the comuni of the region chosen first (``?regione=``), not the 7,900 of Italy in one list.
        region = self.instance.region if self.instance.pk else self.initial.get("region")
        municipalities: QuerySet[Municipality] = Municipality.objects.select_related("region")
        if region is not None:
            municipalities = municipalities.filter(region=region)
        model_choice_field(self, "capofila_municipality").queryset = municipalities
        if not self.instance.pk:
            # A new ATS's list of comuni is not yet known to come from an act: whoever creates it says so.
            self.initial.setdefault("composition_verified", False)
        if not can_edit_identity:
            # Code and region identify the ATS for the Ministry: only an administrator changes them.
            for name in ("code", "region"):
                self.fields[name].disabled = True

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        validate_ambito_code(code)
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "La fine della validità non può precedere l'inizio.")
        capofila, region = cleaned.get("capofila_municipality"), cleaned.get("region")
        if capofila and region and capofila.region_id != region.pk:
            self.add_error("capofila_municipality", "Il comune capofila deve essere nella regione dell'ATS.")
        return cleaned


class MembershipForm(forms.ModelForm[AmbitoMembership]):
    class Meta:
        model = AmbitoMembership
        fields = ["municipality", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args: Any, ambito: Ambito, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.ambito = ambito
        model_choice_field(self, "municipality").queryset = Municipality.objects.filter(
            region_id=ambito.region_id
        ).select_related("region")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        municipality: Municipality | None = cleaned.get("municipality")
        start: datetime.date | None = cleaned.get("valid_from")
        end: datetime.date | None = cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "La data di fine non può precedere la data di inizio.")
            return cleaned
        if municipality and start:
            overlapping = overlapping_membership(municipality, start, end, exclude_pk=self.instance.pk)
            if overlapping is not None:
                raise forms.ValidationError(
                    "%(comune)s appartiene già all'ATS %(ats)s dal %(dal)s%(al)s: un comune appartiene a un solo"
                    " ATS alla volta. Chiudi prima quell'appartenenza.",
                    params={
                        "comune": municipality.name,
                        "ats": overlapping.ambito.code,
                        "dal": f"{overlapping.valid_from:%d/%m/%Y}",
                        "al": f" al {overlapping.valid_to:%d/%m/%Y}" if overlapping.valid_to else "",
                    },
                )
        return cleaned


class MunicipalityFilterForm(forms.Form):
    """The municipalities offered to an ATS: those of its region, narrowed by province and name (GET)."""

    provincia = forms.ChoiceField(label="Provincia", required=False)
    q = forms.CharField(label="Cerca per nome", max_length=80, required=False)

    def __init__(self, *args: Any, ambito: Ambito, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = (
            Municipality.objects.filter(region_id=ambito.region_id)
            .order_by("province")
            .values_list("province_code", "province")
            .distinct()
        )
        self.fields["provincia"].choices = [("", "tutte"), *((code, f"{name} ({code})") for code, name in provinces)]  # type: ignore[attr-defined]  # a ChoiceField

    def municipalities(self, ambito: Ambito) -> QuerySet[Municipality]:
        """The region's municipalities not in the ATS today, filtered (all of them while the filter is invalid)."""
        today = clock.today()
        members = AmbitoMembership.objects.filter(ambito=ambito, valid_from__lte=today).exclude(valid_to__lt=today)
        found = Municipality.objects.filter(region_id=ambito.region_id).exclude(
            pk__in=members.values("municipality_id")
        )
        if self.is_valid():
            if province := self.cleaned_data["provincia"]:
                found = found.filter(province_code=province)
            if text := self.cleaned_data["q"].strip():
                found = found.filter(name__icontains=text)
        return found.order_by("name")


class BulkMembershipForm(forms.Form):
    """Many municipalities join the ATS on one day."""

    municipalities = ModelMultipleChoiceField(
        label="Comuni da aggiungere",
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Scegli almeno un comune."},
    )
    valid_from = forms.DateField(label="Fanno parte dell'ATS dal", widget=DateInput())

    def __init__(self, *args: Any, offered: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "municipalities").queryset = offered


class EndMembershipForm(forms.Form):
    valid_to = forms.DateField(label="Ultimo giorno di appartenenza", widget=DateInput())

    def __init__(self, *args: Any, membership: AmbitoMembership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_valid_to(self) -> datetime.date:
        valid_to: datetime.date = self.cleaned_data["valid_to"]
        if valid_to < self.membership.valid_from:
            raise forms.ValidationError(
                "La data di fine non può precedere l'inizio dell'appartenenza (%(dal)s).",
                params={"dal": f"{self.membership.valid_from:%d/%m/%Y}"},
            )
        return valid_to


def overlapping_membership(
    municipality: Municipality, start: datetime.date, end: datetime.date | None, exclude_pk: int | None = None
) -> AmbitoMembership | None:
    """Another membership of the municipality whose period overlaps [start, end]."""
    candidates = AmbitoMembership.objects.filter(municipality=municipality).select_related("ambito")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    for other in candidates:
        other_end = other.valid_to or datetime.date.max
        this_end = end or datetime.date.max
        if other.valid_from <= this_end and start <= other_end:
            return other
    return None


class PartnershipForm(VersionedForm, forms.ModelForm[Partnership]):
    class Meta:
        model = Partnership
        fields = [
            "code",
            "name",
            "capofila",
            "single_ambito",
            "measure",
            "cup",
            "start_date",
            "end_date",
            "budget",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"budget": DecimalField}

    def __init__(self, *args: Any, capofila_choices: QuerySet[Ambito], can_edit_identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "capofila").queryset = capofila_choices
        if not can_edit_identity:
            for name in ("code", "capofila"):
                self.fields[name].disabled = True
        if self.instance._state.adding and clock.today() > settings.PNRR_ACTIVITIES_END:
            # The PNRR activities have ended: a project started now is paid by the FNPS quota or another source.
            self.fields["measure"].initial = FundingMeasure.FNPS

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        validate_partnership_code(code)
        return code

    def clean_cup(self) -> str:
        return normalise_code(self.cleaned_data["cup"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La fine del progetto non può precedere l'inizio.")
        pnrr_end = settings.PNRR_ACTIVITIES_END
        if cleaned.get("measure") == FundingMeasure.PNRR_114 and start and start > pnrr_end:
            self.add_error(
                "measure",
                f"Le attività dei progetti PNRR M5C2 1.1.4 si sono concluse il {pnrr_end:%d/%m/%Y}: un progetto "
                "che inizia dopo si finanzia con la quota FNPS o con un'altra fonte.",
            )
        return cleaned


class PartnershipMemberForm(forms.Form):
    """An ATS to add (administrators) or to ask to join (coordinators), from a day."""

    ambito = forms.ModelChoiceField(queryset=Ambito.objects.none(), label="ATS")
    joined_on = forms.DateField(label="Aderisce dal", widget=DateInput())
    message = forms.CharField(
        label="Messaggio all'ATS",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Facoltativo: il referente lo legge con la richiesta (es. il riferimento alla delibera).",
    )

    def __init__(self, *args: Any, choices: QuerySet[Ambito], request: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "ambito").queryset = choices
        self.fields["ambito"].label = "ATS a cui chiedere l'adesione" if request else "ATS da aggiungere"
        if not request:
            del self.fields["message"]


class RefuseJoinRequestForm(forms.Form):
    note = forms.CharField(
        label="Motivazione",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Facoltativa: il coordinatore del partenariato la legge con il rifiuto.",
    )


class MunicipalityField(forms.CharField):
    """A municipality typed by name or ISTAT code (a select of 7,900 options would be unusable)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", "Nome del comune o codice ISTAT a 6 cifre.")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            municipality = Municipality.objects.filter(pk=value).first()
            return municipality.name if municipality else ""
        if isinstance(value, Municipality):
            return value.name
        return value

    def clean(self, value: Any) -> Municipality | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        if text.isdigit():
            found = Municipality.objects.filter(istat_code=text.zfill(6)).first()
            if found is None:
                raise forms.ValidationError("Nessun comune ha il codice ISTAT %(code)s.", params={"code": text})
            return found
        matches = list(Municipality.objects.filter(name__iexact=text)[:3])
        if not matches:
            raise forms.ValidationError(
                "Nessun comune si chiama «%(name)s»: controlla il nome o indica il codice ISTAT.",
                params={"name": text},
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                "Più comuni si chiamano «%(name)s»: indica il codice ISTAT.", params={"name": text}
            )
        return matches[0]


class OrganisationForm(VersionedForm, forms.ModelForm[Organisation]):
    municipality = MunicipalityField(label="Sede (comune)", required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "tax_code",
            "vat_number",
            "municipality",
            "address",
            "email",
            "pec",
            "phone",
        ]

    def __init__(self, *args: Any, tenants: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tenants is not None:
            # A new organisation is registered for one of the author's tenants, which may then correct it.
            field = forms.ChoiceField(
                label="Registrata per conto di",
                choices=[("", "Scegli..."), *tenants],
                help_text="Il partenariato o l'ATS per cui la registri: potrà correggerla anche prima di usarla.",
            )
            self.fields = {"tenant": field, **self.fields}
            flat = [value for _group, options in tenants for value, _label in options]
            if len(flat) == 1:
                field.initial = flat[0]

    def clean_tenant(self) -> str:
        value: str = self.cleaned_data["tenant"]
        kind, _, number = value.partition(":")
        self.instance.created_for_partnership_id = int(number) if kind == "p" else None
        self.instance.created_for_ambito_id = int(number) if kind == "a" else None
        return value

    def clean_tax_code(self) -> str:
        return normalise_code(self.cleaned_data["tax_code"])

    def clean_vat_number(self) -> str:
        return normalise_code(self.cleaned_data["vat_number"])


class SearchForm(forms.Form):
    """Filters of the list pages, validated like any other input."""

    q = forms.CharField(label="Cerca", required=False, max_length=100)
    region = forms.ModelChoiceField(
        label="Regione", queryset=Region.objects.all(), required=False, empty_label="Tutte le regioni"
    )


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label="Cerca per nome o codice fiscale", required=False, max_length=100)
    kind = forms.ChoiceField(label="Tipo", choices=[("", "Tutti i tipi"), *OrganisationKind.choices], required=False)


ISTAT_SOURCE = "ISTAT, popolazione residente al 1° gennaio (CC BY 3.0 IT)"


class PopulationListForm(forms.Form):
    """The populations of an ATS's municipalities at one date, pasted from the ISTAT table (territory/populations)."""

    reference_date = forms.DateField(
        label="Data di riferimento", widget=DateInput(), help_text="Ad esempio il 1° gennaio dell'anno dei dati ISTAT."
    )
    source = forms.CharField(label="Fonte", max_length=200, initial=ISTAT_SOURCE)
    rows = forms.CharField(
        label="Popolazione per comune",
        max_length=40_000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=(
            "Una riga per comune: il nome o il codice ISTAT, punto e virgola, i residenti. Ad esempio «Maglie; "
            "14.819» oppure «075039; 14819». Si può incollare anche da un foglio di calcolo (due colonne)."
        ),
    )

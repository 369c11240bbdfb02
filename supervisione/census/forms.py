from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from supervisione.accounts.models import User
from supervisione.audit.forms import VersionedForm
from supervisione.census import checks, vocabulary
from supervisione.census.importing.validate import parse_hours
from supervisione.census.models import (
    AlboSection,
    Census,
    CensusCampaign,
    Contract,
    Person,
    Position,
    PostFunding,
    Profession,
    ReferentDesignation,
    ReferentRequest,
    Service,
)
from supervisione.forms import DateInput, ModelMultipleChoiceField, model_choice_field
from supervisione.leps.parameters import rules_at
from supervisione.lib import clock
from supervisione.lib.codes import normalise_code, validate_personal_tax_code
from supervisione.lib.italian import ItalianParseError, hours_text
from supervisione.lib.uploads import CheckedUpload, check_upload
from supervisione.territory.models import AmbitoMembership, Municipality, Organisation, OrganisationKind, Region

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class CampaignForm(VersionedForm, forms.ModelForm[CensusCampaign]):
    class Meta:
        model = CensusCampaign
        fields = ["title", "reference_date", "deadline", "notes"]
        widgets = {"reference_date": DateInput(), "deadline": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Motivo della restituzione",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Scrivi cosa l'ATS deve correggere: lo legge il referente.",
    )


class ReopenRequestForm(forms.Form):
    note = forms.CharField(
        label="Che cosa devi aggiornare (facoltativo)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text="Lo legge il coordinatore nell'e-mail della richiesta.",
    )


class ReferentRequestForm(forms.ModelForm[ReferentRequest]):
    class Meta:
        model = ReferentRequest
        fields = ["title", "deadline", "message"]
        widgets = {"deadline": DateInput(), "message": forms.Textarea(attrs={"rows": 4})}


class ReferentDesignationForm(VersionedForm, forms.ModelForm[ReferentDesignation]):
    class Meta:
        model = ReferentDesignation
        fields = ["full_name", "tax_code", "role", "email", "phone", "act_number", "act_date", "answered_on"]
        widgets = {"act_date": DateInput(), "answered_on": DateInput()}

    invite = forms.BooleanField(
        label="Invita per e-mail ad accedere a Supervisione come referente dell'ATS",
        required=False,
        help_text="Riceverà un link per scegliere la password; se ha già un account, riceve solo il nuovo ruolo.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("answered_on", clock.today())

    def clean_tax_code(self) -> str:
        code = normalise_code(self.cleaned_data["tax_code"])
        if code:
            validate_personal_tax_code(code)
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        act_date: datetime.date | None = cleaned.get("act_date")
        if act_date and act_date > clock.today():
            self.add_error("act_date", "La data dell'atto di designazione non può essere nel futuro.")
        return cleaned


class OrganisationNameField(forms.CharField):
    """An employer typed by name; a select of every organisation in the country would be unusable."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 250)
        kwargs.setdefault("help_text", "Il nome come compare tra le organizzazioni (es. Comune di Maglie).")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Organisation):
            return value.name
        return value

    def clean(self, value: Any) -> Organisation:
        text = " ".join(str(super().clean(value) or "").split())
        exact = Organisation.objects.filter(name__iexact=text).order_by("pk").first()
        if exact is not None:
            return exact
        # Accents and punctuation may differ ("Societa" for "Società"): compare the normalised names of the
        # organisations sharing the longest word of the text.
        key = vocabulary.compact(text)
        longest = max(text.split(), key=len, default=text)
        for organisation in Organisation.objects.filter(name__icontains=longest[:-1] or longest).order_by("pk"):
            if vocabulary.compact(organisation.name) == key:
                return organisation
        raise ValidationError(
            "Nessuna organizzazione si chiama «%(name)s»: controlla il nome o aggiungila tra le organizzazioni.",
            params={"name": text},
        )


SUGGESTED_EMPLOYERS = 200


def employer_suggestions(ambito_id: int) -> list[str]:
    """The names the employer field suggests: the comuni of the ATS, the organisations registered for it and the
    employers of its censuses, so that none is typed twice (one query)."""
    today = clock.today()
    members = AmbitoMembership.objects.filter(ambito_id=ambito_id, valid_from__lte=today).exclude(valid_to__lt=today)
    names = (
        Organisation.objects.filter(
            Q(kind=OrganisationKind.COMUNE, municipality__in=members.values("municipality_id"))
            | Q(created_for_ambito_id=ambito_id)
            | Q(pk__in=Position.objects.filter(census__ambito_id=ambito_id).values("employer_id"))
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return list(names[:SUGGESTED_EMPLOYERS])


class PositionForm(VersionedForm, forms.Form):
    """A person and one of their positions in a census, on one page (as in a row of the Allegato 2).

    The page carries the position's version: the person's fields are saved with it, so a stale page changes
    neither."""

    surname = forms.CharField(label="Cognome", max_length=100)
    name = forms.CharField(label="Nome", max_length=100)
    tax_code = forms.CharField(
        label="Codice fiscale",
        max_length=20,
        help_text="Se la persona è già censita (anche da un altro ATS) i suoi dati vengono aggiornati, non duplicati.",
    )
    email = forms.EmailField(label="E-mail", required=False)
    profession = forms.ChoiceField(label="Profilo professionale", choices=[("", "---------"), *Profession.choices])
    albo_region = forms.ModelChoiceField(label="Albo: regione", queryset=Region.objects.all(), required=False)
    albo_section = forms.ChoiceField(
        label="Albo: sezione", choices=[("", "---------"), *AlboSection.choices], required=False
    )
    albo_number = forms.CharField(label="Albo: numero di iscrizione", max_length=20, required=False)
    employer = OrganisationNameField(label="Ente datore di lavoro")
    service = forms.ChoiceField(label="Servizio", choices=[("", "---------"), *Service.choices])
    service_detail = forms.CharField(
        label="Nome del servizio, se «Altro»",
        max_length=120,
        required=False,
        help_text="Come lo chiama l'ATS, es. Ufficio di Piano, Centro per la famiglia.",
    )
    equipe_name = forms.CharField(
        label="Équipe",
        max_length=120,
        required=False,
        help_text="Solo per l'équipe multidisciplinare; se vuoto: «Équipe multidisciplinare».",
    )
    contract = forms.ChoiceField(label="Tipo di contratto", choices=[("", "---------"), *Contract.choices])
    weekly_hours = forms.CharField(
        label="Ore settimanali", max_length=12, help_text="Es. 36, 18, 18,5 oppure 50% del tempo pieno."
    )
    funding = forms.ChoiceField(
        label="Finanziamento del posto", choices=[("", "non indicato"), *PostFunding.choices], required=False
    )
    start_date = forms.DateField(label="Data di inizio", required=False, widget=DateInput())
    end_date = forms.DateField(label="Data di fine", required=False, widget=DateInput())
    on_behalf_of_ambito = forms.BooleanField(
        label="In servizio per conto dell'ATS",
        required=False,
        help_text="Solo per un ente che non è un comune né l'ATS (ad esempio l'ASL in delega, un'azienda speciale): "
        "la persona lavora nei servizi sociali dell'ATS per conto dell'ATS. Un assistente sociale a tempo "
        "indeterminato così conta per il c.797.",
    )
    municipalities = ModelMultipleChoiceField(
        label="Comuni di servizio",
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, census: Census, position: Position | None = None, **kwargs: Any) -> None:
        self.census = census
        self.position = position or Position(census=census)
        if position is not None and "initial" not in kwargs:
            person = position.person
            kwargs["initial"] = {
                "surname": person.surname,
                "name": person.name,
                "tax_code": person.tax_code,
                "email": person.email,
                "profession": person.profession,
                "albo_region": person.albo_region_id,
                "albo_section": person.albo_section,
                "albo_number": person.albo_number,
                "employer": position.employer.name,
                "service": position.service,
                "service_detail": position.service_detail,
                "equipe_name": position.equipe.name if position.equipe else "",
                "contract": position.contract,
                "weekly_hours": hours_text(position.weekly_hours),
                "funding": position.funding,
                "start_date": position.start_date,
                "end_date": position.end_date,
                "on_behalf_of_ambito": position.on_behalf_of_ambito,
                "municipalities": [m.pk for m in position.municipalities.all()],
            }
        super().__init__(*args, **kwargs)
        municipalities: QuerySet[Municipality] = (
            Municipality.objects.filter(ambito_memberships__ambito_id=census.ambito_id).distinct().order_by("name")
        )
        model_choice_field(self, "municipalities").queryset = municipalities
        self.fields["employer"].widget.attrs["list"] = "employer-options"
        self.employer_suggestions = employer_suggestions(census.ambito_id)

    def versioned_record(self) -> Position:
        return self.position

    def clean_tax_code(self) -> str:
        code = normalise_code(self.cleaned_data["tax_code"])
        validate_personal_tax_code(code)
        return code

    def clean_weekly_hours(self) -> Decimal:
        text = self.cleaned_data["weekly_hours"]
        try:
            hours = parse_hours(text, rules_at(self.census.campaign.reference_date).full_time_hours)
        except ItalianParseError as error:
            raise ValidationError(str(error)) from None
        if message := checks.hours_problem(hours):
            raise ValidationError(message)
        return hours

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        profession = cleaned.get("profession")
        if profession:
            for name, message in checks.albo_problems(
                profession,
                region=cleaned.get("albo_region"),
                section=cleaned.get("albo_section", ""),
                number=cleaned.get("albo_number", "").strip(),
            ).items():
                if name not in self.errors:
                    self.add_error(name, message)
        if dates_message := checks.dates_problem(cleaned.get("start_date"), cleaned.get("end_date")):
            self.add_error("end_date", dates_message)
        service = cleaned.get("service")
        if service and (equipe_message := checks.equipe_problem(service, cleaned.get("equipe_name", "").strip())):
            self.add_error("equipe_name", equipe_message)
        code, employer = cleaned.get("tax_code"), cleaned.get("employer")
        if code and employer and service:
            duplicate = Position.objects.filter(
                census=self.census, person__tax_code=code, employer=employer, service=service
            ).exclude(pk=self.position.pk)
            if duplicate.exists():
                raise ValidationError(
                    "Questa persona ha già una posizione con lo stesso ente e lo stesso servizio in questo censimento:"
                    " modifica quella."
                )
        return cleaned

    def person(self) -> Person:
        """The person the form describes: the one with this codice fiscale, or the position's own (new CF)."""
        data = self.cleaned_data
        code = data["tax_code"]
        person = Person.objects.filter(tax_code=code).first()
        if person is None:
            # A corrected codice fiscale fixes the person's record; an unknown one on a new position is new.
            person = self.position.person if self.position.pk else Person(tax_code=code)
        person.tax_code = code
        person.surname = " ".join(data["surname"].split())
        person.name = " ".join(data["name"].split())
        person.profession = data["profession"]
        person.albo_region = data["albo_region"]
        person.albo_section = data["albo_section"]
        person.albo_number = data["albo_number"].strip()
        if data["email"] or not person.email:
            person.email = data["email"].lower()
        return person

    def filled_position(self) -> Position:
        data = self.cleaned_data
        position = self.position
        position.employer = data["employer"]
        position.service = data["service"]
        # The name as written belongs to "Altro" only: a known service is its own name.
        position.service_detail = " ".join(data["service_detail"].split()) if data["service"] == Service.OTHER else ""
        position.contract = data["contract"]
        position.weekly_hours = data["weekly_hours"]
        position.funding = data["funding"]
        position.start_date = data["start_date"]
        position.end_date = data["end_date"]
        position.on_behalf_of_ambito = data["on_behalf_of_ambito"]
        return position


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File del censimento",
        help_text="Excel (.xlsx) o CSV separato da «;» o «,», al massimo 10 MB. L'intestazione è la riga 1.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.checked: CheckedUpload = check_upload(
            upload, name=upload.name or "", size=upload.size or 0, allowed={"xlsx", "csv"}, max_bytes=MAX_IMPORT_BYTES
        )
        return upload


class ImportConfirmForm(forms.Form):
    only_valid = forms.BooleanField(
        label="Importa solo le righe senza errori (le altre restano fuori: correggile e importa di nuovo il file)",
        required=False,
    )


class RatioForm(forms.Form):
    """The date of the ratio and the census it is computed from: validated like any other input."""

    al = forms.DateField(label="Alla data", required=False, widget=DateInput())
    campagna = forms.ModelChoiceField(
        label="Censimento della campagna", queryset=CensusCampaign.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args: Any, campaigns: QuerySet[CensusCampaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "campagna").queryset = campaigns


class InviteForm(forms.Form):
    """The people ticked on the census page, to invite: only people of this census."""

    people = ModelMultipleChoiceField(
        label="Persone da invitare",
        queryset=Person.objects.none(),
        error_messages={
            "required": "Scegli almeno una persona da invitare.",
            "invalid_choice": "Una delle persone scelte non è in questo censimento.",
            "invalid_pk_value": "Una delle persone scelte non è in questo censimento.",
            "invalid_list": "Scegli le persone da invitare dall'elenco.",
        },
    )

    def __init__(self, *args: Any, census: Census, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(positions__census=census).select_related("user").distinct()
        model_choice_field(self, "people").queryset = people


class AccountLinkForm(forms.Form):
    """The account an administrator links to a census person: by user name or e-mail, exactly one."""

    account = forms.CharField(
        label="Account (nome utente o e-mail)",
        max_length=254,
        help_text="L'account deve essere della persona: il collegamento è controllato sul codice fiscale.",
    )

    def clean_account(self) -> User:
        text = self.cleaned_data["account"].strip()
        found = list(User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text))[:2])
        if not found:
            raise forms.ValidationError("Nessun account con questo nome utente o e-mail.")
        if len(found) > 1:
            raise forms.ValidationError("Più account hanno questa e-mail: indica il nome utente.")
        return found[0]

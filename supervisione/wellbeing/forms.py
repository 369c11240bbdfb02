"""The forms of waves, invitations and the questionnaire: every input checked, messages in Italian."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from supervisione.forms import DateInput, DecimalField
from supervisione.planning.models import PlanGroup
from supervisione.wellbeing import instruments
from supervisione.wellbeing.instruments import Instrument
from supervisione.wellbeing.models import TARGETED, Objective, Wave

MAX_ADDRESSES = 300
CBI = "cbi-it"


class GroupField(forms.ModelChoiceField[PlanGroup]):
    def label_from_instance(self, obj: PlanGroup) -> str:
        return f"{obj.name} (POA {obj.plan.year})"


class WaveForm(forms.ModelForm[Wave]):
    instrument = forms.ChoiceField(label="Questionario")

    class Meta:
        model = Wave
        fields = ["group", "round", "opens_on", "closes_on", "note"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wave = self.instance
        plans = {"plan__partnership_id": wave.partnership_id, "plan__ambito_id": wave.ambito_id}
        groups = PlanGroup.objects.filter(**plans).select_related("plan").order_by("-plan__year", "name")
        self.fields["group"] = GroupField(
            queryset=groups,
            required=False,
            label="Gruppo o équipe",
            empty_label="Tutto il partenariato" if wave.partnership_id else "Tutto l'ATS",
            help_text="Vuoto: la rilevazione riguarda tutto l'ente.",
        )
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ChoiceField)  # noqa: S101  (declared above)
        instrument.choices = [(one.key, one.label) for one in instruments.latest()]
        self.fields["round"].widget.attrs["min"] = 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "La rilevazione deve chiudere lo stesso giorno dell'apertura o dopo.")
        key = data.get("instrument")
        if key:
            instrument = instruments.latest_of(key)
            self.instance.instrument_key, self.instance.instrument_version = instrument.key, instrument.version
            exists = Wave.objects.filter(
                Q(partnership_id=self.instance.partnership_id, ambito_id=self.instance.ambito_id),
                group=data.get("group"),
                instrument_key=key,
                round=data.get("round") or 0,
            )
            if exists.exists():
                self.add_error("round", "Questa rilevazione esiste già per questa unità e questo questionario.")
        return data

    def validate_unique(self) -> None:
        """Checked in ``clean`` with an Italian message."""


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label="Indirizzi e-mail",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Uno per riga (o separati da virgola). Chi è già invitato non riceve un secondo invito.",
        error_messages={"required": "Scrivi almeno un indirizzo e-mail."},
    )

    def clean_addresses(self) -> list[str]:
        text: str = self.cleaned_data["addresses"]
        found = [part.strip() for part in text.replace(",", "\n").replace(";", "\n").splitlines() if part.strip()]
        wrong = []
        for address in found:
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError("Indirizzi non validi: " + ", ".join(wrong[:5]) + ". Nessun invito inviato.")
        if len(found) > MAX_ADDRESSES:
            raise ValidationError(f"Al massimo {MAX_ADDRESSES} indirizzi per volta.")
        return found


class QuestionnaireForm(forms.Form):
    """One radio question per item of the instrument (each may be left blank) and the optional free text."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for number, item in enumerate(instrument.items, start=1):
            self.fields[item.key] = forms.TypedChoiceField(
                label=f"{number}. {item.text}",
                choices=[(str(index), option.label) for index, option in enumerate(item.options)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Scegli una delle risposte proposte."},
            )
        if instrument.free_text:
            self.fields["comment"] = forms.CharField(
                label=instrument.free_text, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(item.key) is None for item in self.instrument.items):
            raise ValidationError("Rispondi almeno a una domanda prima di inviare.")
        return data

    def values(self) -> dict[str, int | None]:
        return {item.key: self.cleaned_data.get(item.key) for item in self.instrument.items}


class ObjectiveForm(forms.ModelForm[Objective]):
    """An objective of a tender or Piano di Zona with its indicator on a CBI scale."""

    scale_key = forms.ChoiceField(label="Scala del Copenhagen Burnout Inventory")

    class Meta:
        model = Objective
        fields = ["title", "source", "year", "scale_key", "kind", "target"]
        field_classes = {"target": DecimalField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = self.fields["scale_key"]
        assert isinstance(scale, forms.ChoiceField)  # noqa: S101  (declared above)
        scale.choices = [(one.key, one.title) for one in instruments.latest_of(CBI).scales]
        self.fields["year"].widget.attrs.update({"min": 2021, "max": 2100})

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2021 <= year <= 2100:
            raise ValidationError("Indica un anno tra il 2021 e il 2100.")
        return int(year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, target = data.get("kind"), data.get("target")
        if kind in TARGETED:
            if target is None:
                self.add_error("target", "Per questo indicatore serve il valore da non superare.")
            elif not 0 <= target <= 100:
                self.add_error("target", "Il valore va da 0 a 100 (punti o per cento).")
        elif kind and target is not None:
            self.add_error("target", "Questo indicatore confronta con la rilevazione iniziale: lascia vuoto il valore.")
        return data

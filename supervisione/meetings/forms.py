"""The forms of meetings, convocations, answers and minutes: every input checked, messages in Italian."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from supervisione.accounts.models import User
from supervisione.audit.forms import VersionedForm
from supervisione.forms import DateInput, DecimalField, label_choices, model_choice_field
from supervisione.meetings.actions import SignatoryLine
from supervisione.meetings.models import (
    AgendaItem,
    AmbitoDecision,
    Decision,
    DecisionTopic,
    Invitee,
    Meeting,
    Minutes,
    Modality,
    Outcome,
    Response,
)
from supervisione.territory.models import Ambito

MAX_AGENDA_ITEMS = 30
MAX_SIGNATORIES = 6
SEPARATOR = "|"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MeetingForm(VersionedForm, forms.ModelForm[Meeting]):
    link = forms.URLField(
        label="Link della videochiamata",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Per una riunione da remoto o mista: il link di Teams, Meet, Zoom...",
    )
    agenda = forms.CharField(
        label="Ordine del giorno",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Un punto per riga, nell'ordine della discussione.",
        error_messages={"required": "Scrivi almeno un punto all'ordine del giorno."},
    )
    signatory_lines = forms.CharField(
        label="Firmatari",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Una riga per firmatario: ruolo | nome e cognome. Per esempio: "
            "Il Presidente del Coordinamento Istituzionale | Mario Rossi."
        ),
        error_messages={"required": "Indica almeno un firmatario."},
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "date",
            "start_time",
            "end_time",
            "modality",
            "place",
            "link",
            "convened_by",
            "letter_object",
            "protocol_number",
            "protocol_date",
        ]
        widgets = {
            "date": DateInput(),
            "protocol_date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance
        if meeting.pk:
            self.fields["agenda"].initial = "\n".join(item.title for item in meeting.agenda_items.all())
            self.fields["signatory_lines"].initial = "\n".join(
                f"{line.role} {SEPARATOR} {line.name}" for line in meeting.signatories.all()
            )
        self.signatories: list[SignatoryLine] = []
        self.agenda_titles: list[str] = []

    def clean_agenda(self) -> list[str]:
        items = _lines(self.cleaned_data["agenda"])
        if not items:
            raise forms.ValidationError("Scrivi almeno un punto all'ordine del giorno.")
        if len(items) > MAX_AGENDA_ITEMS:
            raise forms.ValidationError(f"Al massimo {MAX_AGENDA_ITEMS} punti all'ordine del giorno.")
        too_long = [index for index, item in enumerate(items, start=1) if len(item) > 500]
        if too_long:
            raise forms.ValidationError(f"Il punto {too_long[0]} supera i 500 caratteri: accorcialo.")
        self.agenda_titles = items
        return items

    def clean_signatory_lines(self) -> list[SignatoryLine]:
        lines = _lines(self.cleaned_data["signatory_lines"])
        if len(lines) > MAX_SIGNATORIES:
            raise forms.ValidationError(f"Al massimo {MAX_SIGNATORIES} firmatari.")
        result = []
        for number, line in enumerate(lines, start=1):
            role, separator, name = (part.strip() for part in line.partition(SEPARATOR))
            if not separator or not role or not name:
                raise forms.ValidationError(
                    f"Riga {number}: scrivi il ruolo e il nome separati da «{SEPARATOR}», per esempio "
                    f"«Il Responsabile dell'Ufficio di Piano {SEPARATOR} Anna Bianchi»."
                )
            if len(role) > 250 or len(name) > 200:
                raise forms.ValidationError(f"Riga {number}: il ruolo o il nome è troppo lungo.")
            result.append(SignatoryLine(role, name))
        self.signatories = result
        return result

    def recorded(self, data: dict[str, Any]) -> bool:
        """Whether the meeting is a sitting recorded after the fact (no times, place, link or signatory needed)."""
        return self.instance.is_recorded

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "L'ora di fine deve essere dopo l'ora di inizio.")
        if self.recorded(data):
            if bool(start) != bool(end) and "start_time" not in self.errors and "end_time" not in self.errors:
                self.add_error("end_time" if start else "start_time", "Indica entrambe le ore, o nessuna.")
            return data
        for name, what in (("start_time", "l'ora di inizio"), ("end_time", "l'ora di fine")):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"Indica {what}.")
        if not self.signatories and "signatory_lines" not in self.errors:
            self.add_error("signatory_lines", "Indica almeno un firmatario.")
        modality = data.get("modality")
        if modality in (Modality.IN_PERSON, Modality.MIXED) and not data.get("place"):
            self.add_error("place", "Per una riunione in presenza o mista indica il luogo.")
        if modality in (Modality.REMOTE, Modality.MIXED) and not data.get("link"):
            self.add_error("link", "Per una riunione da remoto o mista indica il link della videochiamata.")
        if modality == Modality.REMOTE and data.get("place"):
            data["place"] = ""
        if modality == Modality.IN_PERSON and data.get("link"):
            data["link"] = ""
        return data


RECORDED, TO_CONVENE = "recorded", "convene"


class SittingForm(MeetingForm):
    """A sitting of a co-design table: held in the past and recorded now (date, title and agenda; times, place
    and signatories if known), or to be convened as any meeting."""

    held = forms.ChoiceField(
        label="La seduta",
        choices=[
            (RECORDED, "Si è già tenuta: la registro a posteriori, con il suo verbale (nessuna convocazione)"),
            (TO_CONVENE, "Si terrà: la preparo per convocarla"),
        ],
        initial=RECORDED,
        widget=forms.RadioSelect,
        error_messages={"required": "Scegli se la seduta si è già tenuta o si terrà."},
    )
    field_order = ["held", "title", "date", "agenda"]

    def __init__(self, *args: Any, opened_on: datetime.date, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened_on, self.today = opened_on, today
        if not self.instance.title:  # a new sitting: the instance's empty values would hide the fields' initials
            self.initial.update(
                title="Tavolo di co-progettazione: seduta",
                convened_by="Il Responsabile del procedimento di co-progettazione",
                modality=Modality.IN_PERSON,
            )
        self.fields["start_time"].help_text = "Per una seduta già tenuta, se la si conosce."
        for name in ("letter_object", "protocol_number", "protocol_date"):
            # A sitting recorded after the fact has no convocation letter: these are for a sitting to convene.
            self.fields[name].help_text = "Solo per una seduta da convocare: vanno nella lettera di convocazione."

    def recorded(self, data: dict[str, Any]) -> bool:
        return data.get("held") == RECORDED

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get("date")
        if day is not None:
            if day < self.opened_on:
                self.add_error(
                    "date", f"La seduta non può precedere l'apertura del tavolo ({self.opened_on:%d/%m/%Y})."
                )
            elif self.recorded(data) and day > self.today:
                self.add_error("date", "Una seduta già tenuta non può avere una data futura.")
        return data


class InviteeForm(forms.ModelForm[Invitee]):
    """An invitee: a user of the tenant (name and e-mail taken from the account) or a contact typed in."""

    class Meta:
        model = Invitee
        fields = ["user", "name", "role", "ambito", "email", "pec"]

    def __init__(self, *args: Any, users: QuerySet[User], ambiti: QuerySet[Ambito], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = model_choice_field(self, "user")
        user_field.queryset = users
        user_field.help_text = "Se la persona ha un account; altrimenti scrivi nome ed e-mail."
        label_choices(
            user_field, lambda user: f"{user.get_full_name() or user.username} ({user.email or 'senza e-mail'})"
        )
        model_choice_field(self, "ambito").queryset = ambiti
        for name in ("name", "email"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user: User | None = data.get("user")
        if user is not None:
            data["name"] = data.get("name") or user.get_full_name() or user.username
            data["email"] = data.get("email") or user.email
            self.instance.name, self.instance.email = data["name"], data["email"]
        if not data.get("name"):
            self.add_error("name", "Indica il nome e cognome dell'invitato.")
        if not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Indica l'e-mail a cui inviare la convocazione.")
        return data


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label="Parteciperai?",
        choices=[(Response.ATTENDING.value, "Sì, parteciperò"), (Response.DECLINED.value, "No, non parteciperò")],
        widget=forms.RadioSelect,
        error_messages={"required": "Scegli se parteciperai.", "invalid_choice": "Scegli se parteciperai."},
    )
    note = forms.CharField(
        label="Nota (facoltativa)",
        required=False,
        max_length=500,
        help_text="Per esempio: chi partecipa al tuo posto.",
    )


class MinutesForm(VersionedForm, forms.ModelForm[Minutes]):
    class Meta:
        model = Minutes
        fields = ["opening", "others_present", "closing"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting
        invitees = list(meeting.invitees.select_related("ambito"))
        self.fields["attended"] = forms.MultipleChoiceField(
            label="Presenti",
            required=False,
            choices=[
                (str(invitee.pk), f"{invitee.name}{f' ({invitee.ambito.name})' if invitee.ambito else ''}")
                for invitee in invitees
            ],
            initial=[str(invitee.pk) for invitee in invitees if invitee.attended],
            widget=forms.CheckboxSelectMultiple,
        )
        self.items: list[AgendaItem] = list(meeting.agenda_items.all())
        for item in self.items:
            self.fields[f"summary_{item.pk}"] = forms.CharField(
                label=f"Punto {item.position}: {item.title}",
                required=False,
                max_length=20000,
                initial=item.summary,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def attended_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["attended"]}

    def summaries(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"summary_{item.pk}"].strip() for item in self.items}


class DecisionForm(forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = ["agenda_item", "text", "per_ambito", "topic", "fnps_year"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "topic": "«Co-finanziamento con la quota FNPS»: la decisione di ogni ATS aggiorna il suo stanziamento "
            "FNPS dell'annualità indicata (Fondi FNPS)."
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("topic") == DecisionTopic.FNPS_COFINANCING:
            if not data.get("per_ambito"):
                self.add_error("per_ambito", "Sul co-finanziamento con la quota FNPS ogni ATS decide per sé.")
            if data.get("fnps_year") is None:
                self.add_error("fnps_year", "Indica l'annualità FNPS di cui si decide.")
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agenda_item").queryset = AgendaItem.objects.filter(
            meeting_id=self.instance.minutes.meeting_id
        )


class AmbitoDecisionForm(forms.ModelForm[AmbitoDecision]):
    amount = DecimalField(label="Importo (€)", required=False, max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = AmbitoDecision
        fields = ["outcome", "amount", "act"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") != Outcome.YES and data.get("amount") is not None:
            self.add_error("amount", "L'importo si indica solo se l'ATS ha deciso «sì».")
        return data

"""Forms of the calendar: booking, rescheduling, cancelling, the register, check-in, topics, notes, uploads."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from supervisione.census.models import Person
from supervisione.forms import DateInput, choice_field, model_choice_field
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.lib.uploads import CheckedUpload, check_upload
from supervisione.planning.models import GroupKind, PlanGroup
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.sessions.actions.registers import Mark
from supervisione.sessions.booking import HolidayChoice, Slot
from supervisione.sessions.fingerprint import parse_fingerprint
from supervisione.sessions.models import AttendanceStatus, Frequency, Modality, Session, TopicCategory
from supervisione.sessions.recurrence import MAX_INTERVAL, MAX_OCCURRENCES, Recurrence, RecurrenceError, check
from supervisione.sessions.recurrence import Frequency as RuleFrequency
from supervisione.supervisors.models import Supervisor

SCAN_MAX_BYTES = 10 * 1024 * 1024
PDF_MAX_BYTES = 20 * 1024 * 1024


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


HOLIDAY_CHOICES = [
    (HolidayChoice.ASK.value, "Avvisami e non prenotare"),
    (HolidayChoice.CONFIRM.value, "Prenota comunque: confermo l'incontro nel giorno festivo"),
]


class WhenFields(forms.Form):
    date = forms.DateField(label="Data", widget=DateInput)
    start_time = forms.TimeField(label="Dalle", widget=TimeInput)
    end_time = forms.TimeField(label="Alle", widget=TimeInput)
    modality = forms.ChoiceField(label="Modalità", choices=Modality.choices)
    place = forms.CharField(
        label="Luogo", max_length=250, required=False, help_text="Per gli incontri in presenza o misti: sede e sala."
    )
    link = forms.URLField(
        label="Collegamento",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Per gli incontri da remoto o misti: l'indirizzo della videochiamata.",
    )
    holidays = forms.ChoiceField(
        label="Nei giorni festivi",
        required=False,
        choices=HOLIDAY_CHOICES,
        widget=forms.RadioSelect,
        initial=HolidayChoice.ASK.value,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "L'orario di fine deve seguire quello di inizio.")
        modality = data.get("modality")
        if modality in (Modality.IN_PERSON, Modality.MIXED) and not data.get("place"):
            self.add_error("place", "Indica il luogo dell'incontro in presenza.")
        if modality in (Modality.REMOTE, Modality.MIXED) and not data.get("link"):
            self.add_error("link", "Indica il collegamento per chi partecipa da remoto.")
        return data

    @property
    def slot(self) -> Slot:
        data = self.cleaned_data
        return Slot(data["date"], data["start_time"], data["end_time"])

    @property
    def holiday_choice(self) -> HolidayChoice:
        return HolidayChoice(self.cleaned_data.get("holidays") or "")


class FundingChoiceField(forms.ModelChoiceField[ContractFunding]):
    def label_from_instance(self, obj: ContractFunding) -> str:
        return f"{obj} ({obj.contract})"


class BookingForm(WhenFields):
    """A session, or a recurring series, of one group (or one supervisee, for A2)."""

    kind = forms.ChoiceField(label="Tipo di incontro", choices=[])
    supervisee = forms.ModelChoiceField(
        label="Persona (supervisione individuale A2)",
        queryset=Person.objects.none(),
        required=False,
        help_text="Solo per la supervisione individuale: una persona del gruppo A1, sul monte ore A2 del gruppo.",
    )
    supervisor = forms.ModelChoiceField(label="Supervisore", queryset=Supervisor.objects.none())
    contract = forms.ModelChoiceField(label="Contratto", queryset=Contract.objects.none())
    funding = FundingChoiceField(label="Fonte di finanziamento", queryset=ContractFunding.objects.none())
    repeat = forms.ChoiceField(
        label="Ripetizione",
        choices=[("", "Incontro singolo"), *Frequency.choices],
        required=False,
    )
    interval = forms.IntegerField(
        label="Ogni (settimane o mesi)", min_value=1, max_value=MAX_INTERVAL, initial=1, required=False
    )
    until = forms.DateField(label="Fino al", widget=DateInput, required=False)
    count = forms.IntegerField(
        label="Oppure per un numero di incontri", min_value=1, max_value=MAX_OCCURRENCES, required=False
    )
    field_order = [
        "kind",
        "supervisee",
        "date",
        "start_time",
        "end_time",
        "repeat",
        "interval",
        "until",
        "count",
        "modality",
        "place",
        "link",
        "supervisor",
        "contract",
        "funding",
        "holidays",
    ]

    def __init__(
        self,
        *args: Any,
        group: PlanGroup,
        supervisors: Any,
        contracts: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        kinds = [(group.kind, str(SupervisionTypeChoices(group.kind).label))]
        if group.kind == GroupKind.A1:
            kinds.append((SupervisionTypeChoices.A2.value, str(SupervisionTypeChoices.A2.label)))
        choice_field(self, "kind").choices = kinds
        choice_field(self, "holidays").choices = [
            *HOLIDAY_CHOICES,
            (HolidayChoice.SKIP.value, "Per le serie: salta le date festive"),
        ]
        members = Person.objects.filter(plan_memberships__group=group).order_by("surname", "name")
        model_choice_field(self, "supervisee").queryset = members
        if group.kind != GroupKind.A1:
            del self.fields["supervisee"]
        for name, queryset in (
            ("supervisor", supervisors),
            ("contract", contracts),
            ("funding", ContractFunding.objects.filter(contract__in=contracts).select_related("contract", "ambito")),
        ):
            model_choice_field(self, name).queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == SupervisionTypeChoices.A2 and not data.get("supervisee"):
            self.add_error("supervisee", "Per la supervisione individuale scegli la persona.")
        if kind != SupervisionTypeChoices.A2:
            data["supervisee"] = None
        funding, contract = data.get("funding"), data.get("contract")
        if funding is not None and contract is not None and funding.contract_id != contract.pk:
            self.add_error("funding", "La fonte di finanziamento scelta non appartiene al contratto.")
        if data.get("repeat"):
            until, count = data.get("until"), data.get("count")
            if (until is None) == (count is None):
                self.add_error(
                    "until", "Indica quando finisce la serie: una data di fine oppure il numero di incontri."
                )
            elif data.get("date"):
                try:
                    check(self._rule(data), data["date"])
                except RecurrenceError as error:
                    self.add_error("until" if until else "count", str(error))
        elif data.get("holidays") == HolidayChoice.SKIP:
            self.add_error("holidays", "Saltare le date festive vale solo per le serie.")
        return data

    @staticmethod
    def _rule(data: dict[str, Any]) -> Recurrence:
        return Recurrence(
            RuleFrequency(data["repeat"]),
            interval=data.get("interval") or 1,
            until=data.get("until"),
            count=data.get("count"),
        )

    @property
    def recurrence(self) -> Recurrence | None:
        if not self.cleaned_data.get("repeat"):
            return None
        return self._rule(self.cleaned_data)


class RescheduleForm(WhenFields):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Motivo dello spostamento", max_length=250, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["date", "start_time", "end_time", "modality", "place", "link", "holidays", "reason"]

    @classmethod
    def for_session(cls, session: Session, data: Any = None) -> RescheduleForm:
        return cls(
            data,
            initial={
                "date": session.date,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "modality": session.modality,
                "place": session.place,
                "link": session.link,
                "version": session.version,
            },
        )


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Motivo dell'annullamento", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RegisterForm(forms.Form):
    """One radio group (and the minutes, for a partial presence) per expected participant.

    Each mark carries the value the page showed (Django's hidden initial), so that when somebody else saved
    the register in between, the page can tell which marks this user changed and show them rather than lose
    them (``unsaved_changes``).
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Motivo della modifica",
        max_length=250,
        required=False,
        help_text="Obbligatorio dopo la conferma del registro: la modifica resta nello storico.",
    )

    STATUS_CHOICES = [
        (AttendanceStatus.PRESENT.value, "Presente"),
        (AttendanceStatus.PARTIAL.value, "In parte"),
        (AttendanceStatus.ABSENT_JUSTIFIED.value, "Assente giustificato"),
        (AttendanceStatus.ABSENT.value, "Assente"),
    ]

    def __init__(self, *args: Any, session: Session, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.rows = rows
        for attendance in rows:
            status = forms.ChoiceField(
                label=str(attendance.person),
                choices=self.STATUS_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=attendance.status if attendance.status != AttendanceStatus.UNRECORDED else None,
                show_hidden_initial=True,
            )
            self.fields[f"status_{attendance.pk}"] = status
            self.fields[f"minutes_{attendance.pk}"] = forms.IntegerField(
                label=f"Minuti di presenza di {attendance.person}",
                min_value=1,
                max_value=max(1, session.minutes - 1),
                required=False,
                initial=attendance.minutes if attendance.status == AttendanceStatus.PARTIAL else None,
                show_hidden_initial=True,
            )
        if not session.is_confirmed:
            self.fields["reason"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.session.is_confirmed and not data.get("reason", "").strip():
            self.add_error("reason", "Il registro è già confermato: indica il motivo della modifica.")
        for attendance in self.rows:
            status = data.get(f"status_{attendance.pk}")
            if status == AttendanceStatus.PARTIAL and not data.get(f"minutes_{attendance.pk}"):
                self.add_error(
                    f"minutes_{attendance.pk}",
                    f"Per la presenza parziale di {attendance.person} indica i minuti "
                    f"(da 1 a {self.session.minutes - 1}).",
                )
        return data

    def marks(self) -> dict[int, Mark]:
        result = {}
        for attendance in self.rows:
            status = self.cleaned_data.get(f"status_{attendance.pk}")
            if status:
                result[attendance.pk] = Mark(status, self.cleaned_data.get(f"minutes_{attendance.pk}") or 0)
        return result

    def unsaved_changes(self) -> list[str]:
        """The marks this user changed on the page, in words ("Rizzo Anna: in parte, 45 minuti")."""
        labels = dict(self.STATUS_CHOICES)
        changed = set(self.changed_data)
        result = []
        for attendance in self.rows:
            status = self.cleaned_data.get(f"status_{attendance.pk}")
            if status and {f"status_{attendance.pk}", f"minutes_{attendance.pk}"} & changed:
                minutes = self.cleaned_data.get(f"minutes_{attendance.pk}")
                text = labels[status].lower()
                if status == AttendanceStatus.PARTIAL and minutes:
                    text += f", {minutes} minuti"
                result.append(f"{attendance.person}: {text}")
        if reason := self.cleaned_data.get("reason", "").strip():
            result.append(f"motivo della modifica: «{reason}»")
        return result

    def bound_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(a, self[f"status_{a.pk}"], self[f"minutes_{a.pk}"]) for a in self.rows]


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    early = forms.BooleanField(
        label="L'incontro è già finito: confermo le presenze così come sono",
        required=False,
        help_text=(
            "Chi è segnato presente riceve le ore dell'intero incontro; chi è uscito prima va segnato «in parte»."
        ),
    )

    def __init__(self, *args: Any, early: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["early"]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Codice dell'incontro",
        max_length=12,
        help_text="Il codice di 6 caratteri mostrato dal supervisore (o inquadra il codice QR).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )


class TopicsForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="Aree tematiche trattate",
        choices=TopicCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Solo le categorie: mai il contenuto dei casi né dati delle persone assistite.",
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Nota riservata",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Visibile solo a te. È cifrata nel database. Non scrivere dati delle persone assistite.",
    )


class ScanForm(forms.Form):
    file = forms.FileField(label="Foglio firme firmato (PDF, JPEG o PNG, al massimo 10 MB)")

    checked: CheckedUpload

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.checked = check_upload(
            upload,
            name=upload.name or "",
            size=upload.size or 0,
            allowed={"pdf", "jpeg", "png"},
            max_bytes=SCAN_MAX_BYTES,
        )
        return upload


class VerifyForm(forms.Form):
    file = forms.FileField(label="Registro o attestato in PDF da verificare", required=False)
    fingerprint = forms.CharField(
        label="Oppure l'impronta SHA-256",
        max_length=100,
        required=False,
        help_text="64 caratteri esadecimali, anche a gruppi separati da spazi.",
    )
    code = forms.CharField(
        label="Oppure il codice di verifica",
        max_length=30,
        required=False,
        help_text="Stampato sul documento: R123-1 per un registro, A-7K2M-9QXD per un attestato.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        check_upload(upload, name=upload.name or "", size=upload.size or 0, allowed={"pdf"}, max_bytes=PDF_MAX_BYTES)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("fingerprint") or "").strip()
        if typed:
            parsed = parse_fingerprint(typed)
            if parsed is None:
                self.add_error("fingerprint", "L'impronta SHA-256 è formata da 64 caratteri esadecimali (0-9, a-f).")
            data["fingerprint"] = parsed
        data["code"] = (data.get("code") or "").strip()
        if not data.get("file") and not typed and not data["code"] and not self.errors:
            raise ValidationError(
                "Carica il PDF del documento, oppure incolla la sua impronta o il codice di verifica."
            )
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label="Dal", widget=DateInput)
    end = forms.DateField(label="Al", widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La fine del periodo precede l'inizio.")
        if start and end and (end - start).days > 366 * 3:
            self.add_error("end", "Il periodo può coprire al massimo tre anni.")
        return data


class CalendarForm(forms.Form):
    """The GET parameters of a calendar page, validated like any other input."""

    VIEWS = [("mese", "Mese"), ("settimana", "Settimana"), ("elenco", "Elenco")]
    vista = forms.ChoiceField(choices=VIEWS, required=False)
    giorno = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def view_and_day(self, today: datetime.date) -> tuple[str, datetime.date]:
        if not self.is_valid():
            return "mese", today
        return self.cleaned_data.get("vista") or "mese", self.cleaned_data.get("giorno") or today


class MonthForm(forms.Form):
    mese = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def month(self, default: tuple[int, int]) -> tuple[int, int]:
        """The month asked for, or ``default`` (year, month)."""
        if self.is_valid() and self.cleaned_data.get("mese"):
            year, month = self.cleaned_data["mese"].split("-")
            return int(year), int(month)
        return default

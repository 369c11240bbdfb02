"""The forms of requests and tasks: a new or changed request, closing it, asking each ATS to decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from supervisione.accounts.models import User
from supervisione.audit.forms import VersionedForm
from supervisione.forms import DateInput, model_choice_field
from supervisione.lib import clock
from supervisione.meetings.models import Task, TaskStatus
from supervisione.territory.models import Ambito


class TaskForm(VersionedForm, forms.ModelForm[Task]):
    class Meta:
        model = Task
        fields = ["title", "done_means", "owner_ambito", "owner_user", "deadline", "remind_days", "source"]
        widgets = {"deadline": DateInput(), "done_means": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, ambiti: QuerySet[Ambito], users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner_ambito").queryset = ambiti
        model_choice_field(self, "owner_user").queryset = users
        if self.instance.meeting_id is not None:
            del self.fields["source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner_ambito") is None and data.get("owner_user") is None:
            self.add_error("owner_ambito", "Indica a chi è chiesta: un ATS o una persona.")
        return data


class CloseTaskForm(VersionedForm, forms.ModelForm[Task]):
    outcome = forms.ChoiceField(
        label="Esito",
        choices=[(TaskStatus.DONE.value, "Fatta"), (TaskStatus.CANCELLED.value, "Annullata: non serve più")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Nota", max_length=500, required=False, help_text="Per esempio: l'atto ricevuto.")

    class Meta:
        model = Task
        fields: list[str] = []


class AskEachAmbitoForm(forms.Form):
    deadline = forms.DateField(label="Entro il", widget=DateInput())
    done_means = forms.CharField(
        label="Quando è fatta",
        max_length=1000,
        initial="L'ATS comunica la sua decisione (sì o no, importo, atto) e la si registra nel verbale.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_deadline(self) -> datetime.date:
        deadline: datetime.date = self.cleaned_data["deadline"]
        if deadline < clock.today():
            raise forms.ValidationError("La scadenza è già passata: scegli un giorno da oggi in poi.")
        return deadline

"""The dashboards' filters (validated like any form, kept in the address so that a view can be shared), the
export choice, the A2 move and the evidence pack's request."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms

from supervisione.forms import DateInput, DecimalField, LongSelect, choice_field, label_choices, model_choice_field
from supervisione.lib import clock
from supervisione.lib.italian import hours_counted, hours_text, plural
from supervisione.planning.models import GroupKind, PlanGroup
from supervisione.territory.models import Ambito, Region, cup_validator

from .selection import KINDS, PERIODS, YEAR, Period

FORMATS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))


class FilterForm(forms.Form):
    """Year, period, ATS and type. Unknown or wrong values are reported and the defaults are used instead."""

    anno = forms.IntegerField(label="Anno", min_value=2021, max_value=2100)
    periodo = forms.ChoiceField(label="Periodo", choices=[(key, period.label) for key, period in PERIODS.items()])
    ats = forms.ChoiceField(label="ATS", required=False, widget=LongSelect)
    regione = forms.ChoiceField(label="Regione", required=False)
    tipo = forms.ChoiceField(
        label="Tipo di supervisione", required=False, choices=[("", "Tutti i tipi"), *KINDS.items()]
    )

    def __init__(
        self,
        data: Any,
        *,
        ambiti: list[Ambito] | None = None,
        regions: list[Region] | None = None,
        year: int | None = None,
        kinds: bool = True,
    ) -> None:
        today = clock.today()
        self.default_year = year or today.year
        values = {key: data.get(key) for key in ("anno", "periodo", "ats", "regione", "tipo") if data.get(key)}
        super().__init__({"anno": self.default_year, "periodo": YEAR.key, **values})
        self.ambiti = {ambito.code: ambito for ambito in ambiti or []}
        self.regions = {region.istat_code: region for region in regions or []}
        if ambiti:
            choice_field(self, "ats").choices = [("", "Tutti gli ATS")] + [(a.code, a.name) for a in ambiti]
        else:
            del self.fields["ats"]
        if regions:
            choice_field(self, "regione").choices = [("", "Tutte le regioni")] + [
                (r.istat_code, r.name) for r in regions
            ]
        else:
            del self.fields["regione"]
        if not kinds:
            del self.fields["tipo"]
        if year is not None and "anno" not in values:
            self.fields["anno"].initial = year

    def value(self, name: str, default: Any = None) -> Any:
        """The valid value of a field, or ``default`` when it is missing or wrong (its error is shown)."""
        self.is_valid()
        return self.cleaned_data.get(name, default) if name in self.cleaned_data else default

    @property
    def year(self) -> int:
        year: int = self.value("anno", self.default_year) or self.default_year
        return year

    @property
    def period(self) -> Period:
        return PERIODS.get(self.value("periodo", YEAR.key) or YEAR.key, YEAR)

    @property
    def ambito(self) -> Ambito | None:
        return self.ambiti.get(self.value("ats", "") or "")

    @property
    def region(self) -> Region | None:
        return self.regions.get(self.value("regione", "") or "")

    @property
    def kind(self) -> str | None:
        return self.value("tipo", "") or None

    def query(self, **extra: str) -> str:
        """The filters as a query string, to keep them in links (exports, other views)."""
        values = {"anno": str(self.year), "periodo": self.period.key}
        if self.ambito is not None:
            values["ats"] = self.ambito.code
        if self.region is not None:
            values["regione"] = self.region.istat_code
        if self.kind:
            values["tipo"] = self.kind
        values.update(extra)
        return urlencode(values)


class ExportForm(forms.Form):
    tabella = forms.SlugField(max_length=40)
    formato = forms.ChoiceField(choices=FORMATS)


class ReportForm(forms.Form):
    formato = forms.ChoiceField(choices=(("pdf", "PDF"), ("docx", "Word (DOCX)")))


class MoveA2Form(forms.Form):
    """Unused A2 hours of an A1 group's pool to an A1 group or A3 équipe of the same plan, with the reason."""

    source = forms.ModelChoiceField(label="Dal monte ore A2 del gruppo", queryset=PlanGroup.objects.none())
    target = forms.ModelChoiceField(label="Al gruppo o équipe", queryset=PlanGroup.objects.none())
    hours = DecimalField(label="Ore da spostare", max_digits=6, decimal_places=1, min_value=Decimal("0.5"))
    reason = forms.CharField(
        label="Motivo",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Perché le ore non servono alla supervisione individuale e a cosa servono: resta nel registro.",
    )

    def __init__(self, *args: Any, groups: list[PlanGroup], free: dict[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free = free
        ids = [group.pk for group in groups]
        source = model_choice_field(self, "source")
        source.queryset = PlanGroup.objects.filter(pk__in=ids, kind=GroupKind.A1).order_by("name")
        model_choice_field(self, "target").queryset = PlanGroup.objects.filter(
            pk__in=ids, kind__in=[GroupKind.A1, GroupKind.A3]
        ).order_by("kind", "name")
        label_choices(source, lambda group: f"{group.name} (libere {hours_text(free.get(group.pk, Decimal(0)))} h)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, target, hours = data.get("source"), data.get("target"), data.get("hours")
        if source is not None and target is not None and source.pk == target.pk:
            self.add_error("target", "Scegli un gruppo diverso da quello da cui si spostano le ore.")
        if source is not None and hours is not None:
            free = self.free.get(source.pk, Decimal(0))
            if hours > free:
                self.add_error(
                    "hours",
                    f"Il monte ore A2 di {source.name} ha {hours_counted(free)} "
                    f"{plural(free, 'libera', 'libere')} (non usate né prenotate): non se ne possono spostare di più.",
                )
        return data


class EvidencePackForm(forms.Form):
    cup = forms.CharField(label="CUP", max_length=15, validators=[cup_validator])
    start = forms.DateField(label="Dal", widget=DateInput())
    end = forms.DateField(label="Al", widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("end", "La data finale viene prima di quella iniziale.")
        return data

"""Form rendering in the Bootstrap Italia markup, for every form of the project, and the fields they share.

Set as ``FORM_RENDERER``: each widget gets the design system's CSS class, and Django's own
``aria-invalid``/``aria-describedby`` attributes link a field to its help text and its error message, so
screen readers announce both.

``model_choice_field`` and ``choice_field`` are the one typed way a form narrows a field in ``__init__`` (its
queryset, its choices) and ``label_choices`` the way it labels a field's records.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from supervisione.lib.italian import ItalianParseError, decimal_text, parse_decimal

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)

M = TypeVar("M", bound=models.Model)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, which is a ``ModelChoiceField`` (or a multiple one), typed as such so that
    ``__init__`` may narrow its queryset: ``form.fields`` holds plain ``Field``s for the checker."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ModelChoiceField")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, which is a ``ChoiceField`` (or a subclass), typed as such so that ``__init__``
    may set its choices."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ChoiceField")
    return field


def label_choices(field: forms.ModelChoiceField[M], label: Callable[[M], str]) -> None:
    """Show each record of the field as ``label(record)`` rather than ``str(record)``, for this form only."""
    # Django's documented way is a subclass overriding the method; on a field the model form made, setting it
    # on the one instance does the same, and mypy refuses an assignment to a method.
    field.label_from_instance = label  # type: ignore[method-assign,assignment]  # a per-instance override, see above


class ItaliaBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, _CHECK_WIDGETS) or widget.is_hidden:
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = " ".join(filter(None, [str(attrs.get("class", "")), css]))
        return attrs

    @property
    def is_check(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def is_choice_list(self) -> bool:
        return isinstance(self.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))

    @property
    def is_select(self) -> bool:
        return isinstance(self.field.widget, forms.Select) and not self.is_choice_list


class ItaliaFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = ItaliaBoundField


class DateInput(forms.DateInput):
    """A native date picker; the browser shows it in the user's locale and sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DecimalField(forms.DecimalField):
    """A decimal typed the Italian way (``1.234,50``) or the spreadsheet way (``1234.50``)."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        return attrs

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # a Decimal, not IntegerField's int (so do the stubs)
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_decimal(str(value))
        except ItalianParseError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        return super().to_python(str(number))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return decimal_text(value)
        return value


# The dates a form takes: anything outside is a typing error, and years 1 and 9999 break the conversion to UTC
# and the date arithmetic of the pages (OverflowError: a 500 instead of a message).
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2199, 12, 31)


class DateTimeField(forms.DateTimeField):
    """A date and time between ``FIRST_DATE`` and ``LAST_DATE``."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, datetime.datetime) and not FIRST_DATE <= value.date() <= LAST_DATE:
            raise forms.ValidationError(
                "Indica una data tra il %(first)s e il %(last)s.",
                code="out_of_range",
                params={"first": f"{FIRST_DATE:%d/%m/%Y}", "last": f"{LAST_DATE:%d/%m/%Y}"},
            )


# The largest key a record can have (64-bit integers); SQLite cannot even compare with a larger number.
LARGEST_KEY = 2**63 - 1


# Generic over its model in django-stubs (subscriptable at run time through django_stubs_ext, see settings):
# this one serves any model.
class ModelMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Django's field, refusing a number too large to be a record's key before it reaches the database:
    SQLite fails on it (OverflowError) in the lookup of the chosen records, a 500 instead of a message."""

    def clean(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        model = self.queryset.model if self.queryset is not None else None
        field = None if model is None else (model._meta.pk if key == "pk" else model._meta.get_field(key))
        if isinstance(field, models.IntegerField) and isinstance(value, list | tuple):
            for item in value:
                text = str(item).strip()
                if re.fullmatch(r"[+-]?\d+", text, flags=re.ASCII) and abs(int(text)) > LARGEST_KEY:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:30]}
                    )
        return super().clean(value)


class LongSelect(forms.Select):
    """A select of hundreds of options (e.g. every ATS of the country), written out directly.

    The same markup as Django's ``select.html`` and ``select_option.html`` (no option groups), without
    rendering two templates per option: the national observatory's ATS filter (about 600 options) took a
    fifth of the page's time that way.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                raise ValueError("LongSelect does not render option groups.")
            options += [
                format_html(
                    '<option value="{}"{}>{}</option>', str(option["value"]), _attrs(option["attrs"]), option["label"]
                )
                for option in group_choices
            ]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            mark_safe("".join(options)),  # noqa: S308  (each option escaped by format_html)
        )


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Django's ``attrs.html``: ` name="value"`, a bare ` name` for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, str(value)),)
            for key, value in attrs.items()
            if value is not False
        ),
    )

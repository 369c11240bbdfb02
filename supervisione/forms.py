"""Form rendering in the Bootstrap Italia markup, for every form of the project.

Set as ``FORM_RENDERER``: each widget gets the design system's CSS class, and Django's own
``aria-invalid``/``aria-describedby`` attributes link a field to its help text and its error message, so
screen readers announce both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from supervisione.lib.italian import ItalianParseError, parse_decimal

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


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

    # django-stubs types DecimalField.to_python after IntegerField's; Django's own returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
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
            return f"{value:f}".replace(".", ",")
        return value


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

"""``LongSelect`` writes the same markup as Django's ``Select`` templates (less their blank lines), faster."""

from __future__ import annotations

import re

from django import forms

from supervisione.forms import LongSelect

CHOICES = [("", "Tutti gli ATS"), ("PUG_MAGLIE", "Maglie"), ("X<&\"'", 'D\'Annunzio & <Figli> "Srl"')]


def _form(widget: type[forms.Select], data: dict[str, str] | None) -> forms.Form:
    class Filter(forms.Form):
        ats = forms.ChoiceField(label="ATS", required=False, choices=CHOICES, widget=widget)

    return Filter(data)


def test_it_renders_the_same_markup_as_djangos_select() -> None:
    for data in (None, {"ats": "PUG_MAGLIE"}, {"ats": "X<&\"'"}, {"ats": "nessuno"}):
        expected = _form(forms.Select, data)["ats"].as_widget(attrs={"aria-describedby": "a b", "required": True})
        found = _form(LongSelect, data)["ats"].as_widget(attrs={"aria-describedby": "a b", "required": True})
        assert found == re.sub(r">\s+<", "><", expected.strip())  # the same, less the blank lines between tags


def test_it_escapes_values_and_labels() -> None:
    html = _form(LongSelect, {"ats": "X<&\"'"})["ats"].as_widget()
    assert "<Figli>" not in html
    assert "&lt;Figli&gt;" in html
    assert 'value="X&lt;&amp;&quot;&#x27;" selected' in html

"""``model_choice_field``, ``choice_field`` and ``label_choices``: the typed way forms narrow their fields."""

from __future__ import annotations

import pytest
from django import forms

from supervisione.accounts.models import User
from supervisione.forms import choice_field, label_choices, model_choice_field


class Filter(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none())
    kind = forms.ChoiceField(choices=[("a", "A")])
    note = forms.CharField()


def test_it_returns_the_field_itself() -> None:
    form = Filter()
    assert model_choice_field(form, "user") is form.fields["user"]
    assert choice_field(form, "kind") is form.fields["kind"]
    # A ModelChoiceField is a ChoiceField too.
    assert choice_field(form, "user") is form.fields["user"]


def test_it_refuses_a_field_of_another_kind() -> None:
    with pytest.raises(TypeError, match=r"Filter\.note is a CharField, not a ModelChoiceField"):
        model_choice_field(Filter(), "note")
    with pytest.raises(TypeError, match=r"Filter\.kind is a ChoiceField, not a ModelChoiceField"):
        model_choice_field(Filter(), "kind")
    with pytest.raises(TypeError, match=r"Filter\.note is a CharField, not a ChoiceField"):
        choice_field(Filter(), "note")


def test_it_labels_the_records_of_one_form_only() -> None:
    form, other = Filter(), Filter()
    label_choices(model_choice_field(form, "user"), lambda user: f"<{user.username}>")
    someone = User(username="rossi")
    assert model_choice_field(form, "user").label_from_instance(someone) == "<rossi>"
    assert model_choice_field(other, "user").label_from_instance(someone) == "rossi"

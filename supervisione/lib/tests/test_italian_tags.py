from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template


def render(text: str, **context: object) -> str:
    return Template("{% load italian %}" + text).render(Context(context))


def test_it_writes_money_and_numbers_in_templates_as_floatformat_did() -> None:
    assert render("{{ v|euro }}", v=Decimal("1234.5")) == "1.234,50 €"
    assert render("{{ v|euro:0 }}", v=Decimal("1234.5")) == "1.235 €"
    assert render("{{ v|number:-1 }}", v=Decimal("7.25")) == "7,3"
    assert render("{{ v|number:-1 }}", v=Decimal("16.00")) == "16"
    assert render("{{ v|number:2 }}", v=Decimal("3")) == "3,00"
    assert render("{{ v|number }}", v=15000) == "15.000"


def test_it_writes_hours_and_durations_of_minutes() -> None:
    assert render("{{ v|hours:2 }}", v=Decimal("1.666")) == "1,67"
    assert render("{{ m|minutes_as_hours }}", m=100) == "1,67"
    assert render("{{ m|duration }}", m=90) == "1,5 ore"


def test_it_shows_a_dash_for_no_value_and_nothing_for_what_is_not_a_number() -> None:
    assert render("{{ v|euro }}", v=None) == "\u2013"
    assert render("{{ v|number:2 }}", v="abc") == ""


def test_it_makes_counts_agree_with_their_nouns() -> None:
    assert render('{{ n|counted:"riga,righe" }}', n=1) == "1 riga"
    assert render('{{ n|counted:"riga,righe" }}', n=2) == "2 righe"
    assert render('{{ n }} ATS {{ n|plural:"consultabile,consultabili" }}', n=1) == "1 ATS consultabile"
    assert render('{{ n }} ATS {{ n|plural:"consultabile,consultabili" }}', n=2) == "2 ATS consultabili"
    assert render("{{ v|hours_counted }}", v=Decimal("1.00")) == "1 ora"
    assert render("{{ v|hours_counted:1 }}", v=Decimal("2.25")) == "2,3 ore"


def test_it_elides_the_article_before_a_percentage() -> None:
    assert render('soglia {{ v|percent_with:"di" }}', v=80) == "soglia dell'80 %"
    assert render('soglia {{ v|percent_with:"di" }}', v=70) == "soglia del 70 %"

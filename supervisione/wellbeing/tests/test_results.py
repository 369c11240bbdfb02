"""Results (issue 19.4-5): only closed waves, only cells of at least k, complementary suppression shared by the
unit page and the tenant table, the hours received beside the trend, a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervisione.supervisors.models import Supervisor
from supervisione.testing import factories as shared_factories
from supervisione.testing.world import World
from supervisione.wellbeing import results
from supervisione.wellbeing.checks import min_cell_check
from supervisione.wellbeing.models import Answer, Comment, Wave
from supervisione.wellbeing.tests import factories


def test_a_unit_of_four_shows_no_results_and_one_of_six_shows_its_means(world: World, client_for: Any) -> None:
    big = factories.unit(
        world.partnership, "Gruppo Adriatico", [75, 75, 50, 50, 50, 25, 50, 50, 50], [50, 50, 25, 25, 25, 25]
    )
    small = factories.unit(world.partnership, "Gruppo Ionio", [75, 75, 75, 50])
    factories.unit(world.partnership, "Gruppo Salento", [50, 50, 50, 50, 50, 50, 50], [25, 25, 25, 25, 25])
    client = client_for("coordinator")
    page = client.get(reverse("wellbeing:results", args=[small.pk])).content.decode()
    assert "meno di 5 risposte: risultati non mostrati" in page
    assert "Nessun punteggio da disegnare" in page  # no empty axes for a unit with nothing to show
    assert 'id="grafico-andamento"' not in page
    page = client.get(reverse("wellbeing:results", args=[big.pk])).content.decode()
    assert 'id="grafico-andamento"' in page
    assert "<strong>52,8</strong>" in page  # personal burn-out at baseline: (2 x 75 + 6 x 50 + 25) / 9 = 475 / 9
    assert "9 risposte" in page
    # Salento's baseline (7, the smallest beside Ionio's 4) is hidden so that the baseline total does not give
    # Ionio's away.
    assert "Gruppo Salento</th><td>non mostrato" in page


def test_a_small_cell_is_not_recoverable_from_the_totals_of_the_table(world: World) -> None:
    first = factories.unit(world.partnership, "Gruppo Adriatico", [75] * 6, [50] * 6)
    factories.unit(world.partnership, "Gruppo Ionio", [75, 75, 75, 50], [50] * 5)
    factories.unit(world.partnership, "Gruppo Salento", [50] * 7, [25] * 5)
    table = results.tenant_table(results.tenant_waves(first))
    hidden = [
        (unit.name, cell.n) for unit, row in zip(table.units, table.cells, strict=True) for cell in row if cell.hidden
    ]
    # Ionio at baseline (4) is hidden, and so is a second baseline cell (Adriatico, 6, the smallest beside it), so
    # that the baseline total gives neither; the units' totals across waves are never shown.
    assert hidden == [("Gruppo Adriatico", 6), ("Gruppo Ionio", 4)]
    assert all(not cell.hidden for cell in table.totals)
    ionio = table.row(table.units[[u.name for u in table.units].index("Gruppo Ionio")].group_id)
    assert ionio[0].small
    assert ionio[0].figures[0].summary is None


def test_an_open_wave_shows_no_results_while_it_takes_answers(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership, group=factories.group(world.partnership))
    factories.answers(wave, [50] * 8)
    page = client_for("coordinator").get(reverse("wellbeing:results", args=[wave.pk])).content.decode()
    assert "rilevazione non ancora chiusa" in page
    assert "8 risposte" not in page


def test_the_results_page_keeps_its_number_of_queries_as_units_grow(world: World, client_for: Any) -> None:
    first = factories.unit(world.partnership, "Gruppo 1", [50] * 6, [25] * 6)
    client = client_for("coordinator")
    url = reverse("wellbeing:results", args=[first.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(2, 6):
        factories.unit(world.partnership, f"Gruppo {number}", [50] * (3 + number), [25] * 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_feedback_form_results_say_non_validato(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership, instrument_key="feedback-it", closed=True)
    page = client_for("coordinator").get(reverse("wellbeing:results", args=[wave.pk])).content.decode()
    assert "non validato" in page


def test_the_system_check_refuses_a_threshold_below_three() -> None:
    with override_settings(WELLBEING_MIN_CELL=2):
        assert [error.id for error in min_cell_check()] == ["wellbeing.E001"]
    with override_settings(WELLBEING_MIN_CELL=3):
        assert min_cell_check() == []


def _feedback_unit(world: World, answers: int, record: Supervisor) -> Wave:
    group = factories.group(world.partnership, f"Gruppo con {answers}")
    group.supervisor = record
    group.save(update_fields=["supervisor"])
    wave = factories.wave(world.partnership, group=group, instrument_key="feedback-it", closed=True)
    for number in range(answers):
        Answer.objects.create(wave=wave, values={"f5": 8}, scores={"overall": 8})
        Comment.objects.create(wave=wave, text=f"Commento {number}")
    return wave


def test_free_text_goes_to_the_unit_supervisor_only_with_k_answers(world: World, client_for: Any) -> None:
    record = shared_factories.supervisor(world.partnership, user=world.supervisor)
    enough = _feedback_unit(world, 5, record)
    url = reverse("wellbeing:results", args=[enough.pk])
    assert "Commento 3" in client_for("supervisor").get(url).content.decode()
    assert "Commento 3" not in client_for("coordinator").get(url).content.decode()
    few = _feedback_unit(world, 4, record)
    assert (
        "Commento 3" not in client_for("supervisor").get(reverse("wellbeing:results", args=[few.pk])).content.decode()
    )


def test_each_year_is_its_own_series(world: World) -> None:
    # The 2026 plan's groups are new units: the 2025 waves do not enter the 2026 table or its totals.
    old = factories.unit(world.partnership, "Gruppo Adriatico", [50] * 6)
    new = factories.wave(
        world.partnership, group=factories.group(world.partnership, "Gruppo Adriatico", year=2026), closed=True
    )
    factories.answers(new, [25] * 7)
    assert [w.pk for w in results.tenant_waves(new)] == [new.pk]
    table = results.tenant_table(results.tenant_waves(old))
    assert table.totals[0].n == 6


def test_the_csv_hides_what_the_page_hides(world: World, client_for: Any) -> None:
    first = factories.unit(world.partnership, "Gruppo Adriatico", [50] * 9)
    factories.unit(world.partnership, "Gruppo Ionio", [75] * 4)
    factories.unit(world.partnership, "Gruppo Salento", [25] * 7)
    response = client_for("coordinator").get(reverse("wellbeing:results_csv", args=[first.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Unità;Rilevazione;Scala;Risposte;Media")
    assert (
        "Gruppo Ionio;Rilevazione iniziale;Burnout personale;;;;;;meno di 5 risposte: risultati non mostrati" in lines
    )
    assert "Gruppo Salento;Rilevazione iniziale;Burnout personale;;;;;;non mostrato" in lines
    assert any(line.startswith("Gruppo Adriatico;Rilevazione iniziale;Burnout personale;9;50,0") for line in lines)
    assert client_for("outsider").get(reverse("wellbeing:results_csv", args=[first.pk])).status_code == 404

"""The wellbeing results as JSON (issue 19.5): the same table, hidden the same way, as the results page and its CSV;
a hidden cell carries no figure and no count; authorised as the pages (the outsider gets 404)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from supervisione.testing.world import World
from supervisione.wellbeing import results
from supervisione.wellbeing.exports import table_rows
from supervisione.wellbeing.models import Objective, Wave
from supervisione.wellbeing.tests import factories

IONIO_MEAN = ("68.8", "68.75", "68,8")  # Ionio's baseline, (3 x 75 + 50) / 4: hidden, never written


@pytest.fixture
def units(world: World) -> Wave:
    """Ionio (4 at baseline) is hidden, and Salento's baseline (7) with it so the total does not give Ionio away."""
    first = factories.unit(
        world.partnership, "Gruppo Adriatico", [75, 75, 50, 50, 50, 25, 50, 50, 50], [50, 50, 25, 25, 25, 25]
    )
    factories.unit(world.partnership, "Gruppo Ionio", [75, 75, 75, 50])
    factories.unit(world.partnership, "Gruppo Salento", [50, 50, 50, 50, 50, 50, 50], [25, 25, 25, 25, 25])
    Objective.objects.create(
        partnership=world.partnership, title="Prevenire il burn-out", year=2025, scale_key="work", kind="mean_falls"
    )
    return first


def test_the_json_hides_what_the_page_and_the_csv_hide(world: World, units: Wave, client_for: Any) -> None:
    response = client_for("coordinator").get(reverse("wellbeing:api_results", args=[units.pk]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["soglia_minima_risposte"] == 5
    hidden = {
        (unit["nome"], cell["rilevazione"]) for unit in data["unita"] for cell in unit["celle"] if not cell["mostrata"]
    }
    csv = table_rows(results.tenant_table(results.tenant_waves(units)))
    assert hidden == {(row[0], row[1]) for row in csv[1:] if str(row[8]).startswith(("meno di", "non mostrato"))}
    assert hidden == {("Gruppo Ionio", "Rilevazione iniziale"), ("Gruppo Salento", "Rilevazione iniziale")}
    ionio = next(unit for unit in data["unita"] if unit["nome"] == "Gruppo Ionio")["celle"][0]
    assert ionio["nota"] == "meno di 5 risposte: risultati non mostrati"
    for scale in ionio["scale"]:
        assert (scale["risposte"], scale["media"], scale["ic95"], scale["quota_alla_soglia_o_piu"]) == (None,) * 4
    adriatico = next(unit for unit in data["unita"] if unit["nome"] == "Gruppo Adriatico")["celle"][0]
    assert adriatico["scale"][0]["media"] == 52.8
    assert adriatico["scale"][0]["risposte"] == 9
    text = response.content.decode()
    for figure in IONIO_MEAN:
        assert figure not in text
    [objective] = data["obiettivi"]
    assert objective["esito"] == "raggiunto"


def test_the_objective_on_a_hidden_total_carries_no_figure(world: World, client_for: Any) -> None:
    first = factories.unit(world.partnership, "Gruppo Ionio", [75, 75, 75, 50], [25] * 6)
    Objective.objects.create(
        partnership=world.partnership, title="Prevenire il burn-out", year=2025, scale_key="work", kind="mean_falls"
    )
    response = client_for("coordinator").get(reverse("wellbeing:api_results", args=[first.pk]))
    [objective] = json.loads(response.content)["obiettivi"]
    assert objective["esito"] == "non valutabile"
    assert objective["rilevazione_iniziale"] is None
    for figure in IONIO_MEAN:
        assert figure not in response.content.decode()


# persona -> (a partnership wave's results, the observers' aggregate)
EXPECTED = {
    "admin": (200, 200),
    "coordinator": (200, 404),
    "supervisor": (200, 404),
    "referent": (404, 404),
    "supervisee": (404, 404),
    "observer": (404, 200),
    "national_observer": (404, 200),
    "outsider": (404, 404),
    "nobody": (404, 404),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_it_answers_by_role_as_the_pages(world: World, units: Wave, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    statuses = (
        client.get(reverse("wellbeing:api_results", args=[units.pk])).status_code,
        client.get(reverse("wellbeing:api_observatory")).status_code,
    )
    assert statuses == EXPECTED[persona]


def test_the_aggregate_names_no_unit_and_hides_the_tenants_hidden_totals(world: World, client_for: Any) -> None:
    small = factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo C"), closed=True)
    factories.answers(small, [75, 75, 75, 50])
    maglie = factories.wave(ambito=world.maglie, closed=True)
    factories.answers(maglie, [25] * 8)
    response = client_for("observer").get(reverse("wellbeing:api_observatory"))
    data = json.loads(response.content)
    text = response.content.decode()
    assert "Gruppo C" not in text
    rows = {row["nome"]: row["celle"][0] for row in data["enti"]}
    assert not rows["Partenariato POGGIARDO-114, 2025"]["mostrata"]
    assert not rows["Ambito di Maglie, 2025"]["mostrata"]  # its complement: else the total gives Poggiardo away
    assert data["tutti"][0]["scale"][0]["risposte"] == 12  # two hidden cells together: neither can be told
    for figure in IONIO_MEAN:
        assert figure not in text


def test_anonymous_callers_are_sent_to_the_login(world: World, units: Wave, client: Any) -> None:
    response = client.get(reverse("wellbeing:api_results", args=[units.pk]))
    assert response.status_code == 302
    assert b"68" not in response.content

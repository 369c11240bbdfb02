"""The wellbeing results on the partnership and ATS dashboards (issue 19.5): the tenant's own table from
``wellbeing.results``, hidden exactly as the wellbeing results page hides it, only for those who read the tenant's
results there; everyone else sees no section, the outsider still a 404."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from supervisione.monitoring.wellbeing_results import tenant_series, units_table
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World
from supervisione.wellbeing.models import Wave
from supervisione.wellbeing.tests import factories


@pytest.fixture
def units(world: World) -> Wave:
    """Ionio (4 at baseline) is hidden, and Salento's baseline (7) with it so the total does not give Ionio away."""
    first = factories.unit(
        world.partnership, "Gruppo Adriatico", [75, 75, 50, 50, 50, 25, 50, 50, 50], [50, 50, 25, 25, 25, 25]
    )
    factories.unit(world.partnership, "Gruppo Ionio", [75, 75, 75, 50])
    factories.unit(world.partnership, "Gruppo Salento", [50, 50, 50, 50, 50, 50, 50], [25, 25, 25, 25, 25])
    return first


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _dashboard(client: Any, code: str, kind: str = "partnership", **query: str) -> Any:
    return client.get(reverse(f"monitoring:{kind}", args=[code]), {"anno": "2025", **query})


@frozen(2025, 10, 1)
def test_the_dashboard_hides_every_cell_the_wellbeing_page_hides(world: World, units: Wave, client_for: Any) -> None:
    client = client_for("coordinator")
    page = _dashboard(client, world.partnership.code).content.decode()
    assert "Benessere degli operatori" in page
    assert reverse("wellbeing:results", args=[units.pk]) in page
    exported = _csv(
        b"".join(_dashboard(client, world.partnership.code, tabella="benessere", formato="csv").streaming_content)
    )
    own = _csv(b"".join(client.get(reverse("wellbeing:results_csv", args=[units.pk])).streaming_content))
    # Unit, round, scale, respondents and note alike, row by row; a figure where and only where the page has one.
    assert [[*row[:4], row[8]] for row in exported[1:]] == [[*row[:4], row[8]] for row in own[1:]]
    assert [row[4] == "" for row in exported[1:]] == [row[4] == "" for row in own[1:]]
    hidden = {(row[0], row[1]) for row in exported[1:] if row[8].startswith(("meno di", "non mostrato"))}
    assert hidden == {("Gruppo Ionio", "Rilevazione iniziale"), ("Gruppo Salento", "Rilevazione iniziale")}
    assert "meno di 5 risposte: risultati non mostrati" in page
    workbook = _dashboard(client, world.partnership.code, tabella="benessere", formato="xlsx")
    assert workbook.status_code == 200


@frozen(2025, 10, 1)
def test_the_table_is_typed_for_the_spreadsheets(world: World, units: Wave) -> None:
    [series] = tenant_series(partnership_id=world.partnership.pk)
    table = units_table(series)
    adriatico = table.rows[0]
    assert adriatico[:4] == ["Gruppo Adriatico", "Rilevazione iniziale", "Burnout personale", 9]
    assert str(adriatico[4]) == "52.8"  # (2 x 75 + 6 x 50 + 25) / 9
    ionio = next(row for row in table.rows if row[0] == "Gruppo Ionio")
    assert ionio[3:8] == [None] * 5


# persona -> (partnership dashboard status, section shown)
EXPECTED = {
    "admin": (200, True),
    "coordinator": (200, True),
    "supervisor": (200, True),
    "referent": (200, False),
    "observer": (200, False),
    "outsider": (404, False),
}


@frozen(2025, 10, 1)
@pytest.mark.parametrize("persona", EXPECTED)
def test_only_who_reads_the_results_sees_the_section(world: World, units: Wave, client_for: Any, persona: str) -> None:
    response = _dashboard(client_for(persona), world.partnership.code)
    shown = "Benessere degli operatori" in response.content.decode()
    assert (response.status_code, shown) == EXPECTED[persona]


@frozen(2025, 10, 1)
def test_the_ats_dashboard_shows_the_ats_own_waves(world: World, client_for: Any) -> None:
    wave = factories.wave(ambito=world.maglie, closed=True)
    factories.answers(wave, [50] * 6)
    page = _dashboard(client_for("referent"), world.maglie.code, "ambito").content.decode()
    assert "Benessere degli operatori" in page
    assert "6 risposte" not in page  # the wellbeing page's wording; here a number in its column
    assert ">6<" in page
    assert reverse("wellbeing:results", args=[wave.pk]) in page
    other = _dashboard(client_for("referent"), world.maglie.code, "ambito", anno="2024").content.decode()
    assert "Nessuna rilevazione anonima sul burn-out chiusa per il 2024." in other
    assert _dashboard(client_for("outsider"), world.maglie.code, "ambito").status_code == 404


@frozen(2025, 10, 1)
def test_the_section_adds_a_fixed_number_of_queries(
    world: World, units: Wave, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("coordinator")
    with django_assert_max_num_queries(80) as first:
        _dashboard(client, world.partnership.code)
    for number in range(4):
        factories.unit(world.partnership, f"Gruppo {number}", [50] * 6, [25] * 6)
    with django_assert_max_num_queries(len(first.captured_queries)):
        _dashboard(client, world.partnership.code)

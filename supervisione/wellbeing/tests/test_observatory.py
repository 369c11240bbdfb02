"""The observers' aggregate: each partnership or ATS pooled per round, the same suppression as the tenants' own
pages, no units; only observers (and administrators) read it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from supervisione.testing.world import World
from supervisione.wellbeing import results
from supervisione.wellbeing.models import Wave
from supervisione.wellbeing.tests import factories


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("national_observer", 200), ("admin", 200), ("coordinator", 404), ("supervisee", 404)],
)
def test_only_observers_read_the_aggregate(world: World, client_for: Any, persona: str, status: int) -> None:
    assert client_for(persona).get(reverse("wellbeing:observatory")).status_code == status


def test_it_pools_each_tenant_and_hides_what_the_tenants_hide(world: World, client_for: Any) -> None:
    # Poggiardo: a group of 6 and a group of 3 at baseline, so its own page hides both units... and shows its total
    # (9); Maglie alone with 4 answers: hidden, and with it the smallest other tenant of the column.
    poggiardo_a = factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo A"), closed=True)
    factories.answers(poggiardo_a, [50] * 6)
    poggiardo_b = factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo B"), closed=True)
    factories.answers(poggiardo_b, [75] * 3)
    maglie = factories.wave(ambito=world.maglie, closed=True)
    factories.answers(maglie, [25] * 4)
    casarano = factories.wave(ambito=world.casarano, closed=True)
    factories.answers(casarano, [25] * 8)
    table = results.aggregate_table(list(Wave.objects.all()))
    assert table is not None
    cells = dict(zip(table.names, (row[0] for row in table.cells), strict=True))
    assert cells["Ambito di Maglie, 2025"].small
    assert cells["Ambito di Casarano, 2025"].hidden  # the complement: 8 is the smallest other non-empty cell
    assert not cells["Partenariato POGGIARDO-114, 2025"].hidden
    assert cells["Partenariato POGGIARDO-114, 2025"].n == 9
    page = client_for("observer").get(reverse("wellbeing:observatory")).content.decode()
    assert "Gruppo A" not in page
    assert "meno di 5 risposte" in page


def test_a_tenant_total_hidden_on_its_own_page_is_hidden_for_observers_too(world: World) -> None:
    # A tenant of a single unit with 4 answers at baseline: its own table hides the unit and the total.
    small = factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo C"), closed=True)
    factories.answers(small, [50] * 4)
    own = results.tenant_table([small])
    assert own.suppression.column_hidden(0)
    table = results.aggregate_table([small])
    assert table is not None
    assert table.cells[0][0].hidden

"""Who sees and runs waves: those who edit the tenant run them, the partnership's supervisors read the results,
everyone else (supervisees, observers, the outsider, users without roles) gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervisione.testing.world import World
from supervisione.wellbeing.models import Wave
from supervisione.wellbeing.tests import factories

# persona -> (wave page, results, invite form) for a wave of the Poggiardo partnership.
EXPECTED = {
    "admin": (200, 200, 200),
    "coordinator": (200, 200, 200),
    "referent": (404, 404, 404),
    "supervisor": (200, 200, 403),
    "supervisee": (404, 404, 404),
    "observer": (404, 404, 404),
    "national_observer": (404, 404, 404),
    "outsider": (404, 404, 404),
    "nobody": (404, 404, 404),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_it_scopes_a_partnership_wave(world: World, client_for: Any, persona: str) -> None:
    wave = factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo Zefiro"))
    client = client_for(persona)
    statuses = tuple(
        client.get(reverse(name, args=[wave.pk])).status_code
        for name in ("wellbeing:wave_detail", "wellbeing:results", "wellbeing:invite")
    )
    assert statuses == EXPECTED[persona]
    listed = "Gruppo Zefiro" in client.get(reverse("wellbeing:wave_list")).content.decode()
    assert listed == (EXPECTED[persona][0] == 200)


@pytest.mark.parametrize(
    ("persona", "status"), [("referent", 200), ("coordinator", 200), ("supervisee", 404), ("outsider", 404)]
)
def test_it_lets_those_who_edit_an_ats_run_its_waves(world: World, client_for: Any, persona: str, status: int) -> None:
    wave = factories.wave(ambito=world.maglie)
    assert client_for(persona).get(reverse("wellbeing:invite", args=[wave.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "partnership", "ambito"),
    [
        ("coordinator", 200, 200),
        ("referent", 403, 200),
        ("supervisor", 403, 403),
        ("supervisee", 403, 404),
        ("observer", 403, 403),
        ("outsider", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_only_editors_create_waves(world: World, client_for: Any, persona: str, partnership: int, ambito: int) -> None:
    client = client_for(persona)
    url = reverse("wellbeing:wave_create_partnership", args=[world.partnership.code])
    assert client.get(url).status_code == partnership
    assert client.get(reverse("wellbeing:wave_create_ambito", args=[world.maglie.code])).status_code == ambito
    assert client.post(url, {"instrument": "cbi-it", "round": "0"}).status_code == partnership
    assert not Wave.objects.exists() or persona == "coordinator"


def test_readers_cannot_remind_or_close(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    client = client_for("supervisor")
    assert client.post(reverse("wellbeing:remind", args=[wave.pk])).status_code == 403
    assert client.post(reverse("wellbeing:close", args=[wave.pk])).status_code == 403
    wave.refresh_from_db()
    assert not wave.closed


def test_the_list_keeps_its_number_of_queries_as_waves_grow(world: World, client_for: Any) -> None:
    client = client_for("coordinator")
    factories.wave(world.partnership, group=factories.group(world.partnership, "Gruppo 1"))
    client.get(reverse("wellbeing:wave_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("wellbeing:wave_list"))
    for number in range(2, 6):
        factories.wave(world.partnership, group=factories.group(world.partnership, f"Gruppo {number}"))
        factories.wave(ambito=world.maglie, round=number)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("wellbeing:wave_list"))
    assert len(many) == len(few)

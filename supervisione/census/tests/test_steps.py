"""The census steps on the home page."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from supervisione.census.models import Census, CensusStatus, ReferentRequest
from supervisione.census.tests.factories import census_of, person, position
from supervisione.testing.world import World


def test_it_tells_the_referent_to_submit_and_the_coordinator_to_validate_and_chase(
    world: World, client_for: Any
) -> None:
    census = census_of(world, deadline=datetime.date(2020, 1, 1))
    ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2020, 1, 1))
    referent_home = client_for("referent").get(reverse("home:home")).content.decode()
    assert "Compila e trasmetti il censimento di Ambito di Maglie" in referent_home
    assert "Indica il referente di Ambito di Maglie" in referent_home

    coordinator_home = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "Sollecita il censimento di Ambito di Maglie" in coordinator_home
    assert "Manca il referente di Ambito di Casarano" in coordinator_home

    position(census, person(1))
    client_for("referent").post(reverse("census:census_submit", args=[census.campaign_id, "PUG_MAGLIE"]))
    coordinator_home = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "Valida il censimento di Ambito di Maglie" in coordinator_home
    assert (
        "Compila e trasmetti il censimento di Ambito di Maglie"
        not in client_for("referent").get(reverse("home:home")).content.decode()
    )


def test_it_shows_the_reason_of_a_returned_census(world: World, client_for: Any) -> None:
    census = census_of(world)
    Census.objects.filter(pk=census.pk).update(status=CensusStatus.RETURNED, return_reason="Manca l'Albo di Rossi")
    page = client_for("referent").get(reverse("home:home")).content.decode()
    assert "Correggi e trasmetti di nuovo il censimento di Ambito di Maglie" in page
    assert "Manca l&#x27;Albo di Rossi" in page


def test_it_says_nothing_to_observers_and_supervisors(world: World, client_for: Any) -> None:
    census_of(world, deadline=datetime.date(2020, 1, 1))
    for persona in ("observer", "supervisor", "supervisee"):
        page = client_for(persona).get(reverse("home:home")).content.decode()
        assert "il censimento di" not in page
        assert "referente di" not in page

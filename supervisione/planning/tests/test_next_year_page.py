"""The page "Prepara il POA <anno>": who may open it and prepare, what it shows, and bad input."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from supervisione.funding.models import FnpsAllocation
from supervisione.planning import actions
from supervisione.planning.models import Plan
from supervisione.planning.tests import factories
from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]


def partnership_plan(world: World) -> Plan:
    factories.census_of(world, {"PUG_MAGLIE": 20, "PUG_CASARANO": 2}, equipes={"PUG_MAGLIE": 1})
    factories.contract(world, end=datetime.date(2027, 12, 31))
    return actions.create_plan(world.partnership, 2026, by=world.coordinator)


def url(plan: Plan) -> str:
    return reverse("planning:plan_next_year", args=[plan.pk])


def test_it_lets_only_who_edits_the_plan_open_it(world: World, client_for: Callable[[str], Client]) -> None:
    plan = partnership_plan(world)
    answers = {name: client_for(name).get(url(plan)).status_code for name in PERSONA_NAMES}
    hidden = {"outsider", "nobody"}
    assert answers == {
        name: 200 if name in {"admin", "coordinator"} else 404 if name in hidden else 403 for name in PERSONA_NAMES
    }


def test_it_shows_the_quota_against_the_minimum_and_the_flags(
    world: World, client_for: Callable[[str], Client]
) -> None:
    plan = partnership_plan(world)
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2027, last_year=2027, amount=Decimal("14648.66"))
    assert url(plan) in client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    assert url(plan) not in client_for("referent").get(plan.get_absolute_url()).content.decode()
    page = client_for("coordinator").get(url(plan)).content.decode()
    assert "Prepara il POA 2027" in page
    assert "4.300,00" in page  # 2 A1 groups with their A2 pool and 1 équipe at 65, 60 and 70 EUR/h
    assert "10.348,66" in page
    assert "non ha équipe: la supervisione A3 non si può soddisfare" in page  # Casarano


def test_the_coordinator_prepares_the_draft(world: World, client_for: Callable[[str], Client]) -> None:
    plan = partnership_plan(world)
    response = client_for("coordinator").post(url(plan), {"year": "2027"})
    draft = Plan.objects.get(partnership=world.partnership, year=2027)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.groups.count() == plan.groups.count()


def test_the_referent_prepares_the_plan_of_their_own_ats(world: World, client_for: Callable[[str], Client]) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 3}, equipes={"PUG_MAGLIE": 1})
    plan = actions.create_plan(world.maglie, 2026, by=world.referent)
    response = client_for("referent").post(url(plan), {"year": "2027"})
    assert response.status_code == 302
    assert Plan.objects.filter(ambito=world.maglie, year=2027).exists()
    assert client_for("observer").post(url(plan), {"year": "2027"}).status_code == 403
    assert client_for("outsider").post(url(plan), {"year": "2027"}).status_code == 404


def test_bad_input_changes_nothing(world: World, client_for: Callable[[str], Client]) -> None:
    plan = partnership_plan(world)
    client = client_for("coordinator")
    for data in ({}, {"year": "2028"}, {"year": "duemila"}):
        response = client.post(url(plan), data)
        assert response.status_code == 400
    assert (
        "Da questo piano si prepara il POA 2027, non il 2028."
        in client.post(url(plan), {"year": "2028"}).content.decode()
    )
    assert not Plan.objects.filter(year=2027).exists()
    client.post(url(plan), {"year": "2027"})
    again = client.post(url(plan), {"year": "2027"})
    assert again.status_code == 400
    assert "Il POA 2027 esiste già" in again.content.decode()
    assert Plan.objects.filter(year=2027).count() == 1

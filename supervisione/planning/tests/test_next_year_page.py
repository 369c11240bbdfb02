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


def test_only_who_edits_the_plan_prepares_next_years_and_readers_read(
    world: World, client_for: Callable[[str], Client]
) -> None:
    """The coordinator prepares the partnership's POA; the referent of a member ATS and the observers read the
    outlook; supervisors and supervisees have no part in it; who cannot see the partnership gets 404."""
    plan = partnership_plan(world)
    answers = {name: client_for(name).get(url(plan)).status_code for name in PERSONA_NAMES}
    assert answers == {
        "admin": 200,
        "coordinator": 200,
        "referent": 200,
        "supervisor": 403,
        "supervisee": 403,
        "observer": 200,
        "national_observer": 200,
        "outsider": 404,
        "nobody": 404,
    }
    readers = [name for name in PERSONA_NAMES if name not in {"admin", "coordinator"}]
    posted = {name: client_for(name).post(url(plan), {"year": "2027"}).status_code for name in readers}
    assert posted == {name: 404 if answers[name] == 404 else 403 for name in readers}
    assert not Plan.objects.filter(year=2027).exists()
    assert client_for("coordinator").post(url(plan), {"year": "2027"}).status_code == 302


def test_readers_see_no_button_and_a_referent_only_the_line_of_their_own_ats(
    world: World, client_for: Callable[[str], Client]
) -> None:
    plan = partnership_plan(world)
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2027, last_year=2027, amount=Decimal("14648.66"))
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2027, last_year=2027, amount=Decimal("11870.40"))
    observer = client_for("observer").get(url(plan)).content.decode()
    assert "Prepara il POA 2027 in bozza" not in observer
    assert "qui si legge soltanto" in observer
    assert "14.648,66" in observer
    assert "11.870,40" in observer
    referent = client_for("referent").get(url(plan)).content.decode()  # Maglie's
    assert "11.870,40" in referent
    assert "14.648,66" not in referent
    assert world.casarano.name not in referent
    assert "Prepara il POA 2027 in bozza" in client_for("coordinator").get(url(plan)).content.decode()
    # The plan page links the outlook for its readers too.
    assert f'{url(plan)}">Verso il POA 2027' in client_for("referent").get(plan.get_absolute_url()).content.decode()
    supervisor_page = client_for("supervisor").get(plan.get_absolute_url()).content.decode()
    assert url(plan) not in supervisor_page


def test_an_ats_alone_prepares_its_own(world: World, client_for: Callable[[str], Client]) -> None:
    """VEN_09 plans on its own: the coordinator of its partnership prepares its POA; the referent of Maglie and
    the Puglia observer do not see it."""
    factories.census_of(world, {}, equipes={})
    plan = actions.create_plan(world.treviso, 2026, by=world.outsider)
    assert client_for("outsider").get(url(plan)).status_code == 200
    assert client_for("referent").get(url(plan)).status_code == 404
    assert client_for("observer").get(url(plan)).status_code == 404
    assert client_for("coordinator").post(url(plan), {"year": "2027"}).status_code == 404


def test_it_shows_the_quota_against_the_minimum_and_the_flags(
    world: World, client_for: Callable[[str], Client]
) -> None:
    plan = partnership_plan(world)
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2027, last_year=2027, amount=Decimal("14648.66"))
    assert (
        f'{url(plan)}">Prepara il POA 2027' in client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    )
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
    assert client_for("observer").get(url(plan)).status_code == 200
    assert client_for("observer").post(url(plan), {"year": "2027"}).status_code == 403
    assert client_for("outsider").post(url(plan), {"year": "2027"}).status_code == 404
    assert client_for("supervisee").get(url(plan)).status_code == 404  # Casarano's operatore: not Maglie's plan


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

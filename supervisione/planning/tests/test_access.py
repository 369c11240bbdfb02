"""Every plan page against every persona, whose names each one sees, and constant queries as groups grow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.census.models import Person
from supervisione.funding.models import FnpsAllocation
from supervisione.planning import actions
from supervisione.planning.models import GroupKind, Plan, PlanGroup
from supervisione.planning.tests import factories
from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
INVISIBLE = {"outsider", "nobody"}  # POGGIARDO-114 does not exist for them
EDITORS = {"admin", "coordinator"}
EXPORTERS = EDITORS | {"referent"}


def only(allowed: set[str], *, code: int = 200, hidden: set[str] = INVISIBLE) -> dict[str, int]:
    return {name: code if name in allowed else 404 if name in hidden else 403 for name in PERSONA_NAMES}


@dataclass
class Setup:
    plan: Plan
    own_group: PlanGroup  # led by the supervisor persona, with the supervisee persona in it
    other_group: PlanGroup
    supervisee: Person


@pytest.fixture
def setup(world: World) -> Setup:
    factories.census_of(world, {"PUG_CASARANO": 16}, equipes={"PUG_MAGLIE": 1})
    supervisee = factories.person_of(1)
    supervisee.user = world.supervisee
    supervisee.save(update_fields=["user"])
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    own = plan.groups.get(memberships__person=supervisee)
    other = plan.groups.filter(kind=GroupKind.A1).exclude(pk=own.pk).get()
    led = factories.supervisor(world, "Longo", user=world.supervisor)
    factories.assign_all(plan, factories.supervisor(world, "Greco"))
    own.supervisor, own.declaration = led, led.declarations.get()
    own.save(update_fields=["supervisor", "declaration"])
    return Setup(plan, own, other, supervisee)


Url = Callable[[Setup], str]
EVERYONE_WHO_SEES = only(set(PERSONA_NAMES) - INVISIBLE)
PAGES: list[tuple[str, Url, dict[str, int]]] = [
    ("plan_list", lambda _: reverse("planning:plan_list"), dict.fromkeys(PERSONA_NAMES, 200)),
    ("plan_create", lambda _: reverse("planning:plan_create"), only(EXPORTERS | {"outsider"}, hidden=set())),
    ("plan_detail", lambda s: s.plan.get_absolute_url(), EVERYONE_WHO_SEES),
    ("plan_edit", lambda s: reverse("planning:plan_edit", args=[s.plan.pk]), only(EDITORS)),
    # A draft is not approved: editors are sent back to the plan, the others refused.
    ("plan_approve", lambda s: reverse("planning:plan_approve", args=[s.plan.pk]), only(EDITORS, code=302)),
    ("export_xlsx", lambda s: reverse("planning:plan_export", args=[s.plan.pk, "xlsx"]), only(EXPORTERS)),
    ("export_json", lambda s: reverse("planning:plan_export", args=[s.plan.pk, "json"]), only(EXPORTERS)),
    (
        "own_group",
        lambda s: s.own_group.get_absolute_url(),
        only(EXPORTERS | {"supervisor", "supervisee"}),
    ),
    ("other_group", lambda s: s.other_group.get_absolute_url(), only(EXPORTERS)),
    ("group_edit", lambda s: reverse("planning:group_edit", args=[s.plan.pk, s.own_group.pk]), only(EDITORS)),
    ("group_members", lambda s: reverse("planning:group_members", args=[s.plan.pk, s.own_group.pk]), only(EDITORS)),
    ("group_create", lambda s: reverse("planning:group_create", args=[s.plan.pk, "A1"]), only(EDITORS)),
]


@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona_as_the_scope_says(
    setup: Setup, client_for: Any, name: str, url: Url, expected: dict[str, int]
) -> None:
    target = url(setup)
    answers = {persona: client_for(persona).get(target).status_code for persona in PERSONA_NAMES}
    assert answers == expected


@pytest.mark.parametrize(("name", "url", "_expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_sends_anonymous_users_to_login(setup: Setup, name: str, url: Url, _expected: object) -> None:
    response = Client().get(url(setup))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


POSTS = ["plan_submit", "plan_return", "plan_new_version", "plan_delete"]


@pytest.mark.parametrize("name", POSTS)
def test_it_refuses_workflow_posts_from_readers_and_outsiders_without_changing_anything(
    setup: Setup, client_for: Any, name: str
) -> None:
    url = reverse(f"planning:{name}", args=[setup.plan.pk])
    answers = {
        persona: client_for(persona).post(url, {"lock_version": setup.plan.lock_version}).status_code
        for persona in ["referent", "supervisor", "supervisee", "observer", "outsider", "nobody"]
    }
    assert answers == {
        "referent": 403,
        "supervisor": 403,
        "supervisee": 403,
        "observer": 403,
        "outsider": 404,
        "nobody": 404,
    }
    setup.plan.refresh_from_db()
    assert (setup.plan.status, setup.plan.lock_version) == ("draft", 0)


def test_it_shows_names_only_to_whom_they_belong(world: World, setup: Setup, client_for: Any) -> None:
    name = str(setup.supervisee)
    # The coordinator sees everyone; the observer sees no person and no supervisor.
    assert name in client_for("coordinator").get(setup.own_group.get_absolute_url()).content.decode()
    observer_page = client_for("observer").get(setup.plan.get_absolute_url()).content.decode()
    assert "Longo Chiara" not in observer_page
    assert "Greco Chiara" not in observer_page
    assert "16" in observer_page  # the counts are there
    # The referent of Maglie sees the group's people only as a count (they are of Casarano).
    group_page = client_for("referent").get(setup.own_group.get_absolute_url()).content.decode()
    assert name not in group_page
    assert "Altri" not in group_page
    assert "8 partecipanti di ATS di cui non vedi il personale." in group_page
    # The supervisee sees which group they are in, and its supervisor; the supervisor the groups they lead.
    supervisee_page = client_for("supervisee").get(setup.plan.get_absolute_url()).content.decode()
    assert "I tuoi gruppi" in supervisee_page
    assert f"{setup.own_group.name}</a> (A1 - gruppo monoprofessionale), supervisore Longo Chiara" in supervisee_page
    assert "Greco Chiara" not in supervisee_page
    supervisor_page = client_for("supervisor").get(setup.plan.get_absolute_url()).content.decode()
    assert "I gruppi che conduci" in supervisor_page
    assert name in client_for("supervisor").get(setup.own_group.get_absolute_url()).content.decode()


def test_it_reads_the_plan_page_in_a_constant_number_of_queries(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 15}, equipes={"PUG_MAGLIE": 2})
    factories.contract(world)
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2023, last_year=2023, amount=5000)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    client = client_for("coordinator")
    client.get(plan.get_absolute_url())
    with django_assert_max_num_queries(40) as few:  # about 30
        client.get(plan.get_absolute_url())
    small = plan.groups.count()
    factories.census_of(world, {"PUG_CASARANO": 50, "PUG_POGGIARDO": 40}, equipes={"PUG_CASARANO": 3}, first_number=100)
    actions.delete_plan(plan, expected=plan.lock_version, by=world.coordinator)
    bigger = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    factories.assign_all(bigger, factories.supervisor(world, "Greco"))
    assert bigger.groups.count() > 3 * small
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(bigger.get_absolute_url()).content.decode()
    assert "Gruppo A1 n. 6" in page

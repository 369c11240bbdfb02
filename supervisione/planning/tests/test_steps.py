"""Home-page steps about the annual plans."""

from __future__ import annotations

import datetime

from django.utils import timezone

from supervisione.accounts.scopes import scope_for
from supervisione.planning import actions
from supervisione.planning.steps import planning_steps
from supervisione.planning.tests import factories
from supervisione.testing.world import World


def test_it_asks_the_coordinator_to_prepare_complete_and_approve_the_plans(world: World) -> None:
    today = timezone.localdate()
    world.partnership.end_date = None
    world.partnership.save(update_fields=["end_date"])
    steps = planning_steps(world.coordinator, scope_for(world.coordinator))
    assert next(step.title for step in steps if step.title.startswith("Prepara")) == (
        f"Prepara il POA {today.year} di Partenariato POGGIARDO-114"
    )
    factories.census_of(world, {"PUG_MAGLIE": 2})
    next_year = today.year + 1
    draft = actions.create_plan(world.partnership, next_year, by=world.coordinator)
    [step] = [s for s in planning_steps(world.coordinator, scope_for(world.coordinator)) if str(next_year) in s.title]
    assert step.title == (
        f"POA {next_year} di Partenariato POGGIARDO-114 da trasmettere entro il 31/03/{next_year}: bozza, "
        "1 carenza da risolvere"
    )
    assert (step.url, step.level) == (draft.get_absolute_url(), "warning")
    leader = factories.supervisor(world, declared=False)
    factories.declare(leader, until=datetime.date(next_year, 12, 31))
    factories.assign_all(draft, leader)
    actions.submit_plan(draft, expected=draft.lock_version, by=world.coordinator)
    [step] = [s for s in planning_steps(world.coordinator, scope_for(world.coordinator)) if str(next_year) in s.title]
    assert step.title == f"POA {next_year} di Partenariato POGGIARDO-114: trasmesso, in attesa di approvazione"


def test_it_marks_a_late_draft_and_says_nothing_to_readers(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 2})
    plan = actions.create_plan(world.partnership, 2024, by=world.coordinator, deadline=datetime.date(2024, 3, 31))
    steps = planning_steps(world.coordinator, scope_for(world.coordinator))
    [late] = [step for step in steps if "POA 2024" in step.title]
    assert late.title.startswith("POA 2024 di Partenariato POGGIARDO-114 scaduto il 31/03/2024")
    assert late.level == "danger"
    assert plan.status == "draft"
    for persona in ("supervisor", "supervisee", "observer", "outsider"):
        user = world.user(persona)
        assert not [s for s in planning_steps(user, scope_for(user)) if "POGGIARDO" in s.title], persona

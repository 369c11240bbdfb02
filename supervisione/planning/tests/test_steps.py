"""Home-page steps about the annual plans."""

from __future__ import annotations

import datetime

from django.utils import timezone

from supervisione.accounts.scopes import scope_for
from supervisione.planning import actions
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling
from supervisione.planning.steps import planning_steps
from supervisione.planning.tests import factories
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World


def test_it_asks_the_coordinator_to_prepare_complete_and_approve_the_plans(world: World) -> None:
    today = timezone.localdate()
    world.partnership.end_date = None
    world.partnership.save(update_fields=["end_date"])
    steps = planning_steps(world.coordinator, scope_for(world.coordinator))
    assert next(step.title for step in steps if step.title.startswith("Prepara")) == (
        f"Prepara il POA {today.year} di Partenariato POGGIARDO-114"
    )
    factories.census_of(world, {"PUG_MAGLIE": 2}, equipes={"PUG_MAGLIE": 1})
    next_year = today.year + 1
    draft = actions.create_plan(world.partnership, next_year, by=world.coordinator)
    [step] = [s for s in planning_steps(world.coordinator, scope_for(world.coordinator)) if str(next_year) in s.title]
    assert step.title == (
        f"POA {next_year} di Partenariato POGGIARDO-114 da trasmettere entro il 31/03/{next_year}: bozza, "
        "2 carenze da risolvere"  # the A1 group and the équipe, both without a supervisor
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


@frozen(2024, 3, 20)
def test_it_asks_to_send_each_ats_s_poa_on_multifondo_in_the_last_two_weeks_and_to_correct_it(world: World) -> None:
    def filing_steps(persona: str) -> list[tuple[str, str, str]]:
        user = world.user(persona)
        return [
            (step.title, step.detail, step.level)
            for step in planning_steps(user, scope_for(user))
            if "Multifondo" in step.title
        ]

    assert filing_steps("referent") == [
        (
            "POA 2024 di Ambito di Maglie: da inviare su Multifondo entro il 31/03/2024",
            "La scadenza del Ministero è tra 11 giorni; l'invio è «da compilare».",
            "warning",
        )
    ]
    MultifondoFiling.objects.create(
        ambito=world.casarano, year=2024, status=FilingStatus.FILLED, status_on=datetime.date(2024, 3, 15)
    )
    MultifondoFiling.objects.create(
        ambito=world.poggiardo, year=2024, status=FilingStatus.SENT, status_on=datetime.date(2024, 3, 18), protocol="1"
    )
    assert [title.split(":")[0] for title, _detail, _level in filing_steps("coordinator")] == [
        "POA 2024 di Ambito di Casarano",
        "POA 2024 di Ambito di Maglie",
    ]
    MultifondoFiling.objects.filter(ambito=world.poggiardo).update(status=FilingStatus.TO_CORRECT)
    assert filing_steps("coordinator")[-1] == (
        "POA 2024 di Ambito di Poggiardo: da rettificare su Multifondo",
        (
            "Il Ministero ha chiesto una correzione (dal 18/03/2024): correggi il POA sulla piattaforma e registra "
            "il nuovo invio."
        ),
        "danger",
    )
    for persona in ("supervisor", "supervisee", "observer", "admin"):
        assert filing_steps(persona) == [], persona
    [(title, _detail, _level)] = filing_steps("outsider")  # Treviso's coordinator, for its own ATS
    assert title == "POA 2024 di ATS VEN_09 Treviso: da inviare su Multifondo entro il 31/03/2024"


@frozen(2024, 3, 31)
def test_the_deadline_day_is_urgent_and_the_day_after_no_longer_a_step(world: World) -> None:
    [step] = [s for s in planning_steps(world.referent, scope_for(world.referent)) if "Multifondo" in s.title]
    assert (step.detail, step.level) == ("La scadenza del Ministero è oggi; l'invio è «da compilare».", "danger")
    with frozen(2024, 4, 1):
        assert not [s for s in planning_steps(world.referent, scope_for(world.referent)) if "Multifondo" in s.title]

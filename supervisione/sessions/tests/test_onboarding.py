"""The "Avvio" card of a new coordinator: the start of a partnership in order, the next step marked (issue 17.2)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from supervisione.accounts.scopes import scope_for
from supervisione.census.models import Census, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.census.tests.factories import census_of
from supervisione.lib import clock
from supervisione.sessions.onboarding import onboarding
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World

D = datetime.date


def progress(world: World) -> tuple[list[bool], int | None, list[str]]:
    """Which steps are done, the number of the next one, and their details."""
    cards = onboarding(world.coordinator, scope_for(world.coordinator))
    if not cards:
        return [], None, []
    [card] = cards
    assert card.partnership == world.partnership.name
    assert [step.title for step in card.steps] == [
        "Referenti degli ATS",
        "Censimento del personale",
        "Supervisori e contratto",
        "Piano operativo (POA)",
        "Calendario degli incontri",
    ]
    following = [step.number for step in card.steps if step.is_next]
    assert len(following) <= 1
    return [step.done for step in card.steps], following[0] if following else None, [s.detail for s in card.steps]


def designate_every_referent(world: World) -> None:
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=D(2026, 1, 31))
    for ambito in (world.poggiardo, world.casarano):
        ReferentDesignation.objects.create(
            request=request,
            ambito=ambito,
            full_name="Anna Neri",
            email="anna.neri@example.it",
            act_date=D(2026, 1, 10),
            answered_on=D(2026, 1, 12),
        )


@frozen(2026, 2, 2)
def test_a_new_partnership_starts_from_the_referents(world: World, client_for: Any) -> None:
    done, following, details = progress(world)
    assert (done, following) == ([False] * 5, 1)
    # Maglie has a referent's account; Poggiardo and Casarano have none.
    assert details[0] == "Mancano i referenti di 2 ATS: chiedili con l'Allegato 1 e invitali."
    page = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert f"Avvio: {world.partnership.name}" in page
    assert "0 su 5 passi completati" in page
    assert "prossimo passo" in page
    assert "Avvio:" not in client_for("referent").get(reverse("home:home")).content.decode()


@frozen(2026, 2, 2)
def test_each_step_done_moves_the_next_one_on(world: World) -> None:
    designate_every_referent(world)
    done, following, details = progress(world)
    assert (done[0], following) == (True, 2)
    assert details[1].startswith("Apri la campagna di censimento")
    census = census_of(world)
    assert progress(world)[2][1] == "«Ricognizione 2024»: 3 censimenti ancora da validare."
    Census.objects.filter(campaign=census.campaign).update(status=CensusStatus.VALIDATED, submitted_at=clock.now())
    done, following, _details = progress(world)
    assert (done[:2], following) == ([True, True], 3)


@frozen(2026, 2, 2)
def test_the_card_goes_once_the_first_session_is_booked(cal: Cal, client_for: Any) -> None:
    world = cal.world
    designate_every_referent(world)
    census = census_of(world)
    Census.objects.filter(campaign=census.campaign).update(status=CensusStatus.VALIDATED, submitted_at=clock.now())
    done, following, _details = progress(world)
    assert (done, following) == ([True, True, True, True, False], 5)
    cal.one(D(2026, 3, 3))
    assert progress(world) == ([], None, [])
    assert "Avvio:" not in client_for("coordinator").get(reverse("home:home")).content.decode()

"""More 403 pages that say the real reason (issue 17.3): the administrator's pages, people shown only as
aggregates, plans, contracts and supervisors managed by others, requests to join answered by the ATS."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from supervisione.census.models import Census, CensusStatus
from supervisione.census.tests.factories import census_of, person, position
from supervisione.planning.models import Plan
from supervisione.territory.models import JoinRequest
from supervisione.testing import factories
from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_the_administrators_pages_say_whose_they_are(world: World, client_for: Any) -> None:
    for url in (reverse("territory:ambito_create"), reverse("accounts:user_list")):
        page = refusal(client_for("coordinator").get(url))
        assert escape("riservata all'amministratore della piattaforma") in page
    page = refusal(client_for("observer").get(reverse("territory:partnership_create")))
    assert "Il tuo ruolo di osservatore è di sola consultazione" in page


def test_people_are_refused_to_a_role_that_sees_aggregates(world: World, client_for: Any) -> None:
    census = census_of(world)
    held = position(census, person(1))
    page = refusal(client_for("observer").get(reverse("census:position_edit", args=[held.pk])))
    assert "Il tuo ruolo di osservatore è di sola consultazione" in page
    assert f'href="{reverse("monitoring:observatory")}"' in page


def test_a_plan_of_the_partnership_is_read_only_for_a_referent(world: World, client_for: Any) -> None:
    plan = Plan.objects.create(partnership=world.partnership, year=2026, deadline=datetime.date(2026, 3, 31))
    page = refusal(client_for("referent").get(reverse("planning:plan_edit", args=[plan.pk])))
    assert "lo gestisce il coordinatore del partenariato" in page


def test_a_contract_and_a_supervisor_say_who_manages_them(world: World, client_for: Any) -> None:
    contract = factories.contract(world.partnership)
    page = refusal(client_for("referent").get(reverse("procurement:contract_edit", args=[contract.pk])))
    assert "Questo contratto lo gestiscono il coordinatore del partenariato" in page
    assert f'href="{contract.get_absolute_url()}"' in page
    supervisor = factories.supervisor(world.partnership)
    page = refusal(client_for("referent").get(reverse("supervisors:supervisor_edit", args=[supervisor.pk])))
    assert "Questo supervisore lo gestiscono il coordinatore del partenariato" in page


def test_a_request_to_join_is_answered_by_the_ats(world: World, client_for: Any) -> None:
    join_request = JoinRequest.objects.create(
        partnership=world.partnership,
        ambito=world.treviso_partnership.capofila,
        requested_by=world.coordinator,
        joined_on=datetime.date(2026, 1, 1),
    )
    page = refusal(client_for("coordinator").post(reverse("territory:join_request_accept", args=[join_request.pk])))
    assert escape(f"Alla richiesta di adesione risponde {join_request.ambito.name}") in page


def test_a_census_is_validated_by_the_coordinators(world: World, client_for: Any) -> None:
    census = census_of(world)
    Census.objects.filter(pk=census.pk).update(status=CensusStatus.SUBMITTED, submitted_at=timezone.now())
    for name in ("census:census_validate", "census:census_remind", "census:census_return"):
        url = reverse(name, args=[census.campaign_id, census.ambito.code])
        page = refusal(client_for("referent").post(url, {"reason": "Manca una riga"}))
        assert "lo validano e lo sollecitano i coordinatori del partenariato" in page
    census.refresh_from_db()
    assert census.status == CensusStatus.SUBMITTED


def test_contracts_and_supervisors_say_who_keeps_them(world: World, client_for: Any) -> None:
    for url in (reverse("procurement:contract_list"), reverse("procurement:contract_create")):
        page = refusal(client_for("supervisee").get(url))
        assert "I contratti li registrano e gestiscono i coordinatori dei partenariati" in page
    page = refusal(client_for("supervisee").get(reverse("supervisors:supervisor_create")))
    assert "I supervisori li registrano e gestiscono" in page
    page = refusal(client_for("observer").get(reverse("procurement:contract_create")))
    assert "Il tuo ruolo di osservatore è di sola consultazione" in page


def test_a_user_without_a_role_is_told_to_ask_for_one(world: World, client_for: Any) -> None:
    page = refusal(client_for("nobody").get(reverse("procurement:contract_list")))
    assert escape("Il tuo account non ha ancora un ruolo in un ATS o in un partenariato") in page

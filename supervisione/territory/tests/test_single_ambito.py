"""A project of one ATS is not told to invite partner ATS (issue 17.5)."""

from __future__ import annotations

from supervisione.accounts.scopes import scope_for
from supervisione.territory.models import Partnership, PartnershipMember
from supervisione.territory.steps import territory_steps
from supervisione.testing.world import World


def _invite_steps(world: World) -> list[str]:
    steps = territory_steps(world.coordinator, scope_for(world.coordinator))
    return [step.title for step in steps if step.title.startswith("Chiedi agli ATS partner")]


def test_a_partnership_with_its_capofila_only_is_asked_to_invite_partners_unless_it_is_a_single_ats_project(
    world: World,
) -> None:
    partnership: Partnership = world.partnership
    PartnershipMember.objects.filter(partnership=partnership).exclude(ambito=partnership.capofila).delete()
    assert _invite_steps(world) == [f"Chiedi agli ATS partner di aderire a {partnership.name}"]
    partnership.single_ambito = True
    partnership.save(update_fields=["single_ambito"])
    assert _invite_steps(world) == []

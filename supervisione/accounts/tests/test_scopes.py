from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.accounts.scopes import (
    compute_scope,
    get_ambito_for_user,
    get_partnership_for_user,
    visible_ambiti,
    visible_partnerships,
)
from supervisione.sessions.access import reach_for as sessions_reach
from supervisione.supervisors.access import reach_for as supervisors_reach
from supervisione.territory.models import Ambito, PartnershipMember
from supervisione.testing.world import World

ALL_AMBITI = {"PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO", "PUG_SANSEVERO", "VEN_09"}
POGGIARDO = {"PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO"}

VISIBLE_AMBITI = {
    "admin": ALL_AMBITI,
    "coordinator": POGGIARDO,
    "referent": {"PUG_MAGLIE"},
    "supervisor": POGGIARDO,
    "supervisee": {"PUG_CASARANO"},
    "observer": POGGIARDO | {"PUG_SANSEVERO"},
    "national_observer": ALL_AMBITI,
    "outsider": {"VEN_09"},
    "nobody": set(),
}
VISIBLE_PARTNERSHIPS = {
    "admin": {"POGGIARDO-114", "SANSEVERO-114", "TREVISO-114"},
    "coordinator": {"POGGIARDO-114"},
    "referent": {"POGGIARDO-114"},
    "supervisor": {"POGGIARDO-114"},
    "supervisee": {"POGGIARDO-114"},
    "observer": {"POGGIARDO-114", "SANSEVERO-114"},
    "national_observer": {"POGGIARDO-114", "SANSEVERO-114", "TREVISO-114"},
    "outsider": {"TREVISO-114"},
    "nobody": set(),
}
EDITABLE_AMBITI = {
    "admin": ALL_AMBITI,
    "coordinator": POGGIARDO,
    "referent": {"PUG_MAGLIE"},
    "supervisor": set(),
    "supervisee": set(),
    "observer": set(),
    "national_observer": set(),
    "outsider": {"VEN_09"},
    "nobody": set(),
}


@pytest.mark.parametrize("persona", sorted(VISIBLE_AMBITI))
def test_it_lists_only_the_ambiti_in_scope(world: World, persona: str) -> None:
    user = world.user(persona)
    assert set(visible_ambiti(user).values_list("code", flat=True)) == VISIBLE_AMBITI[persona]
    assert set(visible_partnerships(user).values_list("code", flat=True)) == VISIBLE_PARTNERSHIPS[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE_AMBITI))
def test_it_answers_404_outside_the_scope_and_403_when_read_only(world: World, persona: str) -> None:
    user = world.user(persona)
    scope = compute_scope(user)
    for code in ALL_AMBITI:
        if code not in VISIBLE_AMBITI[persona]:
            with pytest.raises(Http404):
                get_ambito_for_user(user, code)
            continue
        assert get_ambito_for_user(user, code).code == code
        if code in EDITABLE_AMBITI[persona]:
            assert get_ambito_for_user(user, code, write=True).code == code
        else:
            with pytest.raises(PermissionDenied):
                get_ambito_for_user(user, code, write=True)
    assert scope.sees_people is (persona not in {"observer", "national_observer", "nobody"})


def test_it_answers_404_for_an_unknown_code(world: World) -> None:
    with pytest.raises(Http404):
        get_ambito_for_user(world.admin, "PUG_NONE")
    with pytest.raises(Http404):
        get_partnership_for_user(world.admin, "NONE-1")


def test_it_lets_only_the_coordinator_and_admin_edit_a_partnership(world: World) -> None:
    assert get_partnership_for_user(world.coordinator, "POGGIARDO-114", write=True)
    assert get_partnership_for_user(world.admin, "POGGIARDO-114", write=True)
    for persona in ("referent", "supervisor", "supervisee", "observer"):
        with pytest.raises(PermissionDenied):
            get_partnership_for_user(world.user(persona), "POGGIARDO-114", write=True)
    with pytest.raises(Http404):
        get_partnership_for_user(world.outsider, "POGGIARDO-114", write=True)


def test_it_gives_nothing_to_an_inactive_user(world: World) -> None:
    world.coordinator.is_active = False
    assert compute_scope(world.coordinator).visible_ambito_ids == frozenset()


def test_it_computes_the_scope_with_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):  # the roles; the memberships in force with the capofila of each partnership
        compute_scope(world.coordinator)


def test_the_capofila_belongs_to_its_partnership_without_a_membership_row(world: World) -> None:
    """The capofila is the partnership's own ATS: its coordinator and supervisors reach it whatever the memberships
    say, and the coordinator answers for it; a referent reaches a partnership only through a membership in force."""
    PartnershipMember.objects.filter(partnership=world.partnership, ambito=world.poggiardo).delete()
    for persona in ("coordinator", "supervisor"):
        assert compute_scope(world.user(persona)).can_see_ambito(world.poggiardo.pk), persona
    coordinator = compute_scope(world.coordinator)
    assert coordinator.can_edit_ambito(world.poggiardo.pk)
    assert coordinator.answers_for_ambito_ids == frozenset({world.poggiardo.pk})
    assert coordinator.can_edit_ambito(world.maglie.pk)  # the members as before
    referent = User.objects.create_user(username="referente.poggiardo")
    RoleAssignment.objects.create(user=referent, role=Role.REFERENT, ambito=world.poggiardo)
    assert not compute_scope(referent).can_see_partnership(world.partnership.pk)
    assert compute_scope(world.referent).can_see_partnership(world.partnership.pk)  # Maglie: a member in force


def _join(world: World, ambito_code: str, **dates: datetime.date) -> PartnershipMember:
    return PartnershipMember.objects.create(
        partnership=world.partnership, ambito=Ambito.objects.get(code=ambito_code), **dates
    )


def test_it_opens_nothing_through_a_membership_that_ended(world: World) -> None:
    """A coordinator keeps no sight of an ATS that left, nor its referent of the partnership it left."""
    _join(world, "PUG_SANSEVERO", joined_on=datetime.date(2021, 1, 1), left_on=datetime.date(2022, 12, 31))
    referent = User.objects.create_user(username="referente.sansevero")
    RoleAssignment.objects.create(user=referent, role=Role.REFERENT, ambito=world.sansevero)
    for persona in ("coordinator", "supervisor"):
        scope = compute_scope(world.user(persona))
        assert not scope.can_see_ambito(world.sansevero.pk)
        assert not scope.can_edit_ambito(world.sansevero.pk)
        with pytest.raises(Http404):
            get_ambito_for_user(world.user(persona), "PUG_SANSEVERO")
    assert not compute_scope(referent).can_see_partnership(world.partnership.pk)
    # The other apps' reach is computed from the same memberships in force.
    assert world.sansevero.pk not in (supervisors_reach(world.coordinator).managed_ambito_ids or ())
    assert world.sansevero.pk not in (sessions_reach(world.coordinator).managed_ambito_ids or ())


def test_it_opens_nothing_before_the_ats_joins(world: World) -> None:
    nuovo = Ambito.objects.create(code="PUG_NUOVO", name="Ambito Nuovo", region=world.puglia)
    PartnershipMember.objects.create(partnership=world.partnership, ambito=nuovo, joined_on=datetime.date(2099, 1, 1))
    assert not compute_scope(world.coordinator).can_see_ambito(nuovo.pk)


def test_it_opens_a_membership_in_force(world: World) -> None:
    _join(world, "PUG_SANSEVERO", joined_on=datetime.date(2021, 1, 1), left_on=datetime.date(2099, 12, 31))
    scope = compute_scope(world.coordinator)
    assert scope.can_edit_ambito(world.sansevero.pk)


def test_it_lets_the_ats_answer_through_its_referent_and_the_coordinator_of_what_it_leads(world: World) -> None:
    assert compute_scope(world.referent).answers_for_ambito_ids == frozenset({world.maglie.pk})
    assert compute_scope(world.coordinator).answers_for_ambito_ids == frozenset({world.poggiardo.pk})
    for persona in ("supervisor", "supervisee", "observer", "national_observer", "nobody"):
        assert compute_scope(world.user(persona)).answers_for_ambito_ids == frozenset()
    assert compute_scope(world.admin).can_answer_for_ambito(world.sansevero.pk)

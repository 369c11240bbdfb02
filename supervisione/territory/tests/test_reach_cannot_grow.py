"""No write lets its author widen what the author sees (issue 13, point 1).

Every write that changes a scope, tried by those who might use it to reach further: role assignments,
partnership creation and editing (capofila, period), membership, tenants of new records (supervisors,
contracts, plans), links of users to supervisor records, organisations registered for a tenant. Each test
asserts that nothing was written and that the scope of the author is what it was.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.accounts.scopes import compute_scope
from supervisione.planning.models import Plan
from supervisione.procurement.models import Contract
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Organisation, Partnership, PartnershipMember
from supervisione.testing import factories
from supervisione.testing.world import World

NOT_ADMINS = ["coordinator", "referent", "supervisor", "supervisee", "observer", "national_observer", "outsider"]


def _scopes(world: World) -> dict[str, Any]:
    return {persona: compute_scope(world.user(persona)) for persona in [*NOT_ADMINS, "nobody"]}


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_it_lets_no_one_but_administrators_grant_or_take_roles(world: World, client_for: Any, persona: str) -> None:
    user = world.user(persona)
    before = set(RoleAssignment.objects.values_list("pk", flat=True))
    client = client_for(persona)
    grant = {"role-role": Role.COORDINATOR, "role-partnership": world.sansevero_partnership.pk}
    assert client.post(reverse("accounts:role_add", args=[user.pk]), grant).status_code == 403
    assert client.post(reverse("accounts:role_add", args=[user.pk]), {"role-role": Role.ADMIN}).status_code == 403
    own = RoleAssignment.objects.filter(user=user).first()
    if own is not None:
        assert client.post(reverse("accounts:role_remove", args=[user.pk, own.pk])).status_code == 403
    new_user = {"username": "nuovo", "email": "n@example.it", "password": "una-password-molto-lunga"}
    assert client.post(reverse("accounts:user_create"), new_user).status_code == 403
    assert set(RoleAssignment.objects.values_list("pk", flat=True)) == before
    assert not User.objects.filter(username="nuovo").exists()


def test_it_lets_no_coordinator_create_a_partnership_around_another_ats(world: World, client_for: Any) -> None:
    before = _scopes(world)
    data = {"code": "PRESA-1", "name": "Presa", "capofila": world.sansevero.pk, "measure": "fnps"}
    for persona in NOT_ADMINS:
        assert client_for(persona).post(reverse("territory:partnership_create"), data).status_code == 403
    assert not Partnership.objects.filter(code="PRESA-1").exists()
    assert _scopes(world) == before


def test_it_keeps_capofila_and_code_out_of_a_coordinators_hands(world: World, client_for: Any) -> None:
    data = {
        "code": "ALTRO-1",
        "name": "Partenariato POGGIARDO-114",
        "capofila": world.sansevero.pk,
        "measure": "pnrr_114",
        "cup": "J81H22000130006",
        "start_date": "2022-09-01",
        "end_date": "2026-12-31",
        "budget": "210000",
        "lock_version": world.partnership.lock_version,
    }
    response = client_for("coordinator").post(reverse("territory:partnership_edit", args=["POGGIARDO-114"]), data)
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert (world.partnership.code, world.partnership.capofila) == ("POGGIARDO-114", world.poggiardo)
    assert not PartnershipMember.objects.filter(ambito=world.sansevero, partnership=world.partnership).exists()
    assert not compute_scope(world.coordinator).can_see_ambito(world.sansevero.pk)


def test_it_refuses_administrators_a_capofila_already_in_another_partnership(world: World, client_for: Any) -> None:
    admin = client_for("admin")
    created = {"code": "PRESA-1", "name": "Presa", "capofila": world.sansevero.pk, "measure": "fnps"}
    page = admin.post(reverse("territory:partnership_create"), created).content.decode()
    assert "fa già parte del partenariato Partenariato SANSEVERO-114 (SANSEVERO-114)" in page
    assert not Partnership.objects.filter(code="PRESA-1").exists()
    edited = {
        "code": "POGGIARDO-114",
        "name": "Partenariato POGGIARDO-114",
        "capofila": world.sansevero.pk,
        "measure": "pnrr_114",
        "start_date": "2022-09-01",
        "end_date": "2026-12-31",
        "lock_version": world.partnership.lock_version,
    }
    page = admin.post(reverse("territory:partnership_edit", args=["POGGIARDO-114"]), edited).content.decode()
    assert "fa già parte del partenariato Partenariato SANSEVERO-114" in page
    world.partnership.refresh_from_db()
    assert world.partnership.capofila == world.poggiardo


def test_it_refuses_a_longer_period_that_would_take_a_member_from_its_next_partnership(
    world: World, client_for: Any
) -> None:
    world.sansevero_partnership.end_date = datetime.date(2030, 12, 31)
    world.sansevero_partnership.save(update_fields=["end_date"])
    # Maglie is in Poggiardo's partnership to its end (31/12/2026), then in San Severo's from 2027.
    PartnershipMember.objects.create(
        partnership=world.sansevero_partnership, ambito=world.maglie, joined_on=datetime.date(2027, 1, 1)
    )
    data = {
        "code": "POGGIARDO-114",
        "name": "Partenariato POGGIARDO-114",
        "capofila": world.poggiardo.pk,
        "measure": "pnrr_114",
        "cup": "J81H22000130006",
        "start_date": "2022-09-01",
        "end_date": "2028-12-31",
        "budget": "210000",
        "lock_version": world.partnership.lock_version,
    }
    page = client_for("coordinator").post(reverse("territory:partnership_edit", args=["POGGIARDO-114"]), data)
    assert "Ambito di Maglie (PUG_MAGLIE) fa già parte del partenariato Partenariato SANSEVERO-114" in (
        page.content.decode()
    )
    world.partnership.refresh_from_db()
    assert world.partnership.end_date == datetime.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("referent", 403), ("supervisor", 403), ("supervisee", 403), ("observer", 403), ("outsider", 404)],
)
def test_it_lets_only_coordinators_and_administrators_touch_the_members(
    world: World, client_for: Any, persona: str, expected: int
) -> None:
    nuovo = Ambito.objects.create(code="PUG_NUOVO", name="Ambito Nuovo", region=world.puglia)
    client = client_for(persona)
    add = reverse("territory:member_add", args=["POGGIARDO-114"])
    assert client.post(add, {"ambito": nuovo.pk, "joined_on": "2025-01-01"}).status_code == expected
    member = PartnershipMember.objects.get(partnership=world.partnership, ambito=world.maglie)
    assert client.post(reverse("territory:member_remove", args=["POGGIARDO-114", member.pk])).status_code == expected
    assert set(world.partnership.memberships.values_list("ambito__code", flat=True)) == {
        "PUG_POGGIARDO",
        "PUG_MAGLIE",
        "PUG_CASARANO",
    }


def test_it_gives_new_records_only_to_tenants_the_author_manages(world: World, client_for: Any) -> None:
    coordinator = client_for("coordinator")
    foreign = [f"p:{world.sansevero_partnership.pk}", f"a:{world.sansevero.pk}", f"p:{world.treviso_partnership.pk}"]
    for tenant in foreign:
        supervisor = {"tenant": tenant, "surname": "Presi", "name": "Dati", "profession": "assistente_sociale"}
        supervisor |= {"years_social_work": "8", "years_supervising_as": "3"}
        assert coordinator.post(reverse("supervisors:supervisor_create"), supervisor).status_code == 200
        contract = {"tenant": tenant, "title": "Presa", "procedure": "mepa", "status": "procedure"}
        assert coordinator.post(reverse("procurement:contract_create"), contract).status_code == 200
        plan = {"owner": tenant, "year": "2027"}
        assert coordinator.post(reverse("planning:plan_create"), plan).status_code == 200
    assert not Supervisor.objects.filter(surname="Presi").exists()
    assert not Contract.objects.filter(title="Presa").exists()
    assert not Plan.objects.filter(partnership=world.sansevero_partnership).exists()
    assert not Plan.objects.filter(ambito=world.sansevero).exists()


def test_it_links_to_a_supervisor_record_only_users_with_that_role_there(world: World, client_for: Any) -> None:
    record = factories.supervisor(world.partnership)
    data = {
        "surname": record.surname,
        "name": record.name,
        "profession": record.profession,
        "years_social_work": "12",
        "years_supervising_as": "4",
        "active": "on",
    }
    for persona in ("outsider", "coordinator", "referent"):
        data["user"] = str(world.user(persona).pk)
        page = client_for("coordinator").post(reverse("supervisors:supervisor_edit", args=[record.pk]), data)
        assert page.status_code == 200
    record.refresh_from_db()
    assert record.user is None
    # The outsider, linked by nobody, still sees nothing of Poggiardo's supervisors.
    assert client_for("outsider").get(record.get_absolute_url()).status_code == 404


def test_it_registers_an_organisation_only_for_a_tenant_of_the_author(world: World, client_for: Any) -> None:
    data = {"name": "Cooperativa Presa", "kind": "cooperative", "tenant": f"p:{world.sansevero_partnership.pk}"}
    for persona in ("coordinator", "referent", "outsider"):
        assert client_for(persona).post(reverse("territory:organisation_create"), data).status_code == 200
    assert not Organisation.objects.filter(name="Cooperativa Presa").exists()

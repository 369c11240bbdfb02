"""What the sessions app reads from a plan, and the A2 redistribution that depends on the hours used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from supervisione.audit.models import AuditEntry
from supervisione.leps.minimums import RedistributionError
from supervisione.planning import actions
from supervisione.planning.models import A2Transfer, GroupKind, Plan
from supervisione.planning.plan_page import plan_page
from supervisione.planning.queries import (
    a2_hours_moved,
    current_plan,
    groups_of_person,
    groups_of_supervisor,
    plan_groups,
    plan_in_force,
)
from supervisione.planning.tests import factories
from supervisione.sessions.actions.a2_moves import move_a2_hours
from supervisione.sessions.usage import a2_hours_used
from supervisione.testing.world import World


def _approved(world: World) -> Plan:
    plan = factories.ready_plan(world)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator)
    return plan


def test_it_finds_the_plan_in_force_its_groups_and_who_is_in_them(world: World) -> None:
    plan = factories.ready_plan(world)
    assert (plan_in_force(world.partnership, 2025), current_plan(world.partnership, 2025)) == (None, plan)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator)
    assert plan_in_force(world.partnership, 2025) == plan
    groups = plan_groups(plan)
    assert [group.kind for group in groups] == ["A1", "A3"]
    person = factories.person_of(3)  # the first AS of Maglie works in its équipe: A1 and A3
    assert [g.kind for g in groups_of_person(person, 2025)] == ["A1", "A3"]
    assert list(groups_of_person(person, 2026)) == []
    leader = groups[0].supervisor
    assert leader is not None
    leader.user = world.supervisor
    leader.save(update_fields=["user"])
    assert len(groups_of_supervisor(world.supervisor, 2025)) == 2


def test_it_moves_only_unused_a2_hours_of_an_approved_plan_and_records_the_move(world: World) -> None:
    plan = _approved(world)
    source = plan.groups.get(kind=GroupKind.A1)
    target = plan.groups.get(kind=GroupKind.A3)
    # No sessions exist yet: nothing of the pool has been used.
    assert a2_hours_used(source) == 0
    move_a2_hours(source, target, Decimal(5), reason="Meno richieste individuali", by=world.coordinator)
    assert a2_hours_moved(source) == 5
    with pytest.raises(RedistributionError, match="al massimo 10 ore"):
        move_a2_hours(source, target, Decimal(11), reason="Ancora", by=world.coordinator)
    with pytest.raises(RedistributionError, match="Indica il motivo"):
        move_a2_hours(source, target, Decimal(1), reason="  ", by=world.coordinator)
    with pytest.raises(RedistributionError, match="Il monte ore A2 è dei gruppi A1"):
        move_a2_hours(target, source, Decimal(1), reason="Al contrario", by=world.coordinator)
    assert A2Transfer.objects.count() == 1
    assert AuditEntry.objects.filter(message__startswith="Spostate 5 ore A2 da Gruppo A1 n. 1").exists()
    rows = {row.group.pk: row for row in plan_page(plan).rows}
    assert (rows[source.pk].effective_pool, rows[target.pk].effective_hours) == (Decimal(10), Decimal(11))


def test_it_moves_a2_hours_only_during_the_year_of_an_approved_plan(world: World) -> None:
    plan = factories.ready_plan(world)
    source = plan.groups.get(kind=GroupKind.A1)
    target = plan.groups.get(kind=GroupKind.A3)
    with pytest.raises(RedistributionError, match="solo nel piano approvato"):
        move_a2_hours(source, target, Decimal(1), reason="Troppo presto", by=world.coordinator)
    assert not A2Transfer.objects.exists()

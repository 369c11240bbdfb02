"""A plan's groups and the end of the PNRR project they are charged to: a plan of 2026 is split at the end (the
project pays to 30/06, the row named for afterwards the rest, by days), a plan wholly after it cannot be charged
to the project, and a group that goes past the end without a row for afterwards is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from supervisione.planning import actions
from supervisione.planning.ats_poa import split_plan
from supervisione.planning.models import GroupKind
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.planning.tests.split_checks import assert_adds_up
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.supervisors.models import Supervisor
from supervisione.testing.world import World

D = Decimal
PNRR = f"pnrr_114:{factories.CUP}"


def test_it_splits_the_costs_of_2026_at_the_end_of_the_activities(world: World) -> None:
    plan = factories.ready_plan(world, year=2026)  # A1 16 h + 15 h A2 (1,940 EUR) and an équipe 6 h (420 EUR)
    lines = {line.key: line for line in plan_page(plan).costs}
    # 181 days of 365 to the project: 1,940 x 181/365 = 962.03 and 420 x 181/365 = 208.27; the rest unpaid yet.
    assert (lines[PNRR].hours, lines[PNRR].planned) == (D("18.35"), D("1170.30"))
    assert (lines["none"].label, lines["none"].hours, lines["none"].planned) == (
        "Fonte non indicata",
        D("18.65"),
        D("1189.70"),
    )
    other = ContractFunding.objects.create(
        contract=Contract.objects.get(), measure="other", amount=D(5000), note="Bilancio comunale"
    )
    for group in plan.groups.all():
        group.funding_after = other
        plan.refresh_from_db()
        actions.save_group(group, expected=plan.lock_version, by=world.coordinator)
    page = plan_page(plan)
    lines = {line.key: line for line in page.costs}
    assert set(lines) == {PNRR, f"other:{other.pk}"}
    assert lines[f"other:{other.pk}"].planned == D("1189.70")
    assert page.total_cost == D("2360.00")
    assert page.rows[0].funding_label == "PNRR 1.1.4 fino al 30/06/2026, poi Altra fonte"
    assert_adds_up(split_plan(page))  # each ATS's POA splits each source the same way


def test_it_refuses_a_group_past_the_end_without_a_row_for_afterwards(world: World) -> None:
    plan = factories.ready_plan(world, year=2026)
    group = plan.groups.get(kind=GroupKind.A1)
    group.note = "Cambio di nota"
    with pytest.raises(actions.FundingRefusedError) as refused:
        actions.save_group(group, expected=plan.lock_version, by=world.coordinator)
    assert (
        "ha concluso le attività il 30/06/2026: non si può imputare le ore del gruppo dal 01/07/2026 al 31/12/2026. "
        "Imputa le ore del gruppo alla quota FNPS dell'ATS o ad altra fonte. Indica la fonte che paga dopo la fine"
    ) in str(refused.value)
    version = plan.lock_version
    plan.refresh_from_db()
    assert plan.lock_version == version  # nothing changed


def test_a_plan_wholly_after_the_end_is_never_charged_to_the_project(world: World) -> None:
    factories.ready_plan(world, year=2026)
    Contract.objects.update(end_date=datetime.date(2027, 12, 31))
    later = actions.create_plan(world.partnership, 2027, by=world.coordinator)
    group = later.groups.get(kind=GroupKind.A1)
    assert group.contract is not None
    assert group.funding is None  # the contract's only row is the project's, which ended
    group.funding = ContractFunding.objects.get(measure="pnrr_114")
    with pytest.raises(actions.FundingRefusedError, match="dal 01/01/2027 al 31/12/2027"):
        actions.save_group(group, expected=later.lock_version, by=world.coordinator)


def test_another_years_plan_counts_on_the_project_only_to_its_end(world: World) -> None:
    earlier = factories.ready_plan(world)  # 2025: 2,360 EUR on the project
    later = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    factories.assign_all(later, Supervisor.objects.get())
    other = ContractFunding.objects.create(
        contract=Contract.objects.get(), measure="other", amount=D(5000), note="Bilancio comunale"
    )
    for group in later.groups.all():
        group.funding_after = other
        later.refresh_from_db()
        actions.save_group(group, expected=later.lock_version, by=world.coordinator)
    later.refresh_from_db()
    actions.submit_plan(later, expected=later.lock_version, by=world.coordinator)
    actions.approve_plan(later, expected=later.lock_version, by=world.coordinator)
    [line] = plan_page(earlier).costs
    # 2026 pays the project for 181 days of 365 (1,170.30 EUR, as the first test), the rest from the other row.
    assert (line.key, line.planned, line.other_plans) == (PNRR, D("2360.00"), D("1170.30"))

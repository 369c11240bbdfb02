"""Who pays for a plan's group: the rule of ``leps.fnps`` (through ``procurement.payers``) on its members.

A group charged to the FNPS row of ATS X may have members of other ATS only if the partnership's agreement with
quotas is in force over the whole period of the plan; the group's cost is then shared by the quotas. The group
form and the actions that change a group's funding or members ask ``refusal``; the plan page asks
``group_checks`` for all its groups at once (blocking the submission of a plan with a refused group, and
showing each ATS's part of the FNPS costs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from supervisione.planning.models import Plan, PlanGroup
from supervisione.procurement.models import ContractFunding
from supervisione.procurement.payers import FundingCheck, Payers
from supervisione.territory.models import FundingMeasure


def check_group(plan: Plan, funding: ContractFunding | None, member_ambiti: Iterable[int]) -> FundingCheck | None:
    """May ``funding`` pay for a group of this plan with members of these ATS (one id per member)? None when the
    group has no FNPS row (the rule does not bind it)."""
    if funding is None or funding.measure != FundingMeasure.FNPS:
        return None
    people = Counter(member_ambiti)
    return Payers(_partnerships(plan, [funding]), people).check(funding, people, plan.starts_on, plan.ends_on)


def refusal(plan: Plan, funding: ContractFunding | None, member_ambiti: Iterable[int]) -> str:
    """Why the rule refuses ``funding`` for a group of these members, or "" when it allows it."""
    check = check_group(plan, funding, member_ambiti)
    return "" if check is None or check.allowed else check.message


def group_checks(plan: Plan, groups: Iterable[PlanGroup]) -> dict[int, FundingCheck]:
    """The verdict on every group of the plan charged to an FNPS row (members prefetched: ``plan_groups``), by
    group id, in a fixed number of queries."""
    charged = [g for g in groups if g.funding is not None and g.funding.measure == FundingMeasure.FNPS]
    if not charged:
        return {}
    members = {group.pk: Counter(m.ambito_id for m in group.memberships.all()) for group in charged}
    ambiti = {ambito for counts in members.values() for ambito in counts}
    ambiti |= {group.funding.ambito_id for group in charged if group.funding and group.funding.ambito_id}
    payers = Payers(_partnerships(plan, [group.funding for group in charged if group.funding]), ambiti)
    return {
        group.pk: payers.check(group.funding, members[group.pk], plan.starts_on, plan.ends_on)
        for group in charged
        if group.funding is not None
    }


def _partnerships(plan: Plan, fundings: Iterable[ContractFunding]) -> set[int]:
    found = {funding.contract.partnership_id for funding in fundings if funding.contract.partnership_id}
    if plan.partnership_id:
        found.add(plan.partnership_id)
    return found

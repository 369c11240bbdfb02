"""Who pays for a plan's group: the rule of ``leps.fnps`` (through ``procurement.payers``) on its members.

A group charged to the FNPS row of ATS X may have members of other ATS only if the partnership's agreement with
quotas is in force over the whole period of the plan; the group's cost is then shared by the quotas. The group
form and the actions that change a group's funding or members ask ``refusal``; the plan page asks
``group_checks`` for all its groups at once (blocking the submission of a plan with a refused group, and
showing each ATS's part of the FNPS costs).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from supervisione.planning.models import Plan, PlanGroup
from supervisione.planning.project_end import after_end_since
from supervisione.procurement.models import ContractFunding
from supervisione.procurement.payers import FundingCheck, Payers
from supervisione.territory.models import FundingMeasure


def check_group(
    plan: Plan, funding: ContractFunding | None, member_ambiti: Iterable[int], since: datetime.date | None = None
) -> FundingCheck | None:
    """May ``funding`` pay for a group of this plan with members of these ATS (one id per member), over the plan or
    ``since`` a day of it (the row that pays after the end of a PNRR project)? None when the group has no FNPS row
    (the rule does not bind it)."""
    if funding is None or funding.measure != FundingMeasure.FNPS:
        return None
    people = Counter(member_ambiti)
    first = max(since, plan.starts_on) if since is not None else plan.starts_on
    return Payers(_partnerships(plan, [funding]), people).check(funding, people, first, plan.ends_on)


def refusal(
    plan: Plan, funding: ContractFunding | None, member_ambiti: Iterable[int], since: datetime.date | None = None
) -> str:
    """Why the rule refuses ``funding`` for a group of these members, or "" when it allows it."""
    check = check_group(plan, funding, member_ambiti, since)
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


def group_checks_after(plan: Plan, groups: Iterable[PlanGroup]) -> dict[int, FundingCheck]:
    """The verdict on the FNPS row that pays each group's hours after the end of its PNRR project
    (``PlanGroup.funding_after``), over the plan's days after the end, by group id (members prefetched)."""
    charged = [g for g in groups if g.funding_after is not None and g.funding_after.measure == FundingMeasure.FNPS]
    if not charged:
        return {}
    members = {group.pk: Counter(m.ambito_id for m in group.memberships.all()) for group in charged}
    ambiti = {ambito for counts in members.values() for ambito in counts}
    payers = Payers(_partnerships(plan, [g.funding_after for g in charged if g.funding_after]), ambiti)
    found: dict[int, FundingCheck] = {}
    for group in charged:
        since = after_end_since(group.funding)
        if group.funding_after is not None:
            first = max(since, plan.starts_on) if since is not None else plan.starts_on
            found[group.pk] = payers.check(group.funding_after, members[group.pk], first, plan.ends_on)
    return found

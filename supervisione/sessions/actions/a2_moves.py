"""Moving unused hours of an A1 group's A2 pool: a write to the plan, made in sessions because it needs the hours
delivered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.leps.minimums import RedistributionError, check_redistribution
from supervisione.lib.italian import hours_counted, plural
from supervisione.planning.models import A2Transfer, GroupKind, Plan, PlanGroup, PlanStatus
from supervisione.planning.project_end import closed_plan_refusal
from supervisione.planning.queries import a2_hours_moved
from supervisione.sessions.actions.base import recorded_user
from supervisione.sessions.usage import a2_hours_used

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def move_a2_hours(source: PlanGroup, target: PlanGroup, hours: Decimal, *, reason: str, by: User) -> A2Transfer:
    """Move unused hours of an A1 group's A2 pool to an A1 group or A3 équipe of the same approved plan.

    A write to the plan, made here because it needs the hours delivered (registers confirmed). Only unused hours
    move: the pool minus the hours used (``usage.a2_hours_used``, from confirmed sessions) minus the hours
    already moved. ``leps.minimums.RedistributionError`` (Italian) when the Scheda does not allow it.
    """
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=source.plan_id)
        if plan.status != PlanStatus.APPROVED:
            raise RedistributionError("Le ore A2 si spostano solo nel piano approvato, durante l'anno.")
        if target.plan_id != source.plan_id:
            raise RedistributionError("Le ore A2 si spostano solo tra gruppi dello stesso piano.")
        if source.kind != GroupKind.A1:
            raise RedistributionError("Il monte ore A2 è dei gruppi A1.")
        if not reason.strip():
            raise RedistributionError("Indica il motivo dello spostamento.")
        if problem := closed_plan_refusal(plan):
            raise RedistributionError(problem)
        check_redistribution(
            source.a2_pool_hours, a2_hours_used(source), a2_hours_moved(source), hours, target.supervision_type
        )
        transfer = A2Transfer.objects.create(
            source=source, target=target, hours=hours, reason=reason.strip(), created_by=recorded_user(by)
        )
        record(
            plan,
            by=by,
            action=AuditAction.ACTION,
            message=(
                f"{plural(hours, 'Spostata', 'Spostate')} {hours_counted(hours)} A2 da {source.name} a {target.name}: "
                f"{reason.strip()}"
            )[:250],
            code="planning.plan.a2_hours_moved",
        )
    return transfer

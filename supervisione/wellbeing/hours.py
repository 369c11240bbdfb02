"""The hours of supervision a unit had received by each of its waves, from the sessions' confirmed registers
(``sessions.usage.CONFIRMED``): the comparison the results page and the dashboards show beside the scores.

Two queries for the waves of one tenant, whatever the number of units and waves: the tenant's groups with the
version they were copied from (a group is the same in every version of its plan, as ``sessions.usage.group_lineage``
follows it), and one aggregate of the confirmed minutes before each wave opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from supervisione.planning.models import PlanGroup
from supervisione.sessions.models import Session
from supervisione.sessions.usage import CONFIRMED, minutes_to_hours
from supervisione.wellbeing.models import Wave


def _lineages(waves: Sequence[Wave]) -> dict[int, list[int]]:
    """Group -> every version of it, for the groups of the waves (one query over the tenant's groups)."""
    first = waves[0]
    asked = {wave.group_id for wave in waves if wave.group_id is not None}
    if not asked:
        return {}
    edges = PlanGroup.objects.filter(
        Q(plan__partnership_id=first.partnership_id, plan__ambito_id=first.ambito_id) | Q(pk__in=asked)
    ).values_list("pk", "copied_from_id")
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while parent.get(pk, pk) != pk:
            pk = parent[pk]
        return pk

    for pk, copied_from in edges:
        parent.setdefault(pk, pk)
        if copied_from is not None:
            parent.setdefault(copied_from, copied_from)
            parent[root(pk)] = root(copied_from)
    members: dict[int, list[int]] = {}
    for pk in parent:
        members.setdefault(root(pk), []).append(pk)
    return {pk: sorted(members[root(pk)]) if pk in parent else [pk] for pk in asked}


def _tenant_sessions(wave: Wave) -> QuerySet[Session]:
    if wave.partnership_id is not None:
        return Session.objects.filter(group__plan__partnership_id=wave.partnership_id)
    # An ATS's own sessions and those of shared groups with its people: count each session once.
    found = Session.objects.filter(
        Q(group__plan__ambito_id=wave.ambito_id) | Q(group__memberships__ambito_id=wave.ambito_id)
    )
    return Session.objects.filter(pk__in=found.values("pk"))


def hours_by_waves(waves: Sequence[Wave]) -> dict[int, Decimal]:
    """Wave -> confirmed hours of its unit's sessions before it opened (waves of one tenant, any units): a group's
    sessions in every version of its plan, the whole tenant's for a wave of the whole ATS or partnership."""
    if not waves:
        return {}
    lineages = _lineages(waves)
    sums = (
        _tenant_sessions(waves[0])
        .filter(CONFIRMED)
        .aggregate(
            **{
                f"w{wave.pk}": Sum(
                    "minutes",
                    filter=Q(date__lt=wave.opens_on)
                    & (Q(group_id__in=lineages[wave.group_id]) if wave.group_id is not None else Q()),
                )
                for wave in waves
            }
        )
    )
    return {wave.pk: minutes_to_hours(sums[f"w{wave.pk}"] or 0) for wave in waves}

"""The hours of supervision a unit had received by each of its waves, from the sessions' confirmed registers
(``sessions.usage.CONFIRMED``): the comparison the results page shows beside the scores. One query."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Q, Sum

from supervisione.sessions.models import Session
from supervisione.sessions.usage import CONFIRMED, group_lineage, minutes_to_hours
from supervisione.wellbeing.models import Wave


def hours_by_wave(waves: Sequence[Wave]) -> dict[int, Decimal]:
    """Wave -> confirmed hours of the unit's sessions before the wave opened (all waves of one unit)."""
    if not waves:
        return {}
    first = waves[0]
    if first.group_id is not None:
        sessions = Session.objects.filter(group_id__in=group_lineage(first.group_id))
    elif first.partnership_id is not None:
        sessions = Session.objects.filter(group__plan__partnership_id=first.partnership_id)
    else:
        sessions = Session.objects.filter(
            Q(group__plan__ambito_id=first.ambito_id) | Q(group__memberships__ambito_id=first.ambito_id)
        ).distinct()
    if first.group_id is None and first.ambito_id is not None:
        # An ATS's own sessions and those of shared groups with its people: count each session once.
        sessions = Session.objects.filter(pk__in=sessions.values("pk"))
    sums = sessions.filter(CONFIRMED).aggregate(
        **{f"w{wave.pk}": Sum("minutes", filter=Q(date__lt=wave.opens_on)) for wave in waves}
    )
    return {wave.pk: minutes_to_hours(sums[f"w{wave.pk}"] or 0) for wave in waves}

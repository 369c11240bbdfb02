"""Scheda LEPS 2.7.2, the minimum hours: 16 h a year per A1 group of at most 15 social workers, each group with
a pool of 15 h of individual supervision (A2), 6 h a year per équipe (A3).

A plan covering only part of the year asks for the whole minimum, or for a share of it when the parameters say
so (pro-rating). The social workers of a plan are split into the fewest A1 groups the maximum size allows.
Unused A2 hours may be moved, during the year, to an A1 group or an A3 équipe of the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from supervisione.leps.kinds import SupervisionType
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules, Prorate
from supervisione.leps.rounding import ZERO, round_up_to_half_hour
from supervisione.leps.wording import hours_counted, hours_text

K = TypeVar("K")


def prorated(yearly_hours: Decimal, months_covered: int, rules: LepsRules = DEFAULT_RULES) -> Decimal:
    """The minimum for a plan covering ``months_covered`` months of the year (1-12)."""
    if not 1 <= months_covered <= 12:
        raise ValueError("months_covered must be between 1 and 12")
    if rules.prorate is Prorate.OFF or months_covered == 12:
        return yearly_hours
    # Rounding up to the half hour must not ask more of part of a year than of the whole year (0,7 h a year
    # would otherwise become 1 h for eleven months).
    return min(yearly_hours, round_up_to_half_hour(yearly_hours * months_covered / 12))


def a1_group_count(social_workers: int, rules: LepsRules = DEFAULT_RULES) -> int:
    """A1 groups needed so that no group exceeds the maximum size: 56 AS -> 4 groups of at most 15."""
    if social_workers < 0:
        raise ValueError("social_workers cannot be negative")
    return math.ceil(social_workers / rules.max_group_size)


def minimum_hours(kind: SupervisionType, months_covered: int = 12, rules: LepsRules = DEFAULT_RULES) -> Decimal:
    """Minimum yearly hours of one A1 group, one A2 pool (per A1 group) or one A3 équipe; 0 for extra-LEPS."""
    yearly = {
        SupervisionType.A1: rules.a1_min_hours_per_group,
        SupervisionType.A2: rules.a2_pool_hours_per_a1_group,
        SupervisionType.A3: rules.a3_min_hours_per_equipe,
        SupervisionType.EXTRA: ZERO,
    }[kind]
    return prorated(yearly, months_covered, rules)


@dataclass(frozen=True)
class Minimums:
    """The minimum of a whole plan: e.g. 56 AS in 4 A1 groups and 3 équipes -> 64 h A1, 60 h A2, 18 h A3."""

    a1_groups: int
    equipes: int
    a1_hours: Decimal
    a2_pool_hours: Decimal
    a3_hours: Decimal

    @property
    def total_hours(self) -> Decimal:
        return self.a1_hours + self.a2_pool_hours + self.a3_hours


def plan_minimums(a1_groups: int, equipes: int, months_covered: int = 12, rules: LepsRules = DEFAULT_RULES) -> Minimums:
    return Minimums(
        a1_groups=a1_groups,
        equipes=equipes,
        a1_hours=minimum_hours(SupervisionType.A1, months_covered, rules) * a1_groups,
        a2_pool_hours=minimum_hours(SupervisionType.A2, months_covered, rules) * a1_groups,
        a3_hours=minimum_hours(SupervisionType.A3, months_covered, rules) * equipes,
    )


# --- Splitting social workers into A1 groups -----------------------------------------------------------


def suggest_groups(members: Sequence[tuple[K, str]], rules: LepsRules = DEFAULT_RULES) -> list[list[K]]:
    """Split social workers into the fewest A1 groups of at most ``max_group_size``, balanced in size and,
    where possible, keeping the people of one ATS together.

    ``members`` are (key, cluster) pairs, the cluster being the ATS. Groups get sizes that differ by at most
    one (56 -> 14, 14, 14, 14). Clusters are placed largest first, each filling the group with most room; a
    cluster larger than the room left is split across groups.
    """
    if not members:
        return []
    count = a1_group_count(len(members), rules)
    base, extra = divmod(len(members), count)
    capacities = [base + 1 if index < extra else base for index in range(count)]
    clusters: dict[str, list[K]] = {}
    for key, cluster in members:
        clusters.setdefault(cluster, []).append(key)
    groups: list[list[K]] = [[] for _ in range(count)]
    for cluster_keys in sorted(clusters.values(), key=len, reverse=True):
        pending = list(cluster_keys)
        while pending:
            # Prefer a group where the whole remainder fits; otherwise the one with most room.
            room = [capacity - len(group) for capacity, group in zip(capacities, groups, strict=True)]
            fitting = [index for index, free in enumerate(room) if free >= len(pending)]
            target = min(fitting, key=lambda index: room[index]) if fitting else max(range(count), key=room.__getitem__)
            take = min(room[target], len(pending))
            groups[target].extend(pending[:take])
            pending = pending[take:]
    return [group for group in groups if group]


# --- Moving unused A2 hours ----------------------------------------------------------------------------


class RedistributionError(ValueError):
    """A move of A2 hours the Scheda does not allow; the message is in Italian."""


def check_redistribution(
    pool_hours: Decimal, used_hours: Decimal, already_moved: Decimal, hours: Decimal, target: SupervisionType
) -> Decimal:
    """Validate moving ``hours`` of an A2 pool to an A1 group or A3 équipe; return the hours still movable after.

    Only unused hours move (pool - used - already moved), only toward A1 or A3 of the same year, and only in
    positive amounts.
    """
    if target not in (SupervisionType.A1, SupervisionType.A3):
        raise RedistributionError("Le ore A2 non utilizzate si possono spostare solo su un gruppo A1 o un'équipe A3.")
    if hours <= 0:
        raise RedistributionError("Indica un numero di ore maggiore di zero.")
    available = pool_hours - used_hours - already_moved
    if hours > available:
        raise RedistributionError(
            f"Si possono spostare al massimo {hours_counted(max(available, ZERO))}: il monte ore A2 è di "
            f"{hours_text(pool_hours)}, ne sono state usate {hours_text(used_hours)} e spostate "
            f"{hours_text(already_moved)}."
        )
    return available - hours

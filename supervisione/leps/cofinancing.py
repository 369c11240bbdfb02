"""Costs of a plan and the co-financing what-if: what an amount (e.g. the FNPS quota for supervision) adds at
the contract's hourly rates, first as new A1 groups at the minimum for the social workers still outside any
group, then as more A1 hours for the groups there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import a1_group_count, minimum_hours, plan_minimums
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.leps.rounding import CENT, round_down_to_half_hour
from supervisione.leps.wording import counted, euro_text, hours_counted, hours_text, plural


def hours_cost(hours: Decimal, hourly_rate: Decimal) -> Decimal:
    """Planned hours x the contract's hourly rate, in euro cents (ROUND_HALF_UP)."""
    return (hours * hourly_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def amount_per_year(amount: Decimal, years: int) -> Decimal:
    """An allocation that covers several years, one year of it: amount / years, rounded down to the cent so that
    the years never add up to more than the allocation. Casarano's 29,297.33 EUR for 2023 and 2024 together are
    14,648.66 EUR a year (the co-financing what-if of such an allocation simulates one year of it)."""
    if years < 1:
        raise ValueError("an allocation covers at least one year")
    return (amount / years).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class CoFinancing:
    """What an amount (e.g. the FNPS quota for supervision) adds to a plan at the contract's rates.

    The amount first pays for whole new A1 groups at the LEPS minimum, each with its A2 pool, for the social
    workers still outside any group; what is left buys more A1 hours for the groups there are.
    """

    amount: Decimal
    a1_rate: Decimal
    a2_rate: Decimal
    group_cost: Decimal  # one A1 group at the minimum with its A2 pool
    waiting: int  # social workers outside any A1 group before the co-financing
    capacity_groups: int  # whole groups the amount could pay for
    new_groups: int  # of those, the groups the waiting social workers need
    social_workers_covered: int
    new_group_hours: Decimal  # A1 + A2 hours of the new groups
    extra_a1_hours: Decimal  # more A1 hours for the groups there are, with what is left
    remainder: Decimal  # less than the cost of half an hour
    group_size: int  # the most social workers in one A1 group

    @property
    def total_hours(self) -> Decimal:
        return self.new_group_hours + self.extra_a1_hours

    @property
    def capacity_social_workers(self) -> int:
        """Social workers the whole amount could give A1 and A2 supervision to, at the minimum."""
        return self.capacity_groups * self.group_size


def cofinancing(
    amount: Decimal,
    a1_rate: Decimal,
    a2_rate: Decimal,
    waiting: int,
    months_covered: int = 12,
    rules: LepsRules = DEFAULT_RULES,
) -> CoFinancing:
    """The hours and the social workers an amount adds, e.g. 29,297.33 EUR (Casarano's FNPS allocation for 2023 and
    2024 together, spent at once) at 65 EUR/h (A1) and 60 EUR/h (A2).

    One A1 group at the minimum costs 16 h x 65 + 15 h x 60 = 1,940 EUR: the amount pays for 15 such groups.
    If 20 social workers wait, 2 of those groups cover them (3,880 EUR, 62 h); the remaining 25,417.33 EUR buy
    391 more A1 hours (25,415 EUR), and 2.33 EUR are left.
    """
    if amount < 0 or waiting < 0:
        raise ValueError("amount and waiting cannot be negative")
    if a1_rate <= 0 or a2_rate <= 0:
        raise ValueError("hourly rates must be positive")
    a1_hours = minimum_hours(SupervisionType.A1, months_covered, rules)
    a2_hours = minimum_hours(SupervisionType.A2, months_covered, rules)
    group_cost = hours_cost(a1_hours, a1_rate) + hours_cost(a2_hours, a2_rate)
    capacity = int(amount // group_cost)
    new_groups = min(capacity, a1_group_count(waiting, rules))
    covered = min(waiting, new_groups * rules.max_group_size)
    left = amount - new_groups * group_cost
    extra = round_down_to_half_hour(left / a1_rate)
    return CoFinancing(
        amount=amount,
        a1_rate=a1_rate,
        a2_rate=a2_rate,
        group_cost=group_cost,
        waiting=waiting,
        capacity_groups=capacity,
        new_groups=new_groups,
        social_workers_covered=covered,
        new_group_hours=(a1_hours + a2_hours) * new_groups,
        extra_a1_hours=extra,
        remainder=left - hours_cost(extra, a1_rate),
        group_size=rules.max_group_size,
    )


def describe_cofinancing(result: CoFinancing) -> str:
    """The what-if in words, as the plan page and the FNPS page show it."""
    rates = f"{euro_text(result.a1_rate)}/h per A1 e {euro_text(result.a2_rate)}/h per A2"
    text = (
        f"Con {euro_text(result.amount)} a {rates}, un gruppo A1 al minimo con il suo monte ore A2 costa "
        f"{euro_text(result.group_cost)}: l'importo ne paga {result.capacity_groups}."
    )
    if result.new_groups:
        groups = "Serve 1 nuovo gruppo" if result.new_groups == 1 else f"Servono {result.new_groups} nuovi gruppi"
        text += (
            f" {groups} per {counted(result.social_workers_covered, 'assistente sociale', 'assistenti sociali')} oggi "
            f"senza gruppo ({hours_counted(result.new_group_hours)} A1 e A2)."
        )
    elif result.waiting:
        waiting = "l'assistente sociale" if result.waiting == 1 else f"i {result.waiting} assistenti sociali"
        text += f" Non basta per un nuovo gruppo per {waiting} senza gruppo."
    else:
        text += " Tutti gli assistenti sociali sono già in un gruppo."
    if result.extra_a1_hours:
        text += (
            f" {plural(result.extra_a1_hours, 'Resta', 'Restano')} {hours_counted(result.extra_a1_hours)} A1 in più "
            "per i gruppi."
        )
    return text


@dataclass(frozen=True)
class QuotaCover:
    """What an ATS's FNPS quota for a year covers against the ATS's own LEPS minimum at its rates.

    The minimum is A1 hours and the A2 pool of each A1 group plus the A3 hours of each équipe; what is left
    after it (``left``) may buy extra hours or extra-LEPS groups; a negative ``left`` is what is missing.
    """

    quota: Decimal
    a1_groups: int
    equipes: int
    a1_hours: Decimal
    a2_hours: Decimal
    a3_hours: Decimal
    a1_cost: Decimal
    a2_cost: Decimal
    a3_cost: Decimal
    extra_a1_hours: Decimal  # more A1 hours that what is left buys at the A1 rate (0 if nothing is left)

    @property
    def minimum_cost(self) -> Decimal:
        return self.a1_cost + self.a2_cost + self.a3_cost

    @property
    def left(self) -> Decimal:
        return self.quota - self.minimum_cost

    @property
    def covered(self) -> bool:
        return self.left >= 0

    @property
    def missing(self) -> Decimal:
        return max(-self.left, Decimal(0))


def quota_against_minimum(
    quota: Decimal,
    a1_groups: int,
    equipes: int,
    a1_rate: Decimal,
    a2_rate: Decimal,
    a3_rate: Decimal,
    months: int = 12,
    rules: LepsRules = DEFAULT_RULES,
) -> QuotaCover:
    """An ATS with 2 A1 groups and 1 équipe needs 2 x (16 h A1 + 15 h A2 pool) + 6 h A3: at 65, 60 and 70 EUR/h
    that is 2,080 + 1,800 + 420 = 4,300 EUR; a quota of 14,648.66 EUR covers it and leaves 10,348.66 EUR, that is
    159 more A1 hours at 65 EUR/h."""
    if quota < 0 or a1_groups < 0 or equipes < 0:
        raise ValueError("quota, groups and équipes cannot be negative")
    if a1_rate <= 0 or a2_rate <= 0 or a3_rate <= 0:
        raise ValueError("hourly rates must be positive")
    minimum = plan_minimums(a1_groups, equipes, months, rules)
    a1_cost = hours_cost(minimum.a1_hours, a1_rate)
    a2_cost = hours_cost(minimum.a2_pool_hours, a2_rate)
    a3_cost = hours_cost(minimum.a3_hours, a3_rate)
    left = quota - (a1_cost + a2_cost + a3_cost)
    return QuotaCover(
        quota=quota,
        a1_groups=a1_groups,
        equipes=equipes,
        a1_hours=minimum.a1_hours,
        a2_hours=minimum.a2_pool_hours,
        a3_hours=minimum.a3_hours,
        a1_cost=a1_cost,
        a2_cost=a2_cost,
        a3_cost=a3_cost,
        extra_a1_hours=round_down_to_half_hour(left / a1_rate) if left > 0 else Decimal(0),
    )


def describe_quota_cover(cover: QuotaCover) -> str:
    """The comparison in words, as the next year's page shows it."""
    text = (
        f"Il minimo LEPS dell'ATS ({counted(cover.a1_groups, 'gruppo A1 con il suo', 'gruppi A1 con il loro')} "
        f"monte ore A2, {cover.equipes} équipe A3: "
        f"{hours_text(cover.a1_hours)} h A1, {hours_text(cover.a2_hours)} h A2, {hours_text(cover.a3_hours)} h A3) "
        f"costa {euro_text(cover.minimum_cost)}."
    )
    if cover.covered:
        text += f" La quota FNPS di {euro_text(cover.quota)} lo copre e lascia {euro_text(cover.left)}"
        if cover.extra_a1_hours:
            text += f" ({hours_counted(cover.extra_a1_hours)} A1 in più, o gruppi extra-LEPS)"
        return text + "."
    return f"{text} La quota FNPS di {euro_text(cover.quota)} non lo copre: mancano {euro_text(cover.missing)}."

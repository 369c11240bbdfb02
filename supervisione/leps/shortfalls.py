"""A plan against the Scheda LEPS 2.7.2: every social worker in an A1 group of at most 15, every group with at
least its minimum hours (and its A2 pool), every équipe with its A3 hours, every group with an eligible
supervisor; and, when the census's counts are known, at least one social worker and one équipe to supervise.

``shortfalls`` lists what keeps a plan below the LEPS, group by group, as ``Shortfall`` values; ``describe``
says each in words, as the plan page and the exports show it. An empty list means the plan meets the LEPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.leps.rounding import ZERO
from supervisione.leps.wording import hours_counted, hours_text, number_text, plural

K = TypeVar("K")


@dataclass(frozen=True)
class GroupPlan(Generic[K]):
    """One A1 group, A3 équipe or extra-LEPS group of a plan, as the rules see it."""

    key: K
    name: str
    kind: SupervisionType
    members: int
    planned_hours: Decimal
    supervisor_eligible: bool | None  # None: no supervisor assigned yet
    a2_pool_hours: Decimal = ZERO  # A1 groups only: the individual hours planned for its members


@dataclass(frozen=True)
class PlanInput(Generic[K]):
    groups: tuple[GroupPlan[K], ...]
    months_covered: int = 12
    social_workers_in_scope: int = 0  # AS of the census that the plan must cover
    social_workers_in_groups: int = 0  # of those, how many are in an A1 group
    equipes_without_group: tuple[str, ...] = ()  # names of the census équipes the plan gives no A3 hours
    # The census's own counts are given (the plan page): a plan whose censuses have no social worker, or no équipe,
    # cannot meet the LEPS (there is nobody to supervise in A1, no équipe for A3), whatever its groups say.
    staff_counted: bool = False
    equipes_in_scope: int = 0


class ShortfallKind(StrEnum):
    NO_A1_GROUP = "no_a1_group"
    AS_NOT_IN_GROUP = "as_not_in_group"
    GROUP_EMPTY = "group_empty"
    GROUP_TOO_LARGE = "group_too_large"
    HOURS_BELOW_MINIMUM = "hours_below_minimum"
    A2_POOL_BELOW_MINIMUM = "a2_pool_below_minimum"
    NO_SUPERVISOR = "no_supervisor"
    SUPERVISOR_NOT_ELIGIBLE = "supervisor_not_eligible"
    EQUIPE_WITHOUT_A3 = "equipe_without_a3"
    NO_SOCIAL_WORKER = "no_social_worker"
    NO_EQUIPE = "no_equipe"


@dataclass(frozen=True)
class Shortfall(Generic[K]):
    kind: ShortfallKind
    group_key: K | None = None
    group_name: str = ""
    supervision_type: SupervisionType | None = None
    required: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.actual, ZERO)


def shortfalls(plan: PlanInput[K], rules: LepsRules = DEFAULT_RULES) -> list[Shortfall[K]]:
    """Everything that keeps a plan below LEPS 2.7.2, group by group. An empty list means the plan meets it.

    Extra-LEPS groups are checked only for a supervisor: they never count toward the minimum.
    """
    found: list[Shortfall[K]] = []
    if plan.staff_counted and not plan.social_workers_in_scope:
        found.append(Shortfall(ShortfallKind.NO_SOCIAL_WORKER, supervision_type=SupervisionType.A1))
    if plan.staff_counted and not plan.equipes_in_scope:
        found.append(Shortfall(ShortfallKind.NO_EQUIPE, supervision_type=SupervisionType.A3))
    a1_groups = [group for group in plan.groups if group.kind is SupervisionType.A1]
    if plan.social_workers_in_scope and not a1_groups:
        found.append(Shortfall(ShortfallKind.NO_A1_GROUP, required=Decimal(plan.social_workers_in_scope)))
    if plan.social_workers_in_groups < plan.social_workers_in_scope:
        found.append(
            Shortfall(
                ShortfallKind.AS_NOT_IN_GROUP,
                required=Decimal(plan.social_workers_in_scope),
                actual=Decimal(plan.social_workers_in_groups),
            )
        )
    a3_minimum = minimum_hours(SupervisionType.A3, plan.months_covered, rules)
    found.extend(
        Shortfall(ShortfallKind.EQUIPE_WITHOUT_A3, None, name, SupervisionType.A3, a3_minimum)
        for name in plan.equipes_without_group
    )
    for group in plan.groups:

        def about(kind: ShortfallKind, required: Decimal = ZERO, actual: Decimal = ZERO) -> Shortfall[K]:
            return Shortfall(kind, group.key, group.name, group.kind, required, actual)  # noqa: B023  (used at once)

        if group.members == 0:
            found.append(about(ShortfallKind.GROUP_EMPTY))
        if group.kind is SupervisionType.A1 and group.members > rules.max_group_size:
            found.append(about(ShortfallKind.GROUP_TOO_LARGE, Decimal(rules.max_group_size), Decimal(group.members)))
        minimum = minimum_hours(group.kind, plan.months_covered, rules)
        if group.kind.counts_for_leps and group.planned_hours < minimum:
            found.append(about(ShortfallKind.HOURS_BELOW_MINIMUM, minimum, group.planned_hours))
        if group.kind is SupervisionType.A1:
            pool_minimum = minimum_hours(SupervisionType.A2, plan.months_covered, rules)
            if group.a2_pool_hours < pool_minimum:
                found.append(
                    Shortfall(
                        ShortfallKind.A2_POOL_BELOW_MINIMUM,
                        group.key,
                        group.name,
                        SupervisionType.A2,
                        pool_minimum,
                        group.a2_pool_hours,
                    )
                )
        if group.supervisor_eligible is None:
            found.append(about(ShortfallKind.NO_SUPERVISOR))
        elif not group.supervisor_eligible:
            found.append(about(ShortfallKind.SUPERVISOR_NOT_ELIGIBLE))
    return found


def describe(shortfall: Shortfall[K]) -> str:
    """A shortfall in words, as the plan page and the exports show it."""
    name = shortfall.group_name
    match shortfall.kind:
        case ShortfallKind.NO_A1_GROUP:
            return (
                f"Nessun gruppo A1: {number_text(shortfall.required, 0)} "
                f"{plural(shortfall.required, 'assistente sociale', 'assistenti sociali')} in organico senza "
                "supervisione di gruppo."
            )
        case ShortfallKind.AS_NOT_IN_GROUP:
            outside = shortfall.required - shortfall.actual
            return (
                f"{number_text(outside, 0)} {plural(outside, 'assistente sociale', 'assistenti sociali')} su "
                f"{number_text(shortfall.required, 0)} non {plural(outside, 'è', 'sono')} in alcun gruppo A1."
            )
        case ShortfallKind.GROUP_EMPTY:
            return f"{name}: il gruppo non ha partecipanti."
        case ShortfallKind.GROUP_TOO_LARGE:
            members = plural(shortfall.actual, "partecipante", "partecipanti")
            return (
                f"{name}: {number_text(shortfall.actual, 0)} {members}, oltre il massimo di "
                f"{number_text(shortfall.required, 0)} per un gruppo A1."
            )
        case ShortfallKind.HOURS_BELOW_MINIMUM:
            planned = plural(shortfall.actual, "pianificata", "pianificate")
            return (
                f"{name}: {hours_counted(shortfall.actual)} {planned}, il minimo LEPS è "
                f"{hours_text(shortfall.required)} ({plural(shortfall.missing, 'manca', 'mancano')} "
                f"{hours_counted(shortfall.missing)})."
            )
        case ShortfallKind.A2_POOL_BELOW_MINIMUM:
            return (
                f"{name}: {hours_counted(shortfall.actual)} di supervisione individuale (A2) per i partecipanti, il "
                f"minimo è {hours_text(shortfall.required)} ({plural(shortfall.missing, 'manca', 'mancano')} "
                f"{hours_counted(shortfall.missing)})."
            )
        case ShortfallKind.NO_SUPERVISOR:
            return f"{name}: nessun supervisore assegnato."
        case ShortfallKind.SUPERVISOR_NOT_ELIGIBLE:
            return f"{name}: il supervisore assegnato non ha i requisiti per questo tipo di supervisione."
        case ShortfallKind.EQUIPE_WITHOUT_A3:
            return (
                f"{name}: l'équipe del censimento non ha supervisione organizzativa A3 nel piano (servono almeno "
                f"{hours_counted(shortfall.required)})."
            )
        case ShortfallKind.NO_SOCIAL_WORKER:
            return (
                "Nessun assistente sociale nei censimenti del piano: senza assistenti sociali in organico la "
                "supervisione A1 e A2 non ha destinatari e il piano non può essere conforme. Completa e valida i "
                "censimenti."
            )
        case ShortfallKind.NO_EQUIPE:
            return (
                "Nessuna équipe multiprofessionale nei censimenti del piano: senza équipe la supervisione "
                "organizzativa A3 non si può garantire e il piano non può essere conforme. Indica nel censimento "
                "l'équipe di ogni posizione che ne fa parte."
            )
    raise AssertionError(shortfall.kind)  # pragma: no cover  (every kind is handled above)

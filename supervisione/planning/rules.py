"""The rules of LEPS 2.7.2 (supervision of social-services staff) and of L. 178/2020 art. 1 c. 797.

Pure Python, no Django: every function takes its parameters from a ``LepsRules`` value, whose defaults are the
numbers of the Scheda LEPS 2.7.2 (Piano nazionale degli interventi e dei servizi sociali 2021-2023) and of
the law. Administrators change them, from a date, through ``planning.parameters``; the functions here never
read settings.

The three types of supervision of the Scheda:

====  ==========================================  ==============================================
A1    group, mono-professional (social workers)   16 h per group per year; a group is at most 15 AS
A2    individual (one social worker)              a pool of 15 h per A1 group per year, used when
                                                  needed; unused hours may be moved to A1 or A3
A3    organisational, of the équipe               6 h per équipe per year
====  ==========================================  ==============================================

Groups of other professions ("extra-LEPS") may be supervised in addition and never count toward the minimum.

Social-worker ratio (c. 797): the LEPS is 1 AS per 5,000 inhabitants, the target 1 per 4,000. The State pays
40,000 EUR a year per permanent AS FTE above 1:6,500 up to 1:5,000 and 20,000 EUR per FTE above 1:5,000 up to
1:4,000; nothing if the ATS is below 1:6,500, nothing beyond 1:4,000.

Everything a rule finds wrong is returned as a structured value (``Shortfall``, ``Ineligibility``) that the
interface renders in words with ``describe``.

During the year, ``compliance`` tells whether a group or équipe is getting its minimum (met, on track, at risk,
behind) and ``describe_compliance`` says why, in words.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from supervisione.lib.italian import euro_text, hours_text, number_text

K = TypeVar("K")

ZERO = Decimal(0)
HALF_HOUR = Decimal("0.5")
CENT = Decimal("0.01")


class SupervisionType(StrEnum):
    A1 = "A1"
    A2 = "A2"
    A3 = "A3"
    EXTRA = "extra"

    @property
    def label(self) -> str:
        return {
            SupervisionType.A1: "A1 - supervisione di gruppo monoprofessionale",
            SupervisionType.A2: "A2 - supervisione individuale",
            SupervisionType.A3: "A3 - supervisione organizzativa dell'équipe",
            SupervisionType.EXTRA: "Extra-LEPS - supervisione aggiuntiva",
        }[self]

    @property
    def counts_for_leps(self) -> bool:
        return self is not SupervisionType.EXTRA


class Prorate(StrEnum):
    """How the yearly minimums apply to a plan that covers only part of the year."""

    OFF = "off"  # the full yearly minimum, whatever the period
    BY_MONTHS = "by_months"  # the minimum times months covered / 12, rounded up to the half hour


class Profession(StrEnum):
    ASSISTENTE_SOCIALE = "assistente_sociale"
    ASSISTENTE_SOCIALE_SPECIALISTA = "assistente_sociale_specialista"
    EDUCATORE = "educatore_professionale"
    PSICOLOGO = "psicologo"
    SOCIOLOGO = "sociologo"
    OSS = "oss"
    MEDIATORE = "mediatore"
    AMMINISTRATIVO = "amministrativo"
    ALTRO = "altro"

    @property
    def is_social_worker(self) -> bool:
        return self in (Profession.ASSISTENTE_SOCIALE, Profession.ASSISTENTE_SOCIALE_SPECIALISTA)


@dataclass(frozen=True)
class LepsRules:
    """The parameters of every rule, with the Scheda LEPS 2.7.2 and c. 797 values as defaults."""

    # Scheda LEPS 2.7.2
    a1_min_hours_per_group: Decimal = Decimal(16)
    a2_pool_hours_per_a1_group: Decimal = Decimal(15)
    a3_min_hours_per_equipe: Decimal = Decimal(6)
    max_group_size: int = 15
    prorate: Prorate = Prorate.OFF
    # Supervisor requirements (Piano nazionale p. 56). The Piano sets no number of years: these are the
    # values tenders commonly ask for, to be set by each administration.
    min_years_social_work: int = 5
    min_years_supervising_as: int = 2
    # Continuing education (CNOAS): credits only with at least this share of the path's hours attended.
    attendance_threshold: Decimal = Decimal("0.80")
    # Staff census and L. 178/2020 art. 1 c. 797
    full_time_hours: Decimal = Decimal(36)
    leps_inhabitants_per_as: int = 5000
    target_inhabitants_per_as: int = 4000
    floor_inhabitants_per_as: int = 6500
    contribution_band1_eur: Decimal = Decimal(40000)
    contribution_band2_eur: Decimal = Decimal(20000)
    # FTE figures are rounded to this many decimals before the thresholds are compared (the Ministry's
    # sheet works on FTE with two decimals).
    fte_decimals: int = 2


DEFAULT_RULES = LepsRules()


# Numbers in the rules' messages are written like everywhere else (``lib.italian``).
_hours = hours_text
_euro = euro_text


def _number(value: Decimal, decimals: int = 2) -> str:
    return number_text(value, decimals)


# --- Minimum hours -------------------------------------------------------------------------------------


def round_up_to_half_hour(hours: Decimal) -> Decimal:
    return (hours / HALF_HOUR).to_integral_value(rounding=ROUND_CEILING) * HALF_HOUR


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


# --- Splitting social workers into A1 groups ---------------------------------------------------------------


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


# --- Supervisor eligibility ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisorProfile:
    profession: Profession
    albo_registered: bool
    supervision_training: bool
    years_social_work: int
    years_supervising_as: int


class IneligibilityReason(StrEnum):
    NOT_SOCIAL_WORKER = "not_social_worker"
    NOT_IN_ALBO = "not_in_albo"
    NO_SUPERVISION_TRAINING = "no_supervision_training"
    TOO_LITTLE_EXPERIENCE = "too_little_experience"
    TOO_LITTLE_SUPERVISING = "too_little_supervising"
    DIFFERENT_PROFESSION = "different_profession"


@dataclass(frozen=True)
class Ineligibility:
    reason: IneligibilityReason
    required: int = 0
    actual: int = 0


@dataclass(frozen=True)
class Eligibility:
    kind: SupervisionType
    reasons: tuple[Ineligibility, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.reasons


def eligibility(
    profile: SupervisorProfile,
    kind: SupervisionType,
    group_profession: Profession | None = None,
    rules: LepsRules = DEFAULT_RULES,
) -> Eligibility:
    """Whether a supervisor may lead supervision of this type, with every reason when not (Piano p. 56).

    A1 and A2 (social workers): a social worker in the Albo, trained as supervisor, with experience in social
    work and in supervising social workers. A3 (équipe): any profession with supervisor training and
    experience. Extra-LEPS: the same profession as the group, trained as supervisor.
    """
    reasons: list[Ineligibility] = []
    if kind in (SupervisionType.A1, SupervisionType.A2):
        if not profile.profession.is_social_worker:
            reasons.append(Ineligibility(IneligibilityReason.NOT_SOCIAL_WORKER))
        elif not profile.albo_registered:
            reasons.append(Ineligibility(IneligibilityReason.NOT_IN_ALBO))
    if kind is SupervisionType.EXTRA and group_profession is not None:
        same = profile.profession == group_profession or (
            profile.profession.is_social_worker and group_profession.is_social_worker
        )
        if not same:
            reasons.append(Ineligibility(IneligibilityReason.DIFFERENT_PROFESSION))
    if not profile.supervision_training:
        reasons.append(Ineligibility(IneligibilityReason.NO_SUPERVISION_TRAINING))
    if profile.years_social_work < rules.min_years_social_work:
        reasons.append(
            Ineligibility(
                IneligibilityReason.TOO_LITTLE_EXPERIENCE, rules.min_years_social_work, profile.years_social_work
            )
        )
    if (
        kind in (SupervisionType.A1, SupervisionType.A2)
        and profile.years_supervising_as < rules.min_years_supervising_as
    ):
        reasons.append(
            Ineligibility(
                IneligibilityReason.TOO_LITTLE_SUPERVISING, rules.min_years_supervising_as, profile.years_supervising_as
            )
        )
    return Eligibility(kind, tuple(reasons))


def describe_ineligibility(item: Ineligibility) -> str:
    return {
        IneligibilityReason.NOT_SOCIAL_WORKER: "la supervisione di assistenti sociali richiede un assistente sociale",
        IneligibilityReason.NOT_IN_ALBO: "non risulta iscritto all'Albo degli Assistenti Sociali",
        IneligibilityReason.NO_SUPERVISION_TRAINING: "manca una formazione specifica come supervisore",
        IneligibilityReason.TOO_LITTLE_EXPERIENCE: (
            f"servono almeno {item.required} anni di esperienza professionale (ne risultano {item.actual})"
        ),
        IneligibilityReason.TOO_LITTLE_SUPERVISING: (
            f"servono almeno {item.required} anni di esperienza nella supervisione di assistenti sociali "
            f"(ne risultano {item.actual})"
        ),
        IneligibilityReason.DIFFERENT_PROFESSION: "deve avere la stessa professione del gruppo supervisionato",
    }[item.reason]


def describe_eligibility(result: Eligibility) -> str:
    if result.eligible:
        return f"Idoneo per {result.kind.label}."
    reasons = "; ".join(describe_ineligibility(item) for item in result.reasons)
    return f"Non idoneo per {result.kind.label}: {reasons}."


# --- A plan and its shortfalls -------------------------------------------------------------------------------


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
                f"Nessun gruppo A1: {_number(shortfall.required, 0)} assistenti sociali in organico senza "
                "supervisione di gruppo."
            )
        case ShortfallKind.AS_NOT_IN_GROUP:
            outside = shortfall.required - shortfall.actual
            return (
                f"{_number(outside, 0)} assistenti sociali su {_number(shortfall.required, 0)} non sono in alcun "
                "gruppo A1."
            )
        case ShortfallKind.GROUP_EMPTY:
            return f"{name}: il gruppo non ha partecipanti."
        case ShortfallKind.GROUP_TOO_LARGE:
            return (
                f"{name}: {_number(shortfall.actual, 0)} partecipanti, oltre il massimo di "
                f"{_number(shortfall.required, 0)} per un gruppo A1."
            )
        case ShortfallKind.HOURS_BELOW_MINIMUM:
            return (
                f"{name}: {_hours(shortfall.actual)} ore pianificate, il minimo LEPS è {_hours(shortfall.required)} "
                f"(mancano {_hours(shortfall.missing)} ore)."
            )
        case ShortfallKind.A2_POOL_BELOW_MINIMUM:
            return (
                f"{name}: {_hours(shortfall.actual)} ore di supervisione individuale (A2) per i partecipanti, il "
                f"minimo è {_hours(shortfall.required)} (mancano {_hours(shortfall.missing)} ore)."
            )
        case ShortfallKind.NO_SUPERVISOR:
            return f"{name}: nessun supervisore assegnato."
        case ShortfallKind.SUPERVISOR_NOT_ELIGIBLE:
            return f"{name}: il supervisore assegnato non ha i requisiti per questo tipo di supervisione."
        case ShortfallKind.EQUIPE_WITHOUT_A3:
            return (
                f"{name}: l'équipe del censimento non ha supervisione organizzativa A3 nel piano (servono almeno "
                f"{_hours(shortfall.required)} ore)."
            )
    raise AssertionError(shortfall.kind)  # pragma: no cover  (every kind is handled above)


# --- Moving unused A2 hours ------------------------------------------------------------------------------------


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
            f"Si possono spostare al massimo {_hours(max(available, ZERO))} ore: il monte ore A2 è di "
            f"{_hours(pool_hours)}, ne sono state usate {_hours(used_hours)} e spostate {_hours(already_moved)}."
        )
    return available - hours


# --- Compliance during the year (monitoring) ------------------------------------------------------------------

# A group meets monthly or so: its delivered hours are compared with the share of the minimum due a month ago,
# so that a group meeting at the end of each month is not "at risk" for most of every month.
COMPLIANCE_GRACE_DAYS = 30


class ComplianceStatus(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"

    @property
    def label(self) -> str:
        return {
            ComplianceStatus.MET: "minimo raggiunto",
            ComplianceStatus.ON_TRACK: "in linea",
            ComplianceStatus.AT_RISK: "a rischio",
            ComplianceStatus.BEHIND: "in ritardo",
        }[self]


@dataclass(frozen=True)
class Compliance:
    """Where one group or équipe stands against its yearly minimum on a day (``as_of``)."""

    status: ComplianceStatus
    minimum: Decimal
    delivered: Decimal  # registers confirmed, sessions up to as_of
    awaiting: Decimal  # sessions held before as_of whose register is still to confirm
    scheduled: Decimal  # sessions in the calendar from as_of to the end of the period
    expected: Decimal  # the share of the minimum due by now (pro rata, a grace period earlier)
    as_of: datetime.date
    period_end: datetime.date

    @property
    def held(self) -> Decimal:
        return self.delivered + self.awaiting

    @property
    def forecast(self) -> Decimal:
        """What the group will have by the end of the period if every session in the calendar takes place."""
        return self.delivered + self.awaiting + self.scheduled

    @property
    def missing(self) -> Decimal:
        """Hours the calendar still lacks to reach the minimum."""
        return max(self.minimum - self.forecast, ZERO)

    @property
    def lag(self) -> Decimal:
        """Hours behind the share due by now."""
        return max(self.expected - self.held, ZERO)


def compliance(
    minimum: Decimal,
    delivered: Decimal,
    scheduled: Decimal,
    as_of: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    awaiting: Decimal = ZERO,
    grace_days: int = COMPLIANCE_GRACE_DAYS,
) -> Compliance:
    """The compliance of a group with its minimum on ``as_of``, for a plan period (usually the year).

    Two things can go wrong before the minimum is delivered: the **calendar is short** (even if every session
    booked before the end of the period takes place, held sessions awaiting their register included, the
    minimum is not reached: sessions must be booked), or **delivery is late** (the hours held so far are below
    the share of the minimum due by now: the minimum pro rata for the days of the period elapsed ``grace_days``
    ago, rounded down to the half hour; the grace keeps a group that meets at the end of each month from being
    flagged most of the month). Then, in this order:

    - **met**: the hours delivered (registers confirmed) reach the minimum;
    - **behind**: the calendar is short and either delivery is late or the period is over: the minimum will not
      be reached without recovering hours;
    - **at risk**: one of the two problems: the calendar is short but delivery keeps up (book more sessions), or
      the calendar reaches the minimum but delivery leans on the last months (a cancellation would put it
      behind);
    - **on track**: the calendar reaches the minimum and the hours held keep up with the share due.

    Examples, minimum 16 h over the calendar year. On 1 October (274 days elapsed, 244 of them a month ago) the
    share due is 16 x 244 / 365 = 10.7, rounded down to 10.5 h: 12 h held and 4 h in the calendar: on track;
    10 h held and 6 h in the calendar: at risk (late); 10 h held and 4 h in the calendar: behind. On 1 July
    (share due 6.5 h), 10 h held and 4 h in the calendar: at risk (the issue's example "10 of 16 h delivered,
    4 h planned before 31/12: at risk").
    """
    for value in (minimum, delivered, scheduled, awaiting):
        if value < 0:
            raise ValueError("hours cannot be negative")
    if period_end < period_start:
        raise ValueError("the period ends before it starts")
    total_days = (period_end - period_start).days + 1
    elapsed = min(max((as_of - period_start).days + 1 - grace_days, 0), total_days)
    expected = round_down_to_half_hour(minimum * elapsed / total_days)
    held = delivered + awaiting
    calendar_short = held + scheduled < minimum
    late = held < expected
    if delivered >= minimum:
        status = ComplianceStatus.MET
    elif calendar_short and (late or as_of >= period_end):
        status = ComplianceStatus.BEHIND
    elif calendar_short or late:
        status = ComplianceStatus.AT_RISK
    else:
        status = ComplianceStatus.ON_TRACK
    return Compliance(status, minimum, delivered, awaiting, scheduled, expected, as_of, period_end)


def describe_compliance(name: str, result: Compliance) -> str:
    """The status in words, e.g. "Gruppo 2: 10 di 16 h erogate, 6 h in calendario entro il 31/12: a rischio
    (a questa data ne servirebbero almeno 10,5)"."""
    parts = [f"{name}: {_hours(result.delivered)} di {_hours(result.minimum)} h erogate"]
    if result.awaiting:
        parts.append(f"{_hours(result.awaiting)} h da confermare nei registri")
    end = f"{result.period_end:%d/%m}"
    if result.scheduled:
        parts.append(f"{_hours(result.scheduled)} h in calendario entro il {end}")
    elif result.status is not ComplianceStatus.MET and result.as_of < result.period_end:
        parts.append(f"nessun incontro in calendario entro il {end}")
    head = ", ".join(parts)
    match result.status:
        case ComplianceStatus.MET:
            return f"{head}: minimo raggiunto."
        case ComplianceStatus.ON_TRACK:
            if result.as_of >= result.period_end:
                return f"{head}: in linea, il minimo è raggiunto quando i registri saranno confermati."
            return f"{head}: in linea."
        case ComplianceStatus.AT_RISK:
            if result.missing:
                return f"{head}: a rischio (mancano {_hours(result.missing)} h al minimo: prenota altri incontri)."
            return f"{head}: a rischio (a questa data ne servirebbero almeno {_hours(result.expected)})."
        case ComplianceStatus.BEHIND:
            return (
                f"{head}: in ritardo (mancano {_hours(result.missing)} h al minimo anche con gli incontri in "
                "calendario)."
            )
    raise AssertionError(result.status)  # pragma: no cover  (every status is handled above)


# --- Costs and the FNPS co-financing what-if -------------------------------------------------------------------


def hours_cost(hours: Decimal, hourly_rate: Decimal) -> Decimal:
    """Planned hours x the contract's hourly rate, in euro cents (ROUND_HALF_UP)."""
    return (hours * hourly_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def round_down_to_half_hour(hours: Decimal) -> Decimal:
    return (hours / HALF_HOUR).to_integral_value(rounding=ROUND_FLOOR) * HALF_HOUR


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
    """The hours and the social workers an amount adds, e.g. 29,297.33 EUR at 65 EUR/h (A1) and 60 EUR/h (A2).

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
    rates = f"{_euro(result.a1_rate)}/h per A1 e {_euro(result.a2_rate)}/h per A2"
    text = (
        f"Con {_euro(result.amount)} a {rates}, un gruppo A1 al minimo con il suo monte ore A2 costa "
        f"{_euro(result.group_cost)}: l'importo ne paga {result.capacity_groups}."
    )
    if result.new_groups:
        groups = "Serve 1 nuovo gruppo" if result.new_groups == 1 else f"Servono {result.new_groups} nuovi gruppi"
        text += (
            f" {groups} per {result.social_workers_covered} assistenti sociali oggi senza gruppo "
            f"({_hours(result.new_group_hours)} ore A1 e A2)."
        )
    elif result.waiting:
        text += f" Non basta per un nuovo gruppo per i {result.waiting} assistenti sociali senza gruppo."
    else:
        text += " Tutti gli assistenti sociali sono già in un gruppo."
    if result.extra_a1_hours:
        text += f" Restano {_hours(result.extra_a1_hours)} ore A1 in più per i gruppi."
    return text


# --- Attendance and continuing-education credits -------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    attended_minutes: int
    planned_minutes: int
    threshold: Decimal

    @property
    def share(self) -> Decimal:
        if self.planned_minutes == 0:
            return ZERO
        return Decimal(self.attended_minutes) / Decimal(self.planned_minutes)

    @property
    def percentage(self) -> Decimal:
        return (self.share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def reaches_threshold(self) -> bool:
        return self.planned_minutes > 0 and self.share >= self.threshold


def attendance(attended_minutes: int, planned_minutes: int, rules: LepsRules = DEFAULT_RULES) -> Attendance:
    """Share of a path's hours attended; CNOAS credits need at least ``attendance_threshold`` (80 %)."""
    if attended_minutes < 0 or planned_minutes < 0:
        raise ValueError("minutes cannot be negative")
    return Attendance(attended_minutes, planned_minutes, rules.attendance_threshold)


# --- Staff: FTE, social-worker ratio and the c. 797 contribution ------------------------------------------------


def fte(weekly_hours: Decimal, rules: LepsRules = DEFAULT_RULES) -> Decimal:
    """Full-time equivalent of a position: weekly hours / 36 (18 h -> 0.5)."""
    if weekly_hours < 0:
        raise ValueError("weekly_hours cannot be negative")
    return weekly_hours / rules.full_time_hours


def _round_fte(value: Decimal, rules: LepsRules) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-rules.fte_decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RatioAssessment:
    population: int
    as_fte: Decimal
    permanent_as_fte: Decimal
    inhabitants_per_as: Decimal | None
    leps_met: bool
    target_met: bool
    floor_fte: Decimal  # AS FTE for 1:6,500
    required_fte_for_leps: Decimal  # for 1:5,000
    required_fte_for_target: Decimal  # for 1:4,000
    missing_fte_for_leps: Decimal
    band1_fte: Decimal
    band2_fte: Decimal
    contribution: Decimal
    explanation: list[str] = field(default_factory=list)


def assess_ratio(
    population: int, as_fte: Decimal, permanent_as_fte: Decimal, rules: LepsRules = DEFAULT_RULES
) -> RatioAssessment:
    """The social-worker ratio of an ATS and its c. 797 contribution, with how each figure was computed.

    ``as_fte`` counts every social worker of the ATS services (for the LEPS ratio); ``permanent_as_fte`` only
    those that count for c. 797 (permanent contract with a comune, the ATS or their bodies).

    Example (Scheda and law): 70,000 inhabitants need 14 FTE for 1:5,000 and 17.5 for 1:4,000; the floor
    1:6,500 is 10.77 FTE. With 16 permanent FTE: band 1 = 14 - 10.77 = 3.23 FTE x 40,000 = 129,200 EUR; band 2 =
    16 - 14 = 2 FTE x 20,000 = 40,000 EUR; total 169,200 EUR a year.
    """
    if population < 0 or as_fte < 0 or permanent_as_fte < 0:
        raise ValueError("population and FTE cannot be negative")
    total = _round_fte(as_fte, rules)
    permanent = _round_fte(permanent_as_fte, rules)
    pop = Decimal(population)
    floor = _round_fte(pop / rules.floor_inhabitants_per_as, rules)
    leps = _round_fte(pop / rules.leps_inhabitants_per_as, rules)
    target = _round_fte(pop / rules.target_inhabitants_per_as, rules)
    per_as = (pop / total).quantize(Decimal(1), rounding=ROUND_HALF_UP) if total > 0 else None
    leps_met = population > 0 and total >= leps
    target_met = population > 0 and total >= target

    if population == 0 or permanent < floor or permanent == 0:
        band1 = band2 = ZERO
    else:
        band1 = min(permanent, leps) - floor
        band2 = max(ZERO, min(permanent, target) - leps)
    contribution = (band1 * rules.contribution_band1_eur + band2 * rules.contribution_band2_eur).quantize(CENT)

    lines = [
        (
            f"Popolazione: {_number(pop, 0)} abitanti. Assistenti sociali: {_number(total)} FTE, di cui "
            f"{_number(permanent)} a tempo indeterminato presso comuni, ATS o loro enti (FTE = ore settimanali / "
            f"{_number(rules.full_time_hours, 0)})."
        ),
        (
            f"Rapporto: 1 assistente sociale ogni {_number(per_as, 0)} abitanti."
            if per_as is not None
            else "Rapporto: nessun assistente sociale in servizio."
        ),
        f"LEPS 1:{_number(Decimal(rules.leps_inhabitants_per_as), 0)} = {_number(leps)} FTE: "
        + ("raggiunto." if leps_met else f"non raggiunto, mancano {_number(max(leps - total, ZERO))} FTE."),
        f"Obiettivo 1:{_number(Decimal(rules.target_inhabitants_per_as), 0)} = {_number(target)} FTE: "
        + ("raggiunto." if target_met else f"non raggiunto, mancano {_number(max(target - total, ZERO))} FTE."),
    ]
    if population > 0 and permanent < floor:
        lines.append(
            f"Contributo c. 797: nessuno, perché gli assistenti sociali a tempo indeterminato ({_number(permanent)} "
            f"FTE) sono sotto la soglia di 1:{_number(Decimal(rules.floor_inhabitants_per_as), 0)} "
            f"({_number(floor)} FTE)."
        )
    elif population > 0:
        lines.append(
            f"Contributo c. 797, prima fascia: ({_number(min(permanent, leps))} - {_number(floor)}) FTE x "
            f"{_euro(rules.contribution_band1_eur)} = {_euro(band1 * rules.contribution_band1_eur)}."
        )
        leps_ratio = _number(Decimal(rules.leps_inhabitants_per_as), 0)
        target_ratio = _number(Decimal(rules.target_inhabitants_per_as), 0)
        lines.append(
            f"Seconda fascia: {_number(band2)} FTE oltre 1:{leps_ratio} (fino a 1:{target_ratio}) x "
            f"{_euro(rules.contribution_band2_eur)} = {_euro(band2 * rules.contribution_band2_eur)}."
        )
        lines.append(f"Contributo stimato: {_euro(contribution)} all'anno.")
    return RatioAssessment(
        population=population,
        as_fte=total,
        permanent_as_fte=permanent,
        inhabitants_per_as=per_as,
        leps_met=leps_met,
        target_met=target_met,
        floor_fte=floor,
        required_fte_for_leps=leps,
        required_fte_for_target=target,
        missing_fte_for_leps=max(leps - total, ZERO),
        band1_fte=band1,
        band2_fte=band2,
        contribution=contribution,
        explanation=lines,
    )

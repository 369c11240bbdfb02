"""Every figure of a dashboard, computed by the database in a fixed number of queries.

``figures(selection)`` reads, whatever the number of sessions and attendance rows:

1. the groups of the selected plans (with supervisor, contract, funding), their members and their A2 moves;
2. the groups of earlier versions of the same plans (``copied_from``), so that sessions booked on a version
   since replaced count for the same group;
3. per group and type, conditional sums of the sessions' minutes: delivered (register confirmed), awaiting
   confirmation, in the calendar, in the period;
4. per month and type (``MonthOf``) the same sums, for the charts;
5. per person, minutes expected and attended at confirmed sessions (the 80 % threshold);
6. the social workers of the plans' censuses (coverage);
7. per contract, funding source and type, the minutes delivered in the period and to date, the contract lines'
   rates and the funding rows (money committed and spent).

Hours delivered come only from confirmed registers (``sessions.usage``); compliance is the LEPS rule of
``leps.compliance``. Python only walks the aggregated rows (a few per group), never the sessions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Count, Func, IntegerField, Q, QuerySet, Sum

from supervisione.census.models import SOCIAL_WORKER_Q, Position
from supervisione.leps.attendance import Attendance, attendance
from supervisione.leps.cofinancing import hours_cost
from supervisione.leps.compliance import Compliance, ComplianceStatus, compliance, describe_compliance
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.leps.rounding import ZERO
from supervisione.lib.italian import MONTHS, hours_text
from supervisione.planning.models import A2Transfer, GroupKind, Plan, PlanGroup, PlanMember, RuleSet
from supervisione.planning.queries import funding_key
from supervisione.procurement.models import ContractFunding, ContractLine
from supervisione.sessions.models import Attendance as AttendanceRow
from supervisione.sessions.models import RegisterStatus, Session, SessionStatus
from supervisione.sessions.usage import minutes_to_hours
from supervisione.territory.models import FundingMeasure

from .selection import KINDS, Selection

CENT = Decimal("0.01")
KIND_ORDER = ("A1", "A2", "A3", "extra")
STATUS_ORDER = (
    ComplianceStatus.BEHIND,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.ON_TRACK,
    ComplianceStatus.MET,
)
SCHEDULED = Q(status=SessionStatus.SCHEDULED)
CONFIRMED = SCHEDULED & Q(register_status=RegisterStatus.CONFIRMED)
OPEN = SCHEDULED & Q(register_status=RegisterStatus.OPEN)
Owner = tuple[int | None, int | None]  # (partnership id, None) or (None, ATS id): who a plan belongs to


class MonthOf(Func):
    """The month (1-12) of a date, computed by the database: Django's ``TruncMonth`` and ``ExtractMonth``
    call a Python function for every row on SQLite, a fifth of the national observatory's time."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER)"  # standard SQL, PostgreSQL

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        # SQLite keeps dates as ISO text (YYYY-MM-DD).
        return self.as_sql(compiler, connection, template="CAST(substr(%(expressions)s, 6, 2) AS INTEGER)", **extra)


def _sum(condition: Q, field_name: str = "minutes") -> Sum:
    return Sum(field_name, filter=condition, default=0)


def _hours(minutes: int | None) -> Decimal:
    return minutes_to_hours(minutes or 0)


def percent(part: Decimal, whole: Decimal) -> int | None:
    if not whole:
        return None
    return int((part * 100 / whole).to_integral_value(rounding=ROUND_HALF_UP))


# --- Rows -----------------------------------------------------------------------------------------------------


@dataclass
class GroupFigures:
    group: PlanGroup
    plan: Plan
    members: int = 0
    minimum: Decimal = ZERO
    moved_in: Decimal = ZERO
    moved_out: Decimal = ZERO
    delivered: Decimal = ZERO  # the group's own type, in the plan's period, up to the day of reading
    awaiting: Decimal = ZERO
    scheduled: Decimal = ZERO
    sessions_held: int = 0
    sessions_to_come: int = 0
    period_delivered: Decimal = ZERO
    pool_minimum: Decimal = ZERO  # A1 groups: the LEPS minimum of the A2 pool
    pool_used: Decimal = ZERO  # A1 groups: confirmed individual (A2) hours charged to the pool
    pool_booked: Decimal = ZERO  # A1 groups: A2 hours not cancelled (held or to come)
    compliance: Compliance | None = None
    reason: str = ""

    @property
    def kind(self) -> str:
        return self.group.kind

    @property
    def planned(self) -> Decimal:
        """The plan's hours plus the A2 hours moved in."""
        return self.group.planned_hours + self.moved_in

    @property
    def pool(self) -> Decimal:
        """The A2 pool less the hours moved out of it."""
        return self.group.a2_pool_hours - self.moved_out

    @property
    def pool_free(self) -> Decimal:
        """What may still be booked or moved: the pool less the A2 hours booked."""
        return max(self.pool - self.pool_booked, ZERO)

    @property
    def status(self) -> str | None:
        return None if self.compliance is None else self.compliance.status.value

    @property
    def status_label(self) -> str:
        return "extra-LEPS" if self.compliance is None else self.compliance.status.label

    @property
    def active(self) -> bool:
        """The group has met or will meet: some hours held or in the calendar in the year."""
        return bool(self.delivered or self.awaiting or self.scheduled)

    @property
    def delivered_percent(self) -> int | None:
        return percent(self.delivered, self.minimum or self.planned)


@dataclass
class TypeFigures:
    kind: str
    minimum: Decimal = ZERO
    planned: Decimal = ZERO
    planned_in_period: Decimal = ZERO
    delivered: Decimal = ZERO  # in the period, up to the day of reading
    awaiting: Decimal = ZERO
    scheduled: Decimal = ZERO
    sessions: int = 0

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def delivered_percent(self) -> int | None:
        return percent(self.delivered, self.planned_in_period)

    @property
    def counts_for_leps(self) -> bool:
        return self.kind != "extra"


@dataclass
class MonthFigures:
    month: int
    delivered: dict[str, Decimal] = field(default_factory=dict)
    booked: dict[str, Decimal] = field(default_factory=dict)  # not cancelled: delivered, awaiting, to come
    planned: Decimal = ZERO  # the plans' hours spread evenly over their months
    minimum: Decimal = ZERO

    @property
    def label(self) -> str:
        return MONTHS[self.month - 1]

    @property
    def delivered_total(self) -> Decimal:
        return sum(self.delivered.values(), ZERO)

    @property
    def booked_total(self) -> Decimal:
        return sum(self.booked.values(), ZERO)


@dataclass
class CumulativeMonth:
    month: MonthFigures
    planned: Decimal
    minimum: Decimal
    delivered: Decimal | None  # None for months after the day of reading
    booked: Decimal


@dataclass(frozen=True)
class PersonFigures:
    person_id: int
    surname: str
    name: str
    ambito_id: int
    ambito_name: str
    figures: Attendance

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}"

    @property
    def expected_hours(self) -> Decimal:
        return minutes_to_hours(self.figures.planned_minutes)

    @property
    def attended_hours(self) -> Decimal:
        return minutes_to_hours(self.figures.attended_minutes)


@dataclass(frozen=True)
class CensusPerson:
    person_id: int
    surname: str
    name: str
    ambito_id: int
    ambito_name: str

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}"


@dataclass
class Coverage:
    as_in_census: int = 0
    as_in_groups: int = 0  # in an A1 group of the plan
    as_in_active_group: int = 0  # in an A1 group that met or has sessions in the calendar
    as_supervised: int = 0  # attended at least one confirmed session in the year
    not_supervised: list[CensusPerson] = field(default_factory=list)  # filled only for those who see names

    @property
    def active_percent(self) -> int | None:
        return percent(Decimal(self.as_in_active_group), Decimal(self.as_in_census))

    @property
    def supervised_percent(self) -> int | None:
        return percent(Decimal(self.as_supervised), Decimal(self.as_in_census))

    @property
    def not_supervised_count(self) -> int:
        return max(self.as_in_census - self.as_supervised, 0)


@dataclass
class SpendingLine:
    """Money committed and spent for one funding source (or one funding row of a contract)."""

    key: str
    label: str
    contract_title: str = ""
    cig: str = ""
    committed: Decimal = ZERO  # the funding rows' amounts
    planned: Decimal = ZERO  # the plans' hours of the year at the contracts' rates
    spent_in_period: Decimal = ZERO
    spent_to_date: Decimal = ZERO  # every year, up to the day of reading
    hours_in_period: Decimal = ZERO

    @property
    def residual(self) -> Decimal:
        return self.committed - self.spent_to_date

    @property
    def cost_per_hour(self) -> Decimal | None:
        if not self.hours_in_period:
            return None
        return (self.spent_in_period / self.hours_in_period).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def used_percent(self) -> int | None:
        return percent(self.spent_to_date, self.committed)


@dataclass
class PlanFigures:
    """One plan (one owner) in an aggregated view: what observers read, one row per partnership or ATS."""

    plan: Plan
    groups: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    minimum: Decimal = ZERO
    planned: Decimal = ZERO
    delivered: Decimal = ZERO
    as_in_census: int = 0
    as_supervised: int = 0
    people_below_threshold: int = 0

    @property
    def delivered_percent(self) -> int | None:
        return percent(self.delivered, self.planned)

    @property
    def supervised_percent(self) -> int | None:
        return percent(Decimal(self.as_supervised), Decimal(self.as_in_census))


@dataclass
class Figures:
    selection: Selection
    groups: list[GroupFigures]
    types: dict[str, TypeFigures]
    months: list[MonthFigures]
    people: list[PersonFigures]
    coverage: Coverage
    spending: list[SpendingLine]  # per source
    contracts: list[SpendingLine]  # per contract and funding row
    transfers: list[A2Transfer]
    plans: list[PlanFigures]
    threshold: Decimal
    people_below_threshold: int

    @property
    def threshold_percent(self) -> int:
        return int(self.threshold * 100)

    @property
    def leps_groups(self) -> list[GroupFigures]:
        return [row for row in self.groups if row.compliance is not None]

    @property
    def a1_groups(self) -> list[GroupFigures]:
        return [row for row in self.groups if row.kind == GroupKind.A1]

    @property
    def status_counts(self) -> list[tuple[ComplianceStatus, int]]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.leps_groups:
            counts[row.status or ""] += 1
        return [(status, counts[status.value]) for status in STATUS_ORDER]

    @property
    def needing_attention(self) -> list[GroupFigures]:
        return [
            row
            for row in self.leps_groups
            if row.compliance is not None
            and row.compliance.status in (ComplianceStatus.BEHIND, ComplianceStatus.AT_RISK)
        ]

    @property
    def below_threshold(self) -> list[PersonFigures]:
        return [person for person in self.people if not person.figures.reaches_threshold]

    @property
    def total(self) -> TypeFigures:
        total = TypeFigures("extra")
        for item in self.types.values():
            total.minimum += item.minimum
            total.planned += item.planned
            total.planned_in_period += item.planned_in_period
            total.delivered += item.delivered
            total.awaiting += item.awaiting
            total.scheduled += item.scheduled
            total.sessions += item.sessions
        return total

    @property
    def spent_in_period(self) -> Decimal:
        return sum((line.spent_in_period for line in self.spending), ZERO)

    @property
    def cost_per_hour(self) -> Decimal | None:
        hours = sum((line.hours_in_period for line in self.spending), ZERO)
        if not hours:
            return None
        return (self.spent_in_period / hours).quantize(CENT, rounding=ROUND_HALF_UP)

    def cumulative(self) -> list[CumulativeMonth]:
        """Month by month of the period: plan, minimum, delivered (up to the day of reading) and booked."""
        rows: list[CumulativeMonth] = []
        planned = minimum = delivered = booked = ZERO
        as_of = self.selection.as_of
        for month in self.months:
            planned += month.planned
            minimum += month.minimum
            delivered += month.delivered_total
            booked += month.booked_total
            started = datetime.date(self.selection.year, month.month, 1) <= as_of
            rows.append(CumulativeMonth(month, planned, minimum, delivered if started else None, booked))
        return rows


# --- Reading ------------------------------------------------------------------------------------------------


def _rules_by_date(dates: set[datetime.date]) -> dict[datetime.date, LepsRules]:
    """The LEPS parameters in force on each date (one query for all of them)."""
    rule_sets = list(RuleSet.objects.order_by("valid_from"))
    found: dict[datetime.date, LepsRules] = {}
    for day in dates:
        applicable = [rule_set for rule_set in rule_sets if rule_set.valid_from <= day]
        found[day] = applicable[-1].to_rules() if applicable else DEFAULT_RULES
    return found


def shown_groups(selection: Selection) -> QuerySet[PlanGroup]:
    groups = PlanGroup.objects.filter(plan_id__in=selection.plan_ids).filter(selection.group_q)
    if selection.ambito is not None:
        groups = groups.filter(Q(memberships__ambito=selection.ambito) | Q(plan__ambito=selection.ambito))
    if selection.kind == "A2":
        groups = groups.filter(kind=GroupKind.A1)
    elif selection.kind is not None:
        groups = groups.filter(kind=selection.kind)
    return groups.distinct()


def _lineage(selection: Selection, shown: dict[int, GroupFigures]) -> dict[int, int]:
    """Every group id of the year's versions of the shown plans -> the shown group it became (one query)."""
    parent = dict(
        PlanGroup.objects.filter(selection.owners_q("plan__"), copied_from__isnull=False).values_list(
            "pk", "copied_from_id"
        )
    )
    mapping = {pk: pk for pk in shown}
    for pk in shown:
        ancestor = parent.get(pk)
        seen = {pk}
        while ancestor is not None and ancestor not in seen:
            mapping[ancestor] = pk
            seen.add(ancestor)
            ancestor = parent.get(ancestor)
    return mapping


def _session_base(selection: Selection, group_ids: list[int]) -> QuerySet[Session]:
    """The sessions of the year of the shown groups (and of their earlier versions)."""
    return Session.objects.filter(
        group_id__in=group_ids, date__gte=selection.year_start, date__lte=selection.year_end
    ).filter(selection.session_q)


def figures(
    selection: Selection, *, with_names: bool = False, by_measure: bool = False, groups_only: bool = False
) -> Figures:
    """Every figure of a dashboard in a fixed number of queries (see the module's docstring).

    ``with_names``: the list of social workers without supervision and the per-person rows carry names (for
    those who may read them); otherwise the rows are counted only. ``by_measure``: spending is added up per
    measure (PNRR, FNPS, other), as observers read it, instead of per CUP and FNPS year. ``groups_only``: only
    the groups and their compliance (queries 1-3), for the alerts.
    """
    plans = {plan.pk: plan for plan in selection.plans}
    # The observatory (by measure) shows no group one by one: the funding row's measure is all it reads.
    related = ("funding",) if by_measure else ("supervisor", "contract", "funding", "funding__contract", "equipe")
    group_rows = list(shown_groups(selection).select_related(*related).order_by("plan_id", "kind", "name", "pk"))
    rules = _rules_by_date({plan.starts_on for plan in plans.values()} | {plan.ends_on for plan in plans.values()})
    shown: dict[int, GroupFigures] = {}
    for group in group_rows:
        plan = plans[group.plan_id]
        group.plan = plan
        plan_rules = rules[plan.starts_on]
        shown[group.pk] = GroupFigures(
            group=group,
            plan=plan,
            minimum=minimum_hours(group.supervision_type, plan.months_covered, plan_rules)
            if group.supervision_type.counts_for_leps
            else ZERO,
            pool_minimum=minimum_hours(SupervisionType.A2, plan.months_covered, plan_rules)
            if group.kind == GroupKind.A1
            else ZERO,
        )
    mapping = _lineage(selection, shown) if shown else {}
    members = list(PlanMember.objects.filter(group_id__in=list(shown)).values_list("group_id", "person_id", "kind"))
    for group_id, _person, _kind in members:
        shown[group_id].members += 1
    transfers = list(
        A2Transfer.objects.filter(Q(source_id__in=list(shown)) | Q(target_id__in=list(shown)))
        .select_related("source", "target", "created_by")
        .order_by("created_at", "pk")
    )
    for transfer in transfers:
        if transfer.target_id in shown:
            shown[transfer.target_id].moved_in += transfer.hours
        if transfer.source_id in shown:
            shown[transfer.source_id].moved_out += transfer.hours

    as_of = selection.as_of
    sessions = _session_base(selection, list(mapping))
    if selection.kind is not None:
        sessions = sessions.filter(kind=selection.kind)
    in_period = Q(date__gte=selection.start, date__lte=selection.end)
    to_date = Q(date__lte=as_of)
    to_come = SCHEDULED & (Q(date__gt=as_of) | Q(date=as_of, register_status=RegisterStatus.OPEN))
    per_group = (
        sessions.values("group_id", "kind")
        .annotate(
            delivered=_sum(CONFIRMED & to_date),
            awaiting=_sum(OPEN & Q(date__lt=as_of)),
            scheduled=_sum(to_come),
            booked=_sum(SCHEDULED),
            held_count=Count("pk", filter=CONFIRMED & to_date),
            to_come_count=Count("pk", filter=to_come),
            period_delivered=_sum(CONFIRMED & to_date & in_period),
            period_awaiting=_sum(OPEN & Q(date__lt=as_of) & in_period),
            period_scheduled=_sum(to_come & in_period),
            period_sessions=Count("pk", filter=CONFIRMED & to_date & in_period),
        )
        .order_by()
    )
    types = {kind: TypeFigures(kind) for kind in KIND_ORDER if selection.kind in (None, kind)}
    confirmed_a2: dict[int, int] = defaultdict(int)
    for aggregate in per_group:
        kind = aggregate["kind"]
        if kind in types:
            item = types[kind]
            item.delivered += _hours(aggregate["period_delivered"])
            item.awaiting += _hours(aggregate["period_awaiting"])
            item.scheduled += _hours(aggregate["period_scheduled"])
            item.sessions += aggregate["period_sessions"]
        target = shown.get(mapping.get(aggregate["group_id"], -1))
        if target is None:
            continue
        if kind == "A2":
            target.pool_booked += _hours(aggregate["booked"])
            confirmed_a2[target.group.pk] += aggregate["delivered"]
            continue
        if kind != target.kind:
            continue
        # Compliance counts the plan's period; the plan's period is within its year.
        target.delivered += _hours(aggregate["delivered"])
        target.awaiting += _hours(aggregate["awaiting"])
        target.scheduled += _hours(aggregate["scheduled"])
        target.sessions_held += aggregate["held_count"]
        target.sessions_to_come += aggregate["to_come_count"]
        target.period_delivered += _hours(aggregate["period_delivered"])
    for group_id, minutes in confirmed_a2.items():
        shown[group_id].pool_used = _hours(minutes)

    for row in shown.values():
        plan = row.plan
        if row.group.supervision_type.counts_for_leps:
            row.compliance = compliance(
                row.minimum,
                row.delivered,
                row.scheduled,
                as_of,
                plan.starts_on,
                plan.ends_on,
                awaiting=row.awaiting,
            )
            row.reason = describe_compliance(row.group.name, row.compliance)
        else:
            row.reason = (
                f"{row.group.name}: {hours_text(row.delivered)} di {hours_text(row.planned)} h pianificate erogate "
                "(extra-LEPS, non conta per il minimo)."
            )

    # Minimum and plan per type, and the plan's share of the period.
    for row in shown.values():
        plan = row.plan
        months_in_period = len(set(selection.period.months) & set(range(plan.first_month, plan.last_month + 1)))
        share = Decimal(months_in_period) / Decimal(plan.months_covered)
        if row.kind in types:
            item = types[row.kind]
            item.minimum += row.minimum
            item.planned += row.planned
            item.planned_in_period += (row.planned * share).quantize(Decimal("0.1"))
        if row.kind == GroupKind.A1 and "A2" in types:
            item = types["A2"]
            item.minimum += row.pool_minimum
            item.planned += row.pool
            item.planned_in_period += (row.pool * share).quantize(Decimal("0.1"))

    if groups_only:
        return Figures(selection, sorted_groups(shown), types, [], [], Coverage(), [], [], transfers, [], ZERO, 0)
    months = _months(selection, sessions, shown, types)
    thresholds = {
        _owner_key(plan.partnership_id, plan.ambito_id): rules[plan.ends_on].attendance_threshold
        for plan in plans.values()
    }
    people, below, per_owner_people = _people(selection, mapping, thresholds, with_names=with_names)
    coverage, per_owner_census = _coverage(selection, shown, members, per_owner_people, with_names=with_names)
    spending, contracts = _spending(selection, sessions, shown, by_measure=by_measure)
    threshold = next(iter(thresholds.values()), DEFAULT_RULES.attendance_threshold)
    return Figures(
        selection=selection,
        groups=sorted_groups(shown),
        types=types,
        months=months,
        people=people if with_names else [],
        coverage=coverage,
        spending=spending,
        contracts=contracts,
        transfers=transfers,
        plans=_per_plan(selection, shown, per_owner_census, per_owner_people),
        threshold=threshold,
        people_below_threshold=below,
    )


def sorted_groups(shown: dict[int, GroupFigures]) -> list[GroupFigures]:
    return sorted(shown.values(), key=lambda row: (row.plan.pk, KIND_ORDER.index(row.kind), row.group.name))


def _months(
    selection: Selection, sessions: QuerySet[Session], shown: dict[int, GroupFigures], types: dict[str, TypeFigures]
) -> list[MonthFigures]:
    months = {month: MonthFigures(month) for month in selection.period.months}
    rows = (
        sessions.filter(date__gte=selection.start, date__lte=selection.end)
        .annotate(month=MonthOf("date"))
        .values("month", "kind")
        .annotate(delivered=_sum(CONFIRMED & Q(date__lte=selection.as_of)), booked=_sum(SCHEDULED))
        .order_by()
    )
    for aggregate in rows:
        if aggregate["month"] in months:
            months[aggregate["month"]].delivered[aggregate["kind"]] = _hours(aggregate["delivered"])
            months[aggregate["month"]].booked[aggregate["kind"]] = _hours(aggregate["booked"])
    # The plan's hours and minimums, spread evenly over the plan's months.
    for row in shown.values():
        plan = row.plan
        planned = ZERO
        minimum = ZERO
        if row.kind in types:
            planned += row.planned
            minimum += row.minimum
        if row.kind == GroupKind.A1 and "A2" in types:
            planned += row.pool
            minimum += row.pool_minimum
        for number in range(plan.first_month, plan.last_month + 1):
            if number in months:
                months[number].planned += planned / plan.months_covered
                months[number].minimum += minimum / plan.months_covered
    for month in months.values():
        month.planned = month.planned.quantize(Decimal("0.1"))
        month.minimum = month.minimum.quantize(Decimal("0.1"))
    return [months[number] for number in sorted(months)]


def _owner_key(partnership_id: int | None, ambito_id: int | None) -> Owner:
    return (partnership_id, None) if partnership_id is not None else (None, ambito_id)


def _people(
    selection: Selection, mapping: dict[int, int], thresholds: dict[Owner, Decimal], *, with_names: bool
) -> tuple[list[PersonFigures], int, dict[Owner, dict[int, Attendance]]]:
    """Per person (and per plan owner): minutes expected and attended at confirmed sessions of the year up to
    the day of reading. Returns the named rows (if asked), the number below the threshold, and per owner."""
    held = AttendanceRow.objects.filter(
        session__group_id__in=list(mapping),
        session__date__gte=selection.year_start,
        session__date__lte=min(selection.year_end, selection.as_of),
        session__status=SessionStatus.SCHEDULED,
        session__register_status=RegisterStatus.CONFIRMED,
    ).filter(_prefixed(selection.session_q, "session__"))
    if selection.kind is not None:
        held = held.filter(session__kind=selection.kind)
    if selection.ambito is not None:
        held = held.filter(ambito=selection.ambito)
    fields = ["person_id", "session__group__plan__partnership_id", "session__group__plan__ambito_id"]
    if with_names:
        fields += ["person__surname", "person__name", "ambito_id", "ambito__name"]
    rows: QuerySet[AttendanceRow, dict[str, Any]] = (
        held.values(*fields)
        .annotate(expected=Sum("session__minutes", default=0), attended=Sum("minutes", default=0))
        .order_by()
    )
    per_owner_minutes: dict[Owner, dict[int, list[int]]] = defaultdict(dict)
    totals: dict[int, list[int]] = {}
    names: dict[int, tuple[str, str, int, str]] = {}
    default_threshold = next(iter(thresholds.values()), DEFAULT_RULES.attendance_threshold)
    for row in rows:
        owner = _owner_key(row["session__group__plan__partnership_id"], row["session__group__plan__ambito_id"])
        minutes = per_owner_minutes[owner].setdefault(row["person_id"], [0, 0])
        minutes[0] += row["attended"]
        minutes[1] += row["expected"]
        total = totals.setdefault(row["person_id"], [0, 0])
        total[0] += row["attended"]
        total[1] += row["expected"]
        if with_names:
            names[row["person_id"]] = (
                row["person__surname"],
                row["person__name"],
                row["ambito_id"],
                row["ambito__name"],
            )
    owner_rules = {
        owner: LepsRules(attendance_threshold=thresholds.get(owner, default_threshold)) for owner in per_owner_minutes
    }
    per_owner: dict[Owner, dict[int, Attendance]] = {
        owner: {pk: attendance(a, e, owner_rules[owner]) for pk, (a, e) in people.items()}
        for owner, people in per_owner_minutes.items()
    }
    people_rules = LepsRules(attendance_threshold=default_threshold)
    figures_by_person = {pk: attendance(a, e, people_rules) for pk, (a, e) in totals.items()}
    below = sum(1 for item in figures_by_person.values() if item.planned_minutes and not item.reaches_threshold)
    people = [
        PersonFigures(pk, *names[pk], figures_by_person[pk])
        for pk in sorted(names, key=lambda key: (names[key][0], names[key][1], key))
    ]
    return people, below, per_owner


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same filter, on a model that reaches ``Session`` through ``prefix``."""
    copy = Q()
    copy.connector = condition.connector
    copy.negated = condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            copy.children.append(_prefixed(child, prefix))
        else:
            name, value = cast("tuple[str, Any]", child)
            copy.children.append((f"{prefix}{name}", value))
    return copy


def _coverage(
    selection: Selection,
    shown: dict[int, GroupFigures],
    members: list[tuple[int, int, str]],
    per_owner_people: dict[Owner, dict[int, Attendance]],
    *,
    with_names: bool,
) -> tuple[Coverage, dict[Owner, set[int]]]:
    """Social workers of the plans' censuses: in an A1 group, in an active one, supervised this year."""
    census = Position.objects.filter(SOCIAL_WORKER_Q, census__plans__in=selection.plan_ids)
    if selection.ambito is not None:
        census = census.filter(census__ambito=selection.ambito)
    fields = ["person_id", "census__plans__partnership_id", "census__plans__ambito_id"]
    if with_names:
        fields += ["person__surname", "person__name", "census__ambito_id", "census__ambito__name"]
    rows = list(census.values(*fields).distinct().order_by())
    per_owner: dict[Owner, set[int]] = defaultdict(set)
    named: dict[int, CensusPerson] = {}
    for row in rows:
        owner = _owner_key(row["census__plans__partnership_id"], row["census__plans__ambito_id"])
        per_owner[owner].add(row["person_id"])
        if with_names:
            named[row["person_id"]] = CensusPerson(
                row["person_id"],
                row["person__surname"],
                row["person__name"],
                row["census__ambito_id"],
                row["census__ambito__name"],
            )
    in_census = set().union(*per_owner.values()) if per_owner else set()
    if selection.group_q:
        # A dashboard of some groups (one group, a supervisor's, a person's): their own members.
        in_census &= {person for _group, person, _kind in members}
        per_owner = {owner: people & in_census for owner, people in per_owner.items()}
    in_groups = {person for group_id, person, kind in members if kind == GroupKind.A1}
    active = {person for group_id, person, kind in members if kind == GroupKind.A1 and shown[group_id].active}
    supervised = {
        person
        for owner_people in per_owner_people.values()
        for person, figures in owner_people.items()
        if figures.attended_minutes > 0
    }
    coverage = Coverage(
        as_in_census=len(in_census),
        as_in_groups=len(in_census & in_groups),
        as_in_active_group=len(in_census & active),
        as_supervised=len(in_census & supervised),
    )
    if with_names:
        coverage.not_supervised = sorted(
            (named[pk] for pk in in_census - supervised),
            key=lambda person: (person.ambito_name, person.surname, person.name, person.person_id),
        )
    return coverage, per_owner


def _spending(
    selection: Selection, sessions: QuerySet[Session], shown: dict[int, GroupFigures], *, by_measure: bool
) -> tuple[list[SpendingLine], list[SpendingLine]]:
    """Money per funding source and per contract funding row: committed, planned, spent (hours x rate)."""
    as_of = selection.as_of
    period = list(
        sessions.filter(CONFIRMED, date__gte=selection.start, date__lte=min(selection.end, as_of))
        .values("contract_id", "funding_id", "kind")
        .annotate(minutes=Sum("minutes", default=0))
        .order_by()
    )
    contract_ids = {row["contract_id"] for row in period} | {
        row.group.contract_id for row in shown.values() if row.group.contract_id
    }
    if not contract_ids:
        return [], []
    fundings = {
        funding.pk: funding
        for funding in ContractFunding.objects.filter(contract_id__in=contract_ids).select_related("contract")
    }
    rates = {
        (line.contract_id, line.kind): line.hourly_rate
        for line in ContractLine.objects.filter(contract_id__in=contract_ids)
    }
    to_date = list(
        Session.objects.filter(CONFIRMED, contract_id__in=contract_ids, date__lte=as_of)
        .values("contract_id", "funding_id", "kind")
        .annotate(minutes=Sum("minutes", default=0))
        .order_by()
    )

    def source(funding: ContractFunding | None) -> tuple[str, str]:
        if by_measure:
            if funding is None:
                return "none", "Fonte non indicata"
            return funding.measure, str(FundingMeasure(funding.measure).label)
        return funding_key(funding)

    def amount(contract_id: int, kind: str, minutes: int) -> Decimal:
        rate = rates.get((contract_id, kind))
        return ZERO if rate is None else hours_cost(minutes_to_hours(minutes), rate)

    by_source: dict[str, SpendingLine] = {}
    by_row: dict[int, SpendingLine] = {}
    for funding in fundings.values():
        key, label = source(funding)
        line = by_source.setdefault(key, SpendingLine(key, label))
        line.committed += funding.amount
        by_row[funding.pk] = SpendingLine(
            f"{key}:{funding.pk}",
            label,
            contract_title=funding.contract.title,
            cig=funding.contract.cig,
            committed=funding.amount,
        )
    for aggregate in period:
        key, label = source(fundings.get(aggregate["funding_id"]))
        spent = amount(aggregate["contract_id"], aggregate["kind"], aggregate["minutes"])
        for found in (by_source.setdefault(key, SpendingLine(key, label)), by_row.get(aggregate["funding_id"])):
            if found is not None:
                found.spent_in_period += spent
                found.hours_in_period += minutes_to_hours(aggregate["minutes"])
    for aggregate in to_date:
        key, label = source(fundings.get(aggregate["funding_id"]))
        spent = amount(aggregate["contract_id"], aggregate["kind"], aggregate["minutes"])
        for found in (by_source.setdefault(key, SpendingLine(key, label)), by_row.get(aggregate["funding_id"])):
            if found is not None:
                found.spent_to_date += spent
    for row in shown.values():
        group = row.group
        if group.contract_id is None:
            continue
        planned = amount(group.contract_id, group.kind, int(row.planned * 60))
        if group.kind == GroupKind.A1:
            planned += amount(group.contract_id, "A2", int(row.pool * 60))
        key, label = source(group.funding)
        by_source.setdefault(key, SpendingLine(key, label)).planned += planned
        if group.funding_id in by_row:
            by_row[group.funding_id].planned += planned
    sources = sorted(by_source.values(), key=lambda line: (line.key == "none", line.key))
    contracts = sorted(by_row.values(), key=lambda line: (line.contract_title, line.key))
    return sources, contracts


def _per_plan(
    selection: Selection,
    shown: dict[int, GroupFigures],
    census: dict[Owner, set[int]],
    people: dict[Owner, dict[int, Attendance]],
) -> list[PlanFigures]:
    rows = {plan.pk: PlanFigures(plan) for plan in selection.plans}
    for row in shown.values():
        item = rows[row.plan.pk]
        if row.status is not None:
            item.groups += 1
            item.statuses[row.status] = item.statuses.get(row.status, 0) + 1
            item.minimum += row.minimum
        item.planned += row.planned + (row.pool if row.kind == GroupKind.A1 else ZERO)
        item.delivered += row.delivered + (row.pool_used if row.kind == GroupKind.A1 else ZERO)
    for plan in selection.plans:
        owner = _owner_key(plan.partnership_id, plan.ambito_id)
        item = rows[plan.pk]
        in_census = census.get(owner, set())
        attended = people.get(owner, {})
        item.as_in_census = len(in_census)
        item.as_supervised = len({pk for pk, figures in attended.items() if figures.attended_minutes} & in_census)
        item.people_below_threshold = sum(
            1 for figures in attended.values() if figures.planned_minutes and not figures.reaches_threshold
        )
    return [rows[plan.pk] for plan in selection.plans]

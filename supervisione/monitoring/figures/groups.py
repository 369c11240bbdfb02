"""The groups of a dashboard and the types they add up to: queries 1-3 of ``figures`` (see its docstring).

The shown groups with their LEPS minimums, members and A2 moves; the lineage of their earlier versions; per
group and type the conditional sums of their sessions' minutes; then each group's compliance and the plan
of each type over the period.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from supervisione.leps.compliance import Compliance, compliance, describe_compliance
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours
from supervisione.leps.parameters import LepsRules
from supervisione.leps.rounding import ZERO
from supervisione.lib.italian import hours_text
from supervisione.planning.models import A2Transfer, GroupKind, Plan, PlanGroup, PlanMember
from supervisione.sessions.models import RegisterStatus, Session

from ..selection import KINDS, Selection
from .sums import CONFIRMED, OPEN, SCHEDULED, Rows, Tally, hours_of, percent, sum_minutes

KIND_ORDER = ("A1", "A2", "A3", "extra")
Member = tuple[int, int, str]  # group id, person id, kind of membership


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
    def tenant_name(self) -> str:
        return self.plan.tenant.name

    @property
    def status(self) -> str | None:
        return None if self.compliance is None else self.compliance.status.value

    @property
    def status_label(self) -> str:
        return "extra-LEPS" if self.compliance is None else self.compliance.status.label

    @cached_property
    def reason(self) -> str:
        """The status in words (``judge``): written when shown, not for each of the country's groups."""
        if self.compliance is not None:
            return describe_compliance(self.group.name, self.compliance)
        return (
            f"{self.group.name}: {hours_text(self.delivered)} di {hours_text(self.planned)} h pianificate erogate "
            "(extra-LEPS, non conta per il minimo)."
        )

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


def shown_groups(selection: Selection) -> QuerySet[PlanGroup]:
    groups = PlanGroup.objects.filter(plan_id__in=selection.plan_ids).filter(selection.group_q)
    if selection.ambito is not None:
        # The groups with a member of the ATS by a subquery, not a join to every member: no duplicate rows to
        # remove. With the join and DISTINCT over the groups' and their related rows' columns, PostgreSQL spent
        # about 4 ms planning the query at every ATS dashboard (600 ATS), five times its execution.
        groups = groups.filter(
            Q(pk__in=PlanMember.objects.filter(ambito=selection.ambito).values("group_id"))
            | Q(plan__ambito=selection.ambito)
        )
    if selection.kind == "A2":
        groups = groups.filter(kind=GroupKind.A1)
    elif selection.kind is not None:
        groups = groups.filter(kind=selection.kind)
    # Each group's members counted by the database (a subquery per group, no join: no grouping of the rows).
    members = PlanMember.objects.filter(group=OuterRef("pk")).order_by().values("group").annotate(count=Count("pk"))
    groups = groups.annotate(member_count=Coalesce(Subquery(members.values("count")), 0))
    # A dashboard's own restriction (a supervisor's groups, a person's) may join to many rows per group.
    return groups.distinct() if selection.group_q else groups


def lineage(selection: Selection, shown: dict[int, GroupFigures]) -> dict[int, int]:
    """Every group id of the year's versions of the shown plans -> the shown group it became (one query)."""
    # Unordered (the model's ordering joins the plan to sort what becomes a dictionary).
    parent = dict(
        PlanGroup.objects.filter(selection.owners_q("plan__"), copied_from__isnull=False)
        .values_list("pk", "copied_from_id")
        .order_by()
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


def sessions_of(selection: Selection, mapping: dict[int, int]) -> QuerySet[Session]:
    """The sessions of the year of the shown groups (and of their earlier versions), of the type shown."""
    sessions = Session.objects.filter(
        group_id__any_of=frozenset(mapping), date__gte=selection.year_start, date__lte=selection.year_end
    ).filter(selection.session_q)
    if selection.kind is not None:
        sessions = sessions.filter(kind=selection.kind)
    return sessions


def group_figures(
    group_rows: list[PlanGroup], plans: dict[int, Plan], rules: dict[datetime.date, LepsRules]
) -> dict[int, GroupFigures]:
    """A row per shown group, with its LEPS minimum (and its A2 pool's, for an A1 group)."""
    shown: dict[int, GroupFigures] = {}
    for group in group_rows:
        plan = plans[group.plan_id]
        group.plan = plan
        plan_rules = rules[plan.starts_on]
        shown[group.pk] = GroupFigures(
            group=group,
            plan=plan,
            members=group.member_count,  # type: ignore[attr-defined]  # annotated by shown_groups
            minimum=minimum_hours(group.supervision_type, plan.months_covered, plan_rules)
            if group.supervision_type.counts_for_leps
            else ZERO,
            pool_minimum=minimum_hours(SupervisionType.A2, plan.months_covered, plan_rules)
            if group.kind == GroupKind.A1
            else ZERO,
        )
    return shown


def memberships(selection: Selection, shown: dict[int, GroupFigures]) -> list[Member]:
    """The memberships the coverage of the census reads (one query): of the A1 groups (who is in one, in an
    active one); of every kind for a dashboard of some groups (its people are their members)."""
    # Unordered: read as sets (the model's ordering joins every member's person to sort by name). The members are
    # counted by the groups' query (``shown_groups``): the country's A3 and extra-LEPS memberships (about 13,000
    # of 21,600) are not read.
    rows = PlanMember.objects.filter(group_id__any_of=frozenset(shown))
    if not selection.group_q:
        rows = rows.filter(kind=GroupKind.A1)
    return list(rows.values_list("group_id", "person_id", "kind").order_by())


def move_hours(shown: dict[int, GroupFigures]) -> list[A2Transfer]:
    """The A2 hours moved into and out of the shown groups (one query), added to the groups."""
    # Sorted here, by a time and a key (the same order as the database's): an ORDER BY made Django match it
    # against each of the 52 columns selected.
    transfers = sorted(
        A2Transfer.objects.filter(Q(source_id__any_of=frozenset(shown)) | Q(target_id__any_of=frozenset(shown)))
        .select_related("source", "target", "created_by")
        .order_by(),
        key=lambda transfer: (transfer.created_at, transfer.pk),
    )
    for transfer in transfers:
        if transfer.target_id in shown:
            shown[transfer.target_id].moved_in += transfer.hours
        if transfer.source_id in shown:
            shown[transfer.source_id].moved_out += transfer.hours
    return transfers


# The sums of ``group_sums``, and its keys when the money is read from the same rows (``summary.SummarySums``).
GROUP_SUMS = (
    "delivered",
    "awaiting",
    "scheduled",
    "booked",
    "held_count",
    "to_come_count",
    "period_delivered",
    "period_awaiting",
    "period_scheduled",
    "period_sessions",
)
FUNDED_GROUP = ("group_id", "kind", "contract_id", "funding_id")


def group_sums(selection: Selection, sessions: QuerySet[Session], keys: tuple[str, ...] = ("group_id", "kind")) -> Rows:
    """Per group and type (or ``keys``), the conditional sums of the sessions' minutes (one query)."""
    as_of = selection.as_of
    in_period = Q(date__gte=selection.start, date__lte=selection.end)
    to_date = Q(date__lte=as_of)
    to_come = SCHEDULED & (Q(date__gt=as_of) | Q(date=as_of, register_status=RegisterStatus.OPEN))
    per_group = (
        sessions.values(*keys)
        .annotate(
            delivered=sum_minutes(CONFIRMED & to_date),
            awaiting=sum_minutes(OPEN & Q(date__lt=as_of)),
            scheduled=sum_minutes(to_come),
            booked=sum_minutes(SCHEDULED),
            held_count=Tally("pk", filter=CONFIRMED & to_date),
            to_come_count=Tally("pk", filter=to_come),
            period_delivered=sum_minutes(CONFIRMED & to_date & in_period),
            period_awaiting=sum_minutes(OPEN & Q(date__lt=as_of) & in_period),
            period_scheduled=sum_minutes(to_come & in_period),
            period_sessions=Tally("pk", filter=CONFIRMED & to_date & in_period),
        )
        .order_by()
    )
    return list(per_group)


def add_sessions(
    per_group: Rows,
    shown: dict[int, GroupFigures],
    mapping: dict[int, int],
    types: dict[str, TypeFigures],
) -> None:
    """The sums of ``group_sums`` (one row per group and type) onto the types (in the period) and onto the
    shown groups their groups became (the group's own type, and A1 groups' A2 pool)."""
    confirmed_a2: dict[int, int] = defaultdict(int)
    for aggregate in per_group:
        kind = aggregate["kind"]
        if kind in types:
            item = types[kind]
            item.delivered += hours_of(aggregate["period_delivered"])
            item.awaiting += hours_of(aggregate["period_awaiting"])
            item.scheduled += hours_of(aggregate["period_scheduled"])
            item.sessions += aggregate["period_sessions"]
        target = shown.get(mapping.get(aggregate["group_id"], -1))
        if target is None:
            continue
        if kind == "A2":
            target.pool_booked += hours_of(aggregate["booked"])
            confirmed_a2[target.group.pk] += aggregate["delivered"]
            continue
        if kind != target.kind:
            continue
        # Compliance counts the plan's period; the plan's period is within its year.
        target.delivered += hours_of(aggregate["delivered"])
        target.awaiting += hours_of(aggregate["awaiting"])
        target.scheduled += hours_of(aggregate["scheduled"])
        target.sessions_held += aggregate["held_count"]
        target.sessions_to_come += aggregate["to_come_count"]
        target.period_delivered += hours_of(aggregate["period_delivered"])
    for group_id, minutes in confirmed_a2.items():
        shown[group_id].pool_used = hours_of(minutes)


def judge(shown: dict[int, GroupFigures], as_of: datetime.date) -> None:
    """Each group's compliance with the LEPS minimum (``leps.compliance``); an extra-LEPS group has none (its
    ``reason`` says what it did)."""
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


def plan_types(selection: Selection, shown: dict[int, GroupFigures], types: dict[str, TypeFigures]) -> None:
    """Minimum and plan per type, and the plan's share of the period."""
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


def sorted_groups(shown: dict[int, GroupFigures]) -> list[GroupFigures]:
    return sorted(shown.values(), key=lambda row: (row.plan.pk, KIND_ORDER.index(row.kind), row.group.name))

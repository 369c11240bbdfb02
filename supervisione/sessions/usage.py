"""Hours booked, used and left: of a contract (per type and funding source) and of an A1 group's A2 pool.

- *booked*: sessions not cancelled, held or still to come; what a new booking is checked against;
- *used* (delivered): sessions whose register the supervisor confirmed; what contracts, plans and reports
  count as done. Money used is hours used times the contract line's hourly rate, split by the funding
  source each session carries.

Every figure is one aggregate query, whatever the number of sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.planning.models import A2Transfer, PlanGroup
from supervisione.procurement.models import Contract, ContractFunding, ContractLine
from supervisione.sessions.models import RegisterStatus, Session, SessionStatus

CENT = Decimal("0.01")
CONFIRMED = Q(status=SessionStatus.SCHEDULED, register_status=RegisterStatus.CONFIRMED)


def minutes_to_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def booked_minutes(sessions: QuerySet[Session], *, exclude: Session | None = None) -> int:
    """Minutes of the sessions not cancelled (held or to come) in a queryset."""
    queryset = sessions.filter(status=SessionStatus.SCHEDULED)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    total: int | None = queryset.aggregate(total=Sum("minutes"))["total"]
    return total or 0


def confirmed_minutes(sessions: QuerySet[Session]) -> int:
    total: int | None = sessions.filter(CONFIRMED).aggregate(total=Sum("minutes"))["total"]
    return total or 0


# --- A2 pools ----------------------------------------------------------------------------------------------


def a2_pool_minutes(group_id: int) -> int:
    """The A2 pool of an A1 group, less the hours moved out of it to other groups."""
    group = PlanGroup.objects.only("a2_pool_hours").get(pk=group_id)
    moved: Decimal | None = A2Transfer.objects.filter(source_id=group_id).aggregate(total=Sum("hours"))["total"]
    return int((group.a2_pool_hours - (moved or Decimal(0))) * 60)


def group_lineage(group_id: int) -> list[int]:
    """The same group in every version of its plan: a new version copies the groups (``copied_from``), and the
    sessions booked on an earlier version still count for the group. One query per version, never per row."""
    ids = {group_id}
    frontier = {group_id}
    while frontier:  # back to the first version
        parents = set(
            PlanGroup.objects.filter(pk__in=frontier, copied_from__isnull=False).values_list(
                "copied_from_id", flat=True
            )
        )
        frontier = parents - ids
        ids |= frontier
    frontier = set(ids)
    while frontier:  # forward to the latest
        children = set(PlanGroup.objects.filter(copied_from_id__in=frontier).values_list("pk", flat=True))
        frontier = children - ids
        ids |= frontier
    return sorted(ids)


def a2_sessions(group_id: int) -> QuerySet[Session]:
    return Session.objects.filter(group_id__in=group_lineage(group_id), kind=SupervisionTypeChoices.A2)


def a2_pool_minutes_left(group_id: int, *, exclude: Session | None = None) -> int:
    return a2_pool_minutes(group_id) - booked_minutes(a2_sessions(group_id), exclude=exclude)


def a2_hours_used(group: PlanGroup) -> Decimal:
    """A2 hours of the group's pool already used: the hours of the individual sessions charged to the group
    whose register the supervisor confirmed (one aggregate query)."""
    return minutes_to_hours(confirmed_minutes(a2_sessions(group.pk)))


# --- Contracts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineUsage:
    line: ContractLine
    used_minutes: int
    booked_minutes: int  # not cancelled: held (confirmed or not) and to come

    @property
    def bought_hours(self) -> Decimal:
        return self.line.hours

    @property
    def used_hours(self) -> Decimal:
        return minutes_to_hours(self.used_minutes)

    @property
    def to_come_hours(self) -> Decimal:
        """Booked but not yet delivered (register not confirmed)."""
        return minutes_to_hours(self.booked_minutes - self.used_minutes)

    @property
    def left_hours(self) -> Decimal:
        """What can still be booked."""
        return self.line.hours - minutes_to_hours(self.booked_minutes)

    @property
    def used_amount(self) -> Decimal:
        return (self.line.hourly_rate * Decimal(self.used_minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def used_percent(self) -> int:
        if not self.line.hours:
            return 0
        return min(100, round(self.used_minutes / 60 / float(self.line.hours) * 100))


@dataclass(frozen=True)
class FundingUsage:
    funding: ContractFunding
    used_amount: Decimal
    used_minutes: int

    @property
    def left_amount(self) -> Decimal:
        return self.funding.amount - self.used_amount


@dataclass(frozen=True)
class ContractUsage:
    lines: list[LineUsage]
    fundings: list[FundingUsage]

    @property
    def used_amount(self) -> Decimal:
        return sum((line.used_amount for line in self.lines), Decimal(0))

    @property
    def used_hours(self) -> Decimal:
        return sum((line.used_hours for line in self.lines), Decimal(0))

    @property
    def booked_hours(self) -> Decimal:
        return sum((minutes_to_hours(line.booked_minutes) for line in self.lines), Decimal(0))

    @property
    def bought_hours(self) -> Decimal:
        return sum((line.bought_hours for line in self.lines), Decimal(0))

    @property
    def to_come_hours(self) -> Decimal:
        return sum((line.to_come_hours for line in self.lines), Decimal(0))

    @property
    def left_hours(self) -> Decimal:
        return sum((line.left_hours for line in self.lines), Decimal(0))


def contract_usage(contract: Contract) -> ContractUsage:
    """Per line and per funding source: three queries, whatever the number of sessions."""
    sessions = Session.objects.filter(contract=contract, status=SessionStatus.SCHEDULED)
    booked = dict(sessions.values("kind").annotate(total=Sum("minutes")).values_list("kind", "total"))
    used = dict(
        sessions.filter(register_status=RegisterStatus.CONFIRMED)
        .values("kind")
        .annotate(total=Sum("minutes"))
        .values_list("kind", "total")
    )
    lines = list(contract.lines.all())
    line_usage = [LineUsage(line, used.get(line.kind, 0) or 0, booked.get(line.kind, 0) or 0) for line in lines]
    rates = {line.kind: line.hourly_rate for line in lines}
    by_funding: dict[int, tuple[Decimal, int]] = {}
    rows = (
        sessions.filter(register_status=RegisterStatus.CONFIRMED)
        .values("funding_id", "kind")
        .annotate(total=Sum("minutes"))
        .values_list("funding_id", "kind", "total")
    )
    for funding_id, kind, total in rows:
        amount, minutes = by_funding.get(funding_id, (Decimal(0), 0))
        rate = rates.get(kind, Decimal(0))
        amount += (rate * Decimal(total) / 60).quantize(CENT, rounding=ROUND_HALF_UP)
        by_funding[funding_id] = (amount, minutes + total)
    fundings = [
        FundingUsage(funding, *by_funding.get(funding.pk, (Decimal(0), 0)))
        for funding in contract.fundings.select_related("ambito")
    ]
    return ContractUsage(line_usage, fundings)

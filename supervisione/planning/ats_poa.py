"""Each member ATS's own POA, split from a partnership plan (issue 15.3).

Every ATS files its own POA on the Piattaforma Multifondo, whatever partnership it belongs to. Its POA is its part
of the partnership's plan: its people, its share of each group, its équipes, its hours per type and its costs per
funding source, read from the plan page's figures (``planning.plan_page``: the costs are its hours x the contract
lines' rates) without another query.

- A group whose members come from several ATS is shared by head count: each ATS gets the part of the group's
  hours (to the hundredth of an hour), LEPS minimum and cost (to the cent) that its members make, stated as
  "3 di 12 partecipanti: 25 %". The parts are rounded by the largest remainder (``leps.shares``), so that they
  add up exactly to the group's figures, and the ATS's POAs to the partnership's.
- An équipe (A3) without members yet is wholly its ATS's; any other group without members belongs to no ATS until
  it has some ("non attribuito", listed on the partnership's page) rather than to a guessed one.
- An ATS with its own plan (``Plan.ambito``, like VEN_09 Treviso): its POA is the plan itself, every group wholly
  its own.
- The ATS's A3 minimum also counts its équipes still without a group, as the plan's does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from supervisione.census.models import Census, CensusStatus, Equipe
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours
from supervisione.leps.rounding import CENT, ZERO
from supervisione.leps.shares import HOUR_HUNDREDTH, share_percent, split_by_head_count
from supervisione.lib.italian import number_text
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember
from supervisione.planning.plan_page import GroupRow, PlanPage, TypeHours
from supervisione.planning.queries import ScopePerson, funding_key
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class GroupShare:
    """One ATS's part of one group of the plan."""

    row: GroupRow
    members: tuple[PlanMember, ...]  # the group's members from this ATS
    hours: Decimal
    a2_hours: Decimal
    minimum: Decimal
    a2_minimum: Decimal
    cost: Decimal | None  # None when the group's cost is unknown (no contract rate)
    a2_cost: Decimal | None
    whole: bool = False  # wholly the ATS's: an équipe without members yet, or a group of the ATS's own plan
    # The ATS's part of what each funding row pays (``GroupRow.sources``): the key and label of the source, hours, cost.
    sources: tuple[tuple[str, str, Decimal, Decimal], ...] = ()

    @property
    def group(self) -> PlanGroup:
        return self.row.group

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def total_members(self) -> int:
        return self.row.member_count

    @property
    def percent(self) -> Decimal:
        return share_percent(self.member_count, self.total_members) if self.total_members else HUNDRED

    @property
    def share_text(self) -> str:
        """How the share was computed, in words: "3 di 12 partecipanti: 25 %"."""
        if not self.total_members:
            what = "équipe" if self.kind == GroupKind.A3 else "gruppo"
            return f"{what} dell'ATS, ancora senza partecipanti: 100 %"
        noun = "partecipante" if self.total_members == 1 else "partecipanti"
        return f"{self.member_count} di {self.total_members} {noun}: {number_text(self.percent, 1, trim=True)} %"

    @property
    def total_cost(self) -> Decimal | None:
        """The share of the group's cost with its A2 pool; None when the plan leaves the group's cost out."""
        if self.row.total_cost is None:
            return None
        return (self.cost or ZERO) + (self.a2_cost or ZERO)

    @property
    def total_hours(self) -> Decimal:
        return self.hours + self.a2_hours


@dataclass
class AtsCostLine:
    key: str
    label: str
    hours: Decimal = ZERO
    planned: Decimal = ZERO


@dataclass
class AtsPoa:
    """The POA of one ATS: its part of the plan."""

    page: PlanPage
    ambito: Ambito
    shares: list[GroupShare] = field(default_factory=list)
    people: list[ScopePerson] = field(default_factory=list)
    unplanned_equipes: list[Equipe] = field(default_factory=list)

    @property
    def plan(self) -> Plan:
        return self.page.plan

    @property
    def is_own_plan(self) -> bool:
        """The ATS plans alone: its POA is the plan itself."""
        return self.plan.ambito_id == self.ambito.pk

    @property
    def census(self) -> Census | None:
        return next((census for census in self.page.censuses if census.ambito_id == self.ambito.pk), None)

    @property
    def a1_shares(self) -> list[GroupShare]:
        return [share for share in self.shares if share.kind == GroupKind.A1]

    @property
    def a3_shares(self) -> list[GroupShare]:
        return [share for share in self.shares if share.kind == GroupKind.A3]

    @property
    def extra_shares(self) -> list[GroupShare]:
        return [share for share in self.shares if share.kind == GroupKind.EXTRA]

    @property
    def social_workers(self) -> list[ScopePerson]:
        return [person for person in self.people if person.is_social_worker]

    @property
    def social_workers_outside(self) -> list[ScopePerson]:
        """The ATS's social workers of the plan's censuses in no A1 group of the plan."""
        in_a1 = {member.person_id for row in self.page.a1_rows for member in row.members}
        return [person for person in self.social_workers if person.person_id not in in_a1]

    @property
    def hours(self) -> dict[str, TypeHours]:
        """Per type, the ATS's share of the LEPS minimum and of the planned hours."""
        a3_unplanned = minimum_hours(SupervisionType.A3, self.plan.months_covered, self.page.rules) * len(
            self.unplanned_equipes
        )
        return {
            "A1": TypeHours(_sum(s.minimum for s in self.a1_shares), _sum(s.hours for s in self.a1_shares)),
            "A2": TypeHours(_sum(s.a2_minimum for s in self.a1_shares), _sum(s.a2_hours for s in self.a1_shares)),
            "A3": TypeHours(
                _sum(s.minimum for s in self.a3_shares) + a3_unplanned, _sum(s.hours for s in self.a3_shares)
            ),
            "extra": TypeHours(ZERO, _sum(s.hours for s in self.extra_shares)),
        }

    @property
    def total_hours(self) -> Decimal:
        return _sum(item.planned for item in self.hours.values())

    @property
    def minimum_hours(self) -> Decimal:
        return _sum(item.minimum for item in self.hours.values())

    @property
    def costs(self) -> list[AtsCostLine]:
        """Hours and cost per funding source, as the plan adds them up (a group of unknown cost adds nothing)."""
        lines: dict[str, AtsCostLine] = {}
        for share in self.shares:
            for key, label, hours, cost in share.sources:
                line = lines.setdefault(key, AtsCostLine(key, label))
                line.hours += hours
                line.planned += cost
        return sorted(lines.values(), key=lambda line: (line.key == "none", line.key))

    @property
    def total_cost(self) -> Decimal:
        return _sum(line.planned for line in self.costs)

    @property
    def supervisors(self) -> list[Supervisor]:
        seen: dict[int, Supervisor] = {}
        for share in self.shares:
            if share.group.supervisor is not None:
                seen.setdefault(share.group.supervisor.pk, share.group.supervisor)
        return sorted(seen.values(), key=lambda s: (s.surname, s.name, s.pk))

    @property
    def checks(self) -> list[str]:
        """What keeps the ATS's part below the LEPS or needs checking, in words."""
        found = [text for share in self.shares for text in share.row.shortfalls]
        found += [
            f"{equipe.name}: équipe dell'ATS senza supervisione A3 nel piano (minimo LEPS "
            f"{number_text(minimum_hours(SupervisionType.A3, self.plan.months_covered, self.page.rules), 1, trim=True)}"
            " ore)."
            for equipe in self.unplanned_equipes
        ]
        outside = len(self.social_workers_outside)
        if outside:
            found.append(
                f"{outside} {'assistente sociale' if outside == 1 else 'assistenti sociali'} dell'ATS "
                f"{'non è' if outside == 1 else 'non sono'} in un gruppo A1."
            )
        if not self.social_workers:
            found.append(
                "Nessun assistente sociale dell'ATS nei censimenti del piano: la sua parte non può essere conforme."
            )
        if not self.a3_shares and not self.unplanned_equipes:
            found.append("Nessuna équipe dell'ATS nei censimenti del piano: la supervisione A3 non è garantita.")
        census = self.census
        if census is not None and census.status != CensusStatus.VALIDATED:
            found.append(f"Il censimento dell'ATS è «{census.get_status_display().lower()}», non ancora validato.")
        return found


@dataclass
class PlanSplit:
    """A plan shared among its ATS, and what belongs to none of them yet."""

    page: PlanPage
    parts: list[AtsPoa]
    unassigned: list[GroupRow]

    def part(self, ambito_id: int) -> AtsPoa | None:
        return next((part for part in self.parts if part.ambito.pk == ambito_id), None)

    @property
    def unassigned_hours(self) -> Decimal:
        return _sum(row.group.planned_hours + row.group.a2_pool_hours for row in self.unassigned)

    @property
    def unassigned_cost(self) -> Decimal:
        return _sum(row.total_cost or ZERO for row in self.unassigned)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def split_plan(page: PlanPage) -> PlanSplit:
    """The POA of each ATS of the plan (no query: everything comes from the plan page)."""
    plan = page.plan
    ambiti: dict[int, Ambito] = {ambito.pk: ambito for ambito in page.ambiti}
    for row in page.rows:
        for member in row.members:
            ambiti.setdefault(member.ambito_id, member.ambito)
        if row.group.equipe is not None:
            ambiti.setdefault(row.group.equipe.ambito_id, row.group.equipe.ambito)
    shares: dict[int, list[GroupShare]] = defaultdict(list)
    unassigned: list[GroupRow] = []
    for row in page.rows:
        heads, whole = _heads(row, plan, ambiti)
        if not heads:
            unassigned.append(row)
            continue
        for ambito_id, share in _share_row(row, heads, whole=whole).items():
            shares[ambito_id].append(share)
    parts = [
        AtsPoa(
            page=page,
            ambito=ambito,
            shares=shares[ambito.pk],
            people=[person for person in page.people if person.ambito_id == ambito.pk],
            unplanned_equipes=[equipe for equipe in page.unplanned_equipes if equipe.ambito_id == ambito.pk],
        )
        for ambito in sorted(ambiti.values(), key=lambda ambito: (ambito.name, ambito.pk))
    ]
    return PlanSplit(page=page, parts=parts, unassigned=unassigned)


def _heads(row: GroupRow, plan: Plan, ambiti: dict[int, Ambito]) -> tuple[dict[int, int], bool]:
    """Members per ATS, in a fixed order (the ATS's name: a cent left over goes to the first); a group without
    members is wholly its ATS's when it has one (the ATS's own plan, an équipe), else nobody's."""
    counts = Counter(member.ambito_id for member in row.members)
    if counts:
        return dict(sorted(counts.items(), key=lambda item: (ambiti[item[0]].name, item[0]))), False
    if plan.ambito_id is not None:
        return {plan.ambito_id: 1}, True
    if row.group.equipe is not None:
        return {row.group.equipe.ambito_id: 1}, True
    return {}, False


def _share_row(row: GroupRow, heads: dict[int, int], *, whole: bool) -> dict[int, GroupShare]:
    group = row.group

    def split(value: Decimal, unit: Decimal) -> dict[int, Decimal]:
        return split_by_head_count(value, heads, unit)

    def split_money(value: Decimal | None) -> dict[int, Decimal | None]:
        if value is None:
            return dict.fromkeys(heads)
        return dict(split(value, CENT))

    hours = split(group.planned_hours, HOUR_HUNDREDTH)
    a2_hours = split(group.a2_pool_hours, HOUR_HUNDREDTH)
    minimum = split(row.minimum, HOUR_HUNDREDTH)
    a2_minimum = split(row.a2_minimum, HOUR_HUNDREDTH)
    cost = split_money(row.cost)
    a2_cost = split_money(row.a2_cost)
    members: dict[int, list[PlanMember]] = defaultdict(list)
    for member in row.members:
        members[member.ambito_id].append(member)
    # Each funding row's part (the PNRR project and the row after its end) shared by head count, so that the ATS'
    # parts of every source add up to the plan's.
    sources: dict[int, list[tuple[str, str, Decimal, Decimal]]] = defaultdict(list)
    for part in row.sources:
        key, label = funding_key(part.funding)
        part_hours, part_cost = split(part.hours, HOUR_HUNDREDTH), split(part.cost, CENT)
        for ambito_id in heads:
            sources[ambito_id].append((key, label, part_hours[ambito_id], part_cost[ambito_id]))
    return {
        ambito_id: GroupShare(
            row=row,
            members=tuple(members[ambito_id]),
            hours=hours[ambito_id],
            a2_hours=a2_hours[ambito_id],
            minimum=minimum[ambito_id],
            a2_minimum=a2_minimum[ambito_id],
            cost=cost[ambito_id],
            a2_cost=a2_cost[ambito_id],
            whole=whole or len(heads) == 1,
            sources=tuple(sources[ambito_id]),
        )
        for ambito_id in heads
        if heads[ambito_id] > 0
    }

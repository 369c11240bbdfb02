"""The annual plans (POA) of a partnership, one per year, built by the LEPS rules from that year's census.

- A1: every AS of the census in a group, split by ``rules.suggest_groups`` (at most 15, balanced, people of
  one ATS together where possible), each with its A2 pool of 15 hours.
- A3: every équipe of the census, with its people of every profession.
- Extra-LEPS: the educators, and the psychologists, of the partnership when there are at least three, funded
  by the FNPS quota.
- Planned hours are those of the calendar the partnership books at the start of the year (see
  ``calendar``): always at least the LEPS minimum (16 h per A1 group, 6 h per équipe).
- Every plan is approved before its year starts (submitted in early December, approved by the Coordinamento
  Istituzionale a week or two later), with the census, supervisors, declarations, contract and funding its
  groups need, so that the plan page shows no shortfall.
- In past years about one A1 group in twelve moved a few unused A2 hours to an équipe (``A2Transfer``).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from supervisione.census.models import Profession
from supervisione.demo.national.context import SOURCE, PartnershipInfo, World
from supervisione.demo.national.procurement import (
    ContractInfo,
    Procurement,
    SupervisorInfo,
    charge,
    fnps_funding,
)
from supervisione.demo.national.staff import EquipeInfo, Staff, StaffMember
from supervisione.demo.national.writer import aware
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours, suggest_groups
from supervisione.leps.parameters import DEFAULT_RULES
from supervisione.leps.pnrr import ACTIVITIES_END, ProjectEnd, split_period
from supervisione.planning.models import A2Transfer, Plan, PlanGroup, PlanMember, PlanStatus, default_deadline

A2_POOL = DEFAULT_RULES.a2_pool_hours_per_a1_group
EXTRA_GROUPS = (
    (Profession.EDUCATOR, "Gruppo extra-LEPS degli educatori professionali"),
    (Profession.PSYCHOLOGIST, "Gruppo extra-LEPS degli psicologi"),
)


# Every PNRR M5C2 1.1.4 project's activities ended on 30/06/2026 (no exception in the generated data).
PROJECT_END = ProjectEnd(ACTIVITIES_END)


@dataclass
class GroupInfo:
    id: int
    plan_id: int
    year: int
    kind: str  # A1, A3, extra
    name: str
    members: list[StaffMember]
    equipe: EquipeInfo | None = None
    profession: str = ""
    supervisor: SupervisorInfo | None = None
    declaration_id: int | None = None
    contract: ContractInfo | None = None
    funding_id: int | None = None
    funding_after_id: int | None = None  # the FNPS row that pays after the PNRR activities end (that year only)
    planned_minutes: int = 0
    a2_pool: Decimal = Decimal(0)
    a2_minutes: int = 0  # individual sessions booked (not cancelled) on the pool
    accreditation: str = ""

    @property
    def minimum_minutes(self) -> int:
        return int(minimum_hours(SupervisionType(self.kind)) * 60)

    @property
    def ambito_id(self) -> int | None:
        """The ATS of the group's people when they are all of one (sessions carry it)."""
        ambiti = {member.ambito.id for member in self.members}
        return ambiti.pop() if len(ambiti) == 1 else None


@dataclass
class PlanInfo:
    id: int
    year: int
    groups: list[GroupInfo] = field(default_factory=list)


def _ordered(people: list[StaffMember]) -> list[StaffMember]:
    """As ``planning.queries.scope_people`` lists them: by ATS, surname, name."""
    return sorted(people, key=lambda p: (p.ambito.name, p.identity.surname, p.identity.name, p.id))


def compose_plans(world: World, staff: Staff) -> list[PlanInfo]:
    plans = []
    for year in world.options.year_list:
        plan = PlanInfo(world.ids.next(Plan), year)
        people = _ordered(staff.of_year(year))
        by_id = {person.id: person for person in people}
        social_workers = [(p.id, p.ambito.name) for p in people if p.is_social_worker]
        for number, keys in enumerate(suggest_groups(social_workers), start=1):
            members = [by_id[key] for key in keys]
            plan.groups.append(
                GroupInfo(
                    world.ids.next(PlanGroup), plan.id, year, "A1", f"Gruppo A1 n. {number}", members, a2_pool=A2_POOL
                )
            )
        for equipe in staff.equipes:
            members = [p for p in people if p.equipe is equipe and (p.service == "equipe")]
            if members:
                name = f"{equipe.name} ({equipe.ambito.name})"
                plan.groups.append(
                    GroupInfo(world.ids.next(PlanGroup), plan.id, year, "A3", name, members, equipe=equipe)
                )
        for profession, name in EXTRA_GROUPS:
            colleagues = [p for p in people if p.profession == profession]
            if len(colleagues) >= 3:
                plan.groups.append(
                    GroupInfo(
                        world.ids.next(PlanGroup), plan.id, year, "extra", name, colleagues, profession=profession
                    )
                )
        plans.append(plan)
    return plans


def needs(plans: list[PlanInfo]) -> dict[str, int]:
    """The most groups of each kind in one year; extra-LEPS groups by profession ("extra:psicologo")."""
    keys = sorted({_role(group) for plan in plans for group in plan.groups})
    return {key: max(sum(1 for g in plan.groups if _role(g) == key) for plan in plans) for key in keys}


def _role(group: GroupInfo) -> str:
    return f"extra:{group.profession}" if group.kind == "extra" else group.kind


def assign(world: World, plans: list[PlanInfo], procurement: Procurement, rng: random.Random) -> None:
    """Supervisor (with the declaration for the year's contract), contract and funding of every group."""
    for plan in plans:
        index, contract = procurement.contract_of(plan.year)
        for number, group in enumerate(plan.groups):
            candidates = procurement.of_role(_role(group))
            supervisor = candidates[number % len(candidates)]
            group.supervisor = supervisor
            group.declaration_id = supervisor.declarations[index]
            group.contract = contract
            if group.kind == "extra" or plan.year > PROJECT_END.end.year:
                group.funding_id = fnps_funding(world, contract, plan.year)
            else:
                group.funding_id = contract.pnrr_funding_id
                if plan.year == PROJECT_END.end.year:
                    group.funding_after_id = fnps_funding(world, contract, plan.year)
            if group.kind == "A1" and rng.random() < 0.6:
                group.accreditation = f"CNOAS-{plan.year}-{group.id:05d}"


def _charge_planned(group: GroupInfo, planned: Decimal) -> None:
    """The group's planned cost on its funding rows: in the year the PNRR activities end, split by the days on each
    side of the end, as the plan page splits it (``planning.project_end``)."""
    assert group.contract is not None  # noqa: S101  (assign() set it)
    if group.funding_after_id is None:
        charge(group.contract, group.funding_id or 0, group.kind, planned, group.a2_pool)
        return
    split = split_period(datetime.date(group.year, 1, 1), datetime.date(group.year, 12, 31), PROJECT_END)
    share = Decimal(split.within) / split.total
    charge(group.contract, group.funding_id or 0, group.kind, planned * share, group.a2_pool * share)
    after = 1 - share
    charge(group.contract, group.funding_after_id, group.kind, planned * after, group.a2_pool * after)


def write_plans(
    world: World, partnership: PartnershipInfo, staff: Staff, plans: list[PlanInfo], rng: random.Random
) -> None:
    table = world.writer.table(
        Plan,
        ["id", "partnership_id", "year", "version", "status", "first_month", "last_month", "deadline", "submitted_at",
         "submitted_by_id", "approved_at", "approved_by_id", "approval_act", "notes", "lock_version", "created_by_id",
         "created_at"],
    )  # fmt: skip
    censuses = world.writer.table(Plan.censuses.through, ["id", "plan_id", "census_id"])
    groups = world.writer.table(
        PlanGroup,
        ["id", "plan_id", "kind", "name", "planned_hours", "a2_pool_hours", "equipe_id", "profession", "supervisor_id",
         "declaration_id", "contract_id", "funding_id", "funding_after_id", "note", "accreditation_code"],
    )  # fmt: skip
    members = world.writer.table(PlanMember, ["id", "group_id", "plan_id", "kind", "person_id", "ambito_id"])
    for plan in plans:
        submitted = datetime.date(plan.year - 1, 12, rng.randint(1, 9))
        approved = submitted + datetime.timedelta(days=rng.randint(5, 14))
        table.add(
            plan.id,
            partnership.id,
            plan.year,
            1,
            PlanStatus.APPROVED,
            1,
            12,
            default_deadline(plan.year),
            aware(submitted, 11),
            staff.coordinator_id,
            aware(approved, 16),
            staff.coordinator_id,
            f"Delibera del Coordinamento Istituzionale n. {rng.randint(1, 12)} del {approved:%d/%m/%Y}",
            SOURCE,
            4,
            staff.coordinator_id,
            aware(datetime.date(plan.year - 1, 11, 25), 10),
        )
        for ambito in partnership.ambiti:
            censuses.add(world.ids.next(Plan.censuses.through), plan.id, staff.census_ids[(ambito.id, plan.year)])
        for group in plan.groups:
            assert group.contract is not None  # noqa: S101  (assign() set it)
            assert group.supervisor is not None  # noqa: S101  (assign() set it)
            planned = Decimal(group.planned_minutes) / 60
            _charge_planned(group, planned)
            contract_hours = group.contract.hours
            contract_hours[group.kind] = contract_hours.get(group.kind, Decimal(0)) + planned
            if group.a2_pool:
                contract_hours["A2"] = contract_hours.get("A2", Decimal(0)) + group.a2_pool
            groups.add(
                group.id,
                plan.id,
                group.kind,
                group.name,
                planned.quantize(Decimal("0.1")),
                group.a2_pool,
                group.equipe.id if group.equipe else None,
                group.profession,
                group.supervisor.id,
                group.declaration_id,
                group.contract.id,
                group.funding_id,
                group.funding_after_id,
                "",
                group.accreditation,
            )
            for member in group.members:
                members.add(world.ids.next(PlanMember), group.id, plan.id, group.kind, member.id, member.ambito.id)
        _transfers(world, staff, plan, rng)


def _transfers(world: World, staff: Staff, plan: PlanInfo, rng: random.Random) -> None:
    if plan.year >= world.options.last_year:
        return
    targets = [g for g in plan.groups if g.kind == "A3"]
    table = world.writer.table(
        A2Transfer, ["id", "source_id", "target_id", "hours", "reason", "created_by_id", "created_at"]
    )
    for group in (g for g in plan.groups if g.kind == "A1"):
        unused = group.a2_pool - Decimal(group.a2_minutes) / 60
        if not targets or unused < 2 or rng.random() >= 0.08:
            continue
        target = rng.choice(targets)
        table.add(
            world.ids.next(A2Transfer),
            group.id,
            target.id,
            Decimal(2),
            "Richieste di supervisione individuale inferiori al previsto: due ore all'équipe, che ne ha chiesto un "
            "incontro in più.",
            staff.coordinator_id,
            aware(datetime.date(plan.year, 12, 1), 10),
        )

"""The plan page: every figure of an annual plan (groups, LEPS minimums and shortfalls, costs by funding source,
FNPS co-financing), read in a fixed number of queries. The page, its exports and the submit check use it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from supervisione.census.models import Census, CensusStatus, Equipe
from supervisione.leps.cofinancing import CoFinancing, cofinancing, hours_cost
from supervisione.leps.eligibility import Eligibility, describe_eligibility, eligibility
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import Minimums, minimum_hours, plan_minimums
from supervisione.leps.parameters import LepsRules, rules_at
from supervisione.leps.rounding import ZERO
from supervisione.leps.shortfalls import GroupPlan, PlanInput, Shortfall, describe, shortfalls
from supervisione.lib.italian import euro_text
from supervisione.planning.fnps_allocations import AllocationFigure, allocations_for
from supervisione.planning.models import A2Transfer, GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.payers import group_checks, group_checks_after
from supervisione.planning.project_end import SourcePart, source_parts
from supervisione.planning.queries import (
    Rates,
    ScopePerson,
    census_equipes_of,
    funding_key,
    owner_ambiti,
    owner_q,
    plan_groups,
    reference_rates,
    scope_people,
)
from supervisione.procurement.models import Contract, ContractFunding, ContractLine
from supervisione.procurement.payers import FundingCheck
from supervisione.supervisors.eligibility import declaration_problems, with_document_flag, with_qualifications
from supervisione.supervisors.models import Declaration, Supervisor
from supervisione.territory.models import Ambito, FundingMeasure


@dataclass
class GroupRow:
    group: PlanGroup
    members: list[PlanMember]
    minimum: Decimal
    a2_minimum: Decimal
    rate: Decimal | None
    a2_rate: Decimal | None
    eligibility: Eligibility | None  # None: no supervisor
    declaration_problems: list[str]
    moved_in: Decimal = ZERO
    moved_out: Decimal = ZERO
    shortfalls: list[str] = field(default_factory=list)
    payer: FundingCheck | None = None  # who pays, for a group charged to an FNPS row (``planning.payers``)
    payer_after: FundingCheck | None = None  # the same, for the FNPS row that pays after a PNRR project's end
    # Who pays its hours and cost: the group's row, or a PNRR project up to its end and the row after it.
    sources: list[SourcePart] = field(default_factory=list)

    @property
    def payer_problem(self) -> str:
        """Why the group's FNPS row may not pay for its members ("" when it may)."""
        for payer in (self.payer, self.payer_after):
            if payer is not None and not payer.allowed:
                return payer.message_about(self.group.name)
        return ""

    @property
    def kind(self) -> str:
        return self.group.kind

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def by_ambito(self) -> list[tuple[str, int]]:
        counts = Counter(member.ambito.name for member in self.members)
        return sorted(counts.items())

    @property
    def by_profession(self) -> list[tuple[str, int]]:
        counts = Counter(member.person.get_profession_display() for member in self.members)
        return sorted(counts.items())

    @property
    def cost(self) -> Decimal | None:
        return None if self.rate is None else hours_cost(self.group.planned_hours, self.rate)

    @property
    def a2_cost(self) -> Decimal | None:
        if self.group.kind != GroupKind.A1 or not self.group.a2_pool_hours:
            return ZERO
        return None if self.a2_rate is None else hours_cost(self.group.a2_pool_hours, self.a2_rate)

    @property
    def total_cost(self) -> Decimal | None:
        if self.cost is None or self.a2_cost is None:
            return None
        return self.cost + self.a2_cost

    @property
    def funding_label(self) -> str:
        """The source in a few words, for tables: "PNRR 1.1.4", "FNPS 2023", "Altra fonte"."""
        funding, after = self.group.funding, self.group.funding_after
        if funding is None:
            return ""
        label = _source_label(funding)
        if after is not None and (project := funding.project_end) is not None:
            label += f" fino al {project.last_day:%d/%m/%Y}, poi {_source_label(after)}"
        return label

    @property
    def eligibility_text(self) -> str:
        return "" if self.eligibility is None else describe_eligibility(self.eligibility)

    @property
    def effective_hours(self) -> Decimal:
        """Planned hours plus A2 hours moved in."""
        return self.group.planned_hours + self.moved_in

    @property
    def effective_pool(self) -> Decimal:
        return self.group.a2_pool_hours - self.moved_out


def _source_label(funding: ContractFunding) -> str:
    if funding.measure == FundingMeasure.PNRR_114:
        return "PNRR 1.1.4"
    if funding.measure == FundingMeasure.FNPS:
        payer = f" · {funding.ambito.name}" if funding.ambito else ""
        return f"FNPS {funding.year or ''}".strip() + payer
    return "Altra fonte"


@dataclass
class CostLine:
    key: str
    label: str
    hours: Decimal = ZERO
    planned: Decimal = ZERO
    funds: Decimal | None = None  # the funding rows of the contracts with this source
    other_plans: Decimal = ZERO  # the same rows, in approved plans of other years
    # The FNPS allocations of the plan's ATS that cover the source's year: (ATS, and the years if more than one;
    # the allocation's amount).
    fnps_quotas: list[tuple[str, Decimal]] = field(default_factory=list)
    own_costs: dict[str, Decimal] = field(default_factory=dict)  # FNPS: cost an ATS's row pays alone, by ATS
    shared_costs: dict[int, tuple[FundingCheck, Decimal]] = field(default_factory=dict)  # by agreement: its quotas
    agreements: list[str] = field(default_factory=list)  # FNPS: the agreements whose quotas share it

    @property
    def by_ats(self) -> dict[str, Decimal]:
        """FNPS: what each ATS pays of ``planned``. The cost an agreement shares is split once, as a whole, so that
        the cents of many groups do not pile up on one ATS."""
        totals = dict(self.own_costs)
        for check, cost in self.shared_costs.values():
            for name, part in check.cost_by_ats(cost):
                totals[name] = totals.get(name, ZERO) + part
        return dict(sorted(totals.items()))

    @property
    def residual(self) -> Decimal | None:
        return None if self.funds is None else self.funds - self.planned - self.other_plans

    @property
    def over_budget(self) -> bool:
        return self.residual is not None and self.residual < 0


@dataclass(frozen=True)
class TypeHours:
    minimum: Decimal
    planned: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.minimum - self.planned, ZERO)


@dataclass(frozen=True)
class QuotaWhatIf:
    label: str
    quota: AllocationFigure | None  # None: all of them together
    amount: Decimal  # an allocation of several years: one year of it
    result: CoFinancing


@dataclass
class PlanPage:
    plan: Plan
    rules: LepsRules
    ambiti: list[Ambito]
    censuses: list[Census]
    people: list[ScopePerson]
    rows: list[GroupRow]
    minimums: Minimums
    hours: dict[str, TypeHours]
    shortfalls: list[Shortfall[int]]
    problems: list[str]  # blocking, besides the LEPS shortfalls (declarations)
    warnings: list[str]
    costs: list[CostLine]
    versions: list[Plan]
    quotas: list[AllocationFigure]  # the FNPS allocations of the plan's ATS that its year may spend
    rates: Rates | None
    what_ifs: list[QuotaWhatIf]
    social_workers_outside: list[ScopePerson]
    unplanned_equipes: list[Equipe] = field(default_factory=list)  # in the censuses, without an A3 group

    @property
    def a1_rows(self) -> list[GroupRow]:
        return [row for row in self.rows if row.kind == GroupKind.A1]

    @property
    def a3_rows(self) -> list[GroupRow]:
        return [row for row in self.rows if row.kind == GroupKind.A3]

    @property
    def extra_rows(self) -> list[GroupRow]:
        return [row for row in self.rows if row.kind == GroupKind.EXTRA]

    @property
    def social_workers(self) -> list[ScopePerson]:
        return [person for person in self.people if person.is_social_worker]

    @property
    def shortfall_texts(self) -> list[str]:
        return [describe(item) for item in self.shortfalls]

    @property
    def blocking(self) -> list[str]:
        """Everything that keeps the plan from being submitted, in words."""
        return self.shortfall_texts + self.problems

    @property
    def total_cost(self) -> Decimal:
        return sum((line.planned for line in self.costs), ZERO)

    @property
    def total_hours(self) -> Decimal:
        return sum((item.planned for item in self.hours.values()), ZERO)

    @property
    def budget(self) -> Decimal | None:
        return self.plan.partnership.budget if self.plan.partnership_id and self.plan.partnership else None

    @property
    def supervisors(self) -> list[Supervisor]:
        seen: dict[int, Supervisor] = {}
        for row in self.rows:
            if row.group.supervisor is not None:
                seen.setdefault(row.group.supervisor.pk, row.group.supervisor)
        return sorted(seen.values(), key=lambda s: (s.surname, s.name, s.pk))

    @property
    def census_not_validated(self) -> list[Census]:
        return [census for census in self.censuses if census.status != CensusStatus.VALIDATED]


def plan_page(plan: Plan) -> PlanPage:
    """Everything the plan page, its exports and its checks need, in a fixed number of queries."""
    rules = rules_at(plan.starts_on)
    owner = plan.tenant
    ambiti = owner_ambiti(owner)
    censuses = list(plan.censuses.select_related("campaign", "ambito").order_by("ambito__name"))
    people = scope_people(censuses)
    rows = _group_rows(plan, plan_groups(plan), rules)
    checks = group_checks(plan, [row.group for row in rows])
    checks_after = group_checks_after(plan, [row.group for row in rows])
    for row in rows:
        row.payer = checks.get(row.group.pk)
        row.payer_after = checks_after.get(row.group.pk)
    months = plan.months_covered

    social_worker_ids = {person.person_id for person in people if person.is_social_worker}
    in_a1 = {member.person_id for row in rows if row.kind == GroupKind.A1 for member in row.members}
    planned_equipes = {row.group.equipe_id for row in rows if row.kind == GroupKind.A3}
    equipes = census_equipes_of(censuses)
    unplanned_equipes = [equipe for equipe in equipes if equipe.pk not in planned_equipes]
    unplanned = tuple(f"{e.name} ({e.ambito.name})" for e in unplanned_equipes)
    found = _shortfalls(
        rows,
        months=months,
        rules=rules,
        social_workers=len(social_worker_ids),
        social_workers_in_groups=len(social_worker_ids & in_a1),
        unplanned=unplanned,
        equipes=len(equipes),
    )
    minimums, hours = _hours_per_type(rows, len(unplanned), months, rules)

    quotas = allocations_for([ambito.pk for ambito in ambiti], plan.year)
    costs = _costs(plan, rows, quotas)
    warnings = _staff_warnings(ambiti, people, equipes) + _warnings(rows, costs, censuses)
    used_contracts = [row.group.contract for row in rows if row.kind == GroupKind.A1 and row.group.contract is not None]
    rates = reference_rates(owner, plan.year, _with_lines(used_contracts)) if quotas else None
    outside = [person for person in people if person.person_id in social_worker_ids - in_a1]
    what_ifs = _what_ifs(quotas, rates, len(outside), months, rules)
    versions = list(Plan.objects.filter(owner_q(owner), year=plan.year).order_by("version"))
    return PlanPage(
        plan=plan,
        rules=rules,
        ambiti=ambiti,
        censuses=censuses,
        people=people,
        rows=rows,
        minimums=minimums,
        hours=hours,
        shortfalls=found,
        problems=[problem for row in rows for problem in [*row.declaration_problems, row.payer_problem] if problem],
        warnings=warnings,
        costs=costs,
        versions=versions,
        quotas=quotas,
        rates=rates,
        what_ifs=what_ifs,
        social_workers_outside=outside,
        unplanned_equipes=unplanned_equipes,
    )


def _group_rows(plan: Plan, groups: list[PlanGroup], rules: LepsRules) -> list[GroupRow]:
    """A row per group: LEPS minimums, the contract's rates, A2 hours moved, its supervisor checked."""
    supervisors = {
        s.pk: s
        for s in with_qualifications(
            Supervisor.objects.filter(pk__in={g.supervisor_id for g in groups if g.supervisor_id})
        ).select_related("provider", "albo_region")
    }
    declarations = {
        d.pk: d
        for d in with_document_flag(
            Declaration.objects.filter(pk__in={g.declaration_id for g in groups if g.declaration_id})
        )
    }
    contract_ids = {g.contract_id for g in groups if g.contract_id}
    lines: dict[tuple[int, str], Decimal] = {
        (line.contract_id, line.kind): line.hourly_rate
        for line in ContractLine.objects.filter(contract_id__in=contract_ids)
    }
    transfers = list(A2Transfer.objects.filter(Q(source__plan=plan) | Q(target__plan=plan)))
    moved_in: dict[int, Decimal] = defaultdict(Decimal)
    moved_out: dict[int, Decimal] = defaultdict(Decimal)
    for transfer in transfers:
        moved_in[transfer.target_id] += transfer.hours
        moved_out[transfer.source_id] += transfer.hours

    months = plan.months_covered
    rows: list[GroupRow] = []
    for group in groups:
        supervisor = supervisors.get(group.supervisor_id) if group.supervisor_id else None
        if supervisor is not None:
            group.supervisor = supervisor
        declaration = declarations.get(group.declaration_id) if group.declaration_id else None
        result, problems = _check_supervisor(plan, group, supervisor, declaration, rules)
        rows.append(
            GroupRow(
                group=group,
                members=list(group.memberships.all()),
                minimum=minimum_hours(group.supervision_type, months, rules),
                a2_minimum=minimum_hours(SupervisionType.A2, months, rules) if group.kind == GroupKind.A1 else ZERO,
                rate=lines.get((group.contract_id, group.kind)) if group.contract_id else None,
                a2_rate=lines.get((group.contract_id, "A2")) if group.contract_id else None,
                eligibility=result,
                declaration_problems=problems,
                moved_in=moved_in[group.pk],
                moved_out=moved_out[group.pk],
            )
        )
        row = rows[-1]
        hours = group.planned_hours + group.a2_pool_hours
        row.sources = source_parts(plan, group.funding, group.funding_after, hours, row.total_cost or ZERO)
    return rows


def _check_supervisor(
    plan: Plan,
    group: PlanGroup,
    supervisor: Supervisor | None,
    declaration: Declaration | None,
    rules: LepsRules,
) -> tuple[Eligibility | None, list[str]]:
    """The supervisor's eligibility for the group, and what is wrong with them or their declaration."""
    if supervisor is None:
        return None, []
    result = eligibility(
        supervisor.profile(has_training=bool(getattr(supervisor, "has_training", False))),
        group.supervision_type,
        group.group_profession,
        rules,
    )
    problems: list[str] = []
    if not supervisor.active:
        problems.append(f"{group.name}: il supervisore assegnato non è più attivo.")
    problems += [f"{group.name}: {text}" for text in declaration_problems(supervisor, declaration, on=plan.ends_on)]
    return result, problems


def _shortfalls(
    rows: list[GroupRow],
    *,
    months: int,
    rules: LepsRules,
    social_workers: int,
    social_workers_in_groups: int,
    unplanned: tuple[str, ...],
    equipes: int,
) -> list[Shortfall[int]]:
    """What the plan lacks for the LEPS (``leps.shortfalls``), each group's own also on its row."""
    found = shortfalls(
        PlanInput(
            groups=tuple(
                GroupPlan(
                    key=row.group.pk,
                    name=row.group.name,
                    kind=row.group.supervision_type,
                    members=row.member_count,
                    planned_hours=row.group.planned_hours,
                    supervisor_eligible=None if row.eligibility is None else row.eligibility.eligible,
                    a2_pool_hours=row.group.a2_pool_hours,
                )
                for row in rows
            ),
            months_covered=months,
            social_workers_in_scope=social_workers,
            social_workers_in_groups=social_workers_in_groups,
            equipes_without_group=unplanned,
            staff_counted=True,
            equipes_in_scope=equipes,
        ),
        rules,
    )
    by_group: dict[int, list[str]] = defaultdict(list)
    for item in found:
        if item.group_key is not None:
            by_group[item.group_key].append(describe(item))
    for row in rows:
        row.shortfalls = by_group[row.group.pk]
    return found


def _hours_per_type(
    rows: list[GroupRow], unplanned_equipes: int, months: int, rules: LepsRules
) -> tuple[Minimums, dict[str, TypeHours]]:
    """The plan's LEPS minimums (an équipe without a group still counts) and its hours, per type."""
    a1_rows = [row for row in rows if row.kind == GroupKind.A1]
    a3_rows = [row for row in rows if row.kind == GroupKind.A3]
    minimums = plan_minimums(len(a1_rows), len(a3_rows) + unplanned_equipes, months, rules)
    hours = {
        "A1": TypeHours(minimums.a1_hours, sum((row.group.planned_hours for row in a1_rows), ZERO)),
        "A2": TypeHours(minimums.a2_pool_hours, sum((row.group.a2_pool_hours for row in a1_rows), ZERO)),
        "A3": TypeHours(minimums.a3_hours, sum((row.group.planned_hours for row in a3_rows), ZERO)),
        "extra": TypeHours(ZERO, sum((row.group.planned_hours for row in rows if row.kind == GroupKind.EXTRA), ZERO)),
    }
    return minimums, hours


def _with_lines(contracts: list[Contract]) -> list[Contract]:
    """The most used contract first, its lines loaded (one query)."""
    if not contracts:
        return []
    most = Counter(contract.pk for contract in contracts).most_common(1)[0][0]
    return list(Contract.objects.filter(pk=most).prefetch_related("lines"))


def _what_ifs(
    quotas: list[AllocationFigure], rates: Rates | None, waiting: int, months: int, rules: LepsRules
) -> list[QuotaWhatIf]:
    """What each allocation adds in a year (one of several years: amount / years), then all of them together
    (their whole amounts, as if spent in one year)."""
    if rates is None:
        return []
    found = [
        QuotaWhatIf(
            _what_if_label(quota),
            quota,
            quota.per_year,
            cofinancing(quota.per_year, rates.a1, rates.a2, waiting, months, rules),
        )
        for quota in quotas
    ]
    if len(quotas) > 1:
        total = sum((quota.amount for quota in quotas), ZERO)
        found.append(
            QuotaWhatIf(
                "Tutte le quote insieme", None, total, cofinancing(total, rates.a1, rates.a2, waiting, months, rules)
            )
        )
    return found


def _what_if_label(quota: AllocationFigure) -> str:
    """``Ambito di Casarano, FNPS 2023-2024, per anno (29.297,33 € in 2 anni)``."""
    if quota.years == 1:
        return quota.label
    return f"{quota.label}, per anno ({euro_text(quota.amount)} in {quota.years} anni)"


def _costs(plan: Plan, rows: list[GroupRow], quotas: list[AllocationFigure]) -> list[CostLine]:
    lines: dict[str, CostLine] = {}
    fundings = {row.group.funding_id: row.group.funding for row in rows if row.group.funding is not None}
    for row in rows:
        # A PNRR project pays up to the end of its activities, the group's row "after" for the rest of the plan.
        first, *after = row.sources
        key, label = funding_key(first.funding)
        line = lines.setdefault(key, CostLine(key, label))
        line.hours += first.hours
        line.planned += first.cost
        _add_payers(line, row.payer, first.cost if row.total_cost is not None else None)
        for part in after:
            key, label = funding_key(part.funding)
            line = lines.setdefault(key, CostLine(key, label))
            line.hours += part.hours
            line.planned += part.cost
            _add_payers(line, row.payer_after, part.cost)
    # Funds: every funding row of the plan's contracts with the same source.
    contract_ids = {row.group.contract_id for row in rows if row.group.contract_id}
    all_fundings = list(ContractFunding.objects.filter(contract_id__in=contract_ids).select_related("contract"))
    for funding in all_fundings:
        key, _label = funding_key(funding)
        if key in lines:
            line = lines[key]
            line.funds = (line.funds or ZERO) + funding.amount
    # The same funding rows in the approved plans of other years, split at a PNRR project's end as this plan's are.
    funding_ids = {funding.pk for funding in all_fundings} | set(fundings)
    others = list(
        PlanGroup.objects.filter(
            Q(funding_id__in=funding_ids) | Q(funding_after_id__in=funding_ids), plan__status=PlanStatus.APPROVED
        )
        .exclude(plan__year=plan.year)
        .select_related("plan", "funding", "funding__contract", "funding_after", "funding_after__contract")
    )
    other_rates = {
        (line.contract_id, line.kind): line.hourly_rate
        for line in ContractLine.objects.filter(contract_id__in={group.contract_id for group in others})
    }
    for group in others:
        if group.contract_id is None:
            continue
        rate = other_rates.get((group.contract_id, group.kind))
        a2_rate = other_rates.get((group.contract_id, "A2"))
        cost = hours_cost(group.planned_hours, rate) if rate is not None else ZERO
        if group.a2_pool_hours and a2_rate is not None:
            cost += hours_cost(group.a2_pool_hours, a2_rate)
        for part in source_parts(group.plan, group.funding, group.funding_after, group.planned_hours, cost):
            key, _label = funding_key(part.funding)
            if key in lines:
                lines[key].other_plans += part.cost
    for quota in quotas:
        name = quota.ambito_name if quota.years == 1 else f"{quota.ambito_name} (FNPS {quota.years_text})"
        for year in quota.fnps_years:
            if f"fnps:{year}" in lines:
                lines[f"fnps:{year}"].fnps_quotas.append((name, quota.amount))
    return sorted(lines.values(), key=lambda line: (line.key == "none", line.key))


def _add_payers(line: CostLine, payer: FundingCheck | None, cost: Decimal | None) -> None:
    """An FNPS group's cost goes to the ATS whose row pays, or is shared by the agreement's quotas."""
    if payer is None or cost is None:
        return
    agreement = payer.agreement
    if payer.shared and agreement is not None:
        shared = line.shared_costs.get(agreement.pk)
        line.shared_costs[agreement.pk] = (payer, cost + (shared[1] if shared else ZERO))
        text = f"{agreement} ({agreement.period_text})"
        if text not in line.agreements:
            line.agreements.append(text)
        return
    for name, part in payer.cost_by_ats(cost):
        line.own_costs[name] = line.own_costs.get(name, ZERO) + part


def _staff_warnings(ambiti: list[Ambito], people: list[ScopePerson], equipes: list[Equipe]) -> list[str]:
    """Each ATS of the plan whose censuses hold no social worker, or no équipe, by name: it is not left out in
    silence (the plan as a whole is blocked only when none has any, ``leps.shortfalls``)."""
    with_social_workers = {person.ambito_id for person in people if person.is_social_worker}
    with_equipes = {equipe.ambito_id for equipe in equipes}
    found = [
        f"{ambito.name}: nessun assistente sociale nei censimenti del piano, i suoi operatori restano fuori dalla "
        "supervisione. Verifica il censimento dell'ATS."
        for ambito in ambiti
        if ambito.pk not in with_social_workers
    ]
    found += [
        f"{ambito.name}: nessuna équipe multiprofessionale nei censimenti del piano, l'ATS non ha supervisione A3."
        for ambito in ambiti
        if ambito.pk not in with_equipes
    ]
    return found


def _warnings(rows: list[GroupRow], costs: list[CostLine], censuses: list[Census]) -> list[str]:
    warnings = [
        f"Il censimento di {census.ambito.name} usato dal piano è «{census.get_status_display().lower()}», "
        "non ancora validato."
        for census in censuses
        if census.status != CensusStatus.VALIDATED
    ]
    for row in rows:
        group = row.group
        if group.contract_id is None:
            warnings.append(f"{group.name}: nessun contratto indicato, il costo delle ore non è calcolabile.")
            continue
        if row.rate is None:
            warnings.append(f"{group.name}: il contratto non ha una tariffa per {group.get_kind_display()}.")
        if group.kind == GroupKind.A1 and group.a2_pool_hours and row.a2_rate is None:
            warnings.append(f"{group.name}: il contratto non ha una tariffa per la supervisione individuale (A2).")
        if group.funding_id is None:
            warnings.append(f"{group.name}: nessuna fonte di finanziamento indicata per le ore.")
    warnings.extend(
        f"{line.label}: il costo pianificato supera i fondi disponibili di {euro_text(abs(line.residual or ZERO))}."
        for line in costs
        if line.over_budget
    )
    return warnings

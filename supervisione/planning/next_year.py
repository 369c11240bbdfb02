"""Preparing next year's POA from this year's plan: "Prepara il POA <anno>".

``outlook`` reads what the next year would start from, ATS by ATS (the last validated census, the FNPS
allocation of that year against the ATS's own LEPS minimum at this year's rates) and flags what keeps it below
the LEPS: no census, no social worker, no équipe (A3 cannot be met), an ATS that has left the partnership.
``prepare_next_year`` writes the draft: ``actions.create_plan`` builds the groups from the censuses, then each
group takes the supervisor and the contract of this year's matching group (the same équipe for A3, the most
members in common for A1, the same name for extra-LEPS) when the contract still runs next year. What it carries is
checked against the rules, as the coordinator would check it by hand: the group goes on a next year's FNPS row of
the contract that the rule of who pays allows for its members (``leps.fnps``: a quota pays for another ATS's
staff only under an agreement with shares), the members' own ATS's row first; a supervisor no longer active is not
carried, nor a declaration that does not cover next year. What it cannot settle (no row may pay, no FNPS row of
the year, a declaration to renew) it leaves empty and says in ``Prepared.warnings``, never charging a quota for
another ATS's staff or next year's groups to this year's (or the ended PNRR's) row.

The groups are not linked by ``copied_from``: that link joins the versions of one year's plan, and the hours
used of a group are added up along it (``sessions.usage``); next year's groups start from zero.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from supervisione.accounts.models import User
from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.census.models import Census, CensusStatus
from supervisione.leps.cofinancing import QuotaCover, describe_quota_cover, quota_against_minimum
from supervisione.leps.fnps import PayerVerdict
from supervisione.leps.minimums import a1_group_count
from supervisione.leps.parameters import rules_at
from supervisione.lib.italian import counted
from supervisione.planning import actions
from supervisione.planning.fnps_allocations import allocations_for
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember
from supervisione.planning.queries import (
    Owner,
    census_equipes_of,
    contracts_for_plan,
    owner_ambiti,
    owner_q,
    plan_censuses,
    scope_people,
)
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.procurement.payers import FundingCheck, Payers
from supervisione.territory.models import Ambito, FundingMeasure, PartnershipMember

# The rates of next year's comparison: this year's contract lines by kind.
Rates = dict[str, Decimal]


@dataclass
class AtsOutlook:
    ambito: Ambito
    census: Census | None
    social_workers: int = 0
    equipes: int = 0
    quota: Decimal | None = None  # the FNPS allocation's share of the year, if one is recorded
    quota_label: str = ""
    cover: QuotaCover | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def a1_groups(self) -> int:
        return a1_group_count(self.social_workers)

    @property
    def cover_text(self) -> str:
        return describe_quota_cover(self.cover) if self.cover else ""


@dataclass
class Outlook:
    plan: Plan  # this year's
    year: int  # the next
    ats: list[AtsOutlook]
    left: list[str]  # the ATS that have left the partnership, in words
    existing: Plan | None  # next year's plan if there is one already
    rates: Rates

    @property
    def censuses(self) -> list[Census]:
        return [row.census for row in self.ats if row.census is not None]

    @property
    def blocking(self) -> list[str]:
        problems = []
        if self.existing is not None:
            problems.append(f"Il POA {self.year} esiste già (versione {self.existing.version}): continua da quello.")
        if not self.censuses:
            problems.append(
                f"Nessun ATS ha un censimento: il POA {self.year} si prepara dopo aver compilato il censimento."
            )
        return problems


def _ambiti_in_force(owner: Owner, day: datetime.date) -> tuple[list[Ambito], list[str]]:
    if isinstance(owner, Ambito):
        return [owner], []
    memberships = PartnershipMember.objects.filter(partnership=owner).select_related("ambito")
    in_force = set(memberships.in_force(day).values_list("ambito_id", flat=True))
    ambiti = [ambito for ambito in owner_ambiti(owner) if ambito.pk in in_force]
    left = [
        f"L'ATS {m.ambito.name} è uscito dal partenariato il {m.left_on:%d/%m/%Y}: il POA {day.year} non lo "
        "comprende e va preparato da solo."
        for m in memberships.order_by("ambito__name")
        if m.ambito_id not in in_force and m.left_on is not None
    ]
    return ambiti, left


def _rates(plan: Plan) -> Rates:
    """The hourly rate of each kind in the contracts of this year's groups (the first found)."""
    rates: Rates = {}
    contracts = Contract.objects.filter(plan_groups__plan=plan).distinct().prefetch_related("lines").order_by("pk")
    for contract in contracts:
        for line in contract.lines.all():
            rates.setdefault(line.kind, line.hourly_rate)
    return rates


def outlook(plan: Plan) -> Outlook:
    year = plan.year + 1
    owner: Owner = plan.tenant
    ambiti, left = _ambiti_in_force(owner, datetime.date(year, 1, 1))
    chosen = {census.ambito_id: census for census in plan_censuses(owner)}
    people = scope_people(list(chosen.values()))
    equipes = census_equipes_of(list(chosen.values()))
    rates = _rates(plan)
    allocations = {a.ambito_name: a for a in allocations_for([a.pk for a in ambiti], year) if year in a.fnps_years}
    rules = rules_at(datetime.date(year, 1, 1))
    rows = []
    for ambito in ambiti:
        census = chosen.get(ambito.pk)
        row = AtsOutlook(ambito=ambito, census=census)
        rows.append(row)
        if census is None:
            row.flags.append(
                f"L'ATS {ambito.name} non ha un censimento: il POA {year} non ha gruppi per il suo personale."
            )
            continue
        if census.status != CensusStatus.VALIDATED:
            row.flags.append(
                f"Il censimento dell'ATS {ambito.name} non è ancora validato: il POA {year} parte da quello "
                f"{census.get_status_display()}."
            )
        row.social_workers = sum(1 for p in people if p.ambito_id == ambito.pk and p.is_social_worker)
        row.equipes = sum(1 for e in equipes if e.ambito_id == ambito.pk)
        if not row.social_workers:
            row.flags.append(
                f"L'ATS {ambito.name} non ha assistenti sociali nel censimento: nessun gruppo A1 né monte ore A2."
            )
        if not row.equipes:
            row.flags.append(
                f"Il censimento dell'ATS {ambito.name} non ha équipe: la supervisione A3 non si può soddisfare "
                "finché non se ne registra una."
            )
        allocation = allocations.get(ambito.name)
        if allocation is None:
            row.flags.append(f"Nessuna quota FNPS {year} registrata per l'ATS {ambito.name}.")
            continue
        row.quota, row.quota_label = allocation.per_year, allocation.label
        if all(kind in rates for kind in ("A1", "A2", "A3")):
            row.cover = quota_against_minimum(
                allocation.per_year, row.a1_groups, row.equipes, rates["A1"], rates["A2"], rates["A3"], rules=rules
            )
        else:
            row.flags.append(
                f"Le tariffe A1, A2 e A3 dei contratti del POA {plan.year} non sono tutte note: il confronto della "
                f"quota con il minimo dell'ATS {ambito.name} non si può fare."
            )
    existing = Plan.objects.filter(owner_q(owner), year=year).order_by("-version").first()
    return Outlook(plan=plan, year=year, ats=rows, left=left, existing=existing, rates=rates)


# --- Writing the draft -------------------------------------------------------------------------------------


@dataclass
class Prepared:
    """The draft and what the builder left for the coordinator to settle, in words (the flash messages and the
    audit entry say the same)."""

    plan: Plan
    carried: int = 0  # groups that took this year's supervisor (and contract, when it runs next year)
    warnings: list[str] = field(default_factory=list)


class _Draft:
    """The choices the builder makes for each group of the draft, checked against the rules: the FNPS row of next
    year that may pay for the group's members (``leps.fnps`` through ``procurement.payers``), a supervisor still
    active, a declaration still valid at the end of the year."""

    def __init__(self, draft: Plan, running: dict[int, Contract], year: int) -> None:
        self.draft = draft
        self.running = running
        self.year = year
        partnerships = {c.partnership_id for c in running.values() if c.partnership_id}
        if draft.partnership_id:
            partnerships.add(draft.partnership_id)
        self.payers = Payers(partnerships)
        self.prepared = Prepared(draft)

    def warn(self, group: PlanGroup, text: str) -> None:
        self.prepared.warnings.append(f"{group.name}: {text}")

    def fnps_row(
        self, group: PlanGroup, contract: Contract, previous: ContractFunding | None
    ) -> ContractFunding | None:
        """The contract's FNPS row of next year that may pay for the group: the row of the members' own ATS first,
        then the row of the ATS that paid this year, then the ATS with most members. None, and a warning, when the
        contract has no FNPS row of the year or the rule refuses every one (a quota pays for another ATS's staff
        only under an agreement with shares)."""
        rows = [r for r in contract.fundings.all() if r.measure == FundingMeasure.FNPS and r.year == self.year]
        if not rows:
            self.warn(
                group,
                f"il contratto «{contract.title}» non ha una quota FNPS {self.year}: il gruppo resta senza fonte di "
                f"finanziamento finché la quota FNPS {self.year} non è aggiunta al contratto.",
            )
            return None
        people = Counter(m.ambito_id for m in group.memberships.all())
        checks = [self.payers.check(row, people, self.draft.starts_on, self.draft.ends_on) for row in rows]
        allowed = [check for check in checks if check.allowed]
        if not allowed:
            self.warn(
                group,
                f"nessuna quota FNPS {self.year} del contratto può pagarne la supervisione, il gruppo resta senza "
                f"fonte di finanziamento. {checks[0].message}",
            )
            return None
        paid_before = previous.ambito_id if previous is not None and previous.measure == FundingMeasure.FNPS else None

        def rank(check: FundingCheck) -> tuple[bool, bool, int]:
            payer = check.funding.ambito_id
            own = check.check is not None and check.check.verdict is PayerVerdict.OWN_STAFF and bool(people)
            return (not own, payer != paid_before, -people.get(payer or 0, 0))

        return min(allowed, key=rank).funding  # min is stable: a tie keeps the contract's order

    def carry(self, group: PlanGroup, old: PlanGroup) -> int:
        """This year's supervisor, declaration, contract and FNPS row onto next year's group, where they still
        hold."""
        fields = ["supervisor", "declaration"]
        supervisor = old.supervisor
        if supervisor is not None and not supervisor.active:
            self.warn(group, f"il supervisore {supervisor} non è più attivo: il gruppo è senza supervisore.")
            supervisor = None
        group.supervisor = supervisor
        group.declaration = None
        if supervisor is not None:
            declaration = old.declaration
            if declaration is not None and declaration.is_valid_on(self.draft.ends_on):
                group.declaration = declaration
            else:
                self.warn(
                    group,
                    f"la dichiarazione di assenza di conflitti di {supervisor} non copre il {self.year}: raccogline "
                    "una nuova prima di trasmettere il POA.",
                )
        contract = self.running.get(old.contract_id) if old.contract_id else None
        if contract is not None:
            group.contract = contract
            fields.append("contract")
        elif old.contract_id:
            self.warn(group, f"il contratto del POA {self.draft.year - 1} non prosegue nel {self.year}.")
        if group.contract_id in self.running:
            group.funding = self.fnps_row(group, self.running[group.contract_id], old.funding)
            fields.append("funding")
        group.save(update_fields=fields)
        return 1

    def fund_new(self, group: PlanGroup) -> None:
        """A group new next year keeps the contract the builder chose, on the FNPS row that may pay for it."""
        if group.contract_id in self.running:
            group.funding = self.fnps_row(group, self.running[group.contract_id], None)
            group.save(update_fields=["funding"])


def _match(group: PlanGroup, members: set[int], previous: list[tuple[PlanGroup, set[int]]]) -> PlanGroup | None:
    same_kind = [(old, people) for old, people in previous if old.kind == group.kind]
    if group.kind == GroupKind.A3:
        return next((old for old, _ in same_kind if old.equipe_id == group.equipe_id), None)
    best = max(same_kind, key=lambda pair: len(pair[1] & members), default=None)
    if best is None or not best[1] & members:
        return None
    return best[0]


def prepare_next_year(plan: Plan, *, by: User | None) -> Prepared:
    """Next year's draft POA of the same owner, from the censuses and this year's plan, and what is left to settle;
    ``PlanError`` (in Italian) if it cannot be prepared, and then nothing is written."""
    view = outlook(plan)
    if view.blocking:
        raise actions.PlanError(view.blocking[0])
    with transaction.atomic():
        draft = actions.create_plan(
            plan.tenant,
            view.year,
            by=by,
            censuses=view.censuses,
            notes=f"Preparato dal POA {plan.year} (versione {plan.version}).",
        )
        running = {c.pk: c for c in contracts_for_plan(draft.tenant, view.year)}
        builder = _Draft(draft, running, view.year)
        old_groups = PlanGroup.objects.filter(plan=plan).select_related("supervisor", "declaration", "funding")
        previous = [
            (old, {m.person_id for m in old.memberships.all()})
            for old in old_groups.prefetch_related("memberships").order_by("kind", "name", "pk")
        ]
        carried = 0
        for group in PlanGroup.objects.filter(plan=draft).prefetch_related("memberships").order_by("kind", "name"):
            old = _match(group, {m.person_id for m in group.memberships.all()}, previous)
            if old is not None:
                carried += builder.carry(group, old)
            else:
                builder.fund_new(group)
        carried += _carry_extra(builder, plan)
        builder.prepared.carried = carried
        message = f"Supervisori e contratti ripresi dal POA {plan.year} per {counted(carried, 'gruppo', 'gruppi')}"
        if builder.prepared.warnings:
            message += ". Da sistemare: " + " ".join(builder.prepared.warnings)
        record(
            draft, by=by, action=AuditAction.ACTION, message=message, code="planning.plan.prepared_from_previous_year"
        )
    return builder.prepared


def _carry_extra(builder: _Draft, plan: Plan) -> int:
    """This year's extra-LEPS groups, with those of their members still in the censuses."""
    draft = builder.draft
    in_census = {p.person_id: p.ambito_id for p in scope_people(list(draft.censuses.all()))}
    carried = 0
    extras = PlanGroup.objects.filter(plan=plan, kind=GroupKind.EXTRA).select_related(
        "supervisor", "declaration", "funding"
    )
    for old in extras.prefetch_related("memberships").order_by("name", "pk"):
        group = PlanGroup.objects.create(
            plan=draft,
            kind=GroupKind.EXTRA,
            name=old.name,
            profession=old.profession,
            planned_hours=old.planned_hours,
            note=old.note,
        )
        PlanMember.objects.bulk_create(
            PlanMember(
                group=group, plan=draft, kind=group.kind, person_id=m.person_id, ambito_id=in_census[m.person_id]
            )
            for m in old.memberships.all()
            if m.person_id in in_census
        )
        group = PlanGroup.objects.prefetch_related("memberships").get(pk=group.pk)
        carried += builder.carry(group, old)
    return carried

"""Demo annual plans (POA) (PRODUCT.md section 6).

- Poggiardo-Maglie-Casarano: one POA a year from 2025 (``demo/present.py``) for the 56 AS of the census (4 A1
  groups of 14 with their A2 pools, the 3 équipes), at the hours the co-design proposal bought (24 h per A1
  group, 12 h per équipe each year), with Chiara Longo for A1 and Davide Russo for the équipes. The plans of
  past years are approved (2025 from February, when the Raggio di Sole convention started); the current
  year's plan is a draft with two shortfalls (group 4 still without a supervisor, the équipe of Maglie below
  the 6 hours of A3) due within ten days.
- The next year's POA is in preparation on FNPS, whatever the day: built by the real builder
  (``planning.next_year.prepare_next_year``, what the coordinator's "Prepara il POA" does) from the current year's
  plan and the census, so its groups are at the LEPS minimum, keep this year's supervisors and declarations (group
  4 is still waiting for one) and are charged to the convention's FNPS row of that year, which the convention
  among the three ATS shares by its quotas. Built once: a later load leaves it as the coordinator may have changed
  it; when its year comes, it becomes the current year's draft above.
- The FNPS allocations of the ATS (Casarano's 2022 and 2023-2024 among them) and their ledgers are
  ``demo/funding.py``'s.
- Each Puglia ATS's filing of its POA on Multifondo, 2023 to the present (``demo/multifondo.py``).

The groups are split with the same rule the plan builder uses (``rules.suggest_groups``). Submission and
approval dates, the approval act and the move of A2 hours are illustrative.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from supervisione.accounts.models import User
from supervisione.census.models import Person
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.multifondo import load_filings
from supervisione.demo.present import FIRST_YEAR, PNRR_END, Present
from supervisione.leps.minimums import suggest_groups
from supervisione.planning.models import A2Transfer, GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.next_year import prepare_next_year
from supervisione.planning.queries import census_equipes_of, plan_censuses, scope_people
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.supervisors.models import Declaration, Supervisor
from supervisione.territory.models import FundingMeasure, Partnership

ROME = ZoneInfo("Europe/Rome")
A1_HOURS = Decimal(24)  # the co-design proposal: 4 groups x 24 h a year
A2_POOL = Decimal(15)
A3_HOURS = Decimal(12)  # 3 équipes x 12 h a year
ILLUSTRATIVE = "Date di trasmissione e approvazione e atto di approvazione sono illustrativi."


def load_planning(counter: Counter, present: Present) -> None:
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    coordinator = User.objects.filter(username="coordinatore.poggiardo").first()
    _link_supervisee(counter)
    contract = Contract.objects.get(partnership=poggiardo, provider__name="Raggio di Sole Onlus")
    fundings = {f.year if f.measure == FundingMeasure.FNPS else None: f for f in contract.fundings.order_by("pk")}
    longo = Supervisor.objects.get(partnership=poggiardo, surname="Longo")
    russo = Supervisor.objects.get(partnership=poggiardo, surname="Russo")
    assignments: dict[str, tuple[Supervisor, Declaration | None]] = {
        GroupKind.A1: (longo, Declaration.objects.filter(supervisor=longo).order_by("-signed_on").first()),
        GroupKind.A3: (russo, Declaration.objects.filter(supervisor=russo).order_by("-signed_on").first()),
    }
    groups_by_year: dict[int, dict[str, PlanGroup]] = {}
    for year in present.plan_years:
        if year == present.next_year and _prepare_next_year(poggiardo, present, coordinator, counter):
            continue
        # The plan's groups are charged to the PNRR project up to 2026, to the year's FNPS quota afterwards
        # (the sessions of 2026 after 30/06 to the FNPS quota of 2026).
        funding = fundings[None] if year <= PNRR_END.year else fundings.get(year, fundings[None])
        if present.plan_is_approved(year):
            plan = _approved_plan(poggiardo, year, present, coordinator, counter)
            groups_by_year[year] = _load_groups(plan, contract, funding, assignments, counter)
        else:
            plan = ensure(
                Plan,
                {"partnership": poggiardo, "year": year, "version": 1},
                {
                    "status": PlanStatus.DRAFT,
                    "first_month": present.first_month(year),
                    "last_month": 12,
                    "deadline": present.draft_deadline(year),
                    "submitted_at": None,
                    "submitted_by": None,
                    "approved_at": None,
                    "approved_by": None,
                    "approval_act": "",
                    "notes": "Bozza: manca il supervisore del gruppo 4 e le ore dell'équipe di Maglie sono sotto il "
                    "minimo. Termine di trasmissione fissato dal Coordinamento Istituzionale (illustrativo).",
                    "created_by": coordinator,
                },
                counter=counter,
            )
            _load_groups(plan, contract, funding, assignments, counter, unassigned=UNASSIGNED, hours=REDUCED)
    if FIRST_YEAR in groups_by_year:
        _load_transfer(groups_by_year[FIRST_YEAR], coordinator, counter)
    load_filings(counter, present)


def _prepare_next_year(partnership: Partnership, present: Present, by: User | None, counter: Counter) -> bool:
    """The next year's POA prepared from the current year's, unless it is already there (True either way); False
    when there is no current plan to prepare it from (a demo loaded before the convention's first year)."""
    plans = Plan.objects.filter(partnership=partnership)
    if plans.filter(year=present.next_year).exists():
        return True
    current = plans.filter(year=present.year).exclude(status=PlanStatus.SUPERSEDED).order_by("-version").first()
    if current is None:
        return False
    prepared = prepare_next_year(current, by=by)
    counter.created += 1 + prepared.plan.groups.count()
    return True


UNASSIGNED = {
    "Gruppo A1 n. 4": "In attesa di un secondo supervisore: Anna Perrone, appena l'iscrizione all'Albo sarà verificata."
}
REDUCED = {
    "PUG_MAGLIE": (
        Decimal(4),
        "Ore ridotte durante il trasferimento di sede dell'équipe: da riportare ad almeno 6.",
    )
}


def _approved_plan(
    partnership: Partnership, year: int, present: Present, coordinator: User | None, counter: Counter
) -> Plan:
    """A past year's plan, approved by the Coordinamento Istituzionale at the end of March."""
    first = year == FIRST_YEAR
    return ensure(
        Plan,
        {"partnership": partnership, "year": year, "version": 1},
        {
            "status": PlanStatus.APPROVED,
            "first_month": present.first_month(year),
            "last_month": 12,
            "deadline": datetime.date(year, 3, 31),
            "submitted_at": datetime.datetime(year, 3, 20, 11, 0, tzinfo=ROME),
            "submitted_by": coordinator,
            "approved_at": datetime.datetime(year, 3, 27, 16, 0, tzinfo=ROME),
            "approved_by": coordinator,
            "approval_act": f"Delibera del Coordinamento Istituzionale n. 2 del 27/03/{year}",
            "notes": ("Da febbraio, inizio della convenzione con Raggio di Sole Onlus. " if first else "")
            + ILLUSTRATIVE,
            "created_by": coordinator,
        },
        counter=counter,
    )


def _link_supervisee(counter: Counter) -> None:
    """The demo supervisee (operatore.demo) is Marco De Santis of the Casarano census."""
    user = User.objects.filter(username="operatore.demo").first()
    person = Person.objects.filter(surname="De Santis", name="Marco").first()
    if user is not None and person is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
        counter.updated += 1


def _load_groups(
    plan: Plan,
    contract: Contract,
    funding: ContractFunding,
    assignments: dict[str, tuple[Supervisor, Declaration | None]],
    counter: Counter,
    *,
    unassigned: dict[str, str] | None = None,
    hours: dict[str, tuple[Decimal, str]] | None = None,
) -> dict[str, PlanGroup]:
    unassigned = unassigned or {}
    hours = hours or {}
    censuses = plan_censuses(plan.tenant)
    if {c.pk for c in plan.censuses.all()} != {c.pk for c in censuses}:
        plan.censuses.set(censuses)
        counter.updated += 1
    people = scope_people(censuses)
    by_id = {person.person_id: person for person in people}
    groups: dict[str, PlanGroup] = {}
    split = suggest_groups([(p.person_id, p.ambito_name) for p in people if p.is_social_worker])
    for number, keys in enumerate(split, start=1):
        name = f"Gruppo A1 n. {number}"
        supervisor, declaration = assignments[GroupKind.A1]
        missing = name in unassigned
        group = ensure(
            PlanGroup,
            {"plan": plan, "name": name},
            {
                "kind": GroupKind.A1,
                "planned_hours": A1_HOURS,
                "a2_pool_hours": A2_POOL,
                "supervisor": None if missing else supervisor,
                "declaration": None if missing else declaration,
                "contract": contract,
                "funding": funding,
                "note": unassigned.get(name, ""),
            },
            counter=counter,
        )
        _sync_members(group, {key: by_id[key].ambito_id for key in keys}, counter)
        groups[name] = group
    for equipe in census_equipes_of(censuses):
        name = f"{equipe.name} ({equipe.ambito.name})"
        planned, note = hours.get(equipe.ambito.code, (A3_HOURS, ""))
        supervisor, declaration = assignments[GroupKind.A3]
        group = ensure(
            PlanGroup,
            {"plan": plan, "name": name},
            {
                "kind": GroupKind.A3,
                "equipe": equipe,
                "planned_hours": planned,
                "supervisor": supervisor,
                "declaration": declaration,
                "contract": contract,
                "funding": funding,
                "note": note,
            },
            counter=counter,
        )
        _sync_members(group, {p.person_id: p.ambito_id for p in people if equipe.pk in p.equipe_ids}, counter)
        groups[equipe.ambito.code] = group
    return groups


def _sync_members(group: PlanGroup, wanted: dict[int, int], counter: Counter) -> None:
    current = set(PlanMember.objects.filter(group=group).values_list("person_id", flat=True))
    if current == set(wanted):
        return
    PlanMember.objects.filter(group=group).exclude(person_id__in=wanted).delete()
    PlanMember.objects.bulk_create(
        PlanMember(group=group, plan=group.plan, kind=group.kind, person_id=pk, ambito_id=ambito_id)
        for pk, ambito_id in wanted.items()
        if pk not in current
    )
    counter.updated += 1


def _load_transfer(groups: dict[str, PlanGroup], by: User | None, counter: Counter) -> None:
    """At the end of 2025 three unused A2 hours of group 1 went to the équipe of Casarano."""
    source, target = groups.get("Gruppo A1 n. 1"), groups.get("PUG_CASARANO")
    if source is None or target is None:
        return
    transfer = ensure(
        A2Transfer,
        {"source": source, "target": target},
        {
            "hours": Decimal(3),
            "reason": "Richieste di supervisione individuale inferiori al previsto; l'équipe ha chiesto un incontro "
            "in più sul nuovo regolamento del servizio (motivo illustrativo).",
            "created_by": by,
        },
        counter=counter,
    )
    recorded = datetime.datetime(2025, 12, 1, 10, 0, tzinfo=ROME)
    if transfer.created_at != recorded:
        A2Transfer.objects.filter(pk=transfer.pk).update(created_at=recorded)

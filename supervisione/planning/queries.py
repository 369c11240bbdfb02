"""Reads for the annual plan (POA): what the sessions app needs, the people and contracts a plan draws on, lists.
The plan page itself (groups, minimums, shortfalls, costs) is ``planning.plan_page``.

For sessions (calendar and attendance) and monitoring:

- ``plan_in_force(owner, year)``: the approved version of the POA of a partnership or ATS for a year, or None;
  ``current_plan(owner, year)``: the version being worked on or in force (the latest that is not superseded).
- ``plan_groups(plan)``: its groups with supervisor, contract, funding and members (two queries).
- ``groups_of_person(person, year)``, ``groups_of_supervisor(user, year)``: the groups, in plans in force, a
  supervisee is in and a supervisor leads.
- ``a2_hours_moved(group)``: the A2 hours already moved out of an A1 group's pool (the hours used, from the
  registers, are ``sessions.usage.a2_hours_used``; the move is ``sessions.actions.a2_moves.move_a2_hours``).

Every page read here runs a fixed number of queries, whatever the number of groups and members.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum

from supervisione.audit.models import AuditEntry
from supervisione.census.models import Census, CensusStatus, Equipe, Person, Position
from supervisione.leps.kinds import Profession
from supervisione.leps.rounding import ZERO
from supervisione.planning.models import A2Transfer, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.multifondo import SENT_STATUSES, FilingStatus, MultifondoFiling
from supervisione.procurement.models import Contract, ContractFunding, ContractLine, ContractStatus
from supervisione.territory.models import Ambito, FundingMeasure, Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User

Owner = Partnership | Ambito


def owner_q(owner: Owner, prefix: str = "") -> Q:
    if isinstance(owner, Partnership):
        return Q(**{f"{prefix}partnership": owner})
    return Q(**{f"{prefix}ambito": owner})


def owner_ambiti(owner: Owner) -> list[Ambito]:
    """The ATS a plan covers: the members of a partnership (capofila included), or the ATS itself."""
    if isinstance(owner, Ambito):
        return [owner]
    return list(Ambito.objects.filter(partnership_memberships__partnership=owner).order_by("name"))


# --- For sessions and monitoring -------------------------------------------------------------------------


def plan_in_force(owner: Owner, year: int) -> Plan | None:
    """The approved POA of a partnership or ATS for a year: sessions of that year belong to its groups."""
    return Plan.objects.filter(owner_q(owner), year=year, status=PlanStatus.APPROVED).first()


def current_plan(owner: Owner, year: int) -> Plan | None:
    """The latest version that is not superseded: a draft or submitted new version, else the approved one."""
    return (
        Plan.objects.filter(owner_q(owner), year=year)
        .exclude(status=PlanStatus.SUPERSEDED)
        .order_by("-version")
        .first()
    )


def member_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=PlanMember.objects.select_related("person", "ambito").order_by("person__surname", "person__name"),
    )


def plan_groups(plan: Plan) -> list[PlanGroup]:
    """The groups of a plan, A1 first, with members (``group.memberships.all()``), supervisor, contract, funding."""
    return list(
        PlanGroup.objects.filter(plan=plan)
        .select_related(
            "supervisor",
            "declaration",
            "contract__provider",
            "funding__contract",
            "funding__ambito",
            "funding_after__contract",
            "funding_after__ambito",
            "equipe__ambito",
        )
        .prefetch_related(member_prefetch())
        .order_by("kind", "name", "pk")
    )


def groups_of_person(person: Person, year: int) -> QuerySet[PlanGroup]:
    """The groups a person is in, in the approved plans of a year."""
    return (
        PlanGroup.objects.filter(memberships__person=person, plan__year=year, plan__status=PlanStatus.APPROVED)
        .select_related("plan", "supervisor")
        .order_by("kind", "name")
    )


def groups_of_supervisor(user: User, year: int) -> QuerySet[PlanGroup]:
    """The groups led by the supervisor records linked to a user, in the approved plans of a year."""
    return (
        PlanGroup.objects.filter(supervisor__user_id=user.pk, plan__year=year, plan__status=PlanStatus.APPROVED)
        .select_related("plan", "plan__partnership", "plan__ambito")
        .order_by("plan__year", "kind", "name")
    )


def a2_hours_moved(group: PlanGroup) -> Decimal:
    moved = A2Transfer.objects.filter(source=group).aggregate(total=Sum("hours"))["total"]
    return moved or ZERO


# --- The people a plan covers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopePerson:
    """A person of the censuses a plan was built from, with the ATS of the first census they appear in."""

    person_id: int
    surname: str
    name: str
    profession: str
    ambito_id: int
    ambito_name: str
    equipe_ids: frozenset[int]

    @property
    def is_social_worker(self) -> bool:
        return Profession(self.profession).is_social_worker

    def __str__(self) -> str:
        return f"{self.surname} {self.name}"


def scope_people(censuses: Iterable[Census]) -> list[ScopePerson]:
    """Everyone in these censuses, once each, ordered by ATS and surname (one query)."""
    rows = (
        Position.objects.filter(census__in=list(censuses))
        .values(
            "person_id",
            "person__surname",
            "person__name",
            "person__profession",
            "census__ambito_id",
            "census__ambito__name",
            "equipe_id",
        )
        .order_by("census__ambito__name", "person__surname", "person__name", "person_id")
    )
    people: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = people.setdefault(row["person_id"], {**row, "equipes": set()})
        if row["equipe_id"] is not None:
            entry["equipes"].add(row["equipe_id"])
    return [
        ScopePerson(
            person_id=row["person_id"],
            surname=row["person__surname"],
            name=row["person__name"],
            profession=row["person__profession"],
            ambito_id=row["census__ambito_id"],
            ambito_name=row["census__ambito__name"],
            equipe_ids=frozenset(row["equipes"]),
        )
        for row in people.values()
    ]


def plan_censuses(owner: Owner) -> list[Census]:
    """The census each ATS of the owner would build a plan from: the latest validated one, else the latest."""
    chosen: list[Census] = []
    censuses = (
        Census.objects.filter(ambito__in=owner_ambiti(owner))
        .select_related("campaign", "ambito")
        .order_by("ambito__name", "-campaign__reference_date", "-pk")
    )
    by_ambito: dict[int, list[Census]] = defaultdict(list)
    for census in censuses:
        by_ambito[census.ambito_id].append(census)
    for candidates in by_ambito.values():
        validated = [census for census in candidates if census.status == CensusStatus.VALIDATED]
        chosen.append((validated or candidates)[0])
    return chosen


def census_equipes_of(censuses: Iterable[Census]) -> list[Equipe]:
    """The équipes with at least one position in these censuses (one query)."""
    return list(
        Equipe.objects.filter(positions__census__in=list(censuses))
        .select_related("ambito")
        .distinct()
        .order_by("ambito__name", "name")
    )


# --- Contracts, rates and funding ------------------------------------------------------------------------


def contracts_for_plan(owner: Owner, year: int, first_month: int = 1, last_month: int = 12) -> QuerySet[Contract]:
    """Contracts of the owner awarded or running at some point of the plan's period, with lines and funding."""
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year, 12, 31) if last_month == 12 else datetime.date(year, last_month + 1, 1)
    owned = (
        Contract.objects.filter(partnership=owner)
        if isinstance(owner, Partnership)
        else Contract.objects.filter(ambito=owner)
    )
    return (
        owned.filter(status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE])
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=end), Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("provider")
        .prefetch_related("lines", "fundings")
        .order_by("-start_date", "pk")
    )


@dataclass(frozen=True)
class Rates:
    """The A1 and A2 hourly rates a what-if uses, and where they come from, in words."""

    a1: Decimal
    a2: Decimal
    source: str


def _contract_rates(contract: Contract) -> Rates | None:
    lines = {line.kind: line.hourly_rate for line in contract.lines.all()}
    if "A1" in lines and "A2" in lines:
        return Rates(lines["A1"], lines["A2"], f"tariffe del contratto «{contract.title}»")
    return None


def regional_rates(region_id: int) -> Rates | None:
    """The average A1 and A2 rates of the contracts awarded or running in a region (one query)."""
    rows = (
        ContractLine.objects.filter(
            Q(contract__partnership__capofila__region_id=region_id) | Q(contract__ambito__region_id=region_id),
            contract__status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE],
            kind__in=["A1", "A2"],
        )
        .values("kind")
        .annotate(rate=Avg("hourly_rate"), contracts=Count("contract", distinct=True))
    )
    rates = {row["kind"]: (Decimal(row["rate"]).quantize(Decimal("0.01")), row["contracts"]) for row in rows}
    if "A1" not in rates or "A2" not in rates:
        return None
    count = max(rates["A1"][1], rates["A2"][1])
    contracts = "1 contratto" if count == 1 else f"{count} contratti"
    return Rates(
        rates["A1"][0], rates["A2"][0], f"media delle tariffe dei contratti in corso nella regione ({contracts})"
    )


def reference_rates(owner: Owner, year: int, contracts: Iterable[Contract] = ()) -> Rates | None:
    """Rates for a what-if: the given contracts', else the owner's contracts of the year, else the region's."""
    for contract in contracts:
        if found := _contract_rates(contract):
            return found
    for contract in contracts_for_plan(owner, year):
        if found := _contract_rates(contract):
            return found
    region_id = owner.capofila.region_id if isinstance(owner, Partnership) else owner.region_id
    return regional_rates(region_id)


def funding_key(funding: ContractFunding | None) -> tuple[str, str]:
    """Costs are added up per source: PNRR 1.1.4 per CUP, FNPS quota per year, any other source by itself."""
    if funding is None:
        return "none", "Fonte non indicata"
    if funding.measure == FundingMeasure.PNRR_114:
        cup = funding.cup or (funding.contract.cup if funding.contract_id else "")
        return f"pnrr_114:{cup}", f"PNRR M5C2 1.1.4 · CUP {cup or 'non indicato'}"
    if funding.measure == FundingMeasure.FNPS:
        year = str(funding.year or "")
        return f"fnps:{year}", f"FNPS quota supervisione {year or '(annualità non indicata)'}"
    return f"other:{funding.pk}", f"Altra fonte: {funding.note or funding.contract.title}"


# --- Lists ----------------------------------------------------------------------------------------------


def plans_for(partnership_ids: Iterable[int] | None, ambito_ids: Iterable[int] | None) -> QuerySet[Plan]:
    """Plans of these partnerships and ATS (None: all), latest year and version first."""
    plans = Plan.objects.select_related("partnership", "ambito", "submitted_by", "approved_by")
    if partnership_ids is not None and ambito_ids is not None:
        plans = plans.filter(Q(partnership_id__in=list(partnership_ids)) | Q(ambito_id__in=list(ambito_ids)))
    return plans.order_by("-year", "partnership__code", "ambito__code", "-version")


def plan_history(plan: Plan, group_ids: Iterable[int], limit: int = 50) -> QuerySet[AuditEntry]:
    """The audit entries of a plan and of its groups, newest first (one query)."""
    plan_type = ContentType.objects.get_for_model(Plan)
    group_type = ContentType.objects.get_for_model(PlanGroup)
    return AuditEntry.objects.filter(
        Q(content_type=plan_type, object_id=str(plan.pk))
        | Q(content_type=group_type, object_id__in=[str(pk) for pk in group_ids])
    ).select_related("user")[:limit]


# --- Filings on the Piattaforma Multifondo -------------------------------------------------------------


@dataclass(frozen=True)
class FilingDue:
    """An ATS's POA of a year still to send on Multifondo, and the Ministry's deadline for it."""

    ambito: Ambito
    year: int
    deadline: datetime.date
    filing: MultifondoFiling | None  # None: nothing recorded yet ("da compilare")

    @property
    def status_label(self) -> str:
        return "da compilare" if self.filing is None else self.filing.get_status_display().lower()


def filings_due(ambito_ids: Iterable[int], today: datetime.date, days: int) -> list[FilingDue]:
    """The filings not sent yet whose Ministry deadline falls within ``days`` days from ``today`` (two queries; none
    when no known deadline is that close)."""
    last = today + datetime.timedelta(days=days)
    deadlines: dict[int, datetime.date] = settings.MULTIFONDO_DEADLINES
    years = {year: day for year, day in deadlines.items() if today <= day <= last}
    if not years:
        return []
    ids = list(ambito_ids)
    if not ids:
        return []
    filings = filings_by_ambito(ids, years)
    ambiti = list(Ambito.objects.filter(pk__in=ids).order_by("name"))
    return [
        FilingDue(ambito, year, day, filings.get((ambito.pk, year)))
        for year, day in sorted(years.items(), key=lambda item: item[1])
        for ambito in ambiti
        if not (found := filings.get((ambito.pk, year))) or found.status not in SENT_STATUSES
    ]


def filings_to_correct(ambito_ids: Iterable[int]) -> list[MultifondoFiling]:
    """Filings the Ministry sent back for a correction (one query)."""
    return list(
        MultifondoFiling.objects.filter(ambito_id__in=list(ambito_ids), status=FilingStatus.TO_CORRECT)
        .select_related("ambito")
        .order_by("year", "ambito__name")
    )


def filings_by_ambito(ambito_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], MultifondoFiling]:
    """The recorded filings of these ATS in these years, by (ATS, year) (one query)."""
    return {
        (filing.ambito_id, filing.year): filing
        for filing in MultifondoFiling.objects.filter(ambito_id__in=list(ambito_ids), year__in=list(years))
    }


def plan_covering(ambito: Ambito, year: int) -> Plan | None:
    """The plan in force for an ATS in a year: its own, or its partnership's (the approved version, else the latest
    not superseded), for the link from its filing to its POA."""
    plans = list(
        Plan.objects.filter(
            Q(ambito=ambito) | Q(partnership__memberships__ambito=ambito) | Q(partnership__capofila=ambito), year=year
        )
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("partnership", "ambito")
        .distinct()
    )
    plans.sort(key=lambda plan: (plan.ambito_id is None, plan.status != PlanStatus.APPROVED, -plan.version))
    return plans[0] if plans else None

"""Small builders for plan tests: a census of N social workers per ATS, équipes, supervisors with their
declarations, a contract with rates and funding. Each test builds only what it needs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.census.models import Census, CensusStatus, Equipe, Person, Profession, Service
from supervisione.census.tests import factories as census_factories
from supervisione.leps.choices import ProfessionChoices
from supervisione.planning import actions
from supervisione.planning.models import Plan
from supervisione.procurement.models import Contract, ContractFunding, ContractLine, ContractStatus, Procedure
from supervisione.supervisors.models import Declaration, Document, DocumentKind, Supervisor, Training
from supervisione.territory.models import Ambito, Organisation, OrganisationKind, Partnership
from supervisione.testing.world import World

CUP = "J81H22000130006"


def census_of(
    world: World,
    social_workers: dict[str, int],
    *,
    equipes: dict[str, int] | None = None,
    status: str = CensusStatus.VALIDATED,
    first_number: int = 0,
) -> list[Census]:
    """A validated census campaign of the world's partnership: ``social_workers`` AS per ATS code, and an
    équipe of ``equipes[code]`` educators (plus the ATS's first AS) per ATS code."""
    campaign = census_factories.campaign(world.partnership)
    equipes = equipes or {}
    number = first_number
    censuses = []
    for census in Census.objects.filter(campaign=campaign).select_related("ambito"):
        if status != CensusStatus.DRAFT:
            census.status = status
            census.submitted_at = timezone.now()
            census.save(update_fields=["status", "submitted_at"])
        code = census.ambito.code
        equipe = Equipe.objects.create(ambito=census.ambito, name=f"Équipe {code}") if code in equipes else None
        for index in range(social_workers.get(code, 0)):
            number += 1
            person = census_factories.person(number)
            if equipe is not None and index == 0:
                census_factories.position(census, person, service=Service.EQUIPE, equipe=equipe)
            else:
                census_factories.position(census, person)
        for _ in range(equipes.get(code, 0)):
            number += 1
            person = census_factories.person(number, Profession.EDUCATOR)
            census_factories.position(census, person, service=Service.EQUIPE, equipe=equipe)
        censuses.append(census)
    return censuses


def supervisor(
    world: World,
    surname: str = "Longo",
    *,
    profession: str = ProfessionChoices.ASSISTENTE_SOCIALE,
    owner: Partnership | Ambito | None = None,
    user: User | None = None,
    declared: bool = True,
) -> Supervisor:
    """An active supervisor (eligible for A1, A2 and A3 when a social worker) with a signed declaration."""
    owner = owner or world.partnership
    social_worker = profession in (
        ProfessionChoices.ASSISTENTE_SOCIALE,
        ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA,
    )
    record = Supervisor.objects.create(
        partnership=owner if isinstance(owner, Partnership) else None,
        ambito=owner if isinstance(owner, Ambito) else None,
        surname=surname,
        name="Chiara",
        profession=profession,
        albo_region=world.puglia if social_worker else None,
        albo_section="A" if social_worker else "",
        albo_number="1287" if social_worker else "",
        years_social_work=12,
        years_supervising_as=4 if social_worker else 0,
        user=user,
    )
    Training.objects.create(supervisor=record, title="Master in supervisione", institution="UniSalento", year=2018)
    if declared:
        declare(record)
    return record


def declare(record: Supervisor, *, until: datetime.date = datetime.date(2026, 12, 31)) -> Declaration:
    declaration = Declaration.objects.create(
        supervisor=record,
        subject="Gruppi del piano",
        no_hierarchy=True,
        no_conflict=True,
        signed_on=datetime.date(2024, 12, 1),
        valid_until=until,
    )
    Document.objects.create(
        supervisor=record,
        declaration=declaration,
        kind=DocumentKind.DECLARATION,
        title="Dichiarazione firmata",
        file="dichiarazione.pdf",
        original_name="dichiarazione.pdf",
        content_type="application/pdf",
        size=100,
    )
    return declaration


@dataclass
class Deal:
    contract: Contract
    pnrr: ContractFunding


def contract(
    world: World,
    *,
    rates: dict[str, str] | None = None,
    pnrr: str = "27000",
    start: datetime.date = datetime.date(2025, 1, 1),
    end: datetime.date = datetime.date(2026, 12, 31),
) -> Deal:
    provider, _ = Organisation.objects.get_or_create(
        name="Cooperativa Aurora", defaults={"kind": OrganisationKind.COOPERATIVE}
    )
    record = Contract.objects.create(
        partnership=world.partnership,
        title="Supervisione con Aurora",
        procedure=Procedure.CO_DESIGN,
        status=ContractStatus.ACTIVE,
        provider=provider,
        cup=CUP,
        amount=Decimal(pnrr),
        start_date=start,
        end_date=end,
    )
    for kind, rate in (rates or {"A1": "65", "A2": "60", "A3": "70"}).items():
        ContractLine.objects.create(contract=record, kind=kind, hourly_rate=Decimal(rate), hours=Decimal(500))
    funding = ContractFunding.objects.create(contract=record, measure="pnrr_114", amount=Decimal(pnrr), cup=CUP)
    return Deal(record, funding)


def assign_all(plan: Plan, a1: Supervisor, a3: Supervisor | None = None) -> None:
    """Give every group of a plan a supervisor and their latest declaration."""
    for group in plan.groups.all():
        chosen = a3 if group.kind == "A3" and a3 is not None else a1
        group.supervisor = chosen
        group.declaration = chosen.declarations.order_by("-signed_on").first()
        group.save(update_fields=["supervisor", "declaration"])


def ready_plan(world: World, *, year: int = 2025, social_workers: dict[str, int] | None = None) -> Plan:
    """A plan that meets LEPS: a census, a contract, a declared supervisor on every group."""
    census_of(world, social_workers or {"PUG_MAGLIE": 3, "PUG_CASARANO": 2}, equipes={"PUG_MAGLIE": 2})
    contract(world)
    plan = actions.create_plan(world.partnership, year, by=world.coordinator)
    assign_all(plan, supervisor(world))
    plan.refresh_from_db()
    return plan


def person_of(number: int) -> Person:
    return Person.objects.get(tax_code=census_factories.tax_code(number))

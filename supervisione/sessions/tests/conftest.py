"""A small approved plan on top of the shared world: one A1 group of three AS of Casarano (one of them the
``supervisee`` persona), its A2 pool, one A3 équipe, a supervisor linked to the ``supervisor`` persona and an
active contract with lines and funding. Sessions are booked per test through the actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.census.models import Equipe, Person
from supervisione.census.tests.factories import person as make_person
from supervisione.leps.choices import ProfessionChoices
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.procurement.models import Contract, ContractFunding, ContractLine, ContractStatus, Procedure
from supervisione.sessions.actions.scheduling import Where, book_sessions
from supervisione.sessions.booking import HolidayChoice, Slot
from supervisione.sessions.models import Modality, Session
from supervisione.sessions.recurrence import Recurrence
from supervisione.supervisors.models import Supervisor, Training
from supervisione.territory.models import Organisation, OrganisationKind
from supervisione.testing.world import World

T = datetime.time


@dataclass
class Cal:
    world: World
    supervisor: Supervisor
    other_supervisor: Supervisor
    contract: Contract
    funding: ContractFunding
    plan: Plan
    group: PlanGroup
    equipe_group: PlanGroup
    marco: Person  # linked to the "supervisee" persona
    anna: Person
    luca: Person
    educator: Person

    def funding_on(self, day: datetime.date) -> ContractFunding:
        """The PNRR row up to the end of the project's activities (30/06/2026), another source of the contract after
        it (made when first needed), as the demo charges its sessions."""
        if not self.funding.refusal_after_end("", [day]):
            return self.funding
        after, _created = ContractFunding.objects.get_or_create(
            contract=self.contract, measure="other", defaults={"amount": Decimal(5000), "note": "Fondi di bilancio"}
        )
        return after

    def book(
        self,
        day: datetime.date,
        start: str = "09:00",
        end: str = "11:00",
        *,
        kind: str = "A1",
        group: PlanGroup | None = None,
        supervisee: Person | None = None,
        supervisor: Supervisor | None = None,
        recurrence: Recurrence | None = None,
        holidays: HolidayChoice = HolidayChoice.ASK,
        modality: str = Modality.IN_PERSON,
        by: User | None = None,
    ) -> list[Session]:
        return book_sessions(
            group=group or (self.equipe_group if kind == "A3" else self.group),
            kind=kind,
            supervisee=supervisee,
            supervisor=supervisor or self.supervisor,
            contract=self.contract,
            funding=self.funding_on(day),
            first=Slot(day, T.fromisoformat(start), T.fromisoformat(end)),
            where=Where(
                modality,
                "Casarano, sala riunioni" if modality != Modality.REMOTE else "",
                "https://meet.example.org/gruppo" if modality != Modality.IN_PERSON else "",
            ),
            recurrence=recurrence,
            holidays=holidays,
            by=by or self.world.coordinator,
        )

    def one(self, day: datetime.date, start: str = "09:00", end: str = "11:00", **kwargs: Any) -> Session:
        (session,) = self.book(day, start, end, **kwargs)
        return session


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def cal(world: World, media: Path) -> Cal:
    provider = Organisation.objects.create(name="Raggio di Sole Onlus", kind=OrganisationKind.COOPERATIVE)
    supervisor = Supervisor.objects.create(
        partnership=world.partnership,
        surname="Longo",
        name="Chiara",
        profession=ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA,
        albo_region=world.puglia,
        albo_section="A",
        albo_number="1287",
        years_social_work=18,
        years_supervising_as=7,
        provider=provider,
        user=world.supervisor,
    )
    Training.objects.create(supervisor=supervisor, title="Master in supervisione", institution="Unisalento", year=2015)
    other = Supervisor.objects.create(
        partnership=world.partnership, surname="Russo", name="Davide", profession=ProfessionChoices.PSICOLOGO
    )
    contract = Contract.objects.create(
        partnership=world.partnership,
        title="Supervisione Raggio di Sole",
        procedure=Procedure.DIRECT,
        status=ContractStatus.ACTIVE,
        provider=provider,
        cig="B123456789",
        cup="J81H22000130006",
        amount=Decimal(20000),
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    for kind, rate, hours in (("A1", "65", "40"), ("A2", "60", "30"), ("A3", "70", "12")):
        ContractLine.objects.create(contract=contract, kind=kind, hourly_rate=Decimal(rate), hours=Decimal(hours))
    funding = ContractFunding.objects.create(
        contract=contract, measure="pnrr_114", amount=Decimal(15000), cup="J81H22000130006"
    )
    now = timezone.now()
    plan = Plan.objects.create(
        partnership=world.partnership,
        year=2026,
        status=PlanStatus.APPROVED,
        deadline=datetime.date(2026, 3, 31),
        submitted_at=now,
        approved_at=now,
    )
    group = PlanGroup.objects.create(
        plan=plan,
        kind=GroupKind.A1,
        name="Gruppo A1 Casarano",
        planned_hours=Decimal(16),
        a2_pool_hours=Decimal(15),
        supervisor=supervisor,
        contract=contract,
        funding=funding,
        accreditation_code="CNOAS-2026-0042",
    )
    marco = make_person(1, surname="De Santis", name="Marco", user=world.supervisee)
    anna = make_person(2, surname="Rizzo", name="Anna")
    luca = make_person(3, surname="Ferrara", name="Luca")
    for member in (marco, anna, luca):
        PlanMember.objects.create(group=group, plan=plan, kind=GroupKind.A1, person=member, ambito=world.casarano)
    equipe = Equipe.objects.create(ambito=world.casarano, name="Équipe PUA Casarano")
    equipe_group = PlanGroup.objects.create(
        plan=plan,
        kind=GroupKind.A3,
        name="Équipe PUA Casarano",
        planned_hours=Decimal(6),
        equipe=equipe,
        supervisor=supervisor,
        contract=contract,
        funding=funding,
    )
    educator = make_person(4, profession="educatore_professionale", surname="Greco", name="Sara")
    for member in (anna, educator):
        PlanMember.objects.create(
            group=equipe_group, plan=plan, kind=GroupKind.A3, person=member, ambito=world.casarano
        )
    return Cal(world, supervisor, other, contract, funding, plan, group, equipe_group, marco, anna, luca, educator)

"""Supervisors and contracts of a partnership (the registry and procurement).

- Supervisors work for the partnership's cooperative: AS supervisors (eligible for A1 and A2, about one for
  every three A1 groups), équipe supervisors (psychologists or specialist AS, eligible for A3), a colleague
  for each extra-LEPS group (an educator for the educators, a psychologist for the psychologists), and in
  half the partnerships one AS still without supervisor training (not eligible, never assigned: the registry
  shows why). Each has a user, a CV, a training
  certificate when trained, the August holidays as an absence, and for each contract a signed declaration of
  no hierarchy and no conflict of interest (with its signed document), valid for the contract's period.
- Contracts run two years each (the last may be one): a MePA tender (CIG, SIMOG and MePA numbers, the offers'
  deadline, sometimes postponed), a direct award (CIG) or a co-progettazione (co-design table, no CIG). Hours
  bought per type cover what the plans and the calendar use, with a margin; funding is the PNRR 1.1.4 row
  (with the partnership's CUP) for LEPS supervision and a FNPS row per year for the extra-LEPS groups. Amounts
  are filled in once the plans are known (``finish_contracts``), so that no plan exceeds its funds.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from supervisione.accounts.models import Role
from supervisione.demo.national.context import EMAIL_DOMAIN, SOURCE, PartnershipInfo, World
from supervisione.demo.national.names import Identity, People
from supervisione.demo.national.staff import Staff
from supervisione.demo.national.users import add_user
from supervisione.demo.national.writer import aware
from supervisione.demo.supervisors import demo_pdf
from supervisione.leps.choices import ProfessionChoices
from supervisione.leps.cofinancing import hours_cost
from supervisione.leps.fnps import head_count_shares
from supervisione.meetings.models import AgendaItem, Decision, Meeting, MeetingStatus, Minutes, MinutesStatus, Modality
from supervisione.procurement.models import (
    AgreementShare,
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    FundingAgreement,
    Postponement,
    Procedure,
    TenderDeadline,
)
from supervisione.supervisors.models import Absence, Declaration, Document, DocumentKind, Supervisor, Training
from supervisione.territory.models import FundingMeasure

DOCUMENTS = {
    DocumentKind.CV: ("curriculum.pdf", "Curriculum vitae", "Curriculum vitae (documento sintetico)."),
    DocumentKind.TRAINING: (
        "attestato-formazione.pdf",
        "Attestato del corso per supervisori",
        "Attestato (sintetico).",
    ),
    DocumentKind.DECLARATION: (
        "dichiarazione.pdf",
        "Dichiarazione firmata",
        "Dichiarazione di assenza di rapporti gerarchici e di conflitto di interessi (sintetica).",
    ),
    ContractDocumentKind.CONTRACT: (
        "contratto.pdf",
        "Contratto",
        "Contratto per il servizio di supervisione (sintetico).",
    ),
}
TRAININGS = (
    ("Corso di formazione per supervisori professionali di servizio sociale", "Università degli Studi", 120),
    ("Master in supervisione professionale", "Università degli Studi", 1500),
    ("Corso di alta formazione in supervisione delle équipe", "Ordine degli Assistenti Sociali", 80),
    ("Scuola di supervisione dei servizi sociali e sanitari", "Istituto di formazione", 200),
)
MARGIN = Decimal("1.08")


@dataclass
class SupervisorInfo:
    id: int
    role: str  # "A1" (A1 and A2), "A3", "extra:<profession>" or "" (not eligible)
    user_id: int
    declarations: list[int] = field(default_factory=list)  # one per contract, in order


@dataclass
class ContractInfo:
    id: int
    first_year: int
    last_year: int
    pnrr_funding_id: int
    rates: dict[str, Decimal]
    fnps_funding_ids: dict[int, int] = field(default_factory=dict)  # year -> funding id (extra-LEPS)
    planned_cost: dict[int, Decimal] = field(default_factory=dict)  # funding id -> cost in the plans
    hours: dict[str, Decimal] = field(default_factory=dict)  # kind -> hours in the plans (A2: the pools)
    booked: dict[str, int] = field(default_factory=dict)  # kind -> minutes of the sessions not cancelled

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass
class Procurement:
    supervisors: list[SupervisorInfo]
    contracts: list[ContractInfo]

    def contract_of(self, year: int) -> tuple[int, ContractInfo]:
        for index, contract in enumerate(self.contracts):
            if contract.covers(year):
                return index, contract
        raise LookupError(year)

    def of_role(self, role: str) -> list[SupervisorInfo]:
        return [s for s in self.supervisors if s.role == role]


def document_files() -> dict[str, tuple[str, int]]:
    """The stored PDF for each kind of synthetic document (written once, shared by every row of that kind)."""
    files: dict[str, tuple[str, int]] = {}
    for kind, (name, _title, line) in DOCUMENTS.items():
        path = f"dati-sintetici/{name}"
        content = demo_pdf(["Documento sintetico - Supervisione", "", line])
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(content))
        files[kind] = (path, len(content))
    return files


def _document(world: World, kind: str, title: str, uploaded: datetime.date, **owner: int | None) -> None:
    """A supervisor's document (``supervisor_id``, and ``declaration_id`` for a signed declaration)."""
    path, size = world.files[kind]
    world.writer.table(
        Document,
        ["id", "supervisor_id", "declaration_id", "kind", "title", "file", "original_name", "content_type", "size",
         "uploaded_at"],
    ).add(
        world.ids.next(Document),
        owner["supervisor_id"],
        owner.get("declaration_id"),
        kind,
        title,
        path,
        path.rsplit("/", 1)[-1],
        "application/pdf",
        size,
        aware(uploaded, 11),
    )  # fmt: skip


def _contract_document(world: World, kind: str, title: str, uploaded: datetime.date, contract_id: int) -> None:
    path, size = world.files[kind]
    world.writer.table(
        ContractDocument,
        ["id", "contract_id", "kind", "title", "file", "original_name", "content_type", "size", "uploaded_at"],
    ).add(
        world.ids.next(ContractDocument),
        contract_id,
        kind,
        title,
        path,
        path.rsplit("/", 1)[-1],
        "application/pdf",
        size,
        aware(uploaded, 11),
    )  # fmt: skip


def load_procurement(
    world: World, partnership: PartnershipInfo, staff: Staff, needs: dict[str, int], rng: random.Random, people: People
) -> Procurement:
    """``needs``: the most A1 groups, A3 équipes and extra-LEPS groups the partnership has in one year."""
    options = world.options
    blocks = [(year, min(year + 1, options.last_year)) for year in range(options.first_year, options.last_year + 1, 2)]
    contracts = [_contract(world, first, last, rng) for first, last in blocks]
    roles = ["A1"] * max(1, math.ceil(needs.get("A1", 0) / 3)) + ["A3"] * max(1, math.ceil(needs.get("A3", 0) / 5))
    roles += [key for key in sorted(needs) if key.startswith("extra:")] + ([""] if rng.random() < 0.5 else [])
    supervisors = []
    for number, role in enumerate(roles, start=1):
        supervisors.append(_supervisor(world, partnership, staff, role, number, contracts, rng, people))
    return Procurement(supervisors, contracts)


def _supervisor(
    world: World,
    partnership: PartnershipInfo,
    staff: Staff,
    role: str,
    number: int,
    contracts: list[ContractInfo],
    rng: random.Random,
    people: People,
) -> SupervisorInfo:
    """A supervisor of the partnership's cooperative with their user, CV, training, holidays and declarations.

    The steps draw from ``rng`` in this order, the order of the seed's data: any other writes another registry.
    """
    profession = _profession(role, rng)
    identity = people.identity(rng, female=rng.random() < 0.7, born_between=(1958, 1985))
    user_id = add_user(
        world,
        f"supervisore.{partnership.code.lower()}.{number}",
        identity.name,
        identity.surname,
        Role.SUPERVISOR,
        partnership_id=partnership.id,
    )
    supervisor_id = world.ids.next(Supervisor)
    trained = role != ""
    created = _registry_entry(
        world, partnership, staff, supervisor_id, user_id, number, identity, profession, role, rng
    )
    _document(world, DocumentKind.CV, "Curriculum vitae", created, supervisor_id=supervisor_id)
    if trained:
        _training(world, supervisor_id, created, rng)
    _august_holidays(world, supervisor_id)
    info = SupervisorInfo(supervisor_id, role, user_id)
    if trained:
        info.declarations = _declarations(world, partnership, staff, supervisor_id, contracts)
    return info


def _profession(role: str, rng: random.Random) -> ProfessionChoices:
    """A1 supervisors are social workers (mostly specialists), équipe supervisors mostly psychologists, an
    extra-LEPS group's a colleague of its profession; the one not yet trained a social worker."""
    if role == "A1":
        return (
            ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA
            if rng.random() < 0.7
            else ProfessionChoices.ASSISTENTE_SOCIALE
        )
    if role == "A3":
        return ProfessionChoices.PSICOLOGO if rng.random() < 0.6 else ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA
    if role.startswith("extra:"):
        return ProfessionChoices(role.removeprefix("extra:"))
    return ProfessionChoices.ASSISTENTE_SOCIALE


def _registry_entry(
    world: World,
    partnership: PartnershipInfo,
    staff: Staff,
    supervisor_id: int,
    user_id: int,
    number: int,
    identity: Identity,
    profession: ProfessionChoices,
    role: str,
    rng: random.Random,
) -> datetime.date:
    """The supervisor's row of the registry (Albo, experience, contacts); returns the day it was created."""
    registered = profession != ProfessionChoices.EDUCATORE
    section = "A" if profession != ProfessionChoices.ASSISTENTE_SOCIALE else rng.choice("AB")
    region = partnership.region_id
    albo = ""
    if registered:
        world.albo_numbers[region] = world.albo_numbers.get(region, 1000) + rng.randint(1, 7)
        albo = str(world.albo_numbers[region])
    trained = role != ""
    experience = rng.randint(2, 15) if role == "A1" else rng.randint(0, 8) if trained else rng.randint(0, 1)
    notes = SOURCE if trained else f"In attesa di completare la formazione come supervisore. {SOURCE}."
    created = datetime.date(world.options.first_year - 1, 11, rng.randint(1, 28))
    world.writer.table(
        Supervisor,
        ["id", "partnership_id", "surname", "name", "tax_code", "email", "phone", "profession", "albo_region_id",
         "albo_section", "albo_number", "years_social_work", "years_supervising_as", "provider_id", "user_id",
         "notes", "created_at"],
    ).add(
        supervisor_id,
        partnership.id,
        identity.surname,
        identity.name,
        identity.tax_code,
        f"supervisore.{partnership.code.lower()}.{number}@{EMAIL_DOMAIN}",
        f"3{rng.randint(20, 49)} {rng.randint(1000000, 9999999)}",
        profession,
        region if registered else None,
        section if registered else "",
        albo,
        rng.randint(8, 30) if trained else rng.randint(3, 8),
        experience,
        staff.provider_id,
        user_id,
        notes,
        aware(created, 10),
    )  # fmt: skip
    return created


def _training(world: World, supervisor_id: int, created: datetime.date, rng: random.Random) -> None:
    """The supervisor training course, with its certificate."""
    title, institution, hours = rng.choice(TRAININGS)
    world.writer.table(Training, ["id", "supervisor_id", "title", "institution", "hours", "year"]).add(
        world.ids.next(Training),
        supervisor_id,
        title,
        institution,
        hours,
        rng.randint(2005, world.options.first_year - 2),
    )
    _document(world, DocumentKind.TRAINING, "Attestato del corso per supervisori", created, supervisor_id=supervisor_id)


def _august_holidays(world: World, supervisor_id: int) -> None:
    absences = world.writer.table(Absence, ["id", "supervisor_id", "start_date", "end_date", "reason"])
    for year in world.options.year_list:
        absences.add(
            world.ids.next(Absence), supervisor_id, datetime.date(year, 8, 1), datetime.date(year, 8, 31), "ferie"
        )


def _declarations(
    world: World, partnership: PartnershipInfo, staff: Staff, supervisor_id: int, contracts: list[ContractInfo]
) -> list[int]:
    """For each contract, the signed declaration of no hierarchy and no conflict of interest, with its
    document, valid for the contract's period. Returns their ids, in the contracts' order."""
    declarations = world.writer.table(
        Declaration,
        ["id", "supervisor_id", "subject", "no_hierarchy", "no_conflict", "signed_on", "valid_until", "recorded_by_id",
         "recorded_at"],
    )  # fmt: skip
    declared = True  # no hierarchy, no conflict of interest
    ids = []
    for contract in contracts:
        declaration_id = world.ids.next(Declaration)
        signed = datetime.date(contract.first_year - 1, 12, 1)
        declarations.add(
            declaration_id,
            supervisor_id,
            f"Gruppi ed équipe del partenariato {partnership.code}, {contract.first_year}-{contract.last_year}",
            declared,
            declared,
            signed,
            datetime.date(contract.last_year, 12, 31),
            staff.coordinator_id,
            aware(signed, 12),
        )
        _document(
            world,
            DocumentKind.DECLARATION,
            f"Dichiarazione firmata il {signed:%d/%m/%Y}",
            signed,
            supervisor_id=supervisor_id,
            declaration_id=declaration_id,
        )
        ids.append(declaration_id)
    return ids


def _contract(world: World, first: int, last: int, rng: random.Random) -> ContractInfo:
    a1 = Decimal(rng.randrange(110, 141)) / 2
    rates = {
        "A1": a1,
        "A2": a1 - Decimal(5),
        "A3": Decimal(rng.randrange(120, 161)) / 2,
        "extra": Decimal(rng.randrange(100, 121)) / 2,
    }
    return ContractInfo(
        id=world.ids.next(Contract),
        first_year=first,
        last_year=last,
        pnrr_funding_id=world.ids.next(ContractFunding),
        rates=rates,
    )


def fnps_funding(world: World, contract: ContractInfo, year: int) -> int:
    if year not in contract.fnps_funding_ids:
        contract.fnps_funding_ids[year] = world.ids.next(ContractFunding)
    return contract.fnps_funding_ids[year]


def charge(contract: ContractInfo, funding_id: int, kind: str, planned: Decimal, pool: Decimal) -> None:
    """Add a group's planned cost to its funding row, as the plan page computes it."""
    cost = hours_cost(planned, contract.rates[kind])
    if pool:
        cost += hours_cost(pool, contract.rates["A2"])
    contract.planned_cost[funding_id] = contract.planned_cost.get(funding_id, Decimal(0)) + cost


def _round_up(value: Decimal, step: int) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def finish_contracts(
    world: World, partnership: PartnershipInfo, staff: Staff, procurement: Procurement, rng: random.Random
) -> Decimal:
    """Write the contracts, now that their hours and costs are known; return the PNRR budget they use."""
    options = world.options
    budget = Decimal(0)
    contracts = world.writer.table(
        Contract,
        ["id", "partnership_id", "title", "procedure", "status", "provider_id", "cig", "cup", "simog_code",
         "mepa_code", "amount", "start_date", "end_date", "signed_on", "notes", "created_at"],
    )  # fmt: skip
    lines = world.writer.table(ContractLine, ["id", "contract_id", "kind", "hourly_rate", "hours", "note"])
    fundings = world.writer.table(
        ContractFunding, ["id", "contract_id", "measure", "amount", "year", "cup", "ambito_id", "note"]
    )
    for contract in procurement.contracts:
        procedure = rng.choices((Procedure.MEPA, Procedure.DIRECT, Procedure.CO_DESIGN), weights=(50, 15, 35))[0]
        start, end = datetime.date(contract.first_year, 1, 1), datetime.date(contract.last_year, 12, 31)
        signed = datetime.date(contract.first_year - 1, 11, rng.randint(10, 28))
        pnrr = _round_up(contract.planned_cost.get(contract.pnrr_funding_id, Decimal(0)) * MARGIN, 100)
        rows: list[tuple[int, str, Decimal, int | None, str, str]] = [
            (contract.pnrr_funding_id, FundingMeasure.PNRR_114, pnrr, None, partnership.cup, "Avviso 1/2022")
        ]
        for year, funding_id in sorted(contract.fnps_funding_ids.items()):
            amount = _round_up(contract.planned_cost.get(funding_id, Decimal(0)) * MARGIN, 100)
            rows.append((funding_id, FundingMeasure.FNPS, amount, year, "", "Quota FNPS per la supervisione"))
        amount = sum((row[2] for row in rows), Decimal(0))
        budget += pnrr
        years = (
            f"{contract.first_year}-{contract.last_year}"
            if contract.last_year > contract.first_year
            else str(contract.first_year)
        )
        contracts.add(
            contract.id,
            partnership.id,
            f"Servizio di supervisione professionale, {partnership.name} ({years})",
            procedure,
            ContractStatus.CLOSED if end < options.today else ContractStatus.ACTIVE,
            staff.provider_id,
            "" if procedure == Procedure.CO_DESIGN else _code(rng, 10),
            partnership.cup,
            str(rng.randint(8_000_000, 9_999_999)) if procedure == Procedure.MEPA else "",
            str(rng.randint(3_000_000, 3_999_999)) if procedure == Procedure.MEPA else "",
            amount,
            start,
            end,
            signed,
            f"{SOURCE}: importi, tariffe e ore calcolati sui piani annuali.",
            aware(signed - datetime.timedelta(days=60), 10),
        )
        for kind in ("A1", "A2", "A3", "extra"):
            hours = max(contract.hours.get(kind, Decimal(0)), Decimal(contract.booked.get(kind, 0)) / 60)
            if hours:
                lines.add(
                    world.ids.next(ContractLine),
                    contract.id,
                    kind,
                    contract.rates[kind],
                    _round_up(hours * Decimal("1.1"), 1),
                    "ore dei piani annuali con un margine del 10 %",
                )
        for funding_id, measure, value, funding_year, cup, note in rows:
            # The capofila's FNPS quota pays; the partnership's agreement (``_agreement``) shares it among the ATS.
            payer = partnership.capofila.id if measure == FundingMeasure.FNPS else None
            fundings.add(funding_id, contract.id, measure, max(value, Decimal(100)), funding_year, cup, payer, note)
        _contract_document(world, ContractDocumentKind.CONTRACT, "Contratto firmato", signed, contract.id)
        if procedure == Procedure.CO_DESIGN:
            _codesign(world, partnership, staff, contract, signed, rng)
        elif procedure == Procedure.MEPA:
            _tender(world, contract, signed, rng)
    if any(contract.fnps_funding_ids for contract in procurement.contracts):
        _agreement(world, partnership, staff, procurement)
    return budget


def _agreement(world: World, partnership: PartnershipInfo, staff: Staff, procurement: Procurement) -> None:
    """The extra-LEPS groups gather the educators (and psychologists) of every ATS of the partnership on the
    capofila's FNPS row: an agreement for all its contracts shares the cost by the staff of each ATS."""
    first = min(contract.first_year for contract in procurement.contracts)
    agreement_id = world.ids.next(FundingAgreement)
    signed = datetime.date(first - 1, 12, 15)
    world.writer.table(
        FundingAgreement,
        ["id", "partnership_id", "contract_id", "act", "number", "act_date", "valid_from", "valid_to", "note",
         "created_at"],
    ).add(
        agreement_id,
        partnership.id,
        None,
        "Convenzione tra gli ATS per la supervisione sulle quote FNPS",
        "",
        signed,
        datetime.date(first, 1, 1),
        None,
        f"{SOURCE}: quote di riparto proporzionali al personale censito di ciascun ATS.",
        aware(signed, 10),
    )  # fmt: skip
    shares = world.writer.table(AgreementShare, ["id", "agreement_id", "ambito_id", "percent"])
    for part in head_count_shares(Counter(person.ambito.id for person in staff.people)):
        shares.add(world.ids.next(AgreementShare), agreement_id, part.ambito, part.percent)


def _code(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(length))


def _codesign(
    world: World,
    partnership: PartnershipInfo,
    staff: Staff,
    contract: ContractInfo,
    signed: datetime.date,
    rng: random.Random,
) -> None:
    opened = signed - datetime.timedelta(days=rng.randint(60, 90))
    approved = signed - datetime.timedelta(days=rng.randint(10, 30))
    table_id = world.ids.next(CoDesignTable)
    world.writer.table(
        CoDesignTable,
        ["id", "contract_id", "opened_on", "purpose", "proposal_title", "proposer_id", "proposal_approved_on",
         "proposal_summary"],
    ).add(
        table_id,
        contract.id,
        opened,
        "Co-progettazione del servizio di supervisione professionale degli operatori sociali (LEPS 2.7.2).",
        "Supervisione di gruppo, individuale e organizzativa",
        staff.provider_id,
        approved,
        "Supervisione A1, A2 e A3 per gli operatori degli ATS del partenariato.",
    )  # fmt: skip
    members = world.writer.table(
        CoDesignMember, ["id", "table_id", "organisation_id", "ambito_id", "person_name", "role"]
    )
    members.add(
        world.ids.next(CoDesignMember),
        table_id,
        None,
        partnership.capofila.id,
        staff.coordinator_name,
        "ATS capofila, RUP",
    )
    members.add(
        world.ids.next(CoDesignMember), table_id, staff.provider_id, None, "", "Ente del terzo settore proponente"
    )
    # The table's two sittings: meetings recorded after the fact, with approved minutes.
    meetings = world.writer.table(
        Meeting, ["id", "partnership_id", "codesign_table_id", "title", "date", "modality", "convened_by", "status"]
    )
    items = world.writer.table(AgendaItem, ["id", "meeting_id", "position", "title", "summary"])
    minutes_rows = world.writer.table(Minutes, ["id", "meeting_id", "status", "approved_at"])
    decisions = world.writer.table(Decision, ["id", "minutes_id", "agenda_item_id", "text"])
    for held, title, summary in (
        (opened, "Tavolo di co-progettazione: seduta di insediamento", "Apertura del tavolo."),
        (approved, "Tavolo di co-progettazione: seduta conclusiva", "Esame della proposta."),
    ):
        meeting_id, item_id, minutes_id = world.ids.next(Meeting), world.ids.next(AgendaItem), world.ids.next(Minutes)
        meetings.add(
            meeting_id, partnership.id, table_id, title, held, Modality.IN_PERSON, "Tavolo di co-progettazione",
            MeetingStatus.RECORDED,
        )  # fmt: skip
        items.add(item_id, meeting_id, 1, title, summary)
        minutes_rows.add(minutes_id, meeting_id, MinutesStatus.APPROVED, aware(held, 12))
        if held == approved:
            decisions.add(
                world.ids.next(Decision), minutes_id, item_id, "Approvata la proposta: supervisione A1, A2 e A3."
            )


def _tender(world: World, contract: ContractInfo, signed: datetime.date, rng: random.Random) -> None:
    original = aware(signed - datetime.timedelta(days=rng.randint(40, 70)), 12)
    postponed = rng.random() < 0.2
    due = original + datetime.timedelta(days=7) if postponed else original
    deadline_id = world.ids.next(TenderDeadline)
    world.writer.table(TenderDeadline, ["id", "contract_id", "kind", "description", "original_due_at", "due_at"]).add(
        deadline_id, contract.id, DeadlineKind.OFFERS, "Presentazione delle offerte su MePA", original, due
    )
    if postponed:
        world.writer.table(
            Postponement, ["id", "deadline_id", "previous_due_at", "new_due_at", "reason", "act", "recorded_at"]
        ).add(
            world.ids.next(Postponement),
            deadline_id,
            original,
            due,
            "Malfunzionamenti della piattaforma MePA",
            "Avviso di proroga dei termini",
            original - datetime.timedelta(days=1),
        )

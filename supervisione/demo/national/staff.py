"""Staff of a partnership's ATS: people over the years, the referents (Allegato 1), a validated census (Allegato 2)
for each year, linked users, and the FNPS quotas.

- Each ATS has about one social worker (AS) for every 5,500-9,000 inhabitants, and educators, psychologists,
  administrative staff and others in its équipes (one équipe for about 20 people). Nine AS in ten work
  in an équipe too.
- People change: each year about 6 % leave between March and September (never after ``--today``) and are
  replaced by someone of the same profession and équipe hired by 30 September, who joins the next year's
  census. A person who left has no attendance rows for the sessions after their last day.
- The census of year Y has reference date 30 September Y-1; the partnership's campaign is due 31 October,
  each ATS submits it (a few late), the coordinator validates it in November. The plan of year Y is built
  from it, so everything about year Y is settled before 1 January Y.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from supervisione.accounts.models import Role
from supervisione.census.models import (
    Census,
    CensusCampaign,
    CensusStatus,
    Equipe,
    Person,
    Position,
    PostFunding,
    Profession,
    ReferentDesignation,
    ReferentRequest,
    Service,
)
from supervisione.census.models import Contract as PostContract
from supervisione.demo.national.context import EMAIL_DOMAIN, SOURCE, AmbitoInfo, PartnershipInfo, World
from supervisione.demo.national.names import Identity, People, slug
from supervisione.demo.national.users import add_user, random_name
from supervisione.demo.national.writer import aware, money
from supervisione.funding.models import FnpsAllocation
from supervisione.territory.models import Organisation, OrganisationKind

EQUIPE_NAMES = (
    "Équipe area minori e famiglie",
    "Équipe area adulti e inclusione",
    "Équipe area anziani e disabilità",
    "Équipe PUA e valutazione multidimensionale",
)
OTHER_PROFESSIONS = (
    (Profession.EDUCATOR, 40),
    (Profession.PSYCHOLOGIST, 22),
    (Profession.ADMINISTRATIVE, 20),
    (Profession.OSS, 12),
    (Profession.MEDIATOR, 6),
)
COOPERATIVES = (
    "Il Sentiero", "Raggio di Luna", "La Rete", "Nuovi Orizzonti", "Il Girasole", "L'Approdo", "Arcobaleno",
    "Il Faro", "La Bussola", "Itaca", "Insieme", "Il Ponte", "Percorsi", "Prisma", "Kairos", "L'Alveare",
    "Il Melograno", "Sinergie", "Dialogos", "Metis",
)  # fmt: skip
REFERENT_ROLES = (
    "Responsabile dell'Ufficio di Piano",
    "Assistente sociale coordinatore",
    "Responsabile dei servizi sociali",
    "Funzionario dell'Ufficio di Piano",
)
SUPERVISEE_USERS_PER_AMBITO = 2
LEAVE_RATE = 0.06


def reference_date(year: int) -> datetime.date:
    """The census of year ``year`` counts the staff in service on 30 September of the year before."""
    return datetime.date(year - 1, 9, 30)


@dataclass
class EquipeInfo:
    id: int
    ambito: AmbitoInfo
    name: str


@dataclass
class StaffMember:
    id: int
    ambito: AmbitoInfo
    profession: str
    identity: Identity
    hired: datetime.date
    equipe: EquipeInfo | None
    absence: float  # the chance of missing a session
    service: str
    employer_id: int
    contract: str
    hours: Decimal
    funding: str
    second_service: str = ""
    left: datetime.date | None = None
    user_id: int | None = None

    @property
    def is_social_worker(self) -> bool:
        return self.profession in (Profession.SOCIAL_WORKER, Profession.SPECIALIST_SOCIAL_WORKER)

    def in_census(self, year: int) -> bool:
        day = reference_date(year)
        return self.hired <= day and (self.left is None or self.left > day)

    def present_on(self, day: datetime.date) -> bool:
        return self.left is None or day < self.left


@dataclass
class Staff:
    people: list[StaffMember] = field(default_factory=list)
    equipes: list[EquipeInfo] = field(default_factory=list)
    census_ids: dict[tuple[int, int], int] = field(default_factory=dict)  # (ambito id, year) -> census id
    coordinator_id: int = 0
    coordinator_name: str = ""
    referent_ids: dict[int, int] = field(default_factory=dict)  # ambito id -> user id
    provider_id: int = 0

    def of_year(self, year: int) -> list[StaffMember]:
        return [person for person in self.people if person.in_census(year)]


def organisation(world: World, key: str, name: str, kind: str, municipality_id: int | None) -> int:
    found = world.organisations.get(key)
    if found is None:
        found = world.organisations[key] = world.ids.next(Organisation)
        world.writer.table(Organisation, ["id", "name", "kind", "municipality_id", "email"]).add(
            found, name, kind, municipality_id, f"info@{slug(name)[:40]}.{EMAIL_DOMAIN}"
        )
    return found


def _health_agency(world: World, ambito: AmbitoInfo) -> int:
    town = ambito.capofila
    word = {"03": "ASST", "17": "ASP", "18": "ASP", "19": "ASP"}.get(ambito.istat_code[1:3], "ASL")
    return organisation(world, f"asl:{town.province_code}", f"{word} {town.province}", OrganisationKind.ASL, town.id)


def load_staff(world: World, partnership: PartnershipInfo, rng: random.Random, people: People) -> Staff:
    staff = Staff()
    first, last = random_name(rng)
    staff.coordinator_name = f"{first} {last}"
    staff.coordinator_id = add_user(
        world,
        f"coordinatore.{partnership.code.lower()}",
        first,
        last,
        Role.COORDINATOR,
        partnership_id=partnership.id,
    )
    capofila = partnership.capofila.capofila
    staff.provider_id = organisation(
        world,
        f"coop:{partnership.id}",
        f"Cooperativa sociale {rng.choice(COOPERATIVES)} ({capofila.name})",
        OrganisationKind.COOPERATIVE,
        capofila.id,
    )
    for ambito in partnership.ambiti:
        first, last = random_name(rng)
        staff.referent_ids[ambito.id] = add_user(
            world, f"referente.{ambito.code.lower()}", first, last, Role.REFERENT, ambito_id=ambito.id
        )
        _roster(world, ambito, staff, rng, people)
    _write_people(world, staff)
    _referents(world, partnership, staff, rng)
    _censuses(world, partnership, staff, rng)
    _quotas(world, partnership, rng)
    return staff


def _roster(world: World, ambito: AmbitoInfo, staff: Staff, rng: random.Random, people: People) -> None:
    options = world.options
    population = ambito.population(options.first_year)
    social_workers = min(60, max(4, round(population / rng.uniform(5500, 9000))))
    others = max(2, round(social_workers * rng.uniform(0.3, 0.55)))
    count = min(len(EQUIPE_NAMES), max(1, round((social_workers + others) / 20)))
    names = ["Équipe multidisciplinare"] if count == 1 else list(EQUIPE_NAMES[:count])
    equipes = [EquipeInfo(world.ids.next(Equipe), ambito, name) for name in names]
    staff.equipes += equipes
    table = world.writer.table(Equipe, ["id", "ambito_id", "name"])
    for created in equipes:
        table.add(created.id, ambito.id, created.name)
    local = [m.municipality.place_code for m in ambito.memberships if m.municipality.place_code]
    start = reference_date(options.first_year)
    roster: list[StaffMember] = []
    equipe: EquipeInfo | None
    for index in range(social_workers + others):
        social_worker = index < social_workers
        if social_worker:
            profession = Profession.SPECIALIST_SOCIAL_WORKER if rng.random() < 0.15 else Profession.SOCIAL_WORKER
            equipe = equipes[index % len(equipes)] if rng.random() < 0.9 else None
        else:
            profession = rng.choices([p for p, _ in OTHER_PROFESSIONS], weights=[w for _, w in OTHER_PROFESSIONS])[0]
            equipe = (
                None
                if profession == Profession.ADMINISTRATIVE and rng.random() < 0.3
                else equipes[index % len(equipes)]
            )
        hired = start - datetime.timedelta(days=rng.randint(30, 25 * 365))
        roster.append(_member(world, ambito, profession, equipe, hired, rng, people, local))
    for year in options.year_list:
        for person in [p for p in roster if p.in_census(year) and p.left is None]:
            latest = min(datetime.date(year, 9, 30), options.today - datetime.timedelta(days=1))
            earliest = datetime.date(year, 3, 1)
            if latest < earliest or rng.random() >= LEAVE_RATE:
                continue
            person.left = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
            if year + 1 in options.year_list:
                span = (datetime.date(year, 9, 30) - person.left).days
                hired = person.left + datetime.timedelta(days=rng.randint(0, max(span, 0)))
                roster.append(_member(world, ambito, person.profession, person.equipe, hired, rng, people, local))
        if year + 1 in options.year_list and rng.random() < 0.3:
            hired = datetime.date(year, rng.randint(1, 9), rng.randint(1, 28))
            roster.append(_member(world, ambito, Profession.SOCIAL_WORKER, None, hired, rng, people, local))
    staff.people += roster
    # The first AS who stay throughout get an account (the supervisee persona of each ATS).
    stayers = [p for p in roster if p.is_social_worker and p.left is None and p.in_census(options.first_year)]
    for number, person in enumerate(stayers[:SUPERVISEE_USERS_PER_AMBITO], start=1):
        person.user_id = add_user(
            world,
            f"operatore.{ambito.code.lower()}.{number}",
            person.identity.name,
            person.identity.surname,
            Role.SUPERVISEE,
            ambito_id=ambito.id,
        )


def _member(
    world: World,
    ambito: AmbitoInfo,
    profession: str,
    equipe: EquipeInfo | None,
    hired: datetime.date,
    rng: random.Random,
    people: People,
    local: list[str],
) -> StaffMember:
    # The draws come in the demo's order (identity, hours, post, absence): any other order writes other people
    # from the same seed.
    social_worker = profession in (Profession.SOCIAL_WORKER, Profession.SPECIALIST_SOCIAL_WORKER)
    identity = people.identity(
        rng, female=rng.random() < (0.85 if social_worker else 0.65), born_between=(1962, 1998), local=local
    )
    body, coop = _employers(world, ambito)
    hours = Decimal(rng.choices((36, 30, 24, 18), weights=(70, 10, 10, 10))[0])
    if social_worker:
        post = _social_worker_post(world, ambito, equipe, body, coop, hours, rng)
    else:
        post = _other_post(world, ambito, profession, equipe, body, coop, hours, rng)
    return StaffMember(
        id=world.ids.next(Person),
        ambito=ambito,
        profession=profession,
        identity=identity,
        hired=hired,
        equipe=equipe,
        absence=0.35 if rng.random() < 0.03 else rng.uniform(0.03, 0.12),
        service=post.service,
        employer_id=post.employer_id,
        contract=post.contract,
        hours=post.hours,
        funding=post.funding,
        second_service=post.second_service,
    )


class _Post(NamedTuple):
    employer_id: int
    contract: str
    funding: str
    service: str
    hours: Decimal
    second_service: str = ""


def _employers(world: World, ambito: AmbitoInfo) -> tuple[int, int]:
    """The ATS's managing body (its consortium, or the capofila's comune) and the cooperative it contracts."""
    body_key = f"ats:{ambito.id}" if ambito.body_is_consortium else f"comune:{ambito.capofila.id}"
    body = (
        organisation(world, body_key, ambito.managing_body, OrganisationKind.ATS, ambito.capofila.id)
        if ambito.body_is_consortium
        else organisation(
            world, body_key, f"Comune di {ambito.capofila.name}", OrganisationKind.COMUNE, ambito.capofila.id
        )
    )
    coop = organisation(
        world,
        f"coop-staff:{ambito.id}",
        f"Cooperativa sociale {COOPERATIVES[ambito.id % len(COOPERATIVES)]} - servizi alla persona",
        OrganisationKind.COOPERATIVE,
        ambito.capofila.id,
    )
    return body, coop


def _social_worker_post(
    world: World,
    ambito: AmbitoInfo,
    equipe: EquipeInfo | None,
    body: int,
    coop: int,
    hours: Decimal,
    rng: random.Random,
) -> _Post:
    """An AS's post: mostly permanent with the managing body, some fixed-term, with a comune, a cooperative or an
    agency; in an équipe, or in one service (a few in two, 18 hours each)."""
    draw = rng.random()
    if draw < 0.55:
        employer, contract, funding = body, PostContract.PERMANENT, PostFunding.MUNICIPAL
    elif draw < 0.70:
        employer, contract, funding = (
            body,
            PostContract.FIXED_TERM,
            rng.choice((PostFunding.POVERTY, PostFunding.PON_PNRR, PostFunding.FNPS)),
        )
    elif draw < 0.80:
        towns = sorted(
            (m.municipality for m in ambito.memberships if m.municipality is not ambito.capofila),
            key=lambda town: (-town.base_population, town.istat_code),
        )
        town = towns[0] if towns else ambito.capofila
        employer = organisation(world, f"comune:{town.id}", f"Comune di {town.name}", OrganisationKind.COMUNE, town.id)
        contract, funding = PostContract.PERMANENT, PostFunding.MUNICIPAL
    elif draw < 0.92:
        employer, contract, funding = coop, PostContract.CONTRACTOR, PostFunding.POVERTY
    else:
        employer, contract, funding = body, PostContract.AGENCY, PostFunding.POVERTY
    if equipe is not None:
        return _Post(employer, contract, funding, Service.EQUIPE, hours)
    service = rng.choices((Service.SSP, Service.SEGRETARIATO, Service.PIS, Service.UVM), weights=(55, 20, 10, 15))[0]
    if rng.random() < 0.05:
        second_service = Service.PIS if service != Service.PIS else Service.UVM
        return _Post(employer, contract, funding, service, Decimal(18), second_service)
    return _Post(employer, contract, funding, service, hours)


def _other_post(
    world: World,
    ambito: AmbitoInfo,
    profession: str,
    equipe: EquipeInfo | None,
    body: int,
    coop: int,
    hours: Decimal,
    rng: random.Random,
) -> _Post:
    """The post of the rest of the staff: psychologists from the health agency, administrative staff with the
    managing body, educators and others with it or with the cooperative."""
    service = Service.EQUIPE if equipe is not None else Service.SEGRETARIATO
    if profession == Profession.PSYCHOLOGIST:
        employer, contract, funding = _health_agency(world, ambito), PostContract.PERMANENT, PostFunding.OTHER
    elif profession == Profession.ADMINISTRATIVE:
        employer, contract, funding = body, PostContract.PERMANENT, PostFunding.MUNICIPAL
    elif profession == Profession.EDUCATOR and rng.random() < 0.5:
        employer, contract, funding = body, PostContract.FIXED_TERM, PostFunding.FNPS
    else:
        employer, contract, funding = coop, PostContract.CONTRACTOR, PostFunding.OTHER
    return _Post(employer, contract, funding, service, hours)


def _write_people(world: World, staff: Staff) -> None:
    table = world.writer.table(
        Person,
        ["id", "surname", "name", "tax_code", "email", "profession", "albo_region_id", "albo_section", "albo_number",
         "user_id"],
    )  # fmt: skip
    rng = random.Random(f"{world.options.seed}:albo:{staff.coordinator_id}")  # noqa: S311  (synthetic data)
    for person in staff.people:
        identity = person.identity
        region, section, number = None, "", ""
        if person.is_social_worker:
            region = person.ambito.region_id
            last = world.albo_numbers.get(region, 1000) + rng.randint(1, 7)
            world.albo_numbers[region] = last
            specialist = person.profession == Profession.SPECIALIST_SOCIAL_WORKER
            section, number = ("A" if specialist or rng.random() < 0.1 else "B"), str(last)
        table.add(
            person.id,
            identity.surname,
            identity.name,
            identity.tax_code,
            f"{slug(identity.name)}.{slug(identity.surname)}.{person.id}@{EMAIL_DOMAIN}",
            person.profession,
            region,
            section,
            number,
            person.user_id,
        )


def _referents(world: World, partnership: PartnershipInfo, staff: Staff, rng: random.Random) -> None:
    year = world.options.first_year - 1
    deadline = datetime.date(year, 9, 15)
    request_id = world.ids.next(ReferentRequest)
    world.writer.table(ReferentRequest, ["id", "partnership_id", "title", "deadline", "message", "created_at"]).add(
        request_id,
        partnership.id,
        "Designazione dei referenti (Allegato 1)",
        deadline,
        "Ogni ATS partner indichi il proprio referente per la supervisione, con l'atto di designazione.",
        aware(datetime.date(year, 9, 1), 10),
    )
    table = world.writer.table(
        ReferentDesignation,
        ["id", "request_id", "ambito_id", "full_name", "role", "email", "phone", "act_number", "act_date",
         "answered_on"],
    )  # fmt: skip
    for ambito in partnership.ambiti:
        answered = deadline + datetime.timedelta(days=rng.randint(-12, 4))
        first, last = random_name(rng)
        table.add(
            world.ids.next(ReferentDesignation),
            request_id,
            ambito.id,
            f"{first} {last}",
            rng.choice(REFERENT_ROLES),
            f"referente.{ambito.code.lower()}@{EMAIL_DOMAIN}",
            "",
            f"Determina n. {rng.randint(20, 480)}/{year}",
            answered - datetime.timedelta(days=rng.randint(1, 5)),
            answered,
        )


def _censuses(world: World, partnership: PartnershipInfo, staff: Staff, rng: random.Random) -> None:
    campaigns = world.writer.table(
        CensusCampaign, ["id", "partnership_id", "title", "reference_date", "deadline", "notes", "created_at"]
    )
    censuses = world.writer.table(
        Census,
        ["id", "campaign_id", "ambito_id", "status", "submitted_at", "submitted_by_id", "reviewed_at",
         "reviewed_by_id"],
    )  # fmt: skip
    positions = world.writer.table(
        Position,
        ["id", "census_id", "person_id", "employer_id", "service", "equipe_id", "contract", "weekly_hours", "funding",
         "start_date", "end_date"],
    )  # fmt: skip
    served = world.writer.table(Position.municipalities.through, ["id", "position_id", "municipality_id"])
    for year in world.options.year_list:
        campaign_id = world.ids.next(CensusCampaign)
        deadline = datetime.date(year - 1, 10, 31)
        campaigns.add(
            campaign_id,
            partnership.id,
            f"Ricognizione del personale {year} (Allegato 2)",
            reference_date(year),
            deadline,
            f"Base del piano annuale {year}. {SOURCE}.",
            aware(datetime.date(year - 1, 9, 1), 9),
        )
        for ambito in partnership.ambiti:
            census_id = world.ids.next(Census)
            staff.census_ids[(ambito.id, year)] = census_id
            late = rng.random() < 0.08
            submitted = deadline + datetime.timedelta(days=rng.randint(1, 10) if late else -rng.randint(0, 20))
            reviewed = submitted + datetime.timedelta(days=rng.randint(2, 8))
            submitter = staff.coordinator_id if ambito is partnership.capofila else staff.referent_ids[ambito.id]
            censuses.add(
                census_id,
                campaign_id,
                ambito.id,
                CensusStatus.VALIDATED,
                aware(submitted, rng.randint(9, 17)),
                submitter,
                aware(reviewed, rng.randint(9, 17)),
                staff.coordinator_id,
            )
            towns = ambito.municipalities_on(reference_date(year))
            for person in staff.of_year(year):
                if person.ambito is not ambito:
                    continue
                end = (
                    datetime.date(year + 1, 12, 31)
                    if person.contract in (PostContract.FIXED_TERM, PostContract.AGENCY)
                    else None
                )
                services = [person.service, person.second_service] if person.second_service else [person.service]
                for service in services:
                    position_id = world.ids.next(Position)
                    positions.add(
                        position_id,
                        census_id,
                        person.id,
                        person.employer_id,
                        service,
                        person.equipe.id if service == Service.EQUIPE and person.equipe else None,
                        person.contract,
                        person.hours,
                        person.funding,
                        person.hired,
                        end,
                    )
                    for offset in range(1 + person.id % 3):
                        town = towns[(person.id * 7 + offset) % len(towns)]
                        if offset and town is towns[(person.id * 7) % len(towns)]:
                            break
                        served.add(world.ids.next(Position.municipalities.through), position_id, town.id)


def _quotas(world: World, partnership: PartnershipInfo, rng: random.Random) -> None:
    """An FNPS allocation for supervision per ATS and year (one year each)."""
    fields = ["id", "ambito_id", "first_year", "last_year", "amount", "fnps_total", "decree_number", "note"]
    table = world.writer.table(FnpsAllocation, fields)
    for ambito in partnership.ambiti:
        for year in world.options.year_list:
            amount = money(ambito.population(year) * rng.uniform(0.2, 0.42))
            table.add(
                world.ids.next(FnpsAllocation),
                ambito.id,
                year,
                year,
                amount,
                money(amount / Decimal(str(round(rng.uniform(0.025, 0.035), 4)))),
                f"Decreto di riparto del Fondo Nazionale Politiche Sociali {year}",
                SOURCE,
            )

"""Demo census: referents (Allegato 1) and staff census (Allegato 2) of the demo partnerships.

- Poggiardo-Maglie-Casarano (delivery): referents designated and a validated census at 30/09/2024 with
  exactly 56 assistenti sociali (20 Poggiardo, 18 Maglie, 18 Casarano, as in the co-design proposal for 56
  AS), plus the educators, psychologists and administrative staff of their équipes.
- San Severo (set-up): referents and census due 17/04/2023; San Severo answered on time, Lucera late,
  San Marco in Lamis and Troia have not answered (late).

People are fictional; their codici fiscali are computed from their names and birth dates, with a valid
check character. Every value is fixed, so running the demo twice changes nothing.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from stdnum.it import codicefiscale

from supervisione.accounts.models import User
from supervisione.census.models import (
    DEFAULT_EQUIPE_NAME,
    Census,
    CensusCampaign,
    CensusStatus,
    Contract,
    Equipe,
    Person,
    Position,
    PostFunding,
    Profession,
    ReferentDesignation,
    ReferentRequest,
    Service,
)
from supervisione.demo.loading import Counter, ensure
from supervisione.territory.models import Ambito, Municipality, Organisation, OrganisationKind, Partnership, Region

ROME = ZoneInfo("Europe/Rome")
SOCIAL_WORKERS_PER_AMBITO = {"PUG_POGGIARDO": 20, "PUG_MAGLIE": 18, "PUG_CASARANO": 18}
MONTHS = "ABCDEHLMPRST"
BIRTHPLACES = ("E506", "E506", "D643", "A662")  # Lecce, Lecce, Foggia, Bari

SURNAMES = (
    "De Giorgi",
    "Rizzo",
    "Manco",
    "Marti",
    "Stefanelli",
    "Piccinno",
    "Quarta",
    "Colella",
    "Carluccio",
    "Miggiano",
    "Scarascia",
    "Ciullo",
    "Pisanò",
    "Caroppo",
    "Vergine",
    "Toma",
    "Accoto",
    "Cazzato",
    "Rausa",
    "Sergi",
    "Zacheo",
    "Calò",
    "Melcarne",
    "Nuzzo",
    "Palumbo",
    "Orlando",
    "Perrone",
    "Coluccia",
    "Sabato",
    "Tundo",
    "Maggio",
    "Primiceri",
    "Renna",
    "Urso",
    "Giannuzzi",
    "Bleve",
    "Cortese",
    "Fersini",
    "Anglano",
    "Bruno",
)
FEMALE_NAMES = (
    "Anna",
    "Maria",
    "Francesca",
    "Giulia",
    "Valentina",
    "Sara",
    "Chiara",
    "Elisa",
    "Federica",
    "Ilaria",
    "Laura",
    "Marta",
    "Paola",
    "Roberta",
    "Serena",
    "Silvia",
    "Alessandra",
    "Daniela",
    "Emanuela",
    "Rosanna",
)
MALE_NAMES = ("Marco", "Luca", "Andrea", "Antonio", "Giuseppe", "Davide", "Stefano", "Fabio", "Simone", "Vito")


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(c for c in decomposed if "A" <= c <= "Z")


def _surname_code(surname: str) -> str:
    letters = _letters(surname)
    consonants = [c for c in letters if c not in "AEIOU"]
    vowels = [c for c in letters if c in "AEIOU"]
    return ("".join(consonants + vowels) + "XXX")[:3]


def _name_code(name: str) -> str:
    letters = _letters(name)
    consonants = [c for c in letters if c not in "AEIOU"]
    if len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    vowels = [c for c in letters if c in "AEIOU"]
    return ("".join(consonants + vowels) + "XXX")[:3]


def demo_tax_code(surname: str, name: str, born: datetime.date, *, female: bool, place: str) -> str:
    day = born.day + (40 if female else 0)
    body = f"{_surname_code(surname)}{_name_code(name)}{born:%y}{MONTHS[born.month - 1]}{day:02d}{place}"
    return body + codicefiscale.calc_check_digit(body)


@dataclass(frozen=True)
class Post:
    profession: str
    employer: str
    service: str
    contract: str
    hours: int
    funding: str
    start: datetime.date
    second_service: str = ""  # a second position of the same person (18 + 18 hours)


def _social_workers(code: str, count: int) -> list[Post]:
    """The AS of one ATS: permanent staff of the ATS body or the comuni, fixed-term staff on national funds."""
    body = {
        "PUG_POGGIARDO": "Consorzio per la realizzazione del sistema integrato di welfare ambito-zona di Poggiardo",
        "PUG_MAGLIE": "Comune di Maglie",
        "PUG_CASARANO": "Comune di Casarano",
    }[code]
    other_comune = {
        "PUG_POGGIARDO": "Comune di Poggiardo",
        "PUG_MAGLIE": "Comune di Maglie",
        "PUG_CASARANO": "Comune di Matino",
    }[code]
    permanent_full = {"PUG_POGGIARDO": 9, "PUG_MAGLIE": 8, "PUG_CASARANO": 12}[code]
    posts: list[Post] = []
    services = (Service.SSP, Service.SSP, Service.SEGRETARIATO, Service.EQUIPE, Service.SSP, Service.UVM)
    for index in range(count):
        if index < permanent_full:
            posts.append(
                Post(
                    Profession.SPECIALIST_SOCIAL_WORKER if index % 5 == 0 else Profession.SOCIAL_WORKER,
                    body,
                    services[index % len(services)],
                    Contract.PERMANENT,
                    36,
                    PostFunding.MUNICIPAL,
                    datetime.date(2008 + index % 12, 1 + index % 12, 1),
                )
            )
        elif index < permanent_full + 2:
            posts.append(
                Post(
                    Profession.SOCIAL_WORKER,
                    other_comune,
                    Service.SSP,
                    Contract.PERMANENT,
                    18,
                    PostFunding.MUNICIPAL,
                    datetime.date(2015 + index % 5, 3, 1),
                    second_service=Service.PIS if index == permanent_full else "",
                )
            )
        else:
            funding = PostFunding.POVERTY if index % 2 else PostFunding.PON_PNRR
            service = Service.EQUIPE if index % 3 == 0 else Service.SEGRETARIATO if index % 3 == 1 else Service.PIS
            posts.append(
                Post(
                    Profession.SOCIAL_WORKER,
                    body,
                    service,
                    Contract.FIXED_TERM,
                    36 if index % 2 else 24,
                    funding,
                    datetime.date(2022, 1 + index % 12, 1),
                )
            )
    return posts


TEAM = {
    # Educators, psychologists and administrative staff of each ATS's équipe multidisciplinare.
    "PUG_POGGIARDO": ((Profession.EDUCATOR, 3), (Profession.PSYCHOLOGIST, 2), (Profession.ADMINISTRATIVE, 2)),
    "PUG_MAGLIE": ((Profession.EDUCATOR, 2), (Profession.PSYCHOLOGIST, 1), (Profession.ADMINISTRATIVE, 2)),
    "PUG_CASARANO": ((Profession.EDUCATOR, 3), (Profession.PSYCHOLOGIST, 2), (Profession.ADMINISTRATIVE, 2)),
}


def _team(code: str) -> list[Post]:
    body = {
        "PUG_POGGIARDO": "Consorzio per la realizzazione del sistema integrato di welfare ambito-zona di Poggiardo",
        "PUG_MAGLIE": "Comune di Maglie",
        "PUG_CASARANO": "Comune di Casarano",
    }[code]
    posts = []
    for profession, count in TEAM[code]:
        for index in range(count):
            if profession == Profession.PSYCHOLOGIST:
                employer, contract, funding = "ASL Lecce", Contract.PERMANENT, PostFunding.OTHER
            elif profession == Profession.EDUCATOR:
                employer, contract, funding = body, Contract.FIXED_TERM, PostFunding.FNPS
            else:
                employer, contract, funding = body, Contract.PERMANENT, PostFunding.MUNICIPAL
            posts.append(
                Post(
                    profession,
                    employer,
                    Service.EQUIPE,
                    contract,
                    36 if index % 2 == 0 else 18,
                    funding,
                    datetime.date(2019 + index, 9, 1),
                )
            )
    return posts


def _person(
    index: int,
    profession: str,
    region: Region,
    counter: Counter,
    *,
    fixed: tuple[str, str] | None = None,
    female: bool | None = None,
) -> Person:
    if female is None:
        female = index % 4 != 3
    surname = SURNAMES[(index * 7) % len(SURNAMES)]
    name = (FEMALE_NAMES if female else MALE_NAMES)[(index * 3) % (len(FEMALE_NAMES) if female else len(MALE_NAMES))]
    if fixed is not None:
        surname, name = fixed
    born = datetime.date(1965 + index % 30, 1 + index % 12, 1 + (index * 5) % 28)
    tax_code = demo_tax_code(surname, name, born, female=female, place=BIRTHPLACES[index % len(BIRTHPLACES)])
    social_worker = profession in (Profession.SOCIAL_WORKER, Profession.SPECIALIST_SOCIAL_WORKER)
    slug = _letters(surname).lower() + "." + _letters(name).lower()
    return ensure(
        Person,
        {"tax_code": tax_code},
        {
            "surname": surname,
            "name": name,
            "email": f"{slug}{index}@demo.supervisione.invalid",
            "profession": profession,
            "albo_region": region if social_worker else None,
            "albo_section": ("A" if profession == Profession.SPECIALIST_SOCIAL_WORKER else "B")
            if social_worker
            else "",
            "albo_number": str(1200 + index * 13) if social_worker else "",
        },
        counter=counter,
    )


def _position(
    census: Census,
    person: Person,
    post: Post,
    service: str,
    hours: int,
    organisations: dict[str, Organisation],
    municipalities: list[Municipality],
    counter: Counter,
) -> Position:
    equipe = None
    if service == Service.EQUIPE:
        equipe = ensure(Equipe, {"ambito": census.ambito, "name": DEFAULT_EQUIPE_NAME}, counter=counter)
    position = ensure(
        Position,
        {"census": census, "person": person, "employer": organisations[post.employer], "service": service},
        {
            "equipe": equipe,
            "contract": post.contract,
            "weekly_hours": Decimal(hours),
            "funding": post.funding,
            "start_date": post.start,
            "end_date": None,
        },
        counter=counter,
    )
    if {m.pk for m in position.municipalities.all()} != {m.pk for m in municipalities}:
        position.municipalities.set(municipalities)
        counter.updated += 1
    return position


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ROME)


def _census(
    campaign: CensusCampaign,
    ambito: Ambito,
    status: str,
    counter: Counter,
    *,
    submitted: datetime.date | None,
    submitted_by: User | None,
    reviewed: datetime.date | None = None,
    reviewed_by: User | None = None,
) -> Census:
    return ensure(
        Census,
        {"campaign": campaign, "ambito": ambito},
        {
            "status": status,
            "submitted_at": _aware(submitted, 11) if submitted else None,
            "submitted_by": submitted_by,
            "reviewed_at": _aware(reviewed, 16) if reviewed else None,
            "reviewed_by": reviewed_by,
        },
        counter=counter,
    )


EXTRA_ORGANISATIONS = (
    ("Comune di San Marco in Lamis", OrganisationKind.COMUNE, "San Marco in Lamis"),
    ("Comune di Troia", OrganisationKind.COMUNE, "Troia"),
)


def load_census(counter: Counter) -> None:
    puglia = Region.objects.get(istat_code="16")
    for name, kind, town in EXTRA_ORGANISATIONS:
        ensure(
            Organisation,
            {"name": name},
            {"kind": kind, "municipality": Municipality.objects.filter(name=town).first()},
            counter=counter,
        )
    organisations = {o.name: o for o in Organisation.objects.all()}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["coordinatore.poggiardo", "referente.maglie", "referente.casarano", "coordinatore.sansevero"]
        )
    }
    _load_poggiardo(puglia, organisations, users, counter)
    _load_sansevero(puglia, organisations, users, counter)


def _load_poggiardo(
    puglia: Region, organisations: dict[str, Organisation], users: dict[str, User], counter: Counter
) -> None:
    partnership = Partnership.objects.get(code="POGGIARDO-114")
    _poggiardo_referents(partnership, counter)
    campaign = ensure(
        CensusCampaign,
        {"partnership": partnership, "title": "Ricognizione del personale 2024 (Allegato 2)"},
        {
            "reference_date": datetime.date(2024, 9, 30),
            "deadline": datetime.date(2024, 10, 15),
            "notes": "Base della proposta di co-progettazione: 56 assistenti sociali dei tre ATS.",
        },
        counter=counter,
    )
    submitters = {
        "PUG_POGGIARDO": "coordinatore.poggiardo",
        "PUG_MAGLIE": "referente.maglie",
        "PUG_CASARANO": "referente.casarano",
    }
    offset = 0
    for code, count in SOCIAL_WORKERS_PER_AMBITO.items():
        ambito = Ambito.objects.get(code=code)
        census = _census(
            campaign,
            ambito,
            CensusStatus.VALIDATED,
            counter,
            submitted=datetime.date(2024, 10, 10),
            submitted_by=users.get(submitters[code]),
            reviewed=datetime.date(2024, 10, 14),
            reviewed_by=users.get("coordinatore.poggiardo"),
        )
        municipalities = list(ambito.municipalities_at(campaign.reference_date).order_by("name"))
        for index, post in enumerate([*_social_workers(code, count), *_team(code)]):
            fixed = ("De Santis", "Marco") if code == "PUG_CASARANO" and index == 1 else None
            person = _person(
                offset + index, post.profession, puglia, counter, fixed=fixed, female=False if fixed else None
            )
            served = [municipalities[(index + k) % len(municipalities)] for k in range(min(3, len(municipalities)))]
            hours = post.hours if not post.second_service else 18
            _position(census, person, post, post.service, hours, organisations, served, counter)
            if post.second_service:
                _position(census, person, post, post.second_service, 18, organisations, served, counter)
        offset += 100


def _poggiardo_referents(partnership: Partnership, counter: Counter) -> None:
    """The Allegato 1 of Poggiardo: the request and the three ATS's designations."""
    request = ensure(
        ReferentRequest,
        {"partnership": partnership, "deadline": datetime.date(2024, 9, 30)},
        {
            "title": "Designazione dei referenti (Allegato 1)",
            "message": "Ogni ATS partner indichi il proprio referente per la supervisione, con l'atto di designazione.",
        },
        counter=counter,
    )
    referents = (
        (
            "PUG_POGGIARDO",
            "Lucia Martella",
            "Responsabile dell'Ufficio di Piano",
            "coordinatore.poggiardo",
            "Determina n. 215/2024",
            datetime.date(2024, 9, 12),
            datetime.date(2024, 9, 13),
        ),
        (
            "PUG_MAGLIE",
            "Paolo Greco",
            "Assistente sociale coordinatore",
            "referente.maglie",
            "Determina n. 88/2024",
            datetime.date(2024, 9, 20),
            datetime.date(2024, 9, 23),
        ),
        (
            "PUG_CASARANO",
            "Giulia Ferrari",
            "Responsabile dei servizi sociali",
            "referente.casarano",
            "Decreto n. 14/2024",
            datetime.date(2024, 9, 25),
            datetime.date(2024, 9, 27),
        ),
    )
    for code, full_name, role, username, act, act_date, answered in referents:
        ensure(
            ReferentDesignation,
            {"request": request, "ambito": Ambito.objects.get(code=code)},
            {
                "full_name": full_name,
                "role": role,
                "email": f"{username}@demo.supervisione.invalid",
                "phone": "0836 000000",
                "act_number": act,
                "act_date": act_date,
                "answered_on": answered,
            },
            counter=counter,
        )


def _load_sansevero(
    puglia: Region, organisations: dict[str, Organisation], users: dict[str, User], counter: Counter
) -> None:
    partnership = Partnership.objects.get(code="SANSEVERO-114")
    deadline = datetime.date(2023, 4, 17)
    _sansevero_referents(partnership, deadline, counter)
    campaign = ensure(
        CensusCampaign,
        {"partnership": partnership, "title": "Ricognizione del personale 2023 (Allegato 2)"},
        {
            "reference_date": datetime.date(2023, 3, 31),
            "deadline": deadline,
            "notes": "Da trasmettere con l'Allegato 1 entro il 17/04/2023.",
        },
        counter=counter,
    )
    coordinator = users.get("coordinatore.sansevero")
    plan = (
        # code, status, submitted, reviewed, AS, employer
        (
            "PUG_SANSEVERO",
            CensusStatus.VALIDATED,
            datetime.date(2023, 4, 14),
            datetime.date(2023, 4, 18),
            12,
            "Comune di San Severo",
        ),
        ("PUG_LUCERA", CensusStatus.SUBMITTED, datetime.date(2023, 4, 19), None, 8, "Comune di Lucera"),
        ("PUG_SANMARCO", CensusStatus.DRAFT, None, None, 3, "Comune di San Marco in Lamis"),
        ("PUG_TROIA", CensusStatus.DRAFT, None, None, 0, "Comune di Troia"),
    )
    offset = 1000
    for code, status, submitted, reviewed, count, employer in plan:
        ambito = Ambito.objects.get(code=code)
        census = _census(
            campaign,
            ambito,
            status,
            counter,
            submitted=submitted,
            submitted_by=coordinator if submitted else None,
            reviewed=reviewed,
            reviewed_by=coordinator if reviewed else None,
        )
        municipalities = list(ambito.municipalities_at(campaign.reference_date).order_by("name"))[:2]
        for index in range(count):
            post = Post(
                Profession.SOCIAL_WORKER,
                employer,
                Service.SSP if index % 3 else Service.SEGRETARIATO,
                Contract.PERMANENT if index % 4 else Contract.FIXED_TERM,
                36,
                PostFunding.MUNICIPAL,
                datetime.date(2010 + index % 10, 2, 1),
            )
            person = _person(offset + index, post.profession, puglia, counter)
            _position(census, person, post, post.service, post.hours, organisations, municipalities, counter)
        offset += 100


def _sansevero_referents(partnership: Partnership, deadline: datetime.date, counter: Counter) -> None:
    """The Allegato 1 of San Severo: the request and the designations of the two ATS that answered."""
    request = ensure(
        ReferentRequest,
        {"partnership": partnership, "deadline": deadline},
        {
            "title": "Designazione dei referenti (Allegato 1)",
            "message": "Trasmettere l'Allegato 1 entro il 17/04/2023, in vista della riunione di coordinamento del "
            "19/04/2023 alle 09:00 in videoconferenza.",
        },
        counter=counter,
    )
    answered = (
        (
            "PUG_SANSEVERO",
            "Michele Russo",
            "Responsabile dell'Ufficio di Piano",
            "Determina n. 301/2023",
            datetime.date(2023, 4, 11),
            datetime.date(2023, 4, 12),
        ),
        (
            "PUG_LUCERA",
            "Teresa Ianzano",
            "Assistente sociale",
            "Decreto n. 9/2023",
            datetime.date(2023, 4, 19),
            datetime.date(2023, 4, 20),
        ),
    )
    for code, full_name, role, act, act_date, on in answered:
        ensure(
            ReferentDesignation,
            {"request": request, "ambito": Ambito.objects.get(code=code)},
            {
                "full_name": full_name,
                "role": role,
                "email": f"referente.{code.lower()}@demo.supervisione.invalid",
                "phone": "0882 000000",
                "act_number": act,
                "act_date": act_date,
                "answered_on": on,
            },
            counter=counter,
        )

"""What every part of the generator shares: the options, the key counters, the writer and the in-memory records
that later parts refer to (ATS, municipalities, organisations)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from supervisione.demo.national.writer import Ids, Writer

SOURCE = "Dati sintetici (generate_national)"
EMAIL_DOMAIN = "dati-sintetici.invalid"


@dataclass(frozen=True)
class Options:
    ambiti: int
    years: int
    seed: int
    today: datetime.date

    @property
    def last_year(self) -> int:
        return self.today.year

    @property
    def first_year(self) -> int:
        return self.today.year - self.years + 1

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def confirmed_before(self) -> datetime.date:
        """Registers of sessions held before this day are confirmed; the last week's are still to confirm."""
        return self.today - datetime.timedelta(days=7)


@dataclass
class MunicipalityInfo:
    id: int
    istat_code: str
    name: str
    province: str
    province_code: str
    region_id: int
    place_code: str  # cadastral code, for the codici fiscali of people born there
    base_population: int = 0
    populations: dict[int, int] = field(default_factory=dict)  # year -> population on 31/12 of the year before


@dataclass
class Membership:
    municipality: MunicipalityInfo
    valid_from: datetime.date
    valid_to: datetime.date | None = None

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass
class AmbitoInfo:
    id: int
    code: str
    istat_code: str
    name: str
    region_id: int
    region_prefix: str
    region_name: str
    capofila: MunicipalityInfo
    memberships: list[Membership]
    managing_body: str
    body_is_consortium: bool

    def municipalities_on(self, day: datetime.date) -> list[MunicipalityInfo]:
        return [m.municipality for m in self.memberships if m.valid_on(day)]

    def population(self, year: int) -> int:
        day = datetime.date(year, 1, 1)
        return sum(m.municipality.populations.get(year, 0) for m in self.memberships if m.valid_on(day))


@dataclass
class PartnershipInfo:
    id: int
    code: str
    name: str
    region_id: int
    region_prefix: str
    ambiti: list[AmbitoInfo]
    cup: str

    @property
    def capofila(self) -> AmbitoInfo:
        return self.ambiti[0]


@dataclass
class World:
    options: Options
    ids: Ids
    writer: Writer
    password: str  # one hash for every user
    places: list[str] = field(default_factory=list)
    municipalities: list[MunicipalityInfo] = field(default_factory=list)
    ambiti: list[AmbitoInfo] = field(default_factory=list)
    partnerships: list[PartnershipInfo] = field(default_factory=list)
    organisations: dict[str, int] = field(default_factory=dict)  # a key (e.g. "asl:LE") -> organisation id
    region_names: dict[int, str] = field(default_factory=dict)
    albo_numbers: dict[int, int] = field(default_factory=dict)  # region id -> last Albo number given
    files: dict[str, tuple[str, int]] = field(default_factory=dict)  # document kind -> (stored path, size)

"""The shared personas of the test suite and the small territory they live in.

Built once per test session (``build_world``) and read back in each test (``World.load``), so that tests
run inside a transaction on top of it and cannot leak changes into each other.

- ``coordinator``: coordinator of POGGIARDO-114 (capofila PUG_POGGIARDO, partners PUG_MAGLIE, PUG_CASARANO);
- ``referent``: referent of PUG_MAGLIE, a partner ATS;
- ``supervisor``: supervisor in POGGIARDO-114;
- ``supervisee``: operatore of PUG_CASARANO;
- ``observer``: observer of Puglia (sees PUG_* ATS, aggregates only); ``national_observer``: everything;
- ``outsider``: coordinator of TREVISO-114 in Veneto, who must see nothing of Poggiardo;
- ``admin``; ``nobody``: a user without roles.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.territory.loaders import ensure_regions
from supervisione.territory.models import (
    Ambito,
    AmbitoMembership,
    Municipality,
    MunicipalityPopulation,
    Partnership,
    PartnershipMember,
    Region,
)

PASSWORD = "una-password-di-prova-lunga"
START = datetime.date(2021, 1, 1)

MUNICIPALITIES = [
    # istat, name, province, sigla, region istat, population, ATS
    ("075061", "Poggiardo", "Lecce", "LE", "16", 6119, "PUG_POGGIARDO"),
    ("075005", "Andrano", "Lecce", "LE", "16", 4962, "PUG_POGGIARDO"),
    ("075039", "Maglie", "Lecce", "LE", "16", 14819, "PUG_MAGLIE"),
    ("075016", "Casarano", "Lecce", "LE", "16", 19552, "PUG_CASARANO"),
    ("075042", "Matino", "Lecce", "LE", "16", 11108, "PUG_CASARANO"),
    ("071051", "San Severo", "Foggia", "FG", "16", 55321, "PUG_SANSEVERO"),
    ("026086", "Treviso", "Treviso", "TV", "05", 81014, "VEN_09"),
]
AMBITI = [
    ("PUG_POGGIARDO", "Ambito di Poggiardo", "16", "Poggiardo"),
    ("PUG_MAGLIE", "Ambito di Maglie", "16", "Maglie"),
    ("PUG_CASARANO", "Ambito di Casarano", "16", "Casarano"),
    ("PUG_SANSEVERO", "Ambito Alto Tavoliere", "16", "San Severo"),
    ("VEN_09", "ATS VEN_09 Treviso", "05", "Treviso"),
]
PARTNERSHIPS = [
    ("POGGIARDO-114", "PUG_POGGIARDO", ["PUG_MAGLIE", "PUG_CASARANO"]),
    ("SANSEVERO-114", "PUG_SANSEVERO", []),
    ("TREVISO-114", "VEN_09", []),
]
PERSONAS: list[tuple[str, Role | None, str]] = [
    ("admin", Role.ADMIN, ""),
    ("coordinator", Role.COORDINATOR, "POGGIARDO-114"),
    ("referent", Role.REFERENT, "PUG_MAGLIE"),
    ("supervisor", Role.SUPERVISOR, "POGGIARDO-114"),
    ("supervisee", Role.SUPERVISEE, "PUG_CASARANO"),
    ("observer", Role.OBSERVER, "16"),
    ("national_observer", Role.OBSERVER, ""),
    ("outsider", Role.COORDINATOR, "TREVISO-114"),
    ("nobody", None, ""),
]


def build_world() -> None:
    regions, _ = ensure_regions()
    by_code = {region.istat_code: region for region in regions.values()}
    municipalities: dict[str, Municipality] = {}
    for istat, name, province, sigla, region, population, _ambito in MUNICIPALITIES:
        municipality = Municipality.objects.create(
            istat_code=istat, name=name, province=province, province_code=sigla, region=by_code[region]
        )
        MunicipalityPopulation.objects.create(
            municipality=municipality,
            reference_date=datetime.date(2011, 10, 9),
            population=population,
            source="ISTAT",
        )
        municipalities[name] = municipality
    ambiti: dict[str, Ambito] = {}
    for code, name, region, capofila in AMBITI:
        ambiti[code] = Ambito.objects.create(
            code=code,
            name=name,
            region=by_code[region],
            capofila_municipality=municipalities[capofila],
            email=f"{code.lower()}@example.it",
        )
    for _istat, name, *_rest, ambito_code in MUNICIPALITIES:
        AmbitoMembership.objects.create(ambito=ambiti[ambito_code], municipality=municipalities[name], valid_from=START)
    for code, capofila, partners in PARTNERSHIPS:
        partnership = Partnership.objects.create(
            code=code,
            name=f"Partenariato {code}",
            capofila=ambiti[capofila],
            cup="J81H22000130006",
            start_date=datetime.date(2022, 9, 1),
            end_date=datetime.date(2026, 12, 31),
            budget=Decimal("210000"),
        )
        for member in [capofila, *partners]:
            PartnershipMember.objects.create(partnership=partnership, ambito=ambiti[member])
    for username, role, where in PERSONAS:
        user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title())
        if role is None:
            continue
        assignment = RoleAssignment(user=user, role=role)
        if role in (Role.COORDINATOR, Role.SUPERVISOR):
            assignment.partnership = Partnership.objects.get(code=where)
        elif role in (Role.REFERENT, Role.SUPERVISEE):
            assignment.ambito = ambiti[where]
        elif role == Role.OBSERVER and where:
            assignment.region = by_code[where]
        assignment.save()


@dataclass
class World:
    admin: User
    coordinator: User
    referent: User
    supervisor: User
    supervisee: User
    observer: User
    national_observer: User
    outsider: User
    nobody: User
    poggiardo: Ambito
    maglie: Ambito
    casarano: Ambito
    sansevero: Ambito
    treviso: Ambito
    partnership: Partnership
    sansevero_partnership: Partnership
    treviso_partnership: Partnership
    puglia: Region
    veneto: Region

    @classmethod
    def load(cls) -> World:
        users = {user.username: user for user in User.objects.all()}
        ambiti = {ambito.code: ambito for ambito in Ambito.objects.all()}
        partnerships = {p.code: p for p in Partnership.objects.all()}
        return cls(
            **{name: users[name] for name, _role, _where in PERSONAS},
            poggiardo=ambiti["PUG_POGGIARDO"],
            maglie=ambiti["PUG_MAGLIE"],
            casarano=ambiti["PUG_CASARANO"],
            sansevero=ambiti["PUG_SANSEVERO"],
            treviso=ambiti["VEN_09"],
            partnership=partnerships["POGGIARDO-114"],
            sansevero_partnership=partnerships["SANSEVERO-114"],
            treviso_partnership=partnerships["TREVISO-114"],
            puglia=Region.objects.get(istat_code="16"),
            veneto=Region.objects.get(istat_code="05"),
        )

    def user(self, persona: str) -> User:
        user: User = getattr(self, persona)
        return user

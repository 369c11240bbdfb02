"""Demo users, one per persona, all with the password ``demo-supervisione`` (demo only)."""

from __future__ import annotations

from dataclasses import dataclass

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.demo.loading import Counter, ensure
from supervisione.territory.models import Ambito, Partnership, Region

DEMO_PASSWORD = "demo-supervisione"  # noqa: S105  (published demo password; the command refuses production)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    where: str  # partnership code, ATS code, region ISTAT code, or "" for everywhere
    description: str


USERS = (
    DemoUser("admin", "Amministratore", "", Role.ADMIN, "", "amministratore: utenti, ruoli e dati di riferimento"),
    DemoUser(
        "coordinatore.poggiardo",
        "Lucia",
        "Martella",
        Role.COORDINATOR,
        "POGGIARDO-114",
        "coordinatrice del partenariato Poggiardo-Maglie-Casarano (erogazione)",
    ),
    DemoUser("referente.maglie", "Paolo", "Greco", Role.REFERENT, "PUG_MAGLIE", "referente dell'ATS di Maglie"),
    DemoUser(
        "referente.casarano",
        "Giulia",
        "Ferrari",
        Role.REFERENT,
        "PUG_CASARANO",
        "referente dell'ATS di Casarano",
    ),
    DemoUser(
        "coordinatore.sansevero",
        "Michele",
        "Russo",
        Role.COORDINATOR,
        "SANSEVERO-114",
        "coordinatore del partenariato di San Severo (avvio)",
    ),
    DemoUser(
        "coordinatore.treviso",
        "Elena",
        "Zanetti",
        Role.COORDINATOR,
        "TREVISO-114",
        "coordinatrice dell'ATS VEN_09 Treviso (gara)",
    ),
    DemoUser(
        "supervisore.demo",
        "Chiara",
        "Longo",
        Role.SUPERVISOR,
        "POGGIARDO-114",
        "supervisora della cooperativa Raggio di Sole",
    ),
    DemoUser(
        "operatore.demo",
        "Marco",
        "De Santis",
        Role.SUPERVISEE,
        "PUG_CASARANO",
        "assistente sociale dell'ATS di Casarano",
    ),
    DemoUser(
        "osservatore.puglia",
        "Osservatorio",
        "Regione Puglia",
        Role.OBSERVER,
        "16",
        "osservatore della Regione Puglia (solo dati aggregati)",
    ),
)


def load_users(counter: Counter) -> dict[str, User]:
    users: dict[str, User] = {}
    for spec in USERS:
        user = ensure(
            User,
            {"username": spec.username},
            {
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.supervisione.invalid",
                "is_active": True,
            },
            counter=counter,
        )
        # Set the password only when it differs, so that a second run changes nothing.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        scope: dict[str, object] = {"partnership": None, "ambito": None, "region": None}
        if spec.role in (Role.COORDINATOR, Role.SUPERVISOR):
            scope["partnership"] = Partnership.objects.get(code=spec.where)
        elif spec.role in (Role.REFERENT, Role.SUPERVISEE):
            scope["ambito"] = Ambito.objects.get(code=spec.where)
        elif spec.role == Role.OBSERVER and spec.where:
            scope["region"] = Region.objects.get(istat_code=spec.where)
        ensure(RoleAssignment, {"user": user, "role": spec.role, **scope}, counter=counter)
        users[spec.username] = user
    return users

"""Users of the national data set, with names that can be worked out from the codes (for benchmarks and tests).

======================================  ===================================================================
``admin``                               administrator
``osservatore.nazionale``               observer of the whole country
``osservatore.<regione>``               observer of a region, by its ministry prefix (``osservatore.pug``)
``coordinatore.<partenariato>``         coordinator of a partnership (``coordinatore.pug-p01``)
``referente.<ats>``                     referent of an ATS (``referente.pug_03``)
``supervisore.<partenariato>.<n>``      the n-th supervisor of a partnership (``supervisore.pug-p01.1``)
``operatore.<ats>.<n>``                 the n-th linked supervisee (an AS) of an ATS (``operatore.pug_03.1``)
======================================  ===================================================================

Codes are lower-case. Every user has the demo password. The n-th supervisor counts from 1 in the order of
the partnership's supervisor registry (A1/A2 supervisors first, then A3, extra-LEPS, and one not eligible).
"""

from __future__ import annotations

import datetime
import random

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.demo.national.context import EMAIL_DOMAIN, World
from supervisione.demo.national.names import FEMALE_NAMES, MALE_NAMES, SURNAMES
from supervisione.demo.national.writer import aware
from supervisione.territory.models import Region

USER_FIELDS = ["id", "password", "username", "first_name", "last_name", "email", "date_joined"]
ROLE_FIELDS = ["id", "user_id", "role", "partnership_id", "ambito_id", "region_id", "created_at"]


def joined(world: World) -> datetime.datetime:
    return aware(datetime.date(world.options.first_year - 1, 9, 1), 9)


def add_user(
    world: World,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    *,
    partnership_id: int | None = None,
    ambito_id: int | None = None,
    region_id: int | None = None,
) -> int:
    user_id = world.ids.next(User)
    when = joined(world)
    world.writer.table(User, USER_FIELDS).add(
        user_id, world.password, username, first_name, last_name, f"{username}@{EMAIL_DOMAIN}", when
    )
    world.writer.table(RoleAssignment, ROLE_FIELDS).add(
        world.ids.next(RoleAssignment), user_id, role, partnership_id, ambito_id, region_id, when
    )
    return user_id


def random_name(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.7
    return rng.choice(FEMALE_NAMES if female else MALE_NAMES), rng.choice(SURNAMES)


def load_national_users(world: World) -> None:
    add_user(world, "admin", "Amministratore", "", Role.ADMIN)
    add_user(world, "osservatore.nazionale", "Osservatorio", "nazionale", Role.OBSERVER)
    for region in Region.objects.order_by("istat_code"):
        add_user(
            world,
            f"osservatore.{region.ministry_prefix.lower()}",
            "Osservatorio",
            region.name,
            Role.OBSERVER,
            region_id=region.pk,
        )

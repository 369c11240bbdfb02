"""Every territory page against every persona: allowed (200), read-only (403) or invisible (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
EVERYONE = dict.fromkeys(PERSONA_NAMES, 200)


def only(allowed: set[str], *, hidden: set[str] | frozenset[str] = frozenset(), default: int = 403) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 if name in hidden else default for name in PERSONA_NAMES}


ADMIN_ONLY = only({"admin"})
OUTSIDE_MAGLIE = {"supervisee", "outsider", "nobody"}
OUTSIDE_POGGIARDO = {"outsider", "nobody"}

PAGES: list[tuple[str, list[str], dict[str, int]]] = [
    ("territory:region_list", [], EVERYONE),
    ("territory:region_detail", ["16"], EVERYONE),
    ("territory:region_create", [], ADMIN_ONLY),
    ("territory:region_edit", ["16"], ADMIN_ONLY),
    ("territory:municipality_list", [], EVERYONE),
    ("territory:municipality_detail", ["075039"], EVERYONE),
    ("territory:municipality_create", [], ADMIN_ONLY),
    ("territory:municipality_edit", ["075039"], ADMIN_ONLY),
    ("territory:population_add", ["075039"], ADMIN_ONLY),
    ("territory:ambito_list", [], EVERYONE),
    ("territory:ambito_create", [], ADMIN_ONLY),
    (
        "territory:ambito_detail",
        ["PUG_MAGLIE"],
        only(set(PERSONA_NAMES) - OUTSIDE_MAGLIE, hidden=OUTSIDE_MAGLIE),
    ),
    (
        "territory:ambito_edit",
        ["PUG_MAGLIE"],
        only({"admin", "coordinator", "referent"}, hidden=OUTSIDE_MAGLIE),
    ),
    (
        "territory:membership_add",
        ["PUG_MAGLIE"],
        only({"admin", "coordinator", "referent"}, hidden=OUTSIDE_MAGLIE),
    ),
    (
        "territory:membership_bulk_add",
        ["PUG_MAGLIE"],
        only({"admin", "coordinator", "referent"}, hidden=OUTSIDE_MAGLIE),
    ),
    ("territory:partnership_list", [], EVERYONE),
    ("territory:partnership_create", [], ADMIN_ONLY),
    (
        "territory:partnership_detail",
        ["POGGIARDO-114"],
        only(set(PERSONA_NAMES) - OUTSIDE_POGGIARDO, hidden=OUTSIDE_POGGIARDO),
    ),
    (
        "territory:partnership_edit",
        ["POGGIARDO-114"],
        only({"admin", "coordinator"}, hidden=OUTSIDE_POGGIARDO),
    ),
    ("territory:member_add", ["POGGIARDO-114"], only({"admin", "coordinator"}, hidden=OUTSIDE_POGGIARDO)),
    ("territory:organisation_list", [], EVERYONE),
    ("territory:organisation_create", [], only({"admin", "coordinator", "referent", "outsider"})),
    ("home:home", [], EVERYONE),
    ("accounts:profile", [], EVERYONE),
]


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona_as_the_scope_says(
    world: World, client_for: Any, name: str, args: list[str], expected: dict[str, int]
) -> None:
    url = reverse(name, args=args)
    answers = {persona: client_for(persona).get(url).status_code for persona in PERSONA_NAMES}
    assert answers == expected


@pytest.mark.parametrize(("name", "args", "_expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_sends_anonymous_users_to_login(world: World, name: str, args: list[str], _expected: object) -> None:
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_writes_from_outsiders_without_changing_anything(world: World, client_for: Any) -> None:
    url = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    response = client_for("outsider").post(
        url, {"name": "Preso da fuori", "code": "PUG_MAGLIE", "region": world.puglia.pk}
    )
    assert response.status_code == 404
    world.maglie.refresh_from_db()
    assert world.maglie.name == "Ambito di Maglie"


def test_it_hides_other_ambiti_from_the_region_and_municipality_pages(world: World, client_for: Any) -> None:
    client = client_for("outsider")
    region_page = client.get(reverse("territory:region_detail", args=["16"])).content.decode()
    assert "Ambito di Maglie" not in region_page
    municipality_page = client.get(reverse("territory:municipality_detail", args=["075039"])).content.decode()
    assert "Ambito di Maglie" not in municipality_page
    listing = client.get(reverse("territory:ambito_list")).content.decode()
    assert "Ambito di Maglie" not in listing
    assert "ATS VEN_09 Treviso" in listing

"""Every monitoring page against every persona: allowed (200), not for them (403) or invisible (404); anonymous
users go to the login page. Observers read figures, never a person's name."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from supervisione.testing.world import PERSONAS

from .conftest import Year

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
NAMES = ("De Santis", "Rizzo", "Ferrara", "Verdi", "Greco", "Longo")


def only(allowed: set[str], *, hidden: set[str] | frozenset[str] = frozenset(), default: int = 403) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 if name in hidden else default for name in PERSONA_NAMES}


OBSERVERS = {"observer", "national_observer"}
POGGIARDO_HIDDEN = {"outsider", "nobody"}

PAGES: list[tuple[str, Callable[[Year], str], dict[str, int]]] = [
    (
        "partnership",
        lambda _y: "/monitoraggio/partenariati/POGGIARDO-114/",
        only({"admin", "coordinator", "referent", "supervisor", *OBSERVERS}, hidden=POGGIARDO_HIDDEN),
    ),
    (
        "ambito",
        lambda _y: "/monitoraggio/ats/PUG_CASARANO/",
        only({"admin", "coordinator", "supervisor", *OBSERVERS}, hidden={"referent", "outsider", "nobody"}),
    ),
    ("observatory", lambda _y: "/monitoraggio/osservatorio/", only({"admin", *OBSERVERS})),
    (
        "group",
        lambda y: f"/monitoraggio/gruppi/{y.cal.group.pk}/",
        only({"admin", "coordinator", "supervisor", "supervisee", *OBSERVERS}, hidden=POGGIARDO_HIDDEN),
    ),
    (
        "supervisor",
        lambda y: f"/monitoraggio/supervisori/{y.cal.supervisor.pk}/",
        only({"admin", "coordinator", "supervisor"}, hidden=POGGIARDO_HIDDEN),
    ),
    (
        "person",
        lambda y: f"/monitoraggio/persone/{y.cal.marco.pk}/",
        only(
            {"admin", "coordinator", "supervisee"}, hidden=set(PERSONA_NAMES) - {"admin", "coordinator", "supervisee"}
        ),
    ),
    (
        "report",
        lambda _y: "/monitoraggio/partenariati/POGGIARDO-114/relazione/",
        only({"admin", "coordinator", "referent"}, hidden=POGGIARDO_HIDDEN),
    ),
    (
        "ambito report",
        lambda _y: "/monitoraggio/ats/PUG_MAGLIE/relazione/",
        only({"admin", "coordinator", "referent"}, hidden={"supervisee", "outsider", "nobody"}),
    ),
    (
        "evidence pack",
        lambda _y: "/monitoraggio/partenariati/POGGIARDO-114/pacchetto-pnrr/",
        only({"admin", "coordinator"}, hidden=POGGIARDO_HIDDEN),
    ),
    (
        "poa monitoring",
        lambda y: f"/monitoraggio/piani/{y.plan.pk}/poa.xlsx",
        only({"admin", "coordinator", "referent"}, hidden=POGGIARDO_HIDDEN),
    ),
    (
        "a2 pools",
        lambda y: f"/monitoraggio/piani/{y.plan.pk}/monte-ore-a2/",
        only({"admin", "coordinator", "referent", "supervisor", *OBSERVERS}, hidden=POGGIARDO_HIDDEN),
    ),
    ("alerts", lambda _y: "/monitoraggio/avvisi/", dict.fromkeys(PERSONA_NAMES, 200)),
    (
        "index",
        lambda _y: "/monitoraggio/",
        {
            **only({"admin", "coordinator", "referent", "supervisor", "supervisee", "outsider"}),
            "observer": 302,
            "national_observer": 302,
        },
    ),
]


@pytest.mark.parametrize(("page", "path", "expected"), PAGES, ids=[page for page, _path, _expected in PAGES])
def test_it_answers_each_persona_as_its_role_allows(
    page: str,
    path: Callable[[Year], str],
    expected: dict[str, int],
    year: Year,
    on_today: datetime.date,
    client_for: Any,
) -> None:
    url = path(year)
    for persona, status in expected.items():
        response = client_for(persona).get(url)
        assert response.status_code == status, (page, persona, response.status_code)
        if status == 200 and persona in OBSERVERS and response.get("Content-Type", "").startswith("text/html"):
            text = response.content.decode()
            assert not [name for name in NAMES if name in text], (page, persona)
    anonymous: Client = client_for(None)
    assert anonymous.get(url).status_code == 302


def test_it_shows_names_to_the_coordinator_and_the_referent_only_of_their_own_ats(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    coordinator = client_for("coordinator").get("/monitoraggio/partenariati/POGGIARDO-114/").content.decode()
    assert "Verdi" in coordinator
    assert "Rizzo" in coordinator
    referent = client_for("referent").get("/monitoraggio/partenariati/POGGIARDO-114/").content.decode()
    assert "Verdi" not in referent
    assert "Rizzo" not in referent
    assert "Gruppo A1 Casarano" in referent
    supervisor = client_for("supervisor").get("/monitoraggio/partenariati/POGGIARDO-114/").content.decode()
    assert "Verdi" not in supervisor
    assert "Spesa per fonte" not in supervisor


def test_it_shows_a2_sessions_to_the_group_page_as_who_when_and_how_long(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    page = client_for("supervisee").get(f"/monitoraggio/gruppi/{year.cal.group.pk}/").content.decode()
    # Marco sees his own individual session by name, the others' only as reserved.
    assert "De Santis Marco" in page
    assert "Ferrara Luca" not in page
    assert "riservato" in page
    coordinator = client_for("coordinator").get(f"/monitoraggio/gruppi/{year.cal.group.pk}/").content.decode()
    assert "Ferrara Luca" in coordinator

"""Every census page against every persona: allowed (200), read-only (403) or invisible (404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.census.models import Census, ImportJob, ImportStatus, Position, ReferentDesignation, ReferentRequest
from supervisione.census.tests.factories import campaign, person, position
from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
EVERYONE = dict.fromkeys(PERSONA_NAMES, 200)
OUTSIDE_MAGLIE = {"supervisee", "outsider", "nobody"}
OUTSIDE_POGGIARDO = {"outsider", "nobody"}
SECRET_SURNAME = "Zanzottera"


def only(allowed: set[str], *, hidden: set[str], default: int = 403) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 if name in hidden else default for name in PERSONA_NAMES}


@dataclass
class Objects:
    campaign_pk: int
    position_pk: int
    job_pk: int
    request_pk: int


@pytest.fixture
def objects(world: World) -> Objects:
    made = campaign(world.partnership)
    maglie = Census.objects.get(campaign=made, ambito=world.maglie)
    someone = person(1, surname=SECRET_SURNAME)
    held = position(maglie, someone)
    job = ImportJob.objects.create(census=maglie, filename="f.csv", kind="csv", status=ImportStatus.CANCELLED)
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2024, 9, 30))
    ReferentDesignation.objects.create(
        request=request,
        ambito=world.maglie,
        full_name="Ugo Zanzottera",
        role="Referente",
        email="ugo@example.it",
        act_number="Determina 1",
        act_date=datetime.date(2024, 9, 1),
        answered_on=datetime.date(2024, 9, 2),
    )
    return Objects(made.pk, held.pk, job.pk, request.pk)


PEOPLE_OF_MAGLIE = only({"admin", "coordinator", "referent"}, hidden=OUTSIDE_MAGLIE)
COORDINATOR_OF_POGGIARDO = only({"admin", "coordinator"}, hidden=OUTSIDE_POGGIARDO)
COORDINATOR_ON_MAGLIE = only({"admin", "coordinator"}, hidden=OUTSIDE_MAGLIE)
SEES_PEOPLE = only(
    {"admin", "coordinator", "referent", "supervisor", "supervisee", "outsider"},
    hidden=set(),
)

PAGES: list[tuple[str, str, dict[str, int]]] = [
    ("census:index", "", EVERYONE),
    ("census:import_template", "", SEES_PEOPLE),
    ("census:campaign_detail", "campaign", only(set(PERSONA_NAMES) - OUTSIDE_POGGIARDO, hidden=OUTSIDE_POGGIARDO)),
    ("census:campaign_create", "partnership", COORDINATOR_OF_POGGIARDO),
    ("census:campaign_edit", "campaign", COORDINATOR_OF_POGGIARDO),
    ("census:campaign_export", "campaign-xlsx", COORDINATOR_OF_POGGIARDO),
    ("census:census_detail", "census", only(set(PERSONA_NAMES) - OUTSIDE_MAGLIE, hidden=OUTSIDE_MAGLIE)),
    ("census:census_export", "census-xlsx", PEOPLE_OF_MAGLIE),
    ("census:census_export", "census-csv", PEOPLE_OF_MAGLIE),
    ("census:position_create", "census", PEOPLE_OF_MAGLIE),
    ("census:import_start", "census", PEOPLE_OF_MAGLIE),
    ("census:census_return", "census", COORDINATOR_ON_MAGLIE),
    ("census:position_edit", "position", PEOPLE_OF_MAGLIE),
    ("census:import_detail", "job", PEOPLE_OF_MAGLIE),
    ("census:referent_request_create", "partnership", COORDINATOR_OF_POGGIARDO),
    (
        "census:referent_request_detail",
        "request",
        only(set(PERSONA_NAMES) - OUTSIDE_POGGIARDO, hidden=OUTSIDE_POGGIARDO),
    ),
    ("census:referent_designate", "request-maglie", PEOPLE_OF_MAGLIE),
    ("census:referent_export", "request-xlsx", COORDINATOR_OF_POGGIARDO),
    ("census:ambito_ratio", "maglie", only(set(PERSONA_NAMES) - OUTSIDE_MAGLIE, hidden=OUTSIDE_MAGLIE)),
    (
        "census:partnership_ratio",
        "partnership",
        only(set(PERSONA_NAMES) - OUTSIDE_POGGIARDO, hidden=OUTSIDE_POGGIARDO),
    ),
]


def _url(name: str, kind: str, objects: Objects) -> str:
    args: dict[str, list[Any]] = {
        "": [],
        "partnership": ["POGGIARDO-114"],
        "maglie": ["PUG_MAGLIE"],
        "campaign": [objects.campaign_pk],
        "campaign-xlsx": [objects.campaign_pk, "xlsx"],
        "census": [objects.campaign_pk, "PUG_MAGLIE"],
        "census-xlsx": [objects.campaign_pk, "PUG_MAGLIE", "xlsx"],
        "census-csv": [objects.campaign_pk, "PUG_MAGLIE", "csv"],
        "position": [objects.position_pk],
        "job": [objects.job_pk],
        "request": [objects.request_pk],
        "request-maglie": [objects.request_pk, "PUG_MAGLIE"],
        "request-xlsx": [objects.request_pk, "xlsx"],
    }
    return reverse(name, args=args[kind])


@pytest.mark.parametrize(("name", "kind", "expected"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_it_answers_each_persona_as_the_scope_says(
    objects: Objects, client_for: Any, name: str, kind: str, expected: dict[str, int]
) -> None:
    url = _url(name, kind, objects)
    answers = {persona: client_for(persona).get(url).status_code for persona in PERSONA_NAMES}
    assert answers == expected


@pytest.mark.parametrize(("name", "kind", "_expected"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_it_sends_anonymous_users_to_login(objects: Objects, name: str, kind: str, _expected: object) -> None:
    response = Client().get(_url(name, kind, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["supervisor", "observer", "national_observer"])
def test_it_shows_aggregates_but_no_names_to_those_who_do_not_manage_the_census(
    objects: Objects, client_for: Any, persona: str
) -> None:
    client = client_for(persona)
    census_page = client.get(_url("census:census_detail", "census", objects)).content.decode()
    assert SECRET_SURNAME not in census_page
    assert "Assistente sociale" in census_page  # the summary by profession
    assert "solo i dati aggregati" in census_page
    for name, kind in (("census:campaign_detail", "campaign"), ("census:ambito_ratio", "maglie")):
        assert SECRET_SURNAME not in client.get(_url(name, kind, objects)).content.decode()


def test_it_hides_referent_names_from_observers_only(objects: Objects, client_for: Any) -> None:
    url = _url("census:referent_request_detail", "request", objects)
    assert SECRET_SURNAME not in client_for("observer").get(url).content.decode()
    assert SECRET_SURNAME in client_for("supervisor").get(url).content.decode()
    assert SECRET_SURNAME in client_for("coordinator").get(url).content.decode()


def test_it_shows_names_to_the_referent_and_the_coordinator(objects: Objects, client_for: Any) -> None:
    url = _url("census:census_detail", "census", objects)
    for persona in ("referent", "coordinator", "admin"):
        assert SECRET_SURNAME in client_for(persona).get(url).content.decode()


def test_it_refuses_writes_from_outsiders_and_read_only_personas(objects: Objects, client_for: Any) -> None:
    position = Position.objects.get(pk=objects.position_pk)
    for persona, expected in (("outsider", 404), ("supervisee", 404), ("supervisor", 403), ("observer", 403)):
        response = client_for(persona).post(reverse("census:position_delete", args=[position.pk]))
        assert response.status_code == expected, persona
        submit = client_for(persona).post(_url("census:census_submit", "census", objects))
        assert submit.status_code == expected, persona
    assert Position.objects.filter(pk=position.pk).exists()
    assert Census.objects.get(campaign_id=objects.campaign_pk, ambito__code="PUG_MAGLIE").status == "draft"

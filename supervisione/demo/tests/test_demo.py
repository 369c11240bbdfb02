from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.planning.rules import DEFAULT_RULES
from supervisione.supervisors.eligibility import eligibility_table, with_qualifications
from supervisione.supervisors.models import Contract, Supervisor
from supervisione.territory.models import Ambito, Partnership
from supervisione.territory.queries import population_at

DEMO_USERS = [
    "admin",
    "coordinatore.poggiardo",
    "referente.maglie",
    "referente.casarano",
    "coordinatore.sansevero",
    "coordinatore.treviso",
    "supervisore.demo",
    "operatore.demo",
    "osservatore.puglia",
]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every project table, to prove that a second run changes nothing."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "axes", "contenttypes", "auth"}:
            continue
        tables[model._meta.label] = sorted(tuple(str(v) for v in row) for row in model._default_manager.values_list())
    return tables


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Path) -> str:
    # Demo documents go to a temporary MEDIA_ROOT, never into the project's.
    settings.MEDIA_ROOT = tmp_path
    # The world's objects share codes with the demo: start from an empty territory.
    for model in (Partnership, Ambito):
        model.objects.all().delete()
    User.objects.all().delete()
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--skip-municipalities", stdout=out)
    return out.getvalue()


def test_it_loads_the_three_partnerships_with_their_ambiti(demo: str) -> None:
    codes = {p.code: sorted(p.members.values_list("code", flat=True)) for p in Partnership.objects.all()}
    assert codes == {
        "POGGIARDO-114": ["PUG_CASARANO", "PUG_MAGLIE", "PUG_POGGIARDO"],
        "SANSEVERO-114": ["PUG_LUCERA", "PUG_SANMARCO", "PUG_SANSEVERO", "PUG_TROIA"],
        "TREVISO-114": ["VEN_09"],
    }
    casarano = Ambito.objects.get(code="PUG_CASARANO")
    assert population_at(casarano, datetime.date(2022, 1, 1)).total == 70274
    assert casarano.composition_verified
    assert not Ambito.objects.get(code="PUG_MAGLIE").composition_verified
    assert Ambito.objects.get(code="PUG_POGGIARDO").memberships.count() == 15


def test_it_prints_the_demo_logins(demo: str) -> None:
    for username in DEMO_USERS:
        assert username in demo
    assert "demo-supervisione" in demo


def test_it_lets_every_demo_user_log_in(demo: str) -> None:
    for username in DEMO_USERS:
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": username, "password": "demo-supervisione"})
        assert response.status_code == 302, username
        assert client.get(reverse("home:home")).status_code == 200


def test_it_changes_nothing_when_run_twice(demo: str) -> None:
    before = _snapshot()
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--skip-municipalities", stdout=out)
    assert "0 creati, 0 aggiornati" in out.getvalue()
    assert _snapshot() == before


def test_it_refuses_to_run_without_debug_unless_forced(db: Any) -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG è disattivato"):
        call_command("demo", "--skip-municipalities", stdout=io.StringIO())


def test_it_loads_the_supervisors_contracts_and_tenders_of_the_demo(demo: str) -> None:
    raggio = Contract.objects.get(provider__name="Raggio di Sole Onlus")
    assert raggio.procedure == "co_design"
    assert raggio.cup == "J81H22000130006"
    assert "illustrativi" in raggio.notes
    assert raggio.codesign.opened_on == datetime.date(2024, 10, 23)
    assert raggio.codesign.proposal_approved_on == datetime.date(2025, 1, 14)
    assert "56 assistenti sociali" in raggio.codesign.proposal_title
    assert raggio.codesign.meetings.get(is_final=True).held_on == datetime.date(2025, 1, 14)
    assert {line.kind for line in raggio.lines.all()} == {"A1", "A2", "A3"}
    treviso = Contract.objects.get(simog_code="9030232")
    assert treviso.mepa_code == "3534973"
    deadline = treviso.deadlines.get()
    assert timezone.localtime(deadline.due_at).strftime("%d/%m/%Y %H:%M") == "26/05/2023 23:59"
    assert "piattaforma" in deadline.postponements.get().reason
    longo = Supervisor.objects.get(user__username="supervisore.demo")
    assert (longo.surname, longo.name, longo.provider) == ("Longo", "Chiara", raggio.provider)
    eligible = {
        supervisor.surname: [item.eligible for item in row]
        for supervisor in with_qualifications(Supervisor.objects.all())
        for row in [eligibility_table([supervisor], DEFAULT_RULES)[supervisor.pk]]
    }
    assert eligible == {
        "Longo": [True, True, True],
        "Russo": [False, False, True],
        "Perrone": [False, False, True],
        "Caputo": [False, False, False],
    }
    # The Treviso tender, past its postponed deadline, is on its coordinator's home page.
    client = Client()
    client.force_login(User.objects.get(username="coordinatore.treviso"))
    page = client.get(reverse("home:home")).content.decode()
    assert "gara MePA): registra l&#x27;esito della procedura" in page
    assert "26/05/2023 alle 23:59 (dopo una proroga)" in page

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from supervisione.accounts.models import User
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
def demo(db: Any) -> str:
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

"""The demo, loaded once: each app checks its part, then a second run must change nothing.

Loading the demo takes seconds, so there is one test that loads it and asks every app's ``demo_checks`` to
verify its data. A new app adds its ``check_<app>_demo`` to ``CHECKS``.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.census.tests.demo_checks import check_census_demo
from supervisione.demo.sessions import ROME
from supervisione.funding.tests.demo_checks import check_funding_demo
from supervisione.funding.tests.pnrr_demo_checks import check_pnrr_demo
from supervisione.meetings.tests.demo_checks import check_meetings_demo
from supervisione.monitoring.tests.demo_checks import check_monitoring_demo, check_observatory_summary_demo
from supervisione.planning.tests.demo_checks import check_planning_demo
from supervisione.procurement.tests.demo_checks import check_procurement_demo
from supervisione.sessions.tests.demo_checks import check_sessions_demo
from supervisione.supervisors.tests.demo_checks import check_supervisors_demo
from supervisione.territory.models import Ambito, Partnership
from supervisione.territory.queries import population_at
from supervisione.wellbeing.tests.demo_checks import check_wellbeing_demo

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


def check_territory_demo() -> None:
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


CHECKS: tuple[Callable[[], None], ...] = (
    check_territory_demo,
    check_census_demo,
    check_supervisors_demo,
    check_procurement_demo,
    check_planning_demo,
    check_sessions_demo,
    check_funding_demo,
    check_pnrr_demo,
    check_monitoring_demo,
    check_meetings_demo,
    check_observatory_summary_demo,
    check_wellbeing_demo,
)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every project table, to prove that a second run changes nothing."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "axes", "contenttypes", "auth"}:
            continue
        tables[model._meta.label] = sorted(tuple(str(v) for v in row) for row in model._default_manager.values_list())
    return tables


def _run_demo() -> str:
    # --force rather than DEBUG on, which is all the command asks of DEBUG (its refusal is tested below): with
    # DEBUG on Django logs every query, and on SQLite runs one more to quote each one's parameters (a quarter
    # of the loading time).
    out = io.StringIO()
    call_command("demo", "--skip-municipalities", "--force", stdout=out)
    return out.getvalue()


def _empty(settings: Any, tmp_path: Path) -> None:
    """Demo documents go to a temporary MEDIA_ROOT. The world's objects share codes with the demo: start from an
    empty territory."""
    settings.MEDIA_ROOT = tmp_path
    for model in (Partnership, Ambito):
        model.objects.all().delete()
    User.objects.all().delete()


# A Monday morning in late November: the year's sessions nearly all held, December's still to come.
LOADED_AT = datetime.datetime(2026, 11, 23, 10, 7, tzinfo=ROME)


def test_it_loads_the_whole_demo_once_and_changes_nothing_the_second_time(
    db: Any, settings: Any, tmp_path: Path
) -> None:
    _empty(settings, tmp_path)
    with time_machine.travel(LOADED_AT, tick=False):
        output = _run_demo()
        _check_whole_demo(output)


def _check_whole_demo(output: str) -> None:
    for username in DEMO_USERS:
        assert username in output
    assert "demo-supervisione" in output
    for check in CHECKS:
        check()

    before = _snapshot()
    assert "0 creati, 0 aggiornati" in _run_demo()
    assert _snapshot() == before

    for username in DEMO_USERS:
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": username, "password": "demo-supervisione"})
        assert response.status_code == 302, username
        assert client.get(reverse("home:home")).status_code == 200, username


def test_it_refuses_to_run_without_debug_unless_forced(db: Any) -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG è disattivato"):
        call_command("demo", "--skip-municipalities", stdout=io.StringIO())

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from supervisione.home.steps import providers
from supervisione.home.views import greeting
from supervisione.testing.frozen import frozen
from supervisione.testing.world import PERSONAS, World


@frozen(2026, 11, 10)  # 10:00 in Rome
@pytest.mark.parametrize("persona", [name for name, _role, _where in PERSONAS])
def test_it_greets_every_persona_with_a_next_step_or_an_all_clear(world: World, client_for: Any, persona: str) -> None:
    page = client_for(persona).get(reverse("home:home")).content.decode()
    assert "Buongiorno" in page
    assert "Cosa fare adesso" in page or "non ha ancora un ruolo" in page


def test_it_greets_by_the_hour_in_rome() -> None:
    assert [greeting(hour) for hour in (0, 4, 5, 12, 16, 17, 23)] == [
        "Buonasera",
        "Buonasera",
        "Buongiorno",
        "Buongiorno",
        "Buongiorno",
        "Buonasera",
        "Buonasera",
    ]


@frozen(2026, 11, 10, 21, 30)
def test_it_says_good_evening_at_night(world: World, client_for: Any) -> None:
    assert "Buonasera, " in client_for("coordinator").get(reverse("home:home")).content.decode()


def test_it_tells_a_user_without_roles_whom_to_ask(world: World, client_for: Any) -> None:
    page = client_for("nobody").get(reverse("home:home")).content.decode()
    assert "Il tuo account non ha ancora un ruolo" in page


def test_it_asks_the_coordinator_for_missing_contacts(world: World, client_for: Any) -> None:
    page = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "Completa i contatti di Ambito di Maglie" in page
    assert "Completa i contatti di ATS VEN_09 Treviso" not in page


def test_it_asks_for_the_cup_of_a_pnrr_partnership(world: World, client_for: Any) -> None:
    world.partnership.cup = ""
    world.partnership.save()
    page = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "Indica il CUP di" in page


def test_it_shows_the_partnerships_of_the_user_only(world: World, client_for: Any) -> None:
    page = client_for("outsider").get(reverse("home:home")).content.decode()
    assert "TREVISO-114" in page
    assert "POGGIARDO-114" not in page


def test_it_asks_the_admin_to_load_the_municipalities(world: World, client_for: Any) -> None:
    page = client_for("admin").get(reverse("home:home")).content.decode()
    assert "Carica l&#x27;elenco nazionale dei comuni" in page


def test_it_asks_every_app_that_has_steps() -> None:
    # The home page imports no app: an app's steps.py reaches it only through settings.HOME_STEPS.
    root = Path(__file__).resolve().parents[2]
    apps_with_steps = {path.parent.name for path in root.glob("*/steps.py") if path.parent.name not in {"home", "lib"}}
    listed = {path.split(".")[1] for path in settings.HOME_STEPS}
    assert listed == apps_with_steps
    assert all(callable(provider) for provider in providers())


@pytest.mark.parametrize("persona", ["observer", "national_observer"])
def test_it_points_an_observer_to_the_observatory(world: World, client_for: Any, persona: str) -> None:
    page = client_for(persona).get(reverse("home:home")).content.decode()
    observatory = reverse("monitoring:observatory")
    assert f'href="{observatory}">Apri l\'Osservatorio</a>' in page
    assert ("della tua regione" in page) is (persona == "observer")


@pytest.mark.parametrize("persona", ["coordinator", "referent", "supervisor", "supervisee"])
def test_it_does_not_offer_the_observatory_to_those_who_cannot_open_it(
    world: World, client_for: Any, persona: str
) -> None:
    page = client_for(persona).get(reverse("home:home")).content.decode()
    assert reverse("monitoring:observatory") not in page


def test_it_counts_the_ats_the_user_can_open_in_the_singular_or_the_plural(world: World, client_for: Any) -> None:
    outsider = client_for("outsider").get(reverse("home:home")).content.decode()
    assert "1 ATS consultabile<" in outsider
    coordinator = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "ATS consultabili<" in coordinator
    assert "1 ATS consultabili" not in coordinator

from __future__ import annotations

from typing import Any

from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import scope_for
from supervisione.supervisors.steps import supervisors_steps
from supervisione.supervisors.tests.conftest import Records
from supervisione.testing.world import World


def titles(user: User) -> list[str]:
    return [step.title for step in supervisors_steps(user, scope_for(user))]


def test_it_lists_supervisors_without_training_certificates(records: Records, world: World) -> None:
    found = titles(world.coordinator)
    assert "Longo Chiara: nessun attestato di formazione caricato" in found
    assert "Russo Davide: nessuna formazione alla supervisione" in found
    assert "Greco Anna: nessuna formazione alla supervisione" in found


def test_it_gives_these_steps_to_coordinators_only(records: Records, world: World, client_for: Any) -> None:
    for persona in ("referent", "supervisor", "supervisee", "observer", "outsider", "admin"):
        assert titles(world.user(persona)) == [], persona
    home = client_for("coordinator").get(reverse("home:home")).content.decode()
    assert "Russo Davide: nessuna formazione alla supervisione" in home

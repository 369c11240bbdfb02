"""The two-factor pages against every persona: offered to coordinators and administrators (200 or a
redirect), refused to the other roles (403), anonymous users sent to the login page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
OFFERED = {"admin", "coordinator", "outsider"}


def answers(offered: int) -> dict[str, int]:
    return {name: offered if name in OFFERED else 403 for name in PERSONA_NAMES}


PAGES: list[tuple[str, str, dict[str, int]]] = [
    ("get", "accounts:two_factor", answers(200)),
    ("post", "accounts:two_factor_start", answers(302)),
    ("post", "accounts:two_factor_confirm", answers(200)),  # no code: the form asks for it
    ("post", "accounts:two_factor_disable", answers(200)),
]


@pytest.mark.parametrize(("method", "name", "expected"), PAGES, ids=[page[1] for page in PAGES])
def test_it_answers_each_persona_as_the_scope_says(
    world: World, client_for: Any, method: str, name: str, expected: dict[str, int]
) -> None:
    url = reverse(name)
    assert {persona: getattr(client_for(persona), method)(url).status_code for persona in PERSONA_NAMES} == expected


@pytest.mark.parametrize(("method", "name", "_expected"), PAGES, ids=[page[1] for page in PAGES])
def test_it_sends_anonymous_users_to_login(world: World, method: str, name: str, _expected: object) -> None:
    response = getattr(Client(), method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lets_only_administrators_reset_verification(world: World, client_for: Any) -> None:
    url = reverse("accounts:two_factor_reset", args=[world.referent.pk])
    statuses = {persona: client_for(persona).post(url).status_code for persona in PERSONA_NAMES}
    assert statuses == {name: 302 if name == "admin" else 403 for name in PERSONA_NAMES}
    assert client_for("admin").get(url).status_code == 405


def test_it_sends_everyone_without_a_password_step_from_the_code_page_to_the_login(
    world: World, client_for: Any
) -> None:
    for persona in [*PERSONA_NAMES, None]:
        response = client_for(persona).get(reverse("accounts:login_code"))
        assert response["Location"] == reverse("accounts:login")

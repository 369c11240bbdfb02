"""Shared fixtures: the personas of supervisione.testing.world, built once per session."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from supervisione.testing.world import World, build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(db: Any) -> World:
    return World.load()


@pytest.fixture
def client_for(world: World) -> Any:
    """``client_for("coordinator")``: a test client logged in as that persona (None: anonymous)."""

    def make(persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            client.force_login(world.user(persona), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make

"""Shared fixtures: the personas of supervisione.testing.world, built once per session."""

from __future__ import annotations

import copy
import datetime
import gc
import os
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from supervisione.testing.login import log_in
from supervisione.testing.world import World, build_world

# Browser journeys (`make e2e`, tests marked e2e): the journey fixtures and their checks. Migrations moving rows
# between apps: a database of their own (``moving_database``).
pytest_plugins = ["supervisione.testing.browser", "supervisione.testing.migrations"]

# Property-based tests stay fast in the normal suite; HYPOTHESIS_PROFILE=thorough explores much more.
hypothesis_settings.register_profile("default", max_examples=40, deadline=None)
hypothesis_settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def moved_clock(value: str, now: datetime.datetime) -> datetime.datetime:
    """Where ``SUPERVISIONE_TEST_NOW`` moves the clock: ``+400d`` (days from now), ``2027-06-30`` (10:00 in Rome
    that day) or ``2027-06-30T18:45`` (Rome time)."""
    if match := re.fullmatch(r"\+(\d+)d", value.strip()):
        return now + datetime.timedelta(days=int(match[1]))
    moment = datetime.datetime.fromisoformat(value.strip())
    if len(value.strip()) == len("2027-06-30"):
        moment = moment.replace(hour=10)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Rome"))


def pytest_configure(config: pytest.Config) -> None:
    """``SUPERVISIONE_TEST_NOW=+400d make test-later``: the whole suite with the clock moved (and ticking), so
    that a test or a fixture that depends on the day it runs fails now rather than next year.

    Two costs no test is about, cut for the run. Passwords are hashed with Argon2 as in production, at its
    smallest work factors: at Django's (100 MB, about 0.1 s a hash or a check) the personas' passwords and the
    logins took seconds; the settings keep their hashers, so the test that passwords are stored with Argon2
    still holds. And Python's cycle collector, at its default thresholds (a young collection every 700 new
    objects, a full one up to every hundred young ones), took a tenth of the run walking the objects that
    queries, templates and test data make by the hundred thousand: collecting less often frees the same
    cycles, a little later. The middle generation is collected after every hundred young collections rather
    than twenty: each of its collections walks what the young ones kept, and took 0.34-0.39 s of the 0.97-1.16 s
    the collector spent in a part of the URL matrix (0.04 s of 0.66 s at a hundred, 7 MB more memory)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 100, 20)
    config.add_cleanup(lambda: gc.set_threshold(*thresholds))
    cheap_argon2 = pytest.MonkeyPatch()
    cheap_argon2.setattr(Argon2PasswordHasher, "time_cost", 1)
    cheap_argon2.setattr(Argon2PasswordHasher, "memory_cost", 8)  # KiB: argon2's least, 8 per lane
    cheap_argon2.setattr(Argon2PasswordHasher, "parallelism", 1)
    config.add_cleanup(cheap_argon2.undo)
    _own_redis_database()
    value = os.environ.get("SUPERVISIONE_TEST_NOW")
    if value:
        real_now = datetime.datetime.now(datetime.UTC)  # noqa: TID251  (where the move starts from)
        traveller = time_machine.travel(moved_clock(value, real_now), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def _own_redis_database() -> None:
    """With a shared Redis as the cache (``make test-postgres`` runs under scripts/with-redis.sh), each test worker
    keeps its keys in a database of its own: a test that empties the cache empties only its worker's."""
    cache = django_settings.CACHES["default"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if cache["BACKEND"].endswith("RedisCache") and (number := re.fullmatch(r"gw(\d+)", worker)):
        parts = urlsplit(cache["LOCATION"])
        query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
        if parts.scheme == "unix":  # unix:///path/redis.sock?db=N (urlunsplit would drop the empty host)
            location = f"unix://{parts.path}?{urlencode([*query, ('db', str(1 + int(number[1])))])}"
        else:
            location = urlunsplit(parts._replace(path=f"/{1 + int(number[1])}", query=urlencode(query)))
        cache["LOCATION"] = location


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(scope="session")
def _world_as_built(django_db_setup: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock():
        return World.load()


@pytest.fixture(autouse=True)
def _no_observatory_cache(settings: Any) -> None:
    """Each test reads the observatory's figures afresh (tests of the cache turn it on themselves)."""
    settings.OBSERVATORY_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    """Background tasks run where they are enqueued (the test of the worker turns the database backend on)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def world(db: Any, _world_as_built: World) -> World:
    """The personas and their territory, read once per session and copied for each test (as Django copies the
    objects of setUpTestData): what a test does to them stays in that test, as its changes to their rows do."""
    return copy.deepcopy(_world_as_built)


@pytest.fixture
def client_for(world: World) -> Any:
    """``client_for("coordinator")``: a test client logged in as that persona (None: anonymous)."""

    def make(persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            log_in(client, world.user(persona))
        return client

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The form fuzzing's totals (supervisione/tests/test_fuzz_forms.py), when it ran."""
    totals = {"fuzz_forms": 0, "fuzz_deep": 0, "fuzz_posts": 0, "fuzz_500": 0}
    ran = False
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for key, value in getattr(report, "user_properties", []):
                if key in totals:
                    totals[key] += int(value)
                    ran = True
    if ran:
        terminalreporter.write_line(
            f"Form fuzzing: {totals['fuzz_forms']} forms ({totals['fuzz_deep']} taken as a browser fills them, then "
            f"posted one hostile field at a time), {totals['fuzz_posts']} posts, {totals['fuzz_500']} answered 500."
        )

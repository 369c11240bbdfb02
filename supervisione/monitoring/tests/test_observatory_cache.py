"""The observatory's figures in the shared cache (``monitoring.observatory``): plain values only, the same for every
server, the same page from the cache as computed. On PostgreSQL the suite runs with Redis as the cache
(scripts/with-redis.sh), so these tests read and write a real shared cache there."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache, caches

from supervisione.monitoring import observatory
from supervisione.planning.actions import create_plan

from .conftest import TODAY, Year

URL = "/monitoraggio/osservatorio/"
PLAIN = (str, int, float, bool, Decimal, datetime.date, type(None))  # datetime is a date
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def kept(settings: Any) -> Any:
    settings.OBSERVATORY_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def _keys() -> list[str]:
    """The observatory's keys in the cache (locmem and Redis alike: the test's cache holds nothing else of it)."""
    backend: Any = caches["default"]
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):  # locmem
        return [key for key in backend._cache if observatory.KEY_PREFIX in key]
    client = backend._cache.get_client(write=False)  # Redis
    return [key.decode() for key in client.scan_iter(f"*{observatory.KEY_PREFIX}*")]


def _walk(value: Any, path: str = "") -> list[str]:
    """Every value that is not plain (numbers, text, dates, None in dicts, lists and tuples), with its path."""
    if isinstance(value, dict):
        return [bad for key, item in value.items() for bad in [*_walk(key, path), *_walk(item, f"{path}/{key}")]]
    if isinstance(value, list | tuple):
        return [bad for index, item in enumerate(value) for bad in _walk(item, f"{path}[{index}]")]
    return [] if isinstance(value, PLAIN) else [f"{path}: {type(value).__module__}.{type(value).__name__}"]


def _cached_entry() -> dict[str, Any]:
    keys = _keys()
    assert len(keys) == 1, keys
    data = cache.get(keys[0].split(":", 2)[2])  # Django stores "prefix:version:key"
    assert isinstance(data, dict)
    return data


def test_the_cache_holds_plain_values_and_no_model_instances(
    year: Year, on_today: datetime.date, client_for: Any, kept: Any
) -> None:
    assert client_for("national_observer").get(URL).status_code == 200
    data = _cached_entry()
    assert _walk(data) == []
    assert data["version"] == observatory.VERSION
    assert {row[0] for row in data["tables"]} == {
        "ore",
        "cumulato",
        "mesi",
        "piani",
        "stati",
        "copertura",
        "spesa",
        "contratti",
    }
    plans = next(row for row in data["tables"] if row[0] == "piani")
    assert plans[3][0][:3] == ["Partenariato POGGIARDO-114", "Puglia", "Approvato"]  # the plans as text
    assert not any(isinstance(value, str) and "object at 0x" in value for value in _strings(data))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_two_servers_show_the_same_figures_computed_once(
    year: Year, on_today: datetime.date, client_for: Any, kept: Any, django_assert_max_num_queries: Any
) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 5, tzinfo=ROME), tick=False):
        first = client_for("national_observer").get(URL).content.decode()
    assert "Cifre calcolate alle 09:05 del 10/11/2026" in first
    # Another server: a cache connection of its own (nothing kept in the process), seven minutes later.
    caches.close_all()
    del caches["default"]
    other = client_for("national_observer")
    other.get("/")  # the session and the menus, not the figures
    with (
        time_machine.travel(datetime.datetime(2026, 11, 10, 9, 12, tzinfo=ROME), tick=False),
        django_assert_max_num_queries(40) as read,
    ):
        second = other.get(URL).content.decode()
    assert "Cifre calcolate alle 09:05 del 10/11/2026" in second
    assert not any("sessions_hourssummary" in query["sql"] for query in read.captured_queries)
    assert _main(first) == _main(second)


def _main(page: str) -> str:
    return page[page.index("<h1") : page.index("</main>") if "</main>" in page else len(page)]


def test_the_page_and_its_exports_are_the_same_from_the_cache_as_computed(
    year: Year, on_today: datetime.date, client_for: Any, settings: Any, kept: Any
) -> None:
    client = client_for("national_observer")
    computed = client.get(URL).content.decode()  # computed, and kept
    from_cache = client.get(URL).content.decode()
    assert _main(computed) == _main(from_cache)
    assert "Poggiardo" in from_cache
    for slug in ("ore", "piani", "stati", "copertura", "spesa", "contratti"):
        kept_csv = b"".join(client.get(URL, {"tabella": slug, "formato": "csv"}).streaming_content)
        settings.OBSERVATORY_CACHE_SECONDS = 0
        fresh_csv = b"".join(client.get(URL, {"tabella": slug, "formato": "csv"}).streaming_content)
        settings.OBSERVATORY_CACHE_SECONDS = 600
        assert kept_csv == fresh_csv, slug


def test_a_new_shape_or_a_new_plan_does_not_read_the_old_entry(
    year: Year, on_today: datetime.date, client_for: Any, kept: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = year.cal.world
    client = client_for("national_observer")
    client.get(URL)
    assert len(_keys()) == 1
    monkeypatch.setattr(observatory, "VERSION", observatory.VERSION + 1)  # a deploy that changed the shape
    client.get(URL)
    assert len(_keys()) == 2
    create_plan(world.sansevero_partnership, TODAY.year, by=world.coordinator)
    page = client.get(URL).content.decode()
    assert len(_keys()) == 3
    assert world.sansevero_partnership.name in page

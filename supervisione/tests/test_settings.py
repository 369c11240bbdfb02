"""Settings fail loudly on bad configuration, before serving anything."""

from __future__ import annotations

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from supervisione.settings import (
    cache_from_url,
    database_from_url,
    document_storage,
    env_bool,
    env_days_by_year,
    secret_key_problem,
)

ROOT = Path(__file__).resolve().parents[2]
# A key as `get_random_secret_key()` makes one (sixty times the same character is refused, see below).
GOOD_SECRET = "q6!v@2x#k9$zt0^r%wb&m*p(7)d_n+e=y3s-f8c4h1g5j{a}l|u:o;i<~>?"
GOOD_NOTES_KEY = "q8pkNj2C0Y8ZbYg2mWq1mZ0Hn9p6vD5bQxk0zR3uS1E="


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "NOTES_ENCRYPTION_KEYS"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import supervisione.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_production_without_a_secret_key() -> None:
    result = _import_settings(SUPERVISIONE_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_it_refuses_production_without_a_key_for_the_supervisors_notes() -> None:
    result = _import_settings(SUPERVISIONE_ENV="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "NOTES_ENCRYPTION_KEYS is required" in result.stderr


def test_it_refuses_a_key_for_the_notes_that_is_not_a_fernet_key() -> None:
    result = _import_settings(
        SUPERVISIONE_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="x.org",
        NOTES_ENCRYPTION_KEYS=f"{GOOD_NOTES_KEY},troppo-corta",
    )
    assert result.returncode != 0
    assert "NOTES_ENCRYPTION_KEYS holds a key that is not a Fernet key" in result.stderr


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("x" * 60, "fewer than 10 distinct characters"),
        ("ab" * 40, "fewer than 10 distinct characters"),
        ("0123456789" * 5 + "x", "repeats a pattern"),
        ("abcdefghijklmnopqrstuvwxyz" * 2, "repeats a pattern"),
        ("development-only-key-never-use-in-production-0123456789abcdef", "published development key"),
        ("django-insecure-" + "k3j$9xq!v2@m#z7w%p8^r&t*y(u)i_o+e=s-d4f5g6h", "published development key"),
        ("corta", "at least 50 characters"),
    ],
)
def test_it_refuses_a_production_secret_key_that_is_long_but_weak(key: str, problem: str) -> None:
    assert problem in (secret_key_problem(key) or "")


def test_it_accepts_random_secret_keys_of_every_usual_kind() -> None:
    for _ in range(200):
        assert secret_key_problem(get_random_secret_key()) is None
        assert secret_key_problem(secrets.token_hex(32)) is None
        assert secret_key_problem(secrets.token_urlsafe(50)) is None
    assert secret_key_problem(GOOD_SECRET) is None


def test_production_refuses_to_start_with_a_weak_secret_key() -> None:
    result = _import_settings(
        SUPERVISIONE_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="x.org",
        NOTES_ENCRYPTION_KEYS=GOOD_NOTES_KEY,
    )
    assert result.returncode != 0
    assert "SECRET_KEY has fewer than 10 distinct characters" in result.stderr
    assert "get_random_secret_key" in result.stderr


def test_it_refuses_production_with_debug_on() -> None:
    result = _import_settings(SUPERVISIONE_ENV="production", SECRET_KEY=GOOD_SECRET, DEBUG="1", ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_it_refuses_a_bad_database_url() -> None:
    result = _import_settings(DATABASE_URL="mysql://user@host/db")
    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:/// or postgres://" in result.stderr


def test_it_accepts_a_complete_production_configuration() -> None:
    result = _import_settings(
        SUPERVISIONE_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="supervisione.example.org",
        DATABASE_URL="postgres://u:p@db.example.org:5432/supervisione",
        NOTES_ENCRYPTION_KEYS=GOOD_NOTES_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout


def test_it_parses_sqlite_and_postgres_urls() -> None:
    assert database_from_url("sqlite:////srv/supervisione/db.sqlite3")["NAME"] == "/srv/supervisione/db.sqlite3"
    config = database_from_url("postgres://user:secret@localhost:5433/supervisione")
    assert (config["NAME"], config["PORT"], config["USER"]) == ("supervisione", 5433, "user")
    with pytest.raises(ImproperlyConfigured):
        database_from_url("postgres://localhost")


def test_it_turns_postgres_jit_and_parallel_workers_off_keeping_other_options() -> None:
    off = "-c jit=off -c max_parallel_workers_per_gather=0"
    assert database_from_url("postgres://localhost/supervisione")["OPTIONS"]["options"] == off
    config = database_from_url("postgres://localhost/supervisione?options=-c%20work_mem%3D64MB")
    assert config["OPTIONS"]["options"] == f"-c work_mem=64MB {off}"


def test_it_reads_booleans_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "forse")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("SOME_FLAG", default=False)
    monkeypatch.setenv("SOME_FLAG", "sì")
    assert env_bool("SOME_FLAG", default=False) is True


def test_it_reads_the_multifondo_deadlines_as_days_by_year(monkeypatch: pytest.MonkeyPatch) -> None:
    default = {2023: datetime.date(2023, 11, 30)}
    assert env_days_by_year("MULTIFONDO_DEADLINES", default) == default
    monkeypatch.setenv("MULTIFONDO_DEADLINES", "2024=31/03/2024, 2027=2027-03-31")
    assert env_days_by_year("MULTIFONDO_DEADLINES", default) == {
        2024: datetime.date(2024, 3, 31),
        2027: datetime.date(2027, 3, 31),
    }
    monkeypatch.setenv("MULTIFONDO_DEADLINES", "")
    assert env_days_by_year("MULTIFONDO_DEADLINES", default) == {}
    for bad in ("2024=31/02/2024", "2024", "anno=31/03/2024", "2024=31/03/2024,2024=30/04/2024"):
        monkeypatch.setenv("MULTIFONDO_DEADLINES", bad)
        with pytest.raises(ImproperlyConfigured, match="MULTIFONDO_DEADLINES"):
            env_days_by_year("MULTIFONDO_DEADLINES", default)


def test_it_knows_only_the_deadlines_of_years_with_an_act() -> None:
    deadlines = django_settings.MULTIFONDO_DEADLINES
    assert deadlines == {2023: datetime.date(2023, 11, 30), 2024: datetime.date(2024, 3, 31)}


def test_it_reads_the_shared_cache_from_cache_url() -> None:
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://cache.interno:6379/2")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.interno:6379/2",
        "KEY_PREFIX": "sv",
    }
    assert cache_from_url("unix:///run/redis/redis.sock?db=1")["BACKEND"].endswith("RedisCache")
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with"):
        cache_from_url("memcached://localhost:11211")


def test_it_reads_where_documents_are_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    assert document_storage("filesystem") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE must be"):
        document_storage("ftp")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        document_storage("s3")
    monkeypatch.setenv("S3_BUCKET", "documenti")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.regione.example.it")
    s3 = document_storage("s3")
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "documenti"
    assert s3["OPTIONS"]["endpoint_url"] == "https://s3.regione.example.it"
    assert (s3["OPTIONS"]["default_acl"], s3["OPTIONS"]["querystring_auth"]) == ("private", True)


def test_it_gives_postgresql_a_connection_pool_when_asked() -> None:
    pooled = database_from_url("postgres://app@db.interno/supervisione", pool_size=8)
    assert pooled["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert pooled["CONN_MAX_AGE"] == 0  # a pool and persistent connections exclude each other
    assert "pool" not in database_from_url("postgres://app@db.interno/supervisione")["OPTIONS"]
    assert "pool" not in database_from_url("sqlite:///tmp/db.sqlite3", pool_size=8).get("OPTIONS", {})

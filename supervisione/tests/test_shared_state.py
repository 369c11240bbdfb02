"""What several app servers share (docs/DEPLOYMENT.md): documents on S3-compatible object storage through
django-storages, and the cache on Redis.

The object storage is moto's S3 server (``moto.server.ThreadedMotoServer``, a real HTTP server on a loopback
port that speaks the S3 protocol; pip package ``moto``), reached by django-storages through boto3 exactly as a
MinIO or a cloud bucket would be. Redis is Debian's ``redis-server``: the one the suite runs with on PostgreSQL
(scripts/with-redis.sh), or one started here on a Unix socket.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.utils import load_backend
from django.urls import reverse
from moto.server import ThreadedMotoServer

from supervisione import settings as project_settings
from supervisione.sessions.models import RegisterDocument
from supervisione.sessions.tests.conftest import Cal, cal, media  # noqa: F401  (fixtures)
from supervisione.sessions.tests.test_register import held
from supervisione.supervisors.models import Document
from supervisione.supervisors.tests.conftest import PDF, registry_records, upload

BUCKET = "documenti-supervisione"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """The documents' storage configured as FILE_STORAGE=s3 would configure it, on an empty bucket."""
    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "eu-south-1",
        "S3_ACCESS_KEY_ID": "chiave",
        "S3_SECRET_ACCESS_KEY": "segreto",
        "S3_PREFIX": "supervisione",
        "S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-south-1",
        aws_access_key_id="chiave",
        aws_secret_access_key="segreto",
    )
    existing = {found["Name"] for found in client.list_buckets()["Buckets"]}
    if BUCKET in existing:
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    else:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-south-1"})
    settings.MEDIA_ROOT = tmp_path  # nothing may land here
    settings.STORAGES = {**django_settings.STORAGES, "default": project_settings.document_storage("s3")}
    return client


def keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_uploaded_documents_go_to_object_storage_and_are_served_after_the_access_check(
    bucket: Any, world: Any, client_for: Any, tmp_path: Path
) -> None:
    records = registry_records(world)
    response = client_for("supervisor").post(
        reverse("supervisors:document_add", args=[records.own.pk]),
        {"kind": "training", "title": "Attestato", "file": upload("attestato.pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Attestato")
    stored = keys(bucket)
    assert document.file.name
    assert f"supervisione/{document.file.name}" in stored
    assert document.file.name.startswith(f"supervisori/{records.own.pk}/")
    assert not any(path.is_file() for path in tmp_path.rglob("*")), "a document was written to the local disk"
    # Private: the object is not readable without the keys.
    head = bucket.get_object_acl(Bucket=BUCKET, Key=f"supervisione/{document.file.name}")
    assert not [grant for grant in head["Grants"] if "AllUsers" in str(grant.get("Grantee", {}))]
    url = reverse("supervisors:document_download", args=[document.pk])
    download = client_for("coordinator").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_for("outsider").get(url).status_code == 404


def test_final_registers_are_stored_verified_and_served_from_object_storage(
    bucket: Any,
    cal: Cal,  # noqa: F811  (the imported fixture)
    client_for: Any,
) -> None:
    session = held(cal)
    document = RegisterDocument.objects.get(session=session, superseded_at__isnull=True)
    assert f"supervisione/{document.file.name}" in keys(bucket)
    content = bucket.get_object(Bucket=BUCKET, Key=f"supervisione/{document.file.name}")["Body"].read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    served = client_for("coordinator").get(reverse("sessions:register_download", args=[session.pk, 1]))
    assert b"".join(served.streaming_content) == content
    page = client_for("observer").post(reverse("sessions:verify"), {"fingerprint": document.sha256}).content.decode()
    assert "È la versione in vigore" in page


@pytest.fixture(scope="module")
def redis_location(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The suite's Redis when it runs with one (scripts/with-redis.sh), else one started here."""
    configured = django_settings.CACHES["default"]
    if configured["BACKEND"].endswith("RedisCache"):
        yield configured["LOCATION"]
        return
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is missing: scripts/with-redis.sh installs it (Debian's redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    server = subprocess.Popen(  # noqa: S603  (a fixed command line of our own)
        [executable, "--port", "0", "--unixsocket", str(socket), "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    try:
        yield f"unix://{socket}?db=9"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_two_servers_share_the_cache(redis_location: str) -> None:
    """Two processes' caches (two clients of the same Redis) see each other's entries, and compact values
    (no pickled model instance) keep their type."""
    first = RedisCache(redis_location, {"KEY_PREFIX": "prova-server"})
    second = RedisCache(redis_location, {"KEY_PREFIX": "prova-server"})
    first.set("cifre", {"ore": "12.50", "gruppi": [1, 2]}, 30)
    assert second.get("cifre") == {"ore": "12.50", "gruppi": [1, 2]}
    second.delete("cifre")
    assert first.get("cifre") is None


@pytest.mark.django_db
def test_postgresql_serves_requests_from_a_connection_pool() -> None:
    """DATABASE_POOL_SIZE: the connections of a process come from psycopg's pool (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's; SQLite opens a file")
    options = dict(connection.settings_dict)
    options["OPTIONS"] = {**options["OPTIONS"], "pool": {"min_size": 1, "max_size": 2, "timeout": 10}}
    options["CONN_MAX_AGE"] = 0
    pooled = load_backend(options["ENGINE"]).DatabaseWrapper(options, "pooled")
    try:
        for _ in range(3):  # each "request" takes a connection from the pool and gives it back
            with pooled.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone() == (1,)
            pooled.close()
        assert pooled.pool is not None
        assert pooled.pool.get_stats()["pool_size"] <= 2
    finally:
        pooled.close_pool()

"""The import through the site: upload, progress in steps, preview, confirm, only-valid, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervisione.census import jobs
from supervisione.census.models import Census, ImportJob, ImportStatus, Position
from supervisione.census.tests.factories import census_of, csv_file, organisation, row
from supervisione.testing.world import World


@pytest.fixture
def census(world: World) -> Census:
    organisation()
    return census_of(world)


def _upload(client: Any, census: Census, content: bytes, name: str = "censimento.csv") -> Any:
    url = reverse("census:import_start", args=[census.campaign_id, census.ambito.code])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_it_previews_then_imports_on_confirmation(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    response = _upload(client, census, csv_file([row(1), row(2)]))
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportStatus.READY
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Anteprima" in page
    assert "nuova posizione" in page
    assert not Position.objects.exists()

    client.post(reverse("census:import_confirm", args=[job.pk]))
    assert Position.objects.filter(census=census).count() == 2
    job.refresh_from_db()
    assert (job.status, job.report["created"]) == (ImportStatus.DONE, 2)
    assert job.parsed == []

    _upload(client, census, csv_file([row(1), row(2)]))
    again = ImportJob.objects.order_by("-pk").first()
    assert again is not None
    assert "Il file corrisponde già al censimento" in client.get(again.get_absolute_url()).content.decode()


def test_it_writes_nothing_from_a_file_with_errors_unless_asked(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, csv_file([row(1), row(2, **{"Tipo contratto": "boh"})]))
    job = ImportJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "«boh» non è un tipo di contratto riconosciuto" in page
    assert "Importa solo le righe valide" in page

    refused = client.post(reverse("census:import_confirm", args=[job.pk]), follow=True).content.decode()
    assert "Il file ha errori" in refused
    assert not Position.objects.exists()

    client.post(reverse("census:import_confirm", args=[job.pk]), {"only_valid": "on"})
    assert Position.objects.count() == 1


def test_it_cancels_an_import(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, csv_file([row(1)]))
    job = ImportJob.objects.get()
    client.post(reverse("census:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert client.post(reverse("census:import_confirm", args=[job.pk]), follow=True).status_code == 200
    assert not Position.objects.exists()


def test_it_shows_the_progress_of_a_large_file_step_by_step(
    census: Census, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 2)
    monkeypatch.setattr(jobs, "INLINE_BYTES", 100)
    content = csv_file([row(n) for n in range(1, 6)])
    client = client_for("referent")
    _upload(client, census, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READING
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-post="' + reverse("census:import_advance", args=[job.pk]) in page

    advance = reverse("census:import_advance", args=[job.pk])
    steps = []
    for _ in range(10):
        response = client.post(advance, HTTP_HX_REQUEST="true")
        job.refresh_from_db()
        steps.append((job.status, job.processed_rows))
        if "HX-Redirect" in response:
            break
    assert steps == [
        (ImportStatus.VALIDATING, 0),
        (ImportStatus.VALIDATING, 2),
        (ImportStatus.VALIDATING, 4),
        (ImportStatus.READY, 5),
    ]
    assert job.report["created"] == 5
    assert not Position.objects.exists()


def test_it_refuses_a_file_of_the_wrong_type(census: Census, client_for: Any) -> None:
    page = _upload(client_for("referent"), census, b"%PDF-1.4 ...", name="censimento.pdf").content.decode()
    assert "non è di un tipo accettato" in page
    assert not ImportJob.objects.exists()


def test_it_reports_an_unreadable_file(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, b"PK\x03\x04" + b"xl/" + b"0" * 100, name="rotto.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "Il file Excel non si può leggere" in client.get(job.get_absolute_url()).content.decode()


def test_it_refuses_an_import_into_a_submitted_census(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, csv_file([row(1)]))
    job = ImportJob.objects.get()
    Census.objects.filter(pk=census.pk).update(status="submitted", submitted_at="2024-10-01T10:00:00Z")
    assert client.post(reverse("census:import_confirm", args=[job.pk])).status_code == 403
    assert _upload(client, census, csv_file([row(1)])).status_code == 403
    assert not Position.objects.exists()

"""The import through the site: upload, progress in steps, preview, confirm, only-valid, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervisione.census import jobs
from supervisione.census.importing import run
from supervisione.census.models import Census, ImportJob, ImportStatus, Position
from supervisione.census.tasks import read_import
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
    assert "1 problema in 1 riga<" in page
    assert "oppure importa solo la riga valida" in page

    refused = client.post(reverse("census:import_confirm", args=[job.pk]), follow=True).content.decode()
    assert "Il file ha errori" in refused
    assert not Position.objects.exists()

    client.post(reverse("census:import_confirm", args=[job.pk]), {"only_valid": "on"})
    assert Position.objects.count() == 1
    assert "1 posizione creata, 0 aggiornate" in client.get(job.get_absolute_url()).content.decode()


def test_it_counts_problems_and_rows_in_the_plural(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    wrong = {"Tipo contratto": "boh"}
    _upload(client, census, csv_file([row(1), row(2, **wrong), row(3, **wrong), row(4), row(5)]))
    page = client.get(ImportJob.objects.get().get_absolute_url()).content.decode()
    assert "2 problemi in 2 righe<" in page
    assert "oppure importa solo le 3 righe valide" in page


def test_it_cancels_an_import(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, csv_file([row(1)]))
    job = ImportJob.objects.get()
    client.post(reverse("census:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert client.post(reverse("census:import_confirm", args=[job.pk]), follow=True).status_code == 200
    assert not Position.objects.exists()


def test_it_reads_the_file_outside_the_upload_and_shows_how_far_it_got(
    census: Census, client_for: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    # A backend that stores tasks without running them: the upload alone, as a worker would find it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr(run, "CHUNK_ROWS", 2)
    client = client_for("referent")
    _upload(client, census, csv_file([row(n) for n in range(1, 6)]))
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.report) == (ImportStatus.QUEUED, 0, {})
    page = client.get(job.get_absolute_url()).content.decode()
    progress_url = reverse("census:import_progress", args=[job.pk])
    assert 'hx-get="' + progress_url in page
    assert "In attesa di lettura" in page

    panels = []
    check_file = run.check_file

    def watched(*args: Any, progress: Any, **kwargs: Any) -> Any:
        def saved(rows: int) -> None:
            progress(rows)
            panels.append(client.get(progress_url, HTTP_HX_REQUEST="true").content.decode())

        return check_file(*args, progress=saved, **kwargs)

    monkeypatch.setattr(jobs, "check_file", watched)
    read_import.call(job.pk)
    assert ["2 righe controllate" in panels[0], "4 righe controllate" in panels[1]] == [True, True]
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.report["created"]) == (ImportStatus.READY, 5, 5)
    assert client.get(progress_url, HTTP_HX_REQUEST="true")["HX-Redirect"] == job.get_absolute_url()
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

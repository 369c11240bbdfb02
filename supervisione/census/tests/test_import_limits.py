"""Imports cannot exhaust the machine (issue 13, point 2): hostile files through the site, the worker, the command.

The files are made here (``supervisione.testing.hostile_files``); the limits are the settings, made small where
a test needs many rows. Each test failed on the code before the issue: it read the upload inside the request,
padded sheets to their declared dimension, kept every row and every problem, and reran a failed job."""

from __future__ import annotations

import datetime
import io
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from supervisione.census import jobs
from supervisione.census.importing import read
from supervisione.census.importing.columns import HEADERS
from supervisione.census.models import Census, ImportJob, ImportStatus, Position
from supervisione.census.tests.factories import census_of, csv_file, organisation, row
from supervisione.lib import clock
from supervisione.lib.spreadsheets import reading
from supervisione.testing import hostile_files
from supervisione.testing.world import World

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def census(world: World) -> Census:
    organisation()
    return census_of(world)


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of waiting for minutes, as the code before the issue did."""

    def timeout(*_args: Any) -> None:
        raise AssertionError(f"still working after {seconds} s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _upload(client: Any, census: Census, content: bytes, name: str = "censimento.xlsx") -> Any:
    url = reverse("census:import_start", args=[census.campaign_id, census.ambito.code])
    with within(15):
        return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _page(client: Any, job: ImportJob) -> str:
    return str(client.get(job.get_absolute_url()).content.decode())


def _command(path: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        with within(15):
            call_command("import_census", str(path), "--ambito", "PUG_MAGLIE", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def _values(number: int) -> list[str]:
    data = row(number)
    return [data[header] for header in HEADERS]


def test_the_upload_stores_the_file_and_reads_nothing(
    census: Census, client_for: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_TASKS

    def no_reading(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the upload request read the file")

    monkeypatch.setattr(read, "open_rows", no_reading)
    response = _upload(client_for("referent"), census, csv_file([row(1)]), name="censimento.csv")
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.started_at, bytes(job.content)) == (ImportStatus.QUEUED, None, csv_file([row(1)]))
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.pk], "kwargs": {}}


def test_a_worker_reads_the_queued_file_through_the_database(
    census: Census, client_for: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real path: the database backend stores the task, ``manage.py db_worker`` runs it."""
    settings.TASKS = DATABASE_TASKS
    client = client_for("referent")
    _upload(client, census, csv_file([row(1), row(2)]), name="censimento.csv")
    job = ImportJob.objects.get()
    assert "In attesa di lettura" in _page(client, job)
    # The worker closes connections it finds in a transaction (as between requests): this test's is one.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.report["created"], job.content) == (ImportStatus.READY, 2, b"")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert "Anteprima" in _page(client, job)
    # Queued again by hand, the job is not read twice.
    jobs.read_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_a_sheet_declaring_the_largest_dimension_imports_its_one_row_at_once(
    census: Census, client_for: Any, tmp_path: Path
) -> None:
    content = hostile_files.declared_maximal_dimension(_values(1))
    assert len(content) < 2500
    client = client_for("referent")
    _upload(client, census, content)
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.report["created"]) == (ImportStatus.READY, 1, 1)
    path = tmp_path / "dimensione.xlsx"
    path.write_bytes(content)
    code, out = _command(path)
    assert (code, "Posizioni create: 1" in out) == (0, True)
    assert Position.objects.filter(census=census).count() == 1


def test_a_zip_bomb_is_refused_and_says_why(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, hostile_files.huge_cell(20 * 1024 * 1024, column=1))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.content == b""
    assert "diventa più di 100 volte più grande" in _page(client, job)


def test_huge_shared_strings_are_refused_past_the_uncompressed_size(
    census: Census, client_for: Any, settings: Any
) -> None:
    settings.IMPORT_MAX_XLSX_MB = 1
    client = client_for("referent")
    _upload(client, census, hostile_files.many_shared_strings(100_000))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "una volta decompresso, supera 1 MB" in _page(client, job)


def test_a_file_of_more_rows_than_the_limit_is_refused_on_the_site_and_by_the_command(
    census: Census, client_for: Any, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_MAX_ROWS = 3
    client = client_for("referent")
    content = csv_file([row(number) for number in range(1, 5)])
    _upload(client, census, content, name="censimento.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "Il file ha più di 3 righe di dati" in _page(client, job)
    path = tmp_path / "grande.csv"
    path.write_bytes(content)
    with pytest.raises(Exception, match="più di 3 righe di dati"):
        _command(path)
    path.write_bytes(csv_file([row(number) for number in range(1, 4)]))
    assert _command(path)[0] == 0
    assert Position.objects.filter(census=census).count() == 3


def test_a_csv_with_a_gigantic_cell_is_refused(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    content = csv_file([row(1), row(2, Nome="x" * 1_000_000)])
    _upload(client, census, content, name="censimento.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "La riga 3 del file CSV è più lunga di 200.000 caratteri" in _page(client, job)
    _upload(client, census, csv_file([row(1), row(2, Nome="x" * 6_000)]), name="censimento.csv")
    job = ImportJob.objects.order_by("-pk")[0]
    assert "Alla riga 3 la cella della colonna «Nome» ha più di 5.000 caratteri" in _page(client, job)


def test_a_job_that_failed_says_why_and_is_not_read_again_on_the_next_visits(
    census: Census, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A shared string that does not exist: openpyxl raised IndexError, a 500 at every visit of the job.
    sheet = hostile_files.header_and(b'<row r="2"><c r="A2" t="s"><v>7</v></c></row>')
    content = hostile_files.workbook(sheet, [f'<sst xmlns="{hostile_files.MAIN}"/>'.encode()])
    reads = []
    open_rows = reading.open_rows

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return open_rows(*args, **kwargs)

    monkeypatch.setattr(read, "open_rows", counted)
    client = client_for("referent")
    assert _upload(client, census, content).status_code == 302
    job = ImportJob.objects.get()
    for _visit in range(2):
        assert "Il file Excel non si può leggere" in _page(client, job)
        progress = client.get(reverse("census:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
        assert progress["HX-Redirect"] == job.get_absolute_url()
    assert len(reads) == 1
    job.refresh_from_db()
    assert (job.status, job.content) == (ImportStatus.FAILED, b"")


def test_an_unexpected_error_fails_the_job_once_with_a_message(
    census: Census, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr("supervisione.census.jobs.check_file", broken)
    client = client_for("referent")
    _upload(client, census, csv_file([row(1)]), name="censimento.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "si è interrotta per un errore imprevisto" in _page(client, job)


def test_a_job_stopped_midway_says_so_and_is_not_read_again(census: Census, client_for: Any, settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    client = client_for("referent")
    _upload(client, census, csv_file([row(1)]), name="censimento.csv")
    job = ImportJob.objects.get()
    # The worker claimed it, then was killed: the job stays "reading", which the page believes for a while.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READING, started_at=clock.now())
    progress = client.get(reverse("census:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "Lettura e controllo del file" in progress.content.decode()
    started = clock.now() - jobs.stalled_after() - datetime.timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(started_at=started)
    assert "si è interrotta prima della fine" in _page(client, job)
    jobs.read_job(job.pk)  # the task, were it to run now
    job.refresh_from_db()
    assert (job.status, job.report) == (ImportStatus.FAILED, {})


def test_a_cancelled_job_is_not_read(census: Census, client_for: Any, settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    client = client_for("referent")
    _upload(client, census, csv_file([row(1)]), name="censimento.csv")
    job = ImportJob.objects.get()
    client.post(reverse("census:import_cancel", args=[job.pk]))
    jobs.read_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total_rows) == (ImportStatus.CANCELLED, 0)


def test_the_report_keeps_the_first_problems_and_counts_the_rest_by_column(
    census: Census, client_for: Any, tmp_path: Path
) -> None:
    content = csv_file(
        [row(number, **{"Codice fiscale": "XYZ", "Ore settimanali": "tante"}) for number in range(1, 301)]
    )
    client = client_for("referent")
    _upload(client, census, content, name="censimento.csv")
    job = ImportJob.objects.get()
    assert (job.error_count, job.error_rows, len(job.errors)) == (600, 300, 500)
    # The first 500 in the sheet's order: rows 2 to 251, each with its two problems.
    assert [error["row"] for error in job.errors[:3]] == [2, 2, 3]
    assert job.errors[-1]["row"] == 251
    assert job.errors_not_listed == {"Codice fiscale": 50, "Ore settimanali": 50}
    page = _page(client, job)
    assert "600 problemi in 300 righe" in page
    assert "gli altri 100 problemi, per colonna" in page
    assert "Codice fiscale: 50" in page

    path = tmp_path / "errori.csv"
    path.write_bytes(content)
    code, out = _command(path, "--json")
    report = json.loads(out)
    assert (code, len(report["errors"]), report["errors_not_listed"]) == (
        1,
        500,
        {"Codice fiscale": 50, "Ore settimanali": 50},
    )
    code, out = _command(path)
    assert "E altri 100 problemi non elencati, per colonna: «Codice fiscale» 50, «Ore settimanali» 50." in out


def test_a_spreadsheet_of_other_columns_says_which_are_missing(census: Census, client_for: Any) -> None:
    client = client_for("referent")
    _upload(client, census, csv_file([{"Targa": "AB123CD"}] * 3, headers=["Targa"]), name="auto.csv")
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows) == (ImportStatus.READY, 3)
    assert "Manca la colonna «Cognome»." in _page(client, job)

"""The final register is rendered by a worker after the confirmation is committed (issue 20, point 1): never
inside the request, never with the session's row locked, and a rolled-back change leaves neither task nor file."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from supervisione.sessions import documents
from supervisione.sessions.actions import registers
from supervisione.sessions.actions.registers import Mark, confirm_register
from supervisione.sessions.models import AttendanceStatus, RegisterDocument, Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.sessions.tests.test_register import take
from supervisione.testing.commits import committed

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def recorded(cal: Cal) -> Session:
    """A session held on 03/03/2026 with every participant recorded, its register not confirmed yet."""
    session = cal.one(datetime.date(2026, 3, 3))
    present, absent = Mark(AttendanceStatus.PRESENT), Mark(AttendanceStatus.ABSENT)
    take(cal, session, De_Santis=present, Rizzo=present, Ferrara=absent)
    session.refresh_from_db()
    return session


def stored_files(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*.pdf")}


def test_the_register_is_issued_once_the_confirmation_is_committed(cal: Cal, media: Path) -> None:
    session = recorded(cal)
    with committed() as queued:
        confirm_register(session, version=session.version, by=cal.world.supervisor)
        assert not RegisterDocument.objects.filter(session=session).exists()  # nothing rendered in the request
        assert stored_files(media) == set()
    assert len(queued) == 1
    document = RegisterDocument.objects.get(session=session)
    session.refresh_from_db()
    assert (document.version, document.session_version) == (1, session.version)
    assert stored_files(media) == {document.file.name}


def test_a_confirmation_rolled_back_queues_nothing(cal: Cal, media: Path) -> None:
    session = recorded(cal)

    def failing_request() -> None:
        with transaction.atomic():
            confirm_register(session, version=session.version, by=cal.world.supervisor)
            raise RuntimeError("the request fails after the confirmation")

    with committed() as queued, pytest.raises(RuntimeError):
        failing_request()
    assert queued == []
    assert not RegisterDocument.objects.filter(session=session).exists()
    assert stored_files(media) == set()


def test_a_task_for_an_older_version_or_run_twice_issues_nothing_more(cal: Cal, media: Path) -> None:
    session = recorded(cal)
    with committed():
        confirm_register(session, version=session.version, by=cal.world.supervisor)
    session.refresh_from_db()
    assert registers.issue_for_version(session.pk, session.version, None) is None  # the task ran twice
    assert registers.issue_for_version(session.pk, session.version - 1, None) is None  # changed since
    assert RegisterDocument.objects.filter(session=session).count() == 1
    assert len(stored_files(media)) == 1


def test_a_register_changed_while_rendering_keeps_no_file(
    cal: Cal, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = recorded(cal)
    render = documents.register_pdf

    def render_while_someone_corrects(found: Session, **kwargs: Any) -> bytes:
        content = render(found, **kwargs)
        Session.objects.filter(pk=found.pk).update(version=found.version + 1)  # a correction, committed meanwhile
        return content

    monkeypatch.setattr(documents, "register_pdf", render_while_someone_corrects)
    with committed():
        confirm_register(session, version=session.version, by=cal.world.supervisor)
    assert not RegisterDocument.objects.filter(session=session).exists()
    assert stored_files(media) == set()


def test_a_worker_issues_the_register_through_the_database_queue(
    cal: Cal, media: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real path: the database backend stores the task at the commit, ``manage.py db_worker`` runs it."""
    settings.TASKS = DATABASE_TASKS
    session = recorded(cal)
    with committed():
        confirm_register(session, version=session.version, by=cal.world.supervisor)
    assert not RegisterDocument.objects.filter(session=session).exists()
    task = DBTaskResult.objects.get()
    session.refresh_from_db()
    assert task.args_kwargs == {"args": [session.pk, session.version, cal.world.supervisor.pk, ""], "kwargs": {}}
    # The worker closes connections it finds in a transaction (as between requests): this test's is one.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    document = RegisterDocument.objects.get(session=session)
    assert document.issued_by == cal.world.supervisor
    assert stored_files(media) == {document.file.name}


def test_the_session_page_waits_for_the_register_then_shows_it(cal: Cal, media: Path, client_for: Any) -> None:
    """While the worker renders it, the page says so and reloads its documents every two seconds; once issued,
    the link is there and the reloading stops."""
    session = recorded(cal)
    url = session.get_absolute_url()
    with committed():
        confirm_register(session, version=session.version, by=cal.world.supervisor)
        page = client_for("supervisor").get(url).content.decode()
        assert "Il registro finale è in preparazione" in page
        assert 'hx-trigger="every 2s"' in page
    page = client_for("supervisor").get(url).content.decode()
    assert "Registro presenze, versione 1" in page
    assert 'hx-trigger="every 2s"' not in page
    assert "in preparazione" not in page

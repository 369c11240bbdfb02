"""Background tasks of the calendar (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from supervisione.sessions.actions import registers


@task()
def issue_final_register(session_id: int, version: int, by_id: int | None, reason: str = "") -> None:
    """Render and store the final register of a confirmed session (``registers.issue_for_version``)."""
    registers.issue_for_version(session_id, version, by_id, reason)

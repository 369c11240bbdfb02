"""Background tasks of the monitoring (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from supervisione.monitoring import jobs


@task()
def build_document(job_id: int) -> None:
    """Build a document (an evidence pack, a report: ``jobs.build``): never inside the request that asked for it."""
    jobs.build(job_id)


@task()
def build_evidence_pack(job_id: int) -> None:
    """The evidence pack's task before packs became ``DocumentJob`` rows (which kept their keys): a task queued by the
    code before the upgrade still runs."""
    jobs.build(job_id)

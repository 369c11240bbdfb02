"""Background tasks of the monitoring (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from supervisione.monitoring import evidence_jobs


@task()
def build_evidence_pack(job_id: int) -> None:
    """Build a PNRR evidence pack (``evidence_jobs.build_job``): never inside the request that asked for it."""
    evidence_jobs.build_job(job_id)

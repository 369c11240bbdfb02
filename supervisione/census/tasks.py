"""Background tasks of the census (django-tasks; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from supervisione.census import jobs


@task()
def read_import(job_id: int) -> None:
    """Read and check an uploaded census file (``jobs.read_job``): never inside the request that uploaded it."""
    jobs.read_job(job_id)

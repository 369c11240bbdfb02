"""One row per scheduled job and day: the claim that lets a single server run it, whatever the number of servers."""

from __future__ import annotations

from django.db import models


class RunStatus(models.TextChoices):
    RUNNING = "running", "In corso"
    DONE = "done", "Completata"
    FAILED = "failed", "Non riuscita"


class JobRun(models.Model):
    """A job's run of a day. The unique (job, day) is the lock: the scheduler of every server tries to insert it,
    and only the one whose insert succeeds runs the job (``scheduling.runs.claim``)."""

    job = models.CharField("attività", max_length=60)
    day = models.DateField("giorno")
    status = models.CharField("stato", max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField("iniziata alle")
    finished_at = models.DateTimeField("terminata alle", null=True, blank=True)
    server = models.CharField("server", max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField("tentativi", default=1)
    outcome = models.TextField("esito", blank=True)

    class Meta:
        verbose_name = "esecuzione di un'attività pianificata"
        verbose_name_plural = "esecuzioni delle attività pianificate"
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="scheduling_one_run_per_job_and_day")]
        ordering = ["-day", "job"]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%d/%m/%Y} ({self.get_status_display()})"

"""The one table of monitoring: a document prepared in the background (``jobs``): a PNRR evidence pack, a report,
a large export. The request only stores the job and queues its task; a worker builds the file into the storage."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In coda")
    BUILDING = "building", _("In preparazione")
    READY = "ready", _("Pronto")
    FAILED = "failed", _("Non riuscito")


class DocumentKind(models.TextChoices):
    EVIDENCE_PACK = "evidence_pack", _("Pacchetto di evidenze PNRR")
    REPORT = "report", _("Relazione al Coordinamento Istituzionale")
    PNRR_REPORT = "pnrr_report", _("Relazione finale del progetto PNRR")


class DocumentJob(models.Model):
    """A document of a partnership or an ATS (its ``scope``) built by a task (``monitoring.tasks.build_document``,
    ``jobs.build``): the page shows how far it got and offers the file once it is stored.

    ``params`` say what the document is of, as its builder reads them (the pack's CUP and period; a report's
    filters and format; the PNRR report's CUP and format); ``counts`` what the builder counts on its way (the pack's
    registers issued); ``summary`` what the finished document says that its page shows without opening it (the
    pack's «Sommario»). ``total`` and ``done`` are the builder's units of work (the pack's sessions)."""

    kind = models.CharField(_("documento"), max_length=20, choices=DocumentKind.choices)
    partnership = models.ForeignKey(
        "territory.Partnership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    params = models.JSONField(default=dict)
    title = models.CharField(_("titolo"), max_length=200)
    status = models.CharField(_("stato"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)  # when the building last moved on
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    file = models.FileField(_("file"), max_length=255, blank=True)
    filename = models.CharField(_("nome del file"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64, blank=True)
    summary = models.JSONField(default=dict, editable=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("documento in preparazione")
        verbose_name_plural = _("documenti in preparazione")
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False, ambito__isnull=True)
                | Q(partnership__isnull=True, ambito__isnull=False),
                name="documentjob_one_scope",
            )
        ]
        indexes = [models.Index(fields=["partnership", "kind", "-created_at"], name="documentjob_recent")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        if self.kind == DocumentKind.EVIDENCE_PACK and self.partnership is not None:
            return reverse("monitoring:evidence_pack_job", args=[self.partnership.code, self.pk])
        return reverse("monitoring:document_job", args=[self.pk])

    @property
    def working(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.BUILDING)

    # The evidence pack's parameters, as its pages read them.
    @property
    def cup(self) -> str:
        return str(self.params.get("cup", ""))

    @property
    def start(self) -> datetime.date:
        return datetime.date.fromisoformat(self.params["start"])

    @property
    def end(self) -> datetime.date:
        return datetime.date.fromisoformat(self.params["end"])

    @property
    def generated_registers(self) -> int:
        return int(self.counts.get("generated_registers", 0))

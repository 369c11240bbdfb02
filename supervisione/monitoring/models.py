"""The one table of monitoring: an evidence pack prepared in the background (``evidence_jobs``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PackStatus(models.TextChoices):
    QUEUED = "queued", _("In coda")
    BUILDING = "building", _("In preparazione")
    READY = "ready", _("Pronto")
    FAILED = "failed", _("Non riuscito")


class EvidencePackJob(models.Model):
    """A PNRR evidence pack of a partnership's CUP and period, built by a task (``monitoring.tasks``): the request
    only queues it, the page shows how far it got and offers the ZIP once it is stored.

    ``summary`` keeps what the pack's «Sommario» says (counts per category, what is missing and why), so that the
    page can show it without opening the ZIP."""

    partnership = models.ForeignKey("territory.Partnership", on_delete=models.CASCADE, related_name="+")
    cup = models.CharField(_("CUP"), max_length=15)
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))
    status = models.CharField(_("stato"), max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)  # when the building last moved on
    finished_at = models.DateTimeField(null=True, blank=True)
    total_sessions = models.PositiveIntegerField(default=0)
    done_sessions = models.PositiveIntegerField(default=0)
    generated_registers = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64, blank=True)
    summary = models.JSONField(default=dict, editable=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pacchetto di evidenze PNRR")
        verbose_name_plural = _("pacchetti di evidenze PNRR")

    def __str__(self) -> str:
        return f"Pacchetto di evidenze CUP {self.cup} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:evidence_pack_job", args=[self.partnership.code, self.pk])

    @property
    def working(self) -> bool:
        return self.status in (PackStatus.QUEUED, PackStatus.BUILDING)

    @property
    def filename(self) -> str:
        return f"evidenze-pnrr-{self.cup}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.zip"

"""Evidence packs become documents built in the background like reports (``DocumentJob``, kind
``evidence_pack``): each ``EvidencePackJob`` row moves over with its key (the job's address stays the same, and a
task queued before the upgrade finds its job), its CUP and period in ``params``, its sessions in ``total``/``done``
and the registers it issued in ``counts``. The new table then gives keys above every key the old one gave
(``lib.keys``)."""

from typing import Any

import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from supervisione.lib.keys import continue_keys, last_key

PACK = ("monitoring", "EvidencePackJob")  # a model that no longer exists but here


def packs_to_document_jobs(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Pack: Any = apps.get_model(*PACK)  # noqa: N806  (a historical model class)
    Job: Any = apps.get_model("monitoring", "DocumentJob")  # noqa: N806  (a historical model class)
    given = last_key(schema_editor.connection, Pack._meta.db_table)
    Job.objects.bulk_create(
        Job(
            pk=pack.pk,
            kind="evidence_pack",
            partnership_id=pack.partnership_id,
            params={"cup": pack.cup, "start": pack.start.isoformat(), "end": pack.end.isoformat()},
            title=f"Pacchetto di evidenze PNRR · CUP {pack.cup}",
            status=pack.status,
            created_by_id=pack.created_by_id,
            created_at=pack.created_at,
            started_at=pack.started_at,
            progress_at=pack.progress_at,
            finished_at=pack.finished_at,
            total=pack.total_sessions,
            done=pack.done_sessions,
            counts={"generated_registers": pack.generated_registers},
            file=pack.file.name if pack.file else "",
            filename=f"evidenze-pnrr-{pack.cup}-{pack.start:%Y%m%d}-{pack.end:%Y%m%d}.zip",
            content_type="application/zip",
            size=pack.size,
            sha256=pack.sha256,
            summary=pack.summary,
            error=pack.error,
        )
        for pack in Pack.objects.order_by("pk").iterator()
    )
    for pk, created_at in Pack.objects.values_list("pk", "created_at"):  # auto_now_add set "now" on every row
        Job.objects.filter(pk=pk).update(created_at=created_at)
    continue_keys(schema_editor.connection, Job._meta.db_table, given)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("territory", "0005_ambito_requires_signed_scans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("evidence_pack", "Pacchetto di evidenze PNRR"),
                            ("report", "Relazione al Coordinamento Istituzionale"),
                            ("pnrr_report", "Relazione finale del progetto PNRR"),
                        ],
                        max_length=20,
                        verbose_name="documento",
                    ),
                ),
                ("params", models.JSONField(default=dict)),
                ("title", models.CharField(max_length=200, verbose_name="titolo")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "In coda"),
                            ("building", "In preparazione"),
                            ("ready", "Pronto"),
                            ("failed", "Non riuscito"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="stato",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("progress_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("total", models.PositiveIntegerField(default=0)),
                ("done", models.PositiveIntegerField(default=0)),
                ("counts", models.JSONField(default=dict)),
                ("file", models.FileField(blank=True, max_length=255, upload_to="", verbose_name="file")),
                ("filename", models.CharField(max_length=200, verbose_name="nome del file")),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField(default=0)),
                ("sha256", models.CharField(blank=True, max_length=64, verbose_name="impronta SHA-256")),
                ("summary", models.JSONField(default=dict, editable=False)),
                ("error", models.TextField(blank=True)),
                (
                    "ambito",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="territory.ambito",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="territory.partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "documento in preparazione",
                "verbose_name_plural": "documenti in preparazione",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="documentjob",
            index=models.Index(fields=["partnership", "kind", "-created_at"], name="documentjob_recent"),
        ),
        migrations.AddConstraint(
            model_name="documentjob",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("ambito__isnull", True), ("partnership__isnull", False)),
                    models.Q(("ambito__isnull", False), ("partnership__isnull", True)),
                    _connector="OR",
                ),
                name="documentjob_one_scope",
            ),
        ),
        migrations.RunPython(packs_to_document_jobs, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="EvidencePackJob",
        ),
    ]

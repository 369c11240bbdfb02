"""A contract's documents get their own table: supervisors' documents were of a supervisor or of a contract, and
the contract's now live with the contract (issue 14), third step of the move (see ``supervisors/0003``).

The rows of ``supervisors_document`` that belong to a contract (a contract's files and the minutes of its
co-design meetings) are copied to ``procurement_contractdocument`` with the same keys, values and files (the
stored files do not move), then removed from ``supervisors_document``, which keeps supervisors' own documents;
``supervisors/0004`` then drops its contract columns. The audit entries of those documents follow them: content
type ``procurement.contractdocument`` and codes ``procurement.contractdocument.created``/``.deleted``, found by
the document's key or, for documents deleted since, by the contract their entry names.

New contract documents take keys after the last one ``supervisors_document`` gave (``lib/keys.py``).

Going back copies them into ``supervisors_document`` again (under a new key if a supervisor's document took
theirs meanwhile) and gives their entries back.
"""

from typing import Any

import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import CharField, Q
from django.db.models.functions import Cast, Substr

from supervisione.lib.keys import continue_keys, last_key

# Every column of a contract's document, the same in both tables.
COLUMNS = [
    "id",
    "contract",
    "meeting",
    "kind",
    "title",
    "file",
    "original_name",
    "content_type",
    "size",
    "uploaded_by",
    "uploaded_at",
]
OLD = ("supervisors", "document")
NEW = ("procurement", "contractdocument")
MARK = "renumbered:"


def _recode(entries: models.QuerySet[Any], old: tuple[str, str], new: tuple[str, str]) -> None:
    prefix = ".".join(old) + "."
    for code in entries.filter(code__startswith=prefix).order_by().values_list("code", flat=True).distinct():
        entries.filter(code=code).update(code=".".join(new) + "." + code.removeprefix(prefix))


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Document: Any = apps.get_model("supervisors", "Document")  # the historical model, with its contract columns
    ContractDocument: Any = apps.get_model("procurement", "ContractDocument")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    alias = schema_editor.connection.alias
    quote = schema_editor.connection.ops.quote_name
    old_columns = ", ".join(quote(Document._meta.get_field(name).column) for name in COLUMNS)
    new_columns = ", ".join(quote(ContractDocument._meta.get_field(name).column) for name in COLUMNS)
    # One statement, so that every value (the upload time too, which the ORM would set to now) is kept as is.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ContractDocument._meta.db_table)} ({new_columns}) "  # noqa: S608  (quoted model names)
            f"SELECT {old_columns} FROM {quote(Document._meta.db_table)} "
            f"WHERE {quote(Document._meta.get_field('contract').column)} IS NOT NULL"
        )
    # New contract documents take keys after every key a document had, so that none takes a deleted one's history.
    continue_keys(
        schema_editor.connection,
        ContractDocument._meta.db_table,
        last_key(schema_editor.connection, Document._meta.db_table),
    )
    old_type = ContentType.objects.using(alias).filter(app_label=OLD[0], model=OLD[1]).first()
    if old_type is not None:
        keys = ContractDocument.objects.using(alias).annotate(key=Cast("id", CharField())).values("key")
        # A contract's document, existing or deleted, is the one whose entries name a contract.
        entries = AuditEntry.objects.using(alias).filter(
            Q(object_id__in=keys) | Q(changes__has_key="contract"), content_type=old_type
        )
        if entries.exists():
            new_type, _ = ContentType.objects.using(alias).get_or_create(app_label=NEW[0], model=NEW[1])
            _recode(entries, OLD, NEW)
            entries.update(content_type=new_type)
    Document.objects.using(alias).filter(contract__isnull=False).delete()


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Document: Any = apps.get_model("supervisors", "Document")  # the historical model, with its contract columns
    ContractDocument: Any = apps.get_model("procurement", "ContractDocument")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    alias = schema_editor.connection.alias
    attnames = [ContractDocument._meta.get_field(name).attname for name in COLUMNS]
    new_type = ContentType.objects.using(alias).filter(app_label=NEW[0], model=NEW[1]).first()
    entries = AuditEntry.objects.using(alias).filter(content_type=new_type)
    for values in ContractDocument.objects.using(alias).order_by("pk").values(*attnames):
        key = values.pop("id")
        taken = Document.objects.using(alias).filter(pk=key).exists()
        copy = Document.objects.using(alias).create(**({} if taken else {"id": key}), **values)
        # create() stamps the upload time: put the original back.
        Document.objects.using(alias).filter(pk=copy.pk).update(uploaded_at=values["uploaded_at"])
        if copy.pk != key:
            # Marked, so that a later document whose old key is this new one does not take these entries.
            entries.filter(object_id=str(key)).update(object_id=f"{MARK}{copy.pk}")
    entries.filter(object_id__startswith=MARK).update(object_id=Substr("object_id", len(MARK) + 1))
    continue_keys(
        schema_editor.connection,
        Document._meta.db_table,
        last_key(schema_editor.connection, ContractDocument._meta.db_table),
    )
    if new_type is not None and entries.exists():
        old_type, _ = ContentType.objects.using(alias).get_or_create(app_label=OLD[0], model=OLD[1])
        _recode(entries, NEW, OLD)
        entries.update(content_type=old_type)


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
        ("supervisors", "0003_procurement_tables"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContractDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("contract", "Contratto o convenzione"),
                            ("act", "Atto o determina"),
                            ("tender", "Documenti di gara"),
                            ("proposal", "Proposta progettuale"),
                            ("minutes", "Verbale"),
                            ("other", "Altro"),
                        ],
                        max_length=20,
                        verbose_name="tipo di documento",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="titolo")),
                ("file", models.FileField(max_length=255, upload_to="", verbose_name="file")),
                ("original_name", models.CharField(max_length=200, verbose_name="nome del file caricato")),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveIntegerField(verbose_name="dimensione (byte)")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="caricato il")),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="documents", to="procurement.contract"
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="procurement.codesignmeeting",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "documento del contratto",
                "verbose_name_plural": "documenti del contratto",
                "ordering": ["kind", "-uploaded_at", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="contractdocument",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["contract", "act", "tender", "proposal", "minutes", "other"])),
                name="contract_document_kind_known",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

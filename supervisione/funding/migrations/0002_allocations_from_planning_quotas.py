"""The FNPS quotas of planning become funding's allocations (issue 15): each ``planning.FnpsQuota`` (one ATS, one
year) is copied to a ``funding.FnpsAllocation`` with the same key, its year as first and last year, its amount,
the ATS's whole FNPS (``fnps_allocation``) as ``fnps_total``, its act as the regional act's text (``decree_number``;
the date, not recorded apart before, stays empty), its note and its version. ``planning/0007`` then drops the old
table. An allocation of two years cannot come from a quota: a quota of one year stays one year (the demo reloads
Casarano's 2023-2024 as one allocation itself).

New allocations take keys after the last one the quotas gave (``lib/keys.py``), and the audit entries of the
quotas follow them: content type ``funding.fnpsallocation`` and codes ``funding.fnpsallocation.*`` (from
``planning.fnpsquota.*``).

Going back copies the allocations into the quotas' table (``planning/0007`` recreates it first): an allocation of
several years becomes the quota of its first year, its years said in the note; the audit entries go back too.
"""

from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from supervisione.lib.keys import continue_keys, last_key

OLD = ("planning", "fnpsquota")
NEW = ("funding", "fnpsallocation")
# The quotas' model exists only in the migrations' states, since planning/0007 (named so that the type checker,
# which knows today's models, does not look for it).
QUOTA: tuple[str, str] = ("planning", "FnpsQuota")


def _move_entries(apps: Apps, alias: str, old: tuple[str, str], new: tuple[str, str]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    old_type = ContentType.objects.using(alias).filter(app_label=old[0], model=old[1]).first()
    if old_type is None:
        return
    new_type, _ = ContentType.objects.using(alias).get_or_create(app_label=new[0], model=new[1])
    entries = AuditEntry.objects.using(alias).filter(content_type=old_type)
    prefix = ".".join(old) + "."
    for code in entries.filter(code__startswith=prefix).order_by().values_list("code", flat=True).distinct():
        entries.filter(code=code).update(code=".".join(new) + "." + code.removeprefix(prefix))
    entries.update(content_type=new_type)


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Quota: Any = apps.get_model(*QUOTA)  # noqa: N806  (a historical model class, named as the class)
    Allocation: Any = apps.get_model("funding", "FnpsAllocation")  # noqa: N806  (a historical model class, named as the class)
    alias = schema_editor.connection.alias
    Allocation.objects.using(alias).bulk_create(
        Allocation(
            id=quota.id,
            lock_version=quota.lock_version,
            ambito_id=quota.ambito_id,
            first_year=quota.year,
            last_year=quota.year,
            amount=quota.amount,
            fnps_total=quota.fnps_allocation,
            decree_number=quota.act,
            plan_row="",
            note=quota.note,
        )
        for quota in Quota.objects.using(alias).order_by("pk")
    )
    continue_keys(
        schema_editor.connection,
        Allocation._meta.db_table,
        last_key(schema_editor.connection, Quota._meta.db_table),
    )
    _move_entries(apps, alias, OLD, NEW)


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Quota: Any = apps.get_model(*QUOTA)  # noqa: N806  (a historical model class, named as the class)
    Allocation: Any = apps.get_model("funding", "FnpsAllocation")  # noqa: N806  (a historical model class, named as the class)
    alias = schema_editor.connection.alias
    quotas = []
    for allocation in Allocation.objects.using(alias).order_by("pk"):
        note = allocation.note
        if allocation.last_year != allocation.first_year:
            years = f"Stanziamento FNPS {allocation.first_year}-{allocation.last_year}, registrato sul primo anno."
            note = f"{years}\n{note}".strip()
        act = allocation.decree_number
        if allocation.decree_date is not None:
            act = f"{act} del {allocation.decree_date:%d/%m/%Y}".strip()
        quotas.append(
            Quota(
                id=allocation.id,
                lock_version=allocation.lock_version,
                ambito_id=allocation.ambito_id,
                year=allocation.first_year,
                amount=allocation.amount,
                fnps_allocation=allocation.fnps_total,
                act=act[:250],
                note=note,
            )
        )
    Quota.objects.using(alias).bulk_create(quotas)
    continue_keys(
        schema_editor.connection,
        Quota._meta.db_table,
        last_key(schema_editor.connection, Allocation._meta.db_table),
    )
    _move_entries(apps, alias, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("planning", "0006_fte_exact_by_default"),
        ("audit", "0003_code_of_existing_entries"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Planning's FNPS quotas become funding's allocations without losing a row (issue 15, ``funding/0002``).

On a database of its own brought to the schema before the move, two quotas (one with the ATS's whole FNPS and
its act) and their audit entries; migrated forward, each is an allocation of one year with the same key and
values, the audit log follows (content type, action codes), new allocations take new keys; migrated back, the
quotas are there again, an allocation of two years as the quota of its first year that says so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from supervisione.testing.migrations import ALIAS, migrate, model

BEFORE = [
    ("planning", "0006_fte_exact_by_default"),
    ("audit", "0003_code_of_existing_entries"),
    ("contenttypes", "0002_remove_content_type_name"),
]
AFTER = [("planning", "0007_fnps_quotas_moved_to_funding"), ("funding", "0002_allocations_from_planning_quotas")]
BACK: list[tuple[str, str | None]] = [*BEFORE, ("funding", None)]  # funding unapplied: its tables gone


def _entry(apps: Any, kind: Any, object_id: int, code: str) -> int:
    entry = (
        model(apps, "audit.AuditEntry")
        .objects.using(ALIAS)
        .create(username="referente", action="create", content_type=kind, object_id=str(object_id), code=code)
    )
    return int(entry.pk)


def test_it_moves_every_quota_to_an_allocation_of_its_year_and_back(
    moving_database: BaseDatabaseWrapper, settings: Any, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        before = migrate(moving_database, BEFORE, settings)
        region = model(before, "territory.Region").objects.using(ALIAS).create(istat_code="16", name="Puglia")
        ambito = (
            model(before, "territory.Ambito")
            .objects.using(ALIAS)
            .create(code="PUG_CASARANO", name="Ambito di Casarano", region=region)
        )
        quotas = model(before, "planning.FnpsQuota").objects.using(ALIAS)
        first = quotas.create(ambito=ambito, year=2022, amount=Decimal("14648.66"), note="Dal Piano di Zona")
        second = quotas.create(
            ambito=ambito,
            year=2023,
            amount=Decimal("19740.00"),
            fnps_allocation=Decimal("658000.00"),
            act="D.D. n. 12 del 20/12/2023",
            lock_version=3,
        )
        gone = quotas.create(ambito=ambito, year=2021, amount=Decimal(1))
        gone_pk = gone.pk
        gone.delete()
        kind = (
            model(before, "contenttypes.ContentType")
            .objects.using(ALIAS)
            .get_or_create(app_label="planning", model="fnpsquota")[0]
        )
        created = _entry(before, kind, second.pk, "planning.fnpsquota.created")
        updated = _entry(before, kind, second.pk, "planning.fnpsquota.updated")

        after = migrate(moving_database, AFTER, settings)
        allocations = model(after, "funding.FnpsAllocation").objects.using(ALIAS)
        assert list(
            allocations.order_by("pk").values_list(
                "pk", "first_year", "last_year", "amount", "fnps_total", "decree_number", "note", "lock_version"
            )
        ) == [
            (first.pk, 2022, 2022, Decimal("14648.66"), None, "", "Dal Piano di Zona", 0),
            (second.pk, 2023, 2023, Decimal("19740.00"), Decimal("658000.00"), "D.D. n. 12 del 20/12/2023", "", 3),
        ]
        entries = model(after, "audit.AuditEntry").objects.using(ALIAS).select_related("content_type")
        assert {(e.pk, e.code, e.content_type.app_label, e.content_type.model, e.object_id) for e in entries} == {
            (created, "funding.fnpsallocation.created", "funding", "fnpsallocation", str(second.pk)),
            (updated, "funding.fnpsallocation.updated", "funding", "fnpsallocation", str(second.pk)),
        }
        # A new allocation never takes a key a quota had, a deleted one's included.
        two_years = allocations.create(
            ambito_id=ambito.pk, first_year=2023 + 1, last_year=2025, amount=Decimal("29297.33"), note="Riga 2024"
        )
        assert two_years.pk > gone_pk

        executor = MigrationExecutor(moving_database)
        executor.migrate(BACK)
        executor.loader.build_graph()
        back = executor.loader.project_state(BEFORE).apps
        restored = model(back, "planning.FnpsQuota").objects.using(ALIAS).order_by("pk")
        assert list(restored.values_list("pk", "year", "amount", "fnps_allocation", "act", "lock_version")) == [
            (first.pk, 2022, Decimal("14648.66"), None, "", 0),
            (second.pk, 2023, Decimal("19740.00"), Decimal("658000.00"), "D.D. n. 12 del 20/12/2023", 3),
            (two_years.pk, 2024, Decimal("29297.33"), None, "", 0),
        ]
        note = restored.get(pk=two_years.pk).note
        assert note == "Stanziamento FNPS 2024-2025, registrato sul primo anno.\nRiga 2024"
        codes = model(back, "audit.AuditEntry").objects.using(ALIAS).order_by("pk").values_list("code", flat=True)
        assert list(codes) == ["planning.fnpsquota.created", "planning.fnpsquota.updated"]

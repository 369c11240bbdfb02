"""Evidence packs become document jobs without losing one (issue 20, ``monitoring/0002``).

On a database of its own brought to the schema before the move, three packs (ready with their file and summary,
failed with its reason, one deleted so that its key was given); migrated forward, each is a ``DocumentJob`` of kind
``evidence_pack`` with the same key, requester, dates, counts, file and summary, and a new job takes a key above
every key the packs' table gave (its address never names an old pack).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from supervisione.testing.migrations import ALIAS, migrate, model

BEFORE = [("monitoring", "0001_initial"), ("territory", "0005_ambito_requires_signed_scans")]
AFTER = [("monitoring", "0002_document_job")]
ASKED = datetime.datetime(2026, 7, 2, 9, 30, tzinfo=datetime.UTC)


def test_every_evidence_pack_becomes_a_document_job_with_its_key(
    moving_database: BaseDatabaseWrapper, settings: Any, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        before = migrate(moving_database, BEFORE, settings)
        region = model(before, "territory.Region").objects.using(ALIAS).create(istat_code="16", name="Puglia")
        capofila = (
            model(before, "territory.Ambito")
            .objects.using(ALIAS)
            .create(code="PUG_POGGIARDO", name="Ambito di Poggiardo", region=region)
        )
        partnership = (
            model(before, "territory.Partnership")
            .objects.using(ALIAS)
            .create(code="POGGIARDO-114", name="Partenariato", capofila=capofila)
        )
        user = model(before, "accounts.User").objects.using(ALIAS).create(username="coordinatore")
        packs = model(before, "monitoring.EvidencePackJob").objects.using(ALIAS)
        common = {"partnership": partnership, "cup": "J81H22000130006", "created_by": user}
        ready = packs.create(
            **common,
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 6, 30),
            status="ready",
            started_at=ASKED,
            finished_at=ASKED + datetime.timedelta(minutes=3),
            total_sessions=12,
            done_sessions=12,
            generated_registers=4,
            file="pacchetti-pnrr/1/evidenze.zip",
            size=2048,
            sha256="a" * 64,
            summary={"categories": [["Registri finali (registri/)", 12]], "gaps": [], "gap_count": 0},
        )
        packs.filter(pk=ready.pk).update(created_at=ASKED)
        failed = packs.create(
            **common, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31), status="failed", error="Errore"
        )
        gone = packs.create(**common, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
        gone_pk = gone.pk
        gone.delete()

        after = migrate(moving_database, AFTER, settings)
        jobs = model(after, "monitoring.DocumentJob").objects.using(ALIAS)
        moved = jobs.get(pk=ready.pk)
        assert (moved.kind, moved.partnership_id, moved.ambito_id, moved.created_by_id) == (
            "evidence_pack",
            partnership.pk,
            None,
            user.pk,
        )
        assert moved.params == {"cup": "J81H22000130006", "start": "2026-01-01", "end": "2026-06-30"}
        assert (moved.status, moved.total, moved.done, moved.counts) == ("ready", 12, 12, {"generated_registers": 4})
        assert (moved.created_at, moved.started_at, moved.finished_at) == (
            ASKED,
            ASKED,
            ASKED + datetime.timedelta(minutes=3),
        )
        assert (moved.file.name, moved.size, moved.sha256) == ("pacchetti-pnrr/1/evidenze.zip", 2048, "a" * 64)
        assert moved.filename == "evidenze-pnrr-J81H22000130006-20260101-20260630.zip"
        assert (moved.content_type, moved.title) == (
            "application/zip",
            "Pacchetto di evidenze PNRR · CUP J81H22000130006",
        )
        assert moved.summary["categories"] == [["Registri finali (registri/)", 12]]
        assert jobs.get(pk=failed.pk).error == "Errore"
        assert jobs.count() == 2
        new = jobs.create(
            kind="report",
            partnership_id=partnership.pk,
            title="Relazione",
            filename="r.pdf",
            content_type="application/pdf",
        )
        assert new.pk > gone_pk

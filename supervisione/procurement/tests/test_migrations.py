"""Contracts move from supervisors to procurement without losing a row (issue 14).

A database of its own (a file for SQLite, a database on the same server for PostgreSQL: the suite's database
holds the shared world and is never migrated), brought to the schema just before the move, gets a contract
with every part: lines, funding rows, a deadline with a postponement, a co-design table with members and a
meeting, documents of the contract and of the meeting beside a supervisor's, a plan group and a session
charged to it, and audit entries. Migrated forward, everything is there under procurement's models, with the
same keys; the audit log follows (content types, action codes); new rows take new keys. Migrated back, it is
all supervisors' again. Models are the migrations' own (historical) models, so the test keeps meaning what it
says when the models change later.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps.registry import Apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from supervisione.procurement.tests.conftest import ALIAS

# The schema just before the move: the last migration of each app that the move changes or reads.
BEFORE = [
    ("supervisors", "0002_edit_version"),
    ("planning", "0004_edit_version"),
    ("supervision_sessions", "0002_national_scale_indexes"),
    ("audit", "0003_code_of_existing_entries"),
    ("contenttypes", "0002_remove_content_type_name"),
]
AFTER = [
    ("supervisors", "0004_procurement_moved_out"),
    ("procurement", "0002_contractdocument"),
    ("planning", "0005_contracts_in_procurement"),
    ("supervision_sessions", "0003_contracts_in_procurement"),
]
MOVED = {
    "Contract": "contract",
    "ContractLine": "contractline",
    "ContractFunding": "contractfunding",
    "TenderDeadline": "tenderdeadline",
    "Postponement": "postponement",
    "CoDesignTable": "codesigntable",
    "CoDesignMember": "codesignmember",
    "CoDesignMeeting": "codesignmeeting",
}
ROME = datetime.timezone(datetime.timedelta(hours=2))


def migrate(connection: BaseDatabaseWrapper, targets: list[tuple[str, str]], settings: Any) -> Apps:
    """Migrate to ``targets`` and give the models of that state."""
    settings.MIGRATION_MODULES = {}  # the suite runs without migrations (pyproject: --no-migrations)
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def model(apps: Apps, label: str) -> Any:
    """A model of a migration state (typed loosely: the type checker knows only today's models)."""
    return apps.get_model(label)


def rows(apps: Apps, label: str) -> list[dict[str, Any]]:
    return list(model(apps, label).objects.using(ALIAS).order_by("pk").values())


def fill(apps: Apps) -> dict[str, Any]:
    """A contract with every part, on the schema before the move (models of that state)."""

    def make(label: str, **fields: Any) -> Any:
        return model(apps, label).objects.using(ALIAS).create(**fields)

    user = make("accounts.User", username="coordinatore", password="!")
    region = make("territory.Region", istat_code="16", name="Puglia", ministry_prefix="PUG")
    ambito = make("territory.Ambito", code="PUG_MAGLIE", name="Ambito di Maglie", region=region)
    provider = make("territory.Organisation", name="Cooperativa Aurora", kind="cooperative")
    contract = make(
        "supervisors.Contract",
        ambito=ambito,
        title="Supervisione con Aurora",
        procedure="co_design",
        status="active",
        provider=provider,
        cup="J81H22000130006",
        amount=Decimal("20000.00"),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    tender = make("supervisors.Contract", ambito=ambito, title="Gara MePA", procedure="mepa", simog_code="9030232")
    make("supervisors.ContractLine", contract=contract, kind="A1", hourly_rate=Decimal(65), hours=Decimal(64))
    make("supervisors.ContractLine", contract=contract, kind="A2", hourly_rate=Decimal(60), hours=Decimal("30.5"))
    funding = make(
        "supervisors.ContractFunding", contract=contract, measure="pnrr_114", amount=Decimal(15000), cup=contract.cup
    )
    make("supervisors.ContractFunding", contract=contract, measure="fnps", amount=Decimal(5000), year=2026)
    original = datetime.datetime(2023, 5, 19, 12, 0, tzinfo=ROME)
    due = datetime.datetime(2023, 5, 26, 23, 59, tzinfo=ROME)
    deadline = make("supervisors.TenderDeadline", contract=tender, kind="offers", original_due_at=original, due_at=due)
    make(
        "supervisors.Postponement",
        deadline=deadline,
        previous_due_at=original,
        new_due_at=due,
        reason="Malfunzionamenti della piattaforma MePA",
        recorded_by=user,
    )
    table = make(
        "supervisors.CoDesignTable",
        contract=contract,
        opened_on=datetime.date(2024, 10, 23),
        proposer=provider,
        proposal_title="Supervisione per 56 assistenti sociali",
        proposal_approved_on=datetime.date(2025, 1, 14),
    )
    make("supervisors.CoDesignMember", table=table, ambito=ambito, person_name="Paolo Greco", role="Referente")
    make("supervisors.CoDesignMember", table=table, organisation=provider, role="Proponente")
    meeting = make(
        "supervisors.CoDesignMeeting",
        table=table,
        held_on=datetime.date(2025, 1, 14),
        title="Seduta conclusiva",
        is_final=True,
    )
    supervisor = make(
        "supervisors.Supervisor", ambito=ambito, surname="Longo", name="Chiara", profession="assistente_sociale"
    )
    uploaded = datetime.datetime(2025, 2, 3, 9, 30, tzinfo=ROME)
    document = {"file": "x.pdf", "original_name": "x.pdf", "content_type": "application/pdf", "size": 321}
    cv = make("supervisors.Document", supervisor=supervisor, kind="cv", title="CV", **document)
    convention = make("supervisors.Document", contract=contract, kind="contract", title="Convenzione", **document)
    gone = make("supervisors.Document", contract=contract, kind="other", title="Per errore", **document)
    minutes = make(
        "supervisors.Document", contract=contract, meeting=meeting, kind="minutes", title="Verbale", **document
    )
    documents = model(apps, "supervisors.Document").objects.using(ALIAS)
    documents.update(uploaded_at=uploaded)
    documents.filter(pk=gone.pk).delete()
    plan = make("planning.Plan", ambito=ambito, year=2026, deadline=datetime.date(2026, 3, 31))
    group = make("planning.PlanGroup", plan=plan, kind="A1", name="Gruppo 1", contract=contract, funding=funding)
    make(
        "supervision_sessions.Session",
        ambito=ambito,
        kind="A1",
        group=group,
        supervisor=supervisor,
        contract=contract,
        funding=funding,
        date=datetime.date(2026, 2, 2),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        minutes=180,
        modality="in_person",
        checkin_code="ABCD1234",
    )

    def entry(name: str, key: int, action: str, code: str, **changes: str) -> Any:
        types = model(apps, "contenttypes.ContentType").objects.using(ALIAS)
        kind = types.get_or_create(app_label="supervisors", model=name)[0]
        return make(
            "audit.AuditEntry",
            username="coordinatore",
            action=action,
            content_type=kind,
            object_id=str(key),
            object_repr="x",
            code=code,
            changes={name: {"label": name, "old": "", "new": value} for name, value in changes.items()},
        )

    entries = {
        "contract": entry("contract", contract.pk, "create", "supervisors.contract.created"),
        "postponed": entry("tenderdeadline", deadline.pk, "action", "supervisors.tenderdeadline.postponed"),
        "convention": entry("document", convention.pk, "create", "supervisors.document.created", contract="x"),
        "gone": entry("document", gone.pk, "delete", "supervisors.document.deleted", contract="x"),
        "cv": entry("document", cv.pk, "create", "supervisors.document.created", supervisor="Longo Chiara"),
        "declaration": entry("declaration", 1, "create", "supervisors.declaration.recorded"),
    }
    return {
        "moved": {name: rows(apps, f"supervisors.{name}") for name in MOVED},
        "documents": {
            "cv": cv.pk,
            "convention": convention.pk,
            "gone": gone.pk,
            "minutes": minutes.pk,
            "meeting": meeting.pk,
        },
        "contract": contract.pk,
        "funding": funding.pk,
        "entries": {name: made.pk for name, made in entries.items()},
        "uploaded": uploaded,
    }


def code_and_type(apps: Apps, pk: int) -> tuple[str, str, str]:
    entry = model(apps, "audit.AuditEntry").objects.using(ALIAS).select_related("content_type").get(pk=pk)
    return entry.code, f"{entry.content_type.app_label}.{entry.content_type.model}", entry.object_id


def test_it_moves_every_row_of_a_contract_to_procurement_and_back(
    moving_database: BaseDatabaseWrapper, settings: Any, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        before = migrate(moving_database, BEFORE, settings)
        data = fill(before)
        docs = data["documents"]
        after = migrate(moving_database, AFTER, settings)

        # Every row of every moved model, with its keys and values, under procurement's model and table.
        for name, table in MOVED.items():
            assert model(after, f"procurement.{name}")._meta.db_table == f"procurement_{table}"
            assert rows(after, f"procurement.{name}") == data["moved"][name], name
        contract = model(after, "procurement.Contract").objects.using(ALIAS).get(pk=data["contract"])
        assert contract.codesign.meetings.get().title == "Seduta conclusiva"
        deadline = model(after, "procurement.TenderDeadline").objects.using(ALIAS).get()
        assert deadline.postponements.get().reason == "Malfunzionamenti della piattaforma MePA"
        # Other apps' foreign keys reach the same rows through procurement's models.
        group = model(after, "planning.PlanGroup").objects.using(ALIAS).get()
        session = model(after, "supervision_sessions.Session").objects.using(ALIAS).get()
        assert (group.contract, group.funding.pk) == (contract, data["funding"])
        assert (session.contract, session.funding.pk) == (contract, data["funding"])
        # The contract's documents, with their keys and upload time; the supervisor's stays.
        moved = model(after, "procurement.ContractDocument").objects.using(ALIAS).order_by("pk")
        assert [(d.pk, d.contract_id, d.meeting_id, d.kind) for d in moved] == [
            (docs["convention"], data["contract"], None, "contract"),
            (docs["minutes"], data["contract"], docs["meeting"], "minutes"),
        ]
        assert {d.uploaded_at for d in moved} == {data["uploaded"]}
        kept = model(after, "supervisors.Document").objects.using(ALIAS)
        assert list(kept.values_list("pk", "supervisor__surname", "kind")) == [(docs["cv"], "Longo", "cv")]
        # The audit log follows: content types and action codes.
        entries = data["entries"]
        assert code_and_type(after, entries["contract"])[:2] == ("procurement.contract.created", "procurement.contract")
        assert code_and_type(after, entries["postponed"])[:2] == (
            "procurement.tenderdeadline.postponed",
            "procurement.tenderdeadline",
        )
        assert code_and_type(after, entries["convention"]) == (
            "procurement.contractdocument.created",
            "procurement.contractdocument",
            str(docs["convention"]),
        )
        assert code_and_type(after, entries["gone"]) == (
            "procurement.contractdocument.deleted",
            "procurement.contractdocument",
            str(docs["gone"]),
        )
        assert code_and_type(after, entries["cv"])[:2] == ("supervisors.document.created", "supervisors.document")
        assert code_and_type(after, entries["declaration"])[0] == "supervisors.declaration.recorded"
        # New rows never take a key a document had (a deleted one's history would become theirs).
        document = {"file": "y.pdf", "original_name": "y.pdf", "content_type": "application/pdf", "size": 1}
        new = moved.create(contract=contract, kind="act", title="Determina", **document)
        new_cv = kept.create(supervisor_id=kept.get().supervisor_id, kind="cv", title="CV 2", **document)
        assert min(new.pk, new_cv.pk) > max(docs.values())
        new_contract = (
            model(after, "procurement.Contract")
            .objects.using(ALIAS)
            .create(ambito_id=contract.ambito_id, title="Nuova gara", procedure="mepa")
        )
        assert new_contract.pk > max(row["id"] for row in data["moved"]["Contract"])
        moved.filter(pk=new.pk).delete()
        kept.filter(pk=new_cv.pk).delete()
        new_contract.delete()

        back = migrate(moving_database, BEFORE, settings)
        for name in MOVED:
            assert rows(back, f"supervisors.{name}") == data["moved"][name], name
        documents = model(back, "supervisors.Document").objects.using(ALIAS).order_by("pk")
        assert [(d.pk, d.contract_id, d.meeting_id) for d in documents] == [
            (docs["cv"], None, None),
            (docs["convention"], data["contract"], None),
            (docs["minutes"], data["contract"], docs["meeting"]),
        ]
        assert {d.uploaded_at for d in documents} == {data["uploaded"]}
        assert code_and_type(back, entries["contract"])[:2] == ("supervisors.contract.created", "supervisors.contract")
        assert code_and_type(back, entries["gone"])[:2] == ("supervisors.document.deleted", "supervisors.document")

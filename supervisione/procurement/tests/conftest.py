"""A contract of the registry's provider, with every part, on top of the supervisor records of
``supervisors/tests/conftest.py``, created per test."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.lib.uploads import check_upload
from supervisione.procurement import actions
from supervisione.procurement.models import (
    CoDesignMeeting,
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    Procedure,
    TenderDeadline,
)
from supervisione.supervisors.tests.conftest import PDF, registry_records, upload
from supervisione.supervisors.tests.conftest import Records as RegistryRecords
from supervisione.testing.world import World


@dataclass
class Records(RegistryRecords):
    contract: Contract
    line: ContractLine
    funding: ContractFunding
    deadline: TenderDeadline
    table: CoDesignTable
    member: CoDesignMember
    meeting: CoDesignMeeting
    contract_document: ContractDocument


# The database the migration tests run on (a fresh one, put in place of the suite's by ``moving_database``).
ALIAS = "default"


@pytest.fixture
def moving_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[BaseDatabaseWrapper]:
    """A fresh, empty database beside the suite's, standing in for ``default`` during the test (migrations'
    data functions read and write the default database), dropped afterwards."""
    suite = connections[ALIAS]
    settings = dict(suite.settings_dict)
    with django_db_blocker.unblock():
        if suite.vendor == "sqlite":
            settings["NAME"] = str(tmp_path / "move.sqlite3")
        else:
            settings["NAME"] = f"{settings['NAME']}_move"[:63]
            with suite._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
                cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
        connection = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, ALIAS)
        connections[ALIAS] = connection
        try:
            yield connection
        finally:
            connection.close()
            connections[ALIAS] = suite
            if suite.vendor != "sqlite":
                with suite._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE "{settings["NAME"]}"')


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def store(owner: dict[str, Any], kind: ContractDocumentKind, by: User, name: str = "cv.pdf") -> ContractDocument:
    file = upload(name)
    checked = check_upload(file, name=name, size=len(PDF), allowed={"pdf"}, max_bytes=10_000)
    return actions.store_contract_document(file, checked, kind=kind, title=f"Documento {name}", by=by, **owner)


@pytest.fixture
def records(world: World, media: Path) -> Records:
    registry = registry_records(world)
    contract = Contract.objects.create(
        partnership=world.partnership,
        title="Supervisione con Aurora",
        procedure=Procedure.CO_DESIGN,
        status=ContractStatus.ACTIVE,
        provider=registry.provider,
        amount=Decimal("20000"),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    table = CoDesignTable.objects.create(contract=contract, opened_on=datetime.date(2024, 10, 23))
    return Records(
        **vars(registry),
        contract=contract,
        line=ContractLine.objects.create(contract=contract, kind="A1", hourly_rate=Decimal(65), hours=Decimal(64)),
        funding=ContractFunding.objects.create(
            contract=contract, measure="pnrr_114", amount=Decimal(15000), cup="J81H22000130006"
        ),
        deadline=TenderDeadline.objects.create(
            contract=contract,
            kind=DeadlineKind.OFFERS,
            original_due_at=timezone.now(),
            due_at=timezone.now(),
        ),
        table=table,
        member=CoDesignMember.objects.create(table=table, ambito=world.maglie, role="Referente"),
        meeting=CoDesignMeeting.objects.create(table=table, held_on=datetime.date(2024, 10, 23), title="Insediamento"),
        contract_document=store(
            {"contract": contract}, ContractDocumentKind.CONTRACT, world.coordinator, "convenzione.pdf"
        ),
    )
